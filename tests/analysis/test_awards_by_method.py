"""awards_by_method: the award rules re-run per ranking method."""

from typing import Any

import polars as pl
import pytest

import thidua_rank as tr
from thidua_rank.analysis.awards import awards_by_method

UNITS = ["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"]


def test_flag_moves_when_plurality_replaces_borda(vote_meeting: Any) -> None:
    # plurality: A 3 first places; Borda: A 6, B 9, C 6 points
    orders = [[0, 1, 2]] * 3 + [[1, 2, 0]] * 2 + [[2, 1, 0]] * 2
    meeting = vote_meeting(orders, UNITS, quotas=(1,))
    table = awards_by_method(meeting, ["borda", "plurality"])
    assert table.height == 6
    tiers = {(r["unit"], r["method"]): r["tier"] for r in table.to_dicts()}
    assert tiers[("Sở Tư pháp", "borda")] == "t1"
    assert tiers[("Sở Y tế", "plurality")] == "t1"
    changed = table.filter("changed").select("unit", "method").rows()
    assert sorted(changed) == [("Sở Tư pháp", "plurality"), ("Sở Y tế", "plurality")]
    assert table.filter(pl.col("method") == "borda").get_column("configured").all()
    places = dict(table.filter(pl.col("method") == "plurality").select("unit", "place").rows())
    assert places == {"Sở Y tế": 1, "Sở Tư pháp": 2, "Sở Nội vụ": 2}


@pytest.mark.parametrize("name", ["ninh-binh-co-quan-dang-2022", "nam-dinh-co-quan-dang-2021",
                                  "phu-tho-van-hoa-xa-hoi-2020"])
def test_each_method_row_is_that_methods_meeting(name: str) -> None:
    import dataclasses
    meeting = tr.load_meeting(f"sample_data/{name}")
    table = awards_by_method(meeting)
    for method in table.get_column("method").unique().to_list():
        cfg = meeting.config
        other = dataclasses.replace(meeting, config=dataclasses.replace(
            cfg, ranking=dataclasses.replace(cfg.ranking, method=method)))
        outcome = tr.run_meeting(other)
        rows = table.filter(pl.col("method") == method)
        assert dict(rows.select("unit", "tier").rows()) == {u: outcome.award_of(u)
                                                            for u in meeting.units}
    assert table.height == len(meeting.units) * table.get_column("method").n_unique()


def test_score_ranked_meeting_is_refused() -> None:
    meeting = tr.load_meeting("sample_data/gia-lai-so-nganh-tong-hop-2023")
    with pytest.raises(tr.InputError, match="ranked by the score alone"):
        awards_by_method(meeting)
