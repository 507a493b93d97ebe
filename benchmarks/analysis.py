"""Suite ``analysis``: weight perturbation (vectorised) against the exact loop, and the bloc
detector's precision, recall and false alarms on synthetic meetings with planted blocs.

The bloc detector is run on meetings from :func:`thidua_rank.synth.bloc_ballots` (Mallows
ballots around a random order, a planted bloc of 2–4 units whose voters put the bloc first,
each ballot with probability :data:`LOYALTY`) and on meetings with no bloc; the figures go into
the notes under the table (:data:`NOTES` is completed by :func:`run`).

The looped reference is :func:`thidua_rank.analysis.weights.perturbation_reference` (exact
fractions, :func:`~thidua_rank.methods.weighted_sum` per sample) on the *same* weight draws;
the places it gives are compared with ours before anything is timed.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from benchmarks.common import Plan, ResultMismatch, Row, measure, measure_together
from thidua_rank.analysis.blocs import blocs
from thidua_rank.analysis.weights import (
    _items,
    _places,
    dirichlet_weights,
    perturbation_reference,
    weight_perturbation,
)
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet
from thidua_rank.synth import bloc_ballots

__all__ = ["NOTES", "TITLE", "run"]

TITLE = "analysis: weight perturbation vs the exact loop; voting-bloc detection"

WEIGHT_NOTES = """\
**Weight perturbation.** *ours* = `weight_perturbation(sheet, samples=…, seed=…)` (Dirichlet
weights around the configured ones, one matrix product per batch of 25,000, places by array
comparison, the summary table). *reference* = the loop the issue measured (one
`weighted_sum` with exact fractions per sample), run on the same weight draws; its places must
equal ours sample by sample before timing (*check*). The reference is timed on fewer samples
(its time grows linearly with them); both rows at the same size give the ratio. The issue's
budget: 100,000 samples of 16 units × 10 criteria in under 1 s.
"""
NOTES = WEIGHT_NOTES

BUDGET_S = 1.0

LOYALTY = 0.85
"""Probability that a bloc member's ballot follows the bloc (the rest vote like anybody)."""
NOISE = 0.3
"""Voter disagreement of the Mallows ballots (``SynthOptions.noise``)."""
BLOC_PERMUTATIONS = 199
"""Replicates of each test in the evaluation (smallest p-value 0.005)."""
ALPHA = 0.05

BLOC_NOTES = """\
**Voting blocs.** `blocs(ballots, permutations={perm}, seed=…)` on synthetic meetings
(`thidua_rank.synth.bloc_ballots`): Mallows ballots with noise {noise} around a random order,
one or two ballots per unit (voter *j* belongs to unit *j* mod *n*), a planted bloc of *k*
random units whose voters move the bloc's units to the top of the ballot, each ballot with
probability {loyalty} (keeping their own order of them). *named* = ballots carrying their
voters (in-group boost, voter-label permutations); *secret* = the same ballots without voters
(favoured group, Plackett–Luce null). A meeting *finds* the bloc when a significant group
(family-wise p ≤ {alpha}) equals it (*exact*) or shares at least half of its units with it
(Jaccard ≥ ½, *partial*); *precision* = significant groups that are the bloc (exact) among all
significant groups in those meetings. *False alarms* = meetings with **no** bloc in which any
group is significant (the target is ≤ α = {alpha}). {seeds} seeds per line; percentages of
meetings.

Where it fails, by construction: a bloc of two among many units with one ballot per unit
leaves two ballots of evidence, which neither test can tell from chance once all pairs are
searched; the named test can never go below p ≈ 1 / C(m, k) with one ballot per voter (the
chance that a relabelling hands the bloc's ballots back to it: 1/28 ≈ 0.036 for 2 of 8
voters, barely under α, so such a pair is hardly ever flagged); a flagged group near a
large bloc may be a part of it plus one other unit (exact precision below 100 % while
partial recall holds). The secret test's null is a
model, conservative on these Mallows ballots (few false alarms), and it cannot tell a bloc
from voters who honestly like the same units.
"""


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


def _share(hits: int, total: int) -> str:
    return f"{100 * hits / total:.0f} %" if total else ""


