"""Writers for reports: the counting minutes as Word, the outcome as an Excel workbook.

Every writer builds the whole document in memory, writes it to a temporary file next to the
target and moves it into place, so a failure never leaves a half-written file.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.report.minutes import counting_minutes
from thidua_rank.text import place_name

__all__ = ["minutes_docx", "outcome_xlsx", "tables_xlsx", "write_minutes",
           "write_outcome_xlsx"]


def minutes_docx(outcome: MeetingOutcome) -> bytes:
    """The counting minutes as a .docx document (bytes)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    for block in counting_minutes(outcome):
        if block.kind in ("national", "title"):
            for line in block.text.split("\n"):
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run = p.add_run(line)
                run.bold = True
                if block.kind == "title":
                    run.font.size = Pt(15)
        elif block.kind == "heading":
            p = doc.add_paragraph()
            p.add_run(block.text).bold = True
        elif block.kind == "table":
            table = doc.add_table(rows=1, cols=len(block.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, block.header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
        elif block.kind == "signature":
            table = doc.add_table(rows=0, cols=2)
            for left, right in block.rows:
                cells = table.add_row().cells
                for cell, text in ((cells[0], left), (cells[1], right)):
                    cell.text = text
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        else:
            doc.add_paragraph(block.text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_minutes(outcome: MeetingOutcome, path: str | Path) -> Path:
    """Write the counting minutes to *path* (.docx)."""
    return atomic_write(path, minutes_docx(outcome))


def outcome_xlsx(outcome: MeetingOutcome) -> bytes:
    """The outcome as an Excel workbook: ranking, awards, rounds, votes per round (bytes)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "0.00"})

    def sheet(name: str, header: list[str], rows: list[list[object]], widths: list[int]) -> None:
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, header, bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                ws.write(r, c, value, number if isinstance(value, float) else cell)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        if rows:
            ws.autofilter(0, 0, len(rows), len(header) - 1)

    sheet("Xếp hạng", ["Hạng", "Đơn vị", "Điểm", "Đồng hạng", "Giải thích"],
          [[r["rank"], r["unit"], float(r["score"]), "có" if r["tied"] else "",
            outcome.ranking.explanations.get(r["unit"], {}).get("vi", "")]
           for r in outcome.ranking.to_dicts()], [8, 48, 10, 10, 90])
    sheet("Đề nghị khen thưởng", ["Hình thức", "Đơn vị", "Xếp hạng", "Hạn mức"],
          [[a.tier.label, u.unit, place_name(u.place, joint=u.joint),
            "" if a.quota is None else a.quota] for a in outcome.awards for u in a.units],
          [36, 48, 16, 10])
    sheet("Kiểm phiếu", ["Vòng", "Phát ra", "Thu về", "Hợp lệ", "Không hợp lệ", "Lý do"],
          [[r.title, r.issued, r.returned, r.valid, r.invalid,
            "; ".join(vi for vi, _ in r.invalid_reasons)] for r in outcome.rounds],
          [40, 10, 10, 10, 14, 60])
    for r in outcome.rounds:
        if r.result is None:
            continue
        name = f"Vòng {r.id}"[:31]
        sheet(name, ["Đơn vị", "Điểm / số phiếu", "Hạng"],
              [[x["unit"], float(x["score"]), x["rank"]] for x in r.result.to_dicts()],
              [48, 16, 8])
    lead = outcome.leadership
    sheet("Trưởng khối", ["Vai trò", "Đơn vị"],
          [["Trưởng khối", lead.head or ""], *[["Phó Trưởng khối", d] for d in lead.deputies]],
          [20, 48])
    book.close()
    return buffer.getvalue()


def write_outcome_xlsx(outcome: MeetingOutcome, path: str | Path) -> Path:
    """Write the outcome workbook to *path* (.xlsx)."""
    return atomic_write(path, outcome_xlsx(outcome))


def tables_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]
                  ) -> bytes:
    """An Excel workbook (bytes) with one sheet per ``(name, header, rows)``.

    >>> import polars as pl
    >>> data = tables_xlsx([("Bootstrap", ["Đơn vị", "Đứng đầu"], [["Sở Y tế", 0.25]])])
    >>> pl.read_excel(data, sheet_name="Bootstrap").rows()
    [('Sở Y tế', 0.25)]
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True})
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "0.000"})
    for name, header, rows in sheets:
        ws = book.add_worksheet(name[:31])
        ws.write_row(0, 0, list(header), bold)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                ws.write(r, c, value, number if isinstance(value, float) else cell)
        widths = [max([len(str(header[c]))] + [len(str(row[c])) for row in rows])
                  for c in range(len(header))]
        for c, width in enumerate(widths):
            ws.set_column(c, c, min(max(width + 2, 8), 70))
        ws.freeze_panes(1, 0)
    book.close()
    return buffer.getvalue()
