"""Charts of a meeting's results for the projector and the reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from thidua_rank.charts.render import chart_font
from thidua_rank.charts.style import PALETTE

if TYPE_CHECKING:
    import altair as alt

    from thidua_rank.engine.result import RankResult

__all__ = ["result_chart"]


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
