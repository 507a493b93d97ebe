"""``thidua-rank prepare`` (the preparation page's launcher) and ``serve WORKBOOK.xlsx``,
without starting Voilà."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from prepare_helpers import good_workbook

import thidua_rank.server.meeting as meeting_server
import thidua_rank.server.prepare as prepare_server
from thidua_rank.cli import main
from thidua_rank.live.session import ENV_MEETING, LiveMeeting
from thidua_rank.ui.prepare import ENV_CWD, ENV_PATH


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []

    def fake_voila(cmd: list[str], env: Any, *, keep_fds: Any = (), log: Path | None = None
                   ) -> int:
        calls.append({"cmd": cmd, "env": dict(env), "log": log})
        return 0

    monkeypatch.setattr(prepare_server, "run_voila", fake_voila)
    monkeypatch.setattr(meeting_server, "run_voila", fake_voila)
    return calls


def test_prepare_serves_the_page_on_this_computer_only(
        tmp_path: Path, started: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    book = good_workbook(tmp_path)
    assert main(["prepare", str(book), "--port", "8899", "--meeting-port", "8877"]) == 0
    out = capsys.readouterr().out
    assert "http://127.0.0.1:8899/" in out
    [call] = started
    cmd = call["cmd"]
    assert cmd[3].endswith("dashboards/prepare/prepare.ipynb")
    assert "--Voila.ip=127.0.0.1" in cmd and "--port=8899" in cmd and "--no-browser" in cmd
    assert call["env"][ENV_PATH] == str(book.resolve())
    assert call["env"][ENV_CWD] == str(Path.cwd())
    assert call["env"][prepare_server.ENV_MEETING_PORT] == "8877"


def test_prepare_without_a_path_and_with_a_wrong_one(
        tmp_path: Path, started: list[dict[str, Any]],
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["prepare"]) == 0
    assert started[0]["env"][ENV_PATH] == ""
    assert main(["prepare", str(tmp_path / "khong-co.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "khong-co.xlsx: không tìm thấy tệp hoặc thư mục hội nghị" in err
    assert len(started) == 1  # nothing started for the wrong path


def test_serve_accepts_the_workbook(tmp_path: Path, started: list[dict[str, Any]],
                                    capsys: pytest.CaptureFixture[str]) -> None:
    book = good_workbook(tmp_path)  # ranking by vote, no ballot yet: a live meeting
    status = main(["serve", str(book), "--host", "127.0.0.1", "--port", "8898",
                   "--pin", "2468", "--clerk-pin", "1357"])
    out, err = capsys.readouterr()
    assert (status, err) == (0, "")
    box_dir = tmp_path / "hoi-nghi.thidua"
    assert "Mã PIN Chủ tọa / chair's PIN: 2468" in out
    assert f"printable slips: {box_dir / 'ma-bo-phieu.html'}" in out
    assert "http://127.0.0.1:8898/voila/render/delegate.ipynb" in out
    [call] = started
    assert call["env"][ENV_MEETING] == str(book.resolve())
    assert call["log"] == box_dir / "voila.log"
    live = LiveMeeting(book, box_dir / "ballot-box.sqlite", register=False)
    try:
        assert live.box.n_codes() == 5
        assert [r["title"] for r in live.status()] == [
            r.title for r in live.meeting.config.rounds]
    finally:
        live.box.close()
