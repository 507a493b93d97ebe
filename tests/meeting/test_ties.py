"""The tie-break chain (thidua_rank.meeting.ties)."""

from fractions import Fraction
from typing import get_args

import pytest

from thidua_rank._typing import TieRule
from thidua_rank.engine.result import TieOutcome
from thidua_rank.errors import ConfigError
from thidua_rank.meeting.config import ChairDecision
from thidua_rank.meeting.ties import RULES, TieContext, resolve_tie


def test_joint_place_when_nothing_separates() -> None:
    ctx = TieContext(score={"A": Fraction(90), "B": Fraction(90)},
                     pairwise={("A", "B"): 5, ("B", "A"): 5})
    groups, records = resolve_tie(["A", "B"], ("score", "head_to_head", "joint"), ctx)
    assert groups == [["A", "B"]]
    assert [(r.rule, r.outcome) for r in records] == [
        ("score", "unchanged"), ("head_to_head", "unchanged"), ("joint", "joint")]


def test_missing_data_is_recorded_and_runoff_is_pending() -> None:
    groups, records = resolve_tie(["A", "B"], ("vote", "runoff", "joint"), TieContext())
    assert groups == [["A", "B"]]
    assert [(r.rule, r.outcome) for r in records] == [
        ("vote", "skipped"), ("runoff", "pending"), ("joint", "joint")]


def test_runoff_result_orders_the_tied_units() -> None:
    ctx = TieContext(runoffs={frozenset({"Ủy ban", "Sở"}): [["Sở"], ["Ủy ban"]]})
    groups, records = resolve_tie(["Uỷ ban", "Sở"], ("runoff", "joint"), ctx)
    assert groups == [["Sở"], ["Uỷ ban"]]
    assert records[0].outcome == "separated"


def test_chair_decision_must_cover_the_group() -> None:
    ctx = TieContext(decisions=[ChairDecision(("A", "B"), ("B", "A"), "chủ trì quyết định")])
    groups, _ = resolve_tie(["A", "B"], ("chair",), ctx)
    assert groups == [["B"], ["A"]]
    bad = TieContext(decisions=[ChairDecision(("A", "B"), ("B",), "")])
    with pytest.raises(ConfigError, match="must order exactly the tied units"):
        resolve_tie(["A", "B"], ("chair",), bad)


def test_lot_is_seeded_and_reproducible() -> None:
    a, rec = resolve_tie(["A", "B", "C", "D"], ("lot",), TieContext(seed=7))
    b, _ = resolve_tie(["D", "C", "B", "A"], ("lot",), TieContext(seed=7))
    assert a == b  # the draw does not depend on input order
    assert rec[0].note_en == "seed=7"
    with pytest.raises(ConfigError, match=r"needs 'tie_break\.seed'"):
        resolve_tie(["A", "B"], ("lot",), TieContext())
    draws = {tuple(u[0] for u in resolve_tie(["A", "B", "C", "D"], ("lot",),
                                             TieContext(seed=s))[0]) for s in range(30)}
    assert len(draws) > 5  # the seed matters


def test_head_to_head_mini_league_splits_three_way_tie() -> None:
    pw = {("A", "B"): 6, ("B", "A"): 4, ("A", "C"): 6, ("C", "A"): 4, ("B", "C"): 5, ("C", "B"): 5}
    groups, records = resolve_tie(["C", "B", "A"], ("head_to_head", "joint"),
                                  TieContext(pairwise=pw))
    assert groups == [["A"], ["C", "B"]]
    assert [r.outcome for r in records] == ["partial", "joint"]


def test_every_rule_has_a_function() -> None:
    assert sorted(RULES) == sorted(get_args(TieRule))


def test_every_outcome_is_documented() -> None:
    """Each outcome the chain produces is one of TieBreak.outcome's documented values."""
    tied = {"A": Fraction(1), "B": Fraction(1)}
    cases = [
        (TieContext(score={"A": Fraction(2), "B": Fraction(1)}), ("score",), "separated"),
        (TieContext(score=tied), ("score",), "unchanged"),
        (TieContext(), ("score",), "skipped"),
        (TieContext(), ("runoff",), "pending"),
        (TieContext(), ("joint",), "joint"),
    ]
    seen = []
    for ctx, chain, expected in cases:
        _, records = resolve_tie(["A", "B"], chain, ctx)
        assert [r.outcome for r in records] == [expected]
        seen.append(expected)
    _, records = resolve_tie(["A", "B", "C"], ("score",),
                             TieContext(score={"A": Fraction(2), "B": Fraction(1),
                                               "C": Fraction(1)}))
    seen += [r.outcome for r in records]
    assert records[0].outcome == "partial"
    assert sorted(set(seen)) == sorted(get_args(TieOutcome))
    with pytest.raises(ConfigError, match="unknown tie-break rule 'coin'"):
        resolve_tie(["A", "B"], ("coin",), TieContext())
