"""Re-votes ("Bầu lại") for the seats an election round left unfilled: who may create one, what
it holds (seats, candidates, rules), and the meeting's outcome once it is revealed."""

from __future__ import annotations

from pathlib import Path

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

from thidua_rank.live.ballot_box import Actor, BallotBoxError, RoundSpec
from thidua_rank.live.session import LiveMeeting
from thidua_rank.meeting.elections import elections


def _vote(live: LiveMeeting, chair: Actor, round_id: str, codes: list[str], rows: list) -> None:
    live.box.set_state(round_id, "open", actor=chair)
    for code, row in zip(codes, rows, strict=True):
        live.box.cast(round_id, code, row)
    live.box.set_state(round_id, "closed", actor=chair, confirm=True)
    live.box.set_state(round_id, "revealed", actor=chair)


@pytest.fixture
def meeting(make_meeting) -> tuple[LiveMeeting, Actor, Actor, list[str]]:
    live = LiveMeeting(make_meeting(HEAD.replace("[tie_break]", DEPUTIES_OVER_HALF + "[tie_break]"),
                                    members=MEMBERS))
    op = live.box.operator()
    live.box.set_pin("chair", PIN, actor=op)
    live.box.set_pin("clerk", CLERK_PIN, actor=op)
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    chair = live.box.unlock("chair", PIN)
    _vote(live, chair, "xep-hang", codes, RANKED)
    _vote(live, chair, "pho", codes, DEPUTIES_ROUND_1)
    return live, chair, live.box.unlock("clerk", CLERK_PIN), codes


def test_a_revote_fills_the_unfilled_deputy_seat(meeting) -> None:
    live, chair, _, codes = meeting
    first = live.outcome()
    assert first is not None and first.leadership.deputies == ("Đơn vị A",)
    (deputies,) = elections(first)
    assert deputies.unfilled == 1
    spec = live.start_revote("pho", actor=chair)
    assert (spec.id, spec.decides, spec.seats, spec.revote_of) == \
        ("bau-lai-pho-1", "deputies", 1, "pho")
    assert spec.candidates == ("Đơn vị B", "Đơn vị C", "Đơn vị D")  # A is elected
    assert spec.ballot_rules.max_choices == 1 and spec.issued == 10
    assert live.box.state(spec.id) == "draft"
    assert any("Re-vote not revealed yet" in en for _, en in live.accept_blockers())
    _vote(live, chair, spec.id, codes, [[1, 0, 0]] * 6 + [[0, 1, 0]] * 4)
    outcome = live.outcome()
    assert outcome is not None
    assert outcome.leadership.deputies == ("Đơn vị A", "Đơn vị B")
    assert [e.round_id for e in elections(outcome)] == ["pho", "bau-lai-pho-1"]
    assert live.meeting_with_box().config.round(spec.id).threshold == \
        live.meeting.config.round("pho").threshold
    assert live.accept_blockers() == []
    with pytest.raises(BallotBoxError, match="Every seat is filled"):
        live.start_revote("pho", actor=chair)


def test_a_revote_that_fills_nothing_can_be_revoted_again(meeting) -> None:
    live, chair, _, codes = meeting
    spec = live.start_revote("pho", actor=chair)
    with pytest.raises(BallotBoxError, match="still pending; reveal it"):
        live.start_revote("pho", actor=chair)
    _vote(live, chair, spec.id, codes, [[1, 0, 0]] * 5 + [[0, 1, 0]] * 5)  # 50%: nobody
    outcome = live.outcome()
    assert outcome is not None and outcome.leadership.deputies == ("Đơn vị A",)
    again = live.start_revote(spec.id, actor=chair)
    assert (again.id, again.revote_of, again.seats) == ("bau-lai-pho-2", "pho", 1)


