"""The head and deputy rounds as elections (thidua_rank.meeting.elections), checked against the
sample meetings' reports and against an independent count of the ballots."""

from __future__ import annotations

import dataclasses
import tomllib
from fractions import Fraction

import numpy as np
import pytest

import thidua_rank as tr
from thidua_rank.errors import ConfigError
from thidua_rank.meeting.config import parse_config
from thidua_rank.meeting.elections import Election, elections
from thidua_rank.resources import data_folder, sample_meetings

SAMPLES = data_folder("sample_data")
UNITS = [f"Đơn vị {c}" for c in "ABCDEFGHIJ"]


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tr.MeetingOutcome]:
    return {p.name: tr.run_meeting(tr.load_meeting(p)) for p in sample_meetings()}


def test_phu_tho_head_is_an_instant_runoff_with_every_count(outcomes) -> None:
    head = elections(outcomes["phu-tho-van-hoa-xa-hoi-2020"])[0]
    assert head.is_instant_runoff and head.decides == "head" and head.seats == 1
    first, second = head.counts
    assert dict(first.tallies) == {"Sở Thông tin và Truyền thông": 5, "Bảo hiểm Xã hội tỉnh": 7,
                                   "Sở Văn hóa - Thể thao và Du lịch": 3}
    assert first.eliminated == ("Sở Văn hóa - Thể thao và Du lịch",)
    assert dict(second.tallies) == {"Sở Thông tin và Truyền thông": 6, "Bảo hiểm Xã hội tỉnh": 9}
    assert first.live == second.live == 15
    assert head.elected == ("Bảo hiểm Xã hội tỉnh",) and head.unfilled == 0
    winner = next(c for c in head.candidates if c.elected)
    assert (winner.votes, winner.denominator, winner.denominator_name) == (9, 15, "live")
    assert winner.share == Fraction(3, 5)


def test_first_count_equals_first_preferences_of_the_ballots(outcomes) -> None:
    for outcome in outcomes.values():
        for e in elections(outcome):
            if not e.is_instant_runoff:
                continue
            ballots = outcome.meeting.ballots[e.round_id]
            first = ballots.counts @ (ballots.ranks == 1)
            expected = {u: int(v) for u, v in zip(ballots.units, first, strict=True)}
            assert dict(e.counts[0].tallies) == expected


def test_approval_elections_count_marks_and_name_the_denominator(outcomes) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    deputies = next(e for e in elections(outcome) if e.decides == "deputies")
    ballots = outcome.meeting.ballots[deputies.round_id]
    marks = ballots.counts @ (ballots.ranks > 0)
    expected = {u: int(v) for u, v in zip(ballots.units, marks, strict=True)}
    assert {c.unit: c.votes for c in deputies.candidates} == expected
    assert {c.denominator for c in deputies.candidates} == {ballots.n_ballots}
    assert {c.denominator_name for c in deputies.candidates} == {"valid"}
    assert all(c.threshold_met == (Fraction(c.votes, c.denominator) > Fraction(1, 2))
               for c in deputies.candidates)
    assert deputies.elected == outcome.leadership.deputies
    assert [c.unit for c in deputies.candidates] == [u for u in outcome.meeting.units
                                                     if u in expected]


def _stricter_deputies(outcome: tr.MeetingOutcome, share: str) -> tr.MeetingOutcome:
    """The same meeting with the deputies round's threshold raised to *share* of valid ballots."""
    from thidua_rank.engine.thresholds import Threshold

    cfg = outcome.meeting.config
    rounds = tuple(dataclasses.replace(r, threshold=Threshold.parse(share, denominator="valid"))
                   if r.decides == "deputies" else r for r in cfg.rounds)
    meeting = dataclasses.replace(outcome.meeting,
                                  config=dataclasses.replace(cfg, rounds=rounds))
    return tr.run_meeting(meeting)


