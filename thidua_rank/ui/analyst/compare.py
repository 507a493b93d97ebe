"""Section 1 of the analyst page: every counting method on the round's ballots, side by side,
and how far they agree (Kendall τ-b)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from thidua_rank import analysis
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table
from thidua_rank.ui.base import esc

if TYPE_CHECKING:
    import altair as alt

__all__ = ["COMPARE_LABELS", "CompareSection"]

COMPARE_LABELS: dict[str, Text] = {
    "sec_compare": Text("1. So sánh các phương pháp đếm phiếu", "1. Compare counting methods"),
    "compare_help": Text("Hạng của từng đơn vị theo mỗi phương pháp; «Chênh lệch» là khoảng "
                         "cách giữa hạng tốt nhất và kém nhất của đơn vị. Dòng tô màu: các "
                         "phương pháp không thống nhất.",
                         "Each unit's place under every method; «Spread» is the gap between "
                         "its best and worst place. Shaded rows: the methods disagree."),
    "compare_run": Text("So sánh", "Compare"),
    "what_compare": Text("so sánh {n} phương pháp", "comparing {n} methods"),
    "spread": Text("Chênh lệch", "Spread"),
    "round_method": Text("★ phương pháp của vòng này", "★ this round's method"),
    "agreement_title": Text("Mức thống nhất giữa các phương pháp (Kendall τ-b)",
                            "Agreement between methods (Kendall τ-b)"),
    "one_method": Text("Loại phiếu này chỉ có một phương pháp đếm, nên không có thứ tự nào "
                       "khác để so sánh.", "Only one counting method takes these ballots, so "
                                          "there is no other order to compare."),
}


class CompareSection(Section):
    """Compare the counting methods: a units × methods table and the τ-b heatmap."""

    def _build_compare(self) -> w.VBox:
        self.compare_button = self.analysis_button("compare_run", "tr-analyst-compare-run",
                                                   self.run_compare)
        self.compare_out = w.HTML()
        self.compare_out.add_class("tr-analyst-compare-table")
        self.agreement_out = w.HTML()
        self.agreement_out.add_class("tr-analyst-agreement-chart")
        self.figures["agreement"] = self._agreement_figure
        return w.VBox([self.text("sec_compare", "", "h3"), self.text("compare_help"),
                       self.compare_button, self.compare_out, self.agreement_out])

    def run_compare(self) -> bool:
        """Rank the round's ballots with every method that accepts them; τ-b between them."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        n = len(analysis.ballot_methods(ballots))

        def action() -> None:
            table = analysis.compare(ballots)
            self.results["compare"] = Computed(table, {"round": self.round_select.value})
            self.results["agreement"] = Computed(analysis.agreement(table))
            self._forget_chart("agreement")
            self._render_compare()

        return self._compute(self.compare_button, "compare_run",
                             self.t("what_compare", n=n), action)

    def _render_compare(self) -> None:
        found = self.results.get("compare")
        if found is None:
            self.compare_out.value = self.agreement_out.value = ""
            return
        table = found.table
        methods = [c for c in table.columns if c not in ("unit", "spread")]
        configured = self.meeting.config.round(found.params["round"]).method \
            if self.meeting is not None else None
        header = [self.t("unit"), *[m + (" ★" if m == configured else "") for m in methods],
                  self.t("spread")]
        rows, classes = [], []
        for r in table.to_dicts():
            differs = r["spread"] > 0
            rows.append([r["unit"], *[r[m] for m in methods],
                         (r["spread"], "tr-spread-cell" if differs else "")])
            classes.append("tr-differs" if differs else "")
        legend = " · ".join(f"{m} = {self._method_name(m)}" for m in methods)
        if configured in methods:
            legend += " · " + self.t("round_method")
        self.compare_out.value = (html_table(header, rows, row_classes=classes)
                                  + f"<div class='tr-note'>{esc(legend)}</div>")
        if len(methods) < 2:
            self.agreement_out.value = f"<div class='tr-note'>{esc(self.t('one_method'))}</div>"
        else:
            self.agreement_out.value = self._chart_html("agreement", self.t("agreement_title"))

    def _agreement_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        return charts.agreement_chart(self.results["agreement"].table,
                                      title=self.t("agreement_title"), lang=self.lang)
