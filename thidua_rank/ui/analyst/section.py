"""What the sections of the analyst page share: the meeting and round being analysed, the
computed results, the busy state of a button while its computation runs, and the charts
rendered once per language.

Each section (:mod:`.compare`, :mod:`.stability`, :mod:`.critical`, :mod:`.weights`,
:mod:`.export`) is a class over :class:`Section` that builds its widgets, runs its analysis and
renders its result; :class:`~thidua_rank.ui.analyst.page.AnalystPage` puts them together with
the meeting and round pickers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import polars as pl

from thidua_rank.analysis.progress import AnalysisCancelled
from thidua_rank.engine.ballots import Ballots
from thidua_rank.i18n import Text, round_title
from thidua_rank.meeting.model import Meeting
from thidua_rank.methods import method_info
from thidua_rank.ui.analyst.tables import number, png_img
from thidua_rank.ui.base import BasePage, message

if TYPE_CHECKING:  # altair costs about 1.4 s to import: only the charts pay for it
    import altair as alt

__all__ = ["SHARED_LABELS", "Computed", "Section", "TaskBar"]

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
    "cancel": Text("Dừng", "Stop"),
    "cancelled": Text("Đã dừng: {what}. Chưa có kết quả mới.",
                      "Stopped: {what}. No new result."),
    "run_stopped": Text("Đã dừng trước khi xong: {what}.", "Stopped before it finished: {what}."),
    "run_kept": Text("Bảng và biểu đồ dưới đây là của lần chạy trước.",
                     "The table and chart below are from the previous run."),
    "task_running": Text("Đang tính {what}: hãy chờ hoặc bấm «Dừng» trước.",
                         "Computing {what}: wait, or press «Stop» first."),
    "yes": Text("có", "yes"),
    "no": Text("không", "no"),
}
"""Labels more than one section uses."""


@dataclass
class TaskBar:
    """The progress bar and the "Dừng" (stop) button of one long computation; hidden while
    nothing runs."""

    progress: w.IntProgress
    cancel: w.Button
    box: w.HBox

    def show(self, shown: bool) -> None:
        self.box.layout.display = "" if shown else "none"


@dataclass
class _Running:
    """The computation running in the worker thread (at most one per page)."""

    thread: threading.Thread
    stop: threading.Event
    what: str


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
        self._running: _Running | None = None
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

    def _tier_name(self, tier: str | None) -> str:
        """A tier's name in the page's language (``—`` for no award)."""
        if tier is None or self.meeting is None:
            return "—"
        spec = self.meeting.config.tier(tier)
        return Text(spec.label, spec.label_en or spec.label).get(self.lang)

    def _method_name(self, mid: str) -> str:
        info = method_info(mid)
        return Text(info.name_vi, info.name_en).get(self.lang)

    # -- running actions ----------------------------------------------------------------------
    def stop_note(self, what: str | None, result: str) -> str:
        """The note a section shows beside its button after its run was stopped (the status
        line is out of sight at the page's top): *what* was stopped (``None``: no stop to
        report, an empty note), and whether the table and chart shown (*result*) are an
        earlier run's."""
        if what is None:
            return ""
        text = self.t("run_stopped", what=what)
        if result in self.results:
            text += " " + self.t("run_kept")
        return message(text, "info")

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

    # -- long computations: a worker thread, a progress bar, a stop button --------------------
    def task_bar(self, name: str) -> TaskBar:
        """A progress bar (``tr-analyst-progress``, ``tr-analyst-<name>-progress``) and a
        "Dừng" button (``tr-analyst-cancel``, ``tr-analyst-<name>-cancel``) for section *name*;
        hidden until its computation runs."""
        bar = w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width="24em"))
        bar.add_class("tr-analyst-progress")
        bar.add_class(f"tr-analyst-{name}-progress")
        stop = self.button("tr-analyst-cancel", self.cancel_task, key="cancel", style="danger",
                           layout=w.Layout(width="auto"))
        stop.add_class(f"tr-analyst-{name}-cancel")
        row = TaskBar(bar, stop, w.HBox([bar, stop], layout=w.Layout(align_items="center")))
        row.show(False)
        return row

    @property
    def busy(self) -> bool:
        """Whether a long computation is running in the worker thread."""
        return self._running is not None and self._running.thread.is_alive()

    def cancel_task(self) -> bool:
        """Ask the running computation to stop (it stops at its next progress step)."""
        if not self.busy:
            return False
        assert self._running is not None
        self._running.stop.set()
        return True

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the running computation (if any) has finished; ``True`` when none runs
        any more."""
        running = self._running
        if running is not None:
            running.thread.join(timeout)
        return not self.busy

    def _background(self, button: w.Button, key: str, what: str, bar: TaskBar | None,
                    work: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
                    done: Callable[[Any], None], valid: Callable[[], bool]) -> bool:
        """Run ``work(progress, cancel)`` in a worker thread, so the kernel keeps handling the
        page's messages (the "Dừng" click among them) while it computes.

        The button shows "Đang tính…" and *bar* the progress (``None`` for an analysis with no
        progress hook: it cannot be stopped either, but the page stays responsive);
        ``done(result)`` renders the result if ``valid()`` still holds (the meeting or round did
        not change meanwhile).
        Widget values are set from the thread: ipywidgets sends each change as it is made.
        Returns whether the computation started (only one runs at a time).
        """
        if self.busy:
            assert self._running is not None
            self.status.value = message(self.t("task_running", what=self._running.what),
                                        "error")
            return False
        stop = threading.Event()
        if bar is not None:
            bar.progress.value, bar.progress.max = 0, 1

        def progress(done_steps: int, total: int) -> None:
            if bar is not None:
                bar.progress.max = max(total, 1)
                bar.progress.value = min(done_steps, bar.progress.max)

        def run() -> None:
            start = time.perf_counter()
            try:
                result = work(progress, stop.is_set)
                if valid():
                    done(result)
                seconds = number(time.perf_counter() - start, 1, self.lang)
                self.status.value = message(self.t("done", what=what, seconds=seconds), "ok")
            except AnalysisCancelled:
                self.status.value = message(self.t("cancelled", what=what), "info")
            except Exception as exc:  # the page must survive anything an analysis raises
                self.show_error(exc)
            finally:
                if bar is not None:
                    bar.show(False)
                button.remove_class("tr-busy")
                button.description = self.t(key)
                button.disabled = False

        button.disabled = True
        button.description = self.t("busy")
        button.add_class("tr-busy")
        self.status.value = message(f"{self.t('busy')} {what}", "info")
        if bar is not None:
            bar.show(True)
        self._running = _Running(threading.Thread(target=run, name=f"analysis: {key}",
                                                  daemon=True), stop, what)
        self._running.thread.start()
        return True

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
