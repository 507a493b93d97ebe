"""Section 3 of the analyst page: how close was each award cut-off? The fewest ballots (or,
for a meeting ranked by the score, the smallest change of the criteria weights) that would move
a unit next to a cut-off across it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

__all__ = ["MARGINS_LABELS", "MarginsSection"]

MARGINS_LABELS: dict[str, Text] = {
    "sec_margins": Text("3. Khoảng cách tới ngưỡng khen thưởng", "3. Cut-off margins"),
    "margins_help": Text("Với mỗi đơn vị sát ngưỡng của một hình thức khen thưởng (đơn vị cuối "
                         "cùng được khen và đơn vị đầu tiên chưa được): cần sửa ít nhất bao nhiêu "
                         "phiếu — hoặc, khi xếp hạng theo điểm, đổi trọng số tiêu chí bao nhiêu "
                         "phần trăm — để đơn vị qua ngưỡng. «Chính xác»: không thể ít hơn; "
                         "«tìm kiếm có giới hạn»: số nhỏ nhất tìm được, có thể còn ít hơn.",
                         "For each unit next to an award tier's cut-off (the last units awarded "
                         "and the first left out): the fewest ballots to change — or, when the "
                         "score ranks, the smallest relative change of the criteria weights — "
                         "that moves it across. «Exact»: no fewer is possible; «bounded search»: "
                         "the fewest found, fewer may exist."),
    "max_ballots": Text("Giới hạn tìm kiếm (phiếu)", "Search bound (ballots)"),
    "margins_run": Text("Tính khoảng cách", "Compute the margins"),
    "what_margins": Text("khoảng cách tới ngưỡng", "cut-off margins"),
    "margins_params": Text("Giới hạn tìm kiếm: {n} phiếu mỗi đối thủ",
                           "Search bound: {n} ballots per rival"),
    "tier": Text("Hình thức", "Tier"),
    "side": Text("Vị trí", "Side"),
    "side_out": Text("được khen, có thể mất", "awarded, could lose it"),
    "side_in": Text("chưa được, có thể đạt", "not awarded, could gain it"),
    "opponent": Text("Đổi chỗ với", "Swaps with"),
    "score_gap": Text("Chênh lệch điểm", "Score gap"),
    "ballots_needed": Text("Số phiếu cần sửa", "Ballots to change"),
    "weight_needed": Text("Đổi trọng số", "Weight change"),
    "how_found": Text("Cách tìm", "How found"),
    "exact": Text("chính xác", "exact"),
    "bounded": Text("tìm kiếm có giới hạn", "bounded search"),
    "at_least": Text("tìm được; cận dưới {low}", "found; lower bound {low}"),
    "edit": Text("Cách sửa", "The edit"),
    "not_found": Text("không tìm thấy", "not found"),
    "min_score": Text("(điểm chuẩn)", "(minimum score)"),
    "no_margins": Text("Không có đơn vị nào sát ngưỡng khen thưởng.",
                       "No unit sits next to an award cut-off."),
    "margins_title": Text("Khoảng cách tới ngưỡng khen thưởng", "Cut-off margins"),
}


class MarginsSection(Section):
    """Cut-off margins: the table of units next to a cut-off and the margin bars."""

    def _build_margins(self) -> w.VBox:
        self.max_ballots = w.BoundedIntText(value=8, min=1, max=50, style={
            "description_width": "initial"}, layout=w.Layout(width="18em"))
        self.max_ballots.add_class("tr-analyst-max-ballots")
        self.label(self.max_ballots, "max_ballots")
        self.margins_button = self.analysis_button("margins_run", "tr-analyst-margins-run",
                                                   self.run_margins)
        self.margins_bar = self.task_bar("margins")
        self.margins_out = w.HTML()
        self.margins_out.add_class("tr-analyst-margins-table")
        self.margins_chart = w.HTML()
        self.margins_chart.add_class("tr-analyst-margins-chart")
        self.figures["margins"] = self._margins_figure
        return w.VBox([self.text("sec_margins", "", "h3"), self.text("margins_help"),
                       self.max_ballots, self.margins_button, self.margins_bar.box,
                       self.margins_out, self.margins_chart])

    def run_margins(self) -> bool:
        """Compute the cut-off margins of the meeting (in the worker thread, with progress and
        "Dừng"); ``True`` when the computation started."""
        meeting = self.meeting
        if meeting is None:
            self.status.value = message(self.t("no_meeting"), "error")
            return False
        bound = int(self.max_ballots.value)

        def work(progress: Progress, cancel: Cancel) -> pl.DataFrame:
            return analysis.cutoff_margins(meeting, max_ballots=bound, progress=progress,
                                           cancel=cancel)

        def done(table: pl.DataFrame) -> None:
            self.results["margins"] = Computed(table, {"max_ballots": bound})
            self._forget_chart("margins")
            self._render_margins()

        return self._background(self.margins_button, "margins_run", self.t("what_margins"),
                                self.margins_bar, work, done, lambda: self.meeting is meeting)

    def _how_found(self, r: dict[str, Any], by_weight: bool) -> str:
        """Exact, a bounded search, or a found edit above a proven lower bound."""
        if r["exact"] or by_weight:  # the weight margin is exact (linear in the weights)
            return self.t("exact")
        if str(r["search"]).startswith("bounded"):
            return self.t("bounded")
        return self.t("at_least", low=r["ballots_low"] or 0)

    def _render_margins(self) -> None:
        self.margins_button.disabled = self.meeting is None or self.busy
        found = self.results.get("margins")
        if found is None or self.meeting is None:
            self.margins_out.value = self.margins_chart.value = ""
            return
        table = found.table
        by_weight = bool(table.get_column("weight_change").is_not_null().any()) or (
            self.meeting.config.ranking.combine == "score")
        params = (f"<div class='tr-params'>"
                  f"{esc(self.t('margins_params', n=found.params['max_ballots']))}</div>"
                  if not by_weight else "")
        if table.is_empty():
            self.margins_out.value = params + message(self.t("no_margins"), "ok")
            self.margins_chart.value = ""
            return
        header = [(self.t("unit"), "tr-text"), (self.t("tier"), "tr-text"),
                  (self.t("side"), "tr-text"), (self.t("opponent"), "tr-text"),
                  self.t("score_gap"),
                  self.t("weight_needed" if by_weight else "ballots_needed"),
                  (self.t("how_found"), "tr-text"), (self.t("edit"), "tr-text")]
        rows = []
        for r in table.to_dicts():
            if by_weight:
                value = (share(r["weight_change"], self.lang, 2)
                         if r["weight_change"] is not None else self.t("not_found"))
            else:
                value = str(r["ballots"]) if r["ballots"] is not None else self.t("not_found")
            gap = number(r["score_gap"], 2, self.lang) if r["score_gap"] is not None else "—"
            rows.append([(r["unit"], "tr-text"), (self._tier_name(r["tier"]), "tr-text"),
                         (self.t("side_" + r["direction"]), "tr-text"),
                         (r["opponent"] or (self.t("min_score") if by_weight else "—"),
                          "tr-text"), gap, value,
                         (self._how_found(r, by_weight), "tr-text"),
                         (r["edit_vi"] if self.lang == "vi" else r["edit_en"], "tr-text")])
        self.margins_out.value = params + html_table(header, rows)
        self.margins_chart.value = self._chart_html("margins", self.t("margins_title"))

    def _margins_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        table = self.results["margins"].table
        labels = {t: self._tier_name(t) for t in table.get_column("tier").unique().to_list()}
        return charts.cutoff_margin_chart(table, lang=self.lang, title=self.t("margins_title"),
                                          tier_labels=labels)
