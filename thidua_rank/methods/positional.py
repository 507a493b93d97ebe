"""Positional methods: Borda, Dowdall and plurality.

Every position on a ballot is worth points; ties share the average of the positions they
occupy, and unranked units share the average of the remaining positions. Scores are kept exact
(Borda points are doubled internally so half points stay integers).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

import numpy as np

from thidua_rank.ballots import Ballots
from thidua_rank.registry import register
from thidua_rank.result import RankResult, build_result
from thidua_rank.text import format_number

__all__ = ["borda", "dowdall", "plurality", "positions_occupied"]


def positions_occupied(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per ballot and unit: how many units are strictly better, and the size of its tie group.

    O(m·n log n), vectorised through one flat ``searchsorted``.

    Parameters
    ----------
    keys
        ``(m, n)`` integer order keys, smaller = better (:attr:`Ballots.order_keys`).

    Examples
    --------
    >>> better, group = positions_occupied(np.array([[1, 2, 2, 4]]))
    >>> better.tolist(), group.tolist()
    ([[0, 1, 1, 3]], [[1, 2, 2, 1]])
    """
    m, n = keys.shape
    stride = int(keys.max(initial=0)) + 2
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
