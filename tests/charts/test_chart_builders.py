"""The analysis charts: specs (encodings, titles in both languages, full unit names, decimal
comma), one rendered SVG per chart with a Vietnamese unit name, and export to PNG/SVG/PDF."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import vl_convert as vlc

import thidua_rank as tr
from thidua_rank import charts
from thidua_rank.analysis import (
    awards_by_method,
    condorcet,
    cutoff_margins,
    voter_analysis,
    weight_perturbation,
)
from thidua_rank.errors import InputError
from thidua_rank.methods import method_info

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def vote_meeting() -> tr.Meeting:
    return tr.load_meeting(ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022")


@pytest.fixture(scope="module")
def score_meeting() -> tr.Meeting:
    return tr.load_meeting(ROOT / "sample_data" / "gia-lai-so-nganh-tong-hop-2023")


@pytest.fixture(scope="module")
def ballots(vote_meeting: tr.Meeting) -> tr.Ballots:
    return vote_meeting.ballots[vote_meeting.config.ranking.vote_round]


@pytest.fixture(scope="module")
def awards(vote_meeting: tr.Meeting) -> pl.DataFrame:
    return awards_by_method(vote_meeting, ["borda", "schulze", "dowdall", "plurality"])


@pytest.fixture(scope="module")
def margins(vote_meeting: tr.Meeting) -> pl.DataFrame:
    return cutoff_margins(vote_meeting)


@pytest.fixture(scope="module")
def perturbation(score_meeting: tr.Meeting) -> pl.DataFrame:
    return weight_perturbation(score_meeting, samples=4000, seed=7)


@pytest.fixture(scope="module")
def distances(ballots: tr.Ballots) -> pl.DataFrame:
    return voter_analysis(ballots, voters={"3": "Ủy ban Kiểm tra Tỉnh ủy"})


def _layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"]


def _mark(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def _svg_texts(chart: Any) -> list[str]:
    svg = vlc.vegalite_to_svg(chart.to_dict())
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


# -- pairwise-margin heatmap -----------------------------------------------------------------
def test_pairwise_chart_cells_are_the_condorcet_margins(ballots: tr.Ballots) -> None:
    spec = charts.pairwise_chart(ballots).to_dict()
    expected = {(r["unit"], r["opponent"]): r["margin"]
                for r in condorcet(ballots).pairwise.to_dicts()}
    assert {(v["unit"], v["opponent"]): v["margin"] for v in spec["data"]["values"]} == expected
    rect, text = _layers(spec)
    assert _mark(rect) == "rect" and rect["encoding"]["color"]["field"] == "margin"
    assert rect["encoding"]["x"]["sort"] == list(ballots.units)
    assert rect["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert rect["encoding"]["x"]["axis"]["labelLimit"] == 0
    top = max(abs(m) for m in expected.values())
    assert rect["encoding"]["color"]["scale"]["domain"] == [-top, top]
    assert text["encoding"]["text"]["field"] == "margin"
    assert spec["title"] == "Hiệu số phiếu từng cặp (hàng hơn cột)"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    en = charts.pairwise_chart(ballots, lang="en").to_dict()
    assert en["title"] == "Pairwise ballot margins (row over column)"
    assert en["layer"][0]["encoding"]["y"]["title"] == "Unit"
    assert "locale" not in en["config"]
    assert charts.pairwise_chart(ballots, title="Hội nghị").to_dict()["title"] == "Hội nghị"


def test_pairwise_chart_svg_names_units_in_full(ballots: tr.Ballots) -> None:
    texts = _svg_texts(charts.pairwise_chart(ballots))
    assert "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh" in texts
    assert not any("…" in t for t in texts)


# -- bump chart ------------------------------------------------------------------------------
def test_bump_chart_places_and_tiers(awards: pl.DataFrame, vote_meeting: tr.Meeting) -> None:
    spec = charts.bump_chart(awards).to_dict()
    lines, points, names = _layers(spec)
    values = lines["data"]["values"] if "data" in lines else spec["data"]["values"]
    titles = {m: method_info(m).name_vi for m in awards.get_column("method").unique()}
    assert {(v["unit"], v["method"]): v["place"] for v in values} == {
        (r["unit"], titles[r["method"]]): r["place"] for r in awards.to_dicts()}
    tiers = {(v["unit"], v["method"]): v["tier"] for v in values}
    borda = titles["borda"]
    first = awards.filter(pl.col("method") == "borda").sort("place").row(0, named=True)
    assert tiers[(first["unit"], borda)] == first["tier_label"]
    last = awards.filter(pl.col("method") == "borda").sort("place").row(-1, named=True)
    assert tiers[(last["unit"], borda)] == "Không khen thưởng"
    assert points["encoding"]["x"]["sort"][0] == borda  # the configured method first
    assert points["encoding"]["y"]["scale"]["domain"] == [len(vote_meeting.units), 1]
    scale = points["encoding"]["color"]["scale"]
    assert scale["domain"] == [t.label for t in vote_meeting.config.tiers] + ["Không khen thưởng"]
    assert _mark(lines) == "line" and _mark(names) == "text"
    assert spec["title"] == "Hạng của từng đơn vị theo các phương pháp"
    en = charts.bump_chart(awards, lang="en").to_dict()
    assert en["title"] == "Places of each unit by method"
    assert en["layer"][1]["encoding"]["color"]["scale"]["domain"][-1] == "No award"
    assert method_info("schulze").name_en in en["layer"][1]["encoding"]["x"]["sort"]


def test_bump_chart_joint_places_share_one_label() -> None:
    t = pl.DataFrame({"unit": ["Sở Y tế", "Sở Nội vụ", "Sở Y tế", "Sở Nội vụ"],
                      "method": ["borda", "borda", "schulze", "schulze"],
                      "configured": [True, True, False, False], "place": [1, 2, 1, 1],
                      "tier": [None] * 4, "tier_label": [None] * 4})
    names = charts.bump_chart(t).to_dict()["layer"][2]["data"]["values"]
    assert names == [{"method": method_info("schulze").name_vi, "place": 1,
                      "names": "Sở Y tế / Sở Nội vụ"}]


def test_bump_chart_svg_names_units(awards: pl.DataFrame) -> None:
    texts = _svg_texts(charts.bump_chart(awards))
    assert "Ban Tuyên giáo Tỉnh ủy" in texts and "Cờ thi đua của Chính phủ" in texts


# -- rank-probability heatmap ----------------------------------------------------------------
def test_rank_probability_chart_cells(perturbation: pl.DataFrame) -> None:
    spec = charts.rank_probability_chart(perturbation).to_dict()
    values = spec["data"]["values"]
    n = perturbation.height
    assert len(values) == n * n
    row = perturbation.row(1, named=True)
    cells = {v["place"]: v for v in values if v["unit"] == row["unit"]}
    assert [cells[p]["p"] for p in range(1, n + 1)] == [row[f"p_place_{p}"]
                                                        for p in range(1, n + 1)]
    assert [p for p, c in cells.items() if c["actual"]] == [row["rank"]]
    assert sum(c["p"] for c in cells.values()) == pytest.approx(1)
    rect = spec["layer"][0]
    assert rect["encoding"]["y"]["sort"] == perturbation.get_column("unit").to_list()
    assert rect["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert rect["encoding"]["color"]["scale"]["domain"] == [0, 1]
    assert spec["title"] == "Xác suất đạt từng hạng khi trọng số thay đổi"
    en = charts.rank_probability_chart(perturbation, lang="en").to_dict()
    assert en["title"] == "Probability of each place under uncertain weights"


def test_rank_probability_labels_use_the_decimal_comma() -> None:
    t = pl.DataFrame({"unit": ["Sở Y tế", "Sở Nội vụ"], "rank": [1, 2],
                      "p_place_1": [0.5, 0.5], "p_place_2": [0.5, 0.5]})
    vi = _svg_texts(charts.rank_probability_chart(t))
    en = _svg_texts(charts.rank_probability_chart(t, lang="en"))
    assert "Sở Nội vụ" in vi and "50%" in vi
    assert "0%" in vi and "100%" in vi  # the legend
    assert "Xác suất" in vi and "Probability" in en


def test_rank_probability_chart_needs_place_columns() -> None:
    with pytest.raises(InputError, match="p_place_"):
        charts.rank_probability_chart(pl.DataFrame({"unit": ["A"], "rank": [1]}))


def test_rank_probability_svg_names_units(perturbation: pl.DataFrame) -> None:
    texts = _svg_texts(charts.rank_probability_chart(perturbation))
    assert "Văn phòng Đoàn Đại biểu Quốc hội và HĐND tỉnh" in texts


# -- cut-off margins -------------------------------------------------------------------------
def test_cutoff_margin_chart_ballots(margins: pl.DataFrame, vote_meeting: tr.Meeting) -> None:
    labels = {t.id: t.label for t in vote_meeting.config.tiers}
    spec = charts.cutoff_margin_chart(margins, tier_labels=labels).to_dict()
    values = spec["data"]["values"]
    assert [v["row"] for v in values] == [f"{r['unit']} · {labels[r['tier']]}"
                                          for r in margins.to_dicts()]
    assert [v["value"] for v in values] == [r["ballots"] or 0 for r in margins.to_dicts()]
    sides = {"out": "đang đạt — có thể mất", "in": "chưa đạt — có thể được"}
    assert [v["side"] for v in values] == [sides[d] for d in margins.get_column("direction")]
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["title"] == "Số phiếu phải đổi"
    assert bars["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert spec["title"] == "Khoảng cách tới ngưỡng khen thưởng"
    en = charts.cutoff_margin_chart(margins, lang="en").to_dict()
    assert en["title"] == "Margins at the award cut-offs"
    assert en["layer"][0]["encoding"]["x"]["title"] == "Ballots to change"
    missing = [v["label"] for v in en["data"]["values"] if v["value"] == 0]
    assert missing == ["not found within the bound"] * margins.get_column("ballots").null_count()


def test_cutoff_margin_chart_weights(score_meeting: tr.Meeting) -> None:
    table = cutoff_margins(score_meeting)
    spec = charts.cutoff_margin_chart(table).to_dict()
    first = table.row(0, named=True)
    value = spec["data"]["values"][0]
    assert value["value"] == first["weight_change"]
    assert value["label"] == tr.text.format_number(100 * first["weight_change"], 2) + "%"
    assert "," in value["label"]
    missing = [v["label"] for v in spec["data"]["values"] if v["value"] == 0]
    assert missing == ["không đổi được bằng trọng số"] * table.get_column(
        "weight_change").null_count()
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Mức đổi trọng số"
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == "%"


def test_cutoff_margin_svg_names_units(margins: pl.DataFrame) -> None:
    texts = _svg_texts(charts.cutoff_margin_chart(margins))
    assert any(t.startswith("Đảng ủy Khối các cơ quan tỉnh · ") for t in texts)


# -- ballot distances ------------------------------------------------------------------------
def test_distance_chart_points(distances: pl.DataFrame) -> None:
    spec = charts.distance_chart(distances).to_dict()
    values = spec["data"]["values"]
    assert [v["distance"] for v in values] == distances.get_column("distance").to_list()
    assert [v["count"] for v in values] == distances.get_column("count").to_list()
    named = {v["ballot"]: v["name"] for v in values}
    assert named["3"] == "Ủy ban Kiểm tra Tỉnh ủy" and named["1"] == "Phiếu số 1"
    assert all(-0.8 <= v["jitter"] <= 0.8 for v in values)
    assert values == charts.distance_chart(distances).to_dict()["data"]["values"]  # no random
    dots = spec["layer"][0]
    assert dots["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert dots["encoding"]["size"]["field"] == "count"
    assert spec["title"] == "Khoảng cách của từng phiếu tới thứ tự chung"
    en = charts.distance_chart(distances, lang="en").to_dict()
    assert en["title"] == "Distance of each ballot from the consensus order"
    assert {v["name"] for v in en["data"]["values"]} >= {"Ballot no. 1"}


def test_distance_chart_svg_names_the_outlier_and_uses_the_decimal_comma() -> None:
    b = tr.Ballots.from_orders([[0, 1, 2, 3]] * 6 + [[3, 2, 1, 0]],
                               units=["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ", "Sở Công Thương"])
    table = voter_analysis(b, voters={"7": "Sở Tư pháp"})
    vi = _svg_texts(charts.distance_chart(table))
    en = _svg_texts(charts.distance_chart(table, lang="en"))
    assert "Sở Tư pháp" in vi
    assert "0,5" in vi and "0.5" not in vi
    assert "0.5" in en and "0,5" not in en


def test_unknown_language_is_refused(ballots: tr.Ballots) -> None:
    with pytest.raises(InputError, match="lang must be 'vi' or 'en'"):
        charts.pairwise_chart(ballots, lang="fr")  # type: ignore[arg-type]


# -- export ----------------------------------------------------------------------------------
def test_save_chart_png_svg_pdf(tmp_path: Path, ballots: tr.Ballots) -> None:
    chart = charts.pairwise_chart(ballots)
    png = charts.save_chart(chart, tmp_path / "cap.png").read_bytes()
    svg = charts.save_chart(chart, tmp_path / "cap.svg").read_text(encoding="utf-8")
    pdf = charts.save_chart(chart, tmp_path / "cap.pdf").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    assert svg.startswith("<svg") and "Ủy ban Kiểm tra Tỉnh ủy" in html.unescape(svg)
    assert pdf[:5] == b"%PDF-"
    with pytest.raises(InputError, match=r"\.png, \.svg or \.pdf"):
        charts.save_chart(chart, tmp_path / "cap.jpg")
