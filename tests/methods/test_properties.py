"""Hypothesis properties of the ranking methods."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import thidua_rank as tr
from thidua_rank.engine.result import competition_ranks
from thidua_rank.methods.kemeny import kemeny_dp

# the method lists come from the registry: a newly registered method is tested too
_LISTING = tr.methods().to_dicts()
RANKED = [m["id"] for m in _LISTING if "ranked" in m["inputs"].split(", ")]
CONDORCET = [m["id"] for m in _LISTING if m["condorcet"] and m["id"] in RANKED]


def test_the_registry_lists_the_methods() -> None:
    assert set(RANKED) >= {"borda", "dowdall", "plurality", "copeland", "schulze",
                           "ranked_pairs", "minimax", "kemeny", "instant_runoff"}
    assert sorted(CONDORCET) == ["copeland", "kemeny", "minimax", "ranked_pairs", "schulze"]


@st.composite
def profiles(draw, *, complete: bool = False, min_n: int = 2, max_n: int = 6):
    n = draw(st.integers(min_n, max_n))
    m = draw(st.integers(1, 12))
    rows = []
    for _ in range(m):
        order = draw(st.permutations(range(n)))
        if complete:
            rows.append([order.index(j) + 1 for j in range(n)])
            continue
        k = draw(st.integers(1, n))
        levels = sorted(draw(st.lists(st.integers(1, k), min_size=k, max_size=k)))
        row = [0] * n
        for pos, unit in enumerate(order[:k]):
            row[unit] = levels[pos]
        rows.append(row)
    return tr.Ballots.from_ranks(np.array(rows), units=[f"U{j}" for j in range(n)])


def ranks_of(result: tr.RankResult) -> dict[str, int]:
    return dict(result.table.select("unit", "rank").iter_rows())


@settings(max_examples=60, deadline=None)
@given(profiles(), st.sampled_from(RANKED), st.randoms(use_true_random=False))
def test_anonymity(ballots: tr.Ballots, method: str, rnd) -> None:
    perm = list(range(ballots.ranks.shape[0]))
    rnd.shuffle(perm)
    shuffled = tr.Ballots.from_ranks(ballots.ranks[perm], units=ballots.units)
    assert ranks_of(tr.rank(ballots, method=method)) == ranks_of(tr.rank(shuffled, method=method))


@settings(max_examples=60, deadline=None)
@given(profiles(), st.sampled_from(RANKED), st.randoms(use_true_random=False))
def test_neutrality(ballots: tr.Ballots, method: str, rnd) -> None:
    """Relabelling units permutes the result (methods with no tie order option)."""
    n = ballots.n_units
    perm = list(range(n))
    rnd.shuffle(perm)
    # new unit j is old unit perm[j]; keep the names attached to their columns
    relabelled = tr.Ballots.from_ranks(ballots.ranks[:, perm],
                                       units=[ballots.units[p] for p in perm])
    a, b = tr.rank(ballots, method=method), tr.rank(relabelled, method=method)
    if method in ("ranked_pairs", "kemeny"):
        # these order equal-margin pairs (and co-optimal Kemeny rankings) by official order
        # when nothing else decides: compare only the exact scores when no such tie arises
        p = ballots.margins()
        if (p[~np.eye(n, dtype=bool)] == 0).any() or len(
                set(np.abs(p[np.triu_indices(n, 1)]).tolist())) < n * (n - 1) // 2:
            return
    assert ranks_of(a) == ranks_of(b)


@settings(max_examples=80, deadline=None)
@given(profiles(), st.sampled_from(CONDORCET))
def test_condorcet_winner_ranks_first_alone(ballots: tr.Ballots, method: str) -> None:
    margins = ballots.margins()
    n = ballots.n_units
    winners = [a for a in range(n) if all(margins[a, b] > 0 for b in range(n) if b != a)]
    losers = [a for a in range(n) if all(margins[a, b] < 0 for b in range(n) if b != a)]
    result = tr.rank(ballots, method=method)
    ranks = ranks_of(result)
    if winners:
        w = ballots.units[winners[0]]
        assert ranks[w] == 1
        assert sorted(ranks.values()).count(1) == 1
    if losers and n > 1:
        assert ranks[ballots.units[losers[0]]] != 1


@settings(max_examples=80, deadline=None)
@given(profiles())
def test_borda_hands_out_n_n_minus_1_over_2_per_ballot(ballots: tr.Ballots) -> None:
    total = sum(tr.rank(ballots, method="borda").exact.values())
    n = ballots.n_units
    assert total == Fraction(ballots.n_ballots * n * (n - 1), 2)


@settings(max_examples=60, deadline=None)
@given(profiles(complete=True, min_n=2, max_n=6))
def test_kemeny_beats_every_other_order(ballots: tr.Ballots) -> None:
    p = ballots.pairwise()
    cost, order, count = kemeny_dp(p)
    n = ballots.n_units
    rng = np.random.default_rng(0)
    for _ in range(20):
        other = rng.permutation(n)
        assert cost <= sum(int(p[b, a]) for i, a in enumerate(other) for b in other[i + 1:])
    assert sum(int(p[b, a]) for i, a in enumerate(order) for b in order[i + 1:]) == cost
    assert count >= 1


@given(st.lists(st.integers(-5, 5), min_size=1, max_size=12))
def test_competition_ranks(scores: list[int]) -> None:
    ranks = competition_ranks(scores)
    for s, r in zip(scores, ranks, strict=True):
        assert r == 1 + sum(1 for t in scores if t > s)


@settings(max_examples=60, deadline=None)
@given(profiles(), st.integers(0, 5))
def test_majority_winner_wins_plurality_and_irv(ballots: tr.Ballots, _: int) -> None:
    keys = ballots.order_keys
    top = (keys == keys.min(axis=1, keepdims=True)) & (ballots.ranks > 0)
    single = top.sum(axis=1) == 1
    firsts = (ballots.counts[single] @ top[single]) if single.any() else np.zeros(ballots.n_units)
    for j, votes in enumerate(np.asarray(firsts).tolist()):
        if votes * 2 > ballots.n_ballots:
            unit = ballots.units[j]
            assert tr.rank(ballots, method="plurality").winners == [unit]
            assert tr.rank(ballots, method="instant_runoff").winners == [unit]
