"""Section 1 of the analyst page: every counting method on the round's ballots, side by side,
how far they agree (Kendall τ-b and Spearman ρ), and the Condorcet winner and loser with the
pairwise margins behind them."""

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
    "spearman_title": Text("Mức thống nhất giữa các phương pháp (Spearman ρ)",
                           "Agreement between methods (Spearman ρ)"),
    "agreement_help": Text("τ-b và ρ: 1 = cùng thứ tự, 0 = không liên quan, −1 = ngược nhau.",
                           "τ-b and ρ: 1 = the same order, 0 = unrelated, −1 = reversed."),
    "condorcet_help": Text("Người thắng Condorcet thắng mọi đơn vị khác khi so từng cặp (nhiều "
                           "phiếu xếp trên hơn xếp dưới); người thua Condorcet thua mọi đơn vị "
                           "khác. Ô ở hàng A, cột B: số phiếu xếp A trên B trừ số phiếu xếp B "
                           "trên A.",
                           "The Condorcet winner beats every other unit head to head (more "
                           "ballots rank it above than below); the Condorcet loser is beaten by "
                           "every other unit. Cell in row A, column B: ballots ranking A above B "
                           "minus ballots ranking B above A."),
    "condorcet_winner": Text("Người thắng Condorcet: {unit}", "Condorcet winner: {unit}"),
    "condorcet_loser": Text("Người thua Condorcet: {unit}", "Condorcet loser: {unit}"),
    "condorcet_none": Text("không có (vòng lặp đa số hoặc hòa)",
                           "none (a majority cycle or a tie)"),
    "pairwise_title": Text("Chênh lệch từng cặp (số phiếu)", "Pairwise margins (ballots)"),
    "one_method": Text("Loại phiếu này chỉ có một phương pháp đếm, nên không có thứ tự nào "
                       "khác để so sánh.", "Only one counting method takes these ballots, so "
                                          "there is no other order to compare."),
}


class CompareSection(Section):
    """Compare the counting methods: a units × methods table, the τ-b and ρ heatmaps, the
    Condorcet winner and loser and the pairwise-margin heatmap."""

    def _build_compare(self) -> w.VBox:
        self.compare_button = self.analysis_button("compare_run", "tr-analyst-compare-run",
                                                   self.run_compare)
        self.compare_out = w.HTML()
        self.compare_out.add_class("tr-analyst-compare-table")
        self.agreement_out = w.HTML()
        self.agreement_out.add_class("tr-analyst-agreement-chart")
        self.spearman_out = w.HTML()
        self.spearman_out.add_class("tr-analyst-spearman-chart")
        self.condorcet_out = w.HTML()
        self.condorcet_out.add_class("tr-analyst-condorcet")
        self.pairwise_out = w.HTML()
        self.pairwise_out.add_class("tr-analyst-pairwise-chart")
        self.figures["agreement"] = self._agreement_figure
        self.figures["spearman"] = self._spearman_figure
        self.figures["condorcet"] = self._pairwise_figure
        return w.VBox([self.text("sec_compare", "", "h3"), self.text("compare_help"),
                       self.compare_button, self.compare_out,
                       w.HBox([self.agreement_out, self.spearman_out],
                              layout=w.Layout(flex_flow="row wrap")),
                       self.condorcet_out, self.pairwise_out])

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
            self.results["spearman"] = Computed(analysis.agreement(table, "spearman"))
            found = analysis.condorcet(ballots)
            self.results["condorcet"] = Computed(found.pairwise, {
                "round": self.round_select.value, "winner": found.winner or "—",
                "loser": found.loser or "—"})
            for name in ("agreement", "spearman", "condorcet"):
                self._forget_chart(name)
            self._render_compare()

        return self._compute(self.compare_button, "compare_run",
                             self.t("what_compare", n=n), action)

    def _render_compare(self) -> None:
        found = self.results.get("compare")
        if found is None:
            for out in (self.compare_out, self.agreement_out, self.spearman_out,
                        self.condorcet_out, self.pairwise_out):
                out.value = ""
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
                                  + f"<div class='tr-note'>{esc(legend)}</div>"
                                  + (f"<div class='tr-help'>{esc(self.t('agreement_help'))}"
                                     "</div>" if len(methods) > 1 else ""))
        if len(methods) < 2:
            self.agreement_out.value = f"<div class='tr-note'>{esc(self.t('one_method'))}</div>"
            self.spearman_out.value = ""
        else:
            self.agreement_out.value = self._chart_html("agreement", self.t("agreement_title"))
            self.spearman_out.value = self._chart_html("spearman", self.t("spearman_title"))
        self._render_condorcet()

    def _render_condorcet(self) -> None:
        found = self.results.get("condorcet")
        if found is None:
            self.condorcet_out.value = self.pairwise_out.value = ""
            return
        none = self.t("condorcet_none")
        p = found.params
        lines = [self.t("condorcet_winner", unit=p["winner"] if p["winner"] != "—" else none),
                 self.t("condorcet_loser", unit=p["loser"] if p["loser"] != "—" else none)]
        self.condorcet_out.value = (f"<div class='tr-help'>{esc(self.t('condorcet_help'))}</div>"
                                    + "".join(f"<div class='tr-params'>{esc(line)}</div>"
                                              for line in lines))
        self.pairwise_out.value = self._chart_html("condorcet", self.t("pairwise_title"))

    def _agreement_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        return charts.agreement_chart(self.results["agreement"].table,
                                      title=self.t("agreement_title"), lang=self.lang)

    def _spearman_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts

        return charts.agreement_chart(self.results["spearman"].table,
                                      title=self.t("spearman_title"), lang=self.lang)

    def _pairwise_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts

        assert self.meeting is not None
        ballots = self.meeting.ballots[self.results["condorcet"].params["round"]]
        return charts.pairwise_chart(ballots, lang=self.lang, title=self.t("pairwise_title"))
