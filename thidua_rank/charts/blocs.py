"""The voting-bloc chart: how often two units share the top of a ballot, blocs outlined."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from thidua_rank.charts.style import check_lang, finish, unit_axis
from thidua_rank.errors import InputError
from thidua_rank.text import format_number

if TYPE_CHECKING:
    import altair as alt
    import polars as pl

    from thidua_rank._typing import Language
    from thidua_rank.engine.ballots import Ballots

__all__ = ["bloc_chart", "co_support"]

_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Số phiếu xếp cả hai đơn vị vào {k} hạng đầu",
              "Ballots placing both units in their top {k}"),
    "title_approval": ("Số phiếu đồng ý cả hai đơn vị", "Ballots approving both units"),
    "row": ("Đơn vị", "Unit"),
    "column": ("cùng với đơn vị", "together with unit"),
    "count": ("Số phiếu", "Ballots"),
    "group": ("Nhóm", "Group"),
    "significant": ("bỏ phiếu theo khối (p = {p})", "voting bloc (p = {p})"),
    "weak": ("chưa đủ bằng chứng (p = {p})", "not enough evidence (p = {p})"),
}


def _word(key: str, lang: Language) -> str:
    vi, en = _WORDS[key]
    return en if lang == "en" else vi


def co_support(ballots: Ballots, places: int = 3) -> np.ndarray:
    """``C[u, v]``: ballots (counts weighed) placing both *u* and *v* in their top *places*
    (approval and choose ballots: marking both); the diagonal counts each unit alone.

    >>> import thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[0, 1, 2, 3], [0, 2, 1, 3]], units=list("ABCD"))
    >>> co_support(b, 2).tolist()
    [[2, 1, 1, 0], [1, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]]
    """
    if isinstance(places, bool) or not isinstance(places, int) or places < 1:
        raise InputError("số hạng đầu phải là số nguyên ≥ 1",
                         "places must be a whole number ≥ 1", value=places)
    if ballots.kind == "ranked":
        top = (ballots.ranks > 0) & (ballots.ranks <= places)
    else:
        top = ballots.ranks > 0
    weighted = top.astype(np.int64) * ballots.counts[:, None]
    return weighted.T @ top.astype(np.int64)


def bloc_chart(ballots: Ballots, table: pl.DataFrame | None = None, *, places: int = 3,
               lang: Language = "vi", title: str | None = None) -> alt.LayerChart:
    """Units × units: how many ballots put both units in their top *places*, with the groups
    of a :func:`~thidua_rank.analysis.blocs` table outlined (significant: red; listed but
    not significant: grey), each named with its p-value in the legend. The groups' units
    come first, in the table's order, so that each group is a block on the diagonal.

    Parameters
    ----------
    ballots
        The ballots the table was computed from (the matrix needs them; the chart module does
        not run the analysis).
    table
        The :func:`~thidua_rank.analysis.blocs` table, or ``None`` for the matrix alone.
    places
        How many top places count (ranked ballots); approval ballots count marks.
    lang, title
        ``"vi"`` (default) or ``"en"``; the title (default: in *lang*).

    Examples
    --------
    >>> import polars as pl, thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[2, 1, 0], [1, 2, 0], [0, 1, 2]],
    ...                            units=["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"])
    >>> t = pl.DataFrame({"group": [["Sở Tư pháp", "Sở Nội vụ"]], "p_value": [0.01],
    ...                   "significant": [True]})
    >>> spec = bloc_chart(b, t, places=2, lang="en").to_dict()
    >>> spec["title"], spec["layer"][0]["encoding"]["x"]["sort"]
    ('Ballots placing both units in their top 2', ['Sở Tư pháp', 'Sở Nội vụ', 'Sở Y tế'])
    >>> [(v["unit"], v["other"], v["count"]) for v in spec["data"]["values"]][:3]
    [('Sở Tư pháp', 'Sở Tư pháp', 3), ('Sở Tư pháp', 'Sở Nội vụ', 2), ('Sở Tư pháp', 'Sở Y tế', 1)]
    """
    import altair as alt

    check_lang(lang)
    units = list(ballots.units)
    groups = [] if table is None else table.to_dicts()
    for g in groups:
        unknown = [u for u in g["group"] if u not in units]
        if unknown:
            raise InputError("nhóm có đơn vị không có trong phiếu",
                             f"the table names units not on these ballots: {unknown}",
                             value=unknown)
    order = list(dict.fromkeys([u for g in groups for u in g["group"]] + units))
    matrix = co_support(ballots, places)
    where = {u: i for i, u in enumerate(units)}
    member: dict[str, int] = {}
    for i, g in enumerate(groups):
        for u in g["group"]:
            member.setdefault(u, i)
    names = [f"{i + 1}. " + _word("significant" if g.get("significant") else "weak", lang)
             .format(p=format_number(float(g["p_value"]), 3, lang=lang))
             for i, g in enumerate(groups)]
    rows = []
    for u in order:
        for v in order:
            gi = member.get(u)
            same = gi is not None and member.get(v) == gi
            rows.append({"unit": u, "other": v, "count": int(matrix[where[u], where[v]]),
                         "group": names[gi] if same and gi is not None else ""})
    top = max([r["count"] for r in rows] + [1])
    heading = (_word("title", lang).format(k=places) if ballots.kind == "ranked"
               else _word("title_approval", lang))
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("other:N", sort=order, title=_word("column", lang),
                axis=unit_axis(labelAngle=-40)),
        y=alt.Y("unit:N", sort=order, title=_word("row", lang), axis=unit_axis()))
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", title=_word("count", lang),
                        scale=alt.Scale(domain=[0, top], scheme="blues")),
        tooltip=[alt.Tooltip("unit:N", title=_word("row", lang)),
                 alt.Tooltip("other:N", title=_word("column", lang)),
                 alt.Tooltip("count:Q", title=_word("count", lang))])
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("count:Q", format="d"),
        color=alt.condition(f"datum.count > {0.6 * top}", alt.value("white"),
                            alt.value("black")))
    chart = cells + text
    if names:
        colours = ["#c62828" if g.get("significant") else "#78909c" for g in groups]
        outline = base.transform_filter("datum.group != ''").mark_rect(
            fill=None, strokeWidth=3).encode(
            stroke=alt.Stroke("group:N", title=_word("group", lang), sort=names,
                              scale=alt.Scale(domain=names, range=colours),
                              legend=alt.Legend(orient="bottom", labelLimit=0,
                                                direction="vertical")))
        chart = chart + outline
    side = max(180, 34 * len(order))
    chart = chart.properties(
        title=heading if title is None else title, width=side, height=side)
    return finish(chart, lang)

