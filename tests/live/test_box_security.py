"""What a counting committee checks, enforced by the ballot box itself: roles, PIN throttling,
returned ≤ issued, one vote per unit per round (phone or paper), server-side ballot rules,
tamper evidence (with and without a printed chain head) and secrecy of the file at rest."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import stat
import time
from pathlib import Path

import pytest

import thidua_rank.live.ballot_box as bb
from thidua_rank.engine.ballots import BallotRules
from thidua_rank.live import records
from thidua_rank.live.ballot_box import Actor, BallotBox, BallotBoxError, RoundSpec

UNITS = tuple(f"Đơn vị {c}" for c in "ABCDEFGHIJKL")
SPEC = RoundSpec("r1", "Xếp hạng", "ranking", "ranked", UNITS)


@pytest.fixture
def setup(tmp_path: Path) -> tuple[BallotBox, Actor, Actor, Actor, dict[str, str]]:
    box = BallotBox(tmp_path / ".thidua" / "box.sqlite")
    op = box.operator()
    box.add_round(SPEC, actor=op)
    box.set_pin("chair", "2468", actor=op)
    box.set_pin("clerk", "1357", actor=op)
    codes = box.issue_codes(UNITS, actor=op)
    return box, op, box.unlock("chair", "2468"), box.unlock("clerk", "1357"), codes


def _ranks(seed: int) -> list[int]:
    order = list(range(1, len(UNITS) + 1))
    k = seed % len(order)
    return order[k:] + order[:k]


def test_every_state_change_needs_the_right_role(setup) -> None:
    box, op, chair, clerk, _ = setup
    forged = Actor("chair", "0" * 48)
    for actor in (None, forged, op, clerk):
        with pytest.raises(BallotBoxError, match="Not allowed"):
            box.set_state("r1", "open", actor=actor)  # type: ignore[arg-type]
    box.set_state("r1", "open", actor=chair)
    for actor in (forged, chair, op):
        with pytest.raises(BallotBoxError, match="Not allowed"):
            box.hand_out_paper("r1", UNITS[0], actor=actor)
        with pytest.raises(BallotBoxError, match="Not allowed"):
            box.enter_paper("r1", "1", _ranks(0), actor=actor, clerk="X")
    for action in (lambda a: box.set_focus("r1", actor=a),
                   lambda a: box.record_decision(UNITS[:2], UNITS[:2], actor=a),
                   lambda a: box.record_accepted({}, actor=a),
                   lambda a: box.issue_codes(UNITS, actor=a, replace=True),
                   lambda a: box.set_pin("chair", "9999", actor=a)):
        with pytest.raises(BallotBoxError, match="Not allowed"):
            action(clerk)
    assert box.state("r1") == "open" and box.turnout("r1").paper_out == 0
    # a new PIN logs the old sessions out
    box.set_pin("chair", "8642", actor=op)
    with pytest.raises(BallotBoxError, match="Not allowed"):
        box.set_state("r1", "closed", actor=chair, confirm=True)


def test_wrong_pins_are_throttled_across_restarts(setup, monkeypatch) -> None:
    box, *_ = setup
    now = [1_000_000.0]
    monkeypatch.setattr(bb.time, "time", lambda: now[0])
    for _ in range(4):
        with pytest.raises(BallotBoxError, match=r"^Mã PIN không đúng\. — Wrong PIN\.$"):
            box.unlock("chair", "0000")
    with pytest.raises(BallotBoxError, match="Locked for 60 s"):
        box.unlock("chair", "0000")
    reopened = BallotBox(box.path)  # another page, or the server restarted
    with pytest.raises(BallotBoxError, match="try again in 60 s"):
        reopened.unlock("chair", "2468")  # even the right PIN waits
    assert reopened.unlock("clerk", "1357").role == "clerk"  # per page kind
    now[0] += 61
    for _ in range(5):
        with pytest.raises(BallotBoxError, match="Wrong PIN"):
            reopened.unlock("chair", "1111")
    with pytest.raises(BallotBoxError, match="try again in 120 s"):
        reopened.unlock("chair", "2468")
    now[0] += 121
    assert reopened.unlock("chair", "2468").role == "chair"
    failures = reopened.pin_failures()
    assert len(failures) == 10 and {f["payload"]["role"] for f in failures} == {"chair"}
    assert [f["payload"].get("locked_seconds") for f in failures if
            "locked_seconds" in f["payload"]] == [60, 120]


def test_returned_never_exceeds_issued(setup) -> None:
    box, op, chair, clerk, codes = setup
    box.add_round(RoundSpec("r2", "Vòng hai", "ranking", "ranked", UNITS, issued=9), actor=op)
    box.set_state("r2", "open", actor=chair)
    for unit in UNITS[:3]:
        assert box.hand_out_paper("r2", unit, actor=clerk) == unit
    for sheet in ("1", "2", "3"):
        box.enter_paper("r2", sheet, _ranks(1), actor=clerk, clerk="X")
    with pytest.raises(BallotBoxError, match="hand a unit its paper ballot first"):
        box.enter_paper("r2", "4", _ranks(1), actor=clerk, clerk="X")  # stuffing
    with pytest.raises(BallotBoxError, match="handed a paper ballot"):
        box.cast("r2", codes[UNITS[0]], _ranks(1))  # paper spent this unit's vote
    with pytest.raises(BallotBoxError, match="already received a paper ballot"):
        box.hand_out_paper("r2", codes[UNITS[1]], actor=clerk)
    for unit in UNITS[3:9]:
        box.cast("r2", codes[unit], _ranks(2))
    with pytest.raises(BallotBoxError, match="All 9 ballots issued are in"):
        box.cast("r2", codes[UNITS[9]], _ranks(2))
    with pytest.raises(BallotBoxError, match="Every ballot issued is handed out"):
        box.hand_out_paper("r2", UNITS[10], actor=clerk)
    turnout = box.turnout("r2")
    assert (turnout.returned, turnout.issued, turnout.paper_out) == (9, 9, 3)


def test_phone_ballots_follow_the_round_rules(setup) -> None:
    box, op, chair, _, codes = setup
    rules = BallotRules(kind="choose", max_choices=2, self_vote="forbid")
    box.add_round(RoundSpec("pho", "Phó Trưởng khối", "deputies", "choose", UNITS[:4],
                            max_choices=2, rules=rules), actor=op)
    box.set_state("pho", "open", actor=chair)
    with pytest.raises(BallotBoxError, match="more than allowed"):
        box.cast("pho", codes[UNITS[5]], [1, 1, 1, 0])  # a page would not send this
    with pytest.raises(BallotBoxError, match="The ballot is not valid"):
        box.cast("pho", codes[UNITS[0]], [1, 0, 0, 0])  # own unit, self votes forbidden
    assert box.turnout("pho").returned == 0  # refused ballots leave no trace
    box.cast("pho", codes[UNITS[0]], [0, 1, 1, 0])
    assert box.turnout("pho").returned == 1


def test_closing_below_quorum_or_with_paper_out_needs_confirmation(setup) -> None:
    box, op, chair, clerk, codes = setup
    box.set_quorum(8, 12, actor=op)
    box.set_state("r1", "open", actor=chair)
    for unit in UNITS[:7]:
        box.cast("r1", codes[unit], _ranks(0))
    box.hand_out_paper("r1", UNITS[7], actor=clerk)
    assert len(box.close_warnings("r1")) == 2
    with pytest.raises(BallotBoxError, match=r"below the minimum of 8.*not entered"):
        box.set_state("r1", "closed", actor=chair)
    box.set_state("r1", "closed", actor=chair, confirm=True)
    closed = next(e for e in box.events() if e["kind"] == "closed")["payload"]
    assert closed["voted"] == 7 and closed["paper_out"] == 1 and len(closed["confirmed"]) == 2


def test_paper_sheets_are_read_back_and_can_be_corrected(setup) -> None:
    box, _, chair, clerk, _ = setup
    box.set_state("r1", "open", actor=chair)
    box.hand_out_paper("r1", UNITS[0], actor=clerk)
    entry = box.enter_paper("r1", "1", _ranks(3), actor=clerk, clerk="Lan")
    assert entry.cells == tuple(_ranks(3)) and entry.status == "counted"
    box.withdraw_paper("r1", "1", actor=clerk, clerk="Lan")
    assert box.paper_sheets("r1") == []
    box.enter_paper("r1", "1", _ranks(4), actor=clerk, clerk="Lan")
    assert box.paper_sheets("r1")[0].cells == tuple(_ranks(4))
    kinds = [e["kind"] for e in box.events()]
    assert kinds.count("paper") == 2 and "paper-withdrawn" in kinds
    box.set_state("r1", "closed", actor=chair, confirm=True)
    with pytest.raises(BallotBoxError, match="not open"):
        box.withdraw_paper("r1", "1", actor=clerk, clerk="Lan")


# -- tamper evidence ----------------------------------------------------------------------------
def _closed_box(setup) -> tuple[BallotBox, Actor, str]:
    box, op, chair, _, codes = setup
    box.add_round(RoundSpec("truong-khoi", "Trưởng khối", "head", "ranked", UNITS[:3]),
                  actor=op)
    box.set_state("r1", "open", actor=chair)
    for i, unit in enumerate(UNITS):
        box.cast("r1", codes[unit], _ranks(i))
    box.set_state("r1", "closed", actor=chair)
    box.set_state("r1", "revealed", actor=chair)
    head = box.chain_head()
    assert box.verify(head).ok
    return box, chair, head


def _sql(box: BallotBox, *statements: str) -> None:
    db = sqlite3.connect(box.path)
    for s in statements:
        db.execute(s)
    db.commit()
    db.close()


def _rechain(box: BallotBox) -> None:
    """The attacker's best effort: recompute receipts, the closed digest and every hash."""
    db = sqlite3.connect(box.path)
    for bid, rnd, cells, reason in db.execute(
            "SELECT id, round, cells, invalid_reason FROM ballots").fetchall():
        receipt = records.ballot_hash(rnd, bid, cells, reason)[:10].upper()
        db.execute("UPDATE ballots SET receipt=? WHERE id=?", (receipt, bid))
    prev = ""
    for seq, rnd, kind, body, at in db.execute(
            "SELECT seq, round, kind, payload, at FROM events ORDER BY seq").fetchall():
        data = json.loads(body)
        if kind == "closed":
            rows = db.execute("SELECT id, cells, invalid_reason FROM ballots WHERE round=?",
                              (rnd,)).fetchall()
            data["digest"] = records.digest(*sorted(records.ballot_hash(rnd, i, c, r)
                                                for i, c, r in rows))
            body = json.dumps(data, ensure_ascii=False, sort_keys=True)
        event_hash = records.digest(prev, str(seq), rnd or "", kind, body, at)
        db.execute("UPDATE events SET payload=?, prev=?, hash=? WHERE seq=?",
                   (body, prev, event_hash, seq))
        prev = event_hash
    db.commit()
    db.close()


