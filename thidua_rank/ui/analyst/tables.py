"""The analyst page's HTML pieces: tables, PNG images and numbers in the page's language."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

from thidua_rank.i18n import Language
from thidua_rank.text import format_number
from thidua_rank.ui.base import esc

__all__ = ["html_table", "number", "png_img", "share"]


def html_table(header: Sequence[Any], rows: Sequence[Sequence[Any]], *,
               row_classes: Sequence[str] | None = None) -> str:
    """An HTML table for an ``HTML`` widget; every text is escaped.

    A header or body cell is a value or a ``(value, css_class)`` pair; *row_classes* gives
    each row a class (``""`` for none).

    >>> html = html_table(["Đơn vị", "Hạng"], [["Sở Y & tế", 1], [("Sở Tư pháp", "tr-up"), 2]])
    >>> html.count("<tr"), "<td>Sở Y &amp; tế</td>" in html, '<td class="tr-up">Sở' in html
    (3, True, True)
    """
    def cell(tag: str, value: Any) -> str:
        text, css = value if isinstance(value, tuple) else (value, "")
        attr = f' class="{esc(css)}"' if css else ""
        return f"<{tag}{attr}>{esc(text)}</{tag}>"

    head = "".join(cell("th", h) for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = [cell("td", value) for value in row]
        css_row = row_classes[i] if row_classes else ""
        attr = f' class="{esc(css_row)}"' if css_row else ""
        body.append(f"<tr{attr}>{''.join(cells)}</tr>")
    return (f'<table class="tr-analyst-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def png_img(png: bytes, alt: str, *, scale: float = 2.0) -> str:
    """An ``<img>`` element showing PNG bytes rendered at *scale* at their natural size.

    >>> png_img(bytes(16) + (800).to_bytes(4, "big") + bytes(8), "τ")[:52]
    "<img alt='τ' style='width:400px;max-width:100%' src="
    """
    width = int.from_bytes(png[16:20], "big") / scale  # IHDR: width is bytes 16–19
    data = base64.b64encode(png).decode()
    return (f"<img alt='{esc(alt)}' style='width:{width:.0f}px;max-width:100%' "
            f"src='data:image/png;base64,{data}'>")


def number(value: float, decimals: int, lang: Language) -> str:
    """A number as the page's language writes it.

    >>> number(2.345, 2, "vi"), number(1234.5, 1, "en")
    ('2,35', '1,234.5')
    """
    return format_number(value, decimals, lang=lang)


def share(value: float, lang: Language, decimals: int = 1) -> str:
    """A share in [0, 1] as a percentage.

    >>> share(0.125, "vi"), share(0.3, "en", 0)
    ('12,5%', '30%')
    """
    return number(100 * value, decimals, lang) + "%"
