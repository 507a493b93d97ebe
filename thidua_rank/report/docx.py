"""Documents as Word files, in the layout of Decree 30/2020/NĐ-CP.

:func:`blocks_docx` renders any list of :class:`~thidua_rank.report.layout.Block` on the page of
:data:`~thidua_rank.report.layout.PAGE`: A4, margins 20/20/30/15 mm, Times New Roman 13 pt, the
two-column masthead (issuing body left, national title right with its rule), the place-and-date
line in italics on the right, page numbers at the top centre from page 2.
:func:`minutes_docx` and :func:`write_minutes` do this for the counting minutes;
:func:`write_minutes` hands the bytes to :func:`thidua_rank.io.atomic.atomic_write`, so a failure
never leaves a half-written file and the file is readable by its owner only (mode 0600).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.report.layout import PAGE, Block
from thidua_rank.report.minutes import LiveRecord, counting_minutes

__all__ = ["blocks_docx", "minutes_docx", "write_minutes"]


def _field(run: Any, instruction: str) -> None:
    """Append a Word field (e.g. ``PAGE``) to *run*."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    begin, text, end = (OxmlElement("w:fldChar"), OxmlElement("w:instrText"),
                        OxmlElement("w:fldChar"))
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, end):
        run._r.append(element)


def _bottom_rule(paragraph: Any, *, width_eighths: int = 6) -> None:
    """A short rule under a centred line (the line under the motto and the issuing body)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", str(width_eighths)), ("space", "1"),
                       ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    ppr.append(border)


def _no_borders(table: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _line(cell_or_doc: Any, text: str, *, bold: bool = False, italic: bool = False,
          align: str = "center", size: float | None = None, first: bool = False) -> Any:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = cell_or_doc.paragraphs[0] if first else cell_or_doc.add_paragraph()
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT,
                   "left": WD_ALIGN_PARAGRAPH.LEFT,
                   "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}[align]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    if size is not None:
        run.font.size = Pt(size)
    return p


def _masthead(doc: Any, block: Block) -> None:
    from docx.shared import Mm

    left, right = block.rows
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.autofit = False
    widths = (Mm(62), Mm(103))  # the national title fits on one line at 12 pt
    for cell, width in zip(table.rows[0].cells, widths, strict=True):
        cell.width = width
    lcell, rcell = table.rows[0].cells
    _line(lcell, left[0], size=PAGE.size_pt - 1, first=True)
    issuer = _line(lcell, left[1], bold=True, size=PAGE.size_pt - 1)
    _bottom_rule(issuer)
    _line(lcell, left[2], size=PAGE.size_pt)
    _line(rcell, right[0], bold=True, size=PAGE.size_pt - 1, first=True)
    motto = _line(rcell, right[1], bold=True, size=PAGE.size_pt)
    _bottom_rule(motto)


def _widths(columns: int) -> list[float]:
    """Column widths in mm over the text width: a narrow STT, the unit's name widest.

    >>> [round(w) for w in _widths(4)]
    [12, 87, 33, 33]
    """
    text = PAGE.width_mm - PAGE.left_mm - PAGE.right_mm
    other = min(33.0, (text - 12 - 60) / max(columns - 2, 1))
    return [12.0, text - 12 - other * (columns - 2), *([other] * (columns - 2))]


def _table(doc: Any, block: Block) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = "Table Grid"
    table.autofit = False
    header_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
    repeat.set(qn("w:val"), "true")
    header_pr.append(repeat)
    widths = [Mm(w) for w in _widths(len(block.header))]
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        cell.text = text
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].runs[0].bold = True
        cell.paragraphs[0].runs[0].font.size = Pt(PAGE.size_pt - 1)
    for _ in block.rows:
        table.add_row()
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    for r, row in enumerate(block.rows, start=1):
        cells = table.rows[r].cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            cell.paragraphs[0].runs[0].font.size = Pt(PAGE.size_pt - 1)
            if i != 1:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph()


def _signature(doc: Any, block: Block) -> None:
    table = doc.add_table(rows=1, cols=len(block.rows))
    _no_borders(table)
    for cell, (role, note, names) in zip(table.rows[0].cells, block.rows, strict=True):
        for i, line in enumerate(role.split("\n")):
            _line(cell, line, bold=True, first=i == 0)
        _line(cell, note, italic=True)
        for _ in range(4):
            _line(cell, "")
        for name in names.split("\n"):
            _line(cell, name, bold=True)


def _ballot(doc: Any, block: Block) -> None:
    """One paper ballot: the lines of *block.text* beside a stamp box, the table to mark, and a
    dashed cut line."""
    from docx.shared import Mm, Pt

    lines = block.text.split("\n")
    top = doc.add_table(rows=1, cols=2)
    _no_borders(top)
    left, stamp = top.rows[0].cells
    left.width, stamp.width = Mm(125), Mm(38)
    _line(left, lines[0], align="left", size=PAGE.size_pt - 1, first=True)
    _line(left, lines[1], bold=True, align="left", size=PAGE.title_pt)
    for line in lines[2:]:
        _line(left, line, italic=True, align="left", size=PAGE.size_pt - 1)
    box = stamp.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.rows[0].height = Mm(22)
    _line(box.rows[0].cells[0], "Dấu của Ban kiểm phiếu", size=PAGE.size_pt - 3, first=True)
    _table(doc, Block("table", header=block.header, rows=block.rows))
    cut = doc.add_paragraph()
    cut.paragraph_format.space_after = Pt(6)
    cut.add_run("- " * 60).font.size = Pt(8)


def _page_numbers(section: Any) -> None:
    """Page number at the top centre, from page 2 (the first page has an empty header)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(p.add_run(), "PAGE")


