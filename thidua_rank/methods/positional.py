"""Positional methods: Borda, Dowdall and plurality.

Every position on a ballot is worth points; ties share the average of the positions they
occupy, and unranked units share the average of the remaining positions. Scores are kept exact
(Borda points are doubled internally so half points stay integers).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Literal

import numpy as np

from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.methods.tally import first_preferences
from thidua_rank.text import format_number

__all__ = ["borda", "dowdall", "plurality", "positions_occupied"]


def positions_occupied(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per ballot and unit: how many units are strictly better, and the size of its tie group.

    O(m·n) through a per-ballot histogram of the keys when they are small (order keys are
    1 … n + 1), else O(m·n log n) through one flat ``searchsorted``.

    Parameters
    ----------
    keys
        ``(m, n)`` non-negative integer order keys, smaller = better
        (:attr:`Ballots.order_keys`).

    Examples
    --------
    >>> better, group = positions_occupied(np.array([[1, 2, 2, 4]]))
    >>> better.tolist(), group.tolist()
    ([[0, 1, 1, 3]], [[1, 2, 2, 1]])
    >>> better, group = positions_occupied(np.array([[10**6, 5, 5, 0]]))  # sparse keys
    >>> better.tolist(), group.tolist()
    ([[3, 1, 1, 0]], [[1, 2, 2, 1]])
    """
    m, n = keys.shape
    stride = int(keys.max(initial=0)) + 2
    if stride <= 2 * n + 4:  # histogram: count[i, k] = units of ballot i with key k
        flat = (keys.astype(np.int64) + (np.arange(m, dtype=np.int64) * stride)[:, None]).ravel()
        count = np.bincount(flat, minlength=m * stride).reshape(m, stride)
        below = np.cumsum(count, axis=1) - count  # units with a strictly smaller key
        return (np.take_along_axis(below, keys, axis=1),
                np.take_along_axis(count, keys, axis=1))
    offset = (np.arange(m, dtype=np.int64) * stride)[:, None]
    flat = (keys.astype(np.int64) + offset).ravel()
    ordered = np.sort(flat)
    left = np.searchsorted(ordered, flat, side="left").reshape(m, n)
    right = np.searchsorted(ordered, flat, side="right").reshape(m, n)
    row_start = (np.arange(m, dtype=np.int64) * n)[:, None]
    return left - row_start, right - left


def _received(ballots: Ballots) -> np.ndarray:
    """Ballots on which each unit is ranked or marked (weighted)."""
    return ballots.counts @ (ballots.ranks > 0)


@register("borda", name_vi="Đếm điểm Borda", name_en="Borda count",
          inputs=("ranked",), complexity="O(m·n log n)")
def borda(ballots: Ballots, *, score: Literal["total", "mean_received"] = "total") -> RankResult:
    """Borda count: a unit in position p of n earns n − p points.

    Tied units share the average of the positions they occupy; unranked units share the average
    of the remaining positions, so every complete or truncated ballot hands out n(n−1)/2 points.

    Parameters
    ----------
    ballots
        Ranked ballots.
    score
        ``total`` ranks by total points; ``mean_received`` by points per ballot on which the unit
        appears — use it when self-votes are excluded, so units that received fewer ballots are
        comparable.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2], [0, 2, 1], [1, 0, 2]], units=["A", "B", "C"])
    >>> borda(b).table
    shape: (3, 4)
    ┌──────┬───────┬──────┬───────┐
    │ unit ┆ score ┆ rank ┆ tied  │
    │ ---  ┆ ---   ┆ ---  ┆ ---   │
    │ str  ┆ f64   ┆ i64  ┆ bool  │
    ╞══════╪═══════╪══════╪═══════╡
    │ A    ┆ 5.0   ┆ 1    ┆ false │
    │ B    ┆ 3.0   ┆ 2    ┆ false │
    │ C    ┆ 1.0   ┆ 3    ┆ false │
    └──────┴───────┴──────┴───────┘
    """
    n = ballots.n_units
    better, group = positions_occupied(ballots.order_keys)
    doubled = 2 * n - 2 * better - group - 1  # twice the average of n - p over the tie group
    totals = [Fraction(int(t), 2) for t in ballots.counts @ doubled]
    received = _received(ballots)
    means = [t / int(r) if r else Fraction(0) for t, r in zip(totals, received, strict=True)]
    exact = totals if score == "total" else means

    def explain(unit: str, value: Fraction, rank: int) -> tuple[str, str]:
        i = ballots.units.index(unit)
        total = format_number(totals[i], 1)
        mean = format_number(means[i], 2)
        return (
            f"{unit} được {total} điểm Borda từ {ballots.n_ballots} phiếu hợp lệ "
            f"(có mặt trên {int(received[i])} phiếu, trung bình {mean} điểm/phiếu); "
            f"xếp thứ {rank}.",
            f"{unit} earned {float(totals[i]):g} Borda points from {ballots.n_ballots} valid "
            f"ballots (on {int(received[i])} ballots, {float(means[i]):.2f} per ballot); "
            f"rank {rank}.",
        )

    return build_result(
        "borda", ballots.units, exact, explain=explain, options={"score": score},
        details={"total": dict(zip(ballots.units, totals, strict=True)),
                 "mean_received": dict(zip(ballots.units, means, strict=True)),
                 "received": dict(zip(ballots.units, received.tolist(), strict=True)),
                 "max_score": Fraction(ballots.n_ballots * (n - 1)) if score == "total"
                 else Fraction(n - 1)})


