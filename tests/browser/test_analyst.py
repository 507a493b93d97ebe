"""The analyst's dashboard in headless Chromium, served by ``thidua-rank analyst`` as a user
starts it: choose a meeting, compare methods, bootstrap, switch to English, save the charts,
and open a folder that is not a meeting."""

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
    assert page.locator(".tr-analyst-compare-run").inner_text() == "Compare"
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
