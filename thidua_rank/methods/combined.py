"""``combined``: a weighted blend of several rankings' normalised scores (e.g. score and vote)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.engine.thresholds import parse_fraction
from thidua_rank.errors import MethodError
from thidua_rank.text import format_number

__all__ = ["combined"]


def _normalised(result: RankResult) -> dict[str, Fraction]:
    top = result.details.get("max_score")
    if top is None:
        top = max((Fraction(v) for v in result.exact.values()), default=Fraction(0))
    top = Fraction(top)
    return {u: (Fraction(v) / top if top else Fraction(0)) for u, v in result.exact.items()}


@register("combined", name_vi="Kết hợp điểm và phiếu bầu", name_en="Weighted combination",
          inputs=("results",), complexity="O(k·n)")
def combined(results: Sequence[RankResult], *,
             weights: Sequence[Fraction | float | str] | None = None) -> RankResult:
    """Blend rankings: Σ wᵢ · scoreᵢ / maxᵢ, with exact fractions.

    Each result's score is divided by its maximum possible score (``details["max_score"]``,
    e.g. the nominal 100 points or Borda's (n−1)·ballots), or by the best observed score when
    the method declares none, so every part lies in [0, 1] before weighting.

    Parameters
    ----------
    results
        Two or more results over the same units (e.g. ``weighted_sum`` and ``borda``).
    weights
        One weight per result, summing to 1 (``"1/2"``, ``0.3`` or Fractions); equal by default.

    Examples
    --------
    >>> from thidua_rank.engine.result import build_result
    >>> s = build_result("weighted_sum", ["A", "B"], [Fraction(90), Fraction(80)],
    ...                  details={"max_score": Fraction(100)})
    >>> v = build_result("borda", ["A", "B"], [Fraction(2), Fraction(8)],
    ...                  details={"max_score": Fraction(10)})
    >>> combined([s, v], weights=["1/2", "1/2"]).exact
    {'A': Fraction(11, 20), 'B': Fraction(4, 5)}
    """
    results = list(results)
    if len(results) < 2:
        raise MethodError("cần ít nhất hai kết quả để kết hợp",
                          "combined needs at least two results", value=len(results))
    units = list(results[0].details.get("official_order", results[0].units))
    for r in results[1:]:
        if set(r.exact) != set(units):
            raise MethodError("các kết quả phải cùng danh sách đơn vị",
                              "all results must rank the same units",
                              value=sorted(set(r.exact) ^ set(units)))
    w = ([Fraction(1, len(results))] * len(results) if weights is None
         else [parse_fraction(x, what="weights") for x in weights])
    if len(w) != len(results) or sum(w) != 1:
        raise MethodError("trọng số phải có một giá trị cho mỗi kết quả và tổng bằng 1",
                          "weights must give one value per result and sum to 1",
                          value=[str(x) for x in w])
    parts = [_normalised(r) for r in results]
    exact = [sum((wi * p[u] for wi, p in zip(w, parts, strict=True)), Fraction(0))
             for u in units]

    def explain(unit: str, value: Fraction, place: int) -> tuple[str, str]:
        bits_vi = ", ".join(f"{r.method} {format_number(p[unit] * 100, 1)}% × "
                            f"{format_number(wi * 100, 0)}%"
                            for r, p, wi in zip(results, parts, w, strict=True))
        bits_en = ", ".join(f"{r.method} {float(p[unit]) * 100:.1f}% × {float(wi) * 100:.0f}%"
                            for r, p, wi in zip(results, parts, w, strict=True))
        return (f"{unit}: điểm kết hợp {format_number(value * 100, 2)}/100 ({bits_vi}); "
                f"xếp thứ {place}.",
                f"{unit}: combined {float(value) * 100:.2f}/100 ({bits_en}); rank {place}.")

    return build_result("combined", units, exact, explain=explain,
                        options={"weights": [str(x) for x in w]},
                        details={"parts": {r.method: p for r, p in zip(results, parts,
                                                                        strict=True)},
                                 "max_score": Fraction(1)})