def _average_table(n: int, weight: Callable[[int], Fraction]) -> list[list[Fraction]]:
    """``table[b][k]``: average of ``weight(p)`` over positions p = b+1 … b+k (exact)."""
    prefix = [Fraction(0)]
    for p in range(1, n + 1):
        prefix.append(prefix[-1] + weight(p))
    return [[(prefix[b + k] - prefix[b]) / k if k else Fraction(0) for k in range(n - b + 1)]
            for b in range(n + 1)]


@register("dowdall", name_vi="Đếm điểm Dowdall (1/vị trí)", name_en="Dowdall (Nauru) count",
          inputs=("ranked",), complexity="O(m·n log n + n²)")
def dowdall(ballots: Ballots) -> RankResult:
    """Dowdall (Nauru) count: position p earns 1/p points.

    Tied units share the average of 1/p over the positions they occupy; unranked units earn
    nothing (a truncated ballot gives points only to the units it ranks). Exact fractions:
    the ``(better, group size)`` pairs are counted with ``np.add.at`` and each distinct pair is
    valued once from a table of exact averages.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2], [1, 0, 2]], units=["A", "B", "C"])
    >>> dowdall(b).exact
    {'A': Fraction(3, 2), 'B': Fraction(3, 2), 'C': Fraction(2, 3)}
    """
    n = ballots.n_units
    better, group = positions_occupied(ballots.order_keys)
    ranked = ballots.ranks > 0
    table = _average_table(n, lambda p: Fraction(1, p))
    # count (unit, better, group) cells, weighted by ballot counts
    tally = np.zeros((n, n + 1, n + 1), dtype=np.int64)
    rows, cols = np.nonzero(ranked)
    np.add.at(tally, (cols, better[rows, cols], group[rows, cols]), ballots.counts[rows])
    totals = []
    for j in range(n):
        b_idx, k_idx = np.nonzero(tally[j])
        totals.append(sum((table[b][k] * int(tally[j, b, k])
                           for b, k in zip(b_idx.tolist(), k_idx.tolist(), strict=True)),
                          Fraction(0)))

    def explain(unit: str, value: Fraction, rank: int) -> tuple[str, str]:
        return (f"{unit} được {format_number(value, 3)} điểm Dowdall (vị trí thứ p được 1/p "
                f"điểm); xếp thứ {rank}.",
                f"{unit} earned {float(value):.3f} Dowdall points (position p earns 1/p); "
                f"rank {rank}.")

    return build_result("dowdall", ballots.units, totals, explain=explain,
                        details={"max_score": Fraction(ballots.n_ballots)})


@register("plurality", name_vi="Đa số tương đối (số phiếu xếp thứ nhất)",
          name_en="Plurality (first places)", inputs=("ranked",), complexity="O(m·n)")
def plurality(ballots: Ballots, *, split_ties: bool = True) -> RankResult:
    """Plurality: the number of ballots ranking each unit first.

    Parameters
    ----------
    split_ties
        A ballot with k units tied first gives each 1/k (default, so every ballot counts
        once); ``False`` gives each of them a whole vote.

    Examples
    --------
    >>> b = Ballots.from_ranks([[1, 2, 3], [1, 1, 2], [2, 1, 3]], units=["A", "B", "C"])
    >>> plurality(b).exact
    {'A': Fraction(3, 2), 'B': Fraction(3, 2), 'C': Fraction(0, 1)}
    """
    totals, _ = first_preferences(ballots, split_ties=split_ties)

    def explain(unit: str, value: Fraction, rank: int) -> tuple[str, str]:
        return (f"{unit} được {format_number(value, 2)} phiếu xếp thứ nhất trên "
                f"{ballots.n_ballots} phiếu hợp lệ; xếp thứ {rank}.",
                f"{unit} was ranked first on {float(value):g} of {ballots.n_ballots} valid "
                f"ballots; rank {rank}.")

    return build_result("plurality", ballots.units, totals, explain=explain,
                        options={"split_ties": split_ties},
                        details={"max_score": Fraction(ballots.n_ballots)})
