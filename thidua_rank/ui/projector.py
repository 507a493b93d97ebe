"""The projector's page: live turnout, results hidden until the chair reveals them, a reveal
place by place that ends on a podium, joint places shown as joint, the awards per tier and
charts. Large type; nothing to click (the chair drives it)."""

from __future__ import annotations

from typing import ClassVar

import ipywidgets as w

from thidua_rank.engine.result import RankResult
from thidua_rank.i18n import Text, round_title
from thidua_rank.live.session import OUTCOME_FOCUS, RoundView
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.text import format_number, format_percent, place_name
from thidua_rank.ui.base import esc
from thidua_rank.ui.live_page import LivePage

__all__ = ["ProjectorPage", "reveal_rows"]


def reveal_rows(result: RankResult, step: int) -> tuple[list[list[str]], bool]:
    """The place groups shown after *step* reveals (from the last place up), and whether the
    reveal is complete.

    >>> import thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[0, 1, 2], [0, 2, 1]], units=["A", "B", "C"])
    >>> reveal_rows(tr.rank(b, method="borda"), 1)
    ([['B', 'C']], False)
    >>> reveal_rows(tr.rank(b, method="borda"), 2)
    ([['A'], ['B', 'C']], True)
    """
    groups = result.groups()
    shown = groups[max(len(groups) - step, 0):]
    return shown, step >= len(groups)


