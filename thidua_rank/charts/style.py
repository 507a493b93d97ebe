"""What every chart shares: the Vietnamese number locale, the tier colours, the labels of the
analysis charts in both languages, and the finishing touches (font, locale, full unit names)."""

from __future__ import annotations

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
