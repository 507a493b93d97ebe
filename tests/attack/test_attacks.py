"""Attacks on a served meeting the way a hostile phone on the room's Wi-Fi would make them: raw
kernel websockets and widget comm messages (clicks on hidden or disabled buttons, values typed
into any box), never a polite browser. Every refused action must change nothing in the ballot
box."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_helpers import CLERK_PIN, PIN, Server, sample_copy
from widget_client import PageClient, open_page

from thidua_rank.live.ballot_box import BallotBox, box_path

pytestmark = pytest.mark.slow

ACTIONS = ("tr-open-", "tr-close-", "tr-reveal-", "tr-focus-", "tr-next-place", "tr-reveal-all",
           "tr-show-outcome", "tr-accept", "tr-start-runoff", "tr-start-revote", "tr-decide",
           "tr-paper-", "tr-chair-confirm")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    folder = sample_copy(tmp_path_factory.mktemp("attack"))
    server = Server(folder, pool=2)
    server.start()
    yield server, folder
    server.stop()


def _box(folder: Path) -> BallotBox:
    return BallotBox(box_path(folder))


def _snapshot(folder: Path) -> tuple:
    box = _box(folder)
    rounds = [(s.id, st) for s, st in box.rounds()]
    turnout = [box.turnout(s.id) for s, _ in box.rounds()]
    kinds = [e["kind"] for e in box.events() if e["kind"] != "pin-failed"]
    return rounds, turnout, kinds, box.meta("focus")


def _codes(folder: Path) -> dict[str, str]:
    slips = (box_path(folder).parent / "ma-bo-phieu.html").read_text(encoding="utf-8")
    found = re.findall(r"<div class='unit'>([^<]+)</div>.*?<div class='code'>([A-Z0-9-]+)",
                       slips, flags=re.S)
    return {html.unescape(unit): code for unit, code in found}


def _unlock(page: PageClient, pin: str) -> None:
    (pin_box,) = page.find("tr-pin-input")
    (enter,) = page.find("tr-pin-enter")
    page.set(pin_box, value=pin)
    page.click(enter)
    page.settle(1.5)


def _status(page: PageClient) -> str:
    return " ".join(str(w.state.get("value", "")) for w in page.find("tr-status"))


def _attack_everything(page: PageClient) -> None:
    """Click every button and type into every box the page has (the PIN box excepted)."""
    for widget in page.widgets():
        if "tr-pin-input" in widget.classes:
            continue
        if widget.name == "ButtonModel":
            page.click(widget)
        elif widget.name in ("TextModel", "PasswordModel", "IntTextModel"):
            page.set(widget, value="1")
    page.settle(1.5)


@pytest.mark.parametrize("kind", ["chair", "clerk"])
def test_nothing_that_changes_the_box_exists_before_the_pin(served, kind: str) -> None:
    server, folder = served
    before = _snapshot(folder)
    with open_page(server.port, kind) as page:
        classes = {c for w in page.widgets() for c in w.classes}
        assert {"tr-pin-input", "tr-pin-enter"} <= classes
        assert not [c for c in classes if c.startswith(ACTIONS)], sorted(classes)
        _attack_everything(page)
        assert not [c for w in page.widgets() for c in w.classes if c.startswith(ACTIONS)]
    assert _snapshot(folder) == before


def test_a_chair_wrong_pin_then_a_clerk_cannot_act_as_chair(served) -> None:
    server, folder = served
    before = _snapshot(folder)
    with open_page(server.port, "chair") as page:
        _unlock(page, CLERK_PIN)  # the clerk's PIN does not open the chair's page
        assert "Wrong PIN" in _status(page) or "Mã PIN không đúng" in _status(page)
        assert not page.find("tr-open-")
    assert _snapshot(folder) == before


def test_stuffing_through_the_clerk_and_the_phones_is_refused(served) -> None:
    server, folder = served
    codes = _codes(folder)
    assert len(codes) == 10
    with open_page(server.port, "chair") as chair, open_page(server.port, "clerk") as clerk:
        _unlock(chair, PIN)
        (open_button,) = chair.find("tr-open-xep-hang")
        chair.click(open_button)
        chair.settle(1.5)
        assert _box(folder).state("xep-hang") == "open"
        _unlock(clerk, CLERK_PIN)
        (name,) = clerk.find("tr-paper-clerk")
        clerk.set(name, value="Thư ký A")
        clerk.settle()
        # a paper ballot without a hand-out is refused
        (save,) = clerk.find("tr-paper-save")
        for w in clerk.find("tr-paper-cell"):
            clerk.set(w, value="")
        clerk.click(save)
        clerk.settle(1.5)
        assert _box(folder).turnout("xep-hang").returned == 0
        assert "hand a unit its paper ballot first" in _status(clerk) or \
            "phát phiếu giấy cho đơn vị" in _status(clerk)
        # one unit gets a paper ballot: its phone can no longer vote
        (unit,) = clerk.find("tr-paper-unit")
        first = next(iter(codes))
        clerk.set(unit, index=unit.state["_options_labels"].index(first))
        (hand,) = clerk.find("tr-paper-handout")
        clerk.click(hand)
        clerk.settle(1.5)
        assert _box(folder).turnout("xep-hang").paper_out == 1
    box = _box(folder)
    from thidua_rank.live.ballot_box import BallotBoxError

    with pytest.raises(BallotBoxError, match="handed a paper ballot"):
        box.cast("xep-hang", codes[first], list(range(1, 11)))
    for code in list(codes.values())[1:]:
        box.cast("xep-hang", code, list(range(1, 11)))
    turnout = box.turnout("xep-hang")
    assert turnout.returned + turnout.paper_pending <= turnout.issued == 10


def test_a_scripted_phone_cannot_send_what_the_page_would_refuse(served) -> None:
    server, folder = served
    box = _box(folder)
    codes = _codes(folder)
    spec = next(s for s, st in box.rounds() if s.id == "truong-khoi")
    assert spec.kind == "ranked"
    with open_page(server.port, "chair") as chair:
        _unlock(chair, PIN)
        (open_button,) = chair.find("tr-open-truong-khoi")
        chair.click(open_button)
        chair.settle(1.5)
    code = next(iter(codes.values()))
    with open_page(server.port, "delegate") as phone:
        (code_box,) = phone.find("tr-code-input")
        phone.set(code_box, value=code)
        (enter,) = phone.find("tr-code-enter")
        phone.click(enter)
        phone.settle(2)
        # nothing ranked: the page disables "Gửi phiếu"; a script clicks it anyway
        for cls in ("tr-submit", "tr-confirm"):
            for w in phone.find(cls):
                phone.click(w)
            phone.settle(1.5)
        receipts = [w.state.get("value", "") for w in phone.find("tr-receipt-code")]
        assert not any(receipts), receipts
        assert "not valid" in _status(phone) or "chưa hợp lệ" in _status(phone)
    assert _box(folder).turnout("truong-khoi").returned == 0


def test_pin_guessing_is_throttled(served) -> None:
    server, folder = served
    with open_page(server.port, "chair") as page:
        for guess in ("0000", "0001", "0002", "0003", "0004"):
            _unlock(page, guess)
        _unlock(page, PIN)  # the right PIN, but too late
        assert "try again" in _status(page) or "thử lại sau" in _status(page)
        assert not page.find("tr-open-")
    failures = [e for e in _box(folder).events() if e["kind"] == "pin-failed"]
    assert len([f for f in failures if f["payload"]["role"] == "chair"]) >= 5
    assert _box(folder).pin_lock("chair") > 0


def _reveal(box: BallotBox, round_id: str, rows: list[list[str]]) -> None:
    chair = box.unlock("chair", PIN)
    codes = list(_codes(box.path.parent.parent).values())
    box.set_state(round_id, "open", actor=chair)
    for code, row in zip(codes, rows, strict=False):
        box.cast(round_id, code, row)
    box.set_state(round_id, "closed", actor=chair, confirm=True)
    box.set_state(round_id, "revealed", actor=chair)


def test_the_revote_button_is_the_chairs_alone(tmp_path: Path) -> None:
    """With a deputy seat unfilled, the chair's page has "Bầu lại"; the same click message sent
    over a clerk's or a phone's websocket (a scripted client that learnt the widget's id) and
    the clerk's role at the ballot box change nothing; only the chair's page creates the round."""
    from thidua_rank.live.ballot_box import BallotBoxError
    from thidua_rank.live.session import LiveMeeting

    folder = sample_copy(tmp_path)
    server = Server(folder, pool=1)
    server.start()
    try:
        box = _box(folder)
        n = len(box.spec("xep-hang").candidates)
        _reveal(box, "xep-hang", [[str(i) for i in range(1, n + 1)]] * 10)
        _reveal(box, "truong-khoi", [["1", "2", "3"]] * 10)
        # the first deputy candidate on 8 of 10 ballots, the others at most half: one seat left
        _reveal(box, "pho-truong-khoi", [["x", "x", "", ""]] * 5 + [["x", "", "x", ""]] * 3
                + [["", "", "x", "x"]] * 2)
        before = _snapshot(folder)
        with open_page(server.port, "chair") as chair, open_page(server.port, "clerk") as clerk, \
                open_page(server.port, "delegate") as phone:
            assert not chair.find("tr-start-revote")  # nothing before the PIN
            _unlock(chair, PIN)
            (revote,) = chair.find("tr-start-revote")
            _unlock(clerk, CLERK_PIN)
            assert not clerk.find("tr-start-revote") and not phone.find("tr-start-revote")
            for other in (clerk, phone):
                other.click(revote)
                other.settle(1.5)
            assert _snapshot(folder) == before
            clerk_actor = box.unlock("clerk", CLERK_PIN)
            with pytest.raises(BallotBoxError, match=r"Not allowed: this action needs .*chair"):
                LiveMeeting(folder, register=False).start_revote("pho-truong-khoi",
                                                                 actor=clerk_actor)
            assert _snapshot(folder) == before
            chair.click(revote)
            chair.settle(2)
        rounds = [s.id for s, _ in _box(folder).rounds()]
        assert rounds[-1] == "bau-lai-pho-truong-khoi-1" and len(rounds) == len(before[0]) + 1
    finally:
        server.stop()
