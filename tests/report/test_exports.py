"""Counting minutes (.docx) and the outcome workbook (.xlsx)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from docx import Document

import thidua_rank as tr
from thidua_rank.cli import main
from thidua_rank.io.atomic import atomic_write
from thidua_rank.report.minutes import counting_minutes

TOML = """
[meeting]
id = "export-test"
bloc = "Khối thi đua các cơ quan Đảng"
province = "Ninh Bình"
year_reviewed = 2022
meeting_date = 2022-12-09
venue = "Trường Chính trị tỉnh"
counting_committee = ["Nguyễn Văn An – Văn phòng (Trưởng ban)", "Trần Thị Bình – Sở Y tế"]
[ranking]
combine = "vote"
vote_round = "xep-hang"
[[tiers]]
id = "co-tinh"
label = "Cờ thi đua của UBND tỉnh"
wording = "đề nghị UBND tỉnh tặng cờ thi đua"
quota = 1
[[tiers]]
id = "bang-khen"
label = "Bằng khen của UBND tỉnh"
quota = 1
[[rounds]]
id = "xep-hang"
title = "Bỏ phiếu xếp hạng"
ballots = "xh.csv"
issued = 5
[tie_break]
chain = ["head_to_head", "joint"]
"""
UNITS = ["Ban Tổ chức Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Văn phòng Tỉnh ủy", "Báo Nam Định"]


@pytest.fixture
def folder(make_meeting) -> Path:
    rows = [[1, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4], [1, 2, 4, 3], ["x", 1, 2, 3]]
    return make_meeting(TOML, members=[(f"u{i}", u, 1) for i, u in enumerate(UNITS)],
                        ballots={"xh.csv": (UNITS, rows)})


def test_minutes_blocks_follow_the_counting_pattern(folder: Path) -> None:
    blocks = counting_minutes(tr.run_meeting(tr.load_meeting(folder)))
    text = "\n".join(b.text for b in blocks)
    assert blocks[0].rows[1] == ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                 "Độc lập - Tự do - Hạnh phúc")
    assert "Ninh Bình, ngày 09 tháng 12 năm 2022" in text
    assert "- Số phiếu phát ra: 5" in text
    assert "- Số phiếu không hợp lệ: 1 (ô 'Ban Tổ chức Tỉnh ủy' ghi 'x'" in text
    award_table = next(b for b in blocks if b.kind == "table" and "Xếp hạng" in b.header)
    assert award_table.rows[0][:3] == ("1", "Ban Tổ chức Tỉnh ủy", "Thứ nhất")
    assert "Nội dung như Hội nghị ghi: “đề nghị UBND tỉnh tặng cờ thi đua”." in text


def test_cli_writes_docx_and_xlsx(folder: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "bien-ban.docx"
    assert main(["minutes", str(folder), str(out)]) == 0
    doc = Document(str(out))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BIÊN BẢN KIỂM PHIẾU" in text
    assert "- Số phiếu không hợp lệ: 1" in text
    assert "Nguyễn Văn An" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    book = tmp_path / "ket-qua.xlsx"
    assert main(["export", str(folder), str(book)]) == 0
    # a title row and a line saying how the ranking was made, then the table
    ranking = pl.read_excel(book, sheet_name="Xếp hạng", read_options={"header_row": 3})
    assert ranking.get_column("Đơn vị").to_list()[0] == "Ban Tổ chức Tỉnh ủy"
    counts = pl.read_excel(book, sheet_name="Kiểm phiếu", read_options={"header_row": 2})
    assert counts.row(0) == ("Bỏ phiếu xếp hạng", "xếp hạng", 5, 5, 4, 1, counts.row(0)[6])
    assert "Đã ghi" in capsys.readouterr().out


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "a.docx"
    target.write_bytes(b"old")

    with pytest.raises(TypeError, match="bytes-like"):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.docx"]
