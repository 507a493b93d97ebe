"""Pairwise (Condorcet) methods: Copeland, Schulze, ranked pairs and minimax.

All four read the pairwise matrix ``P[a, b]`` (weighted ballots ranking *a* strictly above
*b*; :meth:`Ballots.pairwise`, O(m·n²)) and then work on n × n integers only. Each ranks a
Condorcet winner — a unit beating every other head-to-head — first.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from thidua_rank._typing import MinimaxScore
from thidua_rank.engine.ballots import Ballots, UnitIndex
from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.errors import MethodError

__all__ = ["copeland", "layered_scores", "minimax", "ranked_pairs", "schulze", "widest_paths"]


def _pairwise_details(ballots: Ballots) -> dict[str, object]:
    return {"pairwise": ballots.pairwise().tolist()}


@register("copeland", name_vi="Copeland (thắng − thua đối đầu)",
          name_en="Copeland (wins minus losses)", inputs=("ranked",), complexity="O(m·n²)",
          condorcet=True)
def copeland(ballots: Ballots) -> RankResult:
    """Copeland: head-to-head wins minus losses (a drawn pair counts 0).

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]], units=["A", "B", "C"])
    >>> copeland(b).table.get_column("tied").to_list()  # a Condorcet cycle: all equal
    [True, True, True]
    """
    margins = ballots.margins()
    wins = (margins > 0).sum(axis=1)
    losses = (margins < 0).sum(axis=1)
    draws = ballots.n_units - 1 - wins - losses
    exact = [int(won - lost) for won, lost in zip(wins, losses, strict=True)]
    index = {u: i for i, u in enumerate(ballots.units)}

    def explain(unit: str, value: int, rank: int) -> tuple[str, str]:
        i = index[unit]
        return (f"{unit} thắng {wins[i]} đơn vị, thua {losses[i]}, hòa {draws[i]} khi so sánh "
                f"từng cặp; xếp thứ {rank}.",
                f"{unit} beats {wins[i]} units head-to-head, loses to {losses[i]}, draws "
                f"{draws[i]}; rank {rank}.")

    return build_result("copeland", ballots.units, exact, explain=explain, details={
        **_pairwise_details(ballots), "wins": dict(zip(ballots.units, wins.tolist(), strict=True)),
        "losses": dict(zip(ballots.units, losses.tolist(), strict=True)),
        "max_score": Fraction(ballots.n_units - 1)})


def widest_paths(pairwise: np.ndarray) -> np.ndarray:
    """Schulze strongest paths from the pairwise support matrix (O(n³), vectorised).

    ``d[a, b] = P[a, b]`` when *a* beats *b* (winning votes), else 0; then Floyd–Warshall with
    ``max(min(...))``.

    >>> widest_paths(np.array([[0, 5, 3], [4, 0, 6], [6, 3, 0]])).tolist()
    [[0, 5, 5], [6, 0, 6], [6, 5, 0]]
    """
    d = np.where(pairwise > pairwise.T, pairwise, 0).astype(np.int64)
    n = d.shape[0]
    for k in range(n):
        d = np.maximum(d, np.minimum(d[:, k : k + 1], d[k : k + 1, :]))
    np.fill_diagonal(d, 0)
    return d


@register("schulze", name_vi="Schulze (đường mạnh nhất)", name_en="Schulze (beatpath)",
          inputs=("ranked",), complexity="O(m·n² + n³)", condorcet=True)
def schulze(ballots: Ballots) -> RankResult:
    """Schulze: *a* beats *b* when the strongest path from *a* to *b* is stronger than back.

    Path strength uses winning votes (the support of each defeat). The Schulze relation is
    transitive (a strict partial order); the ranking peels off the unbeaten units layer by
    layer (:func:`layered_scores`), so units in one layer share a place and the score is the
    number of units in lower layers.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2]] * 5 + [[1, 2, 0]] * 4 + [[2, 0, 1]] * 3,
    ...                         units=["A", "B", "C"])
    >>> schulze(b).winners
    ['A']
    """
    paths = widest_paths(ballots.pairwise())
    beats = paths > paths.T
    exact = layered_scores(beats)
    index = {u: i for i, u in enumerate(ballots.units)}

    def explain(unit: str, value: int, rank: int) -> tuple[str, str]:
        i = index[unit]
        lost = [ballots.units[j] for j in np.nonzero(beats[:, i])[0]]
        who_vi = f"; thua theo đường mạnh nhất trước: {', '.join(lost)}" if lost else ""
        who_en = f"; beaten by {', '.join(lost)}" if lost else ""
        won = int(beats[i].sum())
        return (f"{unit} thắng {won} đơn vị theo đường mạnh nhất (Schulze){who_vi}; "
                f"xếp thứ {rank}.",
                f"{unit} beats {won} units by strongest paths (Schulze){who_en}; rank {rank}.")

    return build_result("schulze", ballots.units, exact, explain=explain, details={
        **_pairwise_details(ballots), "strongest_paths": paths.tolist(),
        "max_score": Fraction(ballots.n_units - 1)})


def layered_scores(beats: np.ndarray) -> list[int]:
    """Scores from a strict partial order: peel off the unbeaten units layer by layer.

    ``beats[a, b]`` says *a* is above *b*. Layer 1 are the units nobody beats (the winners),
    layer 2 the units nobody but layer 1 beats, and so on; a unit's score is the number of
    units in later layers. Units that are incomparable never leapfrog a winner, as ranking by
    "number of units beaten" could. O(n³).

    >>> layered_scores(np.array([[0, 1, 1, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]],
    ...                         dtype=bool))  # A beats B and C; D is beaten by nobody
    [2, 0, 0, 2]
    """
    n = beats.shape[0]
    remaining = np.ones(n, dtype=bool)
    layer_of = np.zeros(n, dtype=np.int64)
    layer = 0
    while remaining.any():
        beaten = (beats & remaining[:, None]).any(axis=0)
        top = remaining & ~beaten
        if not top.any():  # cannot happen for a strict partial order; guard against cycles
            top = remaining.copy()
        layer_of[top] = layer
        remaining &= ~top
        layer += 1
    return [int((layer_of > layer_of[j]).sum()) for j in range(n)]


def _lock(reach: np.ndarray, a: int, b: int) -> None:
    """Add the edge *a* → *b* to the transitive closure *reach* in place (O(n²) vectorised).

    ``reach[x, y]`` says *y* can be reached from *x* along locked edges; afterwards everything
    that reached *a* (and *a*) reaches everything *b* reached (and *b*).
    """
    sources = reach[:, a].copy()
    sources[a] = True
    targets = reach[b].copy()
    targets[b] = True
    reach |= sources[:, None] & targets[None, :]


@register("ranked_pairs", name_vi="Cặp xếp hạng (Tideman)", name_en="Ranked pairs (Tideman)",
          inputs=("ranked",), complexity="O(m·n² + n⁴)", condorcet=True)
def ranked_pairs(ballots: Ballots, *, tie_order: Sequence[str] | None = None) -> RankResult:
    """Ranked pairs: lock defeats from the largest margin down, skipping any that makes a cycle.

    Pairs with equal margins are locked in a fixed, documented order: those whose winner comes
    earlier in ``tie_order`` first, then whose loser comes earlier (default ``tie_order``: the
    official unit order; a meeting passes the order of its tie-break chain). The result says
    whether that order mattered: ``details["order_mattered"]`` is True when a pair of an
    equal-margin group was skipped because of another pair of the same group — i.e. a
    different order inside the group could have locked it instead. No search over all orders
    is made (that would be exponential). Zero margins are never locked.

    The locked graph is a strict partial order (zero margins are not locked); the ranking
    peels off its unbeaten units layer by layer (:func:`layered_scores`).

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2]] * 5 + [[1, 2, 0]] * 4 + [[2, 0, 1]] * 3,
    ...                         units=["A", "B", "C"])
    >>> r = ranked_pairs(b)
    >>> r.winners, r.details["locked"]
    (['A'], [['B', 'C'], ['A', 'B']])
    """
    n = ballots.n_units
    margins = ballots.margins()
    order = list(range(n))
    if tie_order is not None:
        index = UnitIndex(ballots.units)
        order = [index.position(u) for u in tie_order]
        if sorted(order) != list(range(n)):
            raise MethodError("tie_order phải liệt kê đủ các đơn vị, mỗi đơn vị một lần",
                              "tie_order must list every unit exactly once", value=tie_order)
    priority = {u: i for i, u in enumerate(order)}
    pairs = [(int(margins[a, b]), a, b) for a in range(n) for b in range(n) if margins[a, b] > 0]
    pairs.sort(key=lambda t: (-t[0], priority[t[1]], priority[t[2]]))
    closure = np.zeros((n, n), dtype=bool)  # transitive closure of the locked pairs
    locked_list: list[list[str]] = []
    skipped: list[list[str]] = []
    mattered: list[list[str]] = []
    i = 0
    while i < len(pairs):
        j = i
        while j < len(pairs) and pairs[j][0] == pairs[i][0]:
            j += 1
        group = pairs[i:j]
        before = closure.copy()
        for _, a, b in group:
            if closure[b, a]:  # b already reaches a: locking a → b would close a cycle
                skipped.append([ballots.units[a], ballots.units[b]])
                if len(group) > 1 and not before[b, a]:
                    mattered.append([ballots.units[a], ballots.units[b]])
            else:
                if not closure[a, b]:  # else a already reaches b: the closure is unchanged
                    _lock(closure, a, b)
                locked_list.append([ballots.units[a], ballots.units[b]])
        i = j
    exact = layered_scores(closure)
    beaten_by = {ballots.units[b]: [ballots.units[a] for a in range(n) if closure[a, b]]
                 for b in range(n)}

    def explain(unit: str, value: int, rank: int) -> tuple[str, str]:
        above = beaten_by[unit]
        vi = f"; đứng sau {', '.join(above)}" if above else ""
        en = f"; below {', '.join(above)}" if above else ""
        return (f"{unit}: xếp theo các cặp đã khóa (Tideman){vi}; xếp thứ {rank}.",
                f"{unit}: placed by the locked pairs (Tideman){en}; rank {rank}.")

    return build_result("ranked_pairs", ballots.units, exact, explain=explain, details={
        **_pairwise_details(ballots), "locked": locked_list, "skipped": skipped,
        "order_mattered": bool(mattered), "order_mattered_pairs": mattered,
        "tie_order": [ballots.units[k] for k in order],
        "max_score": Fraction(n - 1)}, options={"tie_order": list(tie_order or [])})


@register("minimax", name_vi="Minimax (thất bại nặng nhất nhỏ nhất)",
          name_en="Minimax (Simpson–Kramer)", inputs=("ranked",), complexity="O(m·n²)",
          condorcet=True)
def minimax(ballots: Ballots, *, score: MinimaxScore = "margins") -> RankResult:
    """Minimax: rank units by their worst head-to-head result, smallest defeat first.

    Parameters
    ----------
    score
        How a defeat of *a* by *b* is measured: ``margins`` (P[b,a] − P[a,b], 0 if *a* is not
        beaten), ``winning_votes`` (P[b,a] when *b* beats *a*, else 0) or
        ``pairwise_opposition`` (P[b,a] whether or not *b* wins).
        The score is minus the worst such number, so higher is better.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2]] * 5 + [[1, 2, 0]] * 4 + [[2, 0, 1]] * 3,
    ...                         units=["A", "B", "C"])
    >>> minimax(b).exact
    {'A': -2, 'B': -4, 'C': -6}
    """
    p = ballots.pairwise()
    against = p.T  # against[a, b] = ballots preferring b over a
    if score == "margins":
        defeat = np.maximum(against - p, 0)
    elif score == "winning_votes":
        defeat = np.where(against > p, against, 0)
    elif score == "pairwise_opposition":
        defeat = against.copy()
    else:
        raise MethodError("score phải là margins, winning_votes hoặc pairwise_opposition",
                          "score must be margins, winning_votes or pairwise_opposition",
                          value=score)
    np.fill_diagonal(defeat, 0)
    worst = defeat.max(axis=1) if ballots.n_units > 1 else np.zeros(1, dtype=np.int64)
    exact = [-int(w) for w in worst]
    index = {u: i for i, u in enumerate(ballots.units)}

    def explain(unit: str, value: int, rank: int) -> tuple[str, str]:
        i = index[unit]
        if worst[i] == 0:
            return (f"{unit} không thua đơn vị nào khi so sánh từng cặp; xếp thứ {rank}.",
                    f"{unit} loses to no unit head-to-head; rank {rank}.")
        j = int(np.argmax(defeat[i]))
        return (f"{unit}: thất bại nặng nhất là trước {ballots.units[j]} ({worst[i]}, "
                f"{score}); xếp thứ {rank}.",
                f"{unit}: its worst defeat is against {ballots.units[j]} ({worst[i]}, {score}); "
                f"rank {rank}.")

    return build_result("minimax", ballots.units, exact, explain=explain, options={"score": score},
                        details={**_pairwise_details(ballots), "worst_defeat": dict(
                            zip(ballots.units, worst.tolist(), strict=True))})
