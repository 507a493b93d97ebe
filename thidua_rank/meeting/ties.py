"""Tie-breaking: an explicit chain of rules, each step recorded.

Competition ranks (1, 2, 3, 3, 5) are the default: units with equal exact scores share a place.
Where a tie matters (usually at an award cut-off), :func:`resolve_tie` walks the configured chain
— e.g. criteria score → head-to-head → first places → run-off round → chair's decision → seeded
lot → joint place — and returns the ordered sub-groups plus a :class:`TieBreak` record per step.

>>> ctx = TieContext(score={"A": Fraction(95), "B": Fraction(95), "C": Fraction(91)},
...                  pairwise={("A", "B"): 6, ("B", "A"): 4})
>>> groups, records = resolve_tie(["A", "B", "C"], ("score", "head_to_head", "joint"), ctx)
>>> groups
[['A'], ['B'], ['C']]
>>> [(r.rule, r.outcome) for r in records]
[('score', 'partial'), ('head_to_head', 'separated')]
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from thidua_rank.engine.result import TieBreak, TieOutcome
from thidua_rank.errors import ConfigError
from thidua_rank.meeting.config import ChairDecision
from thidua_rank.text import fold

__all__ = ["RULES", "TieContext", "resolve_tie", "rule_labels"]

RULE_LABELS: dict[str, tuple[str, str]] = {
    "score": ("tổng điểm chấm theo tiêu chí", "criteria score"),
    "vote": ("kết quả bỏ phiếu", "vote result"),
    "head_to_head": ("đối đầu trực tiếp", "head-to-head"),
    "first_places": ("số phiếu xếp thứ nhất", "number of first places"),
    "runoff": ("bỏ phiếu lại giữa các đơn vị bằng nhau", "run-off ballot among the tied units"),
    "chair": ("quyết định của chủ trì", "chair's decision"),
    "lot": ("bốc thăm (có ghi hạt giống ngẫu nhiên)", "seeded lot"),
    "joint": ("đồng hạng", "joint place"),
}


def rule_labels(rule: str) -> tuple[str, str]:
    """Vietnamese and English name of a tie-break rule."""
    return RULE_LABELS.get(rule, (rule, rule))


@dataclass(frozen=True)
class TieContext:
    """What the tie-break rules may look at (any field may be missing)."""

    score: Mapping[str, Fraction] | None = None
    vote: Mapping[str, Fraction] | None = None
    pairwise: Mapping[tuple[str, str], int] | None = None
    first_places: Mapping[str, int] | None = None
    runoffs: Mapping[frozenset[str], Sequence[Sequence[str]]] = field(default_factory=dict)
    decisions: Sequence[ChairDecision] = ()
    seed: int | None = None


def _by_key(group: Sequence[str], key: Callable[[str], Any]) -> list[list[str]]:
    """Split *group* by descending key, keeping the given order inside equal keys."""
    values = {u: key(u) for u in group}
    out: list[list[str]] = []
    for value in sorted(set(values.values()), reverse=True):
        out.append([u for u in group if values[u] == value])
    return out


def _table(attr: str) -> Callable[[Sequence[str], TieContext], list[list[str]] | None]:
    """A rule ordering the group by one table of the context (higher first)."""

    def rule(group: Sequence[str], ctx: TieContext) -> list[list[str]] | None:
        table = getattr(ctx, attr)
        if table is None or any(u not in table for u in group):
            return None
        return _by_key(group, lambda u: table[u])

    rule.__doc__ = f"Order by ``ctx.{attr}``, higher first; no data when it lacks a unit."
    return rule


def _head_to_head(group: Sequence[str], ctx: TieContext) -> list[list[str]] | None:
    """Wins minus losses in the pairwise contests inside the group (a mini league)."""
    if ctx.pairwise is None:
        return None
    pw = ctx.pairwise

    def record(u: str) -> int:
        total = 0
        for v in group:
            if v != u:
                a, b = pw.get((u, v), 0), pw.get((v, u), 0)
                total += (a > b) - (a < b)
        return total

    return _by_key(group, record)


def _runoff(group: Sequence[str], ctx: TieContext) -> list[list[str]] | None:
    key = frozenset(fold(u) for u in group)
    order = next((o for units, o in ctx.runoffs.items()
                  if frozenset(fold(u) for u in units) == key), None)
    if order is None:
        return None
    position = {fold(u): i for i, g in enumerate(order) for u in g}
    return _by_key(group, lambda u: -position.get(fold(u), len(order)))


def _chair(group: Sequence[str], ctx: TieContext) -> list[list[str]] | None:
    key = frozenset(fold(u) for u in group)
    for decision in ctx.decisions:
        if frozenset(fold(u) for u in decision.units) == key:
            position = {fold(u): i for i, u in enumerate(decision.order)}
            if set(position) != key:
                raise ConfigError("quyết định của chủ trì phải sắp xếp đủ các đơn vị bằng nhau",
                                  "a chair's decision must order exactly the tied units",
                                  column="tie_break.decisions", value=list(decision.order))
            return [[u] for u in sorted(group, key=lambda u: position[fold(u)])]
    return None


def _lot(group: Sequence[str], ctx: TieContext) -> list[list[str]]:
    if ctx.seed is None:
        raise ConfigError("bốc thăm cần 'tie_break.seed' để kết quả có thể kiểm tra lại",
                          "a lot needs 'tie_break.seed' so that the draw can be reproduced",
                          column="tie_break.seed")
    names = sorted(group, key=fold)
    rng = random.Random(f"{ctx.seed}|{'|'.join(fold(u) for u in names)}")
    rng.shuffle(names)
    return [[u] for u in names]


def _joint(group: Sequence[str], ctx: TieContext) -> list[list[str]]:
    """The units share the place (the chain stops here)."""
    return [list(group)]


Rule = Callable[[Sequence[str], TieContext], list[list[str]] | None]
"""A tie-break rule: the tied group ordered into sub-groups, or ``None`` without data."""

RULES: dict[str, Rule] = {
    "score": _table("score"),
    "vote": _table("vote"),
    "first_places": _table("first_places"),
    "head_to_head": _head_to_head,
    "runoff": _runoff,
    "chair": _chair,
    "lot": _lot,
    "joint": _joint,
}
"""Every rule of the chain, by the name ``tie_break.chain`` uses (``_typing.TieRule``)."""


def _step(rule: str, group: list[str], ctx: TieContext) -> tuple[list[list[str]], TieBreak]:
    """Apply one rule to one tied group: its sub-groups and the record of the step."""
    apply = RULES.get(rule)
    if apply is None:
        raise ConfigError(f"bước phá hòa không hợp lệ '{rule}'",
                          f"unknown tie-break rule '{rule}'", value=rule)
    split = apply(group, ctx)
    outcome: TieOutcome
    note_vi = note_en = ""
    if rule == "joint":
        outcome, note_vi, note_en = "joint", "đồng hạng", "joint place"
    elif split is None:
        outcome = "pending" if rule == "runoff" else "skipped"
        vi, en = rule_labels(rule)
        note_vi, note_en = f"chưa có dữ liệu cho bước: {vi}", f"no data for this step: {en}"
    elif all(len(s) == 1 for s in split):
        outcome = "separated"
    else:
        outcome = "partial" if len(split) > 1 else "unchanged"
    if rule == "lot":
        note_vi = note_en = f"seed={ctx.seed}"
    groups = [group] if split is None else split
    return groups, TieBreak(units=tuple(group), rule=rule, outcome=outcome,
                            order=tuple(tuple(g) for g in groups), note_vi=note_vi,
                            note_en=note_en)


def resolve_tie(
    group: Sequence[str], chain: Sequence[str], ctx: TieContext
) -> tuple[list[list[str]], list[TieBreak]]:
    """Order the tied *group* by the rules of *chain*, in turn, recording each step.

    Returns the ordered sub-groups (a sub-group of several units is still tied: a joint place)
    and the records (:class:`~thidua_rank.TieBreak`, whose ``outcome`` says what each step
    did). A rule with no data (e.g. no run-off held yet) is recorded as ``skipped`` — for
    ``runoff`` as ``pending`` — and the chain goes on. ``joint`` stops the chain.
    """
    records: list[TieBreak] = []
    groups = [list(group)]
    for rule in chain:
        if all(len(g) == 1 for g in groups):
            break
        next_groups: list[list[str]] = []
        for g in groups:
            if len(g) == 1:
                next_groups.append(g)
                continue
            split, record = _step(rule, g, ctx)
            records.append(record)
            next_groups.extend(split)
        groups = next_groups
    return groups, records
