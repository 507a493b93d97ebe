"""A meeting workbook written as a meeting folder: same meeting, plain files, whole or nothing."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from prepare_helpers import edit_workbook, good_workbook

import thidua_rank as tr
from thidua_rank.io.convert import workbook_folder_files, workbook_to_folder


def test_the_folder_reads_back_into_the_same_meeting(tmp_path: Path) -> None:
    book = good_workbook(tmp_path, ballots=True)
    folder = workbook_to_folder(book, tmp_path / "hop")
    assert sorted(p.name for p in folder.iterdir()) == [
        "ballots", "criteria.csv", "meeting.toml", "members.csv", "scores.csv"]
    assert (tr.run_meeting(tr.load_meeting(folder)).to_dict()
            == tr.run_meeting(tr.load_meeting(book)).to_dict())
    members = (folder / "members.csv").read_text(encoding="utf-8-sig").splitlines()
    assert members[0] == "mã,tên đơn vị,tên viết tắt,tên khác,có mặt,ghi chú"
    assert members[1] == "u01,Văn phòng UBND tỉnh,VP UBND tỉnh,,có,"


def test_empty_ballot_sheets_give_a_live_meeting_folder(tmp_path: Path) -> None:
    book = good_workbook(tmp_path)  # ranking by vote, no ballots yet
    out = workbook_folder_files(book)
    assert sorted(out.files) == ["criteria.csv", "meeting.toml", "members.csv", "scores.csv"]
    folder = workbook_to_folder(book, tmp_path / "hop")
    meeting = tr.load_meeting(folder, require_ballots=False)
    assert meeting.ballots == {} and len(meeting.present) == 5


def test_a_bad_workbook_writes_nothing(tmp_path: Path) -> None:
    bad = edit_workbook(good_workbook(tmp_path), tmp_path / "bad.xlsx",
                        {"Đơn vị": {(3, "có mặt"): "có lẽ"}})
    with pytest.raises(tr.ThiduaRankError, match="có/không") as info:
        workbook_to_folder(bad, tmp_path / "hop")
    assert (info.value.sheet, info.value.row, info.value.column) == ("Đơn vị", 3, "có mặt")
    assert not (tmp_path / "hop").exists()


def test_an_existing_folder_is_kept_unless_overwrite(tmp_path: Path) -> None:
    book = good_workbook(tmp_path)
    folder = workbook_to_folder(book, tmp_path / "hop")
    (folder / ".thidua").mkdir()
    with pytest.raises(tr.ThiduaRankError, match="đã có dữ liệu"):
        workbook_to_folder(book, folder)
    assert workbook_to_folder(book, folder, overwrite=True) == folder
    assert (folder / ".thidua").is_dir()


def test_a_settings_file_name_outside_the_folder_is_refused(tmp_path: Path) -> None:
    book = good_workbook(tmp_path)
    end = pl.read_excel(book, sheet_name="Cấu hình", engine="calamine").height + 2
    bad = edit_workbook(book, tmp_path / "bad.xlsx", {"Cấu hình": {
        (end, "meeting.toml"): "[files]", (end + 1, "meeting.toml"): 'members = "../x.csv"'}})
    with pytest.raises(tr.ThiduaRankError, match=r"phải là một tệp \.csv") as info:
        workbook_folder_files(bad)
    assert info.value.sheet == "Cấu hình" and info.value.value == "../x.csv"
