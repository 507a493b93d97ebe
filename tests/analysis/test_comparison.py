"""Spearman's ρ and Kendall's τ-b against scipy; Condorcet winner and loser by brute force."""

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import kendalltau, spearmanr

import thidua_rank as tr
from thidua_rank.analysis import agreement, compare, condorcet


def _ballots(seed: int, m: int = 11, n: int = 5) -> tr.Ballots:
    rng = np.random.default_rng(seed)
    return tr.Ballots.from_orders(np.array([rng.permutation(n) for _ in range(m)]),
                                  units=[f"Sở {i}" for i in range(n)])


@pytest.mark.parametrize("statistic,reference", [("kendall", kendalltau),
                                                  ("spearman", spearmanr)])
def test_agreement_matches_scipy(statistic: str, reference: object) -> None:
    table = compare(_ballots(4), ["borda", "copeland", "plurality", "instant_runoff"])
    got = agreement(table, statistic)  # type: ignore[arg-type]
    cols = [c for c in got.columns if c != "method"]
    for i, a in enumerate(cols):
        for b in cols:
            want = 1.0 if a == b else float(reference(  # type: ignore[operator]
                table.get_column(a).to_numpy(), table.get_column(b).to_numpy()).statistic)
            assert got.get_column(b)[i] == pytest.approx(want)


def test_agreement_rejects_unknown_statistic() -> None:
    table = compare(_ballots(1), ["borda", "copeland"])
    with pytest.raises(tr.InputError, match="statistic must be 'kendall' or 'spearman'"):
        agreement(table, "pearson")  # type: ignore[arg-type]


def test_level_ranking_gives_zero_not_nan() -> None:
    import polars as pl
    t = pl.DataFrame({"unit": ["A", "B", "C"], "x": [1, 1, 1], "y": [1, 2, 3]})
    row = agreement(t, "spearman").row(0)
    assert row == ("x", 1.0, 0.0)


def _brute_condorcet(orders: list[list[int]], n: int) -> tuple[int | None, int | None]:
    def beats(a: int, b: int) -> bool:
        return sum(o.index(a) < o.index(b) for o in orders) > \
            sum(o.index(b) < o.index(a) for o in orders)
    win = [a for a in range(n) if all(beats(a, b) for b in range(n) if b != a)]
    lose = [a for a in range(n) if all(beats(b, a) for b in range(n) if b != a)]
    return (win[0] if win else None), (lose[0] if lose else None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(list(permutations(range(4)))), min_size=1, max_size=9))
def test_condorcet_matches_brute_force(orders: list[tuple[int, ...]]) -> None:
    units = ["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính"]
    result = condorcet(tr.Ballots.from_orders([list(o) for o in orders], units=units))
    win, lose = _brute_condorcet([list(o) for o in orders], 4)
    assert result.winner == (units[win] if win is not None else None)
    assert result.loser == (units[lose] if lose is not None else None)
    assert result.pairwise.height == 12
    assert (result.pairwise.get_column("support") - result.pairwise.get_column("against")
            == result.pairwise.get_column("margin")).all()


def test_condorcet_winner_wins_under_condorcet_methods() -> None:
    ballots = tr.Ballots.from_orders([[2, 0, 1, 3]] * 4 + [[0, 2, 1, 3]] * 3 + [[1, 2, 0, 3]] * 2,
                                     units=["A", "B", "C", "D"])
    result = condorcet(ballots)
    assert (result.winner, result.loser) == ("C", "D")
    for method in ("schulze", "copeland", "ranked_pairs", "minimax"):
        assert tr.rank(ballots, method=method).winners == ["C"]
