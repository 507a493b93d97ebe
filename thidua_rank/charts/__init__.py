"""Charts (altair), rendered offline by vl-convert for the projector, pages and reports.

One module per concern: :mod:`~thidua_rank.charts.render` (PNG/SVG/PDF, images),
:mod:`~thidua_rank.charts.style` (locale, tier colours, labels),
:mod:`~thidua_rank.charts.results` (a meeting's results) and
:mod:`~thidua_rank.charts.analysis` (the analyses). Unit names are never cut short
(``labelLimit=0``).

>>> import thidua_rank as tr
>>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2]], units=["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ"])
>>> chart = result_chart(tr.rank(b, method="borda"), title="Borda")
>>> chart_png(chart)[:4] == b"\\x89PNG"
True
"""

from thidua_rank.charts.analysis import (
    agreement_chart,
    bootstrap_chart,
    bump_chart,
    cutoff_margin_chart,
    distance_chart,
    pairwise_chart,
    rank_probability_chart,
    sensitivity_chart,
)
from thidua_rank.charts.blocs import bloc_chart
from thidua_rank.charts.render import (
    ChartImage,
    chart_data_uri,
    chart_font,
    chart_image,
    chart_png,
    save_chart,
)
from thidua_rank.charts.results import (
    criteria_chart,
    election_chart,
    outcome_chart,
    report_charts,
    result_chart,
)

__all__ = ["ChartImage", "agreement_chart", "bloc_chart", "bootstrap_chart", "bump_chart",
           "chart_data_uri", "chart_font", "chart_image", "chart_png", "criteria_chart",
           "cutoff_margin_chart", "distance_chart", "election_chart", "outcome_chart",
           "pairwise_chart", "rank_probability_chart", "report_charts", "result_chart",
           "save_chart", "sensitivity_chart"]
