"""Section 9 of the analyst page: voting blocs. Groups of units whose ballots systematically put
each other at the top, with a strength, a family-wise permutation p-value and the ballots that
carry the pattern (the voters only where the ballots file names them)."""

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

__all__ = ["BLOCS_LABELS", "BlocsSection"]

BLOCS_LABELS: dict[str, Text] = {
    "sec_blocs": Text("9. Nhóm bầu cho nhau", "9. Voting blocs"),
    "blocs_help": Text("Tìm nhóm 2–4 đơn vị mà các phiếu đưa nhau lên đầu nhiều hơn mức bình "
                       "thường (có thể là thỏa thuận bầu cho nhau). «p» là xác suất gặp một "
                       "nhóm mạnh như vậy do ngẫu nhiên, đã tính cho mọi nhóm được xét; dòng tô "
                       "màu: p ≤ 0,05. Khi phiếu ghi đơn vị bầu, bảng nêu các đơn vị đó; phiếu "
                       "kín thì chỉ nêu nhóm được ưu ái.",
                       "Look for groups of 2–4 units that ballots put at the top together more "
                       "often than usual (possibly an agreement to vote for each other). «p» is "
                       "the chance of a group this strong by luck, over every group searched; "
                       "shaded rows: p ≤ 0.05. Where ballots name their voters the table names "
                       "them; with secret ballots it names the favoured group only."),
    "permutations": Text("Số lần hoán vị", "Permutations"),
    "max_size": Text("Nhóm lớn nhất", "Largest group"),
    "blocs_run": Text("Tìm nhóm bầu cho nhau", "Look for voting blocs"),
    "what_blocs": Text("tìm nhóm bầu cho nhau, {permutations} lần hoán vị",
                       "voting blocs, {permutations} permutations"),
    "blocs_params": Text("{permutations} lần hoán vị · nhóm tối đa {size} · hạt giống {seed}",
                         "{permutations} permutations · groups up to {size} · seed {seed}"),
    "group": Text("Nhóm", "Group"),
    "strength": Text("Độ mạnh", "Strength"),
    "p_value": Text("p", "p"),
    "bloc_voters": Text("Đơn vị bầu mang mẫu hình", "Voters carrying it"),
    "bloc_ballots": Text("Số phiếu mang mẫu hình", "Ballots carrying it"),
    "no_blocs": Text("Không nhóm nào được ủng hộ.", "No group has any support."),
    "blocs_title": Text("Số phiếu xếp cả hai đơn vị vào 3 hạng đầu (khung: nhóm tìm thấy)",
                        "Ballots placing both units in their top 3 (outlined: groups found)"),
}


class BlocsSection(Section):
    """Voting blocs of the selected round (table; in the worker thread with progress)."""

    def _build_blocs(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.permutations = w.BoundedIntText(value=999, min=99, max=99_999, step=100,
                                             style=wide, layout=w.Layout(width="18em"))
        self.permutations.add_class("tr-analyst-permutations")
        self.label(self.permutations, "permutations")
        self.bloc_size = w.BoundedIntText(value=4, min=2, max=4, style=wide,
                                          layout=w.Layout(width="14em"))
        self.bloc_size.add_class("tr-analyst-bloc-size")
        self.label(self.bloc_size, "max_size")
        self.bloc_seed = w.IntText(value=1, style=wide, layout=w.Layout(width="16em"))
        self.bloc_seed.add_class("tr-analyst-bloc-seed")
        self.label(self.bloc_seed, "seed")
        self.blocs_button = self.analysis_button("blocs_run", "tr-analyst-blocs-run",
                                                 self.run_blocs)
        self.blocs_bar = self.task_bar("blocs")
        self.blocs_out = w.HTML()
        self.blocs_out.add_class("tr-analyst-blocs-table")
        self.blocs_chart = w.HTML()
        self.blocs_chart.add_class("tr-analyst-blocs-chart")
        self.figures["blocs"] = self._blocs_figure
        return w.VBox([self.text("sec_blocs", "", "h3"), self.text("blocs_help"),
                       w.HBox([self.permutations, self.bloc_size, self.bloc_seed]),
                       self.blocs_button, self.blocs_bar.box, self.blocs_out,
                       self.blocs_chart])

    def run_blocs(self) -> bool:
        """Search the round's ballots for voting blocs (in the worker thread, with progress
        and "Dừng"); ``True`` when the computation started."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        rid, meeting = self.round_select.value, self.meeting
        permutations, size = int(self.permutations.value), int(self.bloc_size.value)
        seed = int(self.bloc_seed.value)

        def work(progress: Progress, cancel: Cancel) -> pl.DataFrame:
            return analysis.blocs(ballots, max_size=size, permutations=permutations, seed=seed,
                                  progress=progress, cancel=cancel)

        def done(table: pl.DataFrame) -> None:
            self.results["blocs"] = Computed(table, {"round": rid, "permutations": permutations,
                                                     "max_size": size, "seed": seed})
            self._forget_chart("blocs")
            self._render_blocs()

        return self._background(
            self.blocs_button, "blocs_run", self.t("what_blocs", permutations=permutations),
            self.blocs_bar, work, done,
            lambda: self.meeting is meeting and self.round_select.value == rid)

    def _render_blocs(self) -> None:
        self.blocs_button.disabled = self.ballots is None or self.busy
        found = self.results.get("blocs")
        if found is None:
            self.blocs_out.value = self.blocs_chart.value = ""
            return
        p = found.params
        line = self.t("blocs_params", seed=p["seed"], permutations=p["permutations"],
                      size=p["max_size"])
        params = f"<div class='tr-params'>{esc(line)}</div>"
        self.blocs_chart.value = self._chart_html("blocs", self.t("blocs_title"))
        if found.table.is_empty():
            self.blocs_out.value = params + message(self.t("no_blocs"), "ok")
            return
        header = [(self.t("group"), "tr-text"), self.t("strength"), self.t("p_value"),
                  (self.t("bloc_voters"), "tr-text"), self.t("bloc_ballots")]
        rows, classes = [], []
        for r in found.table.to_dicts():
            rows.append([(" · ".join(r["group"]), "tr-text"), share(r["strength"], self.lang),
                         number(r["p_value"], 3, self.lang),
                         (", ".join(r["voters"]) if r["voters"] else "—", "tr-text"),
                         len(r["ballots"] or [])])
            classes.append("tr-differs" if r["significant"] else "")
        self.blocs_out.value = params + html_table(header, rows, row_classes=classes)

    def _blocs_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        assert self.meeting is not None
        found = self.results["blocs"]
        ballots = self.meeting.ballots[found.params["round"]]
        return charts.bloc_chart(ballots, found.table, places=3, lang=self.lang,
                                 title=self.t("blocs_title"))
