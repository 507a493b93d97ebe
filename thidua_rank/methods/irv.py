"""``instant_runoff``: elect the head unit by successive elimination (IRV)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Literal

import numpy as np

from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.errors import MethodError
from thidua_rank.methods.tally import first_preferences
from thidua_rank.text import format_number, format_percent

__all__ = ["instant_runoff"]


@register("instant_runoff", name_vi="Bầu loại dần (IRV)", name_en="Instant runoff (IRV)",
          inputs=("ranked",), complexity="O(n·m·n)")
def instant_runoff(
    ballots: Ballots,
    *,
    eliminate: Literal["all_tied", "tie_order"] = "all_tied",
    tie_order: Sequence[str] | None = None,
) -> RankResult:
    """Instant runoff: count first preferences, eliminate the weakest, repeat.

    Each ballot counts for its highest-ranked continuing unit; a ballot with k continuing units
    tied at its top gives each 1/k. A unit with more than half of the continuing (not
    exhausted) votes wins. Otherwise the unit(s) with the fewest votes are eliminated: all of
    them together (``all_tied``, as pref_voting does), or only one, chosen by ``tie_order``
    (units later in the list go first) — the result records when that order decided.

    The ranking: the winner first, the other units still in the count by their final votes,
    then the eliminated units in reverse order of elimination (those eliminated together with
    equal votes share a place). ``score`` = last round reached + votes in it / (ballots + 1),
    an exact number whose order is that ranking.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2]] * 4 + [[1, 2, 0]] * 3 + [[2, 1, 0]] * 2,
    ...                         units=["A", "B", "C"])
    >>> r = instant_runoff(b)
    >>> r.winners, [rd["eliminated"] for rd in r.details["rounds"]]
    (['B'], [['C'], []])
    """
    n = ballots.n_units
    if eliminate == "tie_order":
        if tie_order is None or sorted(tie_order) != sorted(ballots.units):
            raise MethodError("tie_order phải liệt kê đủ các đơn vị",
                              "tie_order must list every unit exactly once", value=tie_order)
        priority = {u: i for i, u in enumerate(tie_order)}
    elif eliminate != "all_tied":
        raise MethodError("eliminate phải là 'all_tied' hoặc 'tie_order'",
                          "eliminate must be 'all_tied' or 'tie_order'", value=eliminate)
    total = ballots.n_ballots
    continuing = np.ones(n, dtype=bool)
    reached: dict[str, tuple[int, Fraction]] = {}
    rounds: list[dict[str, object]] = []
    decided_by_order = False
    winners: list[str] = []
    number = 0
    while continuing.any():
        number += 1
        tallies, exhausted = first_preferences(ballots, continuing)
        live = [j for j in range(n) if continuing[j]]
        active = sum((tallies[j] for j in live), Fraction(0))
        record: dict[str, object] = {
            "round": number, "tallies": {ballots.units[j]: tallies[j] for j in live},
            "exhausted": exhausted, "eliminated": []}
        rounds.append(record)
        leader = max(live, key=lambda j: tallies[j])
        if (active > 0 and tallies[leader] * 2 > active) or len(live) == 1:
            winners = [ballots.units[leader]]
            for j in live:
                reached[ballots.units[j]] = (number, tallies[j])
            break
        low = min(tallies[j] for j in live)
        out = [j for j in live if tallies[j] == low]
        if len(out) == len(live):  # everyone tied: they share the win
            winners = [ballots.units[j] for j in live]
            for j in live:
                reached[ballots.units[j]] = (number, tallies[j])
            break
        if eliminate == "tie_order" and len(out) > 1:
            decided_by_order = True
            out = [max(out, key=lambda j: priority[ballots.units[j]])]
        for j in out:
            continuing[j] = False
            reached[ballots.units[j]] = (number, tallies[j])
        record["eliminated"] = [ballots.units[j] for j in out]
    exact = [number_reached + votes / (total + 1)
             for number_reached, votes in (reached[u] for u in ballots.units)]
    exact = [Fraction(x) for x in exact]
    last = len(rounds)

    def explain(unit: str, value: Fraction, rank: int) -> tuple[str, str]:
        at, votes = reached[unit]
        share = format_percent(votes / total) if total else "0%"
        if unit in winners:
            return (f"{unit} dẫn đầu ở vòng {at} với {format_number(votes, 2)}/{total} phiếu "
                    f"({share}); xếp thứ {rank}.",
                    f"{unit} leads in round {at} with {float(votes):g} of {total} votes; "
                    f"rank {rank}.")
        if at == last:
            return (f"{unit} còn lại đến vòng cuối ({at}) với {format_number(votes, 2)} phiếu; "
                    f"xếp thứ {rank}.",
                    f"{unit} stayed to the last round ({at}) with {float(votes):g} votes; "
                    f"rank {rank}.")
        return (f"{unit} bị loại ở vòng {at} với {format_number(votes, 2)} phiếu; "
                f"xếp thứ {rank}.",
                f"{unit} was eliminated in round {at} with {float(votes):g} votes; rank {rank}.")

    return build_result("instant_runoff", ballots.units, exact, explain=explain,
                        options={"eliminate": eliminate, "tie_order": list(tie_order or [])},
                        details={"rounds": rounds, "tie_order_decided": decided_by_order,
                                 "winners": winners})
