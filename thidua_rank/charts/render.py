"""Rendering charts offline (vl-convert): PNG, SVG and PDF, and images for pages and notebooks.

No CDN is ever needed: the projector shows a PNG rendered on the server (so the browser's
fonts cannot clip Vietnamese labels), and :func:`save_chart` writes PNG, SVG or PDF for
reports.
"""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thidua_rank.errors import InputError

if TYPE_CHECKING:  # altair costs about 1.4 s to import: only pages with charts pay for it
    import altair as alt

__all__ = ["CHART_FORMATS", "FALLBACK_FONT", "ChartImage", "chart_bytes", "chart_data_uri",
           "chart_font", "chart_image", "chart_png", "save_chart"]

CHART_FORMATS = ("png", "svg", "pdf")
"""The file formats a chart is written in."""

FALLBACK_FONT = "Liberation Sans"  # bundled with vl-convert



@functools.cache
def chart_font() -> str:
    """DejaVu Sans when a copy is found (registered with vl-convert), else Liberation Sans.

    A font name vl-convert does not know silently drops all text, so only a registered font
    is ever named.
    """
    import vl_convert as vlc

    from thidua_rank.fonts import find_font

    font = find_font()
    if font is not None and font.name == "DejaVuSans.ttf":
        vlc.register_font_directory(str(font.parent))
        return "DejaVu Sans"
    return FALLBACK_FONT


def chart_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    """The chart as PNG bytes, rendered offline."""
    import vl_convert as vlc

    return bytes(vlc.vegalite_to_png(chart.to_dict(), scale=scale))


@dataclass(frozen=True)
class ChartImage:
    """A chart rendered offline to PNG, shown as an image by Jupyter (no JavaScript, no CDN).

    Attributes
    ----------
    png
        The PNG bytes (what the notebook stores as its output).
    """

    png: bytes

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"ChartImage(png={len(self.png)} bytes)"


def chart_image(chart: alt.TopLevelMixin, scale: float = 1.5) -> ChartImage:
    """The chart as an image a notebook displays and stores (rendered offline by vl-convert).

    Examples
    --------
    >>> import thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[0, 1], [1, 0], [0, 1]], units=["Sở Y tế", "Sở Nội vụ"])
    >>> from thidua_rank.charts import pairwise_chart
    >>> image = chart_image(pairwise_chart(b))
    >>> image._repr_png_()[:4] == b"\\x89PNG"
    True
    """
    return ChartImage(chart_png(chart, scale=scale))


def chart_data_uri(chart: alt.TopLevelMixin) -> str:
    """An ``<img>`` source for an HTML widget (no JavaScript, no network)."""
    return "data:image/png;base64," + base64.b64encode(chart_png(chart)).decode()


def chart_bytes(chart: alt.TopLevelMixin, fmt: str) -> bytes:
    """The chart rendered offline as *fmt* (``png`` at scale 2, ``svg`` or ``pdf``) bytes.

    >>> import thidua_rank as tr
    >>> from thidua_rank.charts import pairwise_chart
    >>> b = tr.Ballots.from_orders([[0, 1], [1, 0], [0, 1]], units=["Sở Y tế", "Sở Nội vụ"])
    >>> [chart_bytes(pairwise_chart(b), f)[:4] for f in CHART_FORMATS]
    [b'\\x89PNG', b'<svg', b'%PDF']
    """
    import vl_convert as vlc

    fmt = fmt.lower().lstrip(".")
    if fmt == "png":
        return chart_png(chart)
    spec: dict[str, Any] = chart.to_dict()
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec).encode()
    if fmt == "pdf":
        return bytes(vlc.vegalite_to_pdf(spec))
    raise InputError("định dạng biểu đồ phải là .png, .svg hoặc .pdf",
                     "chart format must be .png, .svg or .pdf", value=fmt)


def save_chart(chart: alt.TopLevelMixin, path: str | Path) -> Path:
    """Write the chart as PNG, SVG or PDF (by extension), atomically."""
    from thidua_rank.io.atomic import atomic_write

    path = Path(path)
    if path.suffix.lower().lstrip(".") not in CHART_FORMATS:
        raise InputError("định dạng biểu đồ phải là .png, .svg hoặc .pdf",
                         "chart format must be .png, .svg or .pdf", file=str(path))
    return atomic_write(path, chart_bytes(chart, path.suffix))
