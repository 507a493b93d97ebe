"""Section 2 of the analyst page: the meeting's award rules applied with every counting method.
Would another method have given the same flags and certificates?"""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w
import polars as pl

from thidua_rank import analysis
from thidua_rank.analysis.progress import Cancel, Progress
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table
from thidua_rank.ui.base import esc, message

if TYPE_CHECKING:
    import altair as alt

__all__ = ["AWARDS_LABELS", "TIER_MARKS", "AwardsSection"]

TIER_MARKS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫"
"""A tier in a table cell, by its position in the meeting's tiers (highest first)."""

AWARDS_LABELS: dict[str, Text] = {
    "sec_awards": Text("2. Khen thưởng theo từng phương pháp",
                       "2. Awards under every method"),
    "awards_help": Text("Áp dụng đúng quy định khen thưởng của hội nghị (hình thức, chỉ tiêu, "
                        "điểm chuẩn, cách phá hòa) với từng phương pháp đếm phiếu. Mỗi ô: hạng "
                        "· hình thức (ký hiệu trong chú thích dưới bảng). Dòng tô màu: đơn vị "
                        "được khen khác đi ở ít nhất một phương pháp; ô chữ đỏ: khác với phương "
                        "pháp của hội nghị (★).",
                        "The meeting's award rules (tiers, quotas, minimum scores, tie-breaks) "
                        "applied with each counting method. Each cell: place · tier (its mark "
                        "in the legend under the table). Shaded rows: the unit's award differs "
                        "under at least one method; red cells: it differs from the meeting's "
                        "own method (★)."),
    "awards_run": Text("Xét khen thưởng theo mọi phương pháp", "Apply the awards under every "
                                                                "method"),
    "what_awards": Text("khen thưởng theo {n} phương pháp", "awards under {n} methods"),
    "awards_summary": Text("{n} đơn vị được khen khác đi ở ít nhất một phương pháp.",
                           "Units whose award differs under at least one method: {n}."),
    "no_award_short": Text("không khen", "no award"),
    "score_ranked": Text("Hội nghị này xếp hạng theo điểm, không theo phiếu bầu: không có "
                         "phương pháp đếm phiếu nào để thay.",
                         "This meeting is ranked by the score, not by a vote: there is no "
                         "counting method to vary."),
    "bump_title": Text("Hạng của từng đơn vị theo mỗi phương pháp",
                       "Places of each unit by method"),
}


class AwardsSection(Section):
    """Awards under every method: the units × methods table and the bump chart."""

    def _build_awards(self) -> w.VBox:
        self.awards_button = self.analysis_button("awards_run", "tr-analyst-awards-run",
                                                  self.run_awards)
        self.awards_bar = self.task_bar("awards")
        self.awards_note = w.HTML()
        self.awards_out = w.HTML()
        self.awards_out.add_class("tr-analyst-awards-table")
        self.awards_chart = w.HTML()
        self.awards_chart.add_class("tr-analyst-awards-chart")
        self.figures["awards"] = self._awards_figure
        return w.VBox([self.text("sec_awards", "", "h3"), self.text("awards_help"),
                       self.awards_note, self.awards_button, self.awards_bar.box,
                       self.awards_out, self.awards_chart])

    def _vote_ranked(self) -> bool:
        return self.meeting is not None and self.meeting.config.ranking.combine != "score"

    def run_awards(self) -> bool:
        """Apply the award rules with every method that takes the ranking ballots (in the
        worker thread, with progress and "Dừng"); ``True`` when the computation started."""
        meeting = self.meeting
        if meeting is None:
            self.status.value = message(self.t("no_meeting"), "error")
            return False
        if not self._vote_ranked():
            self.status.value = message(self.t("score_ranked"), "error")
            return False
        n = len(analysis.ballot_methods(meeting.ballots[meeting.config.ranking.vote_round]))

        def work(progress: Progress, cancel: Cancel) -> pl.DataFrame:
            return analysis.awards_by_method(meeting, progress=progress, cancel=cancel)

        def done(table: pl.DataFrame) -> None:
            self.results["awards"] = Computed(table, {
                "round": meeting.config.ranking.vote_round,
                "method": meeting.config.ranking.method})
            self._forget_chart("awards")
            self._render_awards()

        return self._background(self.awards_button, "awards_run", self.t("what_awards", n=n),
                                self.awards_bar, work, done, lambda: self.meeting is meeting)

    def _render_awards(self) -> None:
        self.awards_button.disabled = not self._vote_ranked() or self.busy
        self.awards_note.value = ("" if self.meeting is None or self._vote_ranked() else
                                  message(self.t("score_ranked"), "info"))
        found = self.results.get("awards")
        if found is None or self.meeting is None:
            self.awards_out.value = self.awards_chart.value = ""
            return
        table = found.table
        methods = list(dict.fromkeys(table.get_column("method").to_list()))
        configured = found.params["method"]
        codes = {t.id: i + 1 for i, t in enumerate(self.meeting.config.tiers)}
        header = [(self.t("unit"), "tr-text"),
                  *[m + (" ★" if m == configured else "") for m in methods]]
        rows, classes, differs = [], [], 0
        for (unit,), part in table.group_by("unit", maintain_order=True):
            cells: list[object] = [(unit, "tr-text")]
            for r in part.to_dicts():
                code = codes.get(r["tier"]) if r["tier"] else None
                text = f"{r['place']} · {TIER_MARKS[code - 1] if code else '—'}"
                cells.append((text, "tr-spread-cell" if r["changed"] else ""))
            changed = bool(part.get_column("changed").any())
            differs += changed
            rows.append(cells)
            classes.append("tr-differs" if changed else "")
        legend = " · ".join(f"{TIER_MARKS[i - 1]} {self._tier_name(t)}"
                            for t, i in codes.items()) + f" · — {self.t('no_award_short')}"
        methods_legend = " · ".join(f"{m} = {self._method_name(m)}" for m in methods)
        self.awards_out.value = (
            f"<div class='tr-params'>{esc(self.t('awards_summary', n=differs))}</div>"
            + html_table(header, rows, row_classes=classes)
            + f"<div class='tr-note'>{esc(legend)}</div>"
            + f"<div class='tr-note'>{esc(methods_legend)}</div>")
        self.awards_chart.value = self._chart_html("awards", self.t("bump_title"))

    def _awards_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        table = self.results["awards"].table.with_columns(  # tier names in the page's language
            pl.col("tier").map_elements(self._tier_name, return_dtype=pl.String)
            .alias("tier_label"))
        return charts.bump_chart(table, lang=self.lang, title=self.t("bump_title"))
