"""Section 5 of the analyst page: critical ballots. Each ballot is left out in turn and the
round counted again with the chosen method: which single ballot decides who comes first?"""

from __future__ import annotations

import ipywidgets as w

from thidua_rank import analysis
from thidua_rank.errors import ThiduaRankError
from thidua_rank.i18n import Text
from thidua_rank.methods import rank
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table
from thidua_rank.ui.base import esc, message

__all__ = ["CRITICAL_LABELS", "CriticalSection"]

CRITICAL_LABELS: dict[str, Text] = {
    "sec_loo": Text("5. Phiếu then chốt", "5. Critical ballots"),
    "loo_help": Text("Bỏ đi từng phiếu một rồi đếm lại: phiếu nào, nếu không có, sẽ làm thay "
                     "đổi đơn vị đứng đầu?", "Remove one ballot at a time and count again: "
                                            "which ballot, if missing, would change who comes "
                                            "first?"),
    "loo_run": Text("Tìm phiếu then chốt", "Find critical ballots"),
    "what_loo": Text("bỏ từng phiếu ({method})", "leave one out ({method})"),
    "winners": Text("Đứng đầu theo {method}: {units}", "First under {method}: {units}"),
    "no_critical": Text("Không có phiếu nào mà nếu bỏ đi sẽ làm đổi đơn vị đứng đầu.",
                        "No single ballot changes who comes first."),
    "ballot": Text("Phiếu", "Ballot"),
    "count": Text("Số lượng", "Count"),
    "content": Text("Nội dung phiếu", "Ballot content"),
    "winners_without": Text("Đứng đầu nếu bỏ phiếu này", "First without this ballot"),
}


class CriticalSection(Section):
    """Leave one ballot out at a time: the ballots whose removal changes the winners."""

    def _build_loo(self) -> w.VBox:
        self.loo_button = self.analysis_button("loo_run", "tr-analyst-loo-run",
                                               self.run_leave_one_out)
        self.loo_out = w.HTML()
        self.loo_out.add_class("tr-analyst-loo-table")
        return w.VBox([self.text("sec_loo", "", "h3"), self.text("loo_help"),
                       self.loo_button, self.loo_out])

    def run_leave_one_out(self) -> bool:
        """Find the ballots whose removal changes the winners under the chosen method."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        method = self.method_select.value

        def action() -> None:
            winners = list(rank(ballots, method=method).winners)
            table = analysis.leave_one_out(ballots, method)
            self.results["loo"] = Computed(table, {"method": method, "winners": winners})
            self._render_loo()

        return self._compute(self.loo_button, "loo_run", self.t("what_loo", method=method),
                             action)

    def _ballot_text(self, ballot_id: str) -> str:
        """One ballot as a line: ``1. A · 2. B = C`` (ranked) or the marked units."""
        ballots = self.ballots
        assert ballots is not None and self.meeting is not None
        row = ballots.ranks[ballots.ids.index(ballot_id)]

        def label(unit: str) -> str:
            try:
                return self.meeting.member(unit).label  # type: ignore[union-attr]
            except ThiduaRankError:
                return unit

        if ballots.kind != "ranked":
            return ", ".join(label(u) for u, r in zip(ballots.units, row, strict=True) if r)
        places = sorted({int(r) for r in row if r})
        return " · ".join(f"{p}. " + " = ".join(label(u) for u, r in
                                                 zip(ballots.units, row, strict=True) if r == p)
                          for p in places)

    def _render_loo(self) -> None:
        found = self.results.get("loo")
        if found is None:
            self.loo_out.value = ""
            return
        p = found.params
        name = self._method_name(p["method"])
        winners = self.t("winners", method=name, units=", ".join(p["winners"]))
        head = f"<div class='tr-params'>{esc(winners)}</div>"
        if found.table.is_empty():
            self.loo_out.value = head + message(self.t("no_critical"), "ok")
            return
        header = [self.t("ballot"), self.t("count"), (self.t("content"), "tr-text"),
                  (self.t("winners_without"), "tr-text")]
        rows = [[r["ballot"], r["count"], (self._ballot_text(r["ballot"]), "tr-text"),
                 (", ".join(r["winners_without"]), "tr-text")] for r in found.table.to_dicts()]
        self.loo_out.value = head + html_table(header, rows)
