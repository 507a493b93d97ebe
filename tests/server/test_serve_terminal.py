"""What ``thidua-rank serve`` (``make run``) prints for the chair, without starting Voilà:
the addresses, the two PINs, the QR, where the slips and the server log are, and nothing of
Voilà's own output (issue 13)."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

import thidua_rank.server.meeting as meeting_server
from thidua_rank.cli import main
from thidua_rank.server.voila import run_voila

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ninh-binh-co-quan-dang-2022"


def test_serve_prints_what_a_chair_needs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "meeting"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
    started: list[dict[str, Any]] = []

    def fake_voila(cmd: list[str], env: Any, *, keep_fds: Any = (), log: Path | None = None
                   ) -> int:
        started.append({"cmd": cmd, "log": log})
        return 0

    monkeypatch.setattr(meeting_server, "run_voila", fake_voila)
    status = main(["serve", str(folder), "--host", "127.0.0.1", "--port", "8899",
                   "--pin", "2468", "--clerk-pin", "1357"])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    box_dir = folder / ".thidua"
    assert started[0]["log"] == box_dir / "voila.log"  # Voilà's output goes there
    for page in ("projector", "chair", "clerk", "delegate"):
        assert f"http://127.0.0.1:8899/voila/render/{page}.ipynb" in out
    assert "Mã PIN Chủ tọa / chair's PIN: 2468" in out
    assert "Mã PIN Thư ký / clerk's PIN: 1357" in out
    assert f"printable slips: {box_dir / 'ma-bo-phieu.html'}" in out
    assert f"server log: {box_dir / 'voila.log'}" in out
    assert "▀" in out or "█" in out  # the QR code
    for noise in ("not trusted", "Deprecat", "Warning", "[Voila]", "Traceback"):
        assert noise not in out
    # no precomputed result of the sample's ballot files
    assert "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh" not in out
    lines = [line for line in out.splitlines() if line.strip()]
    text_lines = [line for line in lines if not set(line) <= set(" ▀▄█")]
    assert len(text_lines) <= 12, text_lines

    # a restart says where the slips are even though no new code is issued
    main(["serve", str(folder), "--host", "127.0.0.1", "--port", "8899"])
    again, _ = capsys.readouterr()
    assert f"printable slips: {box_dir / 'ma-bo-phieu.html'}" in again


def test_a_mistyped_meeting_folder_is_named(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["serve", str(tmp_path / "hoi-nghi-sai-ten")])
    _, err = capsys.readouterr()
    assert status == 2
    assert "không tìm thấy thư mục hội nghị — meeting folder not found" in err
    assert "meeting.toml" not in err


def test_run_voila_sends_its_output_to_the_log(tmp_path: Path,
                                               capfd: pytest.CaptureFixture[str]) -> None:
    import sys

    log = tmp_path / "box" / "voila.log"
    cmd = [sys.executable, "-c", "import sys; print('[Voila] not trusted'); "
           "print('DeprecationWarning', file=sys.stderr)"]
    assert run_voila(cmd, {}, log=log) == 0
    out, err = capfd.readouterr()  # the child's own file descriptors
    assert out == err == ""
    assert "[Voila] not trusted" in log.read_text() and "DeprecationWarning" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
