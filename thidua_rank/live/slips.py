"""Cut-out voting-code slips: one per unit present, with the code and a QR link to the ballot.

Two forms: an HTML page (always works; print it from the browser) and a PDF (needs a Unicode
TrueType font for the Vietnamese names: DejaVu Sans or Liberation Sans from the system, or the
copy matplotlib ships; a clear error says so when none is found).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

from thidua_rank.errors import InputError
from thidua_rank.fonts import find_font
from thidua_rank.io.atomic import atomic_write
from thidua_rank.live.session import LiveMeeting

__all__ = ["write_slips_html", "write_slips_pdf"]

def _link(base_url: str | None, code: str) -> str | None:
    return f"{base_url}?code={code}" if base_url else None


def write_slips_html(live: LiveMeeting, codes: Mapping[str, str], out: str | Path, *,
                     base_url: str | None = None) -> Path:
    """Write printable slips as one HTML page (QR codes inline as SVG)."""
    import segno

    info = live.meeting.config.meeting
    slips = []
    for unit, code in codes.items():
        link = _link(base_url, code)
        qr = (f"<img alt='QR' src='{segno.make(link, error='m').svg_data_uri(scale=3)}'>"
              if link else "")
        slips.append(f"<div class='slip'><div class='bloc'>{html.escape(info.bloc)}</div>"
                     f"<div class='unit'>{html.escape(unit)}</div>"
                     f"<div class='code'>{html.escape(code)}</div>{qr}"
                     f"<div class='hint'>Mã dùng một lần cho mỗi vòng bỏ phiếu · one-time code "
                     f"per round</div></div>")
    page = ("<!doctype html><html lang='vi'><meta charset='utf-8'><title>Mã bỏ phiếu</title>"
            "<style>body{font-family:'DejaVu Sans',Arial,sans-serif}.slip{display:inline-block;"
            "width:45%;margin:1%;padding:1em;border:1px dashed #555;vertical-align:top;"
            "page-break-inside:avoid}.code{font-size:2em;font-family:monospace;letter-spacing:"
            ".1em}.unit{font-weight:bold}.hint,.bloc{color:#555;font-size:.8em}</style>"
            f"<body>{''.join(slips)}</body></html>")
    return atomic_write(out, page.encode("utf-8"))


def write_slips_pdf(live: LiveMeeting, codes: Mapping[str, str], out: str | Path, *,
                    base_url: str | None = None) -> Path:
    """Write the slips as an A4 PDF, four per page, with QR codes."""
    import io

    import segno
    from fpdf import FPDF

    font = find_font()
    if font is None:
        raise InputError("không tìm thấy phông chữ tiếng Việt để in PDF; dùng --html",
                         "no TrueType font with Vietnamese glyphs found for the PDF (install "
                         "fonts-dejavu-core) — use --html instead", file=str(out))
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("vn", fname=str(font))
    info = live.meeting.config.meeting
    for i, (unit, code) in enumerate(codes.items()):
        if i % 4 == 0:
            pdf.add_page()
        y = 12 + (i % 4) * 70
        pdf.set_draw_color(120)
        pdf.set_dash_pattern(dash=2, gap=2)
        pdf.line(10, y - 3, 200, y - 3)
        pdf.set_dash_pattern()
        pdf.set_font("vn", size=9)
        pdf.set_xy(12, y)
        pdf.cell(140, 6, info.bloc)
        pdf.set_font("vn", size=13)
        pdf.set_xy(12, y + 8)
        pdf.multi_cell(130, 7, unit)
        pdf.set_font("vn", size=26)
        pdf.set_xy(12, y + 28)
        pdf.cell(130, 14, code)
        pdf.set_font("vn", size=8)
        pdf.set_xy(12, y + 46)
        pdf.cell(130, 5, "Mã dùng một lần cho mỗi vòng bỏ phiếu · one-time code per round")
        link = _link(base_url, code)
        if link:
            buf = io.BytesIO()
            segno.make(link, error="m").save(buf, kind="png", scale=6)
            buf.seek(0)
            pdf.image(buf, x=150, y=y, w=48, h=48)
    return atomic_write(out, bytes(pdf.output()))
