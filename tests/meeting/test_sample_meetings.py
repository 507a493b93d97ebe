"""The five sample meetings reproduce the outcomes reported in the news (reports 000–004).

The expectations below are written by hand from the domain brief (section 7 and the verbatim
names of 7.1), not read back from the sample data: the reported awards, next head and deputies
must *follow* from the scores, ballots and rules of each folder.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import thidua_rank as tr
from thidua_rank.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data"

GOV_FLAG = "Cờ thi đua của Chính phủ"
PROV_FLAG = "Cờ thi đua của UBND tỉnh"

NAM_DINH_MEMBERS = [  # report 002, in the printed order
    "Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Ban Nội chính Tỉnh ủy",
    "Ban Tuyên giáo Tỉnh ủy", "Ban Dân vận Tỉnh ủy", "Báo Nam Định", "Văn phòng Tỉnh ủy",
    "Trường Chính trị Trường Chinh", "Đảng ủy Khối các Cơ quan và Doanh nghiệp tỉnh",
    "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh",
]

# tier label → the units proposed (a set), or only their number where the report names none
EXPECTED: dict[str, dict[str, Any]] = {
    "ninh-binh-co-quan-dang-2022": {
        "years": (2022, 2023, dt.date(2022, 12, 9)),
        "outgoing_head": "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh",
        "awards": {
            GOV_FLAG: {"Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh"},
            PROV_FLAG: {"Ủy ban Kiểm tra Tỉnh ủy"},
            "Bằng khen của UBND tỉnh": {"Trường Chính trị tỉnh",
                                        "Đảng ủy Khối các cơ quan tỉnh"},
        },
        "head": "Trường Chính trị tỉnh",
        "deputies": {"Đảng ủy Khối các cơ quan tỉnh", "Đảng ủy Khối Doanh nghiệp tỉnh"},
    },
    "dien-bien-noi-chinh-2022": {
        "years": (2022, 2023, dt.date(2023, 1, 9)),
        "outgoing_head": "Cục Thi hành án dân sự tỉnh",
        "awards": {
            PROV_FLAG: {"Cục Thi hành án dân sự tỉnh"},
            "Bằng khen của Chủ tịch UBND tỉnh": 5,
        },
        "head": "Bộ Chỉ huy quân sự tỉnh",
        "deputies": set(),
    },
    "nam-dinh-co-quan-dang-2021": {
        "years": (2021, 2022, dt.date(2021, 12, 28)),
        "outgoing_head": "Ban Tuyên giáo Tỉnh ủy",
        "awards": {
            GOV_FLAG: {"Ban Tuyên giáo Tỉnh ủy"},
            "Cờ thi đua xuất sắc của UBND tỉnh": {"Ban Dân vận Tỉnh ủy", "Văn phòng Tỉnh ủy",
                                                  "Báo Nam Định"},
            "Bằng khen của UBND tỉnh": {"Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy",
                                        "Ban Nội chính Tỉnh ủy", "Trường Chính trị Trường Chinh",
                                        "Đảng ủy Khối các Cơ quan và Doanh nghiệp tỉnh",
                                        "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh"},
        },
        "head": "Ban Dân vận Tỉnh ủy",
        "deputies": set(),
    },
    "gia-lai-so-nganh-tong-hop-2023": {
        "years": (2023, 2024, None),
        "outgoing_head": None,
        "awards": {
            PROV_FLAG: {"Cục Thuế tỉnh", "Kho bạc Nhà nước tỉnh",
                        "Văn phòng Đoàn Đại biểu Quốc hội và HĐND tỉnh", "Văn phòng UBND tỉnh"},
            "Bằng khen của Chủ tịch UBND tỉnh": {"Cục Hải quan Gia Lai-Kon Tum"},
        },
        "head": "Ngân hàng Nhà nước chi nhánh tỉnh Gia Lai",
        "deputies": {"Văn phòng UBND tỉnh"},
    },
    "phu-tho-van-hoa-xa-hoi-2020": {
        "years": (2020, 2021, dt.date(2021, 1, 12)),
        "outgoing_head": "Sở Y tế",
        "awards": {
            PROV_FLAG: {"Sở Y tế", "Sở Giáo dục và Đào tạo"},
            "Bằng khen của UBND tỉnh": {
                "Sở Thông tin và Truyền thông", "Bảo hiểm Xã hội tỉnh",
                "Sở Văn hóa - Thể thao và Du lịch", "Sở Lao động - Thương binh và Xã hội",
                "Sở Khoa học và Công nghệ", "Văn phòng HĐND tỉnh", "Văn phòng Đoàn ĐBQH tỉnh",
                "Khu Di tích lịch sử Đền Hùng", "Liên hiệp các Hội Khoa học kỹ thuật tỉnh"},
        },
        "head": "Bảo hiểm Xã hội tỉnh",
        "deputies": set(),
    },
}

# Members and ballot counts of the illustrative data: (members, present) and, per round,
# (issued, returned, valid, invalid). Every meeting has exactly one invalid ballot.
COUNTS: dict[str, tuple[tuple[int, int], dict[str, tuple[int, int, int, int]]]] = {
    "ninh-binh-co-quan-dang-2022": ((10, 9), {"xep-hang": (9, 9, 9, 0),
                                              "truong-khoi": (9, 9, 8, 1),
                                              "pho-truong-khoi": (9, 9, 9, 0)}),
    "dien-bien-noi-chinh-2022": ((11, 10), {"suy-ton-co": (10, 10, 10, 0),
                                            "bang-khen": (10, 10, 9, 1),
                                            "truong-khoi": (10, 10, 10, 0)}),
    "nam-dinh-co-quan-dang-2021": ((10, 9), {"xep-hang": (9, 9, 9, 0),
                                             "truong-khoi": (9, 9, 8, 1)}),
    "gia-lai-so-nganh-tong-hop-2023": ((12, 11), {"co-thi-dua": (11, 11, 11, 0),
                                                  "truong-khoi": (11, 11, 10, 1),
                                                  "pho-truong-khoi": (11, 11, 11, 0)}),
    "phu-tho-van-hoa-xa-hoi-2020": ((16, 15), {"xep-hang": (15, 15, 14, 1),
                                               "truong-khoi": (15, 15, 15, 0)}),
}
INVALID_REASON = {  # a word of the one invalid ballot's reason
    "ninh-binh-co-quan-dang-2022": "'x'",
    "dien-bien-noi-chinh-2022": "quá số được chọn (5)",
    "nam-dinh-co-quan-dang-2021": "quá số được chọn (1)",
    "gia-lai-so-nganh-tong-hop-2023": "tự bầu",
    "phu-tho-van-hoa-xa-hoi-2020": "không có dấu",
}

FOLDERS = sorted(EXPECTED)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tr.MeetingOutcome]:
    return {name: tr.run_meeting(tr.load_meeting(SAMPLES / name)) for name in FOLDERS}


def test_the_five_folders_exist() -> None:
    assert set(FOLDERS) <= {p.name for p in SAMPLES.iterdir() if p.is_dir()}
    for name in FOLDERS:
        assert (SAMPLES / name / "README.md").is_file()


@pytest.mark.parametrize("name", FOLDERS)
def test_reported_awards_follow_from_the_data(outcomes, name: str) -> None:
    outcome = outcomes[name]
    expected = EXPECTED[name]["awards"]
    got = {a.tier.label: {u.unit for u in a.units} for a in outcome.awards if a.units}
    assert set(got) == set(expected)
    for label, units in expected.items():
        if isinstance(units, int):
            assert len(got[label]) == units
        else:
            assert got[label] == units
    assert outcome.pending == ()
    assert outcome.quorum_met


@pytest.mark.parametrize("name", FOLDERS)
def test_reported_head_and_deputies(outcomes, name: str) -> None:
    lead = outcomes[name].leadership
    assert lead.head == EXPECTED[name]["head"]
    assert set(lead.deputies) == EXPECTED[name]["deputies"]
    assert lead.notes == ()


@pytest.mark.parametrize("name", FOLDERS)
def test_meeting_facts(outcomes, name: str) -> None:
    info = outcomes[name].meeting.config.meeting
    assert (info.year_reviewed, info.term_year, info.meeting_date) == EXPECTED[name]["years"]
    assert info.outgoing_head == EXPECTED[name]["outgoing_head"]
    assert info.id == name


@pytest.mark.parametrize("name", FOLDERS)
def test_ballot_counts_and_the_one_invalid_ballot(outcomes, name: str) -> None:
    outcome = outcomes[name]
    (members, present), rounds = COUNTS[name]
    assert (len(outcome.meeting.members), len(outcome.meeting.present)) == (members, present)
    got = {r.id: (r.issued, r.returned, r.valid, r.invalid) for r in outcome.rounds}
    assert got == rounds
    reasons = [vi for r in outcome.rounds for vi, _ in r.invalid_reasons]
    assert len(reasons) == 1
    assert INVALID_REASON[name] in reasons[0]


def test_ninh_binh_joint_third_place(outcomes) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    ranks = dict(outcome.ranking.table.select("unit", "rank").iter_rows())
    assert ranks["Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh"] == 1
    assert ranks["Ủy ban Kiểm tra Tỉnh ủy"] == 2
    assert ranks["Trường Chính trị tỉnh"] == ranks["Đảng ủy Khối các cơ quan tỉnh"] == 3
    assert 4 not in ranks.values()  # two joint thirds and no fourth place
    assert sorted(ranks.values())[4] == 5
    certificate = outcome.awards[2]
    assert [(u.place, u.joint) for u in certificate.units] == [(3, True), (3, True)]
    # the cut-off (20% of 8 remaining = 1) falls inside the tie: score and head-to-head are
    # equal, so the joint place is kept and proposed in full
    assert certificate.quota == 1
    assert [(t.rule, t.outcome) for t in outcome.tie_breaks] == [
        ("score", "unchanged"), ("head_to_head", "unchanged"), ("joint", "joint")]
    score = outcome.score_result.exact
    assert score["Trường Chính trị tỉnh"] == score["Đảng ủy Khối các cơ quan tỉnh"]
    ballots = outcome.meeting.ballots["xep-hang"]
    units = list(ballots.units)
    a, b = units.index("Trường Chính trị tỉnh"), units.index("Đảng ủy Khối các cơ quan tỉnh")
    assert ballots.pairwise()[a, b] == ballots.pairwise()[b, a] == 4


def test_ninh_binh_cli_json(capsys) -> None:
    assert main(["meeting", str(SAMPLES / "ninh-binh-co-quan-dang-2022"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["meeting"] == "ninh-binh-co-quan-dang-2022"
    assert doc["bloc"] == "Khối thi đua các cơ quan Đảng"
    awards = {a["label"]: a["units"] for a in doc["awards"]}
    assert awards[GOV_FLAG] == [{"unit": "Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh",
                                 "place": 1, "joint": False}]
    assert awards[PROV_FLAG] == [{"unit": "Ủy ban Kiểm tra Tỉnh ủy", "place": 2, "joint": False}]
    assert awards["Bằng khen của UBND tỉnh"] == [
        {"unit": "Trường Chính trị tỉnh", "place": 3, "joint": True},
        {"unit": "Đảng ủy Khối các cơ quan tỉnh", "place": 3, "joint": True}]
    assert [r["rank"] for r in doc["ranking"]][:5] == [1, 2, 3, 3, 5]
    assert doc["leadership"]["head"] == "Trường Chính trị tỉnh"
    assert set(doc["leadership"]["deputies"]) == EXPECTED[
        "ninh-binh-co-quan-dang-2022"]["deputies"]
    assert doc["pending"] == []


@pytest.mark.parametrize("name", FOLDERS)
def test_cli_table_is_readable_vietnamese(capsys, name: str) -> None:
    assert main(["meeting", str(SAMPLES / name)]) == 0
    out = capsys.readouterr().out
    assert EXPECTED[name]["head"] in out
    for label in EXPECTED[name]["awards"]:
        assert label in out
    if name == "ninh-binh-co-quan-dang-2022":
        assert "Đồng hạng ba" in out


def test_nam_dinh_members_in_the_printed_order(outcomes) -> None:
    assert list(outcomes["nam-dinh-co-quan-dang-2021"].meeting.units) == NAM_DINH_MEMBERS


def test_nam_dinh_uses_trimmed_cross_scores(outcomes) -> None:
    sheet = outcomes["nam-dinh-co-quan-dang-2021"].meeting.scores
    assert sheet is not None and sheet.rule == "cross_trimmed_mean"
    resolved = sheet.resolve()
    assert all(set(s.sources.values()) == {"cross"} for s in resolved.values())


@pytest.mark.parametrize("name", FOLDERS)
def test_text_files_are_nfc(name: str) -> None:
    for path in (SAMPLES / name).rglob("*"):
        if path.suffix in {".csv", ".toml", ".md"}:
            text = path.read_text(encoding="utf-8")
            assert unicodedata.normalize("NFC", text) == text, path


def test_json_never_mixes_scales_in_a_score_gate_meeting(outcomes) -> None:
    # Phú Thọ: Borda points for the 11 units past the 90-point gate, criteria points for all
    outcome = outcomes["phu-tho-van-hoa-xa-hoi-2020"]
    doc = json.loads(json.dumps(outcome.to_dict()))
    assert doc["ranking_score_kind"] is None
    assert all("score" not in row for row in doc["ranking"])
    assert outcome.score_result is not None and outcome.vote_result is not None
    criteria = {c["id"] for c in doc["criteria"]}
    for row in doc["ranking"]:
        unit = row["unit"]
        assert row["criteria_points"] == float(outcome.score_result.exact[unit])
        assert set(row["points"]) == criteria
        resolved = outcome.score_result.details["resolved"][unit]
        assert row["points"] == {k: float(v) for k, v in resolved.points.items()}
        expected = outcome.vote_result.exact.get(unit)
        assert row["vote_points"] == (None if expected is None else float(expected))
    assert [r["vote_points"] is None for r in doc["ranking"]] == [False] * 11 + [True] * 5
    assert doc["ranking"][0] == {**doc["ranking"][0], "unit": "Sở Y tế",
                                 "criteria_points": 101.5, "vote_points": 137.0}
    ranking_round = doc["rounds"][0]
    assert ranking_round["score_kind"] == "borda_points"
    assert len(ranking_round["votes"]) == 11


@pytest.mark.parametrize(("name", "kind"), [
    ("ninh-binh-co-quan-dang-2022", "borda_points"), ("dien-bien-noi-chinh-2022",
                                                      "criteria_points"),
    ("nam-dinh-co-quan-dang-2021", "combined_index")])
def test_json_names_the_scale_of_every_score(outcomes, name: str, kind: str) -> None:
    doc = outcomes[name].to_dict()
    assert doc["ranking_score_kind"] == kind
    assert [r["score"] for r in doc["ranking"]] == [
        r["score"] for r in outcomes[name].ranking.to_dicts()]
    assert all(r.get("score_kind") for r in doc["rounds"])


def test_json_elections_hold_votes_not_method_scores(outcomes) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    doc = outcome.to_dict()
    head = next(r for r in doc["rounds"] if r["decides"] == "head")
    # instant runoff: first preferences (8 ballots: 6 / 1 / 1), never a score like 1.666667
    assert head["score_kind"] == "first_preferences"
    assert {v["unit"]: v["votes"] for v in head["votes"]} == {
        "Ủy ban Kiểm tra Tỉnh ủy": 1, "Trường Chính trị tỉnh": 6,
        "Đảng ủy Khối các cơ quan tỉnh": 1}
    assert all(isinstance(v["votes"], int) for r in doc["rounds"]
               if r["decides"] in ("head", "deputies") for v in r["votes"])
    assert [e["round"] for e in doc["elections"]] == ["truong-khoi", "pho-truong-khoi"]
    deputies = doc["elections"][1]
    assert deputies["elected"] == list(outcome.leadership.deputies)
    assert {c["unit"]: (c["votes"], c["denominator"], c["of"]) for c in deputies["candidates"]
            }["Đảng ủy Khối các cơ quan tỉnh"] == (8, 9, "valid")


def test_cli_table_heads_each_scale(capsys) -> None:
    assert main(["meeting", str(SAMPLES / "phu-tho-van-hoa-xa-hoi-2020")]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("Hạng"))
    assert header.split()[-5:] == ["Tổng", "điểm", "chấm", "Điểm", "Borda"]
    last = next(line for line in lines if "Hội Liên hiệp Văn học Nghệ thuật tỉnh" in line)
    assert last.split()[-2:] == ["86,00", "—"]       # below the gate: no Borda points
    first = next(line for line in lines if "Sở Y tế" in line)
    assert first.split()[-2:] == ["101,50", "137,00"]  # Borda halves: 2 decimals
    assert main(["--lang", "en", "meeting", str(SAMPLES / "nam-dinh-co-quan-dang-2021")]) == 0
    header = next(line for line in capsys.readouterr().out.splitlines()
                  if line.startswith("Rank"))
    assert header.split()[-6:] == ["Combined", "index", "Criteria", "points", "Borda", "points"]