class ProjectorPage(LivePage):
    """What the room sees on the wall."""

    CSS_CLASS = "tr-page tr-projector"
    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Kết quả bỏ phiếu thi đua", "Emulation vote results"),
        "idle": Text("Chào mừng các đại biểu. Vòng bỏ phiếu sẽ sớm bắt đầu.",
                     "Welcome. Voting will start shortly."),
        "draft": Text("Chuẩn bị: {title}", "Coming up: {title}"),
        "turnout": Text("{done} / {issued} đã bỏ phiếu", "{done} / {issued} have voted"),
        "hidden": Text("Kết quả được giữ kín cho đến khi Chủ tọa công bố.",
                       "Results stay hidden until the chair reveals them."),
        "closed": Text("Đã đóng vòng bỏ phiếu: {n} phiếu. Chờ Chủ tọa công bố.",
                       "Voting closed: {n} ballots. Waiting for the chair."),
        "counts": Text("Phát ra {issued} · Thu về {returned} · Hợp lệ {valid} · Không hợp lệ "
                       "{invalid}", "Issued {issued} · Returned {returned} · Valid {valid} · "
                                    "Invalid {invalid}"),
        "place": Text("Hạng", "Place"),
        "unit": Text("Đơn vị", "Unit"),
        "score": Text("Điểm", "Score"),
        "votes": Text("Số phiếu", "Votes"),
        "share": Text("Tỷ lệ", "Share"),
        "awards": Text("Đề nghị khen thưởng", "Proposed awards"),
        "tier": Text("Hình thức", "Award"),
        "head": Text("Trưởng khối năm {year}: {unit}", "Head unit for {year}: {unit}"),
        "deputies": Text("Phó Trưởng khối: {units}", "Deputy heads: {units}"),
        "pending": Text("Chưa đủ: {rounds}", "Still to come: {rounds}"),
        "no_ballots": Text("Chưa có phiếu hợp lệ.", "No valid ballots."),
        "podium": Text("Bục vinh danh", "Podium"),
        "ranking": Text("Kết quả xếp hạng", "Ranking"),
        "chain": Text("Mã kiểm tra hòm phiếu: {head}", "Ballot box chain head: {head}"),
    }

    def build(self) -> None:
        self.turnout = w.HTML()
        self.turnout.add_class("tr-turnout")
        self.main = w.HTML()
        self.main.add_class("tr-results")
        self.chart = w.HTML()
        self.chart.add_class("tr-chart")
        self.body.children = [self.turnout, self.main, self.chart]
        self._chart_key: object = None

    # -- rendering ----------------------------------------------------------------------------
    def refresh(self) -> None:
        box = self.live.box
        focus = box.meta("focus")
        if focus == OUTCOME_FOCUS:
            self.turnout.value = ""
            self._outcome()
            return
        rounds = box.rounds()
        if focus is None:
            focus = next((s.id for s, st in rounds if st == "open"), None)
        if focus is None:
            self.turnout.value = f"<div class='tr-big'>{esc(self.t('idle'))}</div>"
            self.main.value = ""
            self._set_chart(None, None)
            return
        view = self.live.view(focus)
        self._round(view)

    def _round(self, view: RoundView) -> None:
        spec = view.spec
        title = round_title(spec.title, spec.title_en, self.lang)
        head = f"<h2 class='tr-round-title'>{esc(title)}</h2>"
        done = view.voted + view.paper
        if view.state == "draft":
            self.turnout.value = head + f"<div>{esc(self.t('draft', title=title))}</div>"
            self.main.value = ""
            self._set_chart(None, None)
            return
        pct = min(100 * done / view.issued, 100) if view.issued else 0
        bar = (f"<div style='background:#eee;border-radius:6px;height:18px'><div style='"
               f"background:#2e7d32;width:{pct:.0f}%;height:18px;border-radius:6px'></div></div>")
        self.turnout.value = (head + f"<div class='tr-big tr-turnout-count'>"
                              f"{esc(self.t('turnout', done=done, issued=view.issued))}</div>"
                              + bar)
        if view.state == "open":
            self.main.value = f"<p><i>{esc(self.t('hidden'))}</i></p>"
            self._set_chart(None, None)
            return
        chain = self._chain(self.live.event_head("closed", spec.id))
        if view.state == "closed":
            self.main.value = f"<p>{esc(self.t('closed', n=done))}</p>" + chain
            self._set_chart(None, None)
            return
        ballots = view.ballots
        assert ballots is not None
        counts = self.t("counts", issued=view.issued, returned=ballots.n_ballots +
                        ballots.n_invalid, valid=ballots.n_ballots, invalid=ballots.n_invalid)
        if view.result is None:
            self.main.value = f"<p>{esc(counts)}</p><p>{esc(self.t('no_ballots'))}</p>"
            self._set_chart(None, None)
            return
        step = self.live.box.reveal_step(spec.id)
        shown, complete = reveal_rows(view.result, step)
        approval = spec.kind != "ranked"
        html = f"<p>{esc(counts)}</p>"
        if complete:
            html += self._podium(view.result.groups())
        html += self._table(view.result, shown, approval=approval, valid=ballots.n_ballots)
        self.main.value = html + chain
        self._set_chart(("round", spec.id, complete, self.lang),
                        view.result if complete else None,
                        self.t("votes" if approval else "score"))

    def _table(self, result: RankResult, shown: list[list[str]], *, approval: bool,
               valid: int) -> str:
        rank = dict(zip(result.units, result.table.get_column("rank").to_list(), strict=True))
        score = result.exact
        head = (f"<tr><th>{esc(self.t('place'))}</th><th>{esc(self.t('unit'))}</th>"
                f"<th>{esc(self.t('votes' if approval else 'score'))}</th>"
                + (f"<th>{esc(self.t('share'))}</th>" if approval else "") + "</tr>")
        rows = []
        for group in shown:
            for unit in group:
                place = place_name(int(rank[unit]), joint=len(group) > 1, lang=self.lang)
                share = (f"<td>{esc(format_percent(score[unit] / valid))}</td>"
                         if approval and valid else "")
                rows.append(f"<tr class='tr-place-row'><td class='tr-place'>{esc(place)}</td>"
                            f"<td>{esc(unit)}</td><td>{esc(format_number(score[unit], 2))}</td>"
                            f"{share}</tr>")
        return f"<table class='tr-ranking'>{head}{''.join(rows)}</table>"

    def _podium(self, groups: list[list[str]]) -> str:
        steps = []
        place = 1
        for group in groups:
            if place > 3:
                break
            joint = len(group) > 1
            label = place_name(place, joint=joint, lang=self.lang)
            height = {1: 9, 2: 7, 3: 5}[place]
            names = "<br>".join(esc(u) for u in group)
            steps.append((place, f"<div class='tr-step tr-podium-{place}' style='min-height:"
                                 f"{height}em'><b>{esc(label)}</b><br>{names}</div>"))
            place += len(group)
        order = [s for p in (2, 1, 3) for q, s in steps if q == p]
        return (f"<h3>{esc(self.t('podium'))}</h3><div class='tr-podium'>{''.join(order)}"
                f"</div>")

    def _outcome(self) -> None:
        missing = self.live.missing_rounds()
        if missing:
            self.main.value = f"<p>{esc(self.t('pending', rounds=', '.join(missing)))}</p>"
            self._set_chart(None, None)
            return
        outcome = self.live.outcome()
        assert outcome is not None
        self.main.value = (f"<h2>{esc(self.t('ranking'))}</h2>"
                           + self._podium(outcome.ranking.groups())
                           + self._awards(outcome) + self._leadership(outcome)
                           + self._chain(self.live.event_head("accepted")))
        awarded = {u.unit for a in outcome.awards for u in a.units}
        self._set_chart(("outcome", self.lang, tuple(sorted(awarded)),
                         tuple(outcome.ranking.units)), outcome.ranking,
                        self.t("score"), awarded)

    def _chain(self, head: str | None) -> str:
        """The chain head people copy into the minutes (``thidua-rank verify --head``)."""
        if head is None:
            return ""
        return f"<p class='tr-chain-head'>{esc(self.t('chain', head=head))}</p>"

    def _awards(self, outcome: MeetingOutcome) -> str:
        rows = []
        for award in outcome.awards:
            label = Text(award.tier.label, award.tier.label_en).get(self.lang)
            units = "<br>".join(
                f"{esc(u.unit)} <small>({esc(place_name(u.place, joint=u.joint, lang=self.lang))}"
                f")</small>" for u in award.units) or "—"
            if award.pending:
                units += "<br><i>" + esc(", ".join(award.pending)) + " …</i>"
            rows.append(f"<tr class='tr-award-row' data-tier='{esc(award.tier.id)}'><td>"
                        f"<b>{esc(label)}</b></td><td>{units}</td></tr>")
        return (f"<h2>{esc(self.t('awards'))}</h2><table class='tr-awards'><tr><th>"
                f"{esc(self.t('tier'))}</th><th>{esc(self.t('unit'))}</th></tr>"
                f"{''.join(rows)}</table>")

    def _leadership(self, outcome: MeetingOutcome) -> str:
        info = outcome.meeting.config.meeting
        year = info.term_year or (info.year_reviewed + 1 if info.year_reviewed else "")
        parts = []
        if outcome.leadership.head:
            parts.append(self.t("head", year=year, unit=outcome.leadership.head))
        if outcome.leadership.deputies:
            parts.append(self.t("deputies", units=", ".join(outcome.leadership.deputies)))
        return "".join(f"<p class='tr-leadership'><b>{esc(p)}</b></p>" for p in parts)

    def _set_chart(self, key: object, result: RankResult | None, label: str = "",
                   awarded: set[str] | None = None) -> None:
        """Render the chart only when what it shows changed (rendering costs ~0.2 s)."""
        if key == self._chart_key:
            return
        self._chart_key = key
        if result is None:
            self.chart.value = ""
            return
        from thidua_rank.charts import chart_data_uri, result_chart

        chart = result_chart(result, awarded=awarded, value_label=label)
        self.chart.value = f"<img alt='chart' style='max-width:100%' src='{chart_data_uri(chart)}'>"
