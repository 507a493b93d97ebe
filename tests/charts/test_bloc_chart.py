"""The bloc chart: co-support counted by hand, detected groups outlined first, both languages,
exported as PNG, SVG and PDF."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import thidua_rank as tr
from thidua_rank.analysis import blocs
from thidua_rank.charts import bloc_chart, save_chart
from thidua_rank.charts.blocs import co_support
from thidua_rank.synth import bloc_ballots

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def made() -> object:
    return bloc_ballots(10, voters=20, bloc=3, seed=4)


def test_co_support_counted_by_hand() -> None:
    rng = np.random.default_rng(2)
    b = tr.Ballots.from_orders([rng.permutation(6) for _ in range(9)], units=list("ABCDEF"),
                               counts=rng.integers(1, 4, 9))
    got = co_support(b, 2)
    for u in range(6):
        for v in range(6):
            expected = sum(int(c) for row, c in zip(b.ranks, b.counts, strict=True)
                           if 1 <= row[u] <= 2 and 1 <= row[v] <= 2)
            assert got[u, v] == expected
    approval = tr.Ballots.from_ranks([[1, 0, 1], [1, 1, 0]], units=list("ABC"), kind="approval")
    assert co_support(approval, 1).tolist() == [[2, 1, 1], [1, 1, 0], [1, 0, 1]]
    with pytest.raises(tr.InputError, match="places must be a whole number"):
        co_support(b, 0)


def test_groups_come_first_and_are_outlined(made: object) -> None:
    ballots = made.secret  # type: ignore[attr-defined]
    table = blocs(ballots, permutations=99)
    assert table.row(0, named=True)["group"] == list(made.bloc)  # type: ignore[attr-defined]
    spec = bloc_chart(ballots, table).to_dict()
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    assert order[:3] == list(made.bloc)  # type: ignore[attr-defined]
    assert sorted(order) == sorted(ballots.units)
    values = spec["data"]["values"]
    matrix = co_support(ballots, 3)
    index = {u: i for i, u in enumerate(ballots.units)}
    assert all(v["count"] == matrix[index[v["unit"]], index[v["other"]]] for v in values)
    outlined = {(v["unit"], v["other"]) for v in values if v["group"].startswith("1.")}
    bloc = made.bloc  # type: ignore[attr-defined]
    assert outlined == {(u, w) for u in bloc for w in bloc}
    p = table.row(0, named=True)["p_value"]
    label = "1. bỏ phiếu theo khối (p = " + f"{p:.3f}".replace(".", ",") + ")"
    assert {v["group"] for v in values if v["group"].startswith("1.")} == {label}
    assert spec["title"] == "Số phiếu xếp cả hai đơn vị vào 3 hạng đầu"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    legend = spec["layer"][2]["encoding"]["stroke"]
    assert legend["scale"]["range"][0] == "#c62828"


def test_english_and_matrix_alone(made: object) -> None:
    ballots = made.ballots  # type: ignore[attr-defined]
    spec = bloc_chart(ballots, lang="en", places=2).to_dict()
    assert spec["title"] == "Ballots placing both units in their top 2"
    assert len(spec["layer"]) == 2  # cells and numbers, nothing outlined
    assert spec["layer"][0]["encoding"]["x"]["title"] == "together with unit"
    assert "locale" not in spec["config"]
    with pytest.raises(tr.InputError, match="lang must be 'vi' or 'en'"):
        bloc_chart(ballots, lang="fr")  # type: ignore[arg-type]


def test_unknown_units_in_the_table_are_named(made: object) -> None:
    import polars as pl

    table = pl.DataFrame({"group": [["Sở Không Có"]], "p_value": [0.5],
                          "significant": [False]})
    with pytest.raises(tr.InputError, match="the table names units not on these ballots"):
        bloc_chart(made.ballots, table)  # type: ignore[attr-defined]


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_exported(made: object, suffix: str) -> None:
    ballots = made.secret  # type: ignore[attr-defined]
    chart = bloc_chart(ballots, blocs(ballots, permutations=49))
    out = save_chart(chart, ROOT / "test-artifacts" / "charts" / f"bloc_chart{suffix}")
    data = out.read_bytes()
    assert data[:4] in (b"\x89PNG", b"<svg", b"%PDF")
    if suffix == ".svg":
        assert made.bloc[0] in data.decode()  # type: ignore[attr-defined]  # full names
        assert "bỏ phiếu theo khối" in data.decode()
