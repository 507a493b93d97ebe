"""Section 4 of the analyst page: the bootstrap. The ballots are resampled (with replacement)
and counted again with the chosen method: how often does each unit keep its place?

The run goes to the worker thread with a progress bar and a "Dừng" button (thousands of
samples of Kemeny–Young take several seconds); a stopped run keeps the previous result.
The method drop-down built here also serves section 5 (:mod:`.critical`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
import polars as pl

from thidua_rank import analysis
from thidua_rank.analysis.progress import AnalysisCancelled, Cancel, Progress
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table, number, share
from thidua_rank.ui.base import esc

if TYPE_CHECKING:
    import altair as alt

    from thidua_rank.meeting.model import Meeting

__all__ = ["STABILITY_LABELS", "StabilitySection"]

STABILITY_LABELS: dict[str, Text] = {
    "method": Text("Phương pháp (mục 4, 5)", "Method (parts 4, 5)"),
    "sec_bootstrap": Text("4. Độ ổn định (bootstrap)", "4. Stability (bootstrap)"),
    "bootstrap_help": Text("Lấy mẫu lại các phiếu (có hoàn lại) nhiều lần rồi đếm lại: nếu "
                           "hội nghị có một nhóm đại biểu hơi khác, mỗi đơn vị giữ được vị trí "
                           "trong bao nhiêu phần trăm số lần?",
                           "Resample the ballots (with replacement) many times and count "
                           "again: with a slightly different room, how often does each unit "
                           "keep its place?"),
    "top": Text("Nhóm dẫn đầu k", "Top group k"),
    "bootstrap_run": Text("Chạy bootstrap", "Run bootstrap"),
    "what_bootstrap": Text("bootstrap {method}, {samples} lần",
                           "bootstrap {method}, {samples} samples"),
    "bootstrap_params": Text("Phương pháp {method} · {samples} lần lấy mẫu · hạt giống {seed}",
                             "Method {method} · {samples} samples · seed {seed}"),
    "p_first": Text("Đứng đầu", "First"),
    "p_top": Text("Trong {k} hạng đầu", "In the top {k}"),
    "mean_rank": Text("Hạng trung bình", "Mean place"),
    "interval": Text("Khoảng hạng 90%", "90% place range"),
    "bootstrap_title": Text("Độ ổn định của xếp hạng — {method}", "Ranking stability — {method}"),
    "rank_axis": Text("Hạng (chấm đỏ: hạng thật; vạch: khoảng 90%)",
                      "Place (red dot: actual; bar: 90% range)"),
    "share_axis": Text("Tỷ lệ số lần lấy mẫu", "Share of samples"),
}


class StabilitySection(Section):
    """Bootstrap the round's ballots: share first, share in the top k, mean place and the 90%
    place range of every unit."""

    def _build_bootstrap(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.method_select = w.Dropdown(options=[], style=wide, layout=w.Layout(width="30em"))
        self.method_select.add_class("tr-analyst-method")
        self.label(self.method_select, "method")
        self.samples = w.IntSlider(value=500, min=50, max=10_000, step=50, style=wide,
                                   continuous_update=False, layout=w.Layout(width="26em"))
        self.samples.add_class("tr-analyst-samples")
        self.label(self.samples, "samples")
        self.seed = w.IntText(value=1, style=wide, layout=w.Layout(width="16em"))
        self.seed.add_class("tr-analyst-seed")
        self.label(self.seed, "seed")
        self.top = w.BoundedIntText(value=3, min=1, max=100, style=wide,
                                    layout=w.Layout(width="12em"))
        self.top.add_class("tr-analyst-top")
        self.label(self.top, "top")
        self.bootstrap_button = self.analysis_button("bootstrap_run", "tr-analyst-bootstrap-run",
                                                     self.run_bootstrap)
        self.bootstrap_bar = self.task_bar("bootstrap")
        self.bootstrap_note = w.HTML()
        self.bootstrap_note.add_class("tr-analyst-bootstrap-note")
        self._bootstrap_stopped: tuple[Meeting | None, str | None, str, int] | None = None
        self.bootstrap_out = w.HTML()
        self.bootstrap_out.add_class("tr-analyst-bootstrap-table")
        self.bootstrap_chart = w.HTML()
        self.bootstrap_chart.add_class("tr-analyst-bootstrap-chart")
        self.figures["bootstrap"] = self._bootstrap_figure
        return w.VBox([self.text("sec_bootstrap", "", "h3"), self.text("bootstrap_help"),
                       self.method_select, w.HBox([self.samples, self.seed, self.top]),
                       self.bootstrap_button, self.bootstrap_bar.box, self.bootstrap_note,
                       self.bootstrap_out, self.bootstrap_chart])

    def run_bootstrap(self) -> bool:
        """Bootstrap the round's ballots with the chosen method, samples, seed and k (in the
        worker thread, with progress and "Dừng"); ``True`` when the computation started."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        method, samples = self.method_select.value, int(self.samples.value)
        seed, top = int(self.seed.value), int(self.top.value)

        rid, meeting = self.round_select.value, self.meeting

        def valid() -> bool:
            return self.meeting is meeting and self.round_select.value == rid

        def work(progress: Progress, cancel: Cancel) -> pl.DataFrame:
            self._bootstrap_stopped = None
            self._render_bootstrap_note()
            try:
                return analysis.bootstrap(ballots, method, samples=samples, seed=seed, top=top,
                                          progress=progress, cancel=cancel)
            except AnalysisCancelled:
                self._bootstrap_stopped = (meeting, rid, method, samples)
                self._render_bootstrap_note()
                raise

        def done(table: pl.DataFrame) -> None:
            self.results["bootstrap"] = Computed(table, {"method": method, "samples": samples,
                                                         "seed": seed, "top": top})
            self._forget_chart("bootstrap")
            self._render_bootstrap()

        return self._background(
            self.bootstrap_button, "bootstrap_run",
            self.t("what_bootstrap", method=method, samples=number(samples, 0, self.lang)),
            self.bootstrap_bar, work, done, valid)

    def _render_bootstrap_note(self) -> None:
        """Say in the section that the last run was stopped (the status line is at the top of
        the page), and whether the result shown is an earlier one."""
        stopped, what = self._bootstrap_stopped, None
        if stopped is not None and stopped[0] is self.meeting and \
                stopped[1] == self.round_select.value:
            what = self.t("what_bootstrap", method=stopped[2],
                          samples=number(stopped[3], 0, self.lang))
        self.bootstrap_note.value = self.stop_note(what, "bootstrap")

    def _render_bootstrap(self) -> None:
        self._render_bootstrap_note()
        found = self.results.get("bootstrap")
        if found is None:
            self.bootstrap_out.value = self.bootstrap_chart.value = ""
            return
        p = found.params
        params = self.t("bootstrap_params", method=self._method_name(p["method"]),
                        samples=p["samples"], seed=p["seed"])
        header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("p_first"),
                  self.t("p_top", k=p["top"]),
                  self.t("mean_rank"), self.t("interval")]
        rows, classes = [], []
        for r in found.table.to_dicts():
            low, high = int(r["rank_low"]), int(r["rank_high"])
            rows.append([r["rank"], (r["unit"], "tr-text"), share(r["p_first"], self.lang),
                         share(r["p_top"], self.lang), number(r["mean_rank"], 2, self.lang),
                         f"{low}–{high}" if low != high else str(low)])
            classes.append("tr-differs" if low != high else "")
        self.bootstrap_out.value = (f"<div class='tr-params'>{esc(params)}</div>"
                                    + html_table(header, rows, row_classes=classes))
        self.bootstrap_chart.value = self._chart_html(
            "bootstrap", self.t("bootstrap_title", method=p["method"]))

    def _bootstrap_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        p = self.results["bootstrap"].params
        return charts.bootstrap_chart(self.results["bootstrap"].table,
                                      title=self.t("bootstrap_title", method=p["method"]),
                                      rank_title=self.t("rank_axis"),
                                      share_title=self.t("share_axis"),
                                      first_label=self.t("p_first"),
                                      top_label=self.t("p_top", k=p["top"]))
