"""Criteria scoring: the score table, score sources, totals and floors.

The ranking method over a sheet is ``weighted_sum`` (:mod:`thidua_rank.methods.criteria`).

A unit's score on each criterion comes from one of its sources — its own score (``self``), the
head's verified score (``verified``), or cross scores by other units (``cross``) — chosen by the
meeting's :class:`~thidua_rank.meeting.config.ScoringConfig`. The total is the weighted sum of item
points, plus bonus lines up to a cap, minus deductions; it may exceed the nominal maximum.

>>> crit = (Criterion("c1", "Nhiệm vụ", 60), Criterion("c2", "Phong trào", 40),
...         Criterion("b1", "Điểm thưởng", 10, kind="bonus"))
>>> F = Fraction
>>> entries = [ScoreEntry("A", "c1", "self", F(55)), ScoreEntry("A", "c2", "self", F(38)),
...            ScoreEntry("A", "c1", "verified", F(52)), ScoreEntry("A", "b1", "self", F(6)),
...            ScoreEntry("B", "c1", "self", F(58)), ScoreEntry("B", "c2", "self", F(39))]
>>> sheet = ScoreSheet(units=("A", "B"), criteria=crit, entries=tuple(entries), bonus_cap=F(5))
>>> from thidua_rank.methods import weighted_sum
>>> weighted_sum(sheet).table.select("unit", "score", "rank")
shape: (2, 3)
┌──────┬───────┬──────┐
│ unit ┆ score ┆ rank │
│ ---  ┆ ---   ┆ ---  │
│ str  ┆ f64   ┆ i64  │
╞══════╪═══════╪══════╡
│ B    ┆ 97.0  ┆ 1    │
│ A    ┆ 95.0  ┆ 2    │
└──────┴───────┴──────┘
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from thidua_rank._typing import ScoreRule
from thidua_rank.errors import InputError
from thidua_rank.text import format_number

if TYPE_CHECKING:  # polars and the result model load when a ranking is computed
    import polars as pl


__all__ = [
    "Criterion",
    "MissingScoresError",
    "ScoreEntry",
    "ScoreSheet",
    "UnitScore",
    "sheet_from_rows",
]

CriterionKind = Literal["item", "bonus", "deduction"]
Source = Literal["self", "verified", "cross"]


class MissingScoresError(InputError):
    """Some units of the bloc have no score row at all.

    A reader catches this type (not the message) to name its scores table: the error is about
    the table as a whole, so it has no row or column. The units are in :attr:`value`.
    """


@dataclass(frozen=True)
class Criterion:
    """One line of the scoring table.

    ``max_points`` is the standard points of an item, the most a bonus line can add, or the most
    a deduction line can take away. ``floor_pct`` is the share of ``max_points`` an item must
    reach for a tier that checks per-criterion floors.
    """

    id: str
    name: str
    max_points: Fraction | int
    group: str = ""
    weight: Fraction | int = 1
    floor_pct: Fraction | None = None
    kind: CriterionKind = "item"


@dataclass(frozen=True)
class ScoreEntry:
    """One score: *unit* got *points* on *criterion* from *source* (scored by *scorer*)."""

    unit: str
    criterion: str
    source: Source
    points: Fraction
    scorer: str = ""
    row: int | None = None
    file: str | None = None


@dataclass(frozen=True)
class UnitScore:
    """A unit's resolved score: points per criterion, total, and the floors it misses."""

    unit: str
    points: Mapping[str, Fraction]
    items: Fraction
    bonus: Fraction
    deductions: Fraction
    total: Fraction
    floors_missed: tuple[str, ...]
    sources: Mapping[str, str]


