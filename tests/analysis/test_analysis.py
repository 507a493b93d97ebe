"""Method comparison and robustness (thidua_rank.analysis)."""

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import polars as pl
import pytest

import thidua_rank as tr
from thidua_rank.analysis import agreement, bootstrap, compare, leave_one_out, weight_sensitivity
from thidua_rank.analysis.progress import AnalysisCancelled
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet


def _random_ballots(seed: int, m: int = 15, n: int = 6) -> tr.Ballots:
    rng = np.random.default_rng(seed)
    orders = np.array([rng.permutation(n) for _ in range(m)])
    return tr.Ballots.from_orders(orders, units=[f"Đơn vị {i}" for i in range(n)])


def test_compare_runs_every_ranked_method_and_agreement_is_symmetric() -> None:
    ballots = _random_ballots(1)
    table = compare(ballots)
    expected = {r["id"] for r in tr.methods().to_dicts() if "ranked" in r["inputs"]}
    assert set(table.columns) == {"unit", "spread"} | expected
    assert table.get_column("unit").to_list() == list(ballots.units)
    tau = agreement(table)
    cols = [c for c in tau.columns if c != "method"]
    matrix = tau.select(cols).to_numpy()
    assert np.allclose(matrix, matrix.T)
    assert np.allclose(np.diag(matrix), 1.0)


def test_unanimous_room_is_perfectly_stable() -> None:
    ballots = tr.Ballots.from_orders([[0, 1, 2, 3]] * 9, units=["A", "B", "C", "D"])
    boot = bootstrap(ballots, "borda", samples=50, seed=3)
    assert boot.filter(pl.col("unit") == "A").get_column("p_first").item() == 1.0
    assert boot.get_column("rank_low").to_list() == boot.get_column("rank_high").to_list()
    assert leave_one_out(ballots, "borda").height == 0


def test_bootstrap_is_seeded_and_probabilities_are_consistent() -> None:
    ballots = _random_ballots(5)
    a = bootstrap(ballots, "borda", samples=80, seed=11)
    b = bootstrap(ballots, "borda", samples=80, seed=11)
    assert a.equals(b)
    assert (a.get_column("p_top") >= a.get_column("p_first")).all()
    assert a.get_column("p_first").sum() >= 1.0 - 1e-12  # joint firsts may exceed 1
    with pytest.raises(tr.InputError, match="samples must be at least 1"):
        bootstrap(ballots, "borda", samples=0, seed=1)


def test_leave_one_out_finds_the_deciding_ballot() -> None:
    # A beats B by a single ballot under Borda: removing any A-first ballot makes a tie.
    ballots = tr.Ballots.from_orders([[0, 1], [0, 1], [1, 0]], units=["A", "B"],
                                     counts=[1, 1, 1])
    critical = leave_one_out(ballots, "borda")
    assert critical.get_column("ballot").to_list() == ["1", "2"]
    assert critical.get_column("winners_without").to_list()[0] == ["A", "B"]


def test_weight_sensitivity_detects_a_fragile_order() -> None:
    crit = (Criterion("c1", "Chuyên môn", 50), Criterion("c2", "Phong trào", 50))
    F = Fraction
    entries = (ScoreEntry("A", "c1", "self", F(50)), ScoreEntry("A", "c2", "self", F(40)),
               ScoreEntry("B", "c1", "self", F(40)), ScoreEntry("B", "c2", "self", F(49)),
               ScoreEntry("C", "c1", "self", F(20)), ScoreEntry("C", "c2", "self", F(20)))
    sheet = ScoreSheet(units=("A", "B", "C"), criteria=crit, entries=entries)
    table = weight_sensitivity(sheet, spread=0.3, samples=100, seed=2)
    p = dict(table.select("unit", "p_same").iter_rows())
    assert p["C"] == 1.0          # far behind: always last
    assert 0 < p["A"] < 1         # A (90) vs B (89) flips with the weights
    with pytest.raises(tr.InputError, match=r"spread must be in \[0, 1\)"):
        weight_sensitivity(sheet, spread=1.5, seed=1)


def _score_sheet() -> ScoreSheet:
    crit = (Criterion("c1", "Chuyên môn", 40), Criterion("c2", "Phong trào", 35),
            Criterion("c3", "Đoàn kết", 25))
    points = {"A": (38, 30, 20), "B": (36, 33, 21), "C": (35, 31, 24), "D": (30, 20, 15)}
    entries = tuple(ScoreEntry(u, c.id, "self", Fraction(v))
                    for u, row in points.items() for c, v in zip(crit, row, strict=True))
    return ScoreSheet(units=tuple(points), criteria=crit, entries=entries)


def _recorder() -> tuple[list[tuple[int, int]], Callable[[int, int], None]]:
    seen: list[tuple[int, int]] = []
    return seen, lambda done, total: seen.append((done, total))


@pytest.mark.parametrize("samples", [1, 7, 250, 1001])
def test_bootstrap_reports_progress_and_the_hooks_change_nothing(samples: int) -> None:
    ballots = _random_ballots(8, m=12, n=5)
    seen, progress = _recorder()
    hooked = bootstrap(ballots, "copeland", samples=samples, seed=4, progress=progress,
                       cancel=lambda: False)
    assert hooked.equals(bootstrap(ballots, "copeland", samples=samples, seed=4))
    done = [d for d, _ in seen]
    assert {t for _, t in seen} == {samples}
    assert done == sorted(set(done)) and done[-1] == samples  # rising, ends at all samples
    assert len(done) <= 101  # about every 1 %: the page is not flooded with messages


@pytest.mark.parametrize("samples", [1, 9, 300])
def test_weight_sensitivity_reports_progress_and_the_hooks_change_nothing(samples: int) -> None:
    sheet = _score_sheet()
    seen, progress = _recorder()
    hooked = weight_sensitivity(sheet, spread=0.4, samples=samples, seed=6, progress=progress,
                                cancel=lambda: False)
    assert hooked.equals(weight_sensitivity(sheet, spread=0.4, samples=samples, seed=6))
    done = [d for d, _ in seen]
    assert {t for _, t in seen} == {samples}
    assert done == sorted(set(done)) and done[-1] == samples
    assert len(done) <= 101


def _stop_after(reports: int) -> tuple[list[tuple[int, int]], Callable[[int, int], None],
                                       Callable[[], bool]]:
    """A progress recorder and a cancel that answers ``True`` once *reports* came in."""
    seen, progress = _recorder()
    return seen, progress, lambda: len(seen) >= reports


def test_bootstrap_stops_when_cancelled() -> None:
    ballots = _random_ballots(2, m=10, n=6)
    seen, progress, cancel = _stop_after(3)
    with pytest.raises(AnalysisCancelled, match="the analysis was cancelled"):
        bootstrap(ballots, "borda", samples=2000, seed=1, progress=progress, cancel=cancel)
    assert seen == [(20, 2000), (40, 2000), (60, 2000)]  # no sample after the stop
    with pytest.raises(AnalysisCancelled, match="đã dừng phân tích"):
        bootstrap(ballots, "borda", samples=10, seed=1, cancel=lambda: True)


def test_weight_sensitivity_stops_when_cancelled() -> None:
    seen, progress, cancel = _stop_after(2)
    with pytest.raises(AnalysisCancelled, match="the analysis was cancelled"):
        weight_sensitivity(_score_sheet(), samples=500, seed=1, progress=progress,
                           cancel=cancel)
    assert seen == [(5, 500), (10, 500)]
    with pytest.raises(tr.InputError, match="samples must be at least 1"):
        weight_sensitivity(_score_sheet(), samples=0, seed=1)
