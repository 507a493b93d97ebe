"""Charts of the analyses (the analyst dashboard, notebooks and reports)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from thidua_rank.charts.render import chart_font
from thidua_rank.charts.style import (
    check_lang,
    finish,
    method_name,
    tier_scale,
    unit_axis,
    word,
)
from thidua_rank.errors import InputError
from thidua_rank.text import format_number

if TYPE_CHECKING:
    from collections.abc import Mapping

    import altair as alt
    import polars as pl

    from thidua_rank._typing import Language
    from thidua_rank.engine.ballots import Ballots

__all__ = ["agreement_chart", "bootstrap_chart", "bump_chart", "cutoff_margin_chart",
           "distance_chart", "pairwise_chart", "rank_probability_chart", "sensitivity_chart"]


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


def pairwise_chart(ballots: Ballots, *, lang: Language = "vi", title: str | None = None
                   ) -> alt.LayerChart:
    """Heatmap of the pairwise margins of a set of ballots: the cell in row *u*, column *v*
    is the number of ballots ranking *u* above *v* minus those ranking *v* above *u*.

    Parameters
    ----------
    ballots
        Ranked ballots (:class:`~thidua_rank.Ballots`); units keep their order.
    lang
        ``"vi"`` (default) or ``"en"`` for the labels.
    title
        Chart title; default: a title in *lang*.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1]],
    ...                            units=["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"])
    >>> spec = pairwise_chart(b).to_dict()
    >>> [(v["unit"], v["opponent"], v["margin"]) for v in spec["data"]["values"]][:2]
    [('Sở Y tế', 'Sở Tư pháp', 1), ('Sở Y tế', 'Sở Nội vụ', 3)]
    """
    import altair as alt

    check_lang(lang)
    units = list(ballots.units)
    p = ballots.pairwise()
    rows = [{"unit": u, "opponent": v, "margin": int(p[i, j] - p[j, i])}
            for i, u in enumerate(units) for j, v in enumerate(units) if i != j]
    top = max([abs(r["margin"]) for r in rows] + [1])
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("opponent:N", sort=units, title=word("opponent", lang),
                axis=unit_axis(labelAngle=-40)),
        y=alt.Y("unit:N", sort=units, title=word("unit", lang), axis=unit_axis()))
    cells = base.mark_rect().encode(
        color=alt.Color("margin:Q", title=word("margin", lang),
                        scale=alt.Scale(domain=[-top, top], scheme="redblue")),
        tooltip=[alt.Tooltip("unit:N", title=word("unit", lang)),
                 alt.Tooltip("opponent:N", title=word("opponent", lang)),
                 alt.Tooltip("margin:Q", title=word("margin", lang))])
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("margin:Q", format="d"),
        color=alt.condition(f"abs(datum.margin) > {0.6 * top}", alt.value("white"),
                            alt.value("black")))
    side = max(160, 36 * len(units))
    chart = (cells + text).properties(
        title=word("pairwise", lang) if title is None else title, width=side, height=side)
    return finish(chart, lang)


def bump_chart(table: pl.DataFrame, *, lang: Language = "vi", title: str | None = None
               ) -> alt.LayerChart:
    """Bump chart of an :func:`~thidua_rank.analysis.awards_by_method` table: the place of each
    unit (a line) under each method (by its registered name, left to right, the configured
    method first), the points
    coloured by the award tier the unit gets under that method, the unit names at the right.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"unit": ["Sở Y tế", "Sở Y tế", "Sở Nội vụ", "Sở Nội vụ"],
    ...                   "method": ["borda", "schulze"] * 2,
    ...                   "configured": [True, False] * 2, "place": [1, 2, 2, 1],
    ...                   "tier": ["co", None, None, "co"],
    ...                   "tier_label": ["Cờ thi đua", None, None, "Cờ thi đua"]})
    >>> spec = bump_chart(t, lang="en").to_dict()
    >>> spec["title"], [v["tier"] for v in spec["data"]["values"]]
    ('Places of each unit by method', ['Cờ thi đua', 'No award', 'No award', 'Cờ thi đua'])
    """
    import altair as alt

    check_lang(lang)
    none = word("no_award", lang)
    rows = [{"unit": r["unit"], "method": method_name(r["method"], lang),
             "place": int(r["place"]), "tier": r["tier_label"] or r["tier"] or none,
             "configured": bool(r["configured"])}
            for r in table.to_dicts()]
    methods = ([r["method"] for r in rows if r["configured"]][:1]
               + sorted({r["method"] for r in rows if not r["configured"]}))
    tiers = list(dict.fromkeys(r["tier"] for r in sorted(rows, key=lambda r: r["place"])
                               if r["tier"] != none))
    n = max([r["place"] for r in rows] + [2])
    x = alt.X("method:N", sort=methods, title=word("method", lang),
              axis=alt.Axis(labelAngle=-30, labelLimit=0),
              scale=alt.Scale(padding=0.2))
    y = alt.Y("place:Q", title=word("place", lang), scale=alt.Scale(domain=[n, 1], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d", values=list(range(1, n + 1))))
    base = alt.Chart(alt.Data(values=rows)).encode(x=x, y=y)
    lines = base.mark_line(color="#90a4ae", strokeWidth=1.5).encode(detail="unit:N")
    points = base.mark_point(filled=True, size=110, opacity=1).encode(
        color=alt.Color("tier:N", title=word("tier", lang), scale=tier_scale(tiers, lang),
                        legend=alt.Legend(orient="bottom", labelLimit=0, columns=1)),
        tooltip=[alt.Tooltip("unit:N", title=word("unit", lang)),
                 alt.Tooltip("method:N", title=word("method", lang)),
                 alt.Tooltip("place:Q", title=word("place", lang)),
                 alt.Tooltip("tier:N", title=word("tier", lang))])
    at_end: dict[int, list[str]] = {}  # joint places share one label, never overprinted
    for r in rows:
        if r["method"] == methods[-1]:
            at_end.setdefault(r["place"], []).append(r["unit"])
    ends = [{"method": methods[-1], "place": k, "names": " / ".join(v)}
            for k, v in sorted(at_end.items())]
    names = alt.Chart(alt.Data(values=ends)).mark_text(
        align="left", dx=10, fontSize=11, limit=0).encode(x=x, y=y, text="names:N")
    chart = (lines + points + names).properties(
        title=word("bump", lang) if title is None else title,
        width=max(240, 70 * len(methods)), height=max(160, 28 * n))
    return finish(chart, lang)


def rank_probability_chart(table: pl.DataFrame, *, lang: Language = "vi",
                           title: str | None = None) -> alt.LayerChart:
    """Heatmap units × places of a :func:`~thidua_rank.analysis.weight_perturbation` table:
    the probability of each place, the configured place outlined.

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"unit": ["Sở Y tế", "Sở Nội vụ"], "rank": [1, 2],
    ...                   "p_place_1": [0.875, 0.125], "p_place_2": [0.125, 0.875]})
    >>> spec = rank_probability_chart(t).to_dict()
    >>> [(v["unit"], v["place"], v["label"]) for v in spec["data"]["values"]][:2]
    [('Sở Y tế', 1, '88%'), ('Sở Y tế', 2, '13%')]
    """
    import altair as alt

    check_lang(lang)
    places = sorted(int(c.removeprefix("p_place_")) for c in table.columns
                    if c.startswith("p_place_"))
    if not places:
        raise InputError("bảng không có cột p_place_…", "the table has no p_place_… columns",
                         column="p_place_1")
    rows = []
    for r in table.to_dicts():
        for p in places:
            share = float(r[f"p_place_{p}"])
            rows.append({"unit": r["unit"], "place": p, "p": share, "actual": p == r["rank"],
                         "label": (format_number(100 * share, 0, lang=lang) + "%"
                                   if share >= 0.005 else "")})
    order = table.get_column("unit").to_list()
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("place:O", title=word("place", lang), sort=places, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("unit:N", sort=order, title=None, axis=unit_axis()))
    cells = base.mark_rect().encode(
        color=alt.Color("p:Q", title=word("probability", lang),
                        scale=alt.Scale(domain=[0, 1], range=["#ffffff", "#0d47a1"]),
                        legend=alt.Legend(format="%")),
        stroke=alt.condition("datum.actual", alt.value("#c62828"), alt.value(None)),
        strokeWidth=alt.condition("datum.actual", alt.value(2), alt.value(0)),
        tooltip=[alt.Tooltip("unit:N", title=word("unit", lang)),
                 alt.Tooltip("place:O", title=word("place", lang)),
                 alt.Tooltip("p:Q", title=word("probability", lang), format=".1%")])
    text = base.mark_text(fontSize=10).encode(
        text="label:N", color=alt.condition("datum.p > 0.6", alt.value("white"),
                                            alt.value("black")))
    chart = (cells + text).properties(
        title=word("rank_probability", lang) if title is None else title,
        width=max(200, 34 * len(places)), height=max(120, 26 * len(order)))
    return finish(chart, lang)


def cutoff_margin_chart(table: pl.DataFrame, *, lang: Language = "vi", title: str | None = None,
                        tier_labels: Mapping[str, str] | None = None) -> alt.LayerChart:
    """Bars of a :func:`~thidua_rank.analysis.cutoff_margins` table: for each unit next to a
    tier's cut-off, the fewest ballots to change (vote meetings) or the smallest relative change
    of the weights (score meetings) that moves it across, coloured by the side of the cut-off.

    Parameters
    ----------
    table
        The :func:`~thidua_rank.analysis.cutoff_margins` table.
    lang, title
        Language of the labels and the chart title (default: a title in *lang*).
    tier_labels
        Tier id → name shown beside the unit (default: the tier ids).

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"unit": ["Sở Y tế", "Sở Nội vụ"], "tier": ["co", "co"],
    ...                   "direction": ["out", "in"], "ballots": [2, None],
    ...                   "weight_change": [None, None]})
    >>> spec = cutoff_margin_chart(t, tier_labels={"co": "Cờ thi đua"}).to_dict()
    >>> [(v["row"], v["label"]) for v in spec["data"]["values"]]
    [('Sở Y tế · Cờ thi đua', '2'), ('Sở Nội vụ · Cờ thi đua', 'không tìm thấy trong giới hạn')]
    """
    import altair as alt

    check_lang(lang)
    by_weight = (table.height > 0 and "weight_change" in table.columns
                 and table.get_column("weight_change").is_not_null().any()
                 and not table.get_column("ballots").is_not_null().any())
    key = "weight_change" if by_weight else "ballots"
    rows = []
    for r in table.to_dicts():
        value = r[key]
        tier = (tier_labels or {}).get(r["tier"], r["tier"])
        if value is None:
            label = word("no_weight" if by_weight else "not_found", lang)
        elif by_weight:
            label = format_number(100 * value, 2, lang=lang) + "%"
        else:
            label = format_number(value, 0, lang=lang)
        rows.append({"row": f"{r['unit']} · {tier}", "value": 0 if value is None else value,
                     "side": word(r["direction"], lang), "label": label})
    order = [r["row"] for r in rows]
    sides = [word("out", lang), word("in", lang)]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("row:N", sort=order, title=None, axis=unit_axis()),
        x=alt.X("value:Q", title=word("weights" if by_weight else "ballots", lang),
                axis=alt.Axis(format="%" if by_weight else "d", tickMinStep=1)))
    bars = base.mark_bar().encode(color=alt.Color(
        "side:N", title=word("direction", lang),
        scale=alt.Scale(domain=sides, range=["#c62828", "#1565c0"]),
        legend=alt.Legend(orient="bottom", labelLimit=0)))
    text = base.mark_text(align="left", dx=4).encode(text="label:N")
    chart = (bars + text).properties(
        title=word("cutoff", lang) if title is None else title,
        width=360, height=max(80, 26 * len(rows)))
    return finish(chart, lang)


def distance_chart(table: pl.DataFrame, *, lang: Language = "vi", title: str | None = None
                   ) -> alt.LayerChart:
    """Strip of a :func:`~thidua_rank.analysis.voter_analysis` table: each ballot at its
    distance from the consensus order (0 = the same order, 1 = reversed), sized by how many
    identical ballots it stands for, outliers in red and named (the voter, where known, else
    the ballot number).

    Examples
    --------
    >>> import polars as pl
    >>> t = pl.DataFrame({"ballot": ["1", "2"], "count": [3, 1], "voter": [None, "Sở Y tế"],
    ...                   "distance": [0.1, 0.9], "outlier": [False, True]})
    >>> spec = distance_chart(t, lang="en").to_dict()
    >>> [(v["name"], v["kind"]) for v in spec["data"]["values"]]
    [('Ballot no. 1', 'Usual'), ('Sở Y tế', 'Outlier')]
    """
    import altair as alt

    check_lang(lang)
    rows = [{"ballot": r["ballot"], "count": int(r["count"]), "distance": float(r["distance"]),
             "name": r["voter"] or word("ballot", lang).format(r["ballot"]),
             "kind": word("outlier" if r["outlier"] else "usual", lang),
             "outlier": bool(r["outlier"]),
             "jitter": round(((i * 0.618034) % 1) * 1.6 - 0.8, 4)}  # spread, reproducibly
            for i, r in enumerate(table.to_dicts())]
    counts = sorted({r["count"] for r in rows}) or [1]
    kinds = [word("usual", lang), word("outlier", lang)]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("distance:Q", title=word("distance", lang),
                scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".1f")))
    dots = base.mark_circle(opacity=0.75).encode(
        y=alt.Y("jitter:Q", axis=None, scale=alt.Scale(domain=[-1, 1])),
        size=alt.Size("count:Q", title=word("count", lang),
                      scale=alt.Scale(domain=[0, counts[-1]], range=[0, 400]),
                      legend=alt.Legend(values=counts[:: max(1, len(counts) // 4)],
                                        format="d")),
        color=alt.Color("kind:N", title=None,
                        scale=alt.Scale(domain=kinds, range=["#546e7a", "#c62828"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=[alt.Tooltip("name:N", title=word("unit", lang)),
                 alt.Tooltip("distance:Q", format=".3f", title=word("distance", lang)),
                 alt.Tooltip("count:Q", title=word("count", lang))],
    )
    y = alt.Y("jitter:Q", axis=None, scale=alt.Scale(domain=[-1, 1]))
    right = base.transform_filter("datum.outlier && datum.distance <= 0.7").mark_text(
        align="left", dx=14, fontSize=11, limit=0).encode(y=y, text="name:N")
    left = base.transform_filter("datum.outlier && datum.distance > 0.7").mark_text(
        align="right", dx=-14, fontSize=11, limit=0).encode(y=y, text="name:N")
    chart = (dots + right + left).properties(
        title=word("distance_title", lang) if title is None else title, width=520, height=110)
    return finish(chart, lang)