@pytest.mark.parametrize("attack", [
    "edit_a_ballot", "insert_a_ballot", "delete_all_events", "cut_the_last_event",
    "reopen_a_revealed_round", "reverse_the_candidates", "drop_a_ballot", "reorder_events"])
def test_verify_catches_tampering(setup, attack: str) -> None:
    box, _, head = _closed_box(setup)
    spec = box.spec("truong-khoi")
    reversed_spec = RoundSpec(**{**spec.__dict__, "candidates": spec.candidates[::-1]})
    statements = {
        "edit_a_ballot": ["UPDATE ballots SET cells='[12,1,2,3,4,5,6,7,8,9,10,11]' "
                          "WHERE id=(SELECT min(id) FROM ballots)"],
        "insert_a_ballot": ["INSERT INTO ballots VALUES ('ff', 'r1', 'delegate', '[1]', NULL, "
                            "'X', NULL, NULL)"],
        "delete_all_events": ["DELETE FROM events"],
        "cut_the_last_event": ["DELETE FROM events WHERE seq=(SELECT max(seq) FROM events)"],
        "reopen_a_revealed_round": ["UPDATE rounds SET state='open' WHERE id='r1'"],
        "reverse_the_candidates": [f"UPDATE rounds SET spec='{reversed_spec.to_json()}' "
                                   f"WHERE id='truong-khoi'"],
        "drop_a_ballot": ["DELETE FROM ballots WHERE id=(SELECT max(id) FROM ballots)"],
        "reorder_events": ["UPDATE events SET seq=-seq WHERE seq IN (3, 4)",
                           "UPDATE events SET seq=7 - (-seq) WHERE seq IN (-3, -4)"],
    }[attack]
    _sql(box, *statements)
    assert not box.verify().ok, attack
    assert not box.verify(head).ok