def blocks_docx(blocks: Sequence[Block]) -> bytes:
    """Render *blocks* as a Word document on the Decree 30 page.

    Parameters
    ----------
    blocks
        The document, e.g. :func:`~thidua_rank.report.minutes.counting_minutes`.

    Returns
    -------
    bytes
        The .docx file.

    Examples
    --------
    >>> import io
    >>> from docx import Document
    >>> from thidua_rank.report.layout import masthead
    >>> doc = Document(io.BytesIO(blocks_docx([masthead("Khối A", "Ban kiểm phiếu", "BB-KTĐ"),
    ...                                        Block("title", "BIÊN BẢN")])))
    >>> round(doc.sections[0].page_width.mm), round(doc.sections[0].left_margin.mm)
    (210, 30)
    >>> doc.tables[0].rows[0].cells[1].paragraphs[1].text
    'Độc lập - Tự do - Hạnh phúc'
    """
    from docx import Document
    from docx.enum.text import WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE.width_mm), Mm(PAGE.height_mm)
    section.top_margin, section.bottom_margin = Mm(PAGE.top_mm), Mm(PAGE.bottom_mm)
    section.left_margin, section.right_margin = Mm(PAGE.left_mm), Mm(PAGE.right_mm)
    section.header_distance = Mm(10)
    normal = doc.styles["Normal"]
    normal.font.name = PAGE.font
    normal.font.size = Pt(PAGE.size_pt)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), PAGE.font)
    normal.paragraph_format.space_after = Pt(3)
    _page_numbers(section)
    for block in blocks:
        if block.kind == "masthead":
            _masthead(doc, block)
        elif block.kind == "place_date":
            p = _line(doc, block.text, italic=True, align="right")
            p.paragraph_format.space_before = Pt(6)
        elif block.kind == "national":
            for line in block.text.split("\n"):
                _line(doc, line, bold=True)
        elif block.kind == "title":
            p = _line(doc, block.text, bold=True, size=PAGE.title_pt)
            p.paragraph_format.space_before = Pt(12)
        elif block.kind == "subtitle":
            p = _line(doc, block.text, bold=True)
            p.paragraph_format.space_after = Pt(12)
        elif block.kind == "heading":
            p = _line(doc, block.text, bold=True, align="left")
            p.paragraph_format.space_before = Pt(6)
        elif block.kind == "table":
            _table(doc, block)
        elif block.kind == "signature":
            _signature(doc, block)
        elif block.kind == "ballot":
            _ballot(doc, block)
        elif block.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            _line(doc, block.text, italic=block.kind == "note", align="justify")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


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
        A .docx document (see :func:`blocks_docx`).

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
    return blocks_docx(counting_minutes(outcome, record))


def write_minutes(outcome: MeetingOutcome, path: str | Path,
                  record: LiveRecord | None = None) -> Path:
    """Write :func:`minutes_docx` to *path*, atomically (mode 0600).

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    path
        The .docx file; its folder is created when missing, an existing file is replaced.
    record
        For a live meeting: the ballot box's chain head and round digests to print.

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
