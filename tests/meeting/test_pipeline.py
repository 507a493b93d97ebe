"""Whole meetings built by hand: the domain cases of the brief, end to end."""

from __future__ import annotations

import json

import pytest
from meeting_fixtures import HEAD, MEMBERS, RANKED, TIERS, UNITS

import thidua_rank as tr
from thidua_rank.cli import main


def _outcome(make_meeting, toml: str, ballots: dict, members=MEMBERS, scores=None):
    folder = make_meeting(toml, members=members, ballots=ballots, scores=scores)
    return tr.run_meeting(tr.load_meeting(folder)), folder


def test_joint_third_place_shares_the_certificate_tier(make_meeting) -> None:
    toml = HEAD + TIERS.format(bk_quota="20% remaining", cutoff="include")
    outcome, _ = _outcome(make_meeting, toml, {"xep-hang.csv": (UNITS, RANKED)})
    ranks = dict(outcome.ranking.table.select("unit", "rank").iter_rows())
    assert ranks["Đơn vị C"] == ranks["Đơn vị D"] == 3
    assert ranks["Đơn vị E"] == 5  # no fourth place
    bk = outcome.to_dict()["awards"][2]
    assert bk["quota"] == 1  # 20% of the 8 remaining units, floored
    assert bk["units"] == [{"unit": "Đơn vị C", "place": 3, "joint": True},
                           {"unit": "Đơn vị D", "place": 3, "joint": True}]
    assert [t["rule"] for t in outcome.to_dict()["tie_breaks"]] == ["head_to_head", "joint"]


def test_cutoff_tie_excluded_or_pending_runoff(make_meeting) -> None:
    excluded, _ = _outcome(make_meeting, HEAD + TIERS.format(bk_quota="1", cutoff="exclude"),
                           {"xep-hang.csv": (UNITS, RANKED)})
    assert excluded.awards[2].units == ()
    pending, _ = _outcome(make_meeting, HEAD + TIERS.format(bk_quota="1", cutoff="runoff"),
                          {"xep-hang.csv": (UNITS, RANKED)})
    assert pending.awards[2].pending == ("Đơn vị C", "Đơn vị D")
    assert any("bỏ phiếu lại" in vi for vi, _ in pending.pending)


def test_runoff_round_settles_the_cutoff_tie(make_meeting) -> None:
    toml = HEAD.replace('chain = ["head_to_head", "joint"]', 'chain = ["head_to_head", "runoff", '
                        '"joint"]') + TIERS.format(bk_quota="1", cutoff="runoff") + """
[[rounds]]
id = "bo-phieu-lai"
title = "Bỏ phiếu lại"
decides = "runoff"
kind = "ranked"
ballots = "runoff.csv"
"""
    runoff = [[2, 1]] * 6 + [[1, 2]] * 4
    outcome, _ = _outcome(make_meeting, toml, {"xep-hang.csv": (UNITS, RANKED),
                                               "runoff.csv": (["Đơn vị C", "Đơn vị D"], runoff)})
    bk = outcome.to_dict()["awards"][2]
    assert bk["units"] == [{"unit": "Đơn vị D", "place": 3, "joint": False}]
    assert outcome.ranking.rank_of("Đơn vị C") == 4
    assert outcome.awards[2].pending == ()


def test_eight_of_ten_approvals_pass_eighty_percent(make_meeting) -> None:
    toml = """
[meeting]
id = "approval"
bloc = "Khối thi đua"
year_reviewed = 2023
[ranking]
combine = "vote"
vote_round = "xep-hang"
[[tiers]]
id = "co-tinh"
label = "Cờ thi đua của UBND tỉnh"
approval = { round = "phieu-co", threshold = "80%", denominator = "members" }
[[rounds]]
id = "xep-hang"
title = "Xếp hạng"
ballots = "xep-hang.csv"
[[rounds]]
id = "phieu-co"
title = "Biểu quyết đề nghị tặng Cờ"
decides = "tier"
tier = "co-tinh"
kind = "approval"
ballots = "co.csv"
"""
    approvals = [[1, 1, 1 if i < 8 else 0, 1 if i < 7 else 0] + [0] * 6 for i in range(10)]
    outcome, _ = _outcome(make_meeting, toml, {"xep-hang.csv": (UNITS, RANKED),
                                               "co.csv": (UNITS, approvals)})
    flags = [u["unit"] for u in outcome.to_dict()["awards"][0]["units"]]
    assert flags == ["Đơn vị A", "Đơn vị B", "Đơn vị C"]  # C has 8/10; D has 7/10