@pytest.mark.parametrize("attack", ["edit_a_ballot", "drop_a_ballot"])
def test_a_recomputed_chain_is_caught_by_the_printed_head(setup, attack: str) -> None:
    box, _, head = _closed_box(setup)
    statement = {"edit_a_ballot": "UPDATE ballots SET cells='[12,1,2,3,4,5,6,7,8,9,10,11]' "
                                  "WHERE id=(SELECT min(id) FROM ballots)",
                 "drop_a_ballot": "UPDATE ballots SET invalid_reason='x' "
                                  "WHERE id=(SELECT max(id) FROM ballots)"}[attack]
    _sql(box, statement)
    _rechain(box)
    assert box.verify().ok  # the file alone is consistent again ...
    report = box.verify(head)  # ... but no longer leads to the head printed in the minutes
    assert not report.ok and any(head in p for p in report.problems)


# -- secrecy at rest --------------------------------------------------------------------------
def _link_by_storage_order(box: BallotBox, round_id: str, cast_order: list[str],
                           cells_of: dict[str, str]) -> int:
    """The attacker: pair the k-th stored ballot with the k-th voter, by the order SQLite wrote
    the ballots (first appearance in the write-ahead log, whose frames follow the commits; cell
    offsets in the database file, which grow down a page); count the correct pairs of the
    better of the two guesses."""
    wal = Path(f"{box.path}-wal")
    guesses = []
    for raw, newest_first in ((wal.read_bytes() if wal.exists() else b"", False),
                              (box.path.read_bytes(), True)):
        found = []
        for unit, cells in cells_of.items():
            at = [m.start() for m in re.finditer(re.escape(cells.encode()), raw)]
            if at:
                found.append((min(at), unit))
        order = [u for _, u in sorted(found, reverse=newest_first)]
        guesses.append(sum(1 for a, b in zip(order, cast_order, strict=False) if a == b))
    return max(guesses)


