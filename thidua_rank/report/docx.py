"""The counting minutes as a Word document.

:func:`minutes_docx` renders the blocks of :func:`thidua_rank.report.minutes.counting_minutes`;
:func:`write_minutes` builds the whole document in memory and hands it to
:func:`thidua_rank.io.atomic.atomic_write`, so a failure never leaves a half-written file and the
file is created readable by its owner only (mode 0600). The Excel workbooks are in
:mod:`thidua_rank.report.xlsx`.
"""

from __future__ import annotations

import io
from pathlib import Path

from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.report.minutes import LiveRecord, counting_minutes

__all__ = ["minutes_docx", "write_minutes"]


def minutes_docx(outcome: MeetingOutcome, record: LiveRecord | None = None) -> bytes:
    """The counting minutes as a Word document.

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    record
        For a live meeting: the ballot box's chain head and round digests to print.

    Returns
    -------
    bytes
        A .docx document in Times New Roman 13 pt: the state heading and title centred in bold,
        headings in bold, tables with a grid, the signatures side by side.

    Examples
    --------
    >>> import io
    >>> from docx import Document
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    >>> doc = Document(io.BytesIO(minutes_docx(tr.run_meeting(tr.load_meeting(folder)))))
    >>> [p.text for p in doc.paragraphs if p.text.startswith("BIÊN BẢN")]
    ['BIÊN BẢN KIỂM PHIẾU']
    """
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    for block in counting_minutes(outcome, record):
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


def write_minutes(outcome: MeetingOutcome, path: str | Path,
                  record: LiveRecord | None = None) -> Path:
    """Write :func:`minutes_docx` to *path*, atomically (mode 0600).

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    record
        For a live meeting: the ballot box's chain head and round digests to print.
    path
        The .docx file; its folder is created when missing, an existing file is replaced.

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
    >>> out = Path(tempfile.mkdtemp()) / "bien-ban.docx"
    >>> write_minutes(tr.run_meeting(tr.load_meeting(folder)), out).read_bytes()[:2]
    b'PK'
    >>> oct(out.stat().st_mode & 0o777)
    '0o600'
    """
    return atomic_write(path, minutes_docx(outcome, record))

