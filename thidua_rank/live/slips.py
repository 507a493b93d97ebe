"""Cut-out voting-code slips: one per unit present, with the code, the address of the ballot
page typed out, a short "how to vote" in Vietnamese and a QR link to the ballot.

Two forms: an HTML page (always works; print it from the browser) and a PDF (needs a Unicode
TrueType font for the Vietnamese names: DejaVu Sans or Liberation Sans from the system, or the
copy matplotlib ships; a clear error says so when none is found).

>>> how_to_vote("http://10.0.0.2:8866/voila/render/delegate.ipynb")[0]
'1. Quét mã QR bằng điện thoại, hoặc gõ địa chỉ trên vào trình duyệt (cùng mạng Wi-Fi của hội trường).'
"""  # noqa: E501

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path

from thidua_rank.errors import InputError
from thidua_rank.fonts import find_font
from thidua_rank.io.atomic import atomic_write
from thidua_rank.live.session import LiveMeeting

__all__ = ["how_to_vote", "write_slips_html", "write_slips_pdf"]


def how_to_vote(base_url: str | None) -> tuple[str, ...]:
    """The steps printed on every slip (Vietnamese: the delegates' language); without an
    address, the first step says to ask the secretariat for it."""
    first = ("1. Quét mã QR bằng điện thoại, hoặc gõ địa chỉ trên vào trình duyệt (cùng mạng "
             "Wi-Fi của hội trường)." if base_url else
             "1. Mở trang bỏ phiếu theo địa chỉ thư ký hội nghị thông báo.")
    return (first,
            "2. Nhập mã bỏ phiếu nếu trang hỏi; mỗi đơn vị một mã, dùng cho mọi vòng.",
            "3. Chọn theo hướng dẫn của vòng, xem lại rồi bấm xác nhận.",
            "4. Giữ mã biên nhận hiện ra: biên bản của chủ tọa liệt kê mọi biên nhận.")


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
        address = (f"<div class='address'>Địa chỉ: <code>{html.escape(base_url)}</code></div>"
                   if base_url else "")
        steps = "".join(f"<li>{html.escape(step[3:])}</li>" for step in how_to_vote(base_url))
        slips.append(f"<div class='slip'>{qr}<div class='bloc'>{html.escape(info.bloc)}</div>"
                     f"<div class='unit'>{html.escape(unit)}</div>"
                     f"<div class='code'>{html.escape(code)}</div>{address}"
                     f"<div class='hint'>Mã dùng một lần cho mỗi vòng bỏ phiếu · one-time code "
                     f"per round</div><ol class='steps'>{steps}</ol></div>")
    page = ("<!doctype html><html lang='vi'><meta charset='utf-8'><title>Mã bỏ phiếu</title>"
            "<style>body{font-family:'DejaVu Sans',Arial,sans-serif}.slip{display:inline-block;"
            "width:45%;margin:1%;padding:1em;border:1px dashed #555;vertical-align:top;"
            "page-break-inside:avoid}.slip img{float:right;margin-left:.5em}.code{font-size:2em;"
            "font-family:monospace;letter-spacing:.1em}.unit{font-weight:bold}.hint,.bloc{"
            "color:#555;font-size:.8em}.address{font-size:.85em;margin:.3em 0;word-break:"
            "break-all}.steps{font-size:.8em;margin:.4em 0 0;padding-left:1.2em;clear:both}"
            "</style>"
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
    steps = how_to_vote(base_url)
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
        pdf.cell(135, 5, info.bloc)
        pdf.set_font("vn", size=12)
        pdf.set_xy(12, y + 5)
        pdf.multi_cell(135, 5.5, unit, max_line_height=5.5)
        pdf.set_font("vn", size=24)
        pdf.set_xy(12, y + 17)
        pdf.cell(135, 11, code)
        pdf.set_font("vn", size=8)
        pdf.set_xy(12, y + 29)
        pdf.cell(135, 4, "Mã dùng một lần cho mỗi vòng bỏ phiếu · one-time code per round")
        if base_url:
            pdf.set_font("vn", size=9)
            pdf.set_xy(12, y + 34)
            pdf.multi_cell(135, 4.2, f"Địa chỉ: {base_url}")
        pdf.set_font("vn", size=7.5)
        pdf.set_xy(12, y + 44)
        pdf.multi_cell(186 if not base_url else 135, 3.6, "\n".join(steps))
        link = _link(base_url, code)
        if link:
            buf = io.BytesIO()
            segno.make(link, error="m").save(buf, kind="png", scale=6)
            buf.seek(0)
            pdf.image(buf, x=150, y=y, w=48, h=48)
    return atomic_write(out, bytes(pdf.output()))
