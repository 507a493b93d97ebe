"""The analyst page's new analyses in headless Chromium, served by ``thidua-rank analyst``: awards
under every method, cut-off margins, far-off ballots and self-votes, voting blocs, uncertain
weights stopped with "Dừng" and run again, a workbook uploaded, and "Xuất tất cả"; a long
bootstrap whose bar moves until "Dừng" stops it, leaving the previous result."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from live_helpers import SAMPLE
from test_analyst import TIMEOUT, analyst_url, shot, table_rows  # noqa: F401 (fixture)

import thidua_rank as tr
from thidua_rank.analysis import awards_by_method, cutoff_margins
from thidua_rank.cli import main


def _open_analyst(browser: Any, url: str) -> tuple[Any, Any]:
    """A fresh browser context on the analyst page, once it has loaded its first meeting."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst .tr-status:has-text('phu-tho-van-hoa-xa-hoi-2020')",
                           timeout=TIMEOUT)
    return context, page


def test_new_analyses_in_the_browser(browser, artifacts, analyst_url, tmp_path: Path  # noqa: F811
                                     ) -> None:
    context, page = _open_analyst(browser, analyst_url)
    page.select_option(".tr-analyst-meeting select", label=SAMPLE.name)
    page.wait_for_selector(f".tr-status:has-text('{SAMPLE.name}')", timeout=TIMEOUT)
    meeting = tr.load_meeting(SAMPLE)

    page.click(".tr-analyst-awards-run")
    page.wait_for_selector(".tr-analyst-awards-chart img", timeout=TIMEOUT)
    awards = awards_by_method(meeting)
    assert len(table_rows(page, "tr-analyst-awards-table")) == len(meeting.units)
    differs = awards.filter(awards["changed"]).get_column("unit").n_unique()
    assert page.locator(".tr-analyst-awards-table tr.tr-differs").count() == differs

    page.click(".tr-analyst-margins-run")
    page.wait_for_selector(".tr-analyst-margins-chart img", timeout=TIMEOUT)
    assert len(table_rows(page, "tr-analyst-margins-table")) == cutoff_margins(meeting).height

    page.click(".tr-analyst-voters-run")
    page.wait_for_selector(".tr-analyst-voters-chart img", timeout=TIMEOUT)
    # the self-votes table is rendered after the chart: wait for it, not for the chart
    page.wait_for_selector(".tr-analyst-self-votes-table tbody tr", timeout=TIMEOUT)
    assert len(table_rows(page, "tr-analyst-self-votes-table")) == len(meeting.units)

    page.fill(".tr-analyst-permutations input", "199")
    page.click(".tr-analyst-blocs-run")
    page.wait_for_selector(".tr-analyst-blocs-table:has-text('199 lần hoán vị')",
                           timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-blocs-chart img", timeout=TIMEOUT)
    shot(page, artifacts, "analyst-05-awards-margins-voters-blocs")

    page.click(".tr-lang >> text=English")
    page.wait_for_selector("h3:has-text('2. Awards under every method')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-awards-chart img[alt='Places of each unit by method']",
                           timeout=TIMEOUT)
    assert "① Government emulation flag" in page.inner_text(".tr-analyst-awards-table")
    page.wait_for_selector(".tr-analyst-self-votes-table:has-text('Secret ballots')",
                           timeout=TIMEOUT)  # sections re-render one after another
    shot(page, artifacts, "analyst-05b-english")
    page.click(".tr-lang >> text=Tiếng Việt")
    page.wait_for_selector("h3:has-text('2. Khen thưởng theo từng phương pháp')",
                           timeout=TIMEOUT)

    # a long weight run: the bar moves, "Dừng" stops it, the kernel kept answering
    page.fill(".tr-analyst-dirichlet-samples input", "10000000")
    page.click(".tr-analyst-uncertainty-run")
    page.wait_for_selector(".tr-analyst-uncertainty-cancel", state="visible", timeout=TIMEOUT)
    page.wait_for_function(
        "() => { const b = document.querySelector("
        "'.tr-analyst-uncertainty-progress .progress-bar'); "
        "return b && parseFloat(b.style.width) > 0; }",
        timeout=TIMEOUT)
    shot(page, artifacts, "analyst-06-weights-running")
    page.click(".tr-analyst-uncertainty-cancel")
    page.wait_for_selector(".tr-status:has-text('Đã dừng')", timeout=30_000)
    assert page.locator(".tr-analyst-uncertainty-table table").count() == 0
    page.fill(".tr-analyst-dirichlet-samples input", "20000")
    page.click(".tr-analyst-uncertainty-run")
    page.wait_for_selector(".tr-analyst-uncertainty-chart img", timeout=TIMEOUT)
    assert len(table_rows(page, "tr-analyst-uncertainty-table")) == len(meeting.units)
    shot(page, artifacts, "analyst-07-weights-done")

    out = tmp_path / "out"
    page.fill(".tr-analyst-out input", str(out))
    page.click(".tr-analyst-export-all")
    page.wait_for_selector(".tr-analyst-written li >> nth=3", timeout=TIMEOUT)
    [folder] = list(out.iterdir())
    names = sorted(p.name for p in folder.iterdir())
    assert "ninh-binh-co-quan-dang-2022-xep-hang-phan-tich.xlsx" in names
    assert sum(n.endswith(".pdf") for n in names) == sum(n.endswith(".png") for n in names) \
        == sum(n.endswith(".svg") for n in names) == 5  # awards, margins, weights, voters, blocs
    shot(page, artifacts, "analyst-08-export-all")

    book = tmp_path / "hop.xlsx"
    assert main(["template", str(book), "--meeting", str(SAMPLE)]) == 0
    upload(page, book)
    page.wait_for_selector(".tr-status:has-text('Đã mở: hop.xlsx')", timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-round-info:has-text('9 phiếu hợp lệ')", timeout=TIMEOUT)
    bad = tmp_path / "sai.xlsx"
    bad.write_bytes(b"not a workbook")
    upload(page, bad)
    page.wait_for_selector(".tr-status .tr-msg-error:has-text('sai.xlsx')", timeout=TIMEOUT)
    assert "cannot read the workbook" in page.inner_text(".tr-status")
    shot(page, artifacts, "analyst-09-upload-error")
    context.close()


def upload(page: Any, path: Path) -> None:
    """Choose *path* with the upload button (its file input is not in the page's DOM)."""
    with page.expect_file_chooser(timeout=TIMEOUT) as chooser:
        page.click(".tr-analyst-upload")
    chooser.value.set_files(str(path))


def set_slider(page: Any, css: str, value: int) -> None:
    """Type *value* into an ipywidgets slider's editable readout (as a user can)."""
    readout = page.locator(f".{css} .widget-readout")
    readout.fill(str(value))
    readout.press("Enter")
    page.wait_for_function(
        f"() => document.querySelector('.{css} .widget-readout').innerText.trim() == '{value}'",
        timeout=TIMEOUT)


def section_shot(page: Any, artifacts: Path, name: str, css: str) -> None:
    """The status line and the section holding *css*, into ``test-artifacts/analyst/``."""
    folder = artifacts.parent / "analyst"
    folder.mkdir(parents=True, exist_ok=True)
    page.locator(".tr-analyst .tr-status").scroll_into_view_if_needed()
    page.locator(f".{css}").locator("xpath=..").screenshot(path=str(folder / f"{name}.png"))
    shot(page, folder, f"{name}-page")


def test_a_long_bootstrap_stops_with_dung(browser, artifacts, analyst_url  # noqa: F811
                                          ) -> None:
    context, page = _open_analyst(browser, analyst_url)
    set_slider(page, "tr-analyst-samples", 100)
    page.click(".tr-analyst-bootstrap-run")
    page.wait_for_selector(".tr-analyst-bootstrap-table:has-text('100 lần lấy mẫu')",
                           timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst-bootstrap-chart img", timeout=TIMEOUT)
    assert page.locator(".tr-analyst-bootstrap-cancel").is_hidden()
    before = table_rows(page, "tr-analyst-bootstrap-table")

    # 10,000 samples of Borda: over ten seconds here; the bar moves and "Dừng" stops it
    set_slider(page, "tr-analyst-samples", 10_000)
    started = time.monotonic()
    page.click(".tr-analyst-bootstrap-run")
    page.wait_for_selector(".tr-analyst-bootstrap-cancel", state="visible", timeout=TIMEOUT)
    assert page.locator(".tr-analyst-bootstrap-run").is_disabled()
    width = ("() => parseFloat(document.querySelector("
             "'.tr-analyst-bootstrap-progress .progress-bar').style.width) || 0")
    page.wait_for_function(f"() => ({width})() > 0", timeout=TIMEOUT)
    first = page.evaluate(width)
    page.wait_for_function(f"() => ({width})() > {first}", timeout=TIMEOUT)  # it moves
    section_shot(page, artifacts, "bootstrap-running", "tr-analyst-bootstrap-run")
    page.click(".tr-analyst-bootstrap-cancel")
    page.wait_for_selector(".tr-status:has-text('Đã dừng: bootstrap')", timeout=30_000)
    assert time.monotonic() - started < 60
    assert "10.000 lần" in page.inner_text(".tr-status")
    assert page.evaluate(width) < 100
    page.wait_for_selector(".tr-analyst-bootstrap-cancel", state="hidden", timeout=TIMEOUT)
    run = page.locator(".tr-analyst-bootstrap-run")
    page.wait_for_function("() => !document.querySelector('.tr-analyst-bootstrap-run')"
                           ".disabled", timeout=TIMEOUT)
    assert run.inner_text() == "Chạy bootstrap"
    assert table_rows(page, "tr-analyst-bootstrap-table") == before  # the previous result
    assert "100 lần lấy mẫu" in page.inner_text(".tr-analyst-bootstrap-table")
    note = page.locator(".tr-analyst-bootstrap-note")
    assert note.is_visible() and note.inner_text().startswith(
        "Đã dừng trước khi xong: bootstrap borda, 10.000 lần.")
    section_shot(page, artifacts, "bootstrap-stopped", "tr-analyst-bootstrap-run")

    set_slider(page, "tr-analyst-samples", 200)  # and the button works again
    run.click()
    page.wait_for_selector(".tr-analyst-bootstrap-table:has-text('200 lần lấy mẫu')",
                           timeout=TIMEOUT)
    page.wait_for_selector(".tr-status:has-text('Xong: bootstrap')", timeout=TIMEOUT)
    assert note.inner_text() == ""
    section_shot(page, artifacts, "bootstrap-again", "tr-analyst-bootstrap-run")
    context.close()