def test_quota_of_half_the_remaining_units(make_meeting) -> None:
    members = [(f"u{i}", f"Sở số {i}", 1) for i in range(1, 17)]
    units = [m[1] for m in members]
    ballots = [[*range(1, 17)] for _ in range(16)]
    toml = HEAD.replace('chain = ["head_to_head", "joint"]', 'chain = ["joint"]') + """
[[tiers]]
id = "co-tinh"
label = "Cờ thi đua của UBND tỉnh"
quota = 2
[[tiers]]
id = "bang-khen"
label = "Bằng khen của UBND tỉnh"
quota = "50% remaining"
"""
    outcome, _ = _outcome(make_meeting, toml, {"xep-hang.csv": (units, ballots)},
                          members=members)
    awards = outcome.to_dict()["awards"]
    assert [len(a["units"]) for a in awards] == [2, 7]
    assert [u["place"] for u in awards[1]["units"]] == list(range(3, 10))


def test_invalid_ballot_is_counted_as_invalid(make_meeting) -> None:
    rows = [*RANKED[:8], [1, 2, 3, 4, 5, 6, 7, 8, 9, "x"]]
    folder = make_meeting(HEAD + TIERS.format(bk_quota="1", cutoff="include"), members=MEMBERS,
                          ballots={"xep-hang.csv": (UNITS, rows)})
    rnd = tr.run_meeting(tr.load_meeting(folder)).to_dict()["rounds"][0]
    assert (rnd["issued"], rnd["returned"], rnd["valid"], rnd["invalid"]) == (10, 9, 8, 1)
    assert "Đơn vị J" in rnd["invalid_reasons"][0]


def test_more_ballots_than_issued_is_an_error(make_meeting) -> None:
    folder = make_meeting(HEAD + TIERS.format(bk_quota="1", cutoff="include"),
                          members=[*MEMBERS[:9], ("J", "Đơn vị J", 0)],
                          ballots={"xep-hang.csv": (UNITS, RANKED)})
    with pytest.raises(tr.InputError, match="10 ballots returned but only 9 issued"):
        tr.load_meeting(folder)


def test_quorum_not_met_is_reported(make_meeting) -> None:
    members = [(c, n, 1 if i < 6 else 0) for i, (c, n, _) in enumerate(MEMBERS)]
    outcome, _ = _outcome(make_meeting, HEAD + TIERS.format(bk_quota="1", cutoff="include"),
                          {"xep-hang.csv": (UNITS, RANKED[:6])}, members=members)
    assert not outcome.quorum_met
    assert "không đủ số thành viên" in outcome.pending[0][0]


SCORES = (
    [("c1", "Nhiệm vụ chuyên môn", 60, "tiêu chí"), ("c2", "Phong trào", 40, "tiêu chí"),
     ("b1", "Điểm thưởng", 5, "điểm thưởng")],
    [(u, "tự chấm", "", 60 - i, 40 - i, 1) for i, u in enumerate(UNITS)],
)


@pytest.mark.parametrize("combine", ["score", "score_gate_vote", "weighted"])
def test_score_and_vote_combinations(make_meeting, combine: str) -> None:
    toml = HEAD.replace('combine = "vote"', f'combine = "{combine}"\ngate_min_score = 90') + \
        TIERS.format(bk_quota="2", cutoff="include")
    # the vote prefers B over A; the scores prefer A
    ballots = [[2, 1, *range(3, 11)]] * 10
    candidates = UNITS
    if combine == "score_gate_vote":  # the ballot lists exactly the units past the gate
        candidates, ballots = UNITS[:6], [row[:6] for row in ballots]
    outcome, _ = _outcome(make_meeting, toml, {"xep-hang.csv": (candidates, ballots)},
                          scores=SCORES)
    order = outcome.ranking.units
    expected_first = {"score": "Đơn vị A", "score_gate_vote": "Đơn vị B", "weighted": "Đơn vị B"}
    assert order[0] == expected_first[combine]
    if combine == "score_gate_vote":
        # only A..F score ≥ 90 (101 − 2i ≥ 90): the rest are ranked after them by score
        assert order[6:] == ["Đơn vị G", "Đơn vị H", "Đơn vị I", "Đơn vị J"]


def test_head_and_deputies(make_meeting) -> None:
    toml = HEAD + TIERS.format(bk_quota="1", cutoff="include") + """
[[rounds]]
id = "truong-khoi"
title = "Bầu Trưởng khối"
decides = "head"
kind = "choose"
max_choices = 1
ballots = "head.csv"
[[rounds]]
id = "pho-truong-khoi"
title = "Bầu Phó Trưởng khối"
decides = "deputies"
kind = "choose"
seats = 2
ballots = "deputies.csv"
"""
    head = [[1 if j == (2 if i < 7 else 3) else 0 for j in range(10)] for i in range(10)]
    deputies = [[1 if j in ((3, 4) if i < 6 else (4, 5)) else 0 for j in range(10)]
                for i in range(10)]
    outcome, _ = _outcome(make_meeting, toml, {"xep-hang.csv": (UNITS, RANKED),
                                               "head.csv": (UNITS, head),
                                               "deputies.csv": (UNITS, deputies)})
    lead = outcome.to_dict()["leadership"]
    assert lead["head"] == "Đơn vị C"
    assert lead["deputies"] == ["Đơn vị E", "Đơn vị D"]


