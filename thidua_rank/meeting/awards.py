"""Award allocation by tier: eligibility, quotas, joint places at the cut-off.

Tiers are filled highest first. A tier takes, in ranking order, the units not yet awarded that
meet its standard (minimum score, per-criterion floors, top scorer, approval threshold), up to
its quota. A joint place that straddles the cut-off goes through the tie-break chain; if the
units are still tied the tier's ``cutoff_tie`` policy decides: ``include`` (all of them — the
quota is exceeded and the record says so), ``exclude`` (none), or ``runoff`` (none yet: a run-off
round is pending).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from thidua_rank.meeting.config import TierConfig
from thidua_rank.text import format_number

__all__ = ["AwardedUnit", "TierAward", "UnitStanding", "allocate"]


@dataclass(frozen=True)
class UnitStanding:
    """What the tiers may check about a unit."""

    score: Fraction | None = None
    floors_missed: tuple[str, ...] = ()
    top_scorer: bool = False
    approvals: Mapping[str, tuple[int, int, bool]] | None = None
    """Per approval round: (votes, denominator, passes the tier's threshold)."""


@dataclass(frozen=True)
class AwardedUnit:
    """A unit proposed for a tier, with its place in the final ranking."""

    unit: str
    place: int
    joint: bool


@dataclass(frozen=True)
class TierAward:
    """The proposal for one tier."""

    tier: TierConfig
    units: tuple[AwardedUnit, ...]
    quota: int | None
    eligible: tuple[str, ...]
    notes: tuple[tuple[str, str], ...] = ()
    pending: tuple[str, ...] = ()
    """Units tied at the cut-off awaiting a run-off round (``cutoff_tie = "runoff"``)."""


def _eligible(tier: TierConfig, standing: UnitStanding) -> tuple[bool, tuple[str, str] | None]:
    if tier.min_score is not None and (standing.score is None or standing.score < tier.min_score):
        got = "—" if standing.score is None else format_number(standing.score, 2)
        return False, (f"điểm {got} < {format_number(tier.min_score, 2)}",
                       f"score {got} below {float(tier.min_score):g}")
    if tier.criteria_floors and standing.floors_missed:
        return False, (f"chưa đạt mức sàn: {', '.join(standing.floors_missed)}",
                       f"below the floor on {', '.join(standing.floors_missed)}")
    if tier.must_be_top and not standing.top_scorer:
        return False, ("không phải đơn vị có điểm cao nhất", "not the top scorer")
    if tier.approval_round is not None:
        votes, den, ok = (standing.approvals or {}).get(tier.approval_round, (0, 0, False))
        if not ok:
            return False, (f"{votes}/{den} phiếu đồng ý, chưa đạt ngưỡng",
                           f"{votes}/{den} approvals, below the threshold")
    return True, None


def allocate(
    tiers: Sequence[TierConfig],
    groups: Sequence[Sequence[str]],
    standings: Mapping[str, UnitStanding],
    *,
    members: int,
    resolve: Callable[[Sequence[str]], list[list[str]]],
) -> tuple[list[TierAward], list[list[str]]]:
    """Fill the tiers in order; return the awards and the (possibly refined) ranking groups.

    Parameters
    ----------
    groups
        The ranking as ordered groups of tied units (best first).
    resolve
        Tie-break chain for a group straddling a cut-off: returns ordered sub-groups (a
        sub-group of several units is still tied). Its records are kept by the caller.

    Examples
    --------
    >>> from thidua_rank.meeting.config import TierConfig
    >>> from thidua_rank.engine.thresholds import Quota
    >>> tiers = [TierConfig("flag", "Cờ", quota=Quota.parse(1)),
    ...          TierConfig("bk", "Bằng khen", quota=Quota.parse("20% remaining"))]
    >>> groups = [["A"], ["B"], ["C", "D"], ["E"]]
    >>> awards, _ = allocate(tiers, groups, {}, members=10, resolve=lambda g: [list(g)])
    >>> [(a.tier.id, [(u.unit, u.place, u.joint) for u in a.units]) for a in awards]
    [('flag', [('A', 1, False)]), ('bk', [('B', 2, False)])]
    """
    groups = [list(g) for g in groups]
    awarded: set[str] = set()
    out: list[TierAward] = []
    for tier in tiers:
        notes: list[tuple[str, str]] = []
        eligible = []
        for g in groups:
            for u in g:
                if u in awarded:
                    continue
                if _eligible(tier, standings.get(u, UnitStanding()))[0]:
                    eligible.append(u)
        remaining = members - len(awarded)
        quota = tier.quota.size(members=members, remaining=remaining, eligible=len(eligible)) \
            if tier.quota is not None else None
        limit = len(eligible) if quota is None else quota
        chosen: list[str] = []
        pending: list[str] = []
        eligible_set = set(eligible)
        index = 0
        while index < len(groups) and len(chosen) < limit:
            group = [u for u in groups[index] if u in eligible_set]
            if not group:
                index += 1
                continue
            if len(chosen) + len(group) <= limit:
                chosen.extend(group)
                index += 1
                continue
            # the group straddles the cut-off
            split = resolve(groups[index]) if len(groups[index]) > 1 else [groups[index]]
            if len(split) > 1:
                groups[index: index + 1] = [list(s) for s in split]
                continue
            if tier.cutoff_tie == "include":
                chosen.extend(group)
                notes.append((
                    f"{len(group)} đơn vị đồng hạng tại ngưỡng hạn mức; đề nghị cả {len(group)} "
                    f"(vượt hạn mức {limit})",
                    f"{len(group)} units tied at the quota cut-off; all proposed "
                    f"(quota {limit} exceeded)"))
            elif tier.cutoff_tie == "runoff":
                pending.extend(group)
                notes.append(("các đơn vị đồng hạng tại ngưỡng hạn mức cần bỏ phiếu lại",
                              "units tied at the cut-off need a run-off round"))
            else:
                notes.append(("các đơn vị đồng hạng tại ngưỡng hạn mức không được đề nghị",
                              "units tied at the cut-off are not proposed"))
            break
        place = {u: 1 + sum(len(g) for g in groups[:i]) for i, g in enumerate(groups) for u in g}
        size = {u: len(g) for g in groups for u in g}
        awarded.update(chosen)
        if quota is not None:
            vi, en = tier.quota.describe() if tier.quota else ("", "")
            notes.insert(0, (f"Hạn mức: {vi} = {quota}", f"Quota: {en} = {quota}"))
        out.append(TierAward(
            tier=tier, quota=quota, eligible=tuple(eligible), notes=tuple(notes),
            units=tuple(AwardedUnit(u, place[u], size[u] > 1) for u in chosen),
            pending=tuple(pending)))
    return out, groups
