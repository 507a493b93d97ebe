"""Criteria scoring and the weighted_sum method."""

from fractions import Fraction

import pytest

import thidua_rank as tr
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet
from thidua_rank.errors import InputError
from thidua_rank.methods import weighted_sum

F = Fraction
CRIT = (Criterion("c1", "Công tác chuyên môn", 60, floor_pct=F(85, 100)),
        Criterion("c2", "Phong trào thi đua", 40, weight=1),
        Criterion("b1", "Điểm thưởng", 10, kind="bonus"),
        Criterion("d1", "Không ký giao ước", 8, kind="deduction"))


def entry(unit: str, crit: str, source: str, pts: float, scorer: str = "") -> ScoreEntry:
    return ScoreEntry(unit, crit, source, F(str(pts)), scorer)  # type: ignore[arg-type]


def test_verified_overrides_self_and_bonus_is_capped() -> None:
    sheet = ScoreSheet(units=("A",), criteria=CRIT, bonus_cap=F(5), entries=(
        entry("A", "c1", "self", 58), entry("A", "c1", "verified", 50),
        entry("A", "c2", "self", 40),
        entry("A", "b1", "self", 9), entry("A", "d1", "verified", 8)))
    s = sheet.resolve()["A"]
    assert (s.items, s.bonus, s.deductions, s.total) == (90, 5, 8, 87)
    assert s.sources["c1"] == "verified"
    assert s.floors_missed == ("c1",)  # 50 < 85% of 60 = 51


def test_totals_may_exceed_the_scale() -> None:
    sheet = ScoreSheet(units=("A",), criteria=CRIT, entries=(
        entry("A", "c1", "self", 60), entry("A", "c2", "self", 40), entry("A", "b1", "self", 7)))
    assert sheet.resolve()["A"].total == 107
    assert sheet.nominal_max == 100


def test_cross_trimmed_mean() -> None:
    entries = [entry("A", "c1", "cross", p, s) for p, s in [(60, "B"), (30, "C"), (50, "D"),
                                                             (52, "E")]]
    sheet = ScoreSheet(units=("A",), criteria=CRIT[:1], entries=tuple(entries),
                       rule="cross_trimmed_mean", trim=1)
    assert sheet.resolve()["A"].points["c1"] == 51
    mean = ScoreSheet(units=("A",), criteria=CRIT[:1], entries=tuple(entries), rule="cross_mean")
    assert mean.resolve()["A"].points["c1"] == F(192, 4)


def test_weighted_sum_ranks_and_explains() -> None:
    sheet = ScoreSheet(units=("A", "B", "C"), criteria=CRIT[:2], entries=(
        entry("A", "c1", "self", 55.5), entry("A", "c2", "self", 39.5),
        entry("B", "c1", "self", 56), entry("B", "c2", "self", 39),
        entry("C", "c1", "self", 50), entry("C", "c2", "self", 30)))
    result = tr.rank(sheet, method="weighted_sum")
    assert result.table.get_column("rank").to_list() == [1, 1, 3]
    assert "95" in result.explanations["A"]["vi"]
    reweighted = weighted_sum(sheet, weights={"c2": 2})
    assert reweighted.winners == ["A"]
    with pytest.raises(InputError, match="unknown criteria"):
        weighted_sum(sheet, weights={"zz": 1})


def test_check_rejects_points_out_of_range() -> None:
    bad = ScoreEntry("A", "c2", "self", F(45), row=3, file="scores.csv")
    sheet = ScoreSheet(units=("A",), criteria=CRIT, entries=(bad,))
    with pytest.raises(InputError,
                       match=r"scores.csv, dòng/row 3, cột/column 'c2'.*between 0 and 40"):
        sheet.check()
    with pytest.raises(InputError, match="no scores for units"):
        ScoreSheet(units=("A", "B"), criteria=CRIT, entries=(entry("A", "c1", "self", 1),)).check()
