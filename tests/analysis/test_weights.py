"""weight_perturbation against the slow exact loop, and its probabilities."""

from fractions import Fraction

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import thidua_rank as tr
from thidua_rank.analysis import AnalysisCancelled
from thidua_rank.analysis.weights import (
    _items,
    dirichlet_weights,
    perturbation_reference,
    weight_perturbation,
)
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet


def _sheet(seed: int, n: int = 6, c: int = 4) -> ScoreSheet:
    rng = np.random.default_rng(seed)
    crit = tuple(Criterion(f"c{i}", f"Tiêu chí {i}", 10, weight=int(rng.integers(1, 4)))
                 for i in range(c))
    units = tuple(f"Sở số {i}" for i in range(n))
    entries = tuple(ScoreEntry(u, k.id, "self", Fraction(int(rng.integers(8, 21)), 2))
                    for u in units for k in crit)
    return ScoreSheet(units=units, criteria=crit, entries=entries)


def _reference_table(source: object, samples: int, concentration: float, seed: int
                     ) -> tuple[np.ndarray, np.ndarray | None]:
    sheet = source if isinstance(source, ScoreSheet) else source.scores  # type: ignore[attr-defined]
    _, weights, _, _ = _items(sheet)
    draws = dirichlet_weights(weights, concentration, samples, np.random.default_rng(seed))
    return perturbation_reference(source, draws)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_place_probabilities_equal_the_exact_loop(seed: int) -> None:
    sheet = _sheet(seed)
    got = weight_perturbation(sheet, samples=300, concentration=30, seed=seed)
    places, _ = _reference_table(sheet, 300, 30, seed)
    n = len(sheet.units)
    by_unit = {r["unit"]: r for r in got.to_dicts()}
    for u, unit in enumerate(sheet.units):
        want = np.bincount(places[:, u] - 1, minlength=n) / 300
        have = [by_unit[unit][f"p_place_{p}"] for p in range(1, n + 1)]
        assert have == pytest.approx(want.tolist(), abs=1e-12)
        assert by_unit[unit]["mean_place"] == pytest.approx(places[:, u].mean())
        for col, q in (("place_low", 5), ("place_high", 95)):
            assert by_unit[unit][col] == int(np.percentile(places[:, u], q,
                                                           method="inverted_cdf"))


@pytest.mark.parametrize("name", ["dien-bien-noi-chinh-2022", "gia-lai-so-nganh-tong-hop-2023"])
def test_tier_probabilities_equal_allocate_in_a_loop(name: str) -> None:
    meeting = tr.load_meeting(f"sample_data/{name}")
    got = weight_perturbation(meeting, samples=150, concentration=8, seed=5)
    _, tiers = _reference_table(meeting, 150, 8, 5)
    assert tiers is not None
    ids = [t.id for t in meeting.config.tiers]
    by_unit = {r["unit"]: r for r in got.to_dicts()}
    for u, unit in enumerate(meeting.units):
        for t, tid in enumerate(ids):
            assert by_unit[unit][f"p_tier_{tid}"] == pytest.approx((tiers[:, u] == t).mean())
        assert by_unit[unit]["p_tier_none"] == pytest.approx((tiers[:, u] == -1).mean())
    # at least one unit is genuinely uncertain at this concentration, so the check has teeth
    assert any(0 < by_unit[u][f"p_tier_{tid}"] < 1 for u in meeting.units for tid in ids)


@pytest.mark.parametrize("name", ["dien-bien-noi-chinh-2022", "gia-lai-so-nganh-tong-hop-2023"])
def test_configured_tiers_are_the_meetings_awards(name: str) -> None:
    meeting = tr.load_meeting(f"sample_data/{name}")
    outcome = tr.run_meeting(meeting)
    got = weight_perturbation(meeting, samples=10, seed=1)
    assert dict(got.select("unit", "tier").iter_rows()) == {u: outcome.award_of(u)
                                                            for u in meeting.units}


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 9), st.integers(1, 5),
       st.floats(0.5, 1e4))
