"""Section 6 of the analyst page: sensitivity to the criteria weights. Every weight varies at
random within ±x% and the score sheet is ranked again: which units keep their place?

The run goes to the worker thread with a progress bar and a "Dừng" button (exact arithmetic,
about 2 ms per sample); a stopped run keeps the previous result."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
import polars as pl

from thidua_rank import analysis
from thidua_rank.analysis.progress import AnalysisCancelled, Cancel, Progress
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table, number, share
from thidua_rank.ui.base import esc, message

if TYPE_CHECKING:
    import altair as alt

    from thidua_rank.meeting.model import Meeting

__all__ = ["WEIGHTS_LABELS", "WeightsSection"]

WEIGHTS_LABELS: dict[str, Text] = {
    "sec_weights": Text("6. Độ nhạy theo trọng số tiêu chí (±x%)",
                        "6. Sensitivity to the criteria weights (±x%)"),
    "weights_help": Text("Cho mỗi trọng số tiêu chí dao động ngẫu nhiên trong ±x% rồi xếp hạng "
                         "lại theo điểm: đơn vị nào giữ nguyên hạng?",
                         "Let every criterion weight vary at random within ±x% and rank by "
                         "score again: which units keep their place?"),
    "no_scores": Text("Cuộc họp này không có bảng điểm tiêu chí.",
                      "This meeting has no criteria score sheet."),
    "spread_slider": Text("Dao động trọng số ±", "Weight spread ±"),
    "weights_run": Text("Chạy phân tích trọng số", "Run weight analysis"),
    "what_weights": Text("trọng số ±{spread}, {samples} lần",
                         "weights ±{spread}, {samples} samples"),
    "weights_params": Text("Dao động ±{spread} · {samples} lần · hạt giống {seed}",
                           "Spread ±{spread} · {samples} samples · seed {seed}"),
    "p_same": Text("Giữ nguyên hạng", "Keeps its place"),
    "best": Text("Hạng tốt nhất", "Best place"),
    "worst": Text("Hạng kém nhất", "Worst place"),
    "weights_title": Text("Xếp hạng theo điểm khi trọng số dao động ±{spread}",
                          "Score ranking with the weights varied by ±{spread}"),
    "weights_axis": Text("Hạng (chấm: với trọng số đã định; vạch: tốt nhất – kém nhất)",
                         "Place (dot: with the set weights; bar: best – worst)"),
}


class WeightsSection(Section):
    """Vary the criteria weights and rank the score sheet again (meetings with scores only)."""

    def _build_weights(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.spread = w.FloatSlider(value=0.2, min=0.05, max=0.9, step=0.05,
                                    readout_format=".0%", continuous_update=False, style=wide,
                                    layout=w.Layout(width="26em"))
        self.spread.add_class("tr-analyst-spread")
        self.label(self.spread, "spread_slider")
        self.weight_samples = w.IntSlider(value=200, min=50, max=1000, step=50, style=wide,
                                          continuous_update=False, layout=w.Layout(width="26em"))
        self.weight_samples.add_class("tr-analyst-weight-samples")
        self.label(self.weight_samples, "samples")
        self.weight_seed = w.IntText(value=1, style=wide, layout=w.Layout(width="16em"))
        self.weight_seed.add_class("tr-analyst-weight-seed")
        self.label(self.weight_seed, "seed")
        self.weights_button = self.analysis_button("weights_run", "tr-analyst-weights-run",
                                                   self.run_weights)
        self.weights_bar = self.task_bar("weights")
        self.weights_stop_note = w.HTML()
        self.weights_stop_note.add_class("tr-analyst-weights-note")
        self._weights_stopped: tuple[Meeting, float, int] | None = None
        self.weights_note = w.HTML()
        self.weights_out = w.HTML()
        self.weights_out.add_class("tr-analyst-weights-table")
        self.weights_chart = w.HTML()
        self.weights_chart.add_class("tr-analyst-weights-chart")
        self.figures["weights"] = self._weights_figure
        return w.VBox([self.text("sec_weights", "", "h3"), self.text("weights_help"),
                       self.weights_note,
                       w.HBox([self.spread, self.weight_samples, self.weight_seed]),
                       self.weights_button, self.weights_bar.box, self.weights_stop_note,
                       self.weights_out, self.weights_chart])

    def run_weights(self) -> bool:
        """Vary the criteria weights by ±spread and rank the score sheet again (in the worker
        thread, with progress and "Dừng"); ``True`` when the computation started."""
        if self.meeting is None or self.meeting.scores is None:
            self.status.value = message(self.t("no_scores" if self.meeting is not None
                                               else "no_meeting"), "error")
            return False
        sheet = self.meeting.scores
        spread = round(float(self.spread.value), 4)
        samples, seed = int(self.weight_samples.value), int(self.weight_seed.value)

        meeting = self.meeting

        def work(progress: Progress, cancel: Cancel) -> pl.DataFrame:
            self._weights_stopped = None
            self._render_weights_stop_note()
            try:
                return analysis.weight_sensitivity(sheet, spread=spread, samples=samples,
                                                   seed=seed, progress=progress, cancel=cancel)
            except AnalysisCancelled:
                self._weights_stopped = (meeting, spread, samples)
                self._render_weights_stop_note()
                raise

        def done(table: pl.DataFrame) -> None:
            self.results["weights"] = Computed(table, {"spread": spread, "samples": samples,
                                                       "seed": seed})
            self._forget_chart("weights")
            self._render_weights()

        what = self.t("what_weights", spread=share(spread, self.lang, 0),
                      samples=number(samples, 0, self.lang))
        return self._background(self.weights_button, "weights_run", what, self.weights_bar,
                                work, done,
                                lambda: self.meeting is meeting)

    def _render_weights_stop_note(self) -> None:
        """Say in the section that the last run was stopped (the status line is at the top of
        the page), and whether the result shown is an earlier one."""
        stopped, what = self._weights_stopped, None
        if stopped is not None and stopped[0] is self.meeting:
            what = self.t("what_weights", spread=share(stopped[1], self.lang, 0),
                          samples=number(stopped[2], 0, self.lang))
        self.weights_stop_note.value = self.stop_note(what, "weights")

    def _render_weights(self) -> None:
        self._render_weights_stop_note()
        has_scores = self.meeting is not None and self.meeting.scores is not None
        self.weights_button.disabled = not has_scores
        self.weights_note.value = ("" if has_scores or self.meeting is None else
                                   message(self.t("no_scores"), "info"))
        found = self.results.get("weights")
        if found is None:
            self.weights_out.value = self.weights_chart.value = ""
            return
        p = found.params
        params = self.t("weights_params", spread=share(p["spread"], self.lang, 0),
                        samples=p["samples"], seed=p["seed"])
        header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("p_same"),
                  self.t("best"), self.t("worst")]
        rows, classes = [], []
        for r in found.table.to_dicts():
            rows.append([r["rank"], (r["unit"], "tr-text"), share(r["p_same"], self.lang),
                         r["best_rank"], r["worst_rank"]])
            classes.append("tr-differs" if r["best_rank"] != r["worst_rank"] else "")
        self.weights_out.value = (f"<div class='tr-params'>{esc(params)}</div>"
                                  + html_table(header, rows, row_classes=classes))
        self.weights_chart.value = self._chart_html(
            "weights", self.t("weights_title", spread=share(p["spread"], self.lang, 0)))

    def _weights_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        found = self.results["weights"]
        return charts.sensitivity_chart(
            found.table,
            title=self.t("weights_title", spread=share(found.params["spread"], self.lang, 0)),
            rank_title=self.t("weights_axis"), same_title=self.t("p_same"))
