"""The meeting's charts for reports and the projector (``outcome_chart``, ``election_chart``,
``criteria_chart``, ``report_charts``): checked through ``to_dict()`` against the meeting's own
figures, and through the SVG that vl-convert renders (texts, sizes, the projector's box)."""

from __future__ import annotations

import html
import re
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import vl_convert as vlc
from chart_specs import font_sizes

import thidua_rank as tr
from thidua_rank.charts import criteria_chart, election_chart, outcome_chart, report_charts
from thidua_rank.charts.style import (
    NO_AWARD_COLOUR,
    POINTS_PER_CM,
    PROJECTOR_BOX,
    REPORT_WIDTH_CM,
    TIER_COLOURS,
)
from thidua_rank.errors import InputError
from thidua_rank.meeting.elections import elections

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p.name for p in (ROOT / "sample_data").iterdir() if p.is_dir())
NINH_BINH = "ninh-binh-co-quan-dang-2022"
PHU_THO = "phu-tho-van-hoa-xa-hoi-2020"
GIA_LAI = "gia-lai-so-nganh-tong-hop-2023"


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tr.MeetingOutcome]:
    return {name: tr.run_meeting(tr.load_meeting(ROOT / "sample_data" / name))
            for name in SAMPLES}


_SVG: dict[tuple[str, str, str, str], str] = {}


def _svg(outcomes: dict[str, tr.MeetingOutcome], sample: str, medium: str, stem: str,
         lang: str = "vi") -> str:
    """The rendered SVG of one of a sample's charts (rendered once per test session)."""
    key = (sample, medium, stem, lang)
    if key not in _SVG:
        chart = report_charts(outcomes[sample], medium=medium, lang=lang)[stem]  # type: ignore[arg-type]
        _SVG[key] = vlc.vegalite_to_svg(chart.to_dict())
    return _SVG[key]


