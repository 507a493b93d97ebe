"""Documents as PDF, typeset by typst with the fonts embedded.

:func:`blocks_pdf` renders the same :class:`~thidua_rank.report.layout.Block` list as
:func:`thidua_rank.report.docx.blocks_docx` through the bundled template
``templates/document.typ``: the blocks and the page go in as JSON (``sys.inputs``), so no text
is ever spliced into typst markup. The font is the first of Times New Roman, Liberation Serif,
Tinos and DejaVu Serif that is installed; :func:`serif_font` names it, and rendering refuses to
fall back to a font without Vietnamese letters.

>>> serif_font() in ("Times New Roman", "Liberation Serif", "Tinos", "DejaVu Serif")
True
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from thidua_rank.errors import ThiduaRankError
from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.report.layout import PAGE, Block
from thidua_rank.report.minutes import LiveRecord, counting_minutes

__all__ = ["blocks_pdf", "minutes_pdf", "serif_font", "write_minutes_pdf"]

TEMPLATE = Path(__file__).with_name("templates") / "document.typ"


@cache
def serif_font() -> str:
    """The serif family the PDF uses: the first of :data:`PAGE`'s fonts that typst finds.

    Raises
    ------
    ThiduaRankError
        When none is installed (install ``fonts-liberation`` or ``fonts-dejavu-core``).
    """
    import typst

    fonts = set(typst.Fonts().families()) if hasattr(typst, "Fonts") else None
    wanted = (PAGE.font, *PAGE.fallback_fonts)
    if fonts is None:
        from subprocess import run

        listing = run(["fc-list", ":", "family"], capture_output=True, text=True,
                      check=False).stdout
        fonts = {f.strip() for line in listing.splitlines() for f in line.split(",")}
    for family in wanted:
        if family in fonts:
            return family
    msg_vi = f"không tìm thấy phông chữ có dấu tiếng Việt ({', '.join(wanted)})"
    msg_en = (f"no serif font with Vietnamese letters found ({', '.join(wanted)}); install "
              "fonts-liberation or fonts-dejavu-core")
    raise ThiduaRankError(msg_vi, msg_en)


def blocks_pdf(blocks: Sequence[Block], *, title: str = "") -> bytes:
    """Typeset *blocks* as a PDF on the Decree 30 page (A4, margins 20/20/30/15 mm, serif
    13 pt, page numbers from page 2), fonts embedded.

    Parameters
    ----------
    blocks
        The document, e.g. :func:`~thidua_rank.report.minutes.counting_minutes`.
    title
        The PDF's title (document metadata).

    Returns
    -------
    bytes
        The PDF file.

    Examples
    --------
    >>> from thidua_rank.report.layout import masthead
    >>> pdf = blocks_pdf([masthead("Khối A", "Ban kiểm phiếu", "BB-KTĐ"),
    ...                   Block("title", "BIÊN BẢN")], title="Biên bản")
    >>> pdf[:5], b"/FontFile" in pdf
    (b'%PDF-', True)
    """
    import typst

    page = {**dataclasses.asdict(PAGE), "fonts": [serif_font()]}
    document = {"title": title, "page": page,
                "blocks": [{"kind": b.kind, "text": b.text, "header": list(b.header),
                            "rows": [list(r) for r in b.rows]} for b in blocks]}
    data = typst.compile(str(TEMPLATE), format="pdf",
                         sys_inputs={"document": json.dumps(document, ensure_ascii=False)})
    assert isinstance(data, bytes)
    return data


def minutes_pdf(outcome: MeetingOutcome, record: LiveRecord | None = None) -> bytes:
    """The counting minutes as PDF (the same blocks as :func:`~thidua_rank.report.docx.
    minutes_docx`).

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    >>> minutes_pdf(tr.run_meeting(tr.load_meeting(folder)))[:5]
    b'%PDF-'
    """
    return blocks_pdf(counting_minutes(outcome, record), title="Biên bản kiểm phiếu")


def write_minutes_pdf(outcome: MeetingOutcome, path: str | Path,
                      record: LiveRecord | None = None) -> Path:
    """Write :func:`minutes_pdf` to *path*, atomically (mode 0600); returns *path*."""
    return atomic_write(path, minutes_pdf(outcome, record))
