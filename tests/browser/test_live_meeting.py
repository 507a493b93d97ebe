"""A whole meeting of the sample bloc, driven in headless Chromium the way people use it.

The ballots replayed are the sample meeting's own ranking ballots, so the projector must end on
the reported result: Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh first, Ủy ban Kiểm tra Tỉnh ủy
second, Trường Chính trị tỉnh and Đảng ủy Khối các cơ quan tỉnh joint third.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from live_helpers import CLERK_PIN, PIN, SAMPLE, sample_copy

import thidua_rank as tr
from thidua_rank.live.ballot_box import Actor, BallotBox, BallotBoxError
from thidua_rank.live.setup import prepare

TIMEOUT = 60_000


def sample_rows(name: str) -> tuple[list[str], list[list[str]]]:
    """Header units and rows (cells only) of one of the sample's ballot files."""
    with (SAMPLE / "ballots" / name).open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0][1:], [r[1:] for r in rows[1:]]


def ranking_replay(meeting: tr.Meeting) -> tuple[list[str], list[list[str]]]:
    """The sample's nine ranking ballots: eight for the delegates' phones and one on paper,
    which the clerk enters with a tenth, invalid sheet (ten units present, ten ballots)."""
    header, rows = sample_rows("xep-hang.csv")
    return [meeting.index.name(h) for h in header], rows


def unit_ids(meeting: tr.Meeting, units: list[str]) -> list[str]:
    return [meeting.member(u).id for u in units]


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def open_page(context: Any, url: str, selector: str) -> Any:
    page = context.new_page()
    page.goto(url, wait_until="commit", timeout=TIMEOUT)
    return page, selector


def unlock_chair(browser: Any, base: str) -> Any:
    chair = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    chair.goto(base + "chair.ipynb", timeout=TIMEOUT)
    chair.wait_for_selector(".tr-pin-input input", timeout=TIMEOUT)
    chair.fill(".tr-pin-input input", "0000")
    chair.click(".tr-pin-enter")
    chair.wait_for_selector("text=Mã PIN không đúng", timeout=TIMEOUT)
    chair.fill(".tr-pin-input input", PIN)
    chair.click(".tr-pin-enter")
    chair.wait_for_selector(".tr-round-state", timeout=TIMEOUT)
    return chair


def chair_click(chair: Any, css: str, round_id: str, state: str) -> None:
    chair.click(f".{css}")
    if state in ("closed", "revealed"):  # cannot be undone: the page asks first
        confirm(chair)
    chair.wait_for_selector(f".tr-round-state[data-round='{round_id}'][data-state='{state}']",
                            timeout=TIMEOUT)


def confirm(chair: Any) -> None:
    chair.wait_for_selector(".tr-chair-confirm", timeout=TIMEOUT)
    chair.click(".tr-chair-confirm")


def roles(box: BallotBox) -> tuple[Actor, Actor]:
    """The chair and the clerk, as the test acts for them directly on the ballot box."""
    return box.unlock("chair", PIN), box.unlock("clerk", CLERK_PIN)


def cast_or_paper(box: BallotBox, clerk: Actor, round_id: str, code: str, row: list) -> None:
    """A phone ballot; one the ballot box refuses is handed out and entered on paper."""
    try:
        box.cast(round_id, code, row)
    except BallotBoxError:
        box.hand_out_paper(round_id, code, actor=clerk)
        box.enter_paper(round_id, f"{round_id}-{code}", row, actor=clerk, clerk="Thư ký")


def tap_ballot(page: Any, ids: list[str], cells: list[str]) -> None:
    """Fill a ranked ballot by tapping units in order; equal numbers use 'Đồng hạng'."""
    levels = sorted({int(c) for c in cells if c.strip()})
    for level in levels:
        for k, j in enumerate([j for j, c in enumerate(cells) if c.strip() and
                               int(c) == level]):
            if k:
                page.click(".tr-tie")
            page.click(f".tr-unit-{ids[j]}")


def expected_ranks(cells: list[str]) -> list[int | None]:
    """The places a tapped ballot casts (dense: 1, 2, 2, 3 …; ``None`` = unranked)."""
    levels = sorted({int(c) for c in cells if c.strip()})
    return [levels.index(int(c)) + 1 if c.strip() else None for c in cells]


