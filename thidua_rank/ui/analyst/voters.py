"""Section 8 of the analyst page: ballots far from the consensus, and what self-votes changed.

Each ballot's normalised Kendall distance to the consensus order (Borda or Kemeny) of the
round, outliers flagged; then the round's ranking with and without self-votes where the ballots
file names the voters, or the bound on what self-votes could have changed where it does not."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from thidua_rank import analysis
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Computed, Section
from thidua_rank.ui.analyst.tables import html_table, number
from thidua_rank.ui.base import esc

if TYPE_CHECKING:
    import altair as alt

__all__ = ["VOTERS_LABELS", "VotersSection"]

VOTERS_LABELS: dict[str, Text] = {
    "sec_voters": Text("8. Phiếu khác biệt và phiếu tự bầu",
                       "8. Ballots far from the consensus, and self-votes"),
    "voters_help": Text("Khoảng cách của mỗi phiếu tới thứ tự chung của vòng (0 = cùng thứ tự, "
                        "1 = ngược hẳn; một phiếu ngẫu nhiên cách trung bình 0,5). Phiếu khác "
                        "thường (chữ đỏ) nằm xa hơn hẳn các phiếu khác. Bảng thứ hai: hạng khi "
                        "bỏ phiếu tự bầu (khi biết đơn vị bầu), hoặc hạng tốt nhất và kém nhất "
                        "mà phiếu tự bầu có thể đã làm thay đổi (phiếu kín).",
                        "Each ballot's distance from the round's consensus order (0 = the same "
                        "order, 1 = reversed; a random ballot is 0.5 away on average). Outliers "
                        "(in red) sit much further away than the rest. Second table: the places "
                        "without self-votes (when the voters are known), or the best and worst "
                        "place self-votes could have changed (secret ballots)."),
    "consensus": Text("Thứ tự chung", "Consensus order"),
    "voters_run": Text("Phân tích phiếu", "Analyse the ballots"),
    "what_voters": Text("phân tích phiếu ({consensus})", "ballot analysis ({consensus})"),
    "voters_params": Text("Thứ tự chung: {consensus} · {outliers} phiếu khác thường",
                          "Consensus: {consensus} · {outliers} outlier ballots"),
    "voter": Text("Đơn vị bầu", "Voter"),
    "distance": Text("Khoảng cách", "Distance"),
    "outlier": Text("Khác thường", "Outlier"),
    "only_ranked": Text("Khoảng cách chỉ tính cho phiếu xếp hạng.",
                        "Distances are computed for ranked ballots only."),
    "distance_title": Text("Khoảng cách của từng phiếu tới thứ tự chung",
                           "Distance of each ballot from the consensus"),
    "self_known": Text("Biết đơn vị bầu của {n} phiếu: hạng khi bỏ dấu tự bầu rồi đếm lại.",
                       "The voters of {n} ballots are known: places with each self-vote "
                       "removed and the round counted again."),
    "self_secret": Text("Phiếu kín: hạng tốt nhất và kém nhất nếu bỏ một phiếu tự bầu của mỗi "
                        "đơn vị có mặt.", "Secret ballots: the best and worst place without "
                                          "one self-vote per unit present."),
    "self_unbounded": Text("Phương pháp của vòng này không cho giới hạn đơn giản (chỉ Borda và "
                           "đồng ý / chọn).", "This round's method gives no simple bound (only "
                                              "Borda and approval / choose do)."),
    "rank_without": Text("Hạng khi bỏ tự bầu", "Place without self-votes"),
    "change": Text("Thay đổi", "Change"),
    "rank_best": Text("Hạng tốt nhất", "Best place"),
    "rank_worst": Text("Hạng kém nhất", "Worst place"),
    "could_change": Text("Có thể đổi", "Could change"),
}


class VotersSection(Section):
    """Ballot distances (table + strip chart) and the self-vote effect (table)."""

    voters: dict[str, dict[str, str]]

    def _build_voters(self) -> w.VBox:
        self.consensus = w.Dropdown(options=[("Borda", "borda"), ("Kemeny", "kemeny")],
                                    value="borda", style={"description_width": "initial"},
                                    layout=w.Layout(width="20em"))
        self.consensus.add_class("tr-analyst-consensus")
        self.label(self.consensus, "consensus")
        self.voters_button = self.analysis_button("voters_run", "tr-analyst-voters-run",
                                                  self.run_voters)
        self.voters_out = w.HTML()
        self.voters_out.add_class("tr-analyst-voters-table")
        self.voters_chart = w.HTML()
        self.voters_chart.add_class("tr-analyst-voters-chart")
        self.self_votes_out = w.HTML()
        self.self_votes_out.add_class("tr-analyst-self-votes-table")
        self.figures["voters"] = self._voters_figure
        return w.VBox([self.text("sec_voters", "", "h3"), self.text("voters_help"),
                       self.consensus, self.voters_button, self.voters_out, self.voters_chart,
                       self.self_votes_out])

    def run_voters(self) -> bool:
        """Distances of the round's ballots from the consensus, and the self-vote effect."""
        ballots = self._need_ballots()
        if ballots is None or self.meeting is None:
            return False
        meeting, rid = self.meeting, self.round_select.value
        consensus = self.consensus.value
        known = self.voters.get(rid)

        def action() -> None:
            self.results.pop("voters", None)
            if ballots.kind == "ranked":
                table = analysis.voter_analysis(ballots, consensus=consensus, voters=known)
                self.results["voters"] = Computed(table, {"round": rid,
                                                          "consensus": consensus})
            effect = analysis.self_vote_effect(meeting, rid, voters=known)
            self.results["self_votes"] = Computed(effect, {
                "round": rid, "voters_known": len(known) if known else 0})
            self._forget_chart("voters")
            self._render_voters()

        return self._compute(self.voters_button, "voters_run",
                             self.t("what_voters", consensus=consensus), action)

    def _render_voters(self) -> None:
        self.voters_button.disabled = self.ballots is None
        found, effect = self.results.get("voters"), self.results.get("self_votes")
        if found is None:
            self.voters_out.value = self.voters_chart.value = ""
            if effect is not None:
                self.voters_out.value = f"<div class='tr-note'>{esc(self.t('only_ranked'))}</div>"
        else:
            table = found.table
            outliers = int(table.get_column("outlier").sum())
            params = self.t("voters_params", consensus=found.params["consensus"],
                            outliers=outliers)
            header = [self.t("ballot"), self.t("count"), (self.t("voter"), "tr-text"),
                      self.t("distance"), (self.t("outlier"), "tr-text")]
            rows = [[r["ballot"], r["count"], (r["voter"] or "—", "tr-text"),
                     (number(r["distance"], 3, self.lang),
                      "tr-spread-cell" if r["outlier"] else ""),
                     (self.t("yes" if r["outlier"] else "no"), "tr-text")]
                    for r in table.to_dicts()]
            classes = ["tr-differs" if r["outlier"] else "" for r in table.to_dicts()]
            self.voters_out.value = (f"<div class='tr-params'>{esc(params)}</div>"
                                     + html_table(header, rows, row_classes=classes))
            self.voters_chart.value = self._chart_html("voters", self.t("distance_title"))
        self._render_self_votes()

    def _render_self_votes(self) -> None:
        effect = self.results.get("self_votes")
        if effect is None:
            self.self_votes_out.value = ""
            return
        table = effect.table
        if "rank_without" in table.columns:
            note = self.t("self_known", n=effect.params["voters_known"])
            header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("rank_without"),
                      self.t("change")]
            rows = [[r["rank"], (r["unit"], "tr-text"), r["rank_without"],
                     f"{r['change']:+d}" if r["change"] else "0"] for r in table.to_dicts()]
            classes = ["tr-differs" if r["change"] else "" for r in table.to_dicts()]
        else:
            bounded = bool(table.get_column("bounded").all())
            note = self.t("self_secret") + ("" if bounded else " " + self.t("self_unbounded"))
            header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("rank_best"),
                      self.t("rank_worst"), (self.t("could_change"), "tr-text")]
            rows = [[r["rank"], (r["unit"], "tr-text"), r["rank_best"], r["rank_worst"],
                     (self.t("yes" if r["change_possible"] else "no"), "tr-text")]
                    for r in table.to_dicts()]
            classes = ["tr-differs" if r["change_possible"] else "" for r in table.to_dicts()]
        self.self_votes_out.value = (f"<div class='tr-params'>{esc(note)}</div>"
                                     + html_table(header, rows, row_classes=classes))

    def _voters_figure(self) -> alt.TopLevelMixin:
        from thidua_rank import charts  # altair loads with the first chart

        return charts.distance_chart(self.results["voters"].table, lang=self.lang,
                                     title=self.t("distance_title"))
