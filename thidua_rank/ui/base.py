"""What every meeting page shares: the live meeting, labels in two languages, the stylesheet,
and a poller that refreshes the page when another kernel commits to the ballot box.

Every Voilà page is its own kernel; pages talk to each other only through the ballot box
(SQLite). The poller runs as an asyncio task on the kernel's event loop and checks
``PRAGMA data_version`` a few times a second, which costs microseconds when nothing changed.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets as w

from thidua_rank.errors import ThiduaRankError
from thidua_rank.live.session import LiveMeeting

__all__ = ["Page", "esc", "language_toggle", "message", "status_line"]

POLL_SECONDS = 0.2

STYLE = """
<style>
.tr-page { font-family: 'DejaVu Sans', 'Liberation Sans', Arial, sans-serif; max-width: 1100px;
           margin: 0 auto; }
.tr-page h1 { font-size: 1.6em; margin: 0.2em 0; }
.tr-page .tr-sub { color: #555; margin-bottom: 0.6em; }
.tr-msg { padding: 0.5em 0.8em; border-radius: 6px; margin: 0.4em 0; }
.tr-msg-ok { background: #e6f4ea; color: #1e4620; }
.tr-msg-error { background: #fdecea; color: #611a15; }
.tr-msg-info { background: #e8f0fe; color: #174ea6; }
.tr-unit-btn button, .tr-unit-btn { min-height: 44px; white-space: normal; text-align: left; }
.tr-big { font-size: 2.6em; font-weight: bold; }
.tr-projector .widget-html-content { font-size: 20px; }  /* widgets fix their own size */
.tr-projector table { border-collapse: collapse; width: 100%; }
.tr-projector td, .tr-projector th { padding: 0.25em 0.6em; border-bottom: 1px solid #ddd;
                                      text-align: left; }
.tr-podium { display: flex; align-items: flex-end; justify-content: center; gap: 1em; }
.tr-podium div.tr-step { background: #c62828; color: white; text-align: center;
                         padding: 0.5em; border-radius: 6px 6px 0 0; width: 30%; }
.tr-receipt-code { font-family: 'DejaVu Sans Mono', monospace; font-size: 1.6em;
                   letter-spacing: 0.1em; }
</style>
"""


def esc(text: Any) -> str:
    """HTML-escape a value for an ``HTML`` widget."""
    return html.escape(str(text))


def language_toggle(on_change: Callable[[dict[str, Any]], None]) -> w.ToggleButtons:
    """The Tiếng Việt / English toggle of every page (``tr-lang``)."""
    toggle = w.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value="vi",
                             style={"button_width": "110px"})
    toggle.add_class("tr-lang")
    toggle.observe(on_change, names="value")
    return toggle


def status_line() -> w.HTML:
    """The line where a page reports what happened (``tr-status``)."""
    line = w.HTML()
    line.add_class("tr-status")
    return line


def message(text: str, kind: str = "info") -> str:
    """A coloured message box (``ok``, ``error`` or ``info``)."""
    return f'<div class="tr-msg tr-msg-{kind}">{esc(text)}</div>'


class Page:
    """Base of the meeting pages: language toggle, header, error display and live refresh.

    Subclasses set :attr:`LABELS` (key → (Vietnamese, English)) and implement
    :meth:`build` (widgets, once) and :meth:`refresh` (called on every ballot-box change).
    """

    LABELS: ClassVar[dict[str, tuple[str, str]]] = {}
    CSS_CLASS = "tr-page"

    def __init__(self, live: LiveMeeting) -> None:
        self.live = live
        self.lang = "vi"
        self.lang_toggle = language_toggle(self._on_lang)
        self.header = w.HTML()
        self.status = status_line()
        self.body = w.VBox()
        self.root = w.VBox([w.HTML(STYLE), w.HBox([self.header, self.lang_toggle],
                                                   layout=w.Layout(justify_content=
                                                                   "space-between")),
                            self.status, self.body])
        for css_class in self.CSS_CLASS.split():  # the DOM takes one class per call
            self.root.add_class(css_class)
        self._version = -1
        self._task: asyncio.Task[None] | None = None
        self.build()
        self._render_header()
        self.safe(self.refresh)

    @classmethod
    def from_env(cls) -> Page:
        """The page for the meeting the server was started on."""
        return cls(LiveMeeting.from_env())

    # -- to override --------------------------------------------------------------------------
    def build(self) -> None:
        """Create the widgets (once)."""

    def refresh(self) -> None:
        """Bring the page up to date with the ballot box."""

    def title(self) -> str:
        """The page's title line."""
        return ""

    # -- helpers ------------------------------------------------------------------------------
    def t(self, key: str, **fields: Any) -> str:
        """The label *key* in the page's language, formatted with *fields*."""
        vi, en = self.LABELS[key]
        return (vi if self.lang == "vi" else en).format(**fields)

    def err_text(self, err: ThiduaRankError) -> str:
        """An error's message in the page's language."""
        return err.vi if self.lang == "vi" else err.en

    def safe(self, action: Callable[[], Any]) -> Any:
        """Run an action; a refused action shows its message instead of a traceback."""
        try:
            return action()
        except ThiduaRankError as err:
            self.status.value = message(self.err_text(err), "error")
        return None

    def _render_header(self) -> None:
        info = self.live.meeting.config.meeting
        sub = f"{info.bloc}" + (f" — {info.province}" if info.province else "")
        year = (f"năm {info.year_reviewed}" if self.lang == "vi" else
                f"year {info.year_reviewed}")
        self.header.value = (f"<h1>{esc(self.title())}</h1><div class='tr-sub'>{esc(sub)}, "
                             f"{esc(year)}</div>")

    def _on_lang(self, change: dict[str, Any]) -> None:
        self.lang = change["new"]
        self._render_header()
        self.status.value = ""
        self.on_lang()
        self.safe(self.refresh)

    def on_lang(self) -> None:
        """Relabel widgets after a language change (refresh runs afterwards)."""

    # -- live updates -------------------------------------------------------------------------
    def poll_once(self) -> bool:
        """Refresh when the ballot box changed since the last look; True if it did."""
        version = self.live.box.data_version()
        if version == self._version:
            return False
        self._version = version
        self.safe(self.refresh)
        return True

    async def _poll(self) -> None:
        while True:
            try:
                self.poll_once()
            except Exception as exc:  # keep the page alive; show what went wrong
                self.status.value = message(f"{type(exc).__name__}: {exc}", "error")
            await asyncio.sleep(POLL_SECONDS)

    def start(self) -> None:
        """Start polling on the kernel's event loop."""
        if self._task is None:
            self._version = self.live.box.data_version()
            self._task = asyncio.ensure_future(self._poll())

    def show(self) -> w.VBox:
        """Start live updates and return the page's root widget (display it)."""
        self.start()
        return self.root
