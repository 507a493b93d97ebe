"""Synthetic meetings: Mallows sampling, determinism, voting blocs, and whole runs."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats

import thidua_rank as tr
from thidua_rank.cli import main
from thidua_rank.synth import (
    expected_kendall,
    mallows_orders,
    phi_for_noise,
    synth_files,
    synth_meeting,
)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def _kendall(order: np.ndarray, ref: np.ndarray) -> int:
    pos = {u: i for i, u in enumerate(order.tolist())}
    return sum(pos[a] > pos[b] for a, b in itertools.combinations(ref.tolist(), 2))


# ---------------------------------------------------------------------- Mallows
def test_phi_zero_returns_the_reference_order() -> None:
    ref = np.random.default_rng(5).permutation(9)
    orders = mallows_orders(ref, 50, 0.0, np.random.default_rng(1))
    assert orders.shape == (50, 9)
    assert (orders == ref).all()


def test_rows_are_permutations_of_the_reference() -> None:
    ref = np.array([7, 3, 9, 1])
    orders = mallows_orders(ref, 200, 0.7, 3)
    assert (np.sort(orders, axis=1) == np.sort(ref)).all()


def test_phi_one_is_uniform_on_first_places() -> None:
    n, m = 6, 6000
    orders = mallows_orders(range(n), m, 1.0, np.random.default_rng(2024))
    counts = np.bincount(orders[:, 0], minlength=n)
    assert stats.chisquare(counts).pvalue > 0.001
    # and on whole rankings of three units
    small = mallows_orders(range(3), m, 1.0, np.random.default_rng(7))
    perms = np.unique(small, axis=0, return_counts=True)[1]
    assert len(perms) == 6 and stats.chisquare(perms).pvalue > 0.001


def test_mallows_probabilities_follow_phi_to_the_distance() -> None:
    """P(ranking) ∝ phi ** kendall(ranking, reference): chi-square over the 24 rankings of 4."""
    phi, m = 0.5, 40000
    ref = np.arange(4)
    orders = mallows_orders(ref, m, phi, np.random.default_rng(11))
    perms = [np.array(p) for p in itertools.permutations(range(4))]
    weights = np.array([phi ** _kendall(p, ref) for p in perms])
    expected = m * weights / weights.sum()
    seen = np.array([(orders == p).all(axis=1).sum() for p in perms])
    assert seen.sum() == m
    assert stats.chisquare(seen, expected).pvalue > 0.001


def test_mean_distance_matches_expected_kendall() -> None:
    n, phi = 8, 0.8
    orders = mallows_orders(range(n), 3000, phi, np.random.default_rng(3))
    ref = np.arange(n)
    mean = np.mean([_kendall(o, ref) for o in orders])
    assert mean == pytest.approx(expected_kendall(n, phi), rel=0.05)


@pytest.mark.parametrize("n", [2, 5, 12, 30])
@pytest.mark.parametrize("noise", [0.1, 0.3, 0.7])
def test_phi_for_noise_inverts_the_expected_distance(n: int, noise: float) -> None:
    phi = phi_for_noise(noise, n)
    assert 0 < phi < 1
    assert expected_kendall(n, phi) == pytest.approx(noise * n * (n - 1) / 4, rel=1e-6)
    assert phi_for_noise(min(noise + 0.1, 1.0), n) > phi


def test_mallows_rejects_bad_arguments() -> None:
    with pytest.raises(tr.InputError, match="phi must lie in"):
        mallows_orders([0, 1], 3, 1.5)
    with pytest.raises(tr.InputError, match="repeats a unit"):
        mallows_orders([0, 0, 1], 3, 0.5)
    with pytest.raises(tr.InputError, match="noise must lie in"):
        phi_for_noise(-0.1, 5)


def test_same_generator_state_same_draws() -> None:
    a = mallows_orders(range(10), 100, 0.6, np.random.default_rng(9))
    b = mallows_orders(range(10), 100, 0.6, np.random.default_rng(9))
    assert (a == b).all()


# ---------------------------------------------------------------------- meeting folders
def test_same_seed_same_bytes_different_seed_different(tmp_path: Path) -> None:
    kw = {"units": 10, "voters": 14, "noise": 0.4, "bloc": 3, "invalid_rate": 0.1}
    one = synth_meeting(tmp_path / "a", seed=7, **kw)
    two = synth_meeting(tmp_path / "b", seed=7, **kw)
    other = synth_meeting(tmp_path / "c", seed=8, **kw)
    assert _files(one.path) == _files(two.path) == dict(one.files)
    assert set(_files(one.path)) == {"meeting.toml", "members.csv", "criteria.csv",
                                     "scores.csv", "truth.csv", "ballots/xep-hang.csv",
                                     "ballots/truong-khoi.csv"}
    differ = {k for k, v in _files(other.path).items() if _files(one.path)[k] != v}
    assert {"scores.csv", "ballots/xep-hang.csv", "truth.csv"} <= differ


def test_streams_are_independent() -> None:
    """More voters change the ballots, not the scores or the hidden quality."""
    few = synth_files(units=8, voters=8, seed=4)
    many = synth_files(units=8, voters=20, seed=4)
    assert few.files["scores.csv"] == many.files["scores.csv"]
    assert few.quality == many.quality
    assert few.files["ballots/xep-hang.csv"] != many.files["ballots/xep-hang.csv"]


def test_synthetic_meeting_runs(tmp_path: Path) -> None:
    made = synth_meeting(tmp_path / "m", units=12, voters=12, seed=1, noise=0.3)
    meeting = tr.load_meeting(made.path)
    outcome = tr.run_meeting(meeting)
    doc = outcome.to_dict()
    assert len(doc["ranking"]) == 12
    assert [a["tier"] for a in doc["awards"]] == ["co-thi-dua-chinh-phu", "co-thi-dua-tinh",
                                                  "bang-khen"]
    assert doc["awards"][2]["quota"] == 5  # 50% of the 10 remaining units
    assert [(r["id"], r["issued"], r["valid"]) for r in doc["rounds"]] == [
        ("xep-hang", 12, 12), ("truong-khoi", 12, 12)]
    assert doc["leadership"]["head"] in made.reference[:3]
    # scores: self and verified rows, verified ≤ self on every item
    sheet = meeting.scores
    assert sheet is not None and {e.source for e in sheet.entries} == {"self", "verified"}
    by_key = {(e.unit, e.criterion, e.source): e.points for e in sheet.entries}
    items = [c.id for c in sheet.criteria if c.kind == "item"]
    assert sum(c.max_points for c in sheet.criteria if c.kind == "item") == 100
    assert {c.kind for c in sheet.criteria} == {"item", "bonus", "deduction"}
    assert all(by_key[(u, c, "verified")] <= by_key[(u, c, "self")] for u in made.units
               for c in items)


def test_scores_follow_the_hidden_quality(tmp_path: Path) -> None:
    made = synth_meeting(tmp_path / "m", units=30, seed=3)
    result = tr.rank(tr.load_meeting(made.path).scores, method="weighted_sum")
    score = {r["unit"]: r["score"] for r in result.to_dicts()}
    rho = stats.spearmanr(made.quality, [score[u] for u in made.units]).statistic
    assert rho > 0.7


def test_low_noise_ballots_recover_the_reference(tmp_path: Path) -> None:
    made = synth_meeting(tmp_path / "m", units=8, voters=40, seed=5, noise=0.05)
    ballots = tr.load_meeting(made.path).ballots["xep-hang"]
    assert tr.rank(ballots, method="borda").table["unit"].to_list() == list(made.reference)


def test_bloc_voting_is_visible(tmp_path: Path) -> None:
    plain = synth_meeting(tmp_path / "plain", units=10, voters=10, seed=12, noise=0.5)
    bloc = synth_meeting(tmp_path / "bloc", units=10, voters=10, seed=12, noise=0.5, bloc=3)
    assert len(bloc.bloc) == 3 and plain.bloc == ()
    ballots = tr.load_meeting(bloc.path).ballots["xep-hang"]
    members = [bloc.units.index(u) for u in bloc.bloc]
    for j in members:  # voter j belongs to unit j: bloc members rank the bloc 1, 2, 3
        assert sorted(ballots.ranks[j, members].tolist()) == [1, 2, 3]
    # the same Mallows draws without the bloc: every bloc unit gains Borda points
    before = tr.rank(tr.load_meeting(plain.path).ballots["xep-hang"], method="borda")
    after = tr.rank(ballots, method="borda")
    gain = {u: after.exact[u] - before.exact[u] for u in bloc.units}
    assert all(gain[u] >= 0 for u in bloc.bloc)
    assert sum(gain[u] for u in bloc.bloc) > 0
    truth = (bloc.path / "truth.csv").read_text(encoding="utf-8")
    assert truth.count(",có") == 3


def test_invalid_ballots_are_marked(tmp_path: Path) -> None:
    made = synth_meeting(tmp_path / "m", units=6, voters=30, seed=2, invalid_rate=0.3)
    rnd = tr.run_meeting(tr.load_meeting(made.path)).to_dict()["rounds"][0]
    assert rnd["invalid"] > 0 and rnd["valid"] + rnd["invalid"] == 30
    assert set(rnd["invalid_reasons"]) <= {"không có dấu của Ban kiểm phiếu",
                                           "phiếu gạch xóa, ghi thêm nội dung"}


def test_bad_arguments_and_existing_folders(tmp_path: Path) -> None:
    with pytest.raises(tr.InputError, match=r"voting bloc \(7\) is larger"):
        synth_meeting(tmp_path / "x", units=6, bloc=7)
    with pytest.raises(tr.InputError, match="'units' must be a whole number ≥ 2"):
        synth_meeting(tmp_path / "x", units=1)
    assert not (tmp_path / "x").exists()
    made = synth_meeting(tmp_path / "m", units=5, seed=1)
    before = _files(made.path)
    with pytest.raises(tr.InputError, match="not empty"):
        synth_meeting(tmp_path / "m", units=5, seed=2)
    assert _files(made.path) == before
    synth_meeting(tmp_path / "m", units=5, seed=2, overwrite=True)
    assert _files(made.path) != before
    (tmp_path / "empty").mkdir()
    assert synth_meeting(tmp_path / "empty", units=4).path == tmp_path / "empty"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_synth(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s"
    assert main(["synth", "--units", "7", "--voters", "9", "--seed", "3", "--bloc", "2",
                 str(out)]) == 0
    assert "phi =" in capsys.readouterr().out
    assert main(["meeting", str(out), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["ranking"]) == 7
    assert main(["synth", "--units", "7", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["synth", "--noise", "2", str(tmp_path / "t")]) == 2
    assert "noise must lie in [0, 1]" in capsys.readouterr().err
    assert not (tmp_path / "t").exists()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units=st.integers(2, 7), voters=st.integers(1, 9), seed=st.integers(0, 10_000),
       noise=st.floats(0, 1), bloc=st.none() | st.integers(1, 7),
       invalid_rate=st.sampled_from([0.0, 0.3]))
def test_small_synthetic_meetings_always_run(units: int, voters: int, seed: int, noise: float,
                                             bloc: int | None, invalid_rate: float) -> None:
    bloc = None if bloc is None else min(bloc, units)
    with tempfile.TemporaryDirectory() as tmp:
        made = synth_meeting(Path(tmp) / "m", units=units, voters=voters, seed=seed,
                             noise=noise, bloc=bloc, invalid_rate=invalid_rate)
        outcome = tr.run_meeting(tr.load_meeting(made.path))
    assert sorted(outcome.ranking.units) == sorted(made.units)
    assert sorted(made.reference) == sorted(made.units)
    for rnd in outcome.rounds:
        assert rnd.issued == voters and rnd.returned == voters
    ballots = mallows_orders(range(units), voters, made.phi, seed)
    assert (np.sort(ballots, axis=1) == np.arange(units)).all()