def test_unfilled_seats_are_reported(outcomes) -> None:
    # Ninh Bình's deputies: 8 and 7 of 9 valid ballots; at "≥ 80%" only the 8 is elected
    short = _stricter_deputies(outcomes["ninh-binh-co-quan-dang-2022"], "80%")
    head, deputies = elections(short)
    assert head.unfilled == 0 and head.unfilled_text() == ""
    assert deputies.elected == ("Đảng ủy Khối các cơ quan tỉnh",)
    assert short.leadership.deputies == deputies.elected
    assert deputies.unfilled == 1
    assert deputies.unfilled_text() == "Chưa bầu được 01 Phó Trưởng khối"
    assert deputies.unfilled_text("en") == "No one elected to 1 deputy head seat(s)"
    nobody = Election("tk", "Bầu Trưởng khối", "head", "Khối trưởng", "head unit", 1,
                      "approval", None, (), (), ())
    assert nobody.unfilled_text() == "Chưa bầu được Khối trưởng"


def test_json_view_has_votes_not_method_scores(outcomes) -> None:
    head = elections(outcomes["phu-tho-van-hoa-xa-hoi-2020"])[0].as_dict()
    winner = next(c for c in head["candidates"] if c["elected"])
    assert winner == {"unit": "Bảo hiểm Xã hội tỉnh", "votes": 9, "denominator": 15,
                      "of": "live", "share": "3/5", "percent": 60.0, "threshold_met": None,
                      "elected": True, "excluded": False}
    assert [c["tallies"] for c in head["instant_runoff_counts"]][1] == {
        "Sở Thông tin và Truyền thông": 6, "Bảo hiểm Xã hội tỉnh": 9}


def test_the_bloc_names_its_offices() -> None:
    text = (SAMPLES / "ninh-binh-co-quan-dang-2022" / "meeting.toml").read_text(encoding="utf-8")
    text = text.replace("[meeting]\n", '[meeting]\nhead_title = "Khối trưởng"\n'
                        'deputy_title = "Khối phó"\nco_chairs = ["Ban Tổ chức Tỉnh ủy"]\n', 1)
    info = parse_config(tomllib.loads(text)).meeting
    assert (info.head_title, info.deputy_title) == ("Khối trưởng", "Khối phó")
    assert info.co_chairs == ("Ban Tổ chức Tỉnh ủy",) and info.province_inferred
    with pytest.raises(ConfigError, match=r"province_inferred.*true or false"):
        parse_config(tomllib.loads(text.replace("province_inferred = true",
                                                'province_inferred = "có"')))


def test_an_election_without_ballots_is_not_listed(outcomes) -> None:
    outcome = outcomes["dien-bien-noi-chinh-2022"]
    rounds_with_ballots = {c.id for c in outcome.rounds}
    assert {e.round_id for e in elections(outcome)} <= rounds_with_ballots
    assert np.all([e.seats >= len(e.elected) for e in elections(outcome)])


REVOTE = """
[[rounds]]
id = "truong-khoi"
title = "Bầu Trưởng khối"
decides = "head"
kind = "choose"
max_choices = 1
ballots = "head.csv"
[[rounds]]
id = "pho-truong-khoi"
title = "Bầu Phó Trưởng khối"
decides = "deputies"
kind = "choose"
seats = 2
ballots = "deputies.csv"
threshold = { share = "50%", denominator = "valid", comparison = ">" }
[[rounds]]
id = "pho-truong-khoi-2"
title = "Bầu lại Phó Trưởng khối"
decides = "deputies"
kind = "choose"
max_choices = 1
ballots = "deputies-2.csv"
threshold = { share = "50%", denominator = "valid", comparison = ">" }
"""


def _one_hot(*marks: int) -> list[int]:
    return [1 if j in marks else 0 for j in range(10)]


def _revote_meeting(make_meeting, extra: str = "", more: dict | None = None) -> tr.Meeting:
    from meeting_fixtures import HEAD, MEMBERS, RANKED, TIERS, UNITS

    head = [_one_hot(2) for _ in range(10)]                     # C is the head, 10 of 10
    # round 1: everybody marks D; C (the head) gets 8 marks but cannot be a deputy; E and F
    # one mark each: only D passes "> 50% of valid ballots", one seat stays unfilled
    first = [_one_hot(3, 2 if i < 8 else 4 + i - 8) for i in range(10)]
    # the re-vote: D (already elected) 3, E 6, F 1 — E passes with 6 of 10
    second = [_one_hot(3 if i < 3 else 4 if i < 9 else 5) for i in range(10)]
    ballots = {"xep-hang.csv": (UNITS, RANKED), "head.csv": (UNITS, head),
               "deputies.csv": (UNITS, first), "deputies-2.csv": (UNITS, second),
               **(more or {})}
    folder = make_meeting(HEAD + TIERS.format(bk_quota="1", cutoff="include") + REVOTE + extra,
                          members=MEMBERS, ballots=ballots)
    return tr.load_meeting(folder)


