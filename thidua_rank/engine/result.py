"""RankResult: the one result type every method returns.

>>> r = build_result("demo", ["A", "B", "C", "D", "E"], [9, 7, 5, 5, 1],
...                  explain=lambda u, s, rk: (f"{u}: {s}", f"{u}: {s}"))
>>> r.table
shape: (5, 4)
┌──────┬───────┬──────┬───────┐
│ unit ┆ score ┆ rank ┆ tied  │
│ ---  ┆ ---   ┆ ---  ┆ ---   │
│ str  ┆ f64   ┆ i64  ┆ bool  │
╞══════╪═══════╪══════╪═══════╡
│ A    ┆ 9.0   ┆ 1    ┆ false │
│ B    ┆ 7.0   ┆ 2    ┆ false │
│ C    ┆ 5.0   ┆ 3    ┆ true  │
│ D    ┆ 5.0   ┆ 3    ┆ true  │
│ E    ┆ 1.0   ┆ 5    ┆ false │
└──────┴───────┴──────┴───────┘
>>> r.groups()
[['A'], ['B'], ['C', 'D'], ['E']]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Literal, TypeAlias

import polars as pl

from thidua_rank._typing import Language
from thidua_rank.errors import UnknownUnitError
from thidua_rank.text import fold

__all__ = ["RankResult", "TieBreak", "TieOutcome", "build_result", "competition_ranks"]

TieOutcome: TypeAlias = Literal["separated", "partial", "unchanged", "joint", "skipped",
                                "pending"]
"""What one tie-break step did to a tied group (see :class:`TieBreak`)."""

Exact = int | Fraction


def competition_ranks(keys: Sequence[Any]) -> list[int]:
    """Competition ranks (1, 2, 3, 3, 5) of *keys*, larger key = better.

    Keys must be exactly comparable (ints, Fractions, tuples of those) — never floats that
    came out of a division.

    >>> competition_ranks([Fraction(1, 3), Fraction(2, 6), 1, 0])
    [2, 2, 1, 4]
    """
    ordered = sorted(keys, reverse=True)
    first: dict[Any, int] = {}
    for pos, key in enumerate(ordered):
        first.setdefault(key, pos + 1)
    return [first[k] for k in keys]


@dataclass(frozen=True)
class TieBreak:
    """The record of one tie-break step: which units, which rule, what it decided."""

    units: tuple[str, ...]
    rule: str
    outcome: TieOutcome
    """What the step did:

    - ``separated``: every unit now has a place of its own;
    - ``partial``: the group split into smaller groups, some still tied;
    - ``unchanged``: the rule had data but it does not tell the units apart;
    - ``joint``: the ``joint`` step: the units share the place (the chain stops);
    - ``skipped``: the rule had no data for this group (e.g. no criteria scores);
    - ``pending``: the ``runoff`` step before a run-off round among these units was held.
    """
    order: tuple[tuple[str, ...], ...] = ()
    """The groups after the step, best first."""
    note_vi: str = ""
    note_en: str = ""

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able dictionary."""
        return {"units": list(self.units), "rule": self.rule, "outcome": self.outcome,
                "order": [list(g) for g in self.order], "note_vi": self.note_vi,
                "note_en": self.note_en}