def test_cli_meeting_json_and_errors(make_meeting, capsys) -> None:
    folder = make_meeting(HEAD + TIERS.format(bk_quota="1", cutoff="include"), members=MEMBERS,
                          ballots={"xep-hang.csv": (UNITS, RANKED)})
    assert main(["meeting", str(folder), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {"meeting", "ranking", "awards", "leadership", "rounds", "tie_breaks"} <= set(doc)
    assert main(["meeting", str(folder)]) == 0
    assert "Đồng hạng ba" in capsys.readouterr().out
    (folder / "meeting.toml").write_text(
        HEAD.replace('combine = "vote"', 'combine = "vote"\ncombine_extra = 1'), encoding="utf-8")
    assert main(["meeting", str(folder), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "unknown keys in [ranking]: ['combine_extra']" in captured.err


def test_cli_rank_and_methods(tmp_path, capsys) -> None:
    path = tmp_path / "b.csv"
    path.write_text("phiếu,Sở A,Sở B,Sở C\n1,1,2,3\n2,2,1,3\n3,1,3,2\n4,1,1,\n", encoding="utf-8")
    assert main(["rank", str(path), "--method", "borda", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ranking"][0] == {"unit": "Sở A", "score": 6.5, "rank": 1, "tied": False}
    assert doc["score_kind"] == "borda_points"
    assert main(["rank", str(path), "--method", "borda"]) == 0
    assert "Điểm Borda / Borda points" in capsys.readouterr().out
    assert main(["methods"]) == 0
    assert "borda" in capsys.readouterr().out
    assert main(["rank", str(tmp_path / "missing.csv")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_named_vote_sheet_voters_need_not_be_candidates(make_meeting) -> None:
    # a named sheet (voter column) where most voters are not on the ballot: they vote
    # normally; a candidate marking itself breaks the self-vote rule (voters given by id)
    toml = HEAD + TIERS.format(bk_quota="1", cutoff="include") + """
[[rounds]]
id = "truong-khoi"
title = "Biểu quyết Trưởng khối"
decides = "head"
kind = "choose"
max_choices = 1
self_vote = "forbid"
ballots = "head.csv"
"""
    sheet = [[c, 1 if c != "J" else None, 1 if c == "J" else None] for c in "ABCDEFGHIJ"]
    outcome, _ = _outcome(make_meeting, toml, {
        "xep-hang.csv": (UNITS, RANKED),
        "head.csv": (["đơn vị bầu", "Đơn vị A", "Đơn vị B"], sheet)})
    head = outcome.to_dict()["rounds"][1]
    assert (head["valid"], head["invalid"]) == (9, 1)
    assert "Đơn vị A" in head["invalid_reasons"][0]
    assert outcome.leadership.head == "Đơn vị A"


def test_named_vote_sheet_unknown_voter_is_an_error(make_meeting) -> None:
    toml = HEAD + """
[[rounds]]
id = "truong-khoi"
title = "Biểu quyết Trưởng khối"
decides = "head"
kind = "choose"
ballots = "head.csv"
"""
    folder = make_meeting(toml, members=MEMBERS, ballots={
        "xep-hang.csv": (UNITS, RANKED),
        "head.csv": (["đơn vị bầu", "Đơn vị A"], [["Sở Không Có", 1]])})
    with pytest.raises(tr.UnknownUnitError, match="no unit 'Sở Không Có'"):
        tr.load_meeting(folder)


@pytest.mark.parametrize(("candidates", "message"), [
    (UNITS[:5], r"Đơn vị F passes the score gate \(91 ≥ 90 points, ranking.gate_min_score\) "
                r"but is not a candidate on the ranking ballot of round 'xep-hang'"),
    (UNITS[:7], r"Đơn vị G is a candidate on the ranking ballot of round 'xep-hang' but does "
                r"not pass the score gate \(89 < 90 points, ranking.gate_min_score\)"),
])
def test_score_gate_and_ballot_must_agree(make_meeting, candidates, message) -> None:
    toml = HEAD.replace('combine = "vote"', 'combine = "score_gate_vote"\ngate_min_score = 90') \
        + TIERS.format(bk_quota="2", cutoff="include")
    ballots = [list(range(1, len(candidates) + 1))] * 10
    folder = make_meeting(toml, members=MEMBERS, scores=SCORES,
                          ballots={"xep-hang.csv": (candidates, ballots)})
    meeting = tr.load_meeting(folder)
    with pytest.raises(tr.InputError, match=message) as err:
        tr.run_meeting(meeting)
    assert "ranking.gate_min_score" in err.value.vi and "xep-hang.csv" in str(err.value)