def test_only_the_chair_creates_a_revote_and_only_of_a_revealed_election(meeting) -> None:
    live, chair, clerk, _ = meeting
    with pytest.raises(BallotBoxError, match=r"Not allowed: this action needs .*chair role"):
        live.start_revote("pho", actor=clerk)
    with pytest.raises(BallotBoxError, match="Not allowed"):
        live.start_revote("pho", actor=Actor("chair", "forged-token"))
    with pytest.raises(BallotBoxError, match="not an election"):
        live.start_revote("xep-hang", actor=chair)
    base = live.box.spec("pho")
    forged = [RoundSpec("x1", "x", "deputies", "choose", base.candidates, seats=1),
              RoundSpec("x2", "x", "ranking", "ranked", base.candidates, seats=1,
                        revote_of="xep-hang"),
              RoundSpec("x3", "x", "deputies", "choose", base.candidates, seats=0,
                        revote_of="pho"),
              RoundSpec("x4", "x", "deputies", "choose", base.candidates, seats=1,
                        revote_of="nope")]
    for spec in forged:
        with pytest.raises(BallotBoxError, match="can only add run-off rounds, or a re-vote"):
            live.box.add_round(spec, actor=chair)
    assert [s.id for s, _ in live.box.rounds()] == ["xep-hang", "pho"]


def test_a_revote_needs_the_round_revealed(make_meeting, tmp_path: Path) -> None:
    live = LiveMeeting(make_meeting(HEAD.replace("[tie_break]", DEPUTIES_OVER_HALF + "[tie_break]"),
                                    members=MEMBERS))
    op = live.box.operator()
    live.box.set_pin("chair", PIN, actor=op)
    chair = live.box.unlock("chair", PIN)
    with pytest.raises(BallotBoxError, match="Every round must be revealed"):
        live.start_revote("pho", actor=chair)
    spec = RoundSpec("bau-lai-pho-1", "x", "deputies", "choose", ("Đơn vị B",), seats=1,
                     revote_of="pho")
    with pytest.raises(BallotBoxError, match="or a re-vote"):
        live.box.add_round(spec, actor=chair)


def test_specs_without_revote_fields_keep_their_stored_json() -> None:
    spec = RoundSpec("r1", "Xếp hạng", "ranking", "ranked", ("A", "B"))
    assert "seats" not in spec.to_json() and "revote_of" not in spec.to_json()
    revote = RoundSpec("r2", "Bầu lại", "deputies", "choose", ("A",), seats=1, revote_of="r0")
    assert RoundSpec.from_json(revote.to_json()) == revote
    assert RoundSpec.from_json(spec.to_json()) == spec


HEAD_ROUND = """
[[rounds]]
id = "truong"
title = "Bầu Trưởng khối"
decides = "head"
kind = "choose"
max_choices = 1
candidates = ["Đơn vị A", "Đơn vị B"]
threshold = { share = "50%", denominator = "valid", comparison = ">" }
"""


def test_a_deputies_revote_leaves_out_the_head_and_a_head_revote_keeps_its_rules(
        make_meeting) -> None:
    toml = HEAD.replace("[tie_break]", HEAD_ROUND + DEPUTIES_OVER_HALF + "[tie_break]")
    live = LiveMeeting(make_meeting(toml, members=MEMBERS))
    op = live.box.operator()
    live.box.set_pin("chair", PIN, actor=op)
    codes = list(live.box.issue_codes(live.meeting.present, actor=op).values())
    chair = live.box.unlock("chair", PIN)
    _vote(live, chair, "xep-hang", codes, RANKED)
    _vote(live, chair, "truong", codes, [[1, 0]] * 5 + [[0, 1]] * 5)  # 5 of 10: nobody
    # B on 8 (elected), A on 5, C on 4, D on 3
    _vote(live, chair, "pho", codes, [[1, 1, 0, 0]] * 5 + [[0, 1, 1, 0]] * 3
          + [[0, 0, 1, 1]] + [[0, 0, 0, 1]])
    outcome = live.outcome()
    assert outcome is not None and outcome.leadership.head is None
    assert outcome.leadership.deputies == ("Đơn vị B",)
    head = live.start_revote("truong", actor=chair)
    assert (head.decides, head.seats, head.candidates) == ("head", 1, ("Đơn vị A", "Đơn vị B"))
    assert head.title == "Bầu lại Trưởng khối lần 1"
    _vote(live, chair, head.id, codes, [[1, 0]] * 7 + [[0, 1]] * 3)
    outcome = live.outcome()
    assert outcome is not None and outcome.leadership.head == "Đơn vị A"
    deputies = live.start_revote("pho", actor=chair)
    assert deputies.candidates == ("Đơn vị C", "Đơn vị D")  # the head A and the deputy B out
    assert deputies.seats == 1
