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
from thidua_rank.meeting.elections import elections
from thidua_rank.meeting.pipeline import Leadership
from thidua_rank.resources import data_folder, sample_meetings

SAMPLES = data_folder("sample_data")


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


def test_unfilled_seats_are_reported(outcomes) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    lead = outcome.leadership
    short = dataclasses.replace(outcome, leadership=Leadership(head=None,
                                                               deputies=lead.deputies[:1]))
    head, deputies = elections(short)
    assert head.unfilled == 1 and head.unfilled_text() == "Chưa bầu được Trưởng khối"
    assert deputies.unfilled == 1
    assert deputies.unfilled_text() == "Chưa bầu được 01 Phó Trưởng khối"
    assert not any(c.elected for c in head.candidates)


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
                        'deputy_title = "Khối phó"\nco_chairs = ["Ban Tổ chức Tỉnh ủy"]\n'
                        "province_inferred = true\n", 1)
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
