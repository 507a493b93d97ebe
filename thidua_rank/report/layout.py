"""The page model of an administrative document (Decree 30/2020/NĐ-CP, Appendix I) and the
Vietnamese forms of dates and blanks that every document of the meeting shares.

A document is a list of :class:`Block`; :mod:`~thidua_rank.report.docx` and
:mod:`~thidua_rank.report.pdf` render the same blocks, so the Word file and the PDF say the same
thing. What the meeting did not record is printed as :data:`BLANK`, a dotted space to fill by
hand, never as an invented fact.

>>> place_date("Điện Biên", dt.date(2023, 1, 9))
'Điện Biên, ngày 09 tháng 01 năm 2023'
>>> place_date("", None)
'……………, ngày …… tháng …… năm ……'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

__all__ = ["BLANK", "PAGE", "Block", "Page", "day_phrase", "masthead", "place_date",
           "signature"]

BLANK = "……………"
"""A dotted blank: the meeting did not record this; it is filled in by hand."""

BlockKind = Literal["masthead", "place_date", "title", "subtitle", "heading", "para", "note",
                    "table", "signature", "national", "pagebreak", "ballot"]


@dataclass(frozen=True)
class Block:
    """One block of a document.

    ``kind`` is one of

    - ``masthead``: the two-column header; ``rows`` = (left lines, right lines): left is the
      parent body, the issuing body (bold) and the number line "Số: …"; right is the national
      title and the motto (underlined by a rule);
    - ``place_date``: the place-and-date line (italic, right);
    - ``title`` (bold, centred, 14 pt), ``subtitle`` (bold, centred), ``heading`` (bold),
      ``para``, ``note`` (italic);
    - ``table``: ``header`` + ``rows`` (the first column is the STT);
    - ``signature``: ``rows`` = one tuple per column: (role lines separated by newlines,
      "(Ký, ghi rõ họ tên)", names separated by newlines);
    - ``ballot``: one paper ballot to cut out: ``text`` = bloc, title and instructions (one per
      line), ``header`` + ``rows`` the table to mark, with a box for the counting committee's
      stamp; a dashed cut line follows it;
    - ``pagebreak``;
    - ``national``: the state heading alone (kept for older callers).

    >>> Block("heading", "I. KẾT QUẢ").kind
    'heading'
    """

    kind: BlockKind
    text: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Page:
    """Paper and type of the state's documents: A4 portrait, margins in millimetres (Decree 30:
    top and bottom 20–25, left 30–35, right 15–20), a Times New Roman-compatible serif at
    13–14 pt, page numbers at the top centre from page 2."""

    width_mm: float = 210.0
    height_mm: float = 297.0
    top_mm: float = 20.0
    bottom_mm: float = 20.0
    left_mm: float = 30.0
    right_mm: float = 15.0
    font: str = "Times New Roman"
    fallback_fonts: tuple[str, ...] = ("Liberation Serif", "Tinos", "DejaVu Serif")
    size_pt: float = 13.0
    title_pt: float = 14.0


PAGE = Page()
"""The page every bundled document uses."""

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def day_phrase(day: dt.date | None) -> str:
    """``ngày dd tháng mm năm yyyy`` (Decree 30: a day below 10 and the months 1 and 2 take a
    leading zero), or dotted blanks when the date was not recorded.

    >>> day_phrase(dt.date(2022, 12, 9)), day_phrase(dt.date(2021, 3, 5))
    ('ngày 09 tháng 12 năm 2022', 'ngày 05 tháng 3 năm 2021')
    >>> day_phrase(None)
    'ngày …… tháng …… năm ……'
    """
    if day is None:
        return "ngày …… tháng …… năm ……"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_date(place: str, day: dt.date | None) -> str:
    """The place-and-date line: ``Place, ngày … tháng … năm …``, blanks for what is missing."""
    return f"{place or BLANK}, {day_phrase(day)}"


def masthead(parent: str, issuer: str, number: str) -> Block:
    """The two-column header: *parent* (upper case) and *issuer* (bold) over "Số: …/*number*" on
    the left, the national title and motto on the right.

    >>> masthead("Khối thi đua nội chính", "Ban kiểm phiếu", "BB-KTĐ").rows[0]
    ('KHỐI THI ĐUA NỘI CHÍNH', 'BAN KIỂM PHIẾU', 'Số: ……/BB-KTĐ')
    """
    return Block("masthead", rows=((parent.upper(), issuer.upper(), f"Số: ……/{number}"),
                                   (NATIONAL, MOTTO)))


def signature(*columns: tuple[str, str]) -> Block:
    """A signature block: per column (role lines, names); each signing column gets
    "(Ký, ghi rõ họ tên)" (a column with no role is an empty spacer).

    >>> signature(("TM. BAN KIỂM PHIẾU\\nTRƯỞNG BAN", "")).rows[0][1]
    '(Ký, ghi rõ họ tên)'
    """
    return Block("signature", rows=tuple((role, "(Ký, ghi rõ họ tên)" if role else "", names)
                                         for role, names in columns))
