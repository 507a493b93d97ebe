"""Uncertain criteria weights: the score ranking and the awards under Dirichlet-perturbed weights.

:func:`weight_perturbation` draws many weight vectors around the configured ones and reports,
per unit, the probability of each place and of each award tier, and the mean and 90 % interval
of its place. It is vectorised: the resolved points form an ``(units × criteria)`` matrix and
each batch of weight vectors is one matrix product; places are counted with array comparisons.

:func:`perturbation_reference` is the same computation written as a plain loop over samples
with exact fractions and the meeting's own :func:`~thidua_rank.meeting.awards.allocate`: the
independent reference for the tests and the benchmark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from thidua_rank.analysis.progress import Cancel, Progress, Ticker
from thidua_rank.engine.scores import ScoreSheet
from thidua_rank.errors import InputError
from thidua_rank.meeting.awards import UnitStanding, allocate
from thidua_rank.meeting.config import TierConfig
from thidua_rank.methods import weighted_sum

if TYPE_CHECKING:
    from thidua_rank.meeting.model import Meeting

__all__ = ["TierRules", "dirichlet_weights", "perturbation_reference", "tier_rules",
           "weight_perturbation"]

_TOL = 1e-9
"""Relative tolerance under which two float totals count as equal (a joint place)."""


@dataclass(frozen=True)
class TierRules:
    """What the award tiers need, fixed before the weights vary.

    ``fixed_ok[t][u]``: unit *u* meets every standard of tier *t* that does not depend on the
    weights (criterion floors, approval thresholds); ``min_score`` and ``must_be_top`` are
    checked per sample.
    """

    tiers: tuple[TierConfig, ...]
    members: int
    fixed_ok: np.ndarray


def tier_rules(meeting: Meeting) -> TierRules:
    """The tier standards of a score-ranked meeting (see :class:`TierRules`)."""
    from thidua_rank.meeting.pipeline import _approvals

    cfg = meeting.config
    sheet = _sheet(meeting)
    resolved = sheet.resolve()
    ok = np.ones((len(cfg.tiers), len(sheet.units)), dtype=bool)
    for t, tier in enumerate(cfg.tiers):
        approvals = None
        if tier.approval_round is not None and tier.approval_round in meeting.ballots:
            rnd = cfg.round(tier.approval_round)
            approvals = _approvals(meeting, rnd, meeting.ballots[rnd.id], tier.threshold)
        for u, unit in enumerate(sheet.units):
            if tier.criteria_floors and resolved[unit].floors_missed:
                ok[t, u] = False
            if tier.approval_round is not None:
                ok[t, u] = bool(approvals and unit in approvals and approvals[unit][2])
    return TierRules(tiers=tuple(cfg.tiers), members=len(meeting.members), fixed_ok=ok)


def _sheet(source: ScoreSheet | Meeting) -> ScoreSheet:
    if isinstance(source, ScoreSheet):
        return source
    if source.scores is None:
        raise InputError("hội nghị không có bảng điểm", "the meeting has no score sheet")
    return source.scores


def _items(sheet: ScoreSheet) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray]:
    """Weighted item columns, their weights, the points matrix and the weight-free part."""
    resolved = sheet.resolve()
    items = [i for i, c in enumerate(sheet.criteria) if c.kind == "item" and c.weight != 0]
    weights = np.array([float(sheet.criteria[i].weight) for i in items])
    points = np.array([[float(resolved[u].points[sheet.criteria[i].id]) for i in items]
                       for u in sheet.units]).reshape(len(sheet.units), len(items))
    fixed = np.array([float(resolved[u].bonus - resolved[u].deductions) for u in sheet.units])
    return items, weights, points, fixed


def dirichlet_weights(weights: np.ndarray, concentration: float, size: int,
                      rng: np.random.Generator) -> np.ndarray:
    """*size* weight vectors from a Dirichlet distribution centred on *weights*.

    The draw is ``Dirichlet(concentration · w / Σw) · Σw``: the mean is the configured weights,
    the total is kept, and the larger the *concentration* the closer the draws stay (a
    weight's standard deviation is about ``w·√((1 − w/Σw) / (concentration + 1))`` … relative
    to its share).

    >>> w = dirichlet_weights(np.array([30.0, 20.0, 50.0]), 1e6, 4, np.random.default_rng(0))
    >>> w.shape, bool(np.allclose(w.sum(axis=1), 100)), bool(np.allclose(w, [30, 20, 50], atol=1))
    ((4, 3), True, True)
    """
    total = float(weights.sum())
    return rng.dirichlet(concentration * weights / total, size=size) * total


def _places(totals: np.ndarray) -> np.ndarray:
    """Competition places per row (1 + units with a larger total), float ties within _TOL."""
    tol = _TOL * max(1.0, float(np.abs(totals).max(initial=0.0)))
    above = totals[:, None, :] > totals[:, :, None] + tol  # [s, i, j]: j beats i
    return 1 + above.sum(axis=2, dtype=np.int64)


def _allocate_batch(totals: np.ndarray, places: np.ndarray, rules: TierRules) -> np.ndarray:
    """Tier index per sample and unit (−1 = none): :func:`allocate` vectorised over samples.

    Ties left after the weights are resolved by the tier's ``cutoff_tie`` only (``include``
    takes the whole straddling group, ``exclude`` and ``runoff`` none of it).
    """
    s, n = totals.shape
    tol = _TOL * max(1.0, float(np.abs(totals).max(initial=0.0)))
    tier_of = np.full((s, n), -1, dtype=np.int64)
    awarded = np.zeros((s, n), dtype=bool)
    beats = totals[:, None, :] > totals[:, :, None] + tol   # [s, i, j]: j strictly above i
    level = ~beats & ~beats.transpose(0, 2, 1)               # j level with i
    for t, tier in enumerate(rules.tiers):
        ok = ~awarded & rules.fixed_ok[t][None, :]
        if tier.min_score is not None:
            ok &= totals >= float(tier.min_score) - tol
        if tier.must_be_top:
            ok &= places == 1
        eligible = ok.sum(axis=1)
        if tier.quota is None:
            limit = eligible
        else:
            remaining = rules.members - awarded.sum(axis=1)
            table = np.array([[tier.quota.size(members=rules.members, remaining=r, eligible=e)
                               for e in range(n + 1)] for r in range(rules.members + 1)])
            limit = table[np.clip(remaining, 0, rules.members), eligible]
        above = (beats & ok[:, None, :]).sum(axis=2)                 # eligible units above
        upto = ((beats | level) & ok[:, None, :]).sum(axis=2)        # … and level with it
        chosen = ok & (upto <= limit[:, None])
        if tier.cutoff_tie == "include":
            chosen |= ok & (above < limit[:, None])
        tier_of[chosen] = t
        awarded |= chosen
    return tier_of


def weight_perturbation(
    source: ScoreSheet | Meeting,
    *,
    samples: int = 100_000,
    concentration: float = 200.0,
    seed: int,
    batch: int = 25_000,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
) -> pl.DataFrame:
    """Places and awards of each unit when the criteria weights are uncertain.

    Each sample draws the item criteria's weights from a Dirichlet distribution centred on
    the configured weights (their total is kept; see :func:`dirichlet_weights`) and ranks the
    units by their totals. Work is vectorised: one ``(samples × criteria) @ (criteria × units)``
    matrix product per batch. Totals are float64: **exact arithmetic is not needed here**,
    since a sampled weight vector is itself random; totals within a relative 1e-9 count as a
    joint place. 100,000 samples of 16 units × 10 criteria take well under a second
    (``python -m benchmarks --only analysis``).

    Parameters
    ----------
    source
        A score sheet, or a meeting ranked by the score (``ranking.combine = "score"``), whose
        award tiers are then applied to every sample (standards, quotas, ``cutoff_tie``; the
        rest of the tie-break chain is not replayed — float ties have probability zero unless
        two units have the same points).
    samples
        Number of weight vectors.
    concentration
        How close the draws stay to the configured weights: the Dirichlet's total
        concentration (200 ≈ a weight share of 10 % varies by about ±2 points of share).
    seed
        Seed of the draws.
    batch
        Samples per matrix product (memory: about ``batch × units² `` bytes).
    progress, cancel
        Optional callbacks (:mod:`~thidua_rank.analysis.progress`), once per batch.

    Returns
    -------
    polars.DataFrame
        One row per unit, by configured place: ``unit, rank`` (with the configured weights),
        ``mean_place``, ``place_low`` / ``place_high`` (5th and 95th percentile), ``p_same``,
        ``p_place_1`` … ``p_place_n`` (each row sums to 1) and, for a meeting,
        ``tier`` (configured outcome, ``None`` = no award), ``p_tier_<id>`` per tier and
        ``p_tier_none`` (each row sums to 1).

    Examples
    --------
    >>> from thidua_rank.engine.scores import Criterion, ScoreEntry
    >>> crit = (Criterion("c1", "Chuyên môn", 50), Criterion("c2", "Phong trào", 50))
    >>> F = Fraction
    >>> sheet = ScoreSheet(units=("A", "B", "C"), criteria=crit, entries=(
    ...     ScoreEntry("A", "c1", "self", F(50)), ScoreEntry("A", "c2", "self", F(40)),
    ...     ScoreEntry("B", "c1", "self", F(40)), ScoreEntry("B", "c2", "self", F(49)),
    ...     ScoreEntry("C", "c1", "self", F(20)), ScoreEntry("C", "c2", "self", F(20))))
    >>> t = weight_perturbation(sheet, samples=2000, concentration=50, seed=1)
    >>> t.select("unit", "rank", "place_low", "place_high", "p_place_3")
    shape: (3, 5)
    ┌──────┬──────┬───────────┬────────────┬───────────┐
    │ unit ┆ rank ┆ place_low ┆ place_high ┆ p_place_3 │
    │ ---  ┆ ---  ┆ ---       ┆ ---        ┆ ---       │
    │ str  ┆ i64  ┆ i64       ┆ i64        ┆ f64       │
    ╞══════╪══════╪═══════════╪════════════╪═══════════╡
    │ A    ┆ 1    ┆ 1         ┆ 2          ┆ 0.0       │
    │ B    ┆ 2    ┆ 1         ┆ 2          ┆ 0.0       │
    │ C    ┆ 3    ┆ 3         ┆ 3          ┆ 1.0       │
    └──────┴──────┴───────────┴────────────┴───────────┘
    """
    if samples < 1 or batch < 1:
        raise InputError("số lần lấy mẫu phải ≥ 1", "samples and batch must be at least 1",
                         value=(samples, batch))
    if not concentration > 0:
        raise InputError("độ tập trung phải > 0", "concentration must be positive",
                         value=concentration)
    rules: TierRules | None = None
    if not isinstance(source, ScoreSheet):
        if source.config.ranking.combine != "score":
            raise InputError(
                "hội nghị không xếp hạng theo điểm; hãy truyền meeting.scores",
                "the meeting is not ranked by the score alone; pass meeting.scores to study "
                "the score ranking", column="ranking.combine",
                value=source.config.ranking.combine)
        rules = tier_rules(source)
    sheet = _sheet(source)
    _, weights, points, fixed = _items(sheet)
    if weights.size == 0 or (weights < 0).any():
        raise InputError("cần ít nhất một tiêu chí có trọng số dương",
                         "at least one item criterion with a positive weight is needed")
    n = len(sheet.units)
    rng = np.random.default_rng(seed)
    place_counts = np.zeros((n, n), dtype=np.int64)
    tier_counts = np.zeros((n, len(rules.tiers) + 1 if rules else 1), dtype=np.int64)
    base_totals = (points @ weights + fixed)[None, :]
    base_place = _places(base_totals)[0]
    ticker = Ticker(-(-samples // batch), progress=progress, cancel=cancel)
    unit_index = np.arange(n)
    for start in range(0, samples, batch):
        ticker.check()
        size = min(batch, samples - start)
        w = dirichlet_weights(weights, concentration, size, rng)
        totals = w @ points.T + fixed                      # the one matrix product
        places = _places(totals)
        place_counts += np.bincount((unit_index * n + places - 1).ravel(),
                                    minlength=n * n).reshape(n, n)
        if rules is not None:
            tiers = _allocate_batch(totals, places, rules)
            k = len(rules.tiers) + 1
            code = np.where(tiers < 0, k - 1, tiers)
            tier_counts += np.bincount((unit_index * k + code).ravel(),
                                       minlength=n * k).reshape(n, k)
        ticker.step()
    return _summary(sheet.units, base_place, place_counts, samples, rules, tier_counts,
                    base_totals)


def _percentile(counts: np.ndarray, q: float) -> np.ndarray:
    """Smallest place whose cumulative share reaches *q*, per unit."""
    cum = np.cumsum(counts, axis=1) / counts.sum(axis=1, keepdims=True)
    return 1 + (cum < q - 1e-12).sum(axis=1)


def _summary(units: Sequence[str], base_place: np.ndarray, place_counts: np.ndarray,
             samples: int, rules: TierRules | None, tier_counts: np.ndarray,
             base_totals: np.ndarray) -> pl.DataFrame:
    n = len(units)
    shares = place_counts / samples
    columns: dict[str, object] = {
        "unit": list(units),
        "rank": base_place.astype(np.int64),
        "mean_place": shares @ np.arange(1, n + 1),
        "place_low": _percentile(place_counts, 0.05).astype(np.int64),
        "place_high": _percentile(place_counts, 0.95).astype(np.int64),
        "p_same": shares[np.arange(n), base_place - 1],
    }
    columns.update({f"p_place_{p + 1}": shares[:, p] for p in range(n)})
    if rules is not None:
        base_tier = _allocate_batch(base_totals, base_place[None, :], rules)[0]
        columns["tier"] = [rules.tiers[t].id if t >= 0 else None for t in base_tier]
        for t, tier in enumerate(rules.tiers):
            columns[f"p_tier_{tier.id}"] = tier_counts[:, t] / samples
        columns["p_tier_none"] = tier_counts[:, -1] / samples
    return pl.DataFrame(columns).sort("rank", maintain_order=True)


def perturbation_reference(source: ScoreSheet | Meeting, weights: np.ndarray
                           ) -> tuple[np.ndarray, np.ndarray | None]:
    """Places (and tier indices, −1 = none) per sample, one sample at a time, exactly.

    The slow, independent reference of :func:`weight_perturbation`: every sampled weight
    vector (rows of *weights*, the item criteria in sheet order) is turned into exact
    fractions, the units are ranked by :func:`~thidua_rank.methods.weighted_sum`, and a
    meeting's tiers are filled by :func:`~thidua_rank.meeting.awards.allocate` with a
    tie-break that leaves ties joint.

    >>> from thidua_rank.engine.scores import Criterion, ScoreEntry
    >>> sheet = ScoreSheet(units=("A", "B"), criteria=(Criterion("c1", "X", 10),
    ...     Criterion("c2", "Y", 10)), entries=(ScoreEntry("A", "c1", "self", Fraction(9)),
    ...     ScoreEntry("B", "c2", "self", Fraction(8))))
    >>> perturbation_reference(sheet, np.array([[1.0, 1.0], [0.2, 1.8]]))[0].tolist()
    [[1, 2], [2, 1]]
    """
    sheet = _sheet(source)
    items, _, _, _ = _items(sheet)
    rules = None if isinstance(source, ScoreSheet) else tier_rules(source)
    resolved = sheet.resolve()
    n = len(sheet.units)
    places = np.zeros((len(weights), n), dtype=np.int64)
    tiers = np.full((len(weights), n), -1, dtype=np.int64) if rules else None
    for s, row in enumerate(weights):
        override = {sheet.criteria[i].id: Fraction(float(v)) for i, v in zip(items, row,
                                                                              strict=True)}
        result = weighted_sum(sheet, weights=override)
        ranks = dict(result.table.select("unit", "rank").iter_rows())
        places[s] = [ranks[u] for u in sheet.units]
        if rules is None or tiers is None:
            continue
        top = set(result.winners)
        standings = {}
        for u, unit in enumerate(sheet.units):
            standings[unit] = UnitStanding(
                score=result.exact[unit], floors_missed=resolved[unit].floors_missed,
                top_scorer=unit in top,
                approvals={tier.approval_round: (0, 0, bool(rules.fixed_ok[t, u]))
                           for t, tier in enumerate(rules.tiers) if tier.approval_round})
        awards, _ = allocate(rules.tiers, result.groups(), standings, members=rules.members,
                             resolve=lambda g: [list(g)])
        index = {unit: u for u, unit in enumerate(sheet.units)}
        for t, award in enumerate(awards):
            for a in award.units:
                tiers[s, index[a.unit]] = t
    return places, tiers