@dataclass(frozen=True, eq=False)
class ScoreSheet:
    """Criteria and every score entered for the units of a bloc."""

    units: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    entries: tuple[ScoreEntry, ...]
    rule: ScoreRule = "verified_over_self"
    trim: int = 1
    bonus_cap: Fraction | None = None
    kind = "scores"

    @property
    def nominal_max(self) -> Fraction:
        """Sum of weighted item maxima (bonus excluded): the scale, e.g. 100 or 1.000."""
        return sum((Fraction(c.weight) * Fraction(c.max_points) for c in self.criteria
                    if c.kind == "item"), Fraction(0))

    def resolve(self) -> dict[str, UnitScore]:
        """Resolve each unit's points per criterion by :attr:`rule`; compute totals and floors."""
        by_key: dict[tuple[str, str], dict[str, list[Fraction]]] = defaultdict(
            lambda: defaultdict(list))
        for e in self.entries:
            by_key[(e.unit, e.criterion)][e.source].append(e.points)
        out: dict[str, UnitScore] = {}
        for unit in self.units:
            points: dict[str, Fraction] = {}
            sources: dict[str, str] = {}
            for c in self.criteria:
                value, source = self._pick(by_key.get((unit, c.id), {}))
                points[c.id] = value
                sources[c.id] = source
            items = sum((Fraction(c.weight) * points[c.id] for c in self.criteria
                         if c.kind == "item"), Fraction(0))
            bonus = sum((points[c.id] for c in self.criteria if c.kind == "bonus"), Fraction(0))
            if self.bonus_cap is not None:
                bonus = min(bonus, self.bonus_cap)
            deductions = sum((points[c.id] for c in self.criteria if c.kind == "deduction"),
                             Fraction(0))
            missed = tuple(c.id for c in self.criteria if c.kind == "item"
                           and c.floor_pct is not None
                           and points[c.id] < c.floor_pct * Fraction(c.max_points))
            out[unit] = UnitScore(unit=unit, points=points, items=items, bonus=bonus,
                                  deductions=deductions, total=items + bonus - deductions,
                                  floors_missed=missed, sources=sources)
        return out

    def _pick(self, found: Mapping[str, list[Fraction]]) -> tuple[Fraction, str]:
        verified = found.get("verified", [])
        own = found.get("self", [])
        cross = found.get("cross", [])
        if self.rule in ("cross_mean", "cross_trimmed_mean") and cross:
            values = sorted(cross)
            if self.rule == "cross_trimmed_mean" and len(values) > 2 * self.trim:
                values = values[self.trim: len(values) - self.trim]
            return sum(values, Fraction(0)) / len(values), "cross"
        if self.rule != "self" and verified:
            return verified[-1], "verified"
        if own:
            return own[-1], "self"
        return Fraction(0), "missing"

    def table(self) -> pl.DataFrame:
        """Resolved points as a wide table: unit, one column per criterion, total."""
        import polars as pl

        resolved = self.resolve()
        rows = []
        for unit in self.units:
            s = resolved[unit]
            row: dict[str, object] = {"unit": unit}
            row.update({cid: float(v) for cid, v in s.points.items()})
            row["total"] = float(s.total)
            rows.append(row)
        return pl.DataFrame(rows)

    def check(self) -> None:
        """Every entry within its criterion's range; every unit has at least one score."""
        crit = {c.id: c for c in self.criteria}
        for e in self.entries:
            c = crit.get(e.criterion)
            if c is None:
                raise InputError(f"không có tiêu chí '{e.criterion}'",
                                 f"no criterion '{e.criterion}' in the criteria table",
                                 file=e.file, row=e.row, column=e.criterion)
            if e.points < 0 or e.points > Fraction(c.max_points):
                raise InputError(
                    f"điểm phải từ 0 đến {format_number(Fraction(c.max_points), 2)}",
                    f"points must be between 0 and {float(c.max_points):g} ({c.name})",
                    file=e.file, row=e.row, column=e.criterion, value=float(e.points))
        scored = {e.unit for e in self.entries}
        missing = [u for u in self.units if u not in scored]
        if missing:
            raise MissingScoresError(f"chưa có điểm của các đơn vị {missing}",
                                     f"no scores for units {missing}",
                                     file=self.entries[0].file if self.entries else None)


def sheet_from_rows(units: Sequence[str], criteria: Sequence[Criterion],
                    entries: Sequence[ScoreEntry], **options: object) -> ScoreSheet:
    """Build and check a :class:`ScoreSheet` (convenience for readers and tests)."""
    sheet = ScoreSheet(units=tuple(units), criteria=tuple(criteria), entries=tuple(entries),
                       **options)  # type: ignore[arg-type]
    sheet.check()
    return sheet
