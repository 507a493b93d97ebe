"""Charts of a meeting's results for the reports and the projector: the ranking coloured by award
tier, the head and deputy elections, and the points per criterion.

Every builder takes ``medium``: ``"report"`` draws the chart 680 px wide with no text under
12 px, so that printed at an A4 text width (16 cm) no text is under 8 pt; ``"projector"`` draws
it about 1 700 px wide with no text under 24 px, to be shown at its natural width on a
1920×1080 wall (see :data:`~thidua_rank.charts.style.MEDIA`), inside the 1840×860 px the
projector page leaves it (:data:`~thidua_rank.charts.style.PROJECTOR_BOX`): bands are tighter,
legends run in a row and two panels stand side by side rather than shrink the text. Numbers
carry the Vietnamese decimal comma (``lang="vi"``), unit names are never cut, and each chart's
caption says what its numbers are (criteria points, Borda points, votes).
:func:`report_charts` gives every chart of a meeting by file stem (``thidua-rank charts``).

>>> import thidua_rank as tr
>>> from thidua_rank.resources import data_folder
>>> outcome = tr.run_meeting(tr.load_meeting(
...     data_folder("sample_data") / "ninh-binh-co-quan-dang-2022"))
>>> spec = outcome_chart(outcome).to_dict()
>>> [v["label"] for v in spec["data"]["values"] if v["tied"]]
['3. Trường Chính trị tỉnh — Đồng hạng ba', '3. Đảng ủy Khối các cơ quan tỉnh — Đồng hạng ba']
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from thidua_rank.charts.render import chart_font
from thidua_rank.charts.style import (
    NO_AWARD_COLOUR,
    PALETTE,
    PROJECTOR_BOX,
    TIER_COLOURS,
    VI_LOCALE,
    MediumSize,
    check_lang,
    medium_size,
    scale_name,
    text_width,
    wrap_text,
)
from thidua_rank.errors import InputError
from thidua_rank.text import format_number, format_percent, place_name

if TYPE_CHECKING:
    from thidua_rank._typing import Language
    from thidua_rank.engine.result import RankResult
    from thidua_rank.meeting.elections import Election
    from thidua_rank.meeting.pipeline import MeetingOutcome

__all__ = ["CRITERIA_STEM", "ELECTION_STEMS", "OUTCOME_STEM", "Medium", "criteria_chart",
           "election_chart", "outcome_chart", "report_charts", "result_chart"]

Medium = Literal["report", "projector"]
"""Where a chart is shown: a report page (A4, 16 cm wide) or the projector (1920×1080)."""

ELECTED_COLOUR = "#2e7d32"
NOT_ELECTED_COLOUR = "#90a4ae"
ELIMINATED_COLOUR = "#cfd8dc"
CONTINUING_COLOUR = "#1565c0"
THRESHOLD_COLOUR = "#c62828"

_W: dict[str, tuple[str, str]] = {
    "ranking_title": ("Kết quả xếp hạng thi đua năm {year} — {bloc}",
                      "Emulation ranking {year} — {bloc}"),
    "ranking_title_no_year": ("Kết quả xếp hạng thi đua — {bloc}", "Emulation ranking — {bloc}"),
    "colour_by_tier": ("màu: danh hiệu đề nghị khen thưởng", "colour: proposed award"),
    "tier": ("Danh hiệu đề nghị", "Proposed award"),
    "no_award": ("Không khen thưởng", "No award"),
    "scale_of": ("thang {max} điểm", "out of {max} points"),
    "ballots_of": ("{n} phiếu hợp lệ", "{n} valid ballots"),
    "gate_in": ("Đạt điểm sàn {gate} điểm: xếp theo phiếu bầu — {scale}",
                "At or above the {gate}-point gate: ranked by the vote — {scale}"),
    "gate_out": ("Dưới điểm sàn {gate} điểm: xếp theo điểm chấm — {scale}",
                 "Below the {gate}-point gate: ranked by criteria points — {scale}"),
    "gate_note": ("Hai thang điểm khác nhau nên vẽ thành hai phần, mỗi phần một trục",
                  "Two different scales, so two panels, each with its own axis"),
    "votes": ("Số phiếu", "Votes"),
    "scale_votes": ("thang: số phiếu trên {den} {what}", "scale: votes out of {den} {what}"),
    "scale_irv": ("thang: số phiếu (mỗi phiếu tính cho lựa chọn cao nhất còn lại)",
                  "scale: votes (each ballot counts for its highest remaining choice)"),
    "bloc_year": ("{bloc}, tổng kết năm {year}", "{bloc}, {year} review"),
    "votes_of": ("Số phiếu (trên {den} {what})", "Votes (out of {den} {what})"),
    "elected": ("trúng cử", "elected"),
    "not_elected": ("không trúng cử", "not elected"),
    "excluded": ("không thuộc diện bầu ở vòng này", "not standing in this round"),
    "eliminated": ("bị loại ở lần đếm này", "eliminated in this count"),
    "continuing": ("còn lại", "continuing"),
    "status": ("Kết quả", "Result"),
    "threshold_gt": ("Ngưỡng trúng cử (nét đứt): trên {share} của {den} {what}, tức trên "
                     "{votes} phiếu",
                     "Threshold (dashed): more than {share} of {den} {what}, i.e. more than "
                     "{votes} votes"),
    "threshold_ge": ("Ngưỡng trúng cử (nét đứt): từ {share} của {den} {what} trở lên, tức từ "
                     "{votes} phiếu",
                     "Threshold (dashed): at least {share} of {den} {what}, i.e. at least "
                     "{votes} votes"),
    "no_threshold": ("Đơn vị nhiều phiếu nhất trúng cử", "Most votes wins"),
    "result": ("Trúng cử {role}: {units}", "Elected {role}: {units}"),
    "irv": ("Bầu theo cách loại dần: mỗi lần đếm loại đơn vị ít phiếu nhất, phiếu của đơn vị đó "
            "chuyển cho lựa chọn kế tiếp; nét đứt: quá bán số phiếu còn hiệu lực",
            "Instant runoff: each count eliminates the candidate with the fewest votes and "
            "passes its ballots to their next choice; dashed: a majority of the live ballots"),
    "count": ("Lần đếm {n}: {live} phiếu còn hiệu lực, quá bán là trên {half} phiếu",
              "Count {n}: {live} live ballots, a majority is more than {half}"),
    "criteria_title": ("Điểm chấm từng tiêu chí năm {year} — {bloc}",
                       "Points per criterion {year} — {bloc}"),
    "criteria_sub": ("Cột: mã tiêu chí (điểm tối đa; + điểm thưởng, − điểm trừ), cột cuối: "
                     "tổng điểm chấm; màu: tỷ lệ đạt so với điểm tối đa của tiêu chí",
                     "Columns: criterion (maximum; + bonus, − deduction), last column: criteria "
                     "total; colour: share of the criterion's maximum"),
    "share": ("Tỷ lệ đạt", "Share of maximum"),
    "total": ("Tổng", "Total"),
}


def _w(key: str, lang: Language, **fields: Any) -> str:
    vi, en = _W[key]
    return (en if lang == "en" else vi).format(**fields)


def _number(value: Fraction | float | int, lang: Language, decimals: int | None = None) -> str:
    """A number with the decimal comma (``vi``): whole numbers without decimals, others with
    two (or *decimals*)."""
    value = Fraction(value)
    if decimals is None:
        decimals = 0 if value.denominator == 1 else 2
    return format_number(value, decimals, lang=lang)


def _short(value: Fraction | float | int, lang: Language) -> str:
    """A number with at most two decimals and no trailing zeros ("9,5", "97,75", "10").

    >>> _short(Fraction(19, 2), "vi"), _short(Fraction(391, 4), "en"), _short(10, "vi")
    ('9,5', '97.75', '10')
    """
    text = _number(value, lang)
    mark = "." if lang == "en" else ","
    return text.rstrip("0").rstrip(mark) if mark in text else text


def _two_lines(text: str, size: float) -> str:
    """*text* split at the space that makes its longer half shortest, joined by ``|``.

    >>> _two_lines("Ngân hàng Nhà nước chi nhánh tỉnh Gia Lai", 12)
    'Ngân hàng Nhà nước|chi nhánh tỉnh Gia Lai'
    """
    words = text.split()
    if len(words) < 2:
        return text
    cuts = range(1, len(words))
    best = min(cuts, key=lambda i: max(text_width(" ".join(words[:i]), size),
                                       text_width(" ".join(words[i:]), size)))
    return f"{' '.join(words[:best])}|{' '.join(words[best:])}"


def _percent(share: Fraction, lang: Language) -> str:
    if lang == "en":
        return f"{format_number(share * 100, 2, lang='en')}%"
    return format_percent(share)


@dataclass(frozen=True)
class _Bar:
    label: str
    value: float
    text: str
    group: str
    tied: bool = False


def _configure(chart: Any, size: MediumSize, lang: Language, *, fit: bool) -> Any:
    """Font, locale and every text size of the medium (none left to Vega's defaults)."""
    import altair as alt

    config: dict[str, Any] = {"font": chart_font(), "padding": 6}
    if lang == "vi":
        config["locale"] = VI_LOCALE
    if fit:
        config["autosize"] = alt.AutoSizeParams(type="fit-x", contains="padding")
    return (chart.configure(**config)
            .configure_axis(labelFontSize=size.font, titleFontSize=size.font,
                            titleFontWeight="normal", labelLimit=0, titlePadding=size.font / 2)
            .configure_legend(labelFontSize=size.font, titleFontSize=size.font, labelLimit=0,
                              symbolSize=size.font * size.font, symbolType="square",
                              titleLimit=0, rowPadding=size.font / 4)
            .configure_title(fontSize=size.title, subtitleFontSize=size.subtitle, anchor="start",
                             limit=0, subtitlePadding=size.font / 3, offset=size.font / 2)
            .configure_header(labelFontSize=size.font, titleFontSize=size.font)
            .configure_text(fontSize=size.font)
            .configure_view(stroke=None))


def _caption(title: str, subtitle: Sequence[str], size: MediumSize) -> Any:
    """The chart's title and subtitle lines, wrapped to the chart's width."""
    import altair as alt

    room = size.width - 2 * 6 - size.font
    lines = wrap_text(title, size.title, room, bold=True)
    sub = [line for text in subtitle if text for line in wrap_text(text, size.subtitle, room)]
    return alt.Title(text=lines, subtitle=sub) if sub else alt.Title(text=lines)


def _label_room(labels: Sequence[str], size: MediumSize) -> float:
    """Pixels the unit labels take left of the plot: the longest label, the axis' label
    padding (2 px, no ticks) and a pixel to spare for rounding."""
    return max((text_width(x, size.font) for x in labels), default=0) + 4


def _legend(title: str, labels: Sequence[str], size: MediumSize, room: float) -> Any:
    """The colour legend above the chart: one entry a line for a report page; on a wall, where
    height runs out first, the entries in a row (as many columns as *room* pixels hold)."""
    import altair as alt

    if not size.side_by_side:
        return alt.Legend(title=title, orient="top", direction="vertical")
    item = max((text_width(x, size.font) for x in labels), default=0) + 2 * size.font + 4

    def columns(width: float) -> int:
        return max(1, min(len(labels), int((width + size.font) // item)))  # no gap after last

    beside = columns(room - text_width(title, size.font, bold=True) - size.font)
    above = columns(room)
    # the title left of the entries, unless above them the entries take fewer rows in all
    if 1 + math.ceil(len(labels) / above) < math.ceil(len(labels) / beside):
        return alt.Legend(title=title, orient="top", direction="horizontal", columns=above,
                          columnPadding=size.font)
    return alt.Legend(title=title, orient="top", direction="horizontal", columns=beside,
                      titleOrient="left", columnPadding=size.font, titlePadding=size.font)


def _fit_rows(size: MediumSize, rows: Sequence[int], side: bool) -> MediumSize:
    """*size* with bands narrow enough for *rows* bars per panel to fit in
    :data:`PROJECTOR_BOX` on a wall (a bloc of up to 20 units), never below one text line
    (the labels stay at full size); other media are returned unchanged.

    >>> from thidua_rank.charts.style import medium_size
    >>> wall = medium_size("projector")
    >>> _fit_rows(wall, [10], False).step, _fit_rows(wall, [20], False).step
    (34, 29)
    >>> _fit_rows(medium_size("report"), [40], False).step
    22
    """
    if not size.side_by_side or not rows:
        return size
    room = PROJECTOR_BOX[1] - _chrome(size, 1 if side else len(rows), titled=len(rows) > 1)
    bars = max(rows) if side else sum(rows)  # in the tallest column
    line = math.ceil(size.font * 1.2)  # one label line: the band cannot be thinner
    return replace(size, step=max(line, min(size.step, math.floor(room / bars))))


def _chrome(size: MediumSize, stacked: int, *, titled: bool) -> float:
    """Estimated height of a chart but for its bars, with *stacked* panels one above the other:
    the caption and the legend, each panel's x axis (and its two-line title when *titled*),
    and the gaps between panels."""
    panel = 2.5 * size.subtitle * 1.25 + 3 * size.font * 1.25 if titled else \
        2 * size.font * 1.25
    caption = 12 + size.title * 1.25 + 3 * size.subtitle * 1.25 + 2 * size.font * 1.25
    return caption + stacked * panel + (stacked - 1) * size.font * 1.5


def _side_by_side(size: MediumSize, rows: Sequence[int]) -> bool:
    """Whether panels of *rows* bars each go side by side: on a wall (``size.side_by_side``)
    when one above the other they would be taller than :data:`PROJECTOR_BOX` (estimated:
    bands, two-line panel titles, x axes, the caption and the legend)."""
    if not size.side_by_side or len(rows) < 2:
        return False
    return sum(rows) * size.step + _chrome(size, len(rows), titled=True) > PROJECTOR_BOX[1]


def _arrange(panels: Sequence[Any], size: MediumSize, side: bool) -> Any:
    """Panels one above the other, or two a row when *side* (see :func:`_side_by_side`)."""
    import altair as alt

    if side and len(panels) > 1:
        return alt.concat(*panels, columns=2, spacing=size.font * 2)
    return alt.vconcat(*panels, spacing=size.font * 1.5)


def _panel_width(size: MediumSize, side: bool) -> float:
    """The whole width of one panel (labels included) laid out by :func:`_arrange`."""
    return (size.width - size.font * 2) / 2 if side else size.width


def _overhang(bars: Sequence[_Bar], size: MediumSize) -> float:
    """Half the width of the x axis' last label, which may sit just inside the axis' end and
    stick out of a panel whose width is set (a fitted view accounts for it itself)."""
    top = max((b.value for b in bars), default=1.0) * 1.5
    return text_width("0" * len(f"{top:,.0f}"), size.font) / 2 + 1


def _text_gap(size: MediumSize) -> float:
    return size.font / 2 + 4


def _fit_plot(bars: Sequence[_Bar], available: float, size: MediumSize) -> float:
    """Width of the bars' area so that bars and value labels fit in *available* pixels: a bar
    takes at least a quarter of the area, so a label longer than three quarters runs past the
    area's end, and the area is narrowed by that much."""
    longest = max((text_width(b.text, size.font) + _text_gap(size) for b in bars), default=0)
    if longest <= 0.75 * available:
        return available
    return max(available / 4, 4 * (available - longest))


def _x_max(bars: Sequence[_Bar], plot_width: float, size: MediumSize,
           floor: float = 0, rules: Sequence[float] = ()) -> float:
    """The axis' end, far enough that every value label fits right of its bar (or right of a
    threshold line its label would cross, see :func:`_bar_panel`)."""
    top = max([floor, *(b.value for b in bars)]) or 1.0
    for _ in range(2 if rules else 1):
        need = top
        for b in bars:
            width = text_width(b.text, size.font) + _text_gap(size)
            start = b.value
            end = b.value + width * top / plot_width
            start = max([start, *(r for r in rules if b.value < r < end)])
            room = plot_width - width
            if start > 0:
                need = max(need, start * plot_width / max(room, plot_width / 4))
        top = need
    return top


def _bar_panel(bars: Sequence[_Bar], size: MediumSize, *, axis_title: str,
               colours: Sequence[tuple[str, str]], legend_title: str | None, x_max: float,
               plot: float, rules: Sequence[float] = (), title: Any = None,
               width: float | None = None) -> Any:
    """Horizontal bars in the given order with the value written right of each bar, coloured by
    group, and dashed vertical rules (thresholds); *plot* is the bars' area in pixels (where the
    value labels go), *width* the view's width when it is not fitted to the medium."""
    import altair as alt

    def text_at(b: _Bar) -> float:
        """Where the value label starts: after a threshold line it would otherwise cross."""
        end = b.value + (text_width(b.text, size.font) + _text_gap(size)) * x_max / plot
        crossed = [r for r in rules if b.value < r < end]
        return max([b.value, *crossed])

    data = [{"label": b.label, "value": b.value, "text": b.text, "group": b.group,
             "tied": b.tied, "text_at": text_at(b)} for b in bars]
    order = [b.label for b in bars]
    scale = alt.Scale(domain=[0, x_max], nice=False, zero=True)
    base = alt.Chart(alt.Data(values=data)).encode(
        y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=0, ticks=False)),
        x=alt.X("value:Q", title=axis_title, scale=scale,
                axis=alt.Axis(tickMinStep=1, grid=True, labelFlush=True)))
    room = size.width - 12 - _label_room(order, size)
    legend = (_legend(legend_title, [g for g, _ in colours], size, room)
              if legend_title is not None else None)
    bar = base.mark_bar(height={"band": 0.75}).encode(color=alt.Color(
        "group:N", scale=alt.Scale(domain=[g for g, _ in colours],
                                   range=[c for _, c in colours]), legend=legend))
    text = base.mark_text(align="left", baseline="middle", dx=size.font / 2).encode(
        text="text:N", x=alt.X("text_at:Q", scale=scale))
    layers = [bar, text]
    for value in rules:
        layers.append(alt.Chart(alt.Data(values=[{"value": value}])).mark_rule(
            color=THRESHOLD_COLOUR, strokeDash=[8, 5], strokeWidth=max(2, size.font / 8)
        ).encode(x=alt.X("value:Q", scale=scale)))
    props: dict[str, Any] = {"height": alt.Step(size.step)}
    if title is not None:
        props["title"] = title
    if width is not None:
        props["width"] = width
    return alt.layer(*layers).properties(**props)


# --- the meeting's ranking ------------------------------------------------------------------


def _tiers(outcome: MeetingOutcome, lang: Language) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each awarded unit's tier label, and (label, colour) of the tiers in the chart plus "no
    award" grey; a tier keeps the colour of its place in the configuration."""
    labels: dict[str, str] = {}
    colours: list[tuple[str, str]] = []
    order = [t.id for t in outcome.meeting.config.tiers]
    for award in outcome.awards:
        tier = award.tier
        label = tier.label_en if lang == "en" and tier.label_en else tier.label
        for u in award.units:
            labels[u.unit] = label
        if award.units:
            index = order.index(tier.id) if tier.id in order else len(colours)
            colours.append((label, TIER_COLOURS[index % len(TIER_COLOURS)]))
    if len(labels) < len(outcome.ranking.units):
        colours.append((_w("no_award", lang), NO_AWARD_COLOUR))
    return labels, colours


def _ranked_bars(result: RankResult, units: Sequence[str], values: dict[str, Any],
                 groups: dict[str, str], lang: Language, decimals: int | None = None
                 ) -> list[_Bar]:
    """Bars of *units* in place order, labelled "place. unit" (and the joint place)."""
    ranks = {r["unit"]: int(r["rank"]) for r in result.to_dicts()}
    shared = Counter(ranks.values())
    bars = []
    for unit in sorted(units, key=lambda u: (ranks[u], result.units.index(u))):
        place = ranks[unit]
        joint = shared[place] > 1
        label = f"{place}. {unit}"
        if joint:
            label += f" — {place_name(place, joint=True, lang=lang)}"
        value = Fraction(values[unit])
        bars.append(_Bar(label, float(value), _number(value, lang, decimals), groups[unit],
                         joint))
    return bars


def _decimals(method: str) -> int | None:
    return 3 if method == "combined" else None


def _scale_note(outcome: MeetingOutcome, method: str, lang: Language) -> str:
    """What a scale is out of: the criteria maximum, or the number of valid ballots."""
    if method == "weighted_sum" and outcome.meeting.scores is not None:
        top = outcome.meeting.scores.nominal_max
        return _w("scale_of", lang, max=_number(top, lang))
    vote_round = outcome.meeting.config.ranking.vote_round
    count = next((r for r in outcome.rounds if r.id == vote_round), None)
    if method not in ("weighted_sum", "combined") and count is not None:
        return _w("ballots_of", lang, n=count.valid)
    return ""


def outcome_chart(outcome: MeetingOutcome, *, lang: Language = "vi",
                  medium: Medium = "report", title: str | None = None) -> Any:
    """The meeting's ranking as horizontal bars, best first, coloured by the proposed award.

    Each bar is labelled "place. unit", and a joint place is written beside every unit that
    shares it ("3. Trường Chính trị tỉnh — Đồng hạng ba"); the value right of the bar has the
    decimal comma; the legend lists the award tiers as the meeting configured them and "Không
    khen thưởng" in grey. The caption names the bloc, the year and the scale ("Tổng điểm chấm",
    "Điểm Borda", "Số phiếu", …).

    A meeting whose vote ranks only the units that passed a score gate (Phú Thọ: Borda points
    for the units at or above 90 criteria points, criteria points for the others) has two
    scales; they are never put on one axis. The chart then has two panels, one above the other,
    each with its own axis: the units that passed the gate by their Borda points, then the
    others by their criteria points, the places running on from one panel to the next. Two
    panels keep the bars comparable within each scale, which a single panel with only places
    could not show. On the projector the two panels stand side by side when one above the other
    would not fit in :data:`~thidua_rank.charts.style.PROJECTOR_BOX` (Phú Thọ's 16 units).

    Parameters
    ----------
    outcome
        What :func:`thidua_rank.run_meeting` returned.
    lang
        ``"vi"`` (decimal comma) or ``"en"``.
    medium
        ``"report"`` (680 px wide, no text under 12 px: 8 pt at 16 cm) or ``"projector"``
        (about 1 700 px wide, no text under 24 px, shown at its natural width).
    title
        The caption's first line; by default "Kết quả xếp hạng thi đua năm … — <bloc>".

    Returns
    -------
    altair chart
        Render it with :func:`~thidua_rank.charts.save_chart` or
        :func:`~thidua_rank.charts.chart_png`.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import data_folder
    >>> folder = data_folder("sample_data") / "phu-tho-van-hoa-xa-hoi-2020"
    >>> spec = outcome_chart(tr.run_meeting(tr.load_meeting(folder))).to_dict()
    >>> [panel["layer"][0]["encoding"]["x"]["title"] for panel in spec["vconcat"]]
    ['Điểm Borda', 'Tổng điểm chấm']
    >>> spec["vconcat"][0]["data"]["values"][2]["text"]
    '107,50'
    """
    import altair as alt

    check_lang(lang)
    size = medium_size(medium)
    info = outcome.meeting.config.meeting
    if title is None:
        key = "ranking_title" if info.year_reviewed else "ranking_title_no_year"
        title = _w(key, lang, year=info.year_reviewed, bloc=info.bloc)
    groups_of, colours = _tiers(outcome, lang)
    ranking = outcome.ranking
    groups = {u: groups_of.get(u, _w("no_award", lang)) for u in ranking.units}
    legend = _w("tier", lang)
    method = ranking.method
    if not method.startswith("score_gate_vote") or outcome.vote_result is None \
            or outcome.score_result is None:
        bars = _ranked_bars(ranking, ranking.units, dict(ranking.exact), groups, lang,
                            _decimals(method))
        size = _fit_rows(size, [len(bars)], False)
        plot = _fit_plot(bars, size.width - _label_room([b.label for b in bars], size) - 12,
                         size)
        scale = scale_name(method, lang)
        note = _scale_note(outcome, method, lang)
        caption = _caption(title, [f"{scale}{f' ({note})' if note else ''}; "
                                   f"{_w('colour_by_tier', lang)}"], size)
        chart = _bar_panel(bars, size, axis_title=scale, colours=colours, legend_title=legend,
                           x_max=_x_max(bars, plot, size), plot=plot, title=caption,
                           width=size.width)
        return _configure(chart, size, lang, fit=True)
    vote, score = outcome.vote_result, outcome.score_result
    passed = set(ranking.details.get("passed_gate", vote.units))
    gate = _number(Fraction(outcome.meeting.config.ranking.gate_min_score or 0), lang)
    inside = [u for u in ranking.units if u in passed]
    outside = [u for u in ranking.units if u not in passed]
    bars_in = _ranked_bars(ranking, inside, dict(vote.exact), groups, lang)
    bars_out = _ranked_bars(ranking, outside, dict(score.exact), groups, lang)
    labels = [b.label for b in (*bars_in, *bars_out)]
    side = _side_by_side(size, [len(bars) for bars in (bars_in, bars_out) if bars])
    size = _fit_rows(size, [len(bars) for bars in (bars_in, bars_out) if bars], side)
    whole = _panel_width(size, side)
    plot = _fit_plot([*bars_in, *bars_out], whole - _label_room(labels, size) - 12
                     - _overhang([*bars_in, *bars_out], size), size)
    panels = []
    for bars, method_, key in ((bars_in, vote.method, "gate_in"),
                               (bars_out, score.method, "gate_out")):
        if not bars:
            continue
        scale = scale_name(method_, lang)
        note = _scale_note(outcome, method_, lang)
        head = _w(key, lang, gate=gate, scale=scale) + (f" ({note})" if note else "")
        panel_title = alt.Title(wrap_text(head, size.subtitle, whole - 24),
                                fontSize=size.subtitle, fontWeight="normal")
        panels.append(_bar_panel(bars, size, axis_title=scale, colours=colours,
                                 legend_title=legend if not panels else None,
                                 x_max=_x_max(bars, plot, size), plot=plot,
                                 title=panel_title, width=plot))
    caption = _caption(title, [f"{_w('gate_note', lang)}; {_w('colour_by_tier', lang)}"], size)
    chart = _arrange(panels, size, side).resolve_scale(
        color="shared", x="independent").properties(title=caption)
    return _configure(chart, size, lang, fit=False)


# --- elections ------------------------------------------------------------------------------


def _denominator_words(name: str, lang: Language) -> str:
    from thidua_rank.meeting.elections import DENOMINATOR_WORDS

    vi, en = DENOMINATOR_WORDS.get(name, (name, name))
    return en if lang == "en" else vi


def _status_colours(present: set[str], lang: Language) -> list[tuple[str, str]]:
    order = [("elected", ELECTED_COLOUR), ("continuing", CONTINUING_COLOUR),
             ("not_elected", NOT_ELECTED_COLOUR), ("eliminated", ELIMINATED_COLOUR),
             ("excluded", ELIMINATED_COLOUR)]
    return [(_w(k, lang), c) for k, c in order if _w(k, lang) in present]


def _result_line(election: Election, lang: Language) -> str:
    if election.unfilled:
        return election.unfilled_text(lang)
    role = election.role_en if lang == "en" else election.role
    return _w("result", lang, role=role, units=", ".join(election.elected))


def _scale_line(scale: str, bloc: str | None, year: int | None, lang: Language) -> str:
    """The caption line naming the bloc, the year and the scale ("…, năm 2022 — thang: …")."""
    if not bloc:
        return scale[:1].upper() + scale[1:]
    where = _w("bloc_year", lang, bloc=bloc, year=year) if year else bloc
    return f"{where} — {scale}"


def _election_title(election: Election, lang: Language) -> str:
    if lang == "en":
        return f"Election of the {election.role_en}: {election.title}"
    return election.title


def election_chart(election: Election, *, lang: Language = "vi",
                   medium: Medium = "report", bloc: str | None = None,
                   year: int | None = None) -> Any:
    """Votes per candidate of a head or deputies round, with the threshold and who was elected.

    For an approval or choice round: one bar per candidate (most votes first) labelled
    "votes/denominator (share)" and "trúng cử" for the elected; the threshold is drawn as a
    dashed line at the votes it takes on the named denominator (over 50% of 10 units present:
    the line at 5), and the axis runs to that denominator. For instant runoff: one panel per
    count with the first preferences of the candidates still in, the eliminated marked, and the
    dashed line at half the ballots still live (a majority is more than that).

    Parameters
    ----------
    election
        One of :func:`thidua_rank.meeting.elections.elections`.
    lang, medium
        As for :func:`outcome_chart`.
    bloc, year
        Named in the caption with the scale when given (:func:`report_charts` gives the
        meeting's bloc and year reviewed).

    Returns
    -------
    altair chart

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.meeting.elections import elections
    >>> from thidua_rank.resources import data_folder
    >>> folder = data_folder("sample_data") / "gia-lai-so-nganh-tong-hop-2023"
    >>> head = elections(tr.run_meeting(tr.load_meeting(folder)))[0]
    >>> spec = election_chart(head).to_dict()
    >>> [(v["label"], v["text"]) for v in spec["layer"][0]["data"]["values"]]
    [('Ngân hàng Nhà nước chi nhánh tỉnh Gia Lai', '9/10 (90,00%) — trúng cử'), \
('Cục Thuế tỉnh', '1/10 (10,00%)')]
    >>> spec["layer"][2]["data"]["values"]
    [{'value': 5.0}]
    """
    check_lang(lang)
    size = medium_size(medium)
    if election.is_instant_runoff:
        return _runoff_chart(election, lang, size, _scale_line(_w("scale_irv", lang), bloc,
                                                               year, lang))
    elected_word = _w("elected", lang)
    present: set[str] = set()
    bars = []
    ordered = sorted(enumerate(election.candidates), key=lambda p: (-p[1].votes, p[0]))
    for _, c in ordered:
        status = ("excluded" if c.excluded else "elected" if c.elected else "not_elected")
        present.add(_w(status, lang))
        text = f"{c.votes}/{c.denominator} ({_percent(c.share, lang)})"
        if c.elected:
            text += f" — {elected_word}"
        bars.append(_Bar(c.unit, float(c.votes), text, _w(status, lang)))
    first = election.candidates[0] if election.candidates else None
    den = first.denominator if first else 0
    what = _denominator_words(first.denominator_name, lang) if first else ""
    th = election.threshold
    rules: list[float] = []
    if th is not None and first is not None:
        line = Fraction(th.share) * den
        rules.append(float(line))
        key = "threshold_gt" if th.comparison == ">" else "threshold_ge"
        rule_text = _w(key, lang, share=_percent(Fraction(th.share), lang), den=den,
                       what=what, votes=_number(line, lang))
    else:
        rule_text = _w("no_threshold", lang)
    plot = _fit_plot(bars, size.width - _label_room([b.label for b in bars], size) - 12, size)
    scale = _scale_line(_w("scale_votes", lang, den=den, what=what), bloc, year, lang)
    caption = _caption(_election_title(election, lang),
                       [scale, rule_text, _result_line(election, lang)], size)
    chart = _bar_panel(bars, size, axis_title=_w("votes_of", lang, den=den, what=what),
                       colours=_status_colours(present, lang), legend_title=_w("status", lang),
                       x_max=_x_max(bars, plot, size, floor=den, rules=rules), plot=plot,
                       rules=rules, title=caption, width=size.width)
    return _configure(chart, size, lang, fit=True)


def _runoff_chart(election: Election, lang: Language, size: MediumSize, scale: str) -> Any:
    import altair as alt

    counts = election.counts
    last = counts[-1].number if counts else 0
    present: set[str] = set()
    panels_bars = []
    for k in counts:
        bars = []
        for unit, votes in sorted(k.tallies, key=lambda t: -t[1]):
            if unit in k.eliminated:
                status = "eliminated"
            elif k.number == last and unit in election.elected:
                status = "elected"
            elif k.number == last:
                status = "not_elected"
            else:
                status = "continuing"
            present.add(_w(status, lang))
            share = Fraction(votes, k.live) if k.live else Fraction(0)
            text = f"{votes}/{k.live} ({_percent(share, lang)})"
            if status in ("eliminated", "elected"):
                text += f" — {_w(status, lang)}"
            bars.append(_Bar(unit, float(votes), text, _w(status, lang)))
        panels_bars.append((k, bars))
    labels = [b.label for _, bars in panels_bars for b in bars]
    side = _side_by_side(size, [len(bars) for _, bars in panels_bars])
    whole = _panel_width(size, side)
    every = [b for _, bars in panels_bars for b in bars]
    plot = _fit_plot(every, whole - _label_room(labels, size) - 12 - _overhang(every, size),
                     size)
    top = max((k.live for k in counts), default=1)
    x_max = max(_x_max(bars, plot, size, floor=top, rules=[k.live / 2])
                for k, bars in panels_bars)
    colours = _status_colours(present, lang)
    panels = []
    for k, bars in panels_bars:
        head = _w("count", lang, n=k.number, live=k.live, half=_number(Fraction(k.live, 2), lang))
        panel_title = alt.Title(wrap_text(head, size.subtitle, whole - 24),
                                fontSize=size.subtitle, fontWeight="normal")
        panels.append(_bar_panel(bars, size, axis_title=_w("votes", lang), colours=colours,
                                 legend_title=_w("status", lang) if not panels else None,
                                 x_max=x_max, plot=plot, rules=[k.live / 2],
                                 title=panel_title, width=plot))
    caption = _caption(_election_title(election, lang),
                       [scale, _w("irv", lang), _result_line(election, lang)], size)
    chart = _arrange(panels, size, side).resolve_scale(color="shared").properties(title=caption)
    return _configure(chart, size, lang, fit=False)


# --- criteria -------------------------------------------------------------------------------


def criteria_chart(outcome: MeetingOutcome, *, lang: Language = "vi",
                   medium: Medium = "report") -> Any:
    """Points of each unit on each criterion: a heatmap, units (in the meeting's order) by
    criteria, each cell with its points; items coloured by their share of the criterion's
    maximum, bonus and deduction columns and the criteria total left uncoloured.

    Parameters
    ----------
    outcome
        What :func:`thidua_rank.run_meeting` returned, for a meeting with a criteria score
        sheet (``criteria.csv`` and ``scores.csv``); any other is a bilingual
        :class:`~thidua_rank.errors.InputError`.
    lang, medium
        As for :func:`outcome_chart`.

    Returns
    -------
    altair chart

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import data_folder
    >>> folder = data_folder("sample_data") / "gia-lai-so-nganh-tong-hop-2023"
    >>> spec = criteria_chart(tr.run_meeting(tr.load_meeting(folder))).to_dict()
    >>> [v["text"] for v in spec["data"]["values"] if v["unit"] == "Cục Thuế tỉnh"][-1]
    '98,5'
    """
    import altair as alt

    check_lang(lang)
    size = medium_size(medium)
    sheet = outcome.meeting.scores
    if sheet is None:
        raise InputError("hội nghị này không chấm điểm theo tiêu chí (không có bảng điểm), "
                         "nên không có biểu đồ điểm từng tiêu chí",
                         "this meeting has no criteria score sheet, so there is no chart of "
                         "points per criterion", value=outcome.meeting.config.meeting.id)
    resolved = sheet.resolve()
    sign = {"item": "", "bonus": "+", "deduction": "−"}
    columns = [(c.id, f"{c.id}|({sign[c.kind]}{_short(Fraction(c.max_points), lang)})", c)
               for c in sheet.criteria]
    total_head = f"{_w('total', lang)}|({_short(sheet.nominal_max, lang)})"
    units = list(outcome.ranking.units)
    rows = []
    for unit in units:
        s = resolved[unit]
        for cid, head, c in columns:
            points = Fraction(s.points[cid])
            top = Fraction(c.max_points)
            share = float(points / top) if c.kind == "item" and top else None
            text = _short(points, lang)
            if c.kind == "deduction" and points:
                text = f"−{text}"
            rows.append({"unit": unit, "column": head, "text": text, "share": share})
        rows.append({"unit": unit, "column": total_head, "text": _short(s.total, lang),
                     "share": None})
    heads = [h for _, h, _ in columns] + [total_head]
    cell = max([text_width(r["text"], size.font) for r in rows]
               + [text_width(p, size.font) for h in heads for p in h.split("|")]) + 6
    cells = cell * len(heads)
    # unit names wrap onto two lines when one line leaves the cells too little room
    room = size.width - 12 - cells - size.font - 12
    labels = {u: _two_lines(u, size.font) if text_width(u, size.font) > room else u
              for u in units}
    lines = max(label.count("|") + 1 for label in labels.values())
    step = max(size.step, round(lines * size.font * 1.2 + size.font / 2)) if lines > 1 \
        else size.step
    for r in rows:
        r["label"] = labels[r["unit"]]
    plot = max(cells, size.width - _label_room([x for v in labels.values()
                                                for x in v.split("|")], size) - 12)
    low = min((r["share"] for r in rows if r["share"] is not None), default=0.0)
    low = min(0.8, math.floor(low * 10) / 10)
    half_line = size.font * 0.6  # a two-line label is centred on its row
    y = alt.Y("label:N", sort=[labels[u] for u in units], title=None, axis=alt.Axis(
        labelLimit=0, ticks=False, domain=False, labelExpr="split(datum.label, '|')",
        labelLineHeight=size.font * 1.2, labelOffset=alt.ExprRef(
            f"indexof(datum.label, '|') >= 0 ? {-half_line} : 0")))
    x = alt.X("column:N", sort=heads, title=None, axis=alt.Axis(
        orient="top", labelAngle=0, labelExpr="split(datum.label, '|')", ticks=False,
        domain=False, labelLineHeight=size.font * 1.2, labelBaseline="bottom",
        labelPadding=size.font * 1.2 + 4))
    base = alt.Chart(alt.Data(values=rows)).encode(y=y, x=x)
    plain = base.mark_rect(color="#eceff1", stroke="white").transform_filter(
        "datum.share == null")
    coloured = base.mark_rect(stroke="white").encode(color=alt.Color(
        "share:Q", scale=alt.Scale(domain=[low, 1], scheme="blues", clamp=True),
        legend=alt.Legend(title=_w("share", lang), format=".0%", orient="top",
                          direction="horizontal", gradientLength=size.font * 12,
                          gradientThickness=size.font))).transform_filter("datum.share != null")
    text = base.mark_text(baseline="middle").encode(
        text="text:N",
        color=alt.condition(f"datum.share != null && datum.share > {(low + 1) / 2}",
                            alt.value("white"), alt.value("black")))
    info = outcome.meeting.config.meeting
    caption = _caption(_w("criteria_title", lang, year=info.year_reviewed or "", bloc=info.bloc),
                       [_w("criteria_sub", lang)], size)
    chart = alt.layer(plain, coloured, text).properties(
        width=plot, height=alt.Step(step), title=caption)
    return _configure(chart, size, lang, fit=False)


# --- every chart of a meeting ---------------------------------------------------------------

OUTCOME_STEM = "ket-qua"
CRITERIA_STEM = "tieu-chi"
ELECTION_STEMS = {"head": "bau-truong-khoi", "deputies": "bau-pho-truong-khoi"}
"""File stems (ASCII) of a meeting's charts: ``ket-qua`` (the ranking by award tier),
``bau-truong-khoi`` / ``bau-pho-truong-khoi`` (the head and deputies elections; a re-vote of
the same office adds ``-lan-2``, ``-lan-3`` …) and ``tieu-chi`` (points per criterion)."""


def report_charts(outcome: MeetingOutcome, *, lang: Language = "vi",
                  medium: Medium = "report") -> dict[str, Any]:
    """Every chart of a meeting by its file stem, in the order a report shows them: the ranking
    (:func:`outcome_chart`), one :func:`election_chart` per head or deputies round, and the
    :func:`criteria_chart` when the meeting has a criteria score sheet.

    Parameters
    ----------
    outcome
        What :func:`thidua_rank.run_meeting` returned.
    lang, medium
        As for :func:`outcome_chart`.

    Returns
    -------
    dict
        File stem (ASCII, see :data:`ELECTION_STEMS`) → altair chart; ``thidua-rank charts``
        writes each as ``<stem>.png`` / ``.svg`` / ``.pdf``.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import data_folder
    >>> folder = data_folder("sample_data") / "ninh-binh-co-quan-dang-2022"
    >>> list(report_charts(tr.run_meeting(tr.load_meeting(folder))))
    ['ket-qua', 'bau-truong-khoi', 'bau-pho-truong-khoi', 'tieu-chi']
    """
    from thidua_rank.meeting.elections import elections

    check_lang(lang)
    medium_size(medium)
    info = outcome.meeting.config.meeting
    charts = {OUTCOME_STEM: outcome_chart(outcome, lang=lang, medium=medium)}
    rounds: Counter[str] = Counter()
    for election in elections(outcome):
        rounds[election.decides] += 1
        stem = ELECTION_STEMS[election.decides]
        if rounds[election.decides] > 1:
            stem += f"-lan-{rounds[election.decides]}"
        charts[stem] = election_chart(election, lang=lang, medium=medium, bloc=info.bloc,
                                      year=info.year_reviewed)
    if outcome.meeting.scores is not None:
        charts[CRITERIA_STEM] = criteria_chart(outcome, lang=lang, medium=medium)
    return charts


# --- a plain ranking (notebooks) -----------------------------------------------------------


def result_chart(result: RankResult, *, title: str = "", awarded: set[str] | None = None,
                 value_label: str = "Điểm", width: int | None = None, lang: Language = "vi",
                 medium: Medium = "report") -> Any:
    """Horizontal bars of any ranking's scores, best first; awarded units highlighted in red
    (no tiers), values with the decimal comma (``lang="vi"``).

    For a meeting's result with tiers, joint places and a caption use :func:`outcome_chart`.

    Parameters
    ----------
    result
        Any :class:`~thidua_rank.RankResult`.
    title
        The chart's title.
    awarded
        Units drawn in red; all units when ``None``.
    value_label
        The axis title: what the score is ("Điểm Borda").
    width
        Width of the bars' area in pixels (default: 640 for a report; on a wall, what the
        medium's width leaves beside the unit names).
    lang
        ``"vi"`` (decimal comma) or ``"en"``.
    medium
        ``"report"`` (12 px text) or ``"projector"`` (24 px text, about 1 700 px wide, bands
        narrowed for a large bloc to fit :data:`~thidua_rank.charts.style.PROJECTOR_BOX`).

    Examples
    --------
    >>> import thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1], [0, 1, 2]],
    ...                            units=["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"])
    >>> spec = result_chart(tr.rank(b, method="dowdall"), awarded={"Sở Y tế"}).to_dict()
    >>> [(v["label"], v["text"], v["group"]) for v in spec["data"]["values"]]
    [('Sở Y tế', '3,50', 'award'), ('Sở Tư pháp', '2,33', 'other'), ('Sở Nội vụ', '1,50', 'other')]
    >>> wall = result_chart(tr.rank(b, method="dowdall"), medium="projector").to_dict()
    >>> wall["config"]["axis"]["labelFontSize"], wall["height"]
    (24, {'step': 34})
    """
    import altair as alt

    check_lang(lang)
    size = medium_size(medium)
    bars = []
    for r in result.to_dicts():
        unit = r["unit"]
        group = "award" if awarded is None or unit in awarded else "other"
        value = Fraction(result.exact[unit])
        bars.append(_Bar(unit, float(value), _number(value, lang, 2 if any(
            Fraction(v).denominator != 1 for v in result.exact.values()) else 0), group))
    if width is None:
        width = 640 if medium == "report" else round(_fit_plot(
            bars, size.width - _label_room([b.label for b in bars], size) - 12, size))
    size = _fit_rows(size, [len(bars)], False)
    chart = _bar_panel(bars, size, axis_title=value_label, colours=list(PALETTE.items()),
                       legend_title=None, x_max=_x_max(bars, width, size), plot=width,
                       title=alt.Title(title) if title else None, width=width)
    return _configure(chart, size, lang, fit=False)
