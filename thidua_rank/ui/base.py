"""What every page shares (the meeting pages and the analyst's dashboard): the stylesheet, the
header, the Tiếng Việt / English toggle, labels as :class:`~thidua_rank.i18n.Text`, buttons
with their CSS classes, and one error policy for the status line.

The meeting pages add the live meeting and the ballot-box poller on top of this
(:class:`thidua_rank.ui.live_page.LivePage`); the analyst's page, which has no ballot box,
subclasses :class:`BasePage` directly.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as w

from thidua_rank import i18n
from thidua_rank.errors import ThiduaRankError
from thidua_rank.i18n import Language, Text

if TYPE_CHECKING:
    from thidua_rank.meeting.config import MeetingInfo

__all__ = ["COMMON_LABELS", "STYLE", "BasePage", "esc", "language_toggle", "message",
           "status_line"]

_log = logging.getLogger(__name__)

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


COMMON_LABELS: dict[str, Text] = {
    "year": Text("năm {year}", "year {year}"),
    "os_error": Text("Không đọc hoặc ghi được tệp", "Could not read or write a file"),
    "unexpected": Text("Lỗi không mong đợi", "Unexpected error"),
}
"""Labels every page has (a page's own :attr:`BasePage.LABELS` may override them)."""


class BasePage:
    """Base of every page: header, language toggle, status line, labelled widgets and one
    error policy.

    Subclasses set :attr:`LABELS` (key → :class:`~thidua_rank.i18n.Text`) and implement
    :meth:`build` (create the widgets, once), :meth:`refresh` (bring the page up to date) and
    :meth:`on_lang` (relabel what :meth:`label` does not, after a language change).

    Errors: an action run through :meth:`safe` or :meth:`attempt` never shows a traceback. A
    :class:`~thidua_rank.errors.ThiduaRankError` (a refusal the person can act on) shows its
    message on the status line; any other exception shows "Lỗi không mong đợi — Unexpected
    error: <type>: <message>" (or, for a file that cannot be read or written, "Không đọc hoặc
    ghi được tệp — …") in the same place and goes to the log with its traceback.
    """

    LABELS: ClassVar[dict[str, Text]] = {}
    CSS_CLASS: ClassVar[str] = "tr-page"
    EXTRA_STYLE: ClassVar[str] = ""
    """A page's own stylesheet, after :data:`STYLE`."""
    BILINGUAL_ERRORS: ClassVar[bool] = False
    """Show a :class:`ThiduaRankError` in both languages, whatever the page's language (the
    analyst's page: its errors name files, rows and columns people search for and report);
    otherwise in the page's language only."""

    def __init__(self) -> None:
        self.lang: Language = "vi"
        self.lang_toggle = language_toggle(self._on_lang)
        self.header = w.HTML()
        self.status = status_line()
        self.body = w.VBox()
        self._labelled: list[tuple[w.Widget, str, str, str]] = []
        self.build()
        top = w.HBox([self.header, self.lang_toggle],
                     layout=w.Layout(justify_content="space-between"))
        self.root = w.VBox([w.HTML(STYLE + self.EXTRA_STYLE), top, *self.layout()])
        for css_class in self.CSS_CLASS.split():  # the DOM takes one class per call
            self.root.add_class(css_class)
        self._relabel()
        self.render_header()

    # -- to override --------------------------------------------------------------------------
    def build(self) -> None:
        """Create the widgets (once)."""

    def layout(self) -> list[w.Widget]:
        """What goes under the header, in order (default: the status line, then the body)."""
        return [self.status, self.body]

    def refresh(self) -> None:
        """Bring the page up to date (after a language change too)."""

    def on_lang(self) -> None:
        """Relabel widgets after a language change (:meth:`refresh` runs afterwards)."""

    def title(self) -> str:
        """The page's title line (default: the ``title`` label)."""
        return self.t("title")

    def meeting_info(self) -> MeetingInfo | None:
        """The meeting named under the title (``None``: the ``no_meeting`` label instead)."""
        return None

    # -- labels -------------------------------------------------------------------------------
    def t(self, key: str, **fields: Any) -> str:
        """The label *key* in the page's language, formatted with *fields*."""
        text = self.LABELS[key] if key in self.LABELS else COMMON_LABELS[key]
        return text(self.lang, **fields)

    def label(self, widget: w.Widget, key: str, attr: str = "description",
              fmt: str = "{}") -> None:
        """Keep *widget*'s *attr* set to the label *key* (through *fmt*; escaped for an
        ``HTML`` value), now and after every language change."""
        self._labelled.append((widget, attr, key, fmt))
        self._set_label(widget, attr, key, fmt)

    def _set_label(self, widget: w.Widget, attr: str, key: str, fmt: str) -> None:
        setattr(widget, attr, fmt.format(esc(self.t(key)) if attr == "value" else self.t(key)))

    def _relabel(self) -> None:
        for widget, attr, key, fmt in self._labelled:
            self._set_label(widget, attr, key, fmt)

    def text(self, key: str, css: str = "tr-help", tag: str = "div") -> w.HTML:
        """An ``HTML`` widget showing the label *key* in a ``<tag class=css>``."""
        html_widget = w.HTML()
        self.label(html_widget, key, "value", f"<{tag} class='{css}'>{{}}</{tag}>")
        return html_widget

    def button(self, css: str, action: Callable[[], Any] | None = None, *, key: str | None = None,
               description: str = "", style: str = "",
               layout: w.Layout | None = None) -> w.Button:
        """A button with the CSS class *css* (the browser tests press it by that class).

        *action* runs through :meth:`safe` on a click; *key* labels the button (kept in the
        page's language), else it shows *description*.
        """
        button = w.Button(description=description, button_style=style,
                          layout=layout if layout is not None else w.Layout(width="auto"))
        button.add_class(css)
        if action is not None:
            button.on_click(lambda _: self.safe(action))
        if key is not None:
            self.label(button, key)
        return button

    # -- errors -------------------------------------------------------------------------------
    def error_text(self, exc: BaseException) -> str:
        """What the status line says about a failed action (see the class docstring)."""
        if isinstance(exc, ThiduaRankError):
            return str(exc) if self.BILINGUAL_ERRORS else i18n.message(exc, self.lang)
        key = "os_error" if isinstance(exc, OSError) else "unexpected"
        return f"{COMMON_LABELS[key]}: {type(exc).__name__}: {exc}"

    def attempt(self, action: Callable[[], Any]) -> bool:
        """Run *action*; True if it succeeded, else its error is on the status line."""
        try:
            action()
        except Exception as exc:  # the page must survive anything an action raises
            self.show_error(exc)
            return False
        return True

    def safe(self, action: Callable[[], Any]) -> Any:
        """Run *action* and return its value; on a failure show why and return ``None``."""
        try:
            return action()
        except Exception as exc:  # the page must survive anything an action raises
            self.show_error(exc)
        return None

    def show_error(self, exc: BaseException) -> None:
        """Put *exc* on the status line; anything but a refusal is logged with its
        traceback."""
        if not isinstance(exc, ThiduaRankError):
            _log.error("%s: action failed", type(self).__name__, exc_info=exc)
        self.status.value = message(self.error_text(exc), "error")

    # -- header and language ------------------------------------------------------------------
    def render_header(self) -> None:
        """The title, and the bloc, province and year reviewed of the meeting."""
        title = f"<h1>{esc(self.title())}</h1>"
        info = self.meeting_info()
        if info is None:
            sub = self.t("no_meeting") if "no_meeting" in self.LABELS else ""
            self.header.value = title + (f"<div class='tr-sub'>{esc(sub)}</div>" if sub else "")
            return
        bloc = info.bloc + (f" — {info.province}" if info.province else "")
        self.header.value = (title + f"<div class='tr-sub'>{esc(bloc)}, "
                             f"{esc(self.t('year', year=info.year_reviewed))}</div>")

    def _on_lang(self, change: dict[str, Any]) -> None:
        self.lang = change["new"]
        self.status.value = ""
        self._relabel()
        self.render_header()
        self.safe(self.on_lang)
        self.safe(self.refresh)

    def show(self) -> w.VBox:
        """The page's root widget (display it)."""
        return self.root
