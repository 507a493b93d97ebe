"""What every chart shares: the Vietnamese number locale, the tier colours, the labels of the
analysis charts in both languages, and the finishing touches (font, locale, full unit names)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from thidua_rank.charts.render import chart_font
from thidua_rank.errors import InputError

if TYPE_CHECKING:
    import altair as alt

    from thidua_rank._typing import Language

PALETTE = {"award": "#c62828", "other": "#90a4ae"}

VI_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3],
                        "currency": ["", " ₫"]}}
"""d3-format locale for Vietnamese charts: every axis, legend and label number gets a decimal
comma and a thousands dot."""

TIER_COLOURS = ("#c62828", "#ef6c00", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a")
NO_AWARD_COLOUR = "#b0bec5"

_WORDS: dict[str, tuple[str, str]] = {
    "unit": ("Đơn vị", "Unit"),
    "opponent": ("so với đơn vị", "against unit"),
    "margin": ("Hiệu số phiếu", "Ballot margin"),
    "pairwise": ("Hiệu số phiếu từng cặp (hàng hơn cột)",
                 "Pairwise ballot margins (row over column)"),
    "method": ("Phương pháp", "Method"),
    "place": ("Hạng", "Place"),
    "tier": ("Danh hiệu", "Award"),
    "no_award": ("Không khen thưởng", "No award"),
    "bump": ("Hạng của từng đơn vị theo các phương pháp", "Places of each unit by method"),
    "probability": ("Xác suất", "Probability"),
    "rank_probability": ("Xác suất đạt từng hạng khi trọng số thay đổi",
                         "Probability of each place under uncertain weights"),
    "ballots": ("Số phiếu phải đổi", "Ballots to change"),
    "weights": ("Mức đổi trọng số", "Change of the weights"),
    "cutoff": ("Khoảng cách tới ngưỡng khen thưởng", "Margins at the award cut-offs"),
    "out": ("đang đạt — có thể mất", "awarded — could lose it"),
    "in": ("chưa đạt — có thể được", "not awarded — could gain it"),
    "not_found": ("không tìm thấy trong giới hạn", "not found within the bound"),
    "no_weight": ("không đổi được bằng trọng số", "no weight change does it"),
    "direction": ("Vị trí", "Position"),
    "distance": ("Khoảng cách tới thứ tự chung", "Distance from the consensus order"),
    "distance_title": ("Khoảng cách của từng phiếu tới thứ tự chung",
                       "Distance of each ballot from the consensus order"),
    "ballot": ("Phiếu số {}", "Ballot no. {}"),
    "outlier": ("Khác thường", "Outlier"),
    "usual": ("Bình thường", "Usual"),
    "count": ("Số phiếu", "Ballots"),
}


def word(key: str, lang: Language) -> str:
    """The label *key* of the analysis charts in *lang*."""
    vi, en = _WORDS[key]
    return en if lang == "en" else vi


def check_lang(lang: str) -> None:
    """Refuse a language other than ``vi`` and ``en`` with a bilingual error."""
    if lang not in ("vi", "en"):
        raise InputError("ngôn ngữ phải là 'vi' hoặc 'en'", "lang must be 'vi' or 'en'",
                         column="lang", value=lang)


def finish(chart: alt.TopLevelMixin, lang: Language) -> alt.TopLevelMixin:
    """Font, and for Vietnamese the decimal comma, on a finished chart."""
    if lang == "vi":
        return chart.configure(font=chart_font(), locale=VI_LOCALE)
    return chart.configure(font=chart_font())


def unit_axis(**kwargs: Any) -> Any:
    import altair as alt

    return alt.Axis(labelLimit=0, **kwargs)  # full unit names, never cut with "…"


def tier_scale(labels: list[str], lang: Language) -> Any:
    """Colour scale of award tiers (in order), with grey for no award."""
    import altair as alt

    domain = [*labels, word("no_award", lang)]
    colours = [TIER_COLOURS[i % len(TIER_COLOURS)] for i in range(len(labels))]
    return alt.Scale(domain=domain, range=[*colours, NO_AWARD_COLOUR])


def method_name(method: str, lang: Language) -> str:
    """The registered name of a method in *lang* (its id when it is not registered)."""
    from thidua_rank.errors import ThiduaRankError
    from thidua_rank.methods import method_info

    try:
        info = method_info(method)
    except ThiduaRankError:
        return method
    return info.name_en if lang == "en" else info.name_vi


# --- sizes per medium (report pages, projector walls) -------------------------------------------

REPORT_WIDTH_CM = 16.0
"""The width the documents give a chart: an A4 text width (210 mm − 30 mm − 20 mm, rounded)."""

POINTS_PER_CM = 72 / 2.54


@dataclass(frozen=True)
class MediumSize:
    """Pixel sizes of a chart for one medium (the chart's whole width, including labels).

    Attributes
    ----------
    width
        Natural width of the whole chart in pixels (axes, labels and legend included).
    font
        The smallest text: axis labels and titles, values, legend.
    title, subtitle
        The caption's sizes.
    step
        Height of one bar's band (one row of a heatmap).
    side_by_side
        Two panels (two scales, two counts of an instant runoff) drawn side by side rather than
        one above the other, and legends laid out in a row: a wall is wider than it is tall.
    """

    width: int
    font: int
    title: int
    subtitle: int
    step: int
    side_by_side: bool = False


MEDIA: dict[str, MediumSize] = {
    # 12 px in 680 px printed 16 cm wide: 12 × 453,5 pt / 680 = 8,0 pt.
    "report": MediumSize(width=680, font=12, title=15, subtitle=12, step=22),
    # shown at its natural width (1 700 px of a 1 920 px wall): labels 24 px, title 34 px; a
    # 24 px line is 28 px high, so 34 px bands leave a gap between labels.
    "projector": MediumSize(width=1700, font=24, title=34, subtitle=26, step=34,
                            side_by_side=True),
}
"""Sizes per medium: ``report`` (A4 text width: no text under 8 pt at 16 cm) and ``projector``
(a 1920×1080 wall, the PNG shown at its natural width: no text under 24 px).

The projector page keeps a title line and a pager around the chart, so a projector chart must
fit in :data:`PROJECTOR_BOX` CSS pixels; the five sample meetings' charts do (tested)."""

PROJECTOR_BOX = (1840, 860)
"""The room a projector chart has on a 1920×1080 wall (width, height in CSS pixels)."""


def medium_size(medium: str) -> MediumSize:
    """The sizes of *medium* (``report`` or ``projector``); anything else is a bilingual error.

    >>> medium_size("report").width, medium_size("projector").font
    (680, 24)
    """
    if medium not in MEDIA:
        raise InputError("medium phải là 'report' (báo cáo A4) hoặc 'projector' (máy chiếu)",
                         "medium must be 'report' (A4 report) or 'projector' (hall display)",
                         column="medium", value=medium)
    return MEDIA[medium]


def printed_points(font_px: float, chart_width_px: float,
                   width_cm: float = REPORT_WIDTH_CM) -> float:
    """Size in points of *font_px* text once a chart *chart_width_px* wide is printed
    *width_cm* wide.

    >>> round(printed_points(12, 680), 2)
    8.0
    """
    return font_px * width_cm * POINTS_PER_CM / chart_width_px


@functools.cache
def _font_file(bold: bool) -> str | None:
    from thidua_rank.fonts import find_font

    font = find_font()
    if font is None or font.name != "DejaVuSans.ttf":
        return None
    bold_file = font.with_name("DejaVuSans-Bold.ttf")
    return str(bold_file if bold and bold_file.exists() else font)


@functools.cache
def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width in pixels of *text* at *size* px in the charts' font (measured with the font file
    when it is DejaVu Sans, else estimated at 0,62 em per character).

    >>> 100 < text_width("Sở Văn hóa - Thể thao và Du lịch", 12) < 260
    True
    """
    path = _font_file(bold)
    if path is None:
        return 0.62 * size * len(text) * (1.08 if bold else 1.0)
    from PIL import ImageFont

    return float(ImageFont.truetype(path, size=max(1, round(size))).getlength(text))


def wrap_text(text: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """*text* broken into lines no wider than *width* px at *size* px (words never cut).

    >>> wrap_text("Kết quả xếp hạng thi đua năm 2022", 12, 120)
    ['Kết quả xếp hạng', 'thi đua năm 2022']
    """
    lines: list[str] = []
    for word_ in text.split():
        if lines and text_width(f"{lines[-1]} {word_}", size, bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {word_}"
        else:
            lines.append(word_)
    return lines or [""]


_SCALES: dict[str, tuple[str, str]] = {
    "weighted_sum": ("Tổng điểm chấm", "Criteria points"),
    "borda": ("Điểm Borda", "Borda points"),
    "approval": ("Số phiếu", "Votes"),
    "plurality": ("Số phiếu", "Votes"),
    "instant_runoff": ("Số phiếu", "Votes"),
    "copeland": ("Điểm Copeland", "Copeland points"),
    "combined": ("Điểm kết hợp (điểm chấm và phiếu bầu, thang 0–1)",
                 "Combined score (criteria points and votes, 0–1)"),
}


def scale_name(method: str, lang: Language = "vi") -> str:
    """What a ranking's score is, by the method that computed it ("Tổng điểm chấm",
    "Điểm Borda", "Số phiếu" …).

    >>> scale_name("weighted_sum"), scale_name("borda", "en"), scale_name("copeland")
    ('Tổng điểm chấm', 'Borda points', 'Điểm Copeland')
    """
    if method in _SCALES:
        vi, en = _SCALES[method]
        return en if lang == "en" else vi
    name = method_name(method, lang)
    return f"Score ({name})" if lang == "en" else f"Điểm ({name})"