@dataclass(frozen=True, eq=False)
class RankResult:
    """A ranking: table ``unit, score, rank, tied`` plus the evidence behind it.

    Attributes
    ----------
    method
        The registered method id.
    table
        Polars table sorted by rank (then official order): ``unit`` (str), ``score`` (f64,
        higher is better), ``rank`` (competition rank), ``tied`` (shares its rank).
    exact
        The exact score of every unit (int or Fraction): ranks come from these, never from
        the rounded floats in ``table``.
    options
        The options the method ran with.
    details
        Method-specific evidence (pairwise matrix, rounds, contributions …).
    explanations
        Per unit, a sentence in Vietnamese and English saying why it got its place.
    tie_breaks
        Records of tie-break steps applied after the method (empty when none).
    """

    method: str
    table: pl.DataFrame
    exact: Mapping[str, Exact]
    options: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    explanations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    tie_breaks: tuple[TieBreak, ...] = ()

    @property
    def units(self) -> list[str]:
        """Units in ranking order."""
        return self.table.get_column("unit").to_list()

    @property
    def winners(self) -> list[str]:
        """Units ranked first (more than one when tied)."""
        return self.table.filter(pl.col("rank") == 1).get_column("unit").to_list()

    def rank_of(self, unit: str) -> int:
        """Competition rank of *unit* (matched by folded name)."""
        key = fold(unit)
        for name, rank in self.table.select("unit", "rank").iter_rows():
            if fold(name) == key:
                return int(rank)
        raise UnknownUnitError(f"không có đơn vị '{unit}'", f"no unit '{unit}' in this result",
                               value=unit)

    def groups(self) -> list[list[str]]:
        """Units grouped by rank, best first; a group of several is a joint place."""
        out: list[list[str]] = []
        last = None
        for unit, rank in self.table.select("unit", "rank").iter_rows():
            if rank != last:
                out.append([])
                last = rank
            out[-1].append(unit)
        return out

    def explain(self, lang: Language = "vi") -> pl.DataFrame:
        """Table ``unit, rank, explanation`` in the chosen language."""
        return self.table.select("unit", "rank").with_columns(
            pl.col("unit").map_elements(lambda u: self.explanations.get(u, {}).get(lang, ""),
                                        return_dtype=pl.String).alias("explanation"))

    def with_ranks(self, ranks: Mapping[str, int], tie_breaks: Sequence[TieBreak]) -> RankResult:
        """A copy with new ranks (after tie-breaking) and the records appended."""
        order = {u: i for i, u in enumerate(self.details.get("official_order", self.units))}
        table = self.table.with_columns(
            pl.col("unit").replace_strict(dict(ranks), return_dtype=pl.Int64).alias("rank"))
        table = _finish(table, order)
        return replace(self, table=table, tie_breaks=self.tie_breaks + tuple(tie_breaks))

    def to_dicts(self) -> list[dict[str, Any]]:
        """Rows as plain dictionaries (for JSON)."""
        return self.table.to_dicts()

    def __repr__(self) -> str:
        groups = " > ".join(" = ".join(g) for g in self.groups())
        return f"RankResult(method={self.method!r}: {groups})"


def _finish(table: pl.DataFrame, order: Mapping[str, int]) -> pl.DataFrame:
    """Recompute ``tied`` from ``rank`` and sort by rank, then official order."""
    return (
        table.with_columns(
            (pl.col("rank").count().over("rank") > 1).alias("tied"),
            pl.col("unit").replace_strict(dict(order), default=len(order),
                                          return_dtype=pl.Int64).alias("_order"),
        )
        .sort("rank", "_order")
        .drop("_order")
    )


def build_result(
    method: str,
    units: Sequence[str],
    exact: Sequence[Exact],
    *,
    explain: Callable[[str, Exact, int], tuple[str, str]] | None = None,
    options: Mapping[str, Any] | None = None,
    details: Mapping[str, Any] | None = None,
    keys: Sequence[Any] | None = None,
) -> RankResult:
    """Assemble a :class:`RankResult` from exact scores given in official unit order.

    Parameters
    ----------
    keys
        Optional ranking keys when the rank is not simply the score (e.g. lexicographic
        tuples); larger is better. Defaults to *exact*.
    explain
        ``(unit, exact score, rank) -> (vi, en)`` sentence builder.
    """
    units = list(units)
    ranks = competition_ranks(list(keys) if keys is not None else list(exact))
    table = pl.DataFrame({
        "unit": units,
        "score": [float(s) for s in exact],
        "rank": ranks,
    }, schema={"unit": pl.String, "score": pl.Float64, "rank": pl.Int64})
    order = {u: i for i, u in enumerate(units)}
    table = _finish(table, order)
    info = dict(details or {})
    info.setdefault("official_order", units)
    texts: dict[str, dict[str, str]] = {}
    if explain is not None:
        for unit, score, rank in zip(units, exact, ranks, strict=True):
            vi, en = explain(unit, score, rank)
            texts[unit] = {"vi": vi, "en": en}
    return RankResult(method=method, table=table, exact=dict(zip(units, exact, strict=True)),
                      options=dict(options or {}), details=info, explanations=texts)
