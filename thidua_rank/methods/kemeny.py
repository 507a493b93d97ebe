"""``kemeny``: the exact Kemeny–Young ranking by dynamic programming over subsets."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.errors import MethodError

__all__ = ["KEMENY_MAX_UNITS", "kemeny", "kemeny_dp"]

KEMENY_MAX_UNITS = 20
"""Above this the 2ⁿ tables outgrow a laptop (20 units: 2²⁰ states, about 200 MB)."""


def _subset_sums(row: np.ndarray) -> np.ndarray:
    """``out[S] = Σ_{i ∈ S} row[i]`` for every bit set S, by doubling (O(2ⁿ))."""
    out = np.zeros(1, dtype=np.int64)
    for value in row.tolist():
        out = np.concatenate([out, out + value])
    return out


def kemeny_dp(pairwise: np.ndarray) -> tuple[int, list[int], int]:
    """Minimum Kemeny cost, one optimal ranking (unit indices, best first), number of optima.

    ``DP[S]`` is the least disagreement of ordering the units of S at the top:
    ``DP[S] = min_{j ∈ S} DP[S∖j] + Σ_{i ∈ S∖j} P[j, i]`` (placing j just below the rest of S
    contradicts every ballot preferring j to one of them). Layers of equal |S| are processed
    with numpy, so the work is O(n·2ⁿ) vectorised and the memory O(n·2ⁿ).

    Among optimal rankings the one returned places, at each position from the bottom, the
    optimal unit that comes last in official order (so earlier units rise when it is free).

    >>> kemeny_dp(np.array([[0, 2, 3], [1, 0, 2], [0, 1, 0]]))
    (2, [0, 1, 2], 1)
    """
    n = pairwise.shape[0]
    size = 1 << n
    sums = [_subset_sums(pairwise[j]) for j in range(n)]
    dp = np.full(size, np.iinfo(np.int64).max // 4, dtype=np.int64)
    count = np.zeros(size, dtype=np.int64)
    last = np.full(size, -1, dtype=np.int8)
    dp[0] = 0
    count[0] = 1
    subsets = np.arange(size, dtype=np.int64)
    popcount = np.bitwise_count(subsets)
    for layer in range(1, n + 1):
        members = subsets[popcount == layer]
        best = np.full(members.size, np.iinfo(np.int64).max // 4, dtype=np.int64)
        ways = np.zeros(members.size, dtype=np.int64)
        pick = np.full(members.size, -1, dtype=np.int8)
        for j in range(n):
            has = (members >> j) & 1 == 1
            prev = members[has] ^ (1 << j)
            cand = dp[prev] + sums[j][prev]
            current = best[has]
            better = cand < current
            equal = cand == current
            new_ways = np.where(better, count[prev], ways[has] + np.where(equal, count[prev], 0))
            best[has] = np.minimum(cand, current)
            ways[has] = new_ways
            pick[has] = np.where(better | equal, j, pick[has])  # keep the last optimal j
        dp[members] = best
        count[members] = ways
        last[members] = pick
    ranking: list[int] = []
    state = size - 1
    while state:
        j = int(last[state])
        ranking.append(j)
        state ^= 1 << j
    return int(dp[size - 1]), ranking[::-1], int(count[size - 1])


@register("kemeny", name_vi="Kemeny–Young (ít bất đồng nhất)", name_en="Kemeny–Young",
          inputs=("ranked",), complexity="O(m·n² + n·2ⁿ)", condorcet=True)
def kemeny(ballots: Ballots) -> RankResult:
    """Kemeny–Young: the ranking that disagrees with the fewest ballot pairs (exact).

    Solved exactly by dynamic programming over subsets (:func:`kemeny_dp`), practical up to
    :data:`KEMENY_MAX_UNITS` units. ``details`` gives the optimal ``cost``, the number of
    optimal rankings (``optimal_count``) and the ranking returned. Two units adjacent in that
    ranking are marked tied when neither is preferred by more ballots than the other (swapping
    them gives another optimal ranking); a chain of such pairs shares one place.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2]] * 5 + [[1, 2, 0]] * 4 + [[2, 0, 1]] * 3,
    ...                         units=["A", "B", "C"])
    >>> r = kemeny(b)
    >>> r.units, r.details["cost"], r.details["optimal_count"]
    (['A', 'B', 'C'], 14, 1)
    """
    n = ballots.n_units
    if n > KEMENY_MAX_UNITS:
        raise MethodError(
            f"Kemeny chính xác chỉ hỗ trợ tối đa {KEMENY_MAX_UNITS} đơn vị",
            f"exact Kemeny supports at most {KEMENY_MAX_UNITS} units", value=n)
    pairwise = ballots.pairwise()
    cost, order, optimal = kemeny_dp(pairwise)
    margins = pairwise - pairwise.T
    position = {}
    place = 0
    for k, j in enumerate(order):
        if k == 0 or margins[order[k - 1], j] != 0:
            place = k
        position[j] = place
    exact = [n - position[j] for j in range(n)]
    index = {u: i for i, u in enumerate(ballots.units)}

    def explain(unit: str, value: int, rank: int) -> tuple[str, str]:
        j = index[unit]
        agree = int(sum(pairwise[j, i] for i in range(n) if position[i] > position[j]))
        return (f"{unit} đứng thứ {rank} trong thứ tự ít bất đồng nhất với các phiếu "
                f"(tổng bất đồng {cost}); {agree} lượt so sánh cặp ủng hộ vị trí trên các "
                f"đơn vị xếp sau.",
                f"{unit} is ranked {rank} in the order that disagrees least with the ballots "
                f"(total disagreement {cost}); {agree} pairwise preferences support its place "
                f"above the units below it.")

    return build_result("kemeny", ballots.units, exact, explain=explain, details={
        "pairwise": pairwise.tolist(), "cost": cost, "optimal_count": optimal,
        "ranking": [ballots.units[j] for j in order], "max_score": Fraction(n)})
