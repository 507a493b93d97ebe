"""Excel workbooks: the outcome of a meeting, and any tables of the analyst page.

Every cell that holds text is written as text. A unit, tier or column name that happens to start
with ``=`` (or ``+``, ``-``, ``@``) would otherwise be stored as a formula by xlsxwriter's
``write()``; ``=HYPERLINK(...)`` in a unit name must print as those characters, not as a link
that a click follows. Strings therefore go through ``write_string`` only, and the workbook is
opened with ``strings_to_formulas`` (and the URL and number guesses) switched off as a second
guard. Numbers, booleans and empty cells keep their types.

Each workbook is built in memory; the ``write_*`` functions hand the bytes to
:func:`thidua_rank.io.atomic.atomic_write`, so a failure never leaves a half-written file and the
file is created readable by its owner only (mode 0600).

>>> data = tables_xlsx([("Bảng", ["Đơn vị"], [['=HYPERLINK("http://x","y")']])])
>>> import polars as pl
>>> pl.read_excel(data, sheet_name="Bảng").item()
'=HYPERLINK("http://x","y")'
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.text import place_name

__all__ = ["outcome_xlsx", "tables_xlsx", "write_outcome_xlsx"]

# Second guard behind write_string: nothing written through write() is guessed into a formula,
# a hyperlink or a number.
_BOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                 "strings_to_numbers": False}
_HEADER = {"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True}


class _Sheet(NamedTuple):
    """One worksheet: its name (cut to Excel's 31 characters), header, rows and column widths
    (``None``: fitted to the longest cell, between 8 and 70)."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] | None = None


def _workbook(sheets: Sequence[_Sheet], *, number_format: str, autofilter: bool) -> bytes:
    """The workbook (bytes): header rows in bold and frozen, floats shown with
    *number_format*, every string written as text."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _BOOK_OPTIONS)
    bold = book.add_format(_HEADER)
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": number_format})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        for c, title in enumerate(sheet.header):
            ws.write_string(0, c, str(title), bold)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value, cell)
                else:  # numbers, booleans, dates, None: xlsxwriter keeps their type
                    ws.write(r, c, value, number if isinstance(value, float) else cell)
        widths = sheet.widths
        if widths is None:
            widths = [min(max(max([len(str(sheet.header[c]))]
                                  + [len(str(row[c])) for row in sheet.rows]) + 2, 8), 70)
                      for c in range(len(sheet.header))]
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
        if autofilter and sheet.rows:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.header) - 1)
    book.close()
    return buffer.getvalue()


def outcome_xlsx(outcome: MeetingOutcome) -> bytes:
    """The outcome of a meeting as an Excel workbook.

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.

    Returns
    -------
    bytes
        An .xlsx workbook with the sheets ``Xếp hạng`` (rank, unit, score, joint, explanation),
        ``Đề nghị khen thưởng`` (awards), ``Kiểm phiếu`` (ballots per round), one ``Vòng …``
        sheet per counted round and ``Trưởng khối`` (head and deputies). Names are text cells,
        never formulas.

    Examples
    --------
    >>> import polars as pl
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    >>> data = outcome_xlsx(tr.run_meeting(tr.load_meeting(folder)))
    >>> pl.read_excel(data, sheet_name="Trưởng khối").row(0)
    ('Trưởng khối', 'Trường Chính trị tỉnh')
    """
    sheets = [
        _Sheet("Xếp hạng", ["Hạng", "Đơn vị", "Điểm", "Đồng hạng", "Giải thích"],
               [[r["rank"], r["unit"], float(r["score"]), "có" if r["tied"] else "",
                 outcome.ranking.explanations.get(r["unit"], {}).get("vi", "")]
                for r in outcome.ranking.to_dicts()], [8, 48, 10, 10, 90]),
        _Sheet("Đề nghị khen thưởng", ["Hình thức", "Đơn vị", "Xếp hạng", "Hạn mức"],
               [[a.tier.label, u.unit, place_name(u.place, joint=u.joint),
                 "" if a.quota is None else a.quota] for a in outcome.awards for u in a.units],
               [36, 48, 16, 10]),
        _Sheet("Kiểm phiếu", ["Vòng", "Phát ra", "Thu về", "Hợp lệ", "Không hợp lệ", "Lý do"],
               [[r.title, r.issued, r.returned, r.valid, r.invalid,
                 "; ".join(vi for vi, _ in r.invalid_reasons)] for r in outcome.rounds],
               [40, 10, 10, 10, 14, 60]),
        *(_Sheet(f"Vòng {r.id}", ["Đơn vị", "Điểm / số phiếu", "Hạng"],
                 [[x["unit"], float(x["score"]), x["rank"]] for x in r.result.to_dicts()],
                 [48, 16, 8])
          for r in outcome.rounds if r.result is not None),
    ]
    lead = outcome.leadership
    sheets.append(_Sheet("Trưởng khối", ["Vai trò", "Đơn vị"],
                         [["Trưởng khối", lead.head or ""],
                          *[["Phó Trưởng khối", d] for d in lead.deputies]], [20, 48]))
    return _workbook(sheets, number_format="0.00", autofilter=True)


def write_outcome_xlsx(outcome: MeetingOutcome, path: str | Path) -> Path:
    """Write :func:`outcome_xlsx` to *path*, atomically (mode 0600).

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    path
        The .xlsx file; its folder is created when missing, an existing file is replaced.

    Returns
    -------
    Path
        *path*.

    Examples
    --------
    >>> import tempfile
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    >>> out = Path(tempfile.mkdtemp()) / "ket-qua.xlsx"
    >>> write_outcome_xlsx(tr.run_meeting(tr.load_meeting(folder)), out) == out
    True
    >>> oct(out.stat().st_mode & 0o777)
    '0o600'
    """
    return atomic_write(path, outcome_xlsx(outcome))


def tables_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]
                ) -> bytes:
    """An Excel workbook with one sheet per table.

    Parameters
    ----------
    sheets
        ``(name, header, rows)`` per sheet; names are cut to Excel's 31 characters. Strings are
        written as text, floats with three decimals, other values with their own type.

    Returns
    -------
    bytes
        The .xlsx workbook, header rows frozen and columns fitted to their contents.

    Examples
    --------
    >>> import polars as pl
    >>> data = tables_xlsx([("Bootstrap", ["Đơn vị", "Đứng đầu"], [["Sở Y tế", 0.25]])])
    >>> pl.read_excel(data, sheet_name="Bootstrap").rows()
    [('Sở Y tế', 0.25)]
    """
    return _workbook([_Sheet(name, header, rows) for name, header, rows in sheets],
                     number_format="0.000", autofilter=False)