def test_a_revote_fills_only_the_seat_left_unfilled(make_meeting) -> None:
    outcome = tr.run_meeting(_revote_meeting(make_meeting))
    assert outcome.leadership.head == "Đơn vị C"
    assert outcome.leadership.deputies == ("Đơn vị D", "Đơn vị E")
    _, first, second = elections(outcome)
    assert (first.seats, first.elected, first.unfilled) == (2, ("Đơn vị D",), 1)
    assert first.unfilled_text() == "Chưa bầu được 01 Phó Trưởng khối"
    votes = {c.unit: (c.votes, c.threshold_met, c.excluded) for c in first.candidates}
    assert votes["Đơn vị C"] == (8, True, True)                # the head: excluded
    assert votes["Đơn vị D"] == (10, True, False)
    assert (second.seats, second.elected, second.unfilled) == (1, ("Đơn vị E",), 0)
    assert (first.revote, second.revote) == (False, True)
    votes = {c.unit: (c.votes, c.elected, c.excluded) for c in second.candidates}
    assert votes["Đơn vị D"] == (3, False, True)               # elected in round 1
    assert votes["Đơn vị C"] == (0, False, True)
    assert votes["Đơn vị E"] == (6, True, False)
    # the seat is filled: nothing about the deputies is still pending
    assert not [vi for vi, _ in outcome.pending if "Phó" in vi or "chưa đủ" in vi]
    doc = outcome.to_dict()["leadership"]
    assert doc["deputies"] == ["Đơn vị D", "Đơn vị E"]
    # the counting minutes show both rounds, the first with its unfilled seat
    from thidua_rank.report.minutes import counting_minutes

    text = "\n".join(b.text for b in counting_minutes(outcome))
    assert "III. Bầu Phó Trưởng khối\n" in text + "\n"
    assert "IV. Bầu lại Phó Trưởng khối" in text
    assert ("- Bầu lại cho số Phó Trưởng khối chưa bầu được ở vòng trước; không bầu lại các "
            "đơn vị: Đơn vị C, Đơn vị D.") in text
    assert "- Số Phó Trưởng khối cần bầu: 02" in text
    assert "- Số Phó Trưởng khối cần bầu: 01" in text
    assert text.count("- Chưa bầu được 01 Phó Trưởng khối: cần bầu lại.") == 1
    assert "- Phó Trưởng khối: Đơn vị D, Đơn vị E." in text
    assert "- Chưa bầu được 01 Phó Trưởng khối.\n" not in text + "\n"


def test_a_revote_that_fails_leaves_the_seat_pending(make_meeting) -> None:
    # the re-vote's ballots split 5/5: nobody passes "> 50%"
    split = [_one_hot(4 if i < 5 else 5) for i in range(10)]
    outcome = tr.run_meeting(_revote_meeting(make_meeting,
                                             more={"deputies-2.csv": (UNITS, split)}))
    assert outcome.leadership.deputies == ("Đơn vị D",)
    last = elections(outcome)[-1]
    assert (last.seats, last.elected, last.unfilled) == (1, (), 1)
    assert [en for _, en in outcome.pending] == [
        "round 'pho-truong-khoi-2': not enough units reach the requirement"]


def test_a_revote_after_every_seat_is_filled_is_an_error(make_meeting) -> None:
    extra = """
[[rounds]]
id = "pho-truong-khoi-3"
title = "Bầu lại lần hai"
decides = "deputies"
kind = "choose"
max_choices = 1
ballots = "deputies-3.csv"
"""
    meeting = _revote_meeting(make_meeting, extra, {"deputies-3.csv": (UNITS, [_one_hot(6)])})
    with pytest.raises(ConfigError, match=r"'pho-truong-khoi-3' is a re-vote but .* already "
                                          r"filled all 2 seat\(s\): Đơn vị D, Đơn vị E"):
        tr.run_meeting(meeting)
