"""The analyst's dashboard in headless Chromium, served by ``thidua-rank analyst`` as a user
starts it: choose a meeting, compare methods, bootstrap, switch to English, save the charts,
and open a folder that is not a meeting; "Xuất tất cả" with its progress bar, to the end and
stopped with "Dừng" (nothing left behind)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_helpers import ROOT, SAMPLE, free_port

import thidua_rank as tr
from thidua_rank.analysis import compare

TIMEOUT = 90_000
OTHER = ROOT / "sample_data" / "phu-tho-van-hoa-xa-hoi-2020"


@pytest.fixture
def analyst_url(tmp_path: Path) -> Iterator[str]:
    """``thidua-rank analyst`` on a free port with two meeting folders; stopped afterwards."""
    port = free_port()
    log = tmp_path / "analyst.log"
    exe = Path(sys.executable).parent / "thidua-rank"
    proc = subprocess.Popen([str(exe), "analyst", str(OTHER), str(SAMPLE), "--port", str(port)],
                            stdout=log.open("ab"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"analyst exited: {log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    raise RuntimeError("thidua-rank analyst did not answer within 120 s"
                                       ) from None
                time.sleep(0.3)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def table_rows(page: Any, css: str) -> list[list[str]]:
    """The text of every body cell of the table inside the element with class *css*."""
    return page.eval_on_selector_all(
        f".{css} tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def test_analyst_dashboard_in_the_browser(browser, artifacts, analyst_url, tmp_path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(analyst_url, timeout=TIMEOUT)
    # the first folder given on the command line is opened by itself
    page.wait_for_selector(".tr-analyst .tr-status:has-text('phu-tho-van-hoa-xa-hoi-2020')",
                           timeout=TIMEOUT)
    page.select_option(".tr-analyst-meeting select", label=SAMPLE.name)
    page.wait_for_selector(f".tr-status:has-text('{SAMPLE.name}')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-round-info:has-text('9 phiếu hợp lệ')", timeout=TIMEOUT)
    assert page.eval_on_selector(".tr-analyst-round select", "s => s.value") != ""
    shot(page, artifacts, "analyst-01-opened")

    page.click(".tr-analyst-compare-run")
    page.wait_for_selector(".tr-status .tr-msg-ok:has-text('Xong')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-agreement-chart img", timeout=TIMEOUT)
    meeting = tr.load_meeting(SAMPLE)
    expected = compare(meeting.ballots["xep-hang"])
    shown = table_rows(page, "tr-analyst-compare-table")
    assert [r[0] for r in shown] == expected.get_column("unit").to_list()
    assert [[int(c) for c in r[1:]] for r in shown] == [list(r[1:]) for r in expected.rows()]
    assert page.locator(".tr-analyst-compare-table tr.tr-differs").count() == \
        expected.filter(expected["spread"] > 0).height
    assert page.locator(".tr-status .tr-msg-ok:has-text('Xong')").count() == 1

    page.fill(".tr-analyst-seed input", "7")
    page.click(".tr-analyst-bootstrap-run")
    page.wait_for_selector(".tr-analyst-bootstrap-chart img", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-bootstrap-table:has-text('hạt giống 7')",
                           timeout=TIMEOUT)
    assert len(table_rows(page, "tr-analyst-bootstrap-table")) == len(meeting.units)
    width = page.eval_on_selector(".tr-analyst-bootstrap-chart img", "i => i.naturalWidth")
    assert width > 200  # the PNG arrived and decoded, with no network
    shot(page, artifacts, "analyst-02-compare-bootstrap")

    page.click(".tr-lang >> text=English")
    page.wait_for_selector("h3:has-text('1. Compare counting methods')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-bootstrap-chart img[alt='Ranking stability — borda']",
                           timeout=TIMEOUT)
    assert "samples · seed 7" in page.inner_text(".tr-analyst-bootstrap-table")
    assert page.locator(".tr-analyst-compare-table th", has_text="Spread").count() == 1
    # the comparison's English charts are drawn in the worker meanwhile ("Computing…")
    page.wait_for_selector(".tr-analyst-pairwise-chart img[alt='Pairwise margins (ballots)']",
                           timeout=TIMEOUT)
    page.wait_for_function("() => document.querySelector('.tr-analyst-compare-run')"
                           ".innerText.trim() == 'Compare'", timeout=TIMEOUT)
    shot(page, artifacts, "analyst-03-english")

    out = tmp_path / "out"
    page.fill(".tr-analyst-out input", str(out))
    page.click(".tr-analyst-export-charts")
    page.wait_for_selector(".tr-analyst-written li >> nth=3", timeout=TIMEOUT)
    saved = sorted(p.name for p in out.iterdir())
    assert saved == ["ninh-binh-co-quan-dang-2022-xep-hang-bootstrap-borda.png",
                     "ninh-binh-co-quan-dang-2022-xep-hang-dong-thuan-spearman.png",
                     "ninh-binh-co-quan-dang-2022-xep-hang-dong-thuan.png",
                     "ninh-binh-co-quan-dang-2022-xep-hang-tung-cap.png"]
    assert all((out / name).read_bytes()[:4] == b"\x89PNG" for name in saved)

    (tmp_path / "not-a-meeting").mkdir()  # a folder, but no meeting.toml in it
    page.fill(".tr-analyst-path input", str(tmp_path / "not-a-meeting"))
    page.click(".tr-analyst-open")
    page.wait_for_selector(".tr-status .tr-msg-error:has-text('meeting.toml not found')",
                           timeout=TIMEOUT)
    error = page.inner_text(".tr-status")
    assert "không tìm thấy meeting.toml" in error and "Traceback" not in page.content()
    assert page.locator(".tr-analyst-compare-table table").count() == 0
    shot(page, artifacts, "analyst-04-bad-folder")
    context.close()


def shot(page: Any, artifacts: Path, name: str) -> None:
    """A screenshot of the whole page: Voilà scrolls ``#rendered_cells``, not the document,
    so the viewport is stretched to the content's height for the picture."""
    size = page.viewport_size
    height = page.evaluate("() => (document.getElementById('rendered_cells') "
                           "|| document.body).scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


PROGRESS = ("() => parseFloat((document.querySelector('.{css} .progress-bar') || "
            "{{style: {{}}}}).style.width) || 0")


def analyst_shot(page: Any, artifacts: Path, name: str, css: str) -> None:
    """The section holding *css* and the whole page, into ``test-artifacts/analyst/``."""
    folder = artifacts.parent / "analyst"
    folder.mkdir(parents=True, exist_ok=True)
    page.locator(f".{css}").locator("xpath=..").screenshot(path=str(folder / f"{name}.png"))
    shot(page, folder, f"{name}-page")


def compare_first(page: Any, analyst_url: str, artifacts: Path | None = None) -> None:
    """Open the page (Phú Thọ opens by itself) and compare the methods on its ranking round;
    the table comes first, then the three charts drawn in the worker (pictured while they are
    drawn when the page is caught at it and *artifacts* is given: a fast machine may not be)."""
    page.goto(analyst_url, timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst .tr-status:has-text('phu-tho-van-hoa-xa-hoi-2020')",
                           timeout=TIMEOUT)
    page.click(".tr-analyst-compare-run")
    page.wait_for_selector(".tr-analyst-compare-table tbody tr", timeout=TIMEOUT)
    if artifacts is not None and page.locator(".tr-analyst-chart-pending").count():
        analyst_shot(page, artifacts, "compare-drawing", "tr-analyst-compare-run")
    for css in ("agreement", "spearman", "pairwise"):
        page.wait_for_selector(f".tr-analyst-{css}-chart img", timeout=TIMEOUT)
    page.wait_for_selector(".tr-status:has-text('Xong: biểu đồ so sánh')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-compare-cancel", state="hidden", timeout=TIMEOUT)


def test_export_all_shows_its_progress_and_writes_every_file(browser, artifacts, analyst_url,
                                                             tmp_path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    compare_first(page, analyst_url, artifacts)
    out = tmp_path / "out"
    page.fill(".tr-analyst-out input", str(out))
    page.click(".tr-analyst-export-all")
    page.wait_for_selector(".tr-analyst-export-cancel", state="visible", timeout=TIMEOUT)
    page.wait_for_function(f"() => ({PROGRESS.format(css='tr-analyst-export-progress')})() > 0",
                           timeout=TIMEOUT)
    assert page.locator(".tr-analyst-export-all").is_disabled()
    assert "xuất tất cả, 10 tệp" in page.inner_text(".tr-status")
    analyst_shot(page, artifacts, "export-all-running", "tr-analyst-export-all")
    page.wait_for_selector(".tr-status:has-text('Xong: xuất tất cả, 10 tệp')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-written li >> nth=9", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-export-cancel", state="hidden", timeout=TIMEOUT)
    [folder] = list(out.iterdir())
    assert folder.name == "phu-tho-van-hoa-xa-hoi-2020-tat-ca"
    names = sorted(p.name for p in folder.iterdir())
    stems = ["dong-thuan", "dong-thuan-spearman", "tung-cap"]
    assert names == sorted([f"phu-tho-van-hoa-xa-hoi-2020-xep-hang-{s}.{f}" for s in stems
                            for f in ("pdf", "png", "svg")]
                           + ["phu-tho-van-hoa-xa-hoi-2020-xep-hang-phan-tich.xlsx"])
    magic = {".png": b"\x89PNG", ".svg": b"<svg", ".pdf": b"%PDF", ".xlsx": b"PK"}
    assert all((folder / n).read_bytes().startswith(magic[Path(n).suffix]) for n in names)
    shown = page.eval_on_selector_all(".tr-analyst-written li", "l => l.map(e => e.innerText)")
    assert sorted(shown) == names
    assert page.inner_text(".tr-analyst-export-note") == ""
    analyst_shot(page, artifacts, "export-all-done", "tr-analyst-export-all")
    context.close()


def test_dung_stops_export_all_and_leaves_nothing(browser, artifacts, analyst_url,
                                                  tmp_path) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    compare_first(page, analyst_url)
    for run, chart in (("bootstrap", "bootstrap"), ("weights", "weights")):  # more files
        page.click(f".tr-analyst-{run}-run")
        page.wait_for_selector(f".tr-analyst-{chart}-chart img", timeout=TIMEOUT)
        page.wait_for_selector(f".tr-analyst-{run}-cancel", state="hidden", timeout=TIMEOUT)
    out = tmp_path / "out"
    page.fill(".tr-analyst-out input", str(out))
    page.click(".tr-analyst-export-all")
    page.wait_for_function(f"() => ({PROGRESS.format(css='tr-analyst-export-progress')})() > 0",
                           timeout=TIMEOUT)  # a file is rendered: press "Dừng" now
    page.click(".tr-analyst-export-cancel")
    page.wait_for_selector(".tr-status:has-text('Đã dừng: xuất tất cả, 16 tệp')",
                           timeout=30_000)
    note = page.locator(".tr-analyst-export-note")
    note.wait_for(state="visible", timeout=TIMEOUT)
    assert note.inner_text().startswith("Đã dừng «Xuất tất cả» sau ")
    assert f"không có tệp nào được ghi vào {out}." in note.inner_text()
    page.wait_for_selector(".tr-analyst-export-cancel", state="hidden", timeout=TIMEOUT)
    assert not out.exists()  # no folder, no half-written file, no hidden temporary folder
    assert page.locator(".tr-analyst-written li").count() == 0
    page.wait_for_function("() => !document.querySelector('.tr-analyst-export-all').disabled",
                           timeout=TIMEOUT)
    analyst_shot(page, artifacts, "export-all-stopped", "tr-analyst-export-all")
    context.close()