def test_probabilities_per_unit_sum_to_one(seed: int, n: int, c: int, conc: float) -> None:
    table = weight_perturbation(_sheet(seed, n, c), samples=200, concentration=conc, seed=seed,
                                batch=64)
    places = table.select([f"p_place_{p}" for p in range(1, n + 1)]).to_numpy()
    assert np.allclose(places.sum(axis=1), 1.0)
    assert places[:, 0].sum() >= 1.0 - 1e-12  # someone is first in every sample
    low, high = table.get_column("place_low"), table.get_column("place_high")
    assert (low <= high).all() and (low >= 1).all() and (high <= n).all()


def test_tier_probabilities_sum_to_one() -> None:
    meeting = tr.load_meeting("sample_data/gia-lai-so-nganh-tong-hop-2023")
    table = weight_perturbation(meeting, samples=500, concentration=5, seed=2)
    cols = [c for c in table.columns if c.startswith("p_tier_")]
    assert np.allclose(table.select(cols).to_numpy().sum(axis=1), 1.0)


def test_far_behind_unit_is_always_last_and_close_pair_flips() -> None:
    crit = (Criterion("c1", "Chuyên môn", 50), Criterion("c2", "Phong trào", 50))
    F = Fraction
    sheet = ScoreSheet(units=("A", "B", "C"), criteria=crit, entries=(
        ScoreEntry("A", "c1", "self", F(50)), ScoreEntry("A", "c2", "self", F(40)),
        ScoreEntry("B", "c1", "self", F(40)), ScoreEntry("B", "c2", "self", F(49)),
        ScoreEntry("C", "c1", "self", F(20)), ScoreEntry("C", "c2", "self", F(20))))
    t = {r["unit"]: r for r in weight_perturbation(sheet, samples=4000, concentration=20,
                                                   seed=3).to_dicts()}
    assert t["C"]["p_place_3"] == 1.0
    assert 0.05 < t["A"]["p_place_1"] < 0.95
    assert t["A"]["p_place_1"] + t["B"]["p_place_1"] == pytest.approx(1.0)
    # a huge concentration keeps the configured weights: A first every time
    tight = weight_perturbation(sheet, samples=500, concentration=1e9, seed=3)
    assert tight.filter(pl.col("unit") == "A").get_column("p_same").item() == 1.0


def test_equal_points_give_a_joint_place_in_every_sample() -> None:
    crit = (Criterion("c1", "X", 10), Criterion("c2", "Y", 10))
    F = Fraction
    sheet = ScoreSheet(units=("A", "B", "C"), criteria=crit, entries=(
        ScoreEntry("A", "c1", "self", F(7)), ScoreEntry("A", "c2", "self", F(3)),
        ScoreEntry("B", "c1", "self", F(7)), ScoreEntry("B", "c2", "self", F(3)),
        ScoreEntry("C", "c1", "self", F(1)), ScoreEntry("C", "c2", "self", F(1))))
    t = weight_perturbation(sheet, samples=300, seed=4)
    assert t.get_column("p_place_1").to_list() == [1.0, 1.0, 0.0]


def test_progress_and_cancel() -> None:
    seen: list[tuple[int, int]] = []
    weight_perturbation(_sheet(1), samples=100, seed=1, batch=30,
                        progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    with pytest.raises(AnalysisCancelled, match="the analysis was cancelled"):
        weight_perturbation(_sheet(1), samples=100, seed=1, batch=30, cancel=lambda: True)


def test_bad_arguments_are_named() -> None:
    with pytest.raises(tr.InputError, match="concentration must be positive"):
        weight_perturbation(_sheet(1), samples=10, concentration=0, seed=1)
    with pytest.raises(tr.InputError, match="samples and batch must be at least 1"):
        weight_perturbation(_sheet(1), samples=0, seed=1)
    meeting = tr.load_meeting("sample_data/nam-dinh-co-quan-dang-2021")  # score + vote
    with pytest.raises(tr.InputError, match=r"pass meeting\.scores"):
        weight_perturbation(meeting, samples=10, seed=1)
    assert weight_perturbation(meeting.scores, samples=10, seed=1).height == len(meeting.units)