def test_full_meeting_in_the_browser(browser, make_server, artifacts, tmp_path) -> None:
    folder = sample_copy(tmp_path, all_present=True)
    ready = prepare(folder, pins={"chair": PIN, "clerk": CLERK_PIN})
    live, codes = ready.live, ready.codes
    meeting = live.meeting
    units, rows = ranking_replay(meeting)
    ids = unit_ids(meeting, units)
    server = make_server(folder, pool=4)
    base = server.base

    chair = unlock_chair(browser, base)
    shot(chair, artifacts, "01-chair")
    proj_ctx = browser.new_context(viewport={"width": 1600, "height": 1000})
    projector = proj_ctx.new_page()
    projector.goto(base + "projector.ipynb", timeout=TIMEOUT)
    projector.wait_for_selector(".tr-turnout", timeout=TIMEOUT)
    assert projector.locator(".tr-page.tr-projector").count() == 1  # the large type applies
    chair_click(chair, "tr-open-xep-hang", "xep-hang", "open")
    projector.wait_for_selector(".tr-turnout-count:has-text('0 / 10')", timeout=TIMEOUT)
    shot(projector, artifacts, "02-projector-open")

    # eight delegates, each in their own browser context, working at the same time
    code_list = list(codes.values())
    delegates = []
    for _ in range(8):
        ctx = browser.new_context(viewport={"width": 412, "height": 915})  # a phone
        page = ctx.new_page()
        page.goto(base + "delegate.ipynb", wait_until="commit", timeout=TIMEOUT)
        delegates.append(page)
    for page, code in zip(delegates, code_list, strict=False):
        page.wait_for_selector(".tr-code-input input", timeout=TIMEOUT)
        page.fill(".tr-code-input input", code)
        page.click(".tr-code-enter")
    for page in delegates:
        page.wait_for_selector(".tr-unit-btn", timeout=TIMEOUT)
    shot(delegates[0], artifacts, "03-delegate-ballot")
    for page, cells in zip(delegates, rows, strict=False):
        tap_ballot(page, ids, cells)
        page.click(".tr-submit")
    shot(delegates[0], artifacts, "04-delegate-confirm")
    receipts = []
    for page in delegates:
        page.click(".tr-confirm")
    for page in delegates:
        page.wait_for_selector(".tr-receipt-code", timeout=TIMEOUT)
        receipts.append(page.inner_text(".tr-receipt-code").strip())
    shot(delegates[0], artifacts, "05-delegate-receipt")
    # the first delegate tries again from another phone: refused
    twin = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
    twin.goto(base + f"delegate.ipynb?code={code_list[0]}", timeout=TIMEOUT)  # the QR link
    twin.wait_for_selector(".tr-code-input input", timeout=TIMEOUT)
    twin.wait_for_function(  # prefilled from the link, also when the kernel was preheated
        "code => document.querySelector('.tr-code-input input').value === code",
        arg=code_list[0], timeout=TIMEOUT)
    twin.click(".tr-code-enter")
    twin.wait_for_selector(".tr-status:has-text('đã bỏ phiếu trong vòng này')", timeout=TIMEOUT)
    assert twin.locator(".tr-unit-btn").count() == 0
    shot(twin, artifacts, "06-delegate-refused")
    projector.wait_for_selector(".tr-turnout-count:has-text('8 / 10')", timeout=TIMEOUT)

    # the clerk (own PIN) hands the two units without a phone ballot their paper ballots and
    # enters them: one valid, one declared invalid; a third sheet has no ballot behind it
    clerk = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()
    clerk.goto(base + "clerk.ipynb", timeout=TIMEOUT)
    clerk.wait_for_selector(".tr-pin-input input", timeout=TIMEOUT)
    assert clerk.locator(".tr-paper-save").count() == 0  # nothing before the PIN
    clerk.fill(".tr-pin-input input", CLERK_PIN)
    clerk.click(".tr-pin-enter")
    clerk.wait_for_selector(f".tr-paper-{ids[0]} input", timeout=TIMEOUT)
    clerk.fill(".tr-paper-clerk input", "Nguyễn Thị Lan")
    paper_units = [u for u, c in codes.items() if c in code_list[8:10]]
    for unit in paper_units:
        clerk.select_option(".tr-paper-unit select", label=unit)
        clerk.click(".tr-paper-handout")
        clerk.wait_for_selector(f".tr-paper-result:has-text('{unit}')", timeout=TIMEOUT)
    clerk.wait_for_selector(".tr-paper-totals:has-text('Phiếu giấy đã phát: 2')",
                            timeout=TIMEOUT)
    for unit_id, cell in zip(ids, rows[8], strict=True):
        clerk.fill(f".tr-paper-{unit_id} input", cell)
    clerk.click(".tr-paper-save")
    clerk.wait_for_selector(".tr-paper-result:has-text('Đã ghi tờ số 1')", timeout=TIMEOUT)
    assert "hợp lệ" in clerk.inner_text(".tr-paper-result")  # read back as stored
    clerk.fill(".tr-paper-reason input", "phiếu không có dấu của Ban kiểm phiếu")
    clerk.click(".tr-paper-invalid")
    clerk.wait_for_selector(".tr-paper-result:has-text('KHÔNG HỢP LỆ')", timeout=TIMEOUT)
    clerk.wait_for_selector(".tr-paper-totals:has-text('Phiếu giấy đã nhập: 2')",
                            timeout=TIMEOUT)
    clerk.wait_for_selector(".tr-paper-stored[data-sheet='2']", timeout=TIMEOUT)
    clerk.click(".tr-paper-save")  # a third sheet: nobody was handed it
    clerk.wait_for_selector(".tr-status:has-text('phát phiếu giấy cho đơn vị trước')",
                            timeout=TIMEOUT)
    shot(clerk, artifacts, "07-clerk")
    projector.wait_for_selector(".tr-turnout-count:has-text('10 / 10')", timeout=TIMEOUT)
    assert "Trường Chính trị" not in projector.inner_text(".tr-results")  # still hidden
    shot(projector, artifacts, "08-projector-all-voted")

    # close and reveal place by place, from the last place up to the podium
    chair_click(chair, "tr-close-xep-hang", "xep-hang", "closed")
    projector.wait_for_selector("text=Chờ Chủ tọa công bố", timeout=TIMEOUT)
    head = projector.inner_text(".tr-chain-head").split(": ")[-1].strip()
    assert BallotBox(live.box.path).verify(head).ok  # the head the room saw
    chair_click(chair, "tr-reveal-xep-hang", "xep-hang", "revealed")
    projector.wait_for_selector("text=Hợp lệ 9", timeout=TIMEOUT)
    assert projector.locator(".tr-place-row").count() == 0
    for shown in range(1, 4):
        chair.click(".tr-next-place")
        projector.wait_for_function(
            f"document.querySelectorAll('.tr-place-row').length >= {shown}", timeout=TIMEOUT)
    shot(projector, artifacts, "09-projector-reveal-partial")
    assert "Ban Bảo vệ" not in projector.inner_text(".tr-ranking")
    chair.click(".tr-reveal-all")
    projector.wait_for_selector(".tr-podium", timeout=TIMEOUT)  # the first page, then rows
    results = projector.inner_text(".tr-results")
    assert results.count("Đồng hạng ba") >= 2
    assert "Thứ tư" not in results
    shot(projector, artifacts, "10-projector-podium")
    projector.wait_for_selector(".tr-chart img", timeout=TIMEOUT)  # the last page

    # the leadership rounds: opened and revealed from the chair's page, ballots cast with the
    # delegates' codes through the ballot box (the same path the delegate page takes)
    box = BallotBox(live.box.path)
    _, clerk_actor = roles(box)
    for round_id, name in (("truong-khoi", "truong-khoi.csv"),
                           ("pho-truong-khoi", "pho-truong-khoi.csv")):
        chair_click(chair, f"tr-open-{round_id}", round_id, "open")
        header, cells_rows = sample_rows(name)
        spec = box.spec(round_id)
        order = [spec.candidates.index(meeting.index.name(h)) for h in header]
        for code, cells in zip(code_list, cells_rows, strict=False):
            row: list[Any] = [""] * len(order)
            for j, c in zip(order, cells, strict=True):
                row[j] = c
            cast_or_paper(box, clerk_actor, round_id, code, row)
        chair_click(chair, f"tr-close-{round_id}", round_id, "closed")
        chair_click(chair, f"tr-reveal-{round_id}", round_id, "revealed")
    chair.click(".tr-show-outcome")
    confirm(chair)
    projector.wait_for_selector(".tr-chart img", timeout=TIMEOUT)  # the pages turn by
    projector.wait_for_selector(".tr-awards", timeout=TIMEOUT)  # themselves: chart, awards
    projector.wait_for_selector(".tr-leadership", timeout=TIMEOUT)
    awards = {row.get_attribute("data-tier"): row.inner_text()
              for row in projector.locator(".tr-award-row").all()}
    assert "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh" in awards["co-thi-dua-chinh-phu"]
    assert "Ủy ban Kiểm tra Tỉnh ủy" in awards["co-thi-dua-tinh"]
    bang_khen = awards["bang-khen"]
    assert "Trường Chính trị tỉnh" in bang_khen and "Đảng ủy Khối các cơ quan tỉnh" in bang_khen
    assert bang_khen.count("Đồng hạng ba") == 2
    leadership = projector.inner_text(".tr-results")
    assert "Trưởng khối năm 2023: Trường Chính trị tỉnh" in leadership
    shot(projector, artifacts, "11-projector-outcome")
    # English toggle on the projector
    projector.click(".tr-lang >> text=English")
    projector.wait_for_selector("text=Proposed awards", timeout=TIMEOUT)
    shot(projector, artifacts, "12-projector-outcome-en")

    chair.click(".tr-accept")
    confirm(chair)
    chair.wait_for_selector(".tr-documents a[data-file='bien-ban-kiem-phieu.docx']",
                            timeout=TIMEOUT)
    shot(chair, artifacts, "13-chair-accepted")
    projector.wait_for_selector(".tr-chain-head", timeout=TIMEOUT)
    accepted = projector.inner_text(".tr-chain-head").split(": ")[-1].strip()
    report = BallotBox(live.box.path).verify(accepted)
    assert report.ok, report.problems
    assert report.heads[-1] == accepted
    from docx import Document  # the signed minutes list every receipt the phones showed

    minutes = Document(str(live.meeting_path / "ket-qua" / "bien-ban-kiem-phieu.docx"))
    text = "\n".join(par.text for par in minutes.paragraphs)
    assert all(r in text for r in receipts) and accepted in text
    assert set(receipts) <= set(report.receipts["xep-hang"])
    assert len(report.receipts["xep-hang"]) == 10


