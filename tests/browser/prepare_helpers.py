"""Workbooks for the preparation page's tests: a valid meeting workbook written by the template,
and copies of it with cells changed as a clerk might have typed them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
import xlsxwriter

from thidua_rank.io.template import write_template
from thidua_rank.synth import synth_meeting

Edits = Mapping[str, Mapping[tuple[int, str], Any]]
"""Sheet → {(row as Excel numbers it, column header): new cell}."""


def good_workbook(folder: Path, *, units: int = 5, ballots: bool = False) -> Path:
    """A valid meeting workbook (a synthetic meeting of *units* units) in *folder*; its ballot
    sheets are emptied unless *ballots* (a live meeting's votes come from the ballot box)."""
    meeting = synth_meeting(folder / "synth", units=units, voters=units, seed=3).path
    book = write_template(meeting, folder / "synth-full.xlsx", overwrite=True)
    keep = None if ballots else {name: 1 for name in fastexcel.read_excel(str(book)).sheet_names
                                 if name.startswith("Phiếu – ")}
    return edit_workbook(book, folder / "hoi-nghi.xlsx", {}, keep_rows=keep)


def edit_workbook(src: Path, dst: Path, edits: Edits, *,
                  keep_rows: Mapping[str, int] | None = None) -> Path:
    """Copy the workbook *src* to *dst* with *edits* applied (cells as text), keeping only the
    first ``keep_rows[sheet]`` rows of the sheets named there."""
    names = fastexcel.read_excel(str(src)).sheet_names
    book = xlsxwriter.Workbook(str(dst), {"strings_to_numbers": False,
                                          "strings_to_formulas": False})
    for name in names:
        frame = pl.read_excel(src, sheet_name=name, engine="calamine", has_header=False,
                              infer_schema_length=0)
        rows = [list(r) for r in frame.iter_rows()]
        if keep_rows and name in keep_rows:
            rows = rows[:keep_rows[name]]
        header = rows[0] if rows else []
        for (number, column), value in (edits.get(name) or {}).items():
            col = header.index(column)
            while len(rows) < number:
                rows.append([None] * len(header))
            rows[number - 1][col] = value
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write_string(r, c, str(value))
    book.close()
    return dst