def test_the_file_does_not_link_ballots_to_units_once_closed(setup) -> None:
    box, _, chair, _, codes = setup
    box.set_state("r1", "open", actor=chair)
    cells_of: dict[str, str] = {}
    order = list(UNITS)
    for i, unit in enumerate(order):  # every unit's ballot is unique and known to the attacker
        ranks = _ranks(i)
        box.cast("r1", codes[unit], ranks)
        cells_of[unit] = json.dumps(ranks)
    # while the round is open, storage order gives the votes away (README says so)
    assert _link_by_storage_order(box, "r1", order, cells_of) >= len(UNITS) - 2
    box.set_state("r1", "closed", actor=chair)
    wal = Path(f"{box.path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    hits = [_link_by_storage_order(box, "r1", order, cells_of)]
    assert hits[0] <= 4  # a random pairing of 12 gets 1 right on average
    assert stat.S_IMODE(os.stat(box.path).st_mode) == 0o600
    # no timestamps or codes near the ballots: the ballot rows hold nothing but content
    db = sqlite3.connect(box.path)
    assert {r[0] for r in db.execute("SELECT source FROM ballots")} == {"delegate"}
    assert all(r[0] is None for r in db.execute("SELECT sheet FROM ballots"))


def test_many_rounds_stay_at_chance(tmp_path: Path) -> None:
    """Over 10 rounds of 12 voters, pairing by storage order is right about once per round."""
    total = 0
    for r in range(10):
        box = BallotBox(tmp_path / f"b{r}" / "box.sqlite")
        op = box.operator()
        box.add_round(SPEC, actor=op)
        box.set_pin("chair", "2468", actor=op)
        chair = box.unlock("chair", "2468")
        codes = box.issue_codes(UNITS, actor=op)
        box.set_state("r1", "open", actor=chair)
        cells_of = {}
        for i, unit in enumerate(UNITS):
            box.cast("r1", codes[unit], _ranks(i + r))
            cells_of[unit] = json.dumps(_ranks(i + r))
        box.set_state("r1", "closed", actor=chair)
        total += _link_by_storage_order(box, "r1", list(UNITS), cells_of)
        time.sleep(0)
    assert total <= 25  # expected 10 (one per round); a linkable file would give 120