def _evaluate(units: int, per_unit: int, bloc: int, seed: int) -> dict[str, tuple[int, ...]]:
    """For each mode: (significant groups, exact hits, partial hits, exact found, partial
    found, any flagged) on one meeting."""
    made = bloc_ballots(units, voters=units * per_unit, bloc=bloc, noise=NOISE,
                        loyalty=LOYALTY, seed=seed)
    truth = set(made.bloc)
    out = {}
    for mode, ballots in (("named", made.ballots), ("secret", made.secret)):
        table = blocs(ballots, permutations=BLOC_PERMUTATIONS, seed=seed, alpha=ALPHA)
        groups = [set(g) for g in table.filter(table["significant"])["group"].to_list()]
        exact = [g == truth for g in groups]
        partial = [bool(truth) and len(g & truth) / len(g | truth) >= 0.5 for g in groups]
        out[mode] = (len(groups), sum(exact), sum(partial), int(any(exact)), int(any(partial)),
                     int(bool(groups)))
    return out


def bloc_evaluation(quick: bool) -> str:
    """Markdown tables: recall and precision on planted blocs, false alarms without one."""
    sizes = (8,) if quick else (8, 12, 20)
    blocs_k = (3,) if quick else (2, 3, 4)
    seeds = 2 if quick else 10
    lines = ["| units | ballots | bloc | named: found exact | partial | precision "
             "| secret: found exact | partial | precision |",
             "|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for n in sizes:
        for per_unit in (1, 2):
            for k in blocs_k:
                tally = {"named": np.zeros(6, int), "secret": np.zeros(6, int)}
                for seed in range(seeds):
                    for mode, got in _evaluate(n, per_unit, k, seed).items():
                        tally[mode] += np.array(got)
                cells = []
                for mode in ("named", "secret"):
                    flagged, exact, _, found, part, _ = tally[mode].tolist()
                    cells += [_share(found, seeds), _share(part, seeds),
                              _share(exact, flagged) or "no flag"]
                lines.append(f"| {n} | {n * per_unit} | {k} | " + " | ".join(cells) + " |")
    alarms = ["", "| units | ballots | named: false alarms | secret: false alarms |",
              "|--:|--:|--:|--:|"]
    null_seeds = 4 if quick else 30
    total = {"named": 0, "secret": 0}
    for n in sizes:
        for per_unit in (1, 2):
            count = {"named": 0, "secret": 0}
            for seed in range(null_seeds):
                for mode, got in _evaluate(n, per_unit, 0, 1000 + seed).items():
                    count[mode] += got[5]
            total = {m: total[m] + count[m] for m in total}
            alarms.append(f"| {n} | {n * per_unit} | {count['named']} of {null_seeds} "
                          f"({_share(count['named'], null_seeds)}) | {count['secret']} of "
                          f"{null_seeds} ({_share(count['secret'], null_seeds)}) |")
    meetings = null_seeds * len(sizes) * 2
    alarms.append(f"| all | | {total['named']} of {meetings} "
                  f"({_share(total['named'], meetings)}) | {total['secret']} of {meetings} "
                  f"({_share(total['secret'], meetings)}) |")
    notes = BLOC_NOTES.format(perm=BLOC_PERMUTATIONS, noise=NOISE, loyalty=LOYALTY,
                              alpha=ALPHA, seeds=seeds)
    return notes + "\n" + "\n".join(lines + alarms) + "\n"


def _bloc_rows(quick: bool) -> list[Row]:
    n = 8 if quick else 20
    made = bloc_ballots(n, voters=n, bloc=3, noise=NOISE, seed=1)
    perm = 99 if quick else 999
    plan = Plan(3, min_repeats=1, budget_s=30)
    named = measure(lambda: blocs(made.ballots, permutations=perm), plan)
    secret = measure(lambda: blocs(made.secret, permutations=perm), plan)
    found = blocs(made.secret, permutations=perm).row(0, named=True)["group"]
    check = "planted bloc found first" if found == list(made.bloc) else "planted bloc NOT first"
    return [
        Row("blocs (named)", f"{n} units × {n} ballots, {perm:,} permutations", named,
            check=check),
        Row("blocs (secret)", f"{n} units × {n} ballots, {perm:,} + {perm:,} model draws",
            secret, check=check),
    ]


def run(quick: bool) -> list[Row]:
    """The suite's rows (see the module docstring); completes :data:`NOTES` with the bloc
    detector's precision, recall and false alarms."""
    global NOTES
    rows = _weights_rows(quick) + _bloc_rows(quick)
    NOTES = WEIGHT_NOTES + "\n" + bloc_evaluation(quick)
    return rows
