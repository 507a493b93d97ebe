"""The ballot box: one vote per code, secrecy, receipts, the hash chain, paper entry, crash
safety, and the live meeting counted exactly like the same ballots in a file."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import time
from dataclasses import replace
from pathlib import Path

import pytest
from meeting_fixtures import HEAD, MEMBERS, RANKED, TIERS, UNITS

import thidua_rank as tr
from thidua_rank.live.ballot_box import Actor, BallotBox, BallotBoxError, RoundSpec, Turnout
from thidua_rank.live.session import LiveMeeting, check_ballot

RUNOFF_HEAD = HEAD.replace('chain = ["head_to_head", "joint"]',
                           'chain = ["head_to_head", "runoff", "joint"]')
SPEC = RoundSpec("r1", "Xếp hạng", "ranking", "ranked", ("A", "B", "C"))


PIN = "2468"
CLERK_PIN = "1357"


def _roles(box: BallotBox) -> tuple[Actor, Actor, Actor]:
    op = box.operator()
    box.set_pin("chair", PIN, actor=op)
    box.set_pin("clerk", CLERK_PIN, actor=op)
    return op, box.unlock("chair", PIN), box.unlock("clerk", CLERK_PIN)


@pytest.fixture
def box(tmp_path: Path) -> BallotBox:
    b = BallotBox(tmp_path / "box.sqlite")
    b.add_round(SPEC, actor=b.operator())
    return b


@pytest.fixture
def op(box: BallotBox) -> Actor:
    return _roles(box)[0]


@pytest.fixture
def chair(box: BallotBox, op: Actor) -> Actor:
    return box.unlock("chair", PIN)


@pytest.fixture
def clerk(box: BallotBox, op: Actor) -> Actor:
    return box.unlock("clerk", CLERK_PIN)


def test_one_ballot_per_code_per_round(box: BallotBox, op: Actor, chair: Actor) -> None:
    codes = box.issue_codes(["A", "B", "C"], actor=op)
    with pytest.raises(BallotBoxError, match="not open"):
        box.cast("r1", codes["A"], [1, 2, 3])
    box.set_state("r1", "open", actor=chair)
    receipt = box.cast("r1", codes["A"].lower().replace("-", " "), [1, 2, 3])
    assert len(receipt) == 10
    with pytest.raises(BallotBoxError, match="already voted"):
        box.cast("r1", codes["A"], [3, 2, 1])
    with pytest.raises(BallotBoxError, match="Unknown voting code"):
        box.cast("r1", "AAAA-AAAA", [1, 2, 3])
    assert box.turnout("r1").voted == 1
    assert len(box.ballots("r1")) == 1


def test_stored_ballots_hold_no_code_unit_or_time(box: BallotBox, op: Actor,
                                                  chair: Actor) -> None:
    codes = box.issue_codes(["A", "B", "C"], actor=op)
    box.set_state("r1", "open", actor=chair)
    for unit in ("A", "B", "C"):
        box.cast("r1", codes[unit], [1, 2, 3])
    db = sqlite3.connect(box.path)
    columns = [r[1] for r in db.execute("PRAGMA table_info(ballots)")]
    assert columns == ["id", "round", "source", "cells", "invalid_reason", "receipt", "sheet",
                       "clerk"]
    dump = "\n".join(db.iterdump())
    for code in codes.values():
        assert code not in dump and code.replace("-", "") not in dump
    # the ballot table is keyed by random ids, so its order is not the order of casting
    ids = [r[0] for r in db.execute("SELECT id FROM ballots")]
    assert ids == sorted(ids)


def test_state_machine_only_moves_forward(box: BallotBox, chair: Actor) -> None:
    with pytest.raises(BallotBoxError, match="cannot become 'closed'"):
        box.set_state("r1", "closed", actor=chair)
    box.set_state("r1", "open", actor=chair)
    box.set_state("r1", "closed", actor=chair, confirm=True)
    box.set_state("r1", "revealed", actor=chair)
    with pytest.raises(BallotBoxError, match="cannot become 'open'"):
        box.set_state("r1", "open", actor=chair)
    assert box.advance_reveal("r1", actor=chair) == 1


def test_verify_detects_edits_insertions_and_deletions(box: BallotBox, op: Actor,
                                                       chair: Actor) -> None:
    codes = box.issue_codes(["A", "B", "C"], actor=op)
    box.set_state("r1", "open", actor=chair)
    receipts = [box.cast("r1", codes[u], [1, 2, 3]) for u in "AB"]
    box.set_state("r1", "closed", actor=chair, confirm=True)
    report = box.verify()
    assert report.ok and sorted(report.receipts["r1"]) == sorted(receipts)
    db = sqlite3.connect(box.path)
    db.execute("UPDATE ballots SET cells='[3, 2, 1]' WHERE receipt=?", (receipts[0],))
    db.commit()
    problems = box.verify().problems
    assert any(receipts[0] in p for p in problems)
    assert any("changed after the round was closed" in p for p in problems)
    db.execute("UPDATE events SET payload='{}' WHERE kind='open'")
    db.commit()
    assert any("event chain broken" in p for p in box.verify().problems)


def test_paper_ballots_single_and_double_entry(box: BallotBox, op: Actor, chair: Actor,
                                               clerk: Actor) -> None:
    box.issue_codes(["A", "B", "C"], actor=op)
    box.set_state("r1", "open", actor=chair)
    for unit in "ABC":
        box.hand_out_paper("r1", unit, actor=clerk)
    assert box.enter_paper("r1", "1", [1, 2, 3], actor=clerk, clerk="X").status == "counted"
    with pytest.raises(BallotBoxError, match="already entered"):
        box.enter_paper("r1", "1", [1, 2, 3], actor=clerk, clerk="X")
    assert box.enter_paper("r1", "2", [2, 1, 3], actor=clerk, clerk="X",
                           double_entry=True).status == "waiting"
    mismatch = box.enter_paper("r1", "2", [2, 3, 1], actor=clerk, clerk="Y", double_entry=True)
    assert mismatch.status == "mismatch" and mismatch.other == (2, 1, 3)
    assert box.mismatches("r1") == ["2"]
    with pytest.raises(BallotBoxError, match="do not match"):
        box.set_state("r1", "closed", actor=chair)
    again = box.enter_paper("r1", "2", [2, 1, 3], actor=clerk, clerk="Y", double_entry=True)
    assert again.status == "counted" and box.mismatches("r1") == []
    box.enter_paper("r1", "3", ["", "", ""], actor=clerk, clerk="X",
                    invalid_reason="không có dấu")
    assert box.turnout("r1") == Turnout(voted=0, issued=3, paper=3, paper_out=3)
    assert [(b.sheet, b.clerk) for b in box.paper_sheets("r1")] == [
        ("1", "X"), ("2", "X + Y"), ("3", "X")]
    box.set_state("r1", "closed", actor=chair)
    assert box.verify().ok


def test_pin(box: BallotBox) -> None:
    op = box.operator()
    with pytest.raises(BallotBoxError, match="No PIN is set"):
        box.unlock("chair", "1234")
    box.set_pin("chair", "1234", actor=op)
    assert box.unlock("chair", " 1234").role == "chair"
    with pytest.raises(BallotBoxError, match="Wrong PIN"):
        box.unlock("chair", "4321")
    with pytest.raises(BallotBoxError, match="4 characters"):
        box.set_pin("chair", "12", actor=op)


def test_codes_cannot_be_reissued_after_voting(box: BallotBox, op: Actor, chair: Actor) -> None:
    codes = box.issue_codes(["A", "B"], actor=op)
    with pytest.raises(BallotBoxError, match="--replace"):
        box.issue_codes(["A", "B"], actor=op)
    box.set_state("r1", "open", actor=chair)
    box.cast("r1", codes["A"], [1, 2, 3])
    with pytest.raises(BallotBoxError, match="voting has started"):
        box.issue_codes(["A", "B"], actor=op, replace=True)


def _cast_forever(path: str, codes: list[str], acked: str) -> None:
    box = BallotBox(path)
    for code in codes:
        receipt = box.cast("r1", code, [1, 2, 3])
        with open(acked, "a", encoding="utf-8") as fh:  # the voter has seen the receipt
            fh.write(receipt + "\n")
            fh.flush()
            os.fsync(fh.fileno())


def test_acknowledged_ballots_survive_a_kill(tmp_path: Path) -> None:
    path = tmp_path / "box.sqlite"
    box = BallotBox(path)
    op, chair, _ = _roles(box)
    box.add_round(replace(SPEC, issued=400), actor=op)
    codes = box.issue_codes([f"U{i}" for i in range(400)], actor=op)
    box.set_state("r1", "open", actor=chair)
    acked = tmp_path / "acked.txt"
    proc = multiprocessing.get_context("spawn").Process(
        target=_cast_forever, args=(str(path), list(codes.values()), str(acked)))
    proc.start()
    deadline = time.time() + 30
    while time.time() < deadline and (not acked.exists() or
                                      len(acked.read_text().split()) < 20):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    receipts = set(acked.read_text().split())
    assert len(receipts) >= 20
    stored = {b.receipt for b in BallotBox(path).ballots("r1")}
    assert receipts <= stored


def _live(make_meeting, toml: str, members=MEMBERS) -> tuple[LiveMeeting, Actor, Actor]:
    folder = make_meeting(toml, members=members)
    live = LiveMeeting(folder)
    op, chair, _ = _roles(live.box)
    return live, op, chair


def _vote(live: LiveMeeting, chair: Actor, round_id: str, codes: list[str], rows: list) -> None:
    """Open a round, cast one row per code, close and reveal it."""
    live.box.set_state(round_id, "open", actor=chair)
    for code, row in zip(codes, rows, strict=True):
        live.box.cast(round_id, code, row)
    live.box.set_state(round_id, "closed", actor=chair)
    live.box.set_state(round_id, "revealed", actor=chair)


def test_live_meeting_counts_like_the_ballots_file(make_meeting) -> None:
    toml = HEAD + TIERS.format(bk_quota="20% remaining", cutoff="include")
    live, op, chair = _live(make_meeting, toml)
    from_file = tr.run_meeting(tr.load_meeting(make_meeting(
        toml, members=MEMBERS, ballots={"xep-hang.csv": (UNITS, RANKED)})))
    codes = live.box.issue_codes(live.meeting.present, actor=op)
    assert live.outcome() is None and live.missing_rounds() == ["Xếp hạng"]
    live.box.set_state("xep-hang", "open", actor=chair)
    for code, row in zip(codes.values(), RANKED, strict=True):
        assert check_ballot(live.rules(live.box.spec("xep-hang")), UNITS, row) is None
        live.box.cast("xep-hang", code, row)
    assert live.view("xep-hang").result is None  # hidden until revealed
    live.box.set_state("xep-hang", "closed", actor=chair)
    live.box.set_state("xep-hang", "revealed", actor=chair)
    outcome = live.outcome()
    assert outcome is not None
    assert outcome.to_dict()["awards"] == from_file.to_dict()["awards"]
    assert outcome.to_dict()["ranking"] == from_file.to_dict()["ranking"]


def test_live_runoff_settles_a_cutoff_tie(make_meeting) -> None:
    live, op, chair = _live(make_meeting, RUNOFF_HEAD + TIERS.format(bk_quota="1",
                                                                    cutoff="runoff"))
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    _vote(live, chair, "xep-hang", codes, RANKED)
    first = live.outcome()
    assert first is not None and first.awards[2].pending == ("Đơn vị C", "Đơn vị D")
    spec = live.start_runoff(first.awards[2].pending, tier="bang-khen", actor=chair)
    assert spec.candidates == ("Đơn vị C", "Đơn vị D")
    _vote(live, chair, spec.id, codes, [[2, 1]] * 6 + [[1, 2]] * 4)
    settled = live.outcome()
    assert settled is not None
    assert [u.unit for u in settled.awards[2].units] == ["Đơn vị D"]
    assert any(t["rule"] == "runoff" for t in settled.to_dict()["tie_breaks"])


def test_chair_decision_settles_a_tie(make_meeting) -> None:
    live, op, chair = _live(make_meeting, HEAD + TIERS.format(bk_quota="1", cutoff="runoff"))
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    _vote(live, chair, "xep-hang", codes, RANKED)
    live.box.record_decision(["Đơn vị C", "Đơn vị D"], ["Đơn vị C", "Đơn vị D"], "biểu quyết",
                             actor=chair)
    outcome = live.outcome()
    assert outcome is not None
    assert [u.unit for u in outcome.awards[2].units] == ["Đơn vị C"]
    assert json.dumps(outcome.to_dict(), ensure_ascii=False).count("chair") >= 1


def test_accept_waits_for_open_rounds_and_cutoff_ties(make_meeting) -> None:
    live, op, chair = _live(make_meeting, HEAD + TIERS.format(bk_quota="1", cutoff="runoff"))
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    assert any("Not revealed yet" in en for _, en in live.accept_blockers())
    live.box.set_state("xep-hang", "open", actor=chair)
    assert any("is open" in en for _, en in live.accept_blockers())
    with pytest.raises(BallotBoxError, match="Rounds still open: xep-hang"):
        live.box.record_accepted({}, actor=chair)
    for code, row in zip(codes, RANKED, strict=True):
        live.box.cast("xep-hang", code, row)
    live.box.set_state("xep-hang", "closed", actor=chair)
    live.box.set_state("xep-hang", "revealed", actor=chair)
    (reason,) = live.accept_blockers()
    assert "Đơn vị C, Đơn vị D" in reason[1] and "not settled" in reason[1]
    live.box.record_decision(["Đơn vị C", "Đơn vị D"], ["Đơn vị D", "Đơn vị C"], actor=chair)
    assert live.accept_blockers() == []
    head = live.box.record_accepted(live.outcome().to_dict(), actor=chair)
    assert live.box.verify(head).ok and head in live.box.verify().heads


def test_acceptance_seals_the_box(make_meeting) -> None:
    """After acceptance nothing that changes the count goes through the box, and an event
    slipped in behind the box's back fails ``verify`` (the PIN may still change)."""
    live, op, chair = _live(make_meeting, HEAD + TIERS.format(bk_quota="1", cutoff="runoff"))
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    _vote(live, chair, "xep-hang", codes, RANKED)
    live.box.record_decision(["Đơn vị C", "Đơn vị D"], ["Đơn vị D", "Đơn vị C"], actor=chair)
    head = live.box.record_accepted(live.outcome().to_dict(), actor=chair)
    sealed = "the ballot box is sealed"
    attempts = [
        lambda: live.box.record_decision(["Đơn vị C", "Đơn vị D"], ["Đơn vị C", "Đơn vị D"],
                                         actor=chair),
        lambda: live.box.record_accepted({}, actor=chair),
        lambda: live.start_runoff(["Đơn vị C", "Đơn vị D"], tier="bang-khen", actor=chair),
        lambda: live.box.set_quorum(1, 99, actor=op),
    ]
    for attempt in attempts:
        with pytest.raises(BallotBoxError, match=sealed):
            attempt()
    live.box.set_pin("chair", "864213", actor=op)  # a new PIN is not a change of the count
    report = live.box.verify(head)
    assert report.ok, report.problems
    assert [e["kind"] for e in live.box.events()][-2:] == ["accepted", "pin-set"]

    from thidua_rank.live.records import append_event

    db = sqlite3.connect(live.box.path, isolation_level=None)
    append_event(db, None, "chair-decision", {"units": ["Đơn vị C", "Đơn vị D"],
                                              "order": ["Đơn vị C", "Đơn vị D"], "note": ""})
    db.close()
    problems = live.box.verify(head).problems
    assert any("after the chair accepted the result" in p for p in problems), problems