@pytest.mark.parametrize("kill_at", [5])
def test_kill_restart_and_runoff(browser, make_server, artifacts, tmp_path, kill_at) -> None:
    folder = sample_copy(tmp_path, all_present=True)
    toml = folder / "meeting.toml"
    text = toml.read_text(encoding="utf-8")
    text = text.replace('cutoff_tie = "include"', 'cutoff_tie = "runoff"')
    text = text.replace('chain = ["score", "head_to_head", "joint"]',
                        'chain = ["score", "head_to_head", "runoff", "joint"]')
    toml.write_text(text, encoding="utf-8")
    ready = prepare(folder, pins={"chair": PIN, "clerk": CLERK_PIN})
    live, codes = ready.live, ready.codes
    meeting = live.meeting
    units, rows = ranking_replay(meeting)
    ids = unit_ids(meeting, units)
    code_list = list(codes.values())
    box = BallotBox(live.box.path)
    box.set_state("xep-hang", "open", actor=roles(box)[0])
    server = make_server(folder, pool=3)

    receipts = []
    for i in range(kill_at):
        page = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
        page.goto(server.base + "delegate.ipynb", timeout=TIMEOUT)
        page.wait_for_selector(".tr-code-input input", timeout=TIMEOUT)
        page.fill(".tr-code-input input", code_list[i])
        page.click(".tr-code-enter")
        page.wait_for_selector(".tr-unit-btn", timeout=TIMEOUT)
        tap_ballot(page, ids, rows[i])
        page.click(".tr-submit")
        page.click(".tr-confirm")
        page.wait_for_selector(".tr-receipt-code", timeout=TIMEOUT)
        receipts.append(page.inner_text(".tr-receipt-code").strip())
        page.context.close()
    server.kill()  # a crash in the middle of the round
    stored = {b.receipt for b in BallotBox(live.box.path).ballots("xep-hang")}
    assert set(receipts) <= stored and len(stored) == kill_at
    stored_cells = sorted(repr(b.cells) for b in BallotBox(live.box.path).ballots("xep-hang"))
    assert stored_cells == sorted(repr(tuple(expected_ranks(r))) for r in rows[:kill_at])
    server.start()
    projector = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    projector.goto(server.base + "projector.ipynb", timeout=TIMEOUT)
    projector.wait_for_selector(f".tr-turnout-count:has-text('{kill_at} / 10')",
                                timeout=TIMEOUT)
    shot(projector, artifacts, "20-projector-after-restart")
    # the round resumed: the rest vote (the restart logged every page out: unlock again)
    chair_actor, clerk_actor = roles(box)
    for code, cells in zip(code_list[kill_at:8], rows[kill_at:8], strict=True):
        box.cast("xep-hang", code, cells)
    for code in code_list[8:10]:
        box.hand_out_paper("xep-hang", code, actor=clerk_actor)
    box.enter_paper("xep-hang", "1", rows[8], actor=clerk_actor, clerk="Thư ký")
    box.enter_paper("xep-hang", "2", [""] * len(ids), invalid_reason="phiếu rách",
                    actor=clerk_actor, clerk="Thư ký")
    chair = unlock_chair(browser, server.base)
    chair_click(chair, "tr-close-xep-hang", "xep-hang", "closed")
    chair_click(chair, "tr-reveal-xep-hang", "xep-hang", "revealed")
    for round_id in ("truong-khoi", "pho-truong-khoi"):
        box.set_state(round_id, "open", actor=chair_actor)
        box.cast(round_id, code_list[0], ["1"] + [""] * (len(box.spec(round_id).candidates) - 1)
                 if round_id == "truong-khoi" else [1, 1, 0, 0])
        box.set_state(round_id, "closed", actor=chair_actor, confirm=True)
        box.set_state(round_id, "revealed", actor=chair_actor)
    # the cut-off tie of the Bằng khen tier waits for a run-off
    chair.wait_for_selector(".tr-start-runoff", timeout=TIMEOUT)
    shot(chair, artifacts, "21-chair-runoff-offered")
    chair.click(".tr-start-runoff")
    chair.wait_for_selector(".tr-open-bo-phieu-lai-1", timeout=TIMEOUT)
    chair_click(chair, "tr-open-bo-phieu-lai-1", "bo-phieu-lai-1", "open")
    spec = box.spec("bo-phieu-lai-1")
    assert set(spec.candidates) == {"Trường Chính trị tỉnh", "Đảng ủy Khối các cơ quan tỉnh"}
    first = spec.candidates.index("Trường Chính trị tỉnh")
    page = browser.new_context(viewport={"width": 412, "height": 915}).new_page()
    page.goto(server.base + "delegate.ipynb", timeout=TIMEOUT)
    page.wait_for_selector(".tr-code-input input", timeout=TIMEOUT)
    page.fill(".tr-code-input input", code_list[0])
    page.click(".tr-code-enter")
    try:
        page.wait_for_selector(".tr-round-title:has-text('Bỏ phiếu lại')", timeout=TIMEOUT)
    except Exception:
        shot(page, artifacts, "22-delegate-runoff-failed")
        raise AssertionError(page.inner_text("body")) from None
    page.click(f".tr-unit-{meeting.member('Trường Chính trị tỉnh').id}")
    page.click(f".tr-unit-{meeting.member('Đảng ủy Khối các cơ quan tỉnh').id}")
    shot(page, artifacts, "22-delegate-runoff")
    page.click(".tr-submit")
    page.click(".tr-confirm")
    page.wait_for_selector(".tr-receipt-code", timeout=TIMEOUT)
    for code in code_list[1:7]:
        row = [0, 0]
        row[first], row[1 - first] = 1, 2
        box.cast("bo-phieu-lai-1", code, row)
    for code in code_list[7:10]:
        row = [0, 0]
        row[first], row[1 - first] = 2, 1
        box.cast("bo-phieu-lai-1", code, row)
    chair_click(chair, "tr-close-bo-phieu-lai-1", "bo-phieu-lai-1", "closed")
    chair_click(chair, "tr-reveal-bo-phieu-lai-1", "bo-phieu-lai-1", "revealed")
    chair.click(".tr-show-outcome")
    confirm(chair)
    projector.wait_for_selector(".tr-awards", timeout=TIMEOUT)
    bang_khen = projector.locator(".tr-award-row[data-tier='bang-khen']").inner_text()
    assert "Trường Chính trị tỉnh" in bang_khen
    assert "Đảng ủy Khối các cơ quan tỉnh" not in bang_khen
    shot(projector, artifacts, "23-projector-after-runoff")
    assert BallotBox(live.box.path).verify().ok
