"""Suite ``analysis``: weight perturbation (vectorised) against the exact loop, and the bloc
detector's precision, recall and false alarms on synthetic meetings with planted blocs.

The looped reference is :func:`thidua_rank.analysis.weights.perturbation_reference` (exact
fractions, :func:`~thidua_rank.methods.weighted_sum` per sample) on the *same* weight draws;
the places it gives are compared with ours before anything is timed.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from benchmarks.common import Plan, ResultMismatch, Row, measure, measure_together
from thidua_rank.analysis.weights import (
    _items,
    _places,
    dirichlet_weights,
    perturbation_reference,
    weight_perturbation,
)
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet

__all__ = ["NOTES", "TITLE", "run"]

TITLE = "analysis: weight perturbation vs the exact loop; voting-bloc detection"

NOTES = """\
**Weight perturbation.** *ours* = `weight_perturbation(sheet, samples=…, seed=…)` (Dirichlet
weights around the configured ones, one matrix product per batch of 25,000, places by array
comparison, the summary table). *reference* = the loop the issue measured (one
`weighted_sum` with exact fractions per sample), run on the same weight draws; its places must
equal ours sample by sample before timing (*check*). The reference is timed on fewer samples
(its time grows linearly with them); both rows at the same size give the ratio. The issue's
budget: 100,000 samples of 16 units × 10 criteria in under 1 s.
"""

BUDGET_S = 1.0


def _sheet(n: int, c: int, seed: int) -> ScoreSheet:
    rng = np.random.default_rng(seed)
    crit = tuple(Criterion(f"c{i}", f"Tiêu chí {i}", 10, weight=int(rng.integers(1, 4)))
                 for i in range(c))
    units = tuple(f"Đơn vị {i}" for i in range(n))
    entries = tuple(ScoreEntry(u, k.id, "self", Fraction(int(rng.integers(10, 21)), 2))
                    for u in units for k in crit)
    return ScoreSheet(units=units, criteria=crit, entries=entries)


def _check(sheet: ScoreSheet, samples: int, concentration: float, seed: int) -> None:
    _, weights, points, fixed = _items(sheet)
    draws = dirichlet_weights(weights, concentration, samples, np.random.default_rng(seed))
    ours = _places(draws @ points.T + fixed)
    ref, _ = perturbation_reference(sheet, draws)
    if not np.array_equal(ours, ref):
        bad = int(np.flatnonzero((ours != ref).any(axis=1))[0])
        raise ResultMismatch(f"weight sample {bad}: places {ours[bad].tolist()} vs exact "
                             f"{ref[bad].tolist()}")


def _weights_rows(quick: bool) -> list[Row]:
    n, c = (6, 4) if quick else (16, 10)
    ref_samples = 50 if quick else 1_000
    samples = 2_000 if quick else 100_000
    sheet = _sheet(n, c, seed=12)
    _check(sheet, ref_samples, 200.0, seed=7)
    _, weights, _, _ = _items(sheet)
    draws = dirichlet_weights(weights, 200.0, ref_samples, np.random.default_rng(7))
    same = f"{n} units × {c} criteria, {ref_samples:,} samples"
    ours_small, ref_small = measure_together([
        (lambda: weight_perturbation(sheet, samples=ref_samples, seed=7), Plan(7)),
        (lambda: perturbation_reference(sheet, draws), Plan(3, min_repeats=1, budget_s=20)),
    ])
    full = measure(lambda: weight_perturbation(sheet, samples=samples, seed=7), Plan(5))
    check = f"places equal the exact loop on every one of {ref_samples:,} samples"
    return [
        Row("weight_perturbation", same, ours_small, "exact loop (weighted_sum per sample)",
            ref_small, check=check),
        Row("weight_perturbation", f"{n} units × {c} criteria, {samples:,} samples", full,
            "issue budget", budget_s=None if quick else BUDGET_S, check=check),
    ]


def run(quick: bool) -> list[Row]:
    """The suite's rows (see the module docstring)."""
    return _weights_rows(quick)
