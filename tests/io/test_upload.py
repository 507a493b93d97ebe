"""Meeting workbooks received as bytes, and the voters named in ballots files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

import thidua_rank as tr
from thidua_rank.cli import main
from thidua_rank.io.upload import load_meeting_bytes, round_voters

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"
GIA_LAI = ROOT / "sample_data" / "gia-lai-so-nganh-tong-hop-2023"


def template_of(folder: Path, out: Path) -> Path:
    assert main(["template", str(out), "--meeting", str(folder)]) == 0
    return out


def rewrite(book: Path, out: Path, sheet: str, row: int, col: int, value: str) -> Path:
    """A copy of *book* (every cell as text) with one cell changed (0-based row and column)."""
    frames = pl.read_excel(book, sheet_id=0, has_header=False, infer_schema_length=0)
    copy = xlsxwriter.Workbook(str(out), {"strings_to_numbers": False,
                                          "strings_to_formulas": False})
    for name, frame in frames.items():
        ws = copy.add_worksheet(name)
        for r, cells in enumerate(frame.rows()):
            for c, cell in enumerate(cells):
                text = value if (name, r, c) == (sheet, row, col) else cell
                if text is not None:
                    ws.write_string(r, c, str(text))
    copy.close()
    return out


def test_an_uploaded_workbook_reads_like_its_folder(tmp_path, monkeypatch) -> None:
    book = template_of(SAMPLE, tmp_path / "hop.xlsx")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    uploaded = load_meeting_bytes(book.read_bytes(), "C:\\Users\\chuyen-vien\\hop.xlsx")
    assert uploaded.name == "hop.xlsx" and uploaded.meeting.path is None
    folder = tr.load_meeting(SAMPLE)
    assert tr.run_meeting(uploaded.meeting).to_dict() == tr.run_meeting(folder).to_dict()
    assert uploaded.voters == {}  # secret ballots
    assert list(scratch.iterdir()) == []  # the private copy is gone


def test_a_bad_workbook_names_sheet_row_and_column(tmp_path) -> None:
    book = template_of(SAMPLE, tmp_path / "hop.xlsx")
    header = pl.read_excel(book, sheet_name="Chấm điểm", has_header=False,
                           infer_schema_length=0).row(0)
    col = header.index("1.1")  # the first criterion
    bad = rewrite(book, tmp_path / "sai.xlsx", "Chấm điểm", 1, col, "hai chín")
    with pytest.raises(tr.InputError, match="không phải là số — not a number") as info:
        load_meeting_bytes(bad.read_bytes(), "sai.xlsx")
    err = info.value
    assert (err.file, err.sheet, err.row, err.column) == ("sai.xlsx", "Chấm điểm", 2,
                                                          header[col])


@pytest.mark.parametrize(("data", "name", "match"), [
    (b"phieu,a", "hop.csv", "only Excel workbooks"),
    (b"", "hop.xlsx", "the uploaded file is empty"),
    (b"not a zip file", "hop.xlsx", "cannot read the workbook"),
])
def test_refused_uploads(data: bytes, name: str, match: str) -> None:
    with pytest.raises(tr.InputError, match=match):
        load_meeting_bytes(data, name)


def test_voters_of_a_folder_and_of_its_workbook(tmp_path) -> None:
    meeting = tr.load_meeting(GIA_LAI)
    voters = round_voters(GIA_LAI, meeting)
    lines = (GIA_LAI / "ballots" / "truong-khoi.csv").read_text(encoding="utf-8").splitlines()
    expected = {line.split(",")[0]: line.split(",")[1] for line in lines[1:] if line.strip()}
    assert voters == {"truong-khoi": expected} and len(expected) == 11
    book = template_of(GIA_LAI, tmp_path / "gia-lai.xlsx")
    uploaded = load_meeting_bytes(book.read_bytes(), "gia-lai.xlsx")
    assert {r: sorted(v.values()) for r, v in uploaded.voters.items()} == \
        {"truong-khoi": sorted(expected.values())}
