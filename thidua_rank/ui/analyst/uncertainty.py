"""Section 7 of the analyst page: uncertain criteria weights. Weight vectors are drawn around
the configured weights (a Dirichlet distribution) and the score sheet ranked again for each:
the probability of every place and, for a meeting ranked by the score, of every award tier."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
import polars as pl

from thidua_rank import analysis
from thidua_rank.analysis.progress import Cancel, Progress
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table, number, share
from thidua_rank.ui.base import esc, message

if TYPE_CHECKING:
    import altair as alt

__all__ = ["UNCERTAINTY_LABELS", "UncertaintySection"]

UNCERTAINTY_LABELS: dict[str, Text] = {
    "sec_uncertainty": Text("7. Trọng số không chắc chắn", "7. Uncertain criteria weights"),
    "uncertainty_help": Text("Rút ngẫu nhiên nhiều bộ trọng số quanh trọng số đã định (phân phối "
                             "Dirichlet; độ tập trung càng lớn thì trọng số càng ít lệch) rồi "
                             "xếp hạng lại theo điểm. Bảng: xác suất giữ hạng, khoảng hạng 90% và "
                             "xác suất được từng hình thức khen thưởng; biểu đồ: xác suất của "
                             "từng hạng (ô viền đỏ: hạng với trọng số đã định).",
                             "Draw many weight vectors around the configured weights (a "
                             "Dirichlet distribution; the higher the concentration, the less "
                             "they stray) and rank by score again. Table: the chance of keeping "
                             "the place, the 90% place range and the chance of each award tier; "
                             "chart: the probability of each place (red outline: the place with "
                             "the configured weights)."),
    "concentration": Text("Độ tập trung", "Concentration"),
    "uncertainty_run": Text("Chạy phân tích trọng số không chắc chắn",
                            "Run the weight uncertainty analysis"),
    "what_uncertainty": Text("trọng số không chắc chắn, {samples} lần",
                             "uncertain weights, {samples} samples"),
    "uncertainty_params": Text("{samples} lần lấy mẫu · độ tập trung {concentration} · hạt "
                               "giống {seed}", "{samples} samples · concentration "
                                               "{concentration} · seed {seed}"),
    "tiers_note": Text("Xác suất khen thưởng chỉ tính khi hội nghị xếp hạng theo điểm.",
                       "Award probabilities are given only when the meeting is ranked by "
                       "the score."),
    "p_none": Text("Không khen", "No award"),
    "configured_tier": Text("Khen với trọng số đã định", "Award with the set weights"),
    "uncertainty_title": Text("Xác suất từng hạng khi trọng số không chắc chắn",
                              "Probability of each place under uncertain weights"),
}


class UncertaintySection(Section):
    """Dirichlet weight perturbation: place and tier probabilities, rank-probability heatmap."""

    def _build_uncertainty(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.dirichlet_samples = w.BoundedIntText(value=100_000, min=100, max=10_000_000,
                                                  step=10_000, style=wide,
                                                  layout=w.Layout(width="20em"))
        self.dirichlet_samples.add_class("tr-analyst-dirichlet-samples")
        self.label(self.dirichlet_samples, "samples")
        self.concentration = w.BoundedFloatText(value=200.0, min=1.0, max=100_000.0, step=10.0,
                                                style=wide, layout=w.Layout(width="16em"))
        self.concentration.add_class("tr-analyst-concentration")
        self.label(self.concentration, "concentration")
        self.dirichlet_seed = w.IntText(value=1, style=wide, layout=w.Layout(width="16em"))
        self.dirichlet_seed.add_class("tr-analyst-dirichlet-seed")
        self.label(self.dirichlet_seed, "seed")
        self.uncertainty_button = self.analysis_button(
            "uncertainty_run", "tr-analyst-uncertainty-run", self.run_uncertainty)
        self.uncertainty_bar = self.task_bar("uncertainty")
        self.uncertainty_note = w.HTML()
        self.uncertainty_out = w.HTML()
        self.uncertainty_out.add_class("tr-analyst-uncertainty-table")
        self.uncertainty_chart = w.HTML()
        self.uncertainty_chart.add_class("tr-analyst-uncertainty-chart")
        self.figures["uncertainty"] = self._uncertainty_figure
        return w.VBox([self.text("sec_uncertainty", "", "h3"), self.text("uncertainty_help"),
                       self.uncertainty_note,
                       w.HBox([self.dirichlet_samples, self.concentration,
                               self.dirichlet_seed]),
                       self.uncertainty_button, self.uncertainty_bar.box,
                       self.uncertainty_out, self.uncertainty_chart])

    def run_uncertainty(self) -> bool:
        """Draw the weights and rank again (in the worker thread, with progress and "Dừng");
        ``True`` when the computation started."""
        meeting = self.meeting
        if meeting is None or meeting.scores is None:
            self.status.value = message(self.t("no_meeting" if meeting is None
                                               else "no_scores"), "error")
            return False
        source = meeting if meeting.config.ranking.combine == "score" else meeting.scores
        samples, seed = int(self.dirichlet_samples.value), int(self.dirichlet_seed.value)
        concentration = float(self.concentration.value)

        def work(progress: Progress, cancel: Cancel) -> pl.DataFrame:
            return analysis.weight_perturbation(source, samples=samples,
                                                concentration=concentration, seed=seed,
                                                progress=progress, cancel=cancel)

        def done(table: pl.DataFrame) -> None:
            self.results["uncertainty"] = Computed(table, {
                "samples": samples, "concentration": concentration, "seed": seed})
            self._forget_chart("uncertainty")
            self._render_uncertainty()

        return self._background(self.uncertainty_button, "uncertainty_run",
                                self.t("what_uncertainty", samples=number(samples, 0, self.lang)),
                                self.uncertainty_bar, work, done,
                                lambda: self.meeting is meeting)

    def _render_uncertainty(self) -> None:
        has_scores = self.meeting is not None and self.meeting.scores is not None
        self.uncertainty_button.disabled = not has_scores  # a press while busy is told to wait
        note = ""
        if self.meeting is not None and not has_scores:
            note = message(self.t("no_scores"), "info")
        elif has_scores and self.meeting is not None and \
                self.meeting.config.ranking.combine != "score":
            note = f"<div class='tr-note'>{esc(self.t('tiers_note'))}</div>"
        self.uncertainty_note.value = note
        found = self.results.get("uncertainty")
        if found is None:
            self.uncertainty_out.value = self.uncertainty_chart.value = ""
            return
        p = found.params
        params = self.t("uncertainty_params", samples=number(p["samples"], 0, self.lang),
                        concentration=number(p["concentration"], 0, self.lang), seed=p["seed"])
        table = found.table
        tiers = [c.removeprefix("p_tier_") for c in table.columns
                 if c.startswith("p_tier_") and c != "p_tier_none"]
        header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("p_same"),
                  self.t("mean_rank"), self.t("interval")]
        if tiers:
            header += [(self.t("configured_tier"), "tr-text"),
                       *[self._tier_name(t) for t in tiers], self.t("p_none")]
        rows, classes = [], []
        for r in table.to_dicts():
            low, high = int(r["place_low"]), int(r["place_high"])
            row: list[object] = [r["rank"], (r["unit"], "tr-text"),
                                 share(r["p_same"], self.lang), number(r["mean_place"], 2,
                                                                        self.lang),
                                 f"{low}–{high}" if low != high else str(low)]
            if tiers:
                row += [(self._tier_name(r["tier"]), "tr-text"),
                        *[share(r[f"p_tier_{t}"], self.lang) for t in tiers],
                        share(r["p_tier_none"], self.lang)]
            rows.append(row)
            classes.append("tr-differs" if low != high else "")
        self.uncertainty_out.value = (f"<div class='tr-params'>{esc(params)}</div>"
                                      + html_table(header, rows, row_classes=classes))
        self.uncertainty_chart.value = self._chart_html("uncertainty",
                                                        self.t("uncertainty_title"))

    def _uncertainty_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        return charts.rank_probability_chart(self.results["uncertainty"].table, lang=self.lang,
                                             title=self.t("uncertainty_title"))
