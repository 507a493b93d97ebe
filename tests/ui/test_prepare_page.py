"""The preparation page driven in Python: upload a workbook with problems, see each one with its
sheet, row and column, upload the fixed workbook, preview, print, start (a fake launcher)."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pypdf
import pytest
from prepare_helpers import edit_workbook, good_workbook

import thidua_rank as tr
from thidua_rank.live.ballot_box import box_path
from thidua_rank.server.meeting import lock_meeting, lock_path
from thidua_rank.server.prepare import ProcessLauncher, prepare_env, prepare_page, server_pid
from thidua_rank.synth import synth_meeting
from thidua_rank.ui.prepare import ENV_CWD, ENV_PATH, MeetingServer, PreparePage

URL = "http://10.1.2.3:8866/voila/render/delegate.ipynb"


class FakeLauncher:
    """Records what would start; a started meeting counts as running afterwards."""

    def __init__(self) -> None:
        self.started: list[Path] = []
        self.servers: dict[Path, MeetingServer] = {}

    def delegate_url(self) -> str:
        return URL

    def running(self, folder: Path) -> MeetingServer | None:
        return self.servers.get(folder)

    def start(self, folder: Path) -> MeetingServer:
        self.started.append(folder)
        server = MeetingServer(folder=folder, pid=4242,
                               urls={"projector": "http://10.1.2.3:8866/voila/render/"
                                                  "projector.ipynb", "delegate": URL},
                               pins={"chair": "111111", "clerk": "222222"},
                               log=folder / ".thidua" / "serve.log",
                               command=tuple(ProcessLauncher().command(folder)))
        self.servers[folder] = server
        return server


def _upload(page: PreparePage, path: Path) -> None:
    data = path.read_bytes()
    page.upload.value = ({"name": path.name, "type": "application/vnd.openxmlformats",
                          "size": len(data), "content": memoryview(data),
                          "last_modified": dt.datetime.now(dt.UTC)},)


def _cells(html_text: str, css: str) -> list[list[str]]:
    table = re.search(rf"<table class='tr-prepare-table {css}'>(.*?)</table>", html_text).group(1)
    return [re.findall(r"<td[^>]*>(.*?)</td>", row) for row in table.split("</tr>")
            if "<td" in row]


@pytest.fixture
def books(tmp_path: Path) -> tuple[Path, Path]:
    source = tmp_path / "src"
    source.mkdir()
    good = good_workbook(source)
    bad = edit_workbook(good, source / "bad.xlsx", {
        "Đơn vị": {(3, "có mặt"): "có lẽ"},
        "Chấm điểm": {(5, "c1"): "31", (6, "nguồn"): "tự khai"}})
    return bad, good


def test_upload_with_problems_lists_each_with_sheet_row_column(books: tuple[Path, Path],
                                                               tmp_path: Path) -> None:
    bad, _ = books
    work = tmp_path / "work"
    page = PreparePage(FakeLauncher(), workdir=work)
    assert page.start_button.disabled and page.print_button.disabled
    _upload(page, bad)
    assert (work / "bad.xlsx").read_bytes() == bad.read_bytes()  # saved beside the work
    assert "Có 3 lỗi cần sửa" in page.check_out.value
    assert _cells(page.check_out.value, "tr-prepare-problems") == [
        ["Đơn vị", "3", "có mặt", "có lẽ", "phải là có/không (1/0)"],
        ["Chấm điểm", "5", "c1", "31", "điểm phải từ 0 đến 30"],
        ["Chấm điểm", "6", "nguồn", "tự khai",
         "nguồn điểm phải là tự chấm / thẩm định / chấm chéo"],
    ]
    assert page.preview.value == "" and page.start_button.disabled
    page.lang_toggle.value = "en"
    assert "3 problems to fix" in page.check_out.value
    assert _cells(page.check_out.value, "tr-prepare-problems")[1][4] == (
        "points must be between 0 and 30 (Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm)")


def test_fixed_upload_previews_then_prints_and_starts(books: tuple[Path, Path],
                                                      tmp_path: Path) -> None:
    bad, good = books
    work = tmp_path / "work"
    launcher = FakeLauncher()
    page = PreparePage(launcher, workdir=work)
    _upload(page, bad)
    _upload(page, good)
    assert page.problems == [] and "Không có lỗi" in page.check_out.value
    members = _cells(page.preview.value, "tr-prepare-members")
    assert [m[2] for m in members] == [m.name for m in tr.load_meeting(
        good, require_ballots=False).members]
    assert members[0] == ["1", "u01", "Văn phòng UBND tỉnh", "VP UBND tỉnh", "có"]
    criteria = _cells(page.preview.value, "tr-prepare-criteria")
    assert criteria[0][:5] == ["c1", "I. Thực hiện nhiệm vụ chính trị, chuyên môn",
                               "Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm", "30", "1"]
    assert [c[6] for c in criteria][-2:] == ["điểm thưởng", "điểm trừ"]
    assert len(_cells(page.preview.value, "tr-prepare-scores")) == 5
    rounds = _cells(page.preview.value, "tr-prepare-rounds")
    assert [r[1:5] for r in rounds] == [["xếp hạng", "xếp hạng thi đua", "—", "1"],
                                        ["chọn đơn vị, chọn tối đa 1", "Trưởng khối", "—", "1"]]
    assert "Phiếu bầu Trưởng khối" not in page.downloads.value

    printed = page.print_documents()
    folder = work / "hoi-nghi"
    assert printed == {"slips": folder / ".thidua" / "ma-bo-phieu.pdf",
                       "ballots": folder / "phieu-bau.pdf"}
    slips = pypdf.PdfReader(printed["slips"])
    assert f"Địa chỉ: {URL}" in slips.pages[0].extract_text()
    assert "href='data:application/pdf;base64,JVBER" in page.downloads.value  # %PDF
    assert page.downloads.value.count("download=") == 2
    assert page.n_codes == 5

    server = page.start_meeting()
    assert launcher.started == [folder]
    assert server.command[3:] == ("serve", str(folder), "--host", "0.0.0.0", "--port", "8866")
    assert tr.load_meeting(folder, require_ballots=False).units == tr.load_meeting(
        good, require_ballots=False).units
    assert "111111" in page.running_out.value and "tiến trình 4242" in page.running_out.value
    assert "http://10.1.2.3:8866/voila/render/projector.ipynb" in page.running_out.value

    again = page.start_meeting()  # a second click: no second server
    assert launcher.started == [folder] and not again.started_now
    assert "đang chạy (tiến trình 4242)" in page.running_out.value


def test_template_download_and_opening_a_folder(tmp_path: Path) -> None:
    page = PreparePage(FakeLauncher(), workdir=tmp_path)
    path = page.make_template()
    assert path == tmp_path / "mau-hoi-nghi.xlsx"
    assert "download='mau-hoi-nghi.xlsx'" in page.template_out.value
    assert page.open(path) is False  # the empty template has no points yet
    assert "chưa có điểm của các đơn vị" in page.check_out.value
    folder = synth_meeting(tmp_path / "m", units=4, seed=1).path
    assert page.open(folder) is True and page.folder == folder
    assert page.write_folder() == folder  # a folder is used as it is


def test_a_non_workbook_upload_is_refused(tmp_path: Path) -> None:
    page = PreparePage(FakeLauncher(), workdir=tmp_path)
    with pytest.raises(tr.ThiduaRankError, match=r"Chỉ nhận tệp Excel \.xlsx"):
        page.upload_workbook(b"x", "notes.txt")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(tr.ThiduaRankError, match="không có lỗi trước"):
        page.start_meeting()


def test_the_page_from_the_environment(books: tuple[Path, Path], tmp_path: Path) -> None:
    _, good = books
    env = prepare_env(good, meeting_port=8899, environ={})
    assert env[ENV_PATH] == str(good.resolve()) and env[ENV_CWD] == str(Path.cwd())
    page = prepare_page(env)
    assert page.problems == [] and page.folder == good.with_suffix("")
    assert page.launcher.delegate_url().endswith(":8899/voila/render/delegate.ipynb")
    with pytest.raises(tr.ThiduaRankError, match="không tìm thấy"):
        prepare_env(tmp_path / "nope.xlsx")


def test_the_lock_tells_a_running_server(tmp_path: Path) -> None:
    folder = synth_meeting(tmp_path / "m", units=4, seed=1).path
    assert server_pid(folder) is None and ProcessLauncher().running(folder) is None
    fd = lock_meeting(box_path(folder))
    try:
        assert server_pid(folder) == os.getpid()
        found = ProcessLauncher(port=8901).running(folder)
        assert found is not None and found.pid == os.getpid() and not found.started_now
    finally:
        os.close(fd)
    assert lock_path(box_path(folder)).exists() and server_pid(folder) is None


class BrokenLauncher(FakeLauncher):
    def start(self, folder: Path) -> MeetingServer:
        raise tr.ThiduaRankError("cổng 8866 đang được dùng", "port 8866 is in use")


def test_a_failed_start_says_why_under_its_button(books: tuple[Path, Path],
                                                  tmp_path: Path) -> None:
    _, good = books
    page = PreparePage(BrokenLauncher(), good)
    assert page.problems == [] and page.workdir == Path.cwd()
    page.start_button.click()
    assert "cổng 8866 đang được dùng" in page.running_out.value
    assert page.status.value == "" and not page.start_button.disabled
    assert (good.with_suffix("") / "meeting.toml").exists()  # the folder was written
    page.print_button.click()
    assert "Đã tạo phiếu mã (5 mã) và phiếu bầu." in page.print_note.value
    assert "Điểm (điểm thẩm định, nếu không có thì điểm tự chấm)" in page.preview.value
