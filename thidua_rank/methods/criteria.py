"""``weighted_sum``: rank units by their criteria total (the score sheet's resolved points).

>>> from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet
>>> crit = (Criterion("c1", "Chuyên môn", 60), Criterion("c2", "Phong trào", 40))
>>> entries = (ScoreEntry("A", "c1", "self", Fraction(50)),
...            ScoreEntry("A", "c2", "self", Fraction(40)))
>>> weighted_sum(ScoreSheet(units=("A",), criteria=crit, entries=entries)).exact
{'A': Fraction(90, 1)}
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.engine.scores import Criterion, ScoreSheet
from thidua_rank.errors import InputError
from thidua_rank.text import format_number

__all__ = ["weighted_sum"]


@register("weighted_sum", name_vi="Tổng điểm tiêu chí có trọng số",
          name_en="Weighted criteria sum", inputs=("scores",), complexity="O(n·c)")
def weighted_sum(sheet: ScoreSheet, *, weights: Mapping[str, Fraction | int] | None = None
                 ) -> RankResult:
    """Rank units by their criteria total: Σ weight·points + capped bonus − deductions.

    Parameters
    ----------
    sheet
        The score sheet (its ``rule`` picks self / verified / cross scores).
    weights
        Override criterion weights by id (e.g. for a robustness study); others keep theirs.

    Examples
    --------
    >>> from thidua_rank.engine.scores import ScoreEntry
    >>> crit = (Criterion("c1", "Chuyên môn", 60), Criterion("c2", "Phong trào", 40))
    >>> entries = (ScoreEntry("A", "c1", "self", Fraction(50)),
    ...            ScoreEntry("A", "c2", "self", Fraction(40)),
    ...            ScoreEntry("B", "c1", "self", Fraction(58)),
    ...            ScoreEntry("B", "c2", "self", Fraction(30)))
    >>> sheet = ScoreSheet(units=("A", "B"), criteria=crit, entries=entries)
    >>> weighted_sum(sheet).exact, weighted_sum(sheet, weights={"c2": 2}).exact
    ({'A': Fraction(90, 1), 'B': Fraction(88, 1)}, {'A': Fraction(130, 1), 'B': Fraction(118, 1)})
    """
    if weights:
        unknown = set(weights) - {c.id for c in sheet.criteria}
        if unknown:
            raise InputError("trọng số cho tiêu chí không tồn tại",
                             f"weights given for unknown criteria {sorted(unknown)}")
        crit = tuple(Criterion(c.id, c.name, c.max_points, c.group,
                               Fraction(weights.get(c.id, c.weight)), c.floor_pct, c.kind)
                     for c in sheet.criteria)
        sheet = ScoreSheet(units=sheet.units, criteria=crit, entries=sheet.entries,
                           rule=sheet.rule, trim=sheet.trim, bonus_cap=sheet.bonus_cap)
    resolved = sheet.resolve()
    totals = [resolved[u].total for u in sheet.units]
    names = {c.id: c.name for c in sheet.criteria}

    def explain(unit: str, total: Fraction, rank: int) -> tuple[str, str]:
        s = resolved[unit]
        extra_vi = f", cộng {format_number(s.bonus, 2)}" if s.bonus else ""
        extra_en = f", bonus {float(s.bonus):g}" if s.bonus else ""
        if s.deductions:
            extra_vi += f", trừ {format_number(s.deductions, 2)}"
            extra_en += f", deductions {float(s.deductions):g}"
        floors_vi = (f"; chưa đạt mức sàn ở: {', '.join(names[c] for c in s.floors_missed)}"
                     if s.floors_missed else "")
        floors_en = (f"; below the floor on: {', '.join(s.floors_missed)}"
                     if s.floors_missed else "")
        return (
            f"{unit} đạt {format_number(total, 2)} điểm (tiêu chí {format_number(s.items, 2)}"
            f"{extra_vi}){floors_vi}; xếp thứ {rank}.",
            f"{unit} scored {float(total):g} points (criteria {float(s.items):g}{extra_en})"
            f"{floors_en}; rank {rank}.",
        )

    contributions = {u: {cid: float(v) for cid, v in resolved[u].points.items()}
                     for u in sheet.units}
    return build_result(
        "weighted_sum", sheet.units, totals, explain=explain,
        options={"weights": dict(weights or {}), "rule": sheet.rule},
        details={"contributions": contributions, "resolved": resolved,
                 "max_score": sheet.nominal_max,
                 "floors_missed": {u: list(resolved[u].floors_missed) for u in sheet.units}})
