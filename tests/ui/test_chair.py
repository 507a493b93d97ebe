"""The chair's page without a browser: elections with "Bầu lại" for an unfilled seat, and the
documents offered as download links after acceptance (written through write_documents into
MEETING/ket-qua/)."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Iterator

import ipywidgets as w
import pytest
from meeting_fixtures import (
    CLERK_PIN,
    DEPUTIES_OVER_HALF,
    DEPUTIES_ROUND_1,
    HEAD,
    MEMBERS,
    PIN,
    RANKED,
)

from thidua_rank.live.ballot_box import Actor, BallotBoxError
from thidua_rank.live.session import LiveMeeting
from thidua_rank.ui.chair import ChairPage, results_folder


def walk(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def find(page: ChairPage, css: str) -> list[w.Widget]:
    return [x for x in walk(page.root) if css in getattr(x, "_dom_classes", ())]


def text(widget: w.Widget) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", x.value) for x in walk(widget)
                    if isinstance(x, w.HTML))


def vote(live: LiveMeeting, chair: Actor, round_id: str, codes: list[str], rows: list) -> None:
    live.box.set_state(round_id, "open", actor=chair)
    for code, row in zip(codes, rows, strict=True):
        live.box.cast(round_id, code, row)
    live.box.set_state(round_id, "closed", actor=chair, confirm=True)
    live.box.set_state(round_id, "revealed", actor=chair)


@pytest.fixture
def meeting(make_meeting) -> tuple[LiveMeeting, Actor, list[str]]:
    live = LiveMeeting(make_meeting(HEAD.replace("[tie_break]", DEPUTIES_OVER_HALF + "[tie_break]"),
                                    members=MEMBERS))
    op = live.box.operator()
    live.box.set_pin("chair", PIN, actor=op)
    live.box.set_pin("clerk", CLERK_PIN, actor=op)
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    chair = live.box.unlock("chair", PIN)
    vote(live, chair, "xep-hang", codes, RANKED)
    vote(live, chair, "pho", codes, DEPUTIES_ROUND_1)
    return live, chair, codes


def unlocked(live: LiveMeeting) -> ChairPage:
    page = ChairPage(live)
    assert not find(page, "tr-start-revote") and not find(page, "tr-documents")
    page.pin.value = PIN
    page.pin_button.click()
    assert page.actor is not None, page.status.value
    return page


def test_elections_show_votes_share_threshold_and_the_unfilled_seat(meeting) -> None:
    live, chair, codes = meeting
    page = unlocked(live)
    shown = text(page.elections_box)
    rows = {m.group(1): m.group(0) for m in
            re.finditer(r"<tr class='tr-(?:not-)?elected' data-unit='([^']+)'>.*?</tr>",
                        page.elections_box.children[1].value)}
    assert "<td>8</td><td>8/10 = 80,00%</td><td>Đạt</td><td>Trúng cử</td>" in rows["Đơn vị A"]
    assert "<td>5/10 = 50,00%</td><td>Không đạt</td><td>Không trúng cử</td>" in \
        rows["Đơn vị B"]
    assert "Ngưỡng trúng cử: trên 50,00% số phiếu hợp lệ" in shown
    assert "Tỷ lệ trên số phiếu hợp lệ" in shown
    assert "Chưa bầu được 01 Phó Trưởng khối" in shown
    (button,) = find(page, "tr-start-revote")
    assert button.description == "Bầu lại Phó Trưởng khối (1 chỗ)"
    page.lang_toggle.value = "en"
    assert "Threshold: more than 50.00% of the valid ballots" in text(page.elections_box)
    assert "No one elected to 1 deputy head seat(s)" in text(page.elections_box)
    (button,) = find(page, "tr-start-revote")
    assert button.description == "Re-vote: deputy head (1 seat(s))"
    page.lang_toggle.value = "vi"
    find(page, "tr-start-revote")[0].click()
    assert "Đã tạo vòng “Bầu lại Phó Trưởng khối (01 chỗ) lần 1” với 3 đơn vị" in \
        page.status.value
    assert [s.id for s, _ in live.box.rounds()][-1] == "bau-lai-pho-1"
    assert find(page, "tr-open-bau-lai-pho-1") and not find(page, "tr-start-revote")
    assert "Đang bầu lại: vòng “Bầu lại Phó Trưởng khối (01 chỗ) lần 1”" in \
        text(page.elections_box)
    vote(live, chair, "bau-lai-pho-1", codes, [[1, 0, 0]] * 6 + [[0, 1, 0]] * 4)
    page.refresh()
    shown = text(page.elections_box)
    assert "Chưa bầu được" not in shown and not find(page, "tr-start-revote")
    assert "6/10 = 60,00%" in shown
    assert re.findall(r"data-round='([^']+)'", "".join(
        x.value for x in page.elections_box.children[1:])) == ["pho", "bau-lai-pho-1"]


def test_accepting_writes_every_document_and_offers_it_for_download(meeting) -> None:
    live, chair, codes = meeting
    spec = live.start_revote("pho", actor=chair)
    vote(live, chair, spec.id, codes, [[1, 0, 0]] * 6 + [[0, 1, 0]] * 4)
    page = unlocked(live)
    find(page, "tr-accept")[0].click()
    find(page, "tr-chair-confirm")[0].click()
    folder = results_folder(live.meeting_path)
    assert folder == live.meeting_path / "ket-qua"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{d}.{f}" for d in ("bien-ban-kiem-phieu", "bien-ban-hop", "danh-sach-de-nghi",
                              "to-trinh") for f in ("docx", "pdf")] + ["ket-qua.xlsx"])
    assert str(folder) in page.status.value and "Đã chấp nhận" in page.status.value
    links = dict(re.findall(r"download='([^']+)' href='data:[^;]+;base64,([^']+)'",
                            page.documents.value))
    assert len(links) == 9
    for name, encoded in links.items():
        data = base64.b64decode(encoded)
        assert data == (folder / name).read_bytes()
        if name.endswith(".pdf"):
            assert data.startswith(b"%PDF-")
        else:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
            assert ("word/document.xml" if name.endswith(".docx") else "xl/workbook.xml") \
                in names
    minutes = zipfile.ZipFile(folder / "bien-ban-kiem-phieu.docx").read("word/document.xml")
    assert live.event_head("accepted").encode() in minutes
    assert "Biên bản kiểm phiếu (.pdf)" in page.documents.value
    page.lang_toggle.value = "en"
    assert "Results workbook (.xlsx)" in page.documents.value
    again = unlocked(live)  # the page opened again after acceptance shows the same links
    assert dict(re.findall(r"download='([^']+)' href='data:[^;]+;base64,([^']+)'",
                           again.documents.value)) == links


def test_after_acceptance_the_page_offers_no_change_and_rewrites_documents_only(meeting) -> None:
    live, chair, _ = meeting
    page = unlocked(live)
    assert find(page, "tr-start-revote")  # a deputy seat is still unfilled
    find(page, "tr-accept")[0].click()
    find(page, "tr-chair-confirm")[0].click()
    head = live.event_head("accepted")
    assert head and not find(page, "tr-start-revote") and not find(page, "tr-start-runoff")
    assert "Chưa bầu được" in text(page.elections_box)
    assert "hòm phiếu đã niêm phong" in text(page.elections_box)
    assert find(page, "tr-accept")[0].description.startswith("Ghi lại các văn bản")
    with pytest.raises(BallotBoxError, match="sealed"):  # the box refuses, not only the page
        live.start_revote("pho", actor=chair)
    folder = results_folder(live.meeting_path)
    (folder / "to-trinh.pdf").unlink()
    accepted_events = sum(e["kind"] == "accepted" for e in live.box.events())
    find(page, "tr-accept")[0].click()  # no question: nothing is decided again
    assert (folder / "to-trinh.pdf").is_file()
    assert sum(e["kind"] == "accepted" for e in live.box.events()) == accepted_events == 1
    assert live.event_head("accepted") == head and head in page.status.value
