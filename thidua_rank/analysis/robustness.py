"""How robust is a ranking: resampled ballots, critical ballots, perturbed criteria weights.

* :func:`bootstrap` — resample the ballots (with replacement) and see how often each unit keeps
  its place: would a slightly different room have decided differently?
* :func:`leave_one_out` — which single ballots, removed, change the winner (critical ballots).
* :func:`weight_sensitivity` — perturb the criteria weights and watch the score ranking.

All are pure functions returning polars tables; randomness needs a seed. The two sampling
analyses take optional ``progress`` and ``cancel`` callables
(:mod:`~thidua_rank.analysis.progress`): the notebooks and the CLI pass
:func:`~thidua_rank.analysis.progress.tqdm_progress`, the analyst page its progress bar and its
"Dừng" button. The hooks never touch the random draws: a seed gives the same table with or
without them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import polars as pl

from thidua_rank.analysis.progress import Cancel, Progress, Ticker
from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.result import RankResult
from thidua_rank.engine.scores import ScoreSheet
from thidua_rank.errors import InputError
from thidua_rank.methods import rank, weighted_sum

__all__ = ["bootstrap", "leave_one_out", "weight_sensitivity"]

_REPORTS = 100
"""About how many progress reports a sampling analysis sends (one per 1 % of the samples): a
report per sample would flood the page with widget messages. Cancellation is still checked
before every sample."""


def _sample_steps(samples: int, progress: Progress | None, cancel: Cancel | None
                  ) -> tuple[Ticker, int]:
    """The ticker of a sampling loop (counting samples) and how many samples go per report."""
    return Ticker(samples, progress=progress, cancel=cancel), max(1, -(-samples // _REPORTS))


def _sampled(ticker: Ticker, every: int, s: int) -> None:
    """Sample *s* (0-based) is done: report every *every* samples and after the last one."""
    done = s + 1
    if done % every == 0 or done == ticker.total:
        ticker.step(done - ticker.done)


def _resampled(ballots: Ballots, counts: np.ndarray) -> Ballots:
    keep = counts > 0
    return Ballots(units=ballots.units, ranks=ballots.ranks[keep], counts=counts[keep],
                   kind=ballots.kind, max_choices=ballots.max_choices)


def bootstrap(ballots: Ballots, method: str = "borda", *, samples: int = 500, seed: int,
              top: int = 3, progress: Progress | None = None, cancel: Cancel | None = None,
              **options: Any) -> pl.DataFrame:
    """How stable each unit's place is when the room is resampled.

    Each sample draws as many ballots as were cast, with replacement (a multinomial over the
    distinct ballots), and reruns *method*. Cost: ``samples`` runs of the method (about 1 ms
    each for Borda on a 10-unit sample meeting, 3–5 ms for Kemeny–Young).

    Parameters
    ----------
    ballots
        The round's ballots.
    method
        A ranking method id (:func:`~thidua_rank.methods.methods`).
    samples
        Number of resampled rooms.
    seed
        Seed of the resampling.
    top
        The *k* of ``p_top``.
    progress, cancel
        Optional callbacks (:mod:`~thidua_rank.analysis.progress`): ``progress(done, samples)``
        about every 1 % of the samples; ``cancel()`` is asked before every sample and, when it
        returns ``True``, the run stops with
        :class:`~thidua_rank.analysis.progress.AnalysisCancelled`. They do not change the result.
    **options
        Options of *method*.

    Returns
    -------
    polars.DataFrame
        ``unit, rank`` (on the real ballots), ``p_first`` (share of samples ranking the unit
        first, joint firsts included), ``p_top`` (in the first *top* places), ``mean_rank``,
        ``rank_low`` / ``rank_high`` (5th and 95th percentile of its rank).

    Examples
    --------
    >>> from thidua_rank.engine.ballots import Ballots
    >>> room = Ballots.from_orders([[0, 1, 2]] * 6 + [[1, 0, 2]] * 4, units=["A", "B", "C"])
    >>> seen = []
    >>> t = bootstrap(room, "borda", samples=200, seed=7, progress=lambda d, n: seen.append(d))
    >>> t.select("unit", "rank", "rank_low", "rank_high")
    shape: (3, 4)
    ┌──────┬──────┬──────────┬───────────┐
    │ unit ┆ rank ┆ rank_low ┆ rank_high │
    │ ---  ┆ ---  ┆ ---      ┆ ---       │
    │ str  ┆ i64  ┆ i64      ┆ i64       │
    ╞══════╪══════╪══════════╪═══════════╡
    │ A    ┆ 1    ┆ 1        ┆ 2         │
    │ B    ┆ 2    ┆ 1        ┆ 2         │
    │ C    ┆ 3    ┆ 3        ┆ 3         │
    └──────┴──────┴──────────┴───────────┘
    >>> len(seen), seen[:3], seen[-1]
    (100, [2, 4, 6], 200)
    >>> t.equals(bootstrap(room, "borda", samples=200, seed=7))  # the hooks change nothing
    True
    """
    if samples < 1:
        raise InputError("số lần lấy mẫu phải ≥ 1", "samples must be at least 1", value=samples)
    if ballots.n_ballots == 0:
        raise InputError("không có phiếu hợp lệ", "there are no valid ballots to resample")
    rng = np.random.default_rng(seed)
    probs = ballots.counts / ballots.counts.sum()
    base = rank(ballots, method=method, **options)
    ranks = np.zeros((samples, ballots.n_units), dtype=np.int64)
    position = {u: i for i, u in enumerate(ballots.units)}
    ticker, every = _sample_steps(samples, progress, cancel)
    for s in range(samples):
        ticker.check()
        counts = rng.multinomial(ballots.n_ballots, probs)
        result = rank(_resampled(ballots, counts), method=method, **options)
        for unit, r in result.table.select("unit", "rank").iter_rows():
            ranks[s, position[unit]] = r
        _sampled(ticker, every, s)
    base_rank = dict(base.table.select("unit", "rank").iter_rows())
    return pl.DataFrame({
        "unit": list(ballots.units),
        "rank": [int(base_rank[u]) for u in ballots.units],
        "p_first": (ranks == 1).mean(axis=0),
        "p_top": (ranks <= top).mean(axis=0),
        "mean_rank": ranks.mean(axis=0),
        "rank_low": np.percentile(ranks, 5, axis=0, method="lower").astype(np.int64),
        "rank_high": np.percentile(ranks, 95, axis=0, method="higher").astype(np.int64),
    }).sort("rank", maintain_order=True)


def leave_one_out(ballots: Ballots, method: str = "borda", **options: Any) -> pl.DataFrame:
    """Ballots whose removal changes the set of winners (one row per distinct ballot).

    Returns ``ballot, count, winners_without`` for the critical ballots only (empty when no
    single ballot decides the outcome).
    """
    winners = sorted(rank(ballots, method=method, **options).winners)
    rows = []
    for i, ballot_id in enumerate(ballots.ids):
        counts = ballots.counts.copy()
        counts[i] -= 1
        if counts.sum() == 0:
            continue
        without = sorted(rank(_resampled(ballots, counts), method=method, **options).winners)
        if without != winners:
            rows.append({"ballot": ballot_id, "count": int(ballots.counts[i]),
                         "winners_without": without})
    return pl.DataFrame(rows, schema={"ballot": pl.String, "count": pl.Int64,
                                      "winners_without": pl.List(pl.String)})


def weight_sensitivity(sheet: ScoreSheet, *, spread: float = 0.2, samples: int = 200,
                       seed: int, progress: Progress | None = None,
                       cancel: Cancel | None = None) -> pl.DataFrame:
    """Rank distribution of each unit when every criterion weight varies by ±*spread*.

    Weights are drawn uniformly in ``[w·(1−spread), w·(1+spread)]`` (as exact fractions of
    1/1000) independently per criterion, and the sheet is ranked again with exact arithmetic,
    one sample at a time (about 2 ms per sample for a sample meeting's sheet; for thousands of
    samples use the vectorised :func:`~thidua_rank.analysis.weight_perturbation`).

    Parameters
    ----------
    sheet
        The criteria score sheet.
    spread
        How far each weight may vary, as a share of it (0.2 = ±20 %), in ``[0, 1)``.
    samples
        Number of weight draws.
    seed
        Seed of the draws.
    progress, cancel
        Optional callbacks (:mod:`~thidua_rank.analysis.progress`): ``progress(done, samples)``
        about every 1 % of the samples; ``cancel()`` is asked before every sample and, when it
        returns ``True``, the run stops with
        :class:`~thidua_rank.analysis.progress.AnalysisCancelled`. They do not change the result.

    Returns
    -------
    polars.DataFrame
        ``unit, rank`` (with the configured weights), ``p_same`` (share of samples where the
        unit keeps that rank), ``best_rank``, ``worst_rank``.

    Examples
    --------
    >>> from thidua_rank.engine.scores import Criterion, ScoreEntry
    >>> F = Fraction
    >>> sheet = ScoreSheet(units=("A", "B", "C"),
    ...     criteria=(Criterion("c1", "Chuyên môn", 50), Criterion("c2", "Phong trào", 50)),
    ...     entries=(ScoreEntry("A", "c1", "self", F(50)), ScoreEntry("A", "c2", "self", F(40)),
    ...              ScoreEntry("B", "c1", "self", F(40)), ScoreEntry("B", "c2", "self", F(49)),
    ...              ScoreEntry("C", "c1", "self", F(20)), ScoreEntry("C", "c2", "self", F(20))))
    >>> weight_sensitivity(sheet, spread=0.3, samples=100, seed=2).select(
    ...     "unit", "rank", "best_rank", "worst_rank")
    shape: (3, 4)
    ┌──────┬──────┬───────────┬────────────┐
    │ unit ┆ rank ┆ best_rank ┆ worst_rank │
    │ ---  ┆ ---  ┆ ---       ┆ ---        │
    │ str  ┆ i64  ┆ i64       ┆ i64        │
    ╞══════╪══════╪═══════════╪════════════╡
    │ A    ┆ 1    ┆ 1         ┆ 2          │
    │ B    ┆ 2    ┆ 1         ┆ 2          │
    │ C    ┆ 3    ┆ 3         ┆ 3          │
    └──────┴──────┴───────────┴────────────┘
    >>> weight_sensitivity(sheet, samples=10, seed=2, cancel=lambda: True)
    Traceback (most recent call last):
    ...
    thidua_rank.analysis.progress.AnalysisCancelled: đã dừng phân tích — the analysis was cancelled
    """
    if not 0 <= spread < 1:
        raise InputError("độ dao động phải trong [0, 1)", "spread must be in [0, 1)",
                         value=spread)
    if samples < 1:
        raise InputError("số lần lấy mẫu phải ≥ 1", "samples must be at least 1", value=samples)
    rng = np.random.default_rng(seed)
    base = weighted_sum(sheet)
    base_rank = {u: int(r) for u, r in base.table.select("unit", "rank").iter_rows()}
    seen = np.zeros((samples, len(sheet.units)), dtype=np.int64)
    ticker, every = _sample_steps(samples, progress, cancel)
    for s in range(samples):
        ticker.check()
        factors = rng.uniform(1 - spread, 1 + spread, size=len(sheet.criteria))
        weights = {c.id: Fraction(c.weight) * Fraction(round(f * 1000), 1000)
                   for c, f in zip(sheet.criteria, factors, strict=True)}
        result: RankResult = weighted_sum(sheet, weights=weights)
        ranks = dict(result.table.select("unit", "rank").iter_rows())
        seen[s] = [ranks[u] for u in sheet.units]
        _sampled(ticker, every, s)
    return pl.DataFrame({
        "unit": list(sheet.units),
        "rank": [base_rank[u] for u in sheet.units],
        "p_same": (seen == np.array([base_rank[u] for u in sheet.units])).mean(axis=0),
        "best_rank": seen.min(axis=0),
        "worst_rank": seen.max(axis=0),
    }).sort("rank", maintain_order=True)
