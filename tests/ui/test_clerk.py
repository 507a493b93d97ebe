"""The clerk's page without a browser: sheet numbers per round, a read-back of every saved
sheet, running totals against the ballots issued, and every message in the chosen language
(also the last read-back after the language toggle)."""

from __future__ import annotations

import html
import re

import pytest
from meeting_fixtures import CLERK_PIN, DEPUTIES, HEAD, MEMBERS, PIN

from thidua_rank.live.session import LiveMeeting
from thidua_rank.ui.clerk import ClerkPage


def plain(value: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value))).strip()


@pytest.fixture
def page(make_meeting) -> ClerkPage:
    live = LiveMeeting(make_meeting(HEAD.replace("[tie_break]", DEPUTIES + "[tie_break]"),
                                    members=MEMBERS))
    op = live.box.operator()
    live.box.set_pin("chair", PIN, actor=op)
    live.box.set_pin("clerk", CLERK_PIN, actor=op)
    live.box.issue_codes(live.meeting.present, actor=op)
    chair = live.box.unlock("chair", PIN)
    for rid in ("xep-hang", "pho"):
        live.box.set_state(rid, "open", actor=chair)
    clerk = ClerkPage(live)
    clerk.pin.value = CLERK_PIN
    clerk.pin_button.click()
    assert clerk.actor is not None, clerk.status.value
    clerk.clerk_name.value = "Lan"
    return clerk


def enter(page: ClerkPage, unit: str, cells: list[str], reason: str = "") -> None:
    page.unit_select.value = unit
    page.hand_button.click()
    for box, value in zip(page.inputs, cells, strict=True):
        box.value = value
    if reason:
        page.reason.value = reason
        page.invalid.click()
    else:
        page.save.click()


def test_sheets_are_numbered_per_round_read_back_and_totalled(page: ClerkPage) -> None:
    assert page.round_select.value == "xep-hang" and page.sheet.value == "1"
    assert plain(page.totals.value) == ("Phát ra: 10 · Bỏ phiếu điện tử: 0 · Phiếu giấy đã "
                                        "phát: 0 · Phiếu giấy đã nhập: 0 · Còn lại: 10")
    enter(page, "Đơn vị C", [str(i) for i in range(1, 11)])
    assert plain(page.result.value) == \
        "Đã ghi tờ số 1 (Lan): 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 — hợp lệ"
    assert "tr-msg-ok" in page.result.value and page.sheet.value == "2"
    enter(page, "Đơn vị D", ["12", "", "", "", "", "", "", "", "", ""])
    assert plain(page.result.value) == (
        "Đã ghi tờ số 2 (Lan): 12 | · | · | · | · | · | · | · | · | · — KHÔNG HỢP LỆ: ô "
        "'Đơn vị A' ghi '12', cần thứ hạng từ 1 đến 10 hoặc để trống")
    assert "tr-msg-error" in page.result.value
    assert plain(page.totals.value) == ("Phát ra: 10 · Bỏ phiếu điện tử: 0 · Phiếu giấy đã "
                                        "phát: 2 · Phiếu giấy đã nhập: 2 · Còn lại: 8")
    assert re.findall(r"data-sheet='(\d+)'", page.sheets.value) == ["1", "2"]
    page.round_select.value = "pho"  # a new round starts again at sheet 1
    assert page.sheet.value == "1" and page.sheets.value == ""
    enter(page, "Đơn vị C", ["1", "", "", ""], reason="Tẩy xóa")
    assert plain(page.result.value) == \
        "Đã ghi tờ số 1 (Lan): 1 | · | · | · — KHÔNG HỢP LỆ: Tẩy xóa"
    assert page.sheet.value == "2"
    assert "Phiếu giấy đã nhập: 1 · Còn lại: 9" in plain(page.totals.value)
    page.round_select.value = "xep-hang"
    assert page.sheet.value == "3"


def test_the_last_message_follows_the_language(page: ClerkPage) -> None:
    enter(page, "Đơn vị C", [str(i) for i in range(1, 11)])
    page.lang_toggle.value = "en"
    assert plain(page.result.value) == \
        "Sheet 1 saved (Lan): 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 — valid"
    assert plain(page.help.value).startswith("Type the place (1 = best)")
    assert plain(page.totals.value).startswith("Issued: 10 · Electronic: 0")
    assert page.save.description == "Save ballot"
    enter(page, "Đơn vị D", ["12", "", "", "", "", "", "", "", "", ""])
    assert plain(page.result.value).endswith(
        "— INVALID: cell 'Đơn vị A' holds '12', expected a rank from 1 to 10 or blank")
    page.lang_toggle.value = "vi"
    assert plain(page.result.value).endswith(
        "— KHÔNG HỢP LỆ: ô 'Đơn vị A' ghi '12', cần thứ hạng từ 1 đến 10 hoặc để trống")
    page.lang_toggle.value = "en"
    page.clerk_name.value = ""
    page.save.click()
    assert plain(page.result.value) == "Enter the clerk's name."
    page.lang_toggle.value = "vi"
    assert plain(page.result.value) == "Ghi tên người nhập phiếu."
    page.clerk_name.value = "Lan"
    page.fix_select.value = "1"
    page.fix_button.click()
    page.lang_toggle.value = "en"
    assert plain(page.result.value) == ("Sheet 1 was taken back for correction: enter it again "
                                        "and save.")
    assert [b.value for b in page.inputs] == [str(i) for i in range(1, 11)]
