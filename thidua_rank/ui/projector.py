"""The projector's page: a hall display read from 15 m, one screen per moment, switching by
itself as the chair drives the ballot box.

Screens (chosen by :func:`~thidua_rank.ui.projector_screens.choose_screen`): the welcome with
the agenda; the turnout of every open round side by side (results hidden); a round just closed
(counts and the chain head); a ranking revealed place by place from the last place up, joint
places together, ending on a podium; a head or deputies round as an election (votes, share of
what, the threshold, elected or not, the instant-runoff counts, the seats left unfilled); the
overall outcome (awards per tier, then head and deputies, chain head). Each of the last three
ends on a chart page drawn by the report builders at projector size
(:func:`~thidua_rank.charts.outcome_chart`, :func:`~thidua_rank.charts.election_chart`; labels
24 px at 1920×1080), rendered in short steps between polls so the page never stalls. Long
lists are cut into pages that turn every :data:`PAGE_SECONDS` on the page's own poll timer.
Sizes follow the viewport (``--u`` is 1 % of the width, or of 16:9 height), so the same screen
fits 1920×1080, 1280×720 and 1024×768. Nothing to click (the chair drives it).
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as w

from thidua_rank.i18n import Text, round_title
from thidua_rank.live.session import RoundView
from thidua_rank.text import format_number, format_percent, place_name
from thidua_rank.ui.base import esc
from thidua_rank.ui.live_page import LivePage
from thidua_rank.ui.projector_screens import (
    ROWS_PER_PAGE,
    ScreenChoice,
    choose_screen,
    paginate,
    round_election,
)

if TYPE_CHECKING:
    from thidua_rank._typing import Language
    from thidua_rank.engine.result import RankResult
    from thidua_rank.meeting.elections import Election
    from thidua_rank.meeting.pipeline import MeetingOutcome

__all__ = ["CHART_SCALE", "PAGE_SECONDS", "PROJECTOR_STYLE", "Chart", "ProjectorPage",
           "chart_img", "render_steps", "reveal_rows"]

PAGE_SECONDS = 8.0
"""How long a page of a long list stays up before the next one."""

CHART_SCALE = 2.0
"""Device pixels per CSS pixel of a chart's PNG (sharp on a 2× screen too)."""

CHART_ROOM = "9 * var(--u) + 40px"
"""Height a chart page keeps for the header and the pager (measured in Chromium: 191 px of
1080, 144 of 720, 122 of 768); the chart has the rest of the viewport's height, so a chart up
to 860 px tall is shown at its natural size at 1920×1080."""