def _texts(svg: str) -> list[str]:
    """Every text of an SVG: each line (``<tspan>``) on its own, and a text's lines joined."""
    out = []
    for inner in re.findall(r"<text[^>]*>(.*?)</text>", svg):
        lines = [html.unescape(x) for x in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", inner)]
        out += [*lines, " ".join(lines)] if lines else [html.unescape(inner)]
    return out


def _size(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    assert m is not None
    return float(m.group(1)), float(m.group(2))


def _panels(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec.get("vconcat") or spec.get("concat") or [spec]


def _bars(panel: dict[str, Any]) -> list[dict[str, Any]]:
    layer = panel["layer"][0]
    return (layer.get("data") or panel["data"])["values"]


# -- the ranking -----------------------------------------------------------------------------
def test_outcome_tiers_have_their_colours_and_a_legend(outcomes) -> None:
    outcome = outcomes[NINH_BINH]
    spec = outcome_chart(outcome).to_dict()
    awarded = {u.unit: a.tier.label for a in outcome.awards for u in a.units}
    groups = {v["label"].split(". ", 1)[1].split(" — ")[0]: v["group"] for v in _bars(spec)}
    assert groups == {u: awarded.get(u, "Không khen thưởng") for u in outcome.ranking.units}
    colour = spec["layer"][0]["encoding"]["color"]
    tiers = [t.label for t in outcome.meeting.config.tiers]
    assert colour["scale"]["domain"] == [*tiers, "Không khen thưởng"]
    assert colour["scale"]["range"] == [*TIER_COLOURS[:len(tiers)], NO_AWARD_COLOUR]
    assert len(set(colour["scale"]["range"])) == len(tiers) + 1
    assert colour["legend"]["title"] == "Danh hiệu đề nghị"
    texts = _texts(_svg(outcomes, NINH_BINH, "report", "ket-qua"))
    assert "Danh hiệu đề nghị" in texts
    assert all(label in texts for label in colour["scale"]["domain"])
    en = outcome_chart(outcome, lang="en").to_dict()["layer"][0]["encoding"]["color"]
    assert en["legend"]["title"] == "Proposed award" and en["scale"]["domain"][-1] == "No award"


def test_outcome_marks_joint_places(outcomes) -> None:
    outcome = outcomes[NINH_BINH]
    ranks = {r["unit"]: int(r["rank"]) for r in outcome.ranking.to_dicts()}
    joint = sorted(u for u, r in ranks.items() if Counter(ranks.values())[r] > 1)
    assert len(joint) == 2 and {ranks[u] for u in joint} == {3}  # the sample's two thirds
    spec = outcome_chart(outcome).to_dict()
    tied = sorted(v["label"] for v in _bars(spec) if v["tied"])
    assert tied == sorted(f"3. {u} — Đồng hạng ba" for u in joint)
    assert not any(v["label"].startswith("4.") for v in _bars(spec))  # 1, 2, 3, 3, 5
    texts = _texts(_svg(outcomes, NINH_BINH, "report", "ket-qua"))
    assert all(label in texts for label in tied)
    en = [v["label"] for v in _bars(outcome_chart(outcome, lang="en").to_dict()) if v["tied"]]
    assert all(label.startswith("3. ") and label.endswith(" — Joint 3rd") for label in en)


@pytest.mark.parametrize("sample", SAMPLES)
def test_outcome_values_use_the_decimal_comma(outcomes, sample: str) -> None:
    texts = _texts(_svg(outcomes, sample, "report", "ket-qua"))
    assert not [t for t in texts if re.search(r"\d\.\d(?!\d\d)", t)]  # "57.5", never; "1.000" ok
    if sample == NINH_BINH:
        assert "57,50" in texts  # Borda points of the two joint thirds
    if sample == PHU_THO:
        assert "107,50" in texts and "89,50" in texts
    en = _texts(_svg(outcomes, sample, "report", "ket-qua", lang="en"))
    assert not [t for t in en if re.search(r"\d,\d(?!\d\d)", t)]
    if sample == NINH_BINH:
        assert "57.50" in en


@pytest.mark.parametrize("sample", SAMPLES)
def test_outcome_caption_names_bloc_year_and_one_scale_per_panel(outcomes, sample: str) -> None:
    outcome = outcomes[sample]
    info = outcome.meeting.config.meeting
    spec = outcome_chart(outcome).to_dict()
    title = " ".join(spec["title"]["text"])
    assert info.bloc in title and str(info.year_reviewed) in title
    scales = {"weighted_sum": "Tổng điểm chấm", "borda": "Điểm Borda",
              "combined": "Điểm kết hợp (điểm chấm và phiếu bầu, thang 0–1)"}
    panels = _panels(spec)
    if outcome.ranking.method.startswith("score_gate_vote"):
        vote, score = outcome.vote_result, outcome.score_result
        assert [p["layer"][0]["encoding"]["x"]["title"] for p in panels] == [
            scales[vote.method], scales[score.method]]
        units = [[v["label"].split(". ", 1)[1] for v in _bars(p)] for p in panels]
        assert [v["value"] for v in _bars(panels[0])] == [float(vote.exact[u]) for u in units[0]]
        assert [v["value"] for v in _bars(panels[1])] == [float(score.exact[u])
                                                           for u in units[1]]
        assert set(units[0]).isdisjoint(units[1])
        assert len(units[0]) + len(units[1]) == len(outcome.ranking.units)
    else:
        assert len(panels) == 1
        scale = scales[outcome.ranking.method]
        assert panels[0]["layer"][0]["encoding"]["x"]["title"] == scale
        assert " ".join(spec["title"]["subtitle"]).startswith(scale)
        exact = outcome.ranking.exact
        assert [v["value"] for v in _bars(panels[0])] == [
            float(exact[v["label"].split(". ", 1)[1].split(" — ")[0]]) for v in _bars(panels[0])]
    texts = " ".join(_texts(_svg(outcomes, sample, "report", "ket-qua")))
    assert info.bloc in texts and all(u in texts for u in outcome.ranking.units)


# -- elections -------------------------------------------------------------------------------
def _denominator(outcome: tr.MeetingOutcome, round_id: str, name: str) -> int:
    """The named denominator counted from the meeting's own records."""
    if name == "present":
        return sum(1 for m in outcome.meeting.members if m.present)
    if name == "members":
        return len(outcome.meeting.members)
    count = next(r for r in outcome.rounds if r.id == round_id)
    return int(getattr(count, name))


@pytest.mark.parametrize("sample", SAMPLES)
def test_election_threshold_line_on_its_named_denominator(outcomes, sample: str) -> None:
    outcome = outcomes[sample]
    approval = [e for e in elections(outcome) if not e.is_instant_runoff]
    for election in approval:
        spec = election_chart(election).to_dict()
        th = election.threshold
        assert th is not None  # every sample's approval round has one
        den = _denominator(outcome, election.round_id, th.denominator)
        rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
        assert [r["data"]["values"] for r in rules] == [[{"value": float(th.share * den)}]]
        bars = spec["layer"][0]["data"]["values"]
        for c in election.candidates:
            bar = next(b for b in bars if b["label"] == c.unit)
            assert bar["value"] == c.votes and c.denominator == den
            assert bar["text"].startswith(f"{c.votes}/{den} (")
            assert bar["group"] == ("trúng cử" if c.elected else "không trúng cử")
            assert bar["text"].endswith(" — trúng cử") == c.elected
        assert {b["label"] for b in bars if b["group"] == "trúng cử"} == set(election.elected)
        what = {"valid": "phiếu hợp lệ", "present": "đơn vị có mặt"}[th.denominator]
        assert spec["layer"][0]["encoding"]["x"]["title"] == f"Số phiếu (trên {den} {what})"
        subtitle = " ".join(spec["title"]["subtitle"])
        assert f"của {den} {what}" in subtitle and f"Thang: số phiếu trên {den} {what}" in subtitle
        stem = {"head": "bau-truong-khoi", "deputies": "bau-pho-truong-khoi"}[election.decides]
        texts = _texts(_svg(outcomes, sample, "report", stem))
        info = outcome.meeting.config.meeting
        assert any(t.startswith(f"{info.bloc}, tổng kết năm {info.year_reviewed} — thang: số phiếu")
                   for t in texts)
        assert "trúng cử" in texts and all(c.unit in texts for c in election.candidates)
        if len(election.candidates) > len(election.elected):
            assert "không trúng cử" in texts


def _recount(ballots: tr.Ballots) -> list[dict[str, int]]:
    """Instant runoff counted here from the long ballots: each count, every ballot goes to its
    highest-ranked continuing unit; the fewest is eliminated until one has a majority."""
    rows = ballots.to_long().to_dicts()
    prefs: dict[str, list[tuple[int, str]]] = {}
    weight: dict[str, int] = {}
    for r in rows:
        prefs.setdefault(r["ballot"], []).append((r["rank"], r["unit"]))
        weight[r["ballot"]] = r["count"]
    live = set(ballots.units)
    counts = []
    while True:
        tally = dict.fromkeys(live, 0)
        for ballot, ranked in prefs.items():
            choices = sorted((rank, u) for rank, u in ranked if u in live and rank > 0)
            if choices:
                tally[choices[0][1]] += weight[ballot]
        counts.append(tally)
        if max(tally.values()) * 2 > sum(tally.values()) or len(live) <= 2:
            return counts
        live.remove(min(tally, key=lambda u: tally[u]))


def test_runoff_chart_has_one_panel_per_count(outcomes) -> None:
    outcome = outcomes[PHU_THO]
    head = next(e for e in elections(outcome) if e.decides == "head")
    assert head.is_instant_runoff
    counts = _recount(outcome.meeting.ballots[head.round_id])
    assert [sorted(c.values(), reverse=True) for c in counts] == [[7, 5, 3], [9, 6]]
    spec = election_chart(head).to_dict()
    panels = spec["vconcat"]
    assert [{v["label"]: v["value"] for v in _bars(p)} for p in panels] == counts
    live = sum(counts[0].values())
    for panel in panels:
        rule = panel["layer"][2]
        assert rule["mark"]["type"] == "rule" and rule["data"]["values"] == [
            {"value": live / 2}]
        assert panel["title"]["text"][0].startswith(f"Lần đếm {panels.index(panel) + 1}: "
                                                    f"{live} phiếu còn hiệu lực")
    first = {v["label"]: v for v in _bars(panels[0])}
    loser = min(counts[0], key=lambda u: counts[0][u])
    assert first[loser]["group"] == "bị loại ở lần đếm này"
    assert first[loser]["text"] == "3/15 (20,00%) — bị loại ở lần đếm này"
    winner = max(counts[-1], key=lambda u: counts[-1][u])
    last = {v["label"]: v for v in _bars(panels[-1])}
    assert head.elected == (winner,) and last[winner]["group"] == "trúng cử"
    assert last[winner]["text"] == "9/15 (60,00%) — trúng cử"
    assert {v["group"] for u, v in last.items() if u != winner} == {"không trúng cử"}
    texts = _texts(_svg(outcomes, PHU_THO, "report", "bau-truong-khoi"))
    assert "Lần đếm 1: 15 phiếu còn hiệu lực, quá bán là trên 7,50 phiếu" in texts
    assert "9/15 (60,00%) — trúng cử" in texts and "Trúng cử Trưởng khối: " + winner in texts
    # a single count (Ninh Bình: 6 of 8 at once) is a single panel
    nb = next(e for e in elections(outcomes[NINH_BINH]) if e.decides == "head")
    assert nb.is_instant_runoff and len(_panels(election_chart(nb).to_dict())) == 1


# -- criteria --------------------------------------------------------------------------------
@pytest.mark.parametrize("sample", SAMPLES)
def test_criteria_chart_one_cell_per_unit_and_criterion(outcomes, sample: str) -> None:
    outcome = outcomes[sample]
    sheet = outcome.meeting.scores
    assert sheet is not None
    spec = criteria_chart(outcome).to_dict()
    cells = spec["data"]["values"]
    units = list(outcome.ranking.units)
    heads = [f"{c.id}|(" for c in sheet.criteria] + ["Tổng|("]
    assert len(cells) == len(units) * len(heads)
    assert Counter((c["unit"], c["column"].split("(")[0] + "(") for c in cells) == Counter(
        (u, h) for u in units for h in heads)
    resolved = sheet.resolve()
    for c in cells:
        points = (resolved[c["unit"]].total if c["column"].startswith("Tổng|")
                  else resolved[c["unit"]].points[c["column"].split("|")[0]])
        shown = Fraction(c["text"].replace("−", "").replace(",", "."))
        assert shown == abs(Fraction(points)), c
        assert ("," in c["text"]) == (Fraction(points).denominator != 1), c  # "9,5", "10"
    if outcome.score_result is not None:  # the totals are the criteria points ranked on
        totals = {c["unit"]: c["text"] for c in cells if c["column"].startswith("Tổng|")}
        for unit, exact in outcome.score_result.exact.items():
            assert Fraction(totals[unit].replace(",", ".")) == Fraction(exact)
    title = " ".join(spec["title"]["text"])
    info = outcome.meeting.config.meeting
    assert info.bloc in title and str(info.year_reviewed) in title
    assert "tổng điểm chấm" in " ".join(spec["title"]["subtitle"])
    texts = _texts(_svg(outcomes, sample, "report", "tieu-chi"))
    assert all(u in texts for u in units)  # a two-line name is joined back
    assert all("." not in c["text"] and c["text"] in texts for c in cells)  # "9,5" (ids: "1.1")


def test_criteria_chart_needs_a_score_sheet(outcomes) -> None:
    outcome = outcomes[NINH_BINH]
    meeting = outcome.meeting
    import dataclasses

    bare = dataclasses.replace(outcome, meeting=dataclasses.replace(meeting, scores=None))
    with pytest.raises(InputError, match="no criteria score sheet"):
        criteria_chart(bare)
    assert "tieu-chi" not in report_charts(bare)


# -- sizes -----------------------------------------------------------------------------------
def _cases(outcomes: dict[str, tr.MeetingOutcome], medium: str):
    for sample in SAMPLES:
        for stem, chart in report_charts(outcomes[sample], medium=medium).items():  # type: ignore[arg-type]
            yield sample, stem, chart.to_dict(), _svg(outcomes, sample, medium, stem)


def test_report_text_is_at_least_8_pt_at_16_cm(outcomes) -> None:
    seen = 0
    for sample, stem, spec, svg in _cases(outcomes, "report"):
        width, _ = _size(svg)
        assert 660 <= width <= 680, (sample, stem, width)
        config = spec["config"]
        for where, key in [("axis", "labelFontSize"), ("axis", "titleFontSize"),
                           ("legend", "labelFontSize"), ("legend", "titleFontSize"),
                           ("title", "fontSize"), ("title", "subtitleFontSize"),
                           ("text", "fontSize")]:
            assert key in config[where], (sample, stem, where, key)  # nothing left to Vega
        sizes = list(font_sizes(spec))
        assert sizes and all(isinstance(s, int | float) for s in sizes)
        rendered = [float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert len(rendered) == svg.count("<text")
        scale = REPORT_WIDTH_CM * POINTS_PER_CM / width  # points per pixel at 16 cm
        smallest = min([*sizes, *rendered])
        assert smallest * scale >= 8, (sample, stem, smallest, width)
        seen += 1
    assert seen == 17  # 5 outcomes, 7 elections, 5 criteria charts


def test_projector_charts_fit_the_box_with_24_px_text(outcomes) -> None:
    box_w, box_h = PROJECTOR_BOX
    figures = {}
    for sample, stem, spec, svg in _cases(outcomes, "projector"):
        width, height = _size(svg)
        figures[(sample, stem)] = (width, height)
        assert width <= box_w and height <= box_h, (sample, stem, width, height)
        rendered = [float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)]
        assert min([*list(font_sizes(spec)), *rendered]) >= 24, (sample, stem)
    assert len(figures) == 17
    # Phú Thọ's two scales go side by side on a wall (one above the other: 1 112 px tall)
    spec = outcome_chart(tr.run_meeting(tr.load_meeting(ROOT / "sample_data" / PHU_THO)),
                         medium="projector").to_dict()
    assert len(spec["concat"]) == 2 and spec["columns"] == 2


def test_projector_png_at_scale_1_matches_the_svg_box(outcomes) -> None:
    import struct

    chart = outcome_chart(outcomes[PHU_THO], medium="projector")
    png = vlc.vegalite_to_png(chart.to_dict(), scale=1)
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == tuple(round(x) for x in _size(
        _svg(outcomes, PHU_THO, "projector", "ket-qua")))
    assert width <= PROJECTOR_BOX[0] and height <= PROJECTOR_BOX[1]


def test_report_charts_names_and_order(outcomes) -> None:
    assert {s: list(report_charts(outcomes[s])) for s in SAMPLES} == {
        "dien-bien-noi-chinh-2022": ["ket-qua", "bau-truong-khoi", "tieu-chi"],
        "gia-lai-so-nganh-tong-hop-2023": ["ket-qua", "bau-truong-khoi", "bau-pho-truong-khoi",
                                           "tieu-chi"],
        "nam-dinh-co-quan-dang-2021": ["ket-qua", "bau-truong-khoi", "tieu-chi"],
        "ninh-binh-co-quan-dang-2022": ["ket-qua", "bau-truong-khoi", "bau-pho-truong-khoi",
                                        "tieu-chi"],
        "phu-tho-van-hoa-xa-hoi-2020": ["ket-qua", "bau-truong-khoi", "tieu-chi"]}
    with pytest.raises(InputError, match="medium must be 'report'"):
        report_charts(outcomes[GIA_LAI], medium="poster")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="lang must be 'vi' or 'en'"):
        report_charts(outcomes[GIA_LAI], lang="fr")  # type: ignore[arg-type]


@pytest.mark.parametrize("units", [18, 20])
def test_projector_ranking_of_a_large_bloc_fits_with_24_px_text(tmp_path: Path,
                                                                units: int) -> None:
    """Blocs have up to 20 members: narrower bands (never thinner than a label line) keep the
    ranking inside the box without shrinking any text."""
    from thidua_rank.synth import synth_meeting

    meeting = synth_meeting(tmp_path / "m", units=units, seed=1)
    chart = outcome_chart(tr.run_meeting(tr.load_meeting(meeting.path)), medium="projector")
    spec = chart.to_dict()
    svg = vlc.vegalite_to_svg(spec)
    width, height = _size(svg)
    assert width <= PROJECTOR_BOX[0] and height <= PROJECTOR_BOX[1], (units, width, height)
    rendered = [float(x) for x in re.findall(r'font-size="([\d.]+)px"', svg)]
    assert min([*list(font_sizes(spec)), *rendered]) >= 24
    labels = _texts(svg)  # "12. Văn phòng UBND tỉnh": every unit in full, after its place
    assert all(any(t.endswith(f". {unit}") for t in labels) for unit in meeting.units)
