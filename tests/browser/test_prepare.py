"""The preparation page in headless Chromium, served by ``thidua-rank prepare`` as the clerk
starts it: upload a workbook with problems, read each one with its sheet, row and column,
upload the fixed workbook, preview, download the slips and ballots, start the meeting, and
find its projector page at the address shown (a second click starts nothing)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_helpers import free_port
from prepare_helpers import edit_workbook, good_workbook
from test_analyst import shot

from thidua_rank.server.prepare import server_pid

TIMEOUT = 120_000


def _wait_answer(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.time() + 120
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"prepare exited: {log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            if time.time() > deadline:
                raise RuntimeError("thidua-rank prepare did not answer within 120 s") from None
            time.sleep(0.3)


def _stop(pid: int) -> None:
    """Stop a process group we started (the page's server, or the meeting it started)."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(pid, signal.SIGKILL)


@pytest.fixture
def prepared(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Two workbooks (one with problems) and ``thidua-rank prepare`` started in a work folder;
    the page's server and any meeting it started are stopped afterwards."""
    source = tmp_path / "nhan"
    source.mkdir()
    good = good_workbook(source)
    bad = edit_workbook(good, source / "hoi-nghi-loi.xlsx", {
        "Đơn vị": {(3, "có mặt"): "có lẽ"},
        "Tiêu chí": {(4, "trọng số"): "hai"},
        "Chấm điểm": {(5, "c1"): "31", (6, "nguồn"): "tự khai"}})
    work = tmp_path / "van-phong"
    work.mkdir()
    port, meeting_port = free_port(), free_port()
    log = tmp_path / "prepare.log"
    exe = Path(sys.executable).parent / "thidua-rank"
    proc = subprocess.Popen([str(exe), "prepare", "--port", str(port), "--meeting-port",
                             str(meeting_port), "--meeting-host", "127.0.0.1"],
                            cwd=work, stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    state: dict[str, Any] = {"url": url, "good": good, "bad": bad, "work": work,
                             "meeting_port": meeting_port}
    try:
        _wait_answer(url, proc, log)
        yield state
    finally:
        meeting = work / "hoi-nghi"
        pid = server_pid(meeting) if meeting.exists() else None
        if pid is not None and pid > 0:
            _stop(pid)
        _stop(proc.pid)
        proc.wait(timeout=30)


def _upload(page: Any, path: Path) -> None:
    """Choose *path* in the upload button's file dialog (the widget's file input is not in
    the page until it is clicked)."""
    with page.expect_file_chooser() as chooser:
        page.click(".tr-prepare-upload")
    chooser.value.set_files(str(path))


def _rows(page: Any, css: str) -> list[list[str]]:
    return page.eval_on_selector_all(
        f"table.{css} tr",
        "rows => rows.filter(r => r.querySelector('td'))"
        ".map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def _no_cut_labels(page: Any) -> list[str]:
    """Buttons and table cells whose text does not fit (scrollWidth > clientWidth)."""
    return page.evaluate("""() => Array.from(document.querySelectorAll(
        '.tr-prepare button, .tr-prepare td, .tr-prepare th, .tr-prepare h3'))
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.innerText.trim())""")


def test_prepare_a_meeting_from_a_workbook_with_problems(browser, artifacts, prepared) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(prepared["url"], timeout=TIMEOUT)
    page.wait_for_selector("h1:has-text('Chuẩn bị hội nghị')", timeout=TIMEOUT)
    assert page.locator(".tr-prepare-start").is_disabled()

    # 0. an empty template to fill in, as a download
    page.click(".tr-prepare-template")
    page.wait_for_selector(".tr-prepare-template-link", timeout=TIMEOUT)
    with page.expect_download() as info:
        page.click(".tr-prepare-template-link")
    assert info.value.suggested_filename == "mau-hoi-nghi.xlsx"
    assert Path(info.value.path()).read_bytes()[:2] == b"PK"  # an .xlsx is a zip
    assert (prepared["work"] / "mau-hoi-nghi.xlsx").exists()

    # 1. the workbook with problems: every one, with sheet, row and column
    _upload(page, prepared["bad"])
    page.wait_for_selector("table.tr-prepare-problems", timeout=TIMEOUT)
    assert "Có 4 lỗi cần sửa" in page.inner_text(".tr-prepare-check")
    assert [r[:4] for r in _rows(page, "tr-prepare-problems")] == [
        ["Đơn vị", "3", "có mặt", "có lẽ"],
        ["Tiêu chí", "4", "trọng số", "hai"],
        ["Chấm điểm", "5", "c1", "31"],
        ["Chấm điểm", "6", "nguồn", "tự khai"]]
    assert (prepared["work"] / "hoi-nghi-loi.xlsx").exists()
    assert page.locator(".tr-prepare-start").is_disabled()
    assert _no_cut_labels(page) == []
    shot(page, artifacts, "prepare-01-problems")
    page.click(".tr-lang >> text=English")
    page.wait_for_selector(".tr-prepare-check:has-text('4 problems to fix')", timeout=TIMEOUT)
    assert "must be yes/no" in _rows(page, "tr-prepare-problems")[0][4]
    shot(page, artifacts, "prepare-02-problems-en")
    page.click(".tr-lang >> text=Tiếng Việt")
    page.wait_for_selector(".tr-prepare-check:has-text('Có 4 lỗi')", timeout=TIMEOUT)

    # 2. the fixed workbook: previews
    _upload(page, prepared["good"])
    page.wait_for_selector("table.tr-prepare-members", timeout=TIMEOUT)
    assert "Không có lỗi" in page.inner_text(".tr-prepare-check")
    members = _rows(page, "tr-prepare-members")
    assert len(members) == 5 and members[0][:3] == ["1", "u01", "Văn phòng UBND tỉnh"]
    assert len(_rows(page, "tr-prepare-criteria")) == 9
    assert len(_rows(page, "tr-prepare-scores")) == 5
    assert [r[1] for r in _rows(page, "tr-prepare-rounds")] == [
        "xếp hạng", "chọn đơn vị, chọn tối đa 1"]
    assert _no_cut_labels(page) == []
    shot(page, artifacts, "prepare-03-preview")

    # 3. slips and ballots as downloads
    page.click(".tr-prepare-print")
    page.wait_for_selector(".tr-prepare-ballots-link", timeout=TIMEOUT)
    with page.expect_download() as info:
        page.click(".tr-prepare-slips-link")
    download = info.value
    assert download.suggested_filename == "ma-bo-phieu.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    href = page.get_attribute(".tr-prepare-ballots-link", "href")
    assert href.startswith("data:application/pdf;base64,JVBER")
    folder = prepared["work"] / "hoi-nghi"
    assert (folder / "meeting.toml").exists() and (folder / "phieu-bau.pdf").exists()
    shot(page, artifacts, "prepare-04-printed")

    # 4. start the meeting; its projector answers at the address shown
    page.click(".tr-prepare-start")
    page.wait_for_selector(".tr-prepare-url-projector", timeout=TIMEOUT)
    running = page.inner_text(".tr-prepare-running")
    pid = int(re.search(r"tiến trình (\d+)", running).group(1))
    assert server_pid(folder) == pid
    projector = page.get_attribute(".tr-prepare-url-projector", "href")
    assert projector == (f"http://127.0.0.1:{prepared['meeting_port']}/voila/render/"
                         "projector.ipynb")
    chair_pin = page.inner_text(".tr-prepare-pin-chair").strip()
    assert re.fullmatch(r"\d{6}", chair_pin)
    shot(page, artifacts, "prepare-05-started")
    wall = context.new_page()
    wall.goto(projector, timeout=TIMEOUT)
    wall.wait_for_selector(".tr-projector", timeout=TIMEOUT)
    wall.screenshot(path=str(artifacts / "prepare-06-projector.png"))
    wall.close()

    # a second click shows the running meeting and starts nothing
    page.click(".tr-prepare-start")
    page.wait_for_selector(f".tr-prepare-running:has-text('đang chạy (tiến trình {pid})')",
                           timeout=TIMEOUT)
    assert server_pid(folder) == pid
    assert "Traceback" not in page.content()
    context.close()