PROJECTOR_STYLE = """
<style>
body { margin: 0 !important; background: #fff; }
.tr-projector { --u: min(1vw, 1.778vh); max-width: none !important; width: 96vw !important;
                margin: 0 auto !important; color: #111; background: #fff;
                font-size: calc(1.8 * var(--u)); line-height: 1.25; }
.tr-projector * { box-sizing: border-box; }
.tr-projector .widget-html-content, .tr-projector .widget-html { font-size: inherit;
                line-height: 1.25; white-space: normal; overflow-wrap: anywhere; }
.tr-projector .widget-html, .tr-projector .widget-box { width: 100%; overflow: visible;
                margin-left: 0; margin-right: 0; }
.tr-projector .widget-hbox > .widget-html { width: auto; flex: 1 1 auto; min-width: 0; }
.tr-projector h1 { font-size: calc(2.4 * var(--u)); margin: 0.1em 0 0; }
.tr-projector .tr-sub { color: #222; font-size: calc(1.7 * var(--u)); margin: 0; }
.tr-projector .tr-lang { width: auto !important; flex: none; }
.tr-projector .tr-lang button { font-size: calc(1.5 * var(--u)) !important;
                width: auto !important; height: auto !important; padding: 0.2em 0.5em !important;
                color: #111 !important; background: #fff !important; border: 2px solid #111; }
.tr-projector .tr-lang button.mod-active { color: #fff !important; background: #111 !important; }
.tr-projector .tr-msg { font-size: calc(1.8 * var(--u)); }
.tr-projector h2 { font-size: calc(3 * var(--u)); margin: 0.2em 0 0.3em; line-height: 1.2; }
.tr-projector .tr-line { margin: 0.15em 0; }
.tr-projector .tr-note { color: #222; margin: 0.3em 0; }
.tr-projector table { border-collapse: collapse; width: 100%; table-layout: auto; }
.tr-projector td, .tr-projector th { padding: 0.2em 0.5em; border-bottom: 2px solid #bbb;
                text-align: left; vertical-align: top; font-size: calc(2 * var(--u)); }
.tr-projector th { color: #222; font-size: calc(1.7 * var(--u)); }
.tr-projector td.tr-num { text-align: right; white-space: nowrap; }
.tr-projector .tr-welcome { font-size: calc(3.4 * var(--u)); font-weight: bold;
                margin: 0.4em 0; }
.tr-projector .tr-agenda { font-size: calc(2.4 * var(--u)); margin: 0.2em 0; padding-left: 1.4em; }
.tr-projector .tr-agenda li { margin: 0.25em 0; }
.tr-projector .tr-cards { display: flex; gap: calc(2 * var(--u)); align-items: stretch; }
.tr-projector .tr-card { flex: 1 1 0; min-width: 0; border: 3px solid #111; border-radius: 8px;
                padding: calc(1.2 * var(--u)); }
.tr-projector .tr-card h3 { font-size: calc(2.4 * var(--u)); margin: 0 0 0.4em; }
.tr-projector .tr-turnout-count { font-size: calc(8 * var(--u)); font-weight: bold;
                line-height: 1.25; white-space: nowrap; }
.tr-projector .tr-cards-3 .tr-turnout-count { font-size: calc(5.5 * var(--u)); }
.tr-projector .tr-turnout-word { font-size: calc(2.4 * var(--u)); margin-bottom: 0.4em; }
.tr-projector .tr-bar { width: 100%; height: calc(3 * var(--u)); background: #ccc;
                border: 2px solid #111; border-radius: 6px; overflow: hidden; }
.tr-projector .tr-bar > div { height: 100%; max-width: 100%; background: #1b5e20; }
.tr-projector .tr-tiles { display: flex; gap: calc(1.5 * var(--u)); flex-wrap: wrap; }
.tr-projector .tr-tile { flex: 1 1 0; min-width: 0; border: 3px solid #111; border-radius: 8px;
                padding: calc(1 * var(--u)); text-align: center; }
.tr-projector .tr-tile b { display: block; font-size: calc(7 * var(--u)); line-height: 1.25; }
.tr-projector .tr-place { white-space: nowrap; font-weight: bold; }
.tr-projector .tr-podium { display: flex; align-items: flex-end; justify-content: center;
                gap: calc(1.5 * var(--u)); margin: 0.4em 0; }
.tr-projector .tr-podium div.tr-step { background: #7f0000; color: #fff; text-align: center;
                padding: 0.5em; border-radius: 8px 8px 0 0; flex: 1 1 0; min-width: 0;
                font-size: calc(2.2 * var(--u)); }
.tr-projector .tr-podium .tr-step-unit { margin-top: 0.4em; }
.tr-projector .tr-podium .tr-step-place { font-weight: bold; font-size: calc(1.9 * var(--u)); }
.tr-projector tr.tr-elected td { background: #1b5e20; color: #fff; font-weight: bold; }
.tr-projector .tr-unfilled { background: #7f0000; color: #fff; font-weight: bold;
                padding: 0.3em 0.6em; border-radius: 6px; margin: 0.4em 0; }
.tr-projector .tr-leadership { font-size: calc(2.4 * var(--u)); margin: 0.3em 0; }
.tr-projector .tr-chain-head { font-family: 'DejaVu Sans Mono', monospace; margin: 0.4em 0; }
.tr-projector .tr-pager { text-align: right; color: #222; font-size: calc(1.6 * var(--u)); }
.tr-projector .tr-chart img { display: block; margin: 0 auto; height: auto; }
.tr-projector .tr-chart { text-align: center; }
</style>
"""


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


@dataclass(frozen=True)
class Chart:
    """A chart page's chart: its *key* (rendered once per key while its screen lasts) and
    *make* (returns the altair chart, drawn at projector size)."""

    key: object
    make: Callable[[], Any]


@dataclass(frozen=True)
class Page:
    """One page of a screen: its body, and on a chart page the chart under it."""

    html: str
    chart: Chart | None = None


@dataclass(frozen=True)
class Screen:
    """What the wall shows now: heading, pages, and what identifies it (a new key goes back to
    the first page)."""

    key: object
    heading: str
    pages: tuple[Page, ...]


