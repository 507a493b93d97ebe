"""What the sections of the analyst page share: the meeting and round being analysed, the
computed results, the busy state of a button while its computation runs, and the charts
rendered once per language.

Each section (:mod:`.compare`, :mod:`.stability`, :mod:`.critical`, :mod:`.weights`,
:mod:`.export`) is a class over :class:`Section` that builds its widgets, runs its analysis and
renders its result; :class:`~thidua_rank.ui.analyst.page.AnalystPage` puts them together with
the meeting and round pickers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import polars as pl

from thidua_rank.engine.ballots import Ballots
from thidua_rank.i18n import Text, round_title
from thidua_rank.meeting.model import Meeting
from thidua_rank.methods import method_info
from thidua_rank.ui.analyst.tables import number, png_img
from thidua_rank.ui.base import BasePage, message

if TYPE_CHECKING:  # altair costs about 1.4 s to import: only the charts pay for it
    import altair as alt

__all__ = ["SHARED_LABELS", "Computed", "Section"]

SHARED_LABELS: dict[str, Text] = {
    "busy": Text("Đang tính…", "Computing…"),
    "saving": Text("Đang lưu…", "Saving…"),
    "done": Text("Xong: {what} ({seconds} giây).", "Done: {what} ({seconds} s)."),
    "no_meeting": Text("Chọn một cuộc họp để bắt đầu.", "Choose a meeting to start."),
    "no_rounds": Text("Cuộc họp này chưa có phiếu bầu nào để phân tích.",
                      "This meeting has no ballots to analyse."),
    "unit": Text("Đơn vị", "Unit"),
    "place": Text("Hạng", "Place"),
    "samples": Text("Số lần lấy mẫu", "Samples"),
    "seed": Text("Hạt giống ngẫu nhiên", "Random seed"),
}
"""Labels more than one section uses."""


@dataclass(frozen=True)
class Computed:
    """One analysis result as shown on the page: its table and the parameters that made it."""

    table: pl.DataFrame
    params: Mapping[str, Any] = field(default_factory=dict)


class Section(BasePage):
    """The state and helpers every section of the analyst page works with.

    The page shell sets :attr:`meeting`, :attr:`source` and the round drop-down
    (``round_select``); a section keeps its result in :attr:`results` under its own name and
    registers its chart's builder in :attr:`figures`.
    """

    round_select: w.Dropdown
    method_select: w.Dropdown

    def __init__(self) -> None:
        self.meeting: Meeting | None = None
        self.source: Path | None = None
        self.results: dict[str, Computed] = {}
        self.figures: dict[str, Callable[[], alt.TopLevelMixin]] = {}
        self._pngs: dict[tuple[str, str], str] = {}
        super().__init__()

    @property
    def ballots(self) -> Ballots | None:
        """The ballots of the selected round (``None`` when no round is selected)."""
        if self.meeting is None or self.round_select.value is None:
            return None
        return self.meeting.ballots[self.round_select.value]

    def _need_ballots(self) -> Ballots | None:
        """The round's ballots, or ``None`` with the reason on the status line."""
        ballots = self.ballots
        if ballots is None:
            self.status.value = message(self.t("no_meeting" if self.meeting is None
                                               else "no_rounds"), "error")
        return ballots

    def _round_label(self, round_id: str) -> str:
        """A round as the drop-down and the workbook name it: ``title (id)``."""
        assert self.meeting is not None
        spec = self.meeting.config.round(round_id)
        return f"{round_title(spec.title, spec.title_en, self.lang)} ({round_id})"

    def _method_name(self, mid: str) -> str:
        info = method_info(mid)
        return Text(info.name_vi, info.name_en).get(self.lang)

    # -- running actions ----------------------------------------------------------------------
    def analysis_button(self, key: str, css: str, action: Callable[[], Any],
                        style: str = "primary") -> w.Button:
        """A section's button: labelled *key*, CSS class *css*, running *action*."""
        return self.button(css, action, key=key, style=style,
                           layout=w.Layout(width="auto", align_self="flex-start"))

    @contextmanager
    def _busy(self, button: w.Button, key: str, what: str, busy: str = "busy"
              ) -> Iterator[None]:
        """Show "Đang tính…" (or *busy*'s label) on *button* and in the status line while
        the body runs."""
        button.disabled = True
        button.description = self.t(busy)
        button.add_class("tr-busy")
        self.status.value = message(f"{self.t(busy)} {what}", "info")
        try:
            yield
        finally:
            button.remove_class("tr-busy")
            button.description = self.t(key)
            button.disabled = False

    def _compute(self, button: w.Button, key: str, what: str,
                 action: Callable[[], None], busy: str = "busy") -> bool:
        """Run *action* with *button* busy; say how long it took, or why it failed."""
        start = time.perf_counter()
        with self._busy(button, key, what, busy):
            ok = self.attempt(action)
        if ok:
            seconds = number(time.perf_counter() - start, 1, self.lang)
            self.status.value = message(self.t("done", what=what, seconds=seconds), "ok")
        return ok

    # -- charts -------------------------------------------------------------------------------
    def chart(self, name: str) -> alt.TopLevelMixin:
        """The altair chart of a computed result (``agreement``, ``bootstrap`` or
        ``weights``), labelled in the page's language."""
        return self.figures[name]()

    def _forget_chart(self, name: str) -> None:
        """Drop the rendered images of chart *name* (its result changed)."""
        self._pngs = {k: v for k, v in self._pngs.items() if k[0] != name}

    def _chart_html(self, name: str, alt_text: str) -> str:
        """The chart *name* as an ``<img>`` (rendered once per language)."""
        key = (name, self.lang)
        if key not in self._pngs:
            from thidua_rank.charts import chart_png

            self._pngs[key] = png_img(chart_png(self.chart(name)), alt_text)
        return self._pngs[key]
