"""Every problem of a meeting workbook at once, each with its sheet, row, column and value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from prepare_helpers import edit_workbook, good_workbook

import thidua_rank as tr
from thidua_rank.i18n import message
from thidua_rank.io.validate import MAX_PROBLEMS, validate_meeting

ROOT = Path(__file__).resolve().parents[2]

BROKEN = {
    "Đơn vị": {(3, "có mặt"): "có lẽ", (5, "tên đơn vị"): None},
    "Tiêu chí": {(3, "điểm tối đa"): "hai mươi", (4, "loại"): "phụ"},
    "Chấm điểm": {(4, "đơn vị"): "Sở Không Có", (5, "c1"): "31", (6, "nguồn"): "tự khai",
                  (7, "c2"): "9,5 điểm"},
}


@pytest.fixture
def good(tmp_path: Path) -> Path:
    return good_workbook(tmp_path)


def test_a_valid_workbook_has_no_problem_and_loads(good: Path) -> None:
    assert validate_meeting(good) == []
    assert len(tr.load_meeting(good, require_ballots=False).members) == 5


def test_every_problem_is_listed_with_sheet_row_column_and_value(good: Path,
                                                                  tmp_path: Path) -> None:
    bad = edit_workbook(good, tmp_path / "bad.xlsx", BROKEN)
    with pytest.raises(tr.ThiduaRankError, match="có mặt"):  # the reader stops at the first
        tr.load_meeting(bad, require_ballots=False)
    found = [(p.file, p.sheet, p.row, p.column, p.value) for p in validate_meeting(bad)]
    assert found == [
        ("bad.xlsx", "Đơn vị", 3, "có mặt", "có lẽ"),
        ("bad.xlsx", "Đơn vị", 5, "tên đơn vị", None),
        ("bad.xlsx", "Tiêu chí", 3, "điểm tối đa", "hai mươi"),
        ("bad.xlsx", "Tiêu chí", 4, "loại", "phụ"),
        ("bad.xlsx", "Chấm điểm", 4, "đơn vị", "Sở Không Có"),
        ("bad.xlsx", "Chấm điểm", 5, "c1", "31"),
        ("bad.xlsx", "Chấm điểm", 6, "nguồn", "tự khai"),
        ("bad.xlsx", "Chấm điểm", 7, "c2", "9,5 điểm"),
        # the unit whose name was erased (Đơn vị row 5) is now unknown where it is scored
        ("bad.xlsx", "Chấm điểm", 8, "đơn vị", "Sở Kế hoạch và Đầu tư"),
        ("bad.xlsx", "Chấm điểm", 9, "đơn vị", "Sở Kế hoạch và Đầu tư"),
    ]


def test_problems_read_in_vietnamese_and_in_english(good: Path, tmp_path: Path) -> None:
    bad = edit_workbook(good, tmp_path / "bad.xlsx", {"Chấm điểm": {(5, "c1"): "31"}})
    [problem] = validate_meeting(bad)
    assert message(problem, "vi") == ("bad.xlsx, trang tính 'Chấm điểm', dòng 5, cột 'c1': "
                                      "điểm phải từ 0 đến 30 (giá trị '31')")
    assert message(problem, "en").startswith(
        "bad.xlsx, sheet 'Chấm điểm', row 5, column 'c1': points must be between 0 and 30")


def test_a_problem_only_the_whole_meeting_shows_comes_from_the_reader(good: Path,
                                                                     tmp_path: Path) -> None:
    # every unit scored twice the same way: rows are fine one by one, the table is not
    bad = edit_workbook(good, tmp_path / "bad.xlsx", {"Chấm điểm": {(3, "nguồn"): "tự chấm"}})
    [problem] = validate_meeting(bad)
    assert (problem.sheet, problem.row) == ("Chấm điểm", 3)
    assert "lặp" in problem.vi and "duplicate" in problem.en


def test_bad_settings_and_unit_rows_are_both_reported(good: Path, tmp_path: Path) -> None:
    bad = edit_workbook(good, tmp_path / "bad.xlsx", {"Cấu hình": {(7, "meeting.toml"): "[[["},
                                                       "Đơn vị": {(2, "có mặt"): "?"}})
    found = [(p.sheet, p.row, p.column) for p in validate_meeting(bad)]
    assert found == [("Cấu hình", 7, "A"), ("Đơn vị", 2, "có mặt")]


def test_a_shifted_column_lists_at_most_max_problems(good: Path, tmp_path: Path) -> None:
    edits = {"Chấm điểm": {(r, c): "x" for r in range(2, 12) for c in ("c1", "c2", "c3")}}
    bad = edit_workbook(good, tmp_path / "bad.xlsx", edits)
    problems = validate_meeting(bad)
    assert len(problems) == 30 <= MAX_PROBLEMS
    assert {p.column for p in problems} == {"c1", "c2", "c3"}


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    [problem] = validate_meeting(tmp_path / "khong-co.xlsx")
    assert "không tìm thấy tệp" in problem.vi
    [problem] = validate_meeting(tmp_path)
    assert problem.en == "meeting.toml not found"


def test_a_meeting_folder_lists_every_problem_with_its_file_row_and_column(
        tmp_path: Path) -> None:
    folder = tmp_path / "m"
    shutil.copytree(ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022", folder)
    members = (folder / "members.csv").read_text(encoding="utf-8").splitlines()
    members[2] = members[2].replace(",1,", ",có lẽ,", 1)  # 'có mặt' is not yes/no
    (folder / "members.csv").write_text("\n".join(members) + "\n", encoding="utf-8")
    scores = (folder / "scores.csv").read_text(encoding="utf-8").splitlines()
    scores[1] = scores[1].replace(",29,", ",290,", 1)  # above the criterion's maximum
    (folder / "scores.csv").write_text("\n".join(scores) + "\n", encoding="utf-8")
    head = (folder / "ballots" / "truong-khoi.csv").read_text(encoding="utf-8").splitlines()
    head[0] = head[0].replace("Trường Chính trị", "Trường Chinh trị huyện")  # no such unit
    (folder / "ballots" / "truong-khoi.csv").write_text("\n".join(head) + "\n",
                                                        encoding="utf-8")
    problems = validate_meeting(folder)
    where = {(Path(str(p.file)).name, p.row, p.column) for p in problems}
    assert ("members.csv", 3, "có mặt") in where
    assert ("scores.csv", 2, "1.1") in where
    assert any(name == "truong-khoi.csv" for name, _, _ in where), problems
    assert len(problems) >= 3
    assert all(p.vi and p.en for p in problems)