class ProjectorPage(LivePage):
    """What the room sees on the wall."""

    CSS_CLASS = "tr-page tr-projector"
    EXTRA_STYLE = PROJECTOR_STYLE
    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Kết quả bỏ phiếu thi đua", "Emulation vote results"),
        "welcome": Text("Chào mừng các đại biểu về dự hội nghị!",
                        "Welcome to the meeting, delegates!"),
        "agenda": Text("Chương trình bỏ phiếu", "Voting agenda"),
        "idle": Text("Vòng bỏ phiếu sẽ sớm bắt đầu.", "Voting will start shortly."),
        "voting": Text("Đang bỏ phiếu", "Voting in progress"),
        "turnout": Text("{done} / {issued}", "{done} / {issued}"),
        "voted": Text("đã bỏ phiếu", "have voted"),
        "hidden": Text("Kết quả được giữ kín cho đến khi Chủ tọa công bố.",
                       "Results stay hidden until the chair reveals them."),
        "closed": Text("Đã đóng vòng bỏ phiếu: {n} phiếu. Chờ Chủ tọa công bố.",
                       "Voting closed: {n} ballots. Waiting for the chair."),
        "issued": Text("Phát ra", "Issued"),
        "returned": Text("Thu về", "Returned"),
        "valid": Text("Hợp lệ", "Valid"),
        "invalid": Text("Không hợp lệ", "Invalid"),
        "counts": Text("Phát ra {issued} · Thu về {returned} · Hợp lệ {valid} · Không hợp lệ "
                       "{invalid}", "Issued {issued} · Returned {returned} · Valid {valid} · "
                                    "Invalid {invalid}"),
        "place": Text("Hạng", "Place"),
        "unit": Text("Đơn vị", "Unit"),
        "score": Text("Điểm", "Score"),
        "votes": Text("Số phiếu", "Votes"),
        "share": Text("Tỷ lệ", "Share"),
        "share_of": Text("Tỷ lệ trên {what}", "Share of {what}"),
        "valid_ballots": Text("phiếu hợp lệ", "valid ballots"),
        "first_prefs": Text("Phiếu xếp thứ nhất", "First preferences"),
        "result": Text("Kết quả", "Result"),
        "elected": Text("Trúng cử", "Elected"),
        "not_elected": Text("Không trúng cử", "Not elected"),
        "excluded": Text("Không xét (đã trúng cử)", "Not eligible (already elected)"),
        "seats": Text("Bầu {seats} {role}", "Electing {seats} {role_en}(s)"),
        "threshold": Text("Trúng cử khi đạt {rule}", "Elected with {rule}"),
        "no_threshold": Text("Trúng cử: đơn vị nhiều phiếu nhất",
                             "Elected: the units with most votes"),
        "irv_rule": Text("Bầu theo phương pháp loại dần: trúng cử khi có trên 50% số phiếu còn "
                         "hiệu lực ở lần đếm đó",
                         "Instant runoff: elected with more than 50% of the ballots live in "
                         "that count"),
        "irv_counts": Text("Các lần đếm (loại dần)", "Instant-runoff counts"),
        "count": Text("Lần đếm", "Count"),
        "live_ballots": Text("Phiếu còn hiệu lực", "Live ballots"),
        "eliminated": Text("Bị loại", "Eliminated"),
        "not_decided": Text("Trúng cử được xác định khi công bố vòng xếp hạng.",
                            "Who is elected is known once the ranking round is revealed."),
        "awards": Text("Đề nghị khen thưởng", "Proposed awards"),
        "tier": Text("Hình thức", "Award"),
        "outcome": Text("Kết quả chung của hội nghị", "The meeting's outcome"),
        "head": Text("Trưởng khối năm {year}: {unit}", "Head unit for {year}: {unit}"),
        "deputies": Text("Phó Trưởng khối: {units}", "Deputy heads: {units}"),
        "pending": Text("Chưa đủ: {rounds}", "Still to come: {rounds}"),
        "no_ballots": Text("Chưa có phiếu hợp lệ.", "No valid ballots."),
        "podium": Text("Bục vinh danh", "Podium"),
        "ranking": Text("Kết quả xếp hạng", "Ranking"),
        "chart": Text("Biểu đồ", "Chart"),
        "chain": Text("Mã kiểm tra hòm phiếu: {head}", "Ballot box chain head: {head}"),
        "page": Text("Trang {n}/{of}", "Page {n}/{of}"),
    }

    def __init__(self, live: Any, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        super().__init__(live)

    def build(self) -> None:
        self.turnout = w.HTML()
        self.turnout.add_class("tr-turnout")
        self.main = w.HTML()
        self.main.add_class("tr-results")
        self.chart = w.HTML()
        self.chart.add_class("tr-chart")
        self.pager = w.HTML()
        self.pager.add_class("tr-pager")
        self.body.children = [self.turnout, self.main, self.chart, self.pager]
        self._chart_key: object = None
        self._charts: dict[object, str | Iterator[str | None]] = {}
        """Per chart key: its <img> once rendered, or its rendering under way."""
        self.screen: Screen | None = None
        self.choice: ScreenChoice | None = None
        self.page_index = 0
        self._page_since = 0.0

    # -- live updates and pages ---------------------------------------------------------------
    def poll_once(self) -> bool:
        """Refresh on a ballot-box change; otherwise turn the page of a long list every
        :data:`PAGE_SECONDS` (the poll timer is the page's only clock)."""
        if super().poll_once():
            return True
        if not self.safe(self.tick):
            self.safe(self.prepare_chart)
        return False

    def tick(self) -> bool:
        """Show the next page when the present one has been up :data:`PAGE_SECONDS`; True if
        the page turned."""
        if self.screen is None or len(self.screen.pages) < 2:
            return False
        now = self._clock()
        if now - self._page_since < PAGE_SECONDS:
            return False
        self.page_index = (self.page_index + 1) % len(self.screen.pages)
        self._page_since = now
        self._show_page()
        return True

    def prepare_chart(self) -> bool:
        """Take one step (0.03–0.17 s measured) of rendering the present screen's next chart that is
        not ready yet; True if there was one. The poll loop calls this when it has nothing else
        to do, so a chart page is ready before it comes up, and no single poll waits for a
        whole chart."""
        if self.screen is None:
            return False
        for page in self.screen.pages:
            if page.chart is None or isinstance(self._charts.get(page.chart.key), str):
                continue
            job = self._job(page.chart)
            html = self._step(page.chart.key, lambda j=job: next(j))
            if html is not None:
                self._charts[page.chart.key] = html
            return True
        return False

    def _job(self, chart: Chart) -> Iterator[str | None]:
        """The rendering of *chart* under way (started now if it was not)."""
        job = self._charts.get(chart.key)
        if not isinstance(job, Iterator):
            job = self._charts[chart.key] = render_steps(chart)
        return job

    def _step(self, key: object, step: Callable[[], str | None]) -> str | None:
        """Run a rendering step; a chart that cannot be drawn is left empty (the error shows
        once on the status line) instead of being tried again at every poll."""
        try:
            return step()
        except Exception:
            self._charts[key] = ""
            raise

    # -- rendering ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self.choice = choose_screen(self.live)
        build = {"welcome": self._welcome, "turnout": self._turnout, "closed": self._closed,
                 "reveal": self._reveal, "election": self._election, "outcome": self._outcome,
                 "pending": self._pending}[self.choice.kind]
        screen = build(self.choice)
        if self.screen is None or screen.key != self.screen.key:
            self.page_index = 0
            self._page_since = self._clock()
            keys = {p.chart.key for p in screen.pages if p.chart is not None}
            self._charts = {k: v for k, v in self._charts.items() if k in keys}
        self.screen = screen
        self.page_index %= len(screen.pages)
        self._show_page()

    def _show_page(self) -> None:
        assert self.screen is not None
        screen, n = self.screen, len(self.screen.pages)
        page = screen.pages[self.page_index]
        # a chart names what it shows in its caption: its page gives the heading's room to it
        self.turnout.value = "" if page.chart is not None else screen.heading
        self.main.value = page.html
        self._set_chart(page.chart)
        self.pager.value = ("" if n < 2 else
                            f"<div>{esc(self.t('page', n=self.page_index + 1, of=n))}</div>")

    def _set_chart(self, chart: Chart | None) -> None:
        """Show a chart (or none); each is rendered once and kept while its screen lasts, so
        turning back to the chart page costs nothing. Normally :meth:`prepare_chart` has
        rendered it already; if not, the rest is done now."""
        key = None if chart is None else chart.key
        if key == self._chart_key:
            return
        self._chart_key = key
        if chart is None:
            self.chart.value = ""
            return
        if not isinstance(self._charts.get(key), str):  # finish the rendering now
            job = self._job(chart)
            self._charts[key] = self._step(
                key, lambda: next(html for html in job if html is not None)) or ""
        self.chart.value = self._charts[key]

    def _title(self, spec: Any) -> str:
        return round_title(spec.title, spec.title_en, self.lang)

    def _h2(self, text: str) -> str:
        return f"<h2 class='tr-round-title'>{esc(text)}</h2>"

    def _chain(self, head: str | None) -> str:
        """The chain head people copy into the minutes (``thidua-rank verify --head``)."""
        if head is None:
            return ""
        return f"<p class='tr-chain-head'>{esc(self.t('chain', head=head))}</p>"

    # -- 1. welcome ---------------------------------------------------------------------------
    def _welcome(self, choice: ScreenChoice) -> Screen:
        rounds = [spec for spec, _ in self.live.box.rounds()]
        items = [f"<li>{esc(self._title(s))}</li>" for s in rounds]
        pages = []
        for chunk in paginate(items, 6):
            pages.append(Page(f"<div class='tr-welcome'>{esc(self.t('welcome'))}</div>"
                              f"<div class='tr-line'><b>{esc(self.t('agenda'))}</b></div>"
                              f"<ol class='tr-agenda'>{''.join(chunk)}</ol>"
                              f"<p class='tr-note'>{esc(self.t('idle'))}</p>"))
        info = self.meeting_info()
        heading = self._h2(info.title or self.t("title"))
        return Screen(("welcome", self.lang, tuple(s.id for s in rounds)), heading, tuple(pages))

    # -- 2. turnout ---------------------------------------------------------------------------
    def _turnout(self, choice: ScreenChoice) -> Screen:
        cards = []
        for round_id in choice.rounds:
            view = self.live.view(round_id)
            done = view.voted + view.paper
            pct = min(100 * done / view.issued, 100) if view.issued else 0
            cards.append(
                f"<div class='tr-card' data-round='{esc(round_id)}'>"
                f"<h3>{esc(self._title(view.spec))}</h3>"
                f"<div class='tr-turnout-count'>"
                f"{esc(self.t('turnout', done=done, issued=view.issued))}</div>"
                f"<div class='tr-turnout-word'>{esc(self.t('voted'))}</div>"
                f"<div class='tr-bar'><div style='width:{pct:.1f}%'></div></div></div>")
        pages = []
        for chunk in paginate(cards, 3):
            pages.append(Page(f"<div class='tr-cards tr-cards-{len(chunk)}'>{''.join(chunk)}"
                              f"</div><p class='tr-note'><i>{esc(self.t('hidden'))}</i></p>"))
        return Screen(("turnout", choice.rounds, self.lang), self._h2(self.t("voting")),
                      tuple(pages))

    # -- 3. closed ----------------------------------------------------------------------------
    def _counts(self, round_id: str) -> dict[str, int]:
        row = next(r for r in self.live.status() if r["id"] == round_id)
        return {k: int(row[k]) for k in ("issued", "returned", "valid", "invalid")}

    def _closed(self, choice: ScreenChoice) -> Screen:
        round_id = choice.rounds[0]
        spec = self.live.box.spec(round_id)
        counts = self._counts(round_id)
        tiles = "".join(f"<div class='tr-tile'><b>{counts[k]}</b>{esc(self.t(k))}</div>"
                        for k in ("issued", "returned", "valid", "invalid"))
        html = (f"<div class='tr-tiles'>{tiles}</div>"
                f"<p class='tr-line'>{esc(self.t('closed', n=counts['returned']))}</p>"
                + self._chain(self.live.event_head("closed", round_id)))
        return Screen(("closed", round_id, self.lang), self._h2(self._title(spec)),
                      (Page(html),))

    # -- 4. reveal ----------------------------------------------------------------------------
    def _counts_line(self, view: RoundView) -> str:
        ballots = view.ballots
        assert ballots is not None
        return self.t("counts", issued=view.issued, returned=ballots.n_ballots + ballots.n_invalid,
                      valid=ballots.n_ballots, invalid=ballots.n_invalid)

    def _reveal(self, choice: ScreenChoice) -> Screen:
        round_id = choice.rounds[0]
        view = self.live.view(round_id)
        heading = self._h2(self._title(view.spec))
        counts = f"<p class='tr-line'>{esc(self._counts_line(view))}</p>"
        if view.result is None:
            return Screen(("reveal", round_id, self.lang, None), heading,
                          (Page(counts + f"<p>{esc(self.t('no_ballots'))}</p>"),))
        ballots = view.ballots
        assert ballots is not None
        step = self.live.box.reveal_step(round_id)
        shown, complete = reveal_rows(view.result, step)
        approval = view.spec.kind != "ranked"
        rows = self._place_rows(view.result, shown, approval=approval, valid=ballots.n_ballots)
        head = self._table_head(approval)
        pages = []
        if complete:
            pages.append(Page(counts + self._podium(view.result.groups())))
        for chunk in paginate(rows):
            pages.append(Page(counts + f"<table class='tr-ranking'>{head}{''.join(chunk)}"
                                       f"</table>"))
        if complete:
            from thidua_rank.charts.style import scale_name

            result, title = view.result, self._title(view.spec)
            label = scale_name(result.method, self.lang)  # "Điểm Borda", "Số phiếu đồng ý"…
            pages.append(Page("", Chart(("round", round_id, self.lang),
                                        lambda: self._plain_chart(result, label, title))))
        return Screen(("reveal", round_id, step, self.lang), heading, tuple(pages))

    def _table_head(self, approval: bool) -> str:
        return (f"<tr><th>{esc(self.t('place'))}</th><th>{esc(self.t('unit'))}</th>"
                f"<th class='tr-num'>{esc(self.t('votes' if approval else 'score'))}</th>"
                + (f"<th class='tr-num'>{esc(self.t('share'))}</th>" if approval else "")
                + "</tr>")

    def _place_rows(self, result: RankResult, shown: list[list[str]], *, approval: bool,
                    valid: int) -> list[str]:
        rank = dict(zip(result.units, result.table.get_column("rank").to_list(), strict=True))
        score = result.exact
        rows = []
        for group in shown:
            for unit in group:
                place = place_name(int(rank[unit]), joint=len(group) > 1, lang=self.lang)
                share = (f"<td class='tr-num'>{esc(format_percent(score[unit] / valid))}</td>"
                         if approval and valid else "")
                rows.append(f"<tr class='tr-place-row'><td class='tr-place'>{esc(place)}</td>"
                            f"<td>{esc(unit)}</td><td class='tr-num'>"
                            f"{esc(format_number(score[unit], 2, lang=self.lang))}</td>"
                            f"{share}</tr>")
        return rows

    def _podium(self, groups: list[list[str]]) -> str:
        """Places 1 to 3 as steps (2, 1, 3); a joint place names its place on every unit."""
        steps = []
        place = 1
        for group in groups:
            if place > 3:
                break
            label = place_name(place, joint=len(group) > 1, lang=self.lang)
            height = {1: 9, 2: 7, 3: 5}[place]
            names = "".join(f"<div class='tr-step-unit'><div class='tr-step-place'>"
                            f"{esc(label)}</div>{esc(u)}</div>" for u in group)
            steps.append((place, f"<div class='tr-step tr-podium-{place}' style='min-height:"
                                 f"{height}em'>{names}</div>"))
            place += len(group)
        order = [s for p in (2, 1, 3) for q, s in steps if q == p]
        return (f"<div class='tr-line'><b>{esc(self.t('podium'))}</b></div>"
                f"<div class='tr-podium'>{''.join(order)}</div>")

    # -- 5. elections -------------------------------------------------------------------------
    def _election(self, choice: ScreenChoice) -> Screen:
        round_id = choice.rounds[0]
        view = self.live.view(round_id)
        heading = self._h2(self._title(view.spec))
        counts = f"<p class='tr-line'>{esc(self._counts_line(view))}</p>"
        election = round_election(self.live, round_id)
        key = ("election", round_id, self.lang, election is not None)
        if election is None:
            return Screen(key, heading, self._election_undecided(view, counts))
        return Screen(key, heading, self._election_pages(election, counts))

    def _rule(self, e: Election) -> str:
        from thidua_rank.meeting.elections import DENOMINATOR_WORDS

        if e.is_instant_runoff:
            return self.t("irv_rule")
        th = e.threshold
        if th is None:
            return self.t("no_threshold")
        share = format_percent(th.share, 2).replace(",00", "")
        if self.lang == "en":
            share = share.replace(",", ".")
            what = DENOMINATOR_WORDS[th.denominator][1]
            rule = f"{'more than' if th.comparison == '>' else 'at least'} {share} of {what}"
        else:
            from thidua_rank.report.minutes import threshold_text

            rule = threshold_text(th)
        return self.t("threshold", rule=rule)

    def _election_pages(self, e: Election, counts: str) -> tuple[Page, ...]:
        from thidua_rank.meeting.elections import DENOMINATOR_WORDS

        en = 1 if self.lang == "en" else 0
        what = DENOMINATOR_WORDS[e.candidates[0].denominator_name][en] if e.candidates else ""
        seats = self.t("seats", seats=e.seats, role=e.role, role_en=e.role_en)
        intro = f"<p class='tr-line'><b>{esc(seats)}</b> · {esc(self._rule(e))}</p>"
        unfilled = (f"<div class='tr-unfilled'>{esc(e.unfilled_text(self.lang))}</div>"
                    if e.unfilled else "")
        head = (f"<tr><th>{esc(self.t('unit'))}</th><th class='tr-num'>{esc(self.t('votes'))}"
                f"</th><th class='tr-num'>{esc(self.t('share_of', what=what))}</th>"
                f"<th>{esc(self.t('result'))}</th></tr>")
        rows = []
        for c in e.candidates:
            verdict = self.t("excluded") if c.excluded else \
                self.t("elected") if c.elected else self.t("not_elected")
            share = format_percent(c.share)
            if en:
                share = share.replace(",", ".")
            css = "tr-elected" if c.elected else "tr-not-elected"
            rows.append(f"<tr class='tr-candidate {css}' data-unit='{esc(c.unit)}'>"
                        f"<td>{esc(c.unit)}</td><td class='tr-num'>{c.votes}</td>"
                        f"<td class='tr-num'>{c.votes}/{c.denominator} = {esc(share)}</td>"
                        f"<td>{esc(verdict)}</td></tr>")
        pages = [Page(intro + f"<table class='tr-election-table'>{head}{''.join(chunk)}</table>"
                      + unfilled) for chunk in paginate(rows)]
        if e.counts:
            count_head = (f"<tr><th>{esc(self.t('count'))}</th><th>{esc(self.t('unit'))}</th>"
                          f"<th class='tr-num'>{esc(self.t('live_ballots'))}</th>"
                          f"<th>{esc(self.t('eliminated'))}</th></tr>")
            count_rows = [
                f"<tr class='tr-irv-count'><td class='tr-num'>{k.number}</td><td>"
                + "<br>".join(f"{esc(u)}: {v}" for u, v in k.tallies)
                + f"</td><td class='tr-num'>{k.live}</td><td>{esc(', '.join(k.eliminated))}"
                  f"</td></tr>" for k in e.counts]
            for chunk in paginate(count_rows, 3):
                pages.append(Page(f"<div class='tr-line'><b>{esc(self.t('irv_counts'))}</b>"
                                  f"</div><table class='tr-irv-table'>{count_head}"
                                  f"{''.join(chunk)}</table>" + unfilled))
        key = ("election", e.round_id, self.lang,
               tuple((c.unit, c.votes, c.elected, c.excluded) for c in e.candidates),
               tuple((k.number, k.tallies, k.eliminated) for k in e.counts))
        lang = self.lang
        pages.append(Page("", Chart(key, lambda: _election_chart(e, lang))))
        return tuple(pages)

    def _election_undecided(self, view: RoundView, counts: str) -> tuple[Page, ...]:
        """Before the ranking round a tie-break needs is revealed: per candidate the votes
        (first preferences on a ranked ballot) and their share of the valid ballots, with no
        verdict yet."""
        ballots = view.ballots
        if ballots is None or not ballots.n_ballots:
            return (Page(counts + f"<p>{esc(self.t('no_ballots'))}</p>"),)
        ranked = view.spec.kind == "ranked"
        marks = (ballots.ranks == 1) if ranked else (ballots.ranks > 0)
        votes = dict(zip(ballots.units, (ballots.counts @ marks).tolist(), strict=True))
        valid = ballots.n_ballots
        what = self.t("valid_ballots")
        head = (f"<tr><th>{esc(self.t('unit'))}</th><th class='tr-num'>"
                f"{esc(self.t('first_prefs' if ranked else 'votes'))}</th><th class='tr-num'>"
                f"{esc(self.t('share_of', what=what))}</th></tr>")
        rows = []
        for unit in ballots.units:
            share = format_percent(Fraction(int(votes[unit]), valid))
            if self.lang == "en":
                share = share.replace(",", ".")
            rows.append(f"<tr class='tr-candidate'><td>{esc(unit)}</td><td class='tr-num'>"
                        f"{int(votes[unit])}</td><td class='tr-num'>{int(votes[unit])}/{valid} "
                        f"= {esc(share)}</td></tr>")
        return tuple(Page(counts + f"<table class='tr-election-table'>{head}{''.join(chunk)}"
                                   f"</table><p class='tr-note'>{esc(self.t('not_decided'))}</p>")
                     for chunk in paginate(rows))

    # -- 6. outcome ---------------------------------------------------------------------------
    def _pending(self, choice: ScreenChoice) -> Screen:
        missing = self.live.missing_rounds()
        html = f"<p class='tr-line'>{esc(self.t('pending', rounds=', '.join(missing)))}</p>"
        return Screen(("pending", tuple(missing), self.lang), self._h2(self.t("outcome")),
                      (Page(html),))

    def _outcome(self, choice: ScreenChoice) -> Screen:
        outcome = self.live.outcome()
        assert outcome is not None
        chain = self._chain(self.live.event_head("accepted"))
        rows = self._award_rows(outcome)
        leadership = self._leadership(outcome)
        # award lines count as rows; the leadership lines go under the last page of awards
        lines = [(r, n) for r, n in rows]
        chunks: list[list[str]] = [[]]
        used = 0
        for row, n in lines:
            if used + n > ROWS_PER_PAGE - 2 and chunks[-1]:
                chunks.append([])
                used = 0
            chunks[-1].append(row)
            used += n
        head = (f"<div class='tr-line'><b>{esc(self.t('awards'))}</b></div>"
                f"<table class='tr-awards'><tr><th>{esc(self.t('tier'))}</th>"
                f"<th>{esc(self.t('unit'))}</th></tr>")
        pages = []
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            pages.append(Page(head + "".join(chunk) + "</table>"
                              + (leadership if last else "") + chain))
        awarded = tuple((a.tier.id, u.unit) for a in outcome.awards for u in a.units)
        lang = self.lang
        pages.append(Page("", Chart(("outcome", lang, chain, awarded,
                                     tuple(outcome.ranking.units)),
                                    lambda: _outcome_chart(outcome, lang))))
        key = ("outcome", self.lang, chain, awarded)
        return Screen(key, self._h2(self.t("outcome")), tuple(pages))

    def _award_rows(self, outcome: MeetingOutcome) -> list[tuple[str, int]]:
        """One row per tier and how many lines it takes."""
        rows = []
        for award in outcome.awards:
            label = Text(award.tier.label, award.tier.label_en).get(self.lang)
            items = [f"{esc(u.unit)} ({esc(place_name(u.place, joint=u.joint, lang=self.lang))})"
                     for u in award.units] or ["—"]
            if award.pending:
                items.append("<i>" + esc(", ".join(award.pending)) + " …</i>")
            rows.append((f"<tr class='tr-award-row' data-tier='{esc(award.tier.id)}'><td>"
                         f"<b>{esc(label)}</b></td><td>{'<br>'.join(items)}</td></tr>",
                         max(len(items), 1)))
        return rows

    def _leadership(self, outcome: MeetingOutcome) -> str:
        info = outcome.meeting.config.meeting
        year = info.term_year or (info.year_reviewed + 1 if info.year_reviewed else "")
        parts = []
        if outcome.leadership.head:
            parts.append(self.t("head", year=year, unit=outcome.leadership.head))
        if outcome.leadership.deputies:
            parts.append(self.t("deputies", units=", ".join(outcome.leadership.deputies)))
        return "".join(f"<p class='tr-leadership'><b>{esc(p)}</b></p>" for p in parts)

    # -- 7. charts ----------------------------------------------------------------------------
    def _plain_chart(self, result: RankResult, label: str, title: str) -> Any:
        """A revealed round's ranking (no tiers before the outcome): the plain builder at
        projector size."""
        from thidua_rank.charts import result_chart

        return result_chart(result, value_label=label, lang=self.lang, title=title,
                            medium="projector")


def _outcome_chart(outcome: MeetingOutcome, lang: Language) -> Any:
    from thidua_rank.charts import outcome_chart

    return outcome_chart(outcome, lang=lang, medium="projector")


def _election_chart(election: Election, lang: Language) -> Any:
    from thidua_rank.charts import election_chart

    return election_chart(election, lang=lang, medium="projector")


def render_steps(chart: Chart) -> Iterator[str | None]:
    """Render *chart* in three steps (the Vega-Lite spec, its SVG, the PNG), yielding ``None``
    after each of the first two and the ``<img>`` (:func:`chart_img`) last.

    vl-convert holds the interpreter while it works, so a whole projector-size chart (about
    0.3 s) would stall the page's poll loop that long; the longest step (the PNG, 0.09–0.17 s)
    is no longer than the whole plain chart the wall used to render in one go (0.17 s). The PNG
    is byte for byte the one :func:`~thidua_rank.charts.chart_png` makes.
    """
    import vl_convert as vlc

    spec = chart.make().to_dict()
    yield None
    svg = vlc.vegalite_to_svg(spec)
    yield None
    yield chart_img(bytes(vlc.svg_to_png(svg, scale=CHART_SCALE)), CHART_SCALE)


def chart_img(png: bytes, scale: float = CHART_SCALE) -> str:
    """An ``<img>`` of a chart's *png* (rendered at *scale* device pixels per chart pixel),
    shown at its natural size in CSS pixels where the wall has room, else scaled
    down as a whole (width and height together) to fit the width and the height left under
    the header and over the pager.

    >>> import struct
    >>> header = b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I4sII", 13, b"IHDR", 3400, 1448)
    >>> html = chart_img(header)
    >>> html[:84]
    "<img alt='chart' class='tr-chart-img' data-scale='2' style='width:min(1700px, 100%, "
    >>> "min(1700px, 100%, calc((100vh - (9 * var(--u) + 40px)) * 1700 / 724))" in html
    True
    """
    width = int.from_bytes(png[16:20], "big") / scale  # the IHDR chunk's width and height
    height = int.from_bytes(png[20:24], "big") / scale
    return (f"<img alt='chart' class='tr-chart-img' data-scale='{scale:g}' "
            f"style='width:min({width:.0f}px, 100%, calc((100vh - "
            f"({CHART_ROOM})) * {width:.0f} / {height:.0f}))' "
            f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>")

