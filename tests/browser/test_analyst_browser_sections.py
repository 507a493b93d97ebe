"""The analyst page's new analyses in headless Chromium, served by ``thidua-rank analyst``: awards
under every method, cut-off margins, far-off ballots and self-votes, voting blocs, uncertain
weights stopped with "Dừng" and run again, a workbook uploaded, and "Xuất tất cả"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from live_helpers import SAMPLE
from test_analyst import TIMEOUT, analyst_url, shot, table_rows  # noqa: F401 (fixture)

import thidua_rank as tr
from thidua_rank.analysis import awards_by_method, cutoff_margins
from thidua_rank.cli import main


def test_new_analyses_in_the_browser(browser, artifacts, analyst_url, tmp_path: Path  # noqa: F811
                                     ) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(analyst_url, timeout=TIMEOUT)
    page.wait_for_selector(".tr-analyst .tr-status:has-text('phu-tho-van-hoa-xa-hoi-2020')",
                           timeout=TIMEOUT)
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
