"""The contract every registered method keeps, checked for each of them."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import polars as pl
import pytest

import thidua_rank as tr
from thidua_rank.engine.result import build_result, competition_ranks
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet
from thidua_rank.methods import get_method, method_info

UNITS = ["Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Văn phòng Tỉnh ủy", "Báo Nam Định",
         "Sở Y tế", "Trường Chính trị tỉnh"]


def ranked_input(seed: int) -> tr.Ballots:
    rng = np.random.default_rng(seed)
    n, m = len(UNITS), 13
    ranks = np.zeros((m, n), dtype=np.int64)
    for i in range(m):
        k = int(rng.integers(2, n + 1))
        chosen = rng.permutation(n)[:k]
        ranks[i, chosen] = np.sort(rng.integers(1, k + 1, size=k))
    return tr.Ballots.from_ranks(ranks, units=UNITS)


def approval_input(seed: int) -> tr.Ballots:
    rng = np.random.default_rng(seed)
    return tr.Ballots.from_ranks(rng.integers(0, 2, size=(11, len(UNITS))), units=UNITS,
                                 kind="approval")


def scores_input(seed: int) -> ScoreSheet:
    rng = np.random.default_rng(seed)
    crit = (Criterion("c1", "Chuyên môn", 60), Criterion("c2", "Phong trào", 40),
            Criterion("b1", "Thưởng", 5, kind="bonus"))
    entries = tuple(ScoreEntry(u, c.id, "self", Fraction(int(rng.integers(0, int(c.max_points)
                                                                          + 1))))
                    for u in UNITS for c in crit)
    return ScoreSheet(units=tuple(UNITS), criteria=crit, entries=entries)


def results_input(seed: int) -> list[tr.RankResult]:
    return [tr.rank(scores_input(seed), method="weighted_sum"),
            tr.rank(ranked_input(seed), method="borda")]


INPUTS: dict[str, Callable[[int], object]] = {
    "ranked": ranked_input, "approval": approval_input, "choose": approval_input,
    "scores": scores_input, "results": results_input,
}
METHOD_IDS = tr.methods().get_column("id").to_list()


def make_input(method: str, seed: int) -> object:
    kind = method_info(method).inputs[0]
    if kind not in INPUTS:
        pytest.fail(f"no contract input for kind {kind!r}: extend INPUTS in {__file__}")
    return INPUTS[kind](seed)


@pytest.mark.parametrize("method", METHOD_IDS)
@pytest.mark.parametrize("seed", range(5))
def test_method_contract(method: str, seed: int) -> None:
    data = make_input(method, seed)
    result = tr.rank(data, method=method)
    assert isinstance(result, tr.RankResult)
    assert result.method == method
    assert result.table.schema == pl.Schema({"unit": pl.String, "score": pl.Float64,
                                             "rank": pl.Int64, "tied": pl.Boolean})
    assert sorted(result.table.get_column("unit").to_list()) == sorted(UNITS)
    # ranks are the competition ranks of the exact scores, and `tied` agrees with them
    exact = [result.exact[u] for u in result.units]
    assert all(isinstance(x, (int, Fraction)) for x in exact)
    assert result.table.get_column("rank").to_list() == competition_ranks(exact)
    ranks = result.table.get_column("rank").to_list()
    assert result.table.get_column("tied").to_list() == [ranks.count(r) > 1 for r in ranks]
    assert ranks == sorted(ranks)
    assert np.allclose(result.table.get_column("score").to_numpy(), [float(x) for x in exact])
    # every unit is explained in both languages
    for unit in UNITS:
        assert result.explanations[unit]["vi"] and result.explanations[unit]["en"]
    # deterministic
    again = tr.rank(make_input(method, seed), method=method)
    assert again.table.equals(result.table)


@pytest.mark.parametrize("method", METHOD_IDS)
def test_method_metadata(method: str) -> None:
    info = method_info(method)
    func = get_method(method)
    assert info.name_vi and info.name_en and info.complexity.startswith("O(")
    assert func.__doc__ and "Examples" in func.__doc__
    assert set(info.inputs) <= set(INPUTS)


def test_expected_method_ids_are_registered() -> None:
    assert set(METHOD_IDS) == {
        "weighted_sum", "borda", "dowdall", "plurality", "approval", "copeland", "schulze",
        "ranked_pairs", "minimax", "kemeny", "instant_runoff", "combined"}


def test_wrong_ballot_kind_and_unknown_method_are_clear_errors() -> None:
    with pytest.raises(tr.MethodError, match="method 'borda' takes \\['ranked'\\] input"):
        tr.rank(approval_input(0), method="borda")
    with pytest.raises(tr.MethodError, match="unknown method 'bordaa'"):
        tr.rank(ranked_input(0), method="bordaa")


def test_build_result_sorts_by_rank_then_official_order() -> None:
    r = build_result("x", ["C", "A", "B"], [1, 2, 2])
    assert r.units == ["A", "B", "C"]
