"""How close was the cut-off? Ballots (or weights) that separate a unit from the next tier.

:func:`cutoff_margins` looks at the units next to each award tier's cut-off — the last units
awarded the tier and the first units left below it — and asks how few ballots would have to
change to move each across, and how (the edit), verifying every answer by re-running the whole
meeting on the edited ballots. For a meeting ranked by the criteria score it gives instead the
smallest relative change of the criteria weights that would.

Exact or bounded
----------------
*Borda and approval* (additive methods): changing one ballot changes the score difference of
two units by at most a known amount per ballot ("put V first and U last", "mark V, unmark U"),
so the fewest ballots that bring a rival level with the unit is a proven lower bound; the
search tries each rival with its best edits and verifies with the meeting. ``exact`` is true
when the verified edit reaches the lower bound. *Other methods*: a bounded search (up to
``max_ballots`` edited ballots per rival), stated in ``search``. *Score*: for rival *v* the
weights that move *u* furthest relative to it change each weight by the same share *t* in the
helpful direction, so ``t = gap / Σ w_c·|p_uc − p_vc|`` is exact (and likewise for a tier's
minimum score).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from thidua_rank.analysis.progress import Cancel, Progress, Ticker
from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.scores import Criterion, ScoreSheet
from thidua_rank.errors import InputError
from thidua_rank.methods import rank

if TYPE_CHECKING:
    from thidua_rank.meeting.model import Meeting
    from thidua_rank.meeting.pipeline import MeetingOutcome

__all__ = ["boundary_units", "cutoff_margins", "edit_ballots"]

ADDITIVE = ("borda", "approval")
SCHEMA = {"unit": pl.String, "tier": pl.String, "direction": pl.String,
          "opponent": pl.String, "score_gap": pl.Float64, "ballots": pl.Int64,
          "ballots_low": pl.Int64, "exact": pl.Boolean, "weight_change": pl.Float64,
          "search": pl.String, "edit_vi": pl.String, "edit_en": pl.String}


def _tier_rank(meeting: Meeting, tier: str | None) -> int:
    ids = [t.id for t in meeting.config.tiers]
    return ids.index(tier) if tier in ids else len(ids)


def boundary_units(outcome: MeetingOutcome) -> list[tuple[str, str, str]]:
    """``(unit, tier id, direction)`` for the units next to each tier's cut-off.

    ``out``: the last-placed units awarded the tier (they could fall out of it); ``in``: the
    best-placed units with a lower tier or none (they could rise into it).
    """
    meeting = outcome.meeting
    place = dict(outcome.ranking.table.select("unit", "rank").iter_rows())
    out: list[tuple[str, str, str]] = []
    for t, award in enumerate(outcome.awards):
        inside = [a.unit for a in award.units]
        if inside:
            worst = max(place[u] for u in inside)
            out += [(u, award.tier.id, "out") for u in inside if place[u] == worst]
        below = [u for u in meeting.units if _tier_rank(meeting, outcome.award_of(u)) > t]
        if below:
            best = min(place[u] for u in below)
            out += [(u, award.tier.id, "in") for u in below if place[u] == best]
    return out


def _expand(ballots: Ballots) -> Ballots:
    """One row per ballot (counts of 1), ids ``id`` or ``id.k`` for repeated rows."""
    reps = ballots.counts.astype(np.int64)
    rows = np.repeat(np.arange(len(reps)), reps)
    ids = tuple(ballots.ids[i] if reps[i] == 1 else f"{ballots.ids[i]}.{k + 1}"
                for i in range(len(reps)) for k in range(int(reps[i])))
    return Ballots(units=ballots.units, ranks=ballots.ranks[rows].copy(),
                   counts=np.ones(len(rows), np.int64), kind=ballots.kind, ids=ids,
                   max_choices=ballots.max_choices)


def edit_ballots(ballots: Ballots, rows: Sequence[int], up: int, down: int) -> Ballots:
    """*ballots* (one row per ballot) with rows rewritten to favour unit *up* over *down*.

    Ranked: *up* first, *down* last, the others in their order between. Approval / choose:
    *up* marked, *down* unmarked.

    >>> b = Ballots.from_orders([[0, 1, 2]], units=["A", "B", "C"])
    >>> edit_ballots(b, [0], up=2, down=0).ranks.tolist()
    [[3, 2, 1]]
    """
    ranks = ballots.ranks.copy()
    n = ballots.n_units
    for r in rows:
        if ballots.kind == "ranked":
            keys = ballots.order_keys[r].astype(np.int64) * 4
            keys[up], keys[down] = -1, 4 * (n + 2)
            order = np.argsort(keys, kind="stable")
            new = np.empty(n, np.int32)
            new[order] = np.arange(1, n + 1)
            ranks[r] = new
        else:
            ranks[r, up], ranks[r, down] = 1, 0
    return dataclasses.replace(ballots, ranks=ranks)


def _gains(ballots: Ballots, method: str, up: int, down: int) -> tuple[np.ndarray, int]:
    """Per ballot, the most one rewrite can raise ``score(up) − score(down)``; and the
    current ``score(down) − score(up)``, both in exact integer units (Borda: half points)."""
    if method == "approval" or ballots.kind != "ranked":
        marks = (ballots.ranks > 0).astype(np.int64)
        diff = marks[:, up] - marks[:, down]
        return 1 - diff, int(-(diff.sum()))
    from thidua_rank.methods.positional import positions_occupied

    n = ballots.n_units
    better, group = positions_occupied(ballots.order_keys)
    doubled = 2 * n - 2 * better - group - 1
    diff = doubled[:, up] - doubled[:, down]
    return 2 * (n - 1) - diff, int(-(diff.sum()))


def _fewest(gains: np.ndarray, gap: int, strict: bool) -> int | None:
    """Fewest ballots whose largest gains reach *gap* (exceed it when *strict*)."""
    if gap < 0 or (gap == 0 and not strict):
        return 0
    cum = np.cumsum(np.sort(gains)[::-1])
    hit = np.flatnonzero(cum > gap if strict else cum >= gap)
    return int(hit[0]) + 1 if hit.size else None


def _tier_after(meeting: Meeting, changes: dict[str, Any], unit: str) -> str | None:
    from thidua_rank.meeting.pipeline import run_meeting

    return run_meeting(dataclasses.replace(meeting, **changes)).award_of(unit)


def _ballot_margin(meeting: Meeting, unit: str, tier: str | None, direction: str,
                   max_ballots: int) -> dict[str, Any]:
    cfg = meeting.config
    round_id = cfg.ranking.vote_round or ""
    ballots = _expand(meeting.ballots[round_id])
    units = list(ballots.units)
    if unit not in units:
        return {}
    u = units.index(unit)
    method = cfg.ranking.method
    additive = cfg.ranking.combine == "vote" and method in ADDITIVE
    current = _tier_after(meeting, {}, unit)
    vote = rank(meeting.ballots[round_id], method=method)
    best: dict[str, Any] | None = None
    lower: int | None = None
    candidates = []
    for v, rival in enumerate(units):
        if v == u:
            continue
        up, down = (v, u) if direction == "out" else (u, v)
        gains, gap = _gains(ballots, method, up, down)
        if direction == "out" and gap < 0 and additive:
            continue  # already strictly above: it cannot push the unit out any further
        if direction == "in" and gap < 0 and additive:
            continue  # already strictly below the unit
        tie = _fewest(gains, gap, strict=False)
        strict = _fewest(gains, gap, strict=True)
        if additive and tie is not None:
            lower = tie if lower is None else min(lower, tie)
        candidates.append((tie if tie is not None else max_ballots + 1, v, rival, up, down,
                           gains, gap, strict))
    candidates.sort(key=lambda c: (c[0], c[1]))
    for tie, _v, rival, up, down, gains, gap, strict in candidates:
        order = np.argsort(-gains, kind="stable")
        if additive:
            tries = sorted({k for k in (tie, strict) if k is not None and k >= 1})
        else:
            tries = list(range(1, min(max_ballots, len(order)) + 1))
        for k in tries:
            if best is not None and k >= best["ballots"]:
                break
            edited = edit_ballots(ballots, order[:k].tolist(), up, down)
            after = _tier_after(meeting, {"ballots": {**meeting.ballots, round_id: edited}},
                                unit)
            if after != current:
                ids = [ballots.ids[i] for i in order[:k].tolist()]
                best = {"ballots": k, "opponent": rival, "rows": ids, "up": up, "down": down,
                        "gap": gap}
                break
    gap_score = abs(float(vote.exact[unit]) - float(vote.exact[best["opponent"]])) \
        if best else None
    search = "exact (additive method)" if additive else f"bounded: ≤ {max_ballots} ballots/rival"
    if best is None:  # nothing within the bound: the search was bounded, whatever the method
        return {"ballots": None, "ballots_low": lower if additive else 1, "exact": False,
                "search": f"bounded: ≤ {max_ballots} ballots/rival", "opponent": None,
                "score_gap": None,
                "edit_vi": f"không tìm thấy trong giới hạn {max_ballots} phiếu",
                "edit_en": f"not found within {max_ballots} ballots per rival"}
    low = lower if additive and lower is not None else 1
    up_name, down_name = units[best["up"]], units[best["down"]]
    listed = ", ".join(best["rows"][:6]) + ("…" if len(best["rows"]) > 6 else "")
    if ballots.kind == "ranked":
        edit_vi = (f"{best['ballots']} phiếu (số {listed}): xếp {up_name} đầu tiên và "
                   f"{down_name} cuối cùng")
        edit_en = (f"{best['ballots']} ballot(s) (no. {listed}): rank {up_name} first and "
                   f"{down_name} last")
        if best["ballots"] == 1:
            swap = _swap_suffices(meeting, ballots, round_id, best, unit, current)
            if swap is not None:
                edit_vi = f"một đại biểu (phiếu số {swap}) đổi chỗ {up_name} và {down_name}"
                edit_en = f"one voter (ballot no. {swap}) swapping {up_name} and {down_name}"
    else:
        edit_vi = (f"{best['ballots']} phiếu (số {listed}): đánh dấu {up_name}, bỏ đánh dấu "
                   f"{down_name}")
        edit_en = (f"{best['ballots']} ballot(s) (no. {listed}): mark {up_name}, unmark "
                   f"{down_name}")
    return {"ballots": best["ballots"], "ballots_low": low, "exact": best["ballots"] == low,
            "search": search, "opponent": best["opponent"], "score_gap": gap_score,
            "edit_vi": edit_vi, "edit_en": edit_en}


def _swap_suffices(meeting: Meeting, ballots: Ballots, round_id: str, best: dict[str, Any],
                   unit: str, current: str | None) -> str | None:
    """A ballot on which merely swapping the two units moves *unit* across, if any."""
    up, down = best["up"], best["down"]
    keys = ballots.order_keys
    for r in np.flatnonzero(keys[:, down] < keys[:, up]).tolist():
        ranks = ballots.ranks.copy()
        ranks[r, up], ranks[r, down] = ballots.ranks[r, down], ballots.ranks[r, up]
        edited = dataclasses.replace(ballots, ranks=ranks)
        after = _tier_after(meeting, {"ballots": {**meeting.ballots, round_id: edited}}, unit)
        if after != current:
            return ballots.ids[r]
    return None


def _with_weights(sheet: ScoreSheet, factors: dict[str, Fraction]) -> ScoreSheet:
    crit = tuple(dataclasses.replace(c, weight=Fraction(c.weight) * factors.get(c.id, 1))
                 if c.kind == "item" else c for c in sheet.criteria)
    return dataclasses.replace(sheet, criteria=crit)


def _weight_margin(meeting: Meeting, unit: str, direction: str) -> dict[str, Any]:
    sheet = meeting.scores
    assert sheet is not None
    resolved = sheet.resolve()
    items: list[Criterion] = [c for c in sheet.criteria if c.kind == "item"]
    current = _tier_after(meeting, {}, unit)
    pu = resolved[unit]
    events: list[tuple[Fraction, str | None, dict[str, Fraction], Fraction]] = []
    for rival in meeting.units:
        if rival == unit:
            continue
        pv = resolved[rival]
        gap = pu.total - pv.total if direction == "out" else pv.total - pu.total
        if gap < 0:
            continue
        span = sum((abs(Fraction(c.weight) * (pu.points[c.id] - pv.points[c.id]))
                    for c in items), Fraction(0))
        if span == 0:
            continue
        t = gap / span
        sign = -1 if direction == "out" else 1   # raise the unit's weights going in
        factors = {c.id: 1 + sign * t * (1 if pu.points[c.id] > pv.points[c.id] else
                                         -1 if pu.points[c.id] < pv.points[c.id] else 0)
                   for c in items}
        events.append((t, rival, factors, gap))
    for tier in meeting.config.tiers:
        if tier.min_score is None:
            continue
        gap = pu.total - tier.min_score if direction == "out" else tier.min_score - pu.total
        own = sum((Fraction(c.weight) * pu.points[c.id] for c in items), Fraction(0))
        if gap < 0 or own == 0:
            continue
        t = gap / own
        sign = -1 if direction == "out" else 1
        events.append((t, None, {c.id: 1 + sign * t for c in items}, gap))
    events.sort(key=lambda e: e[0])
    low = events[0][0] if events else None
    for t, rival, factors, gap in events:
        nudge = {cid: 1 + (f - 1) * (1 + Fraction(1, 10**6)) for cid, f in factors.items()}
        if any(f < 0 for f in nudge.values()):
            continue
        after = _tier_after(meeting, {"scores": _with_weights(sheet, nudge)}, unit)
        if after != current:
            what_vi = f"vượt {rival}" if rival else "qua mức điểm tối thiểu"
            what_en = f"past {rival}" if rival else "across a minimum score"
            return {"weight_change": float(t), "opponent": rival, "score_gap": float(gap),
                    "exact": t == low, "search": "exact (linear in the weights)",
                    "edit_vi": f"đổi mỗi trọng số {float(t) * 100:.2f}% theo hướng có lợi "
                               f"({what_vi})".replace(".", ","),
                    "edit_en": f"every weight changed by {float(t) * 100:.2f}% in the helpful "
                               f"direction ({what_en})"}
    return {"weight_change": None, "exact": False, "search": "exact (linear in the weights)",
            "opponent": None, "score_gap": None,
            "edit_vi": "không thay đổi trọng số nào làm đổi hạng khen",
            "edit_en": "no change of the weights moves it across"}


def cutoff_margins(meeting: Meeting, *, max_ballots: int = 8, progress: Progress | None = None,
                   cancel: Cancel | None = None) -> pl.DataFrame:
    """For each unit next to a tier cut-off: how few ballots (or how much weight) move it.

    Parameters
    ----------
    meeting
        Any meeting. Vote-ranked ones (``combine = "vote"``, ``weighted`` …) get the ballot
        margin; score-ranked ones (``combine = "score"``) the weight margin.
    max_ballots
        Bound of the search for methods that are not additive (per rival unit).
    progress, cancel
        Optional callbacks (:mod:`~thidua_rank.analysis.progress`), once per unit.

    Returns
    -------
    polars.DataFrame
        ``unit, tier, direction`` (``out``: last units awarded *tier*; ``in``: first units
        below it), ``opponent`` (the rival it changes places with, or ``None`` for a minimum
        score), ``score_gap`` (|score difference| to the opponent; 0 = level at the cut-off,
        decided by the tie-break), ``ballots`` (fewest edited ballots found that move it
        across, verified by re-running the meeting), ``ballots_low`` (proven lower bound for
        additive methods), ``exact``, ``weight_change`` (score meetings: smallest relative
        change of the weights), ``search`` (how it was found), ``edit_vi`` / ``edit_en``.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import data_folder
    >>> m = tr.load_meeting(data_folder("sample_data") / "ninh-binh-co-quan-dang-2022")
    >>> t = cutoff_margins(m)
    >>> bool((t.get_column("ballots") >= t.get_column("ballots_low")).all())
    True
    """
    from thidua_rank.meeting.pipeline import run_meeting

    if max_ballots < 1:
        raise InputError("max_ballots phải ≥ 1", "max_ballots must be at least 1",
                         value=max_ballots)
    outcome = run_meeting(meeting)
    cfg = meeting.config
    by_score = cfg.ranking.combine == "score"
    if not by_score and cfg.ranking.vote_round not in meeting.ballots:
        raise InputError("hội nghị không có phiếu xếp hạng", "the meeting has no ranking ballots",
                         column="ranking.vote_round", value=cfg.ranking.vote_round)
    rows = []
    boundary = boundary_units(outcome)
    ticker = Ticker(len(boundary), progress=progress, cancel=cancel)
    for unit, tier, direction in boundary:
        ticker.check()
        base = {"unit": unit, "tier": tier, "direction": direction, "ballots": None,
                "ballots_low": None, "weight_change": None}
        if by_score:
            base.update(_weight_margin(meeting, unit, direction))
        else:
            found = _ballot_margin(meeting, unit, tier, direction, max_ballots)
            if not found:
                ticker.step()
                continue
            base.update(found)
        rows.append(base)
        ticker.step()
    return pl.DataFrame(rows, schema=SCHEMA).select(list(SCHEMA))
