"""The chair's page in Chromium: an election round that leaves a deputy seat unfilled, the
"Bầu lại" re-vote created, opened, closed and revealed from the page, and after acceptance the
documents downloaded from the page's links (each a valid DOCX, PDF or XLSX, the same bytes as
written in MEETING/ket-qua/). Screenshots: test-artifacts/screenshots/chair-*.png."""

from __future__ import annotations

import csv
import io
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
from live_helpers import CLERK_PIN, PIN, SAMPLE, sample_copy

from thidua_rank.live.ballot_box import Actor
from thidua_rank.live.session import LiveMeeting, check_ballot
from thidua_rank.live.setup import prepare

TIMEOUT = 60_000
REVOTE = "bau-lai-pho-truong-khoi-1"
DOCUMENTS = [f"{d}.{f}" for d in ("bien-ban-kiem-phieu", "bien-ban-hop", "danh-sach-de-nghi",
                                  "to-trinh") for f in ("docx", "pdf")] + ["ket-qua.xlsx"]


def sample_cells(live: LiveMeeting, round_id: str) -> list[list[str]]:
    """The sample's valid ballots of *round_id*, cells in the ballot box's candidate order
    (the sample's spoilt paper ballot would be refused on a phone)."""
    with (SAMPLE / "ballots" / f"{round_id}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header = [live.meeting.index.name(h) for h in rows[0][1:]]
    spec = live.box.spec(round_id)
    order = [header.index(u) for u in spec.candidates]
    cells = [[r[1:][j] for j in order] for r in rows[1:]]
    return [c for c in cells if check_ballot(spec.ballot_rules, spec.candidates, c) is None]


def vote(live: LiveMeeting, chair: Actor, round_id: str, codes: list[str],
         rows: list[list[Any]]) -> None:
    live.box.set_state(round_id, "open", actor=chair)
    for code, row in zip(codes, rows, strict=False):
        live.box.cast(round_id, code, row)
    live.box.set_state(round_id, "closed", actor=chair, confirm=True)
    live.box.set_state(round_id, "revealed", actor=chair)


def shot(page: Any, artifacts: Path, name: str, section: str = ".tr-chair-elections") -> None:
    """The page as the chair sees it, and the section the step is about (Voilà's page scrolls
    inside its own container, so a full-page screenshot stops at the window)."""
    page.screenshot(path=str(artifacts / f"chair-{name}.png"))
    page.locator(section).screenshot(path=str(artifacts / f"chair-{name}-section.png"))


def click_and_confirm(chair: Any, css: str, round_id: str, state: str) -> None:
    chair.click(f".{css}")
    if state != "open":
        chair.click(".tr-chair-confirm")
    chair.wait_for_selector(f".tr-round-state[data-round='{round_id}'][data-state='{state}']",
                            timeout=TIMEOUT)


@pytest.fixture
def meeting(tmp_path: Path) -> tuple[Path, LiveMeeting, Actor, list[str]]:
    """The sample meeting with its ranking and head ballots; the deputies round elects only
    the first candidate (8 of 10 > 50%; the second has 5 of 10, not more than half)."""
    folder = sample_copy(tmp_path, all_present=True)
    ready = prepare(folder, pins={"chair": PIN, "clerk": CLERK_PIN})
    live, codes = ready.live, list(ready.codes.values())
    chair = live.box.unlock("chair", PIN)
    vote(live, chair, "xep-hang", codes, sample_cells(live, "xep-hang"))
    vote(live, chair, "truong-khoi", codes, sample_cells(live, "truong-khoi"))
    first = [["x", "x", "", ""]] * 5 + [["x", "", "x", ""]] * 3 + [["", "", "x", "x"]] + \
        [["", "", "", "x"]]
    vote(live, chair, "pho-truong-khoi", codes, first)
    return folder, live, chair, codes


def test_revote_then_documents_downloaded(browser, make_server, artifacts, meeting) -> None:
    folder, live, _, codes = meeting
    candidates = live.box.spec("pho-truong-khoi").candidates
    before = live.outcome()
    assert before is not None and before.leadership.deputies == candidates[:1]
    server = make_server(folder, pool=2)
    chair = browser.new_context(viewport={"width": 1280, "height": 900},
                                accept_downloads=True).new_page()
    chair.goto(server.base + "chair.ipynb", timeout=TIMEOUT)
    chair.wait_for_selector(".tr-pin-input input", timeout=TIMEOUT)
    assert chair.locator(".tr-start-revote, .tr-documents").count() == 0  # nothing before PIN
    chair.fill(".tr-pin-input input", PIN)
    chair.click(".tr-pin-enter")
    election = chair.wait_for_selector(
        ".tr-election[data-round='pho-truong-khoi'][data-unfilled='1']", timeout=TIMEOUT)
    text = election.inner_text()
    assert "8/10 = 80,00%" in text and "5/10 = 50,00%" in text
    assert "Ngưỡng trúng cử: trên 50,00% số phiếu hợp lệ" in text
    assert "Chưa bầu được 01 Phó Trưởng khối" in chair.inner_text(".tr-chair-elections")
    button = chair.locator(".tr-start-revote")
    assert button.inner_text() == "Bầu lại Phó Trưởng khối (1 chỗ)"
    assert button.evaluate("b => b.scrollWidth <= b.clientWidth")  # not cut
    shot(chair, artifacts, "01-unfilled-seat")

    button.click()
    click_and_confirm(chair, f"tr-open-{REVOTE}", REVOTE, "open")
    spec = live.box.spec(REVOTE)
    assert spec.candidates == candidates[1:] and spec.ballot_rules.max_choices == 1
    # one delegate votes on a phone; the nine others through the box (what the page sends)
    phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    phone.goto(server.base + "delegate.ipynb", timeout=TIMEOUT)
    phone.wait_for_selector(".tr-code-input input", timeout=TIMEOUT)
    phone.fill(".tr-code-input input", codes[0])
    phone.click(".tr-code-enter")
    phone.wait_for_selector(".tr-round-title:has-text('Bầu lại Phó Trưởng khối')",
                            timeout=TIMEOUT)
    phone.click(f".tr-unit-{live.meeting.member(candidates[1]).id}")
    phone.click(".tr-submit")
    phone.click(".tr-confirm")
    phone.wait_for_selector(".tr-receipt-code", timeout=TIMEOUT)
    receipt = phone.inner_text(".tr-receipt-code").strip()
    phone.screenshot(path=str(artifacts / "chair-02-phone-revote-receipt.png"))
    for code, row in zip(codes[1:], [["x", "", ""]] * 5 + [["", "x", ""]] * 4, strict=True):
        live.box.cast(REVOTE, code, row)
    shot(chair, artifacts, "02-revote-open")
    click_and_confirm(chair, f"tr-close-{REVOTE}", REVOTE, "closed")
    click_and_confirm(chair, f"tr-reveal-{REVOTE}", REVOTE, "revealed")
    chair.wait_for_selector(f".tr-election[data-round='{REVOTE}'][data-unfilled='0']",
                            timeout=TIMEOUT)
    assert chair.locator(".tr-start-revote").count() == 0
    after = live.outcome()
    assert after is not None and after.leadership.deputies == candidates[:2]
    shot(chair, artifacts, "03-revote-revealed")

    chair.click(".tr-accept")
    chair.click(".tr-chair-confirm")
    chair.wait_for_selector(".tr-documents a[data-file='ket-qua.xlsx']", timeout=TIMEOUT)
    shot(chair, artifacts, "04-documents", ".tr-documents")
    written = folder / "ket-qua"
    assert sorted(p.name for p in written.iterdir()) == sorted(DOCUMENTS)
    for name in DOCUMENTS:
        with chair.expect_download(timeout=TIMEOUT) as download:
            chair.click(f".tr-documents a[data-file='{name}']")
        assert download.value.suggested_filename == name
        data = Path(download.value.path()).read_bytes()
        assert data == (written / name).read_bytes()
        if name.endswith(".pdf"):
            from pypdf import PdfReader

            pages = PdfReader(io.BytesIO(data)).pages
            assert data.startswith(b"%PDF-") and len(pages) >= 1
            assert len(pages[0].extract_text().strip()) > 100
        else:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
            assert ("word/document.xml" if name.endswith(".docx") else "xl/workbook.xml") \
                in names
    from docx import Document

    minutes = Document(str(written / "bien-ban-kiem-phieu.docx"))
    body = "\n".join(p.text for p in minutes.paragraphs) + "\n".join(
        c.text for t in minutes.tables for r in t.rows for c in r.cells)
    assert spec.title in body and candidates[1] in body and receipt in body
    # the room's network cannot fetch the documents from the server
    for path in ("files/ket-qua/bien-ban-kiem-phieu.pdf", "files/../ket-qua/ket-qua.xlsx",
                 "static/../../ket-qua/ket-qua.xlsx"):
        url = server.base.replace("/voila/render/", "/voila/") + path
        with pytest.raises(urllib.error.HTTPError, match=r"HTTP Error 40[34]"):
            urllib.request.urlopen(url, timeout=10)
