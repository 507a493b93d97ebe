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
from thidua_rank.text import format_number

if TYPE_CHECKING:
    import polars as pl

    from thidua_rank.engine.result import RankResult

__all__ = ["agreement_chart", "bootstrap_chart", "chart_data_uri", "chart_png", "result_chart",
           "save_chart", "sensitivity_chart"]

FALLBACK_FONT = "Liberation Sans"  # bundled with vl-convert
PALETTE = {"award": "#c62828", "other": "#90a4ae"}


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

    from thidua_rank.io.atomic import atomic_write

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


# -- analysis charts (the analyst dashboard) -------------------------------------------------
def agreement_chart(table: pl.DataFrame, *, title: str = "", lang: str = "vi") -> alt.Chart:
    """Heatmap of an :func:`~thidua_rank.analysis.agreement` table (Kendall's τ-b per pair of
    methods), each cell labelled with its value."""
    import altair as alt

    order = table.get_column("method").to_list()
    rows = [{"a": r["method"], "b": b, "tau": float(r[b]),
             "label": format_number(float(r[b]), 2, lang=lang)}
            for r in table.to_dicts() for b in order]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("b:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40, labelLimit=0)),
        y=alt.Y("a:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)))
    legend = (alt.Legend(labelExpr="replace(datum.label, '.', ',')") if lang == "vi"
              else alt.Legend())  # Vietnamese decimal comma, as in the cells
    cells = base.mark_rect().encode(color=alt.Color(
        "tau:Q", title="τ-b", scale=alt.Scale(domain=[-1, 1], scheme="redblue"), legend=legend))
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition("abs(datum.tau) > 0.6", alt.value("white"), alt.value("black")))
    side = max(160, 44 * len(order))
    return (cells + text).properties(title=title, width=side, height=side
                                     ).configure(font=chart_font())


def bootstrap_chart(table: pl.DataFrame, *, title: str = "", rank_title: str = "Hạng",
                    share_title: str = "Tỷ lệ", first_label: str = "Đứng đầu",
                    top_label: str = "Top 3") -> alt.HConcatChart:
    """A :func:`~thidua_rank.analysis.bootstrap` table as two panels sharing the units: the
    90 % range of each unit's place with its actual place, and the shares of samples in which
    it came first or in the top group."""
    import altair as alt

    rows = [{k: (float(v) if isinstance(v, float) else v) for k, v in r.items()}
            for r in table.to_dicts()]
    order = [r["unit"] for r in rows]
    n = max([int(r["rank_high"]) for r in rows] + [len(rows), 2])
    height = max(120, 26 * len(rows))
    y = alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=0))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y)
    x = alt.X("rank_low:Q", title=rank_title, scale=alt.Scale(domain=[1, n], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d"))
    interval = base.mark_rule(strokeWidth=4, color="#90a4ae").encode(x=x, x2="rank_high:Q")
    actual = base.mark_point(filled=True, size=80, color="#c62828", opacity=1).encode(
        x="rank:Q")
    left = (interval + actual).properties(width=260, height=height)
    shares = [{"unit": r["unit"], "measure": label, "share": r[key]}
              for r in rows for key, label in (("p_top", top_label), ("p_first", first_label))]
    right = alt.Chart(alt.Data(values=shares)).mark_bar().encode(
        y=alt.Y("unit:N", sort=order, axis=None),
        yOffset=alt.YOffset("measure:N", sort=[top_label, first_label]),
        x=alt.X("share:Q", title=share_title, scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=alt.Color("measure:N", title=None,
                        scale=alt.Scale(domain=[top_label, first_label],
                                        range=["#90caf9", "#1565c0"]),
                        legend=alt.Legend(orient="bottom")),
    ).properties(width=220, height=height)
    return alt.hconcat(left, right, spacing=12).resolve_scale(y="shared").properties(
        title=title).configure(font=chart_font())


def sensitivity_chart(table: pl.DataFrame, *, title: str = "", rank_title: str = "Hạng",
                      same_title: str = "Giữ hạng") -> alt.Chart:
    """A :func:`~thidua_rank.analysis.weight_sensitivity` table: each unit's best-to-worst
    place over the samples and its place with the configured weights, coloured by how often
    it kept that place."""
    import altair as alt

    rows = [{k: (float(v) if isinstance(v, float) else v) for k, v in r.items()}
            for r in table.to_dicts()]
    order = [r["unit"] for r in rows]
    n = max([int(r["worst_rank"]) for r in rows] + [len(rows), 2])
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)))
    x = alt.X("best_rank:Q", title=rank_title, scale=alt.Scale(domain=[1, n], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d"))
    span = base.mark_rule(strokeWidth=4, color="#90a4ae").encode(x=x, x2="worst_rank:Q")
    dot = base.mark_point(filled=True, size=90, opacity=1).encode(
        x="rank:Q",
        color=alt.Color("p_same:Q", title=same_title,
                        scale=alt.Scale(domain=[0, 1], scheme="redyellowgreen"),
                        legend=alt.Legend(format="%")))
    return (span + dot).properties(title=title, width=320,
                                   height=max(120, 26 * len(rows))).configure(font=chart_font())
