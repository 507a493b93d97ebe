"""Section 1 of the analyst page: every counting method on the round's ballots, side by side,
how far they agree (Kendall τ-b and Spearman ρ), and the Condorcet winner and loser with the
pairwise margins behind them.

The analysis takes a few hundredths of a second and its table is shown at once; the three
chart PNGs (about a second, three the first time in a kernel) are drawn afterwards in the
worker thread, one step of the progress bar each, with a "Dừng" button. Charts missing after
a language change are drawn the same way. A section re-rendered while another section's
computation holds the worker draws them on the spot, as before."""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

import ipywidgets as w

from thidua_rank import analysis
from thidua_rank.analysis.progress import AnalysisCancelled, Cancel, Progress
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table, number, png_img
from thidua_rank.ui.base import esc, message

if TYPE_CHECKING:
    import altair as alt

    from thidua_rank.meeting.model import Meeting

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
    "compare_drawing": Text("Đang vẽ biểu đồ…", "Drawing the chart…"),
    "compare_stopped": Text("Đã dừng trước khi vẽ xong biểu đồ; bấm «So sánh» để vẽ lại.",
                            "Stopped before the charts were drawn; press «Compare» to draw "
                            "them."),
    "what_compare_charts": Text("biểu đồ so sánh {n} phương pháp",
                                "charts comparing {n} methods"),
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
        self.compare_bar = self.task_bar("compare")
        self._compare_stopped = False
        self._compare_drawing: tuple[Meeting | None, str | None] | None = None
        """The meeting and round whose charts the worker thread is drawing."""
        self._compare_lock = threading.Lock()
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
                       self.compare_button, self.compare_bar.box, self.compare_out,
                       w.HBox([self.agreement_out, self.spearman_out],
                              layout=w.Layout(flex_flow="row wrap")),
                       self.condorcet_out, self.pairwise_out])

    def run_compare(self) -> bool:
        """Rank the round's ballots with every method that accepts them, τ-b, ρ and the
        Condorcet winner and loser; the table is shown at once and the charts are drawn in the
        worker thread (:meth:`_draw_compare_charts`). ``True`` when the analysis succeeded."""
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
            with self._compare_lock:
                for name in ("agreement", "spearman", "condorcet"):
                    self._forget_chart(name)
            self._compare_stopped = False

        start = time.perf_counter()
        with self._busy(self.compare_button, "compare_run", self.t("what_compare", n=n)):
            ok = self.attempt(action)
        if ok and not self._render_compare():  # drawn here: no worker to report it
            seconds = number(time.perf_counter() - start, 1, self.lang)
            self.status.value = message(self.t("done", what=self.t("what_compare", n=n),
                                               seconds=seconds), "ok")
        return ok

    def _compare_charts(self) -> list[tuple[str, w.HTML, str]]:
        """``(chart name, widget, title)`` of the charts the comparison shows now."""
        found = self.results.get("compare")
        if found is None:
            return []
        charts = []
        if len([c for c in found.table.columns if c not in ("unit", "spread")]) > 1:
            charts += [("agreement", self.agreement_out, self.t("agreement_title")),
                       ("spearman", self.spearman_out, self.t("spearman_title"))]
        if "condorcet" in self.results:
            charts.append(("condorcet", self.pairwise_out, self.t("pairwise_title")))
        return charts

    def _pending_charts(self) -> list[tuple[str, w.HTML, str]]:
        """The comparison's charts not yet rendered in the page's language."""
        return [c for c in self._compare_charts() if (c[0], self.lang) not in self._pngs]

    def _show_compare_charts(self) -> list[tuple[str, w.HTML, str]]:
        """Show every comparison chart already rendered; the others get a "being drawn" (or
        "stopped") note. Returns the others."""
        pending = self._pending_charts()
        note = self.t("compare_stopped" if self._compare_stopped else "compare_drawing")
        for name, out, title in self._compare_charts():
            if (name, title) in [(p[0], p[2]) for p in pending]:
                out.value = (f"<div class='tr-note tr-analyst-chart-pending' style='margin: "
                             f"0.4em 2em 0.4em 0'>{esc(title)}: {esc(note)}</div>")
            else:
                out.value = self._chart_html(name, title)
        return pending

    def _draw_compare_charts(self) -> bool:
        """Draw the comparison's missing charts: in the worker thread with the progress bar
        and "Dừng" when it is free, here and now when another computation holds it.
        ``True`` when the worker draws them."""
        meeting, rid = self.meeting, self.round_select.value
        with self._compare_lock:
            if self._compare_drawing == (meeting, rid):  # the running worker draws these too
                return True
            if not self.busy:
                self._compare_drawing = (meeting, rid)
            else:  # another computation holds the worker (or an obsolete drawing ends)
                for name, out, title in self._compare_charts():
                    out.value = self._chart_html(name, title)
                return False
        n = self.results["compare"].table.width - 2

        def valid() -> bool:
            return self.meeting is meeting and self.round_select.value == rid

        def work(progress: Progress, cancel: Cancel) -> None:
            from thidua_rank.charts import chart_png

            drawn = 0
            try:
                while True:
                    with self._compare_lock:
                        pending = self._pending_charts() if valid() else []
                        if not pending:  # checked and cleared together: see above
                            self._compare_drawing = None
                            return
                    progress(drawn, drawn + len(pending))
                    if cancel():
                        self._compare_stopped = True
                        raise AnalysisCancelled
                    name, out, title = pending[0]
                    lang, found = self.lang, self.results.get(name)
                    html = png_img(chart_png(self.chart(name)), title)
                    with self._compare_lock:  # keep it only if it is still the one asked for
                        if valid() and self.lang == lang and self.results.get(name) is found:
                            self._pngs[(name, lang)] = html
                            out.value = html
                    drawn += 1
                    progress(drawn, drawn + len(self._pending_charts()))
            finally:
                with self._compare_lock:
                    self._compare_drawing = None
                    if valid():
                        self._show_compare_charts()

        def done(_: None) -> None:
            """Nothing more to do: every chart was shown as soon as it was drawn."""

        if self._background(self.compare_button, "compare_run",
                            self.t("what_compare_charts", n=n), self.compare_bar, work, done,
                            valid):
            return True
        with self._compare_lock:
            self._compare_drawing = None
        return False

    def _render_compare(self) -> bool:
        """Show the comparison's table now and its charts when drawn; ``True`` when the
        worker thread is drawing them."""
        found = self.results.get("compare")
        if found is None:
            for out in (self.compare_out, self.agreement_out, self.spearman_out,
                        self.condorcet_out, self.pairwise_out):
                out.value = ""
            return False
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
        self._render_condorcet()
        if self._show_compare_charts() and not self._compare_stopped:
            return self._draw_compare_charts()
        return False

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
