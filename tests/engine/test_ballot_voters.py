"""Ballots keep their voters: aligned with the valid ballots, kept by derivations, read from a
ballots file's voter column, and used by voter_analysis and self_vote_effect."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import thidua_rank as tr
from thidua_rank.analysis import self_vote_effect, voter_analysis

UNITS = ["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"]


def test_from_cells_keeps_the_voters_of_valid_ballots() -> None:
    cells = [["1", "2", "3"], ["1", "1", "x"], ["2", "1", "3"], ["", "", ""]]
    b = tr.Ballots.from_cells(cells, units=UNITS, rules=tr.BallotRules(),
                              voters=["sở y tế", "Sở Nội vụ", None, "Sở Tư pháp"])
    # ballot 2 (a bad cell) and 4 (blank) are invalid: their voters go with them
    assert b.ids == ("1", "3") and b.voters == ("Sở Y tế", None)
    assert tr.Ballots.from_cells(cells[:1], units=UNITS, rules=tr.BallotRules()).voters == ()
    # all voters unknown counts as secret
    unknown = tr.Ballots.from_cells(cells[:1], units=UNITS, rules=tr.BallotRules(),
                                    voters=[None])
    assert unknown.voters == ()


def test_derived_ballots_keep_the_voters() -> None:
    b = tr.Ballots.from_cells([["1", "2", "3"], ["3", "1", "2"]], units=UNITS,
                              rules=tr.BallotRules(), voters=UNITS[1:])
    assert b.subset(UNITS[:2]).voters == ("Sở Tư pháp", "Sở Nội vụ")
    assert dataclasses.replace(b, ranks=b.ranks[:, ::-1].copy()).voters == b.voters
    # equality of ballots never looked at fields (eq=False): identity only
    assert b != dataclasses.replace(b, voters=())


def test_voters_must_match_the_rows() -> None:
    with pytest.raises(tr.InputError, match=r"voters must give one unit per ballot row \(2\)"):
        tr.Ballots(units=tuple(UNITS), ranks=[[1, 2, 3], [2, 1, 3]], counts=[1, 1],
                   voters=("Sở Y tế",))


def test_reader_fills_voters_from_the_voter_column(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("phiếu,đơn vị bầu,Sở Y tế,Sở Tư pháp,Sở Nội vụ\n"
                    "1,Sở Nội vụ,1,2,3\n2,,2,1,3\n3,Sở Y tế,1,3,2\n", encoding="utf-8")
    b = tr.read_ballots(path)
    assert b.voters == ("Sở Nội vụ", None, "Sở Y tế")
    plain = tmp_path / "p.csv"
    plain.write_text("phiếu,Sở Y tế,Sở Tư pháp,Sở Nội vụ\n1,1,2,3\n", encoding="utf-8")
    assert tr.read_ballots(plain).voters == ()


def test_voter_analysis_names_voters_from_the_ballots() -> None:
    b = tr.Ballots.from_cells([["1", "2", "3"]] * 4 + [["3", "2", "1"]], units=UNITS,
                              rules=tr.BallotRules(), voters=[None] * 4 + ["Sở Nội vụ"])
    first = voter_analysis(b).row(0, named=True)
    assert (first["ballot"], first["voter"], first["outlier"]) == ("5", "Sở Nội vụ", True)
    # an explicit mapping still wins
    assert voter_analysis(b, voters={"5": "Sở Y tế"}).row(0, named=True)["voter"] == "Sở Y tế"


def test_self_vote_effect_uses_the_ballots_voters(vote_meeting) -> None:  # type: ignore[no-untyped-def]
    meeting = vote_meeting([[0, 1, 2], [1, 0, 2], [2, 0, 1]], UNITS, quotas=(1,))
    explicit = self_vote_effect(meeting, voters=UNITS)
    b = meeting.ballots["xep-hang"]
    named = dataclasses.replace(meeting, ballots={
        **meeting.ballots, "xep-hang": dataclasses.replace(b, voters=tuple(UNITS))})
    assert self_vote_effect(named).equals(explicit)
    assert "rank_without" in explicit.columns
    assert "rank_best" in self_vote_effect(meeting).columns  # secret: the bound
