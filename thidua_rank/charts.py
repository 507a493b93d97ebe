"""Charts of results (altair), rendered offline by vl-convert for the projector and reports.

No CDN is ever needed: the projector shows a PNG rendered on the server (so the browser's
fonts cannot clip Vietnamese labels), and :func:`save_chart` writes PNG, SVG or PDF for
reports. Unit names are never cut short (``labelLimit=0``).

>>> import thidua_rank as tr
>>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2]], units=["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"])
>>> chart = result_chart(tr.rank(b, method="borda"), title="Borda")
>>> chart_png(chart)[:4] == b"\\x89PNG"
True
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # altair costs about 1.4 s to import: only pages with charts pay for it
    import altair as alt

from thidua_rank.errors import InputError
from thidua_rank.result import RankResult

__all__ = ["chart_data_uri", "chart_png", "result_chart", "save_chart"]

FALLBACK_FONT = "Liberation Sans"  # bundled with vl-convert
PALETTE = {"award": "#c62828", "other": "#90a4ae"}


@functools.cache
def chart_font() -> str:
    """DejaVu Sans when a copy is found (registered with vl-convert), else Liberation Sans.

    A font name vl-convert does not know silently drops all text, so only a registered font
    is ever named.
    """
    import vl_convert as vlc

    from thidua_rank.slips import find_font

    font = find_font()
    if font is not None and font.name == "DejaVuSans.ttf":
        vlc.register_font_directory(str(font.parent))
        return "DejaVu Sans"
    return FALLBACK_FONT


def result_chart(result: RankResult, *, title: str = "", awarded: set[str] | None = None,
                 value_label: str = "Điểm", width: int = 640) -> alt.Chart:
    """Horizontal bars of a ranking's scores, best first; awarded units highlighted."""
    import altair as alt

    rows = [{"unit": r["unit"], "score": float(r["score"]), "rank": int(r["rank"]),
             "award": "award" if awarded is None or r["unit"] in awarded else "other"}
            for r in result.to_dicts()]
    order = [r["unit"] for r in rows]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
        x=alt.X("score:Q", title=value_label))
    bars = base.mark_bar().encode(color=alt.Color(
        "award:N", scale=alt.Scale(domain=list(PALETTE), range=list(PALETTE.values())),
        legend=None))
    text = base.mark_text(align="left", dx=4).encode(text=alt.Text("score:Q", format=".4~f"))
    return (bars + text).properties(title=title, width=width,
                                    height=max(120, 28 * len(rows))).configure(font=chart_font())


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, rendered offline."""
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(chart.to_dict(), scale=scale))


def chart_data_uri(chart: alt.TopLevelMixin) -> str:
    """An ``<img>`` source for an HTML widget (no JavaScript, no network)."""
    return "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode()


def save_chart(chart: alt.TopLevelMixin, path: str | Path) -> Path:
    """Write the chart as PNG, SVG or PDF (by extension), atomically."""
    import vl_convert as vlc

    from thidua_rank.exports import atomic_write

    path = Path(path)
    spec: dict[str, Any] = chart.to_dict()
    suffix = path.suffix.lower()
    if suffix == ".png":
        data: bytes = chart_png(chart)
    elif suffix == ".svg":
        data = vlc.vegalite_to_svg(spec).encode()
    elif suffix == ".pdf":
        data = bytes(vlc.vegalite_to_pdf(spec))
    else:
        raise InputError("định dạng biểu đồ phải là .png, .svg hoặc .pdf",
                         "chart format must be .png, .svg or .pdf", file=str(path))
    return atomic_write(path, data)
