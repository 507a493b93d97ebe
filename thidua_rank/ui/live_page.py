"""What the meeting pages add to :class:`~thidua_rank.ui.base.BasePage`: the live meeting and
a poller that refreshes the page when another kernel commits to the ballot box.

Every Voilà page is its own kernel; pages talk to each other only through the ballot box
(SQLite). The poller runs as an asyncio task on the kernel's event loop and checks
``PRAGMA data_version`` a few times a second, which costs microseconds when nothing changed.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import ipywidgets as w

from thidua_rank.live.ballot_box import Actor, Role
from thidua_rank.live.session import LiveMeeting
from thidua_rank.ui.base import BasePage, esc

if TYPE_CHECKING:
    from thidua_rank.meeting.config import MeetingInfo

__all__ = ["POLL_SECONDS", "LivePage", "PinPage"]

POLL_SECONDS = 0.2


class LivePage(BasePage):
    """Base of the meeting pages (projector, chair, clerk, delegate): a :class:`BasePage`
    over a :class:`~thidua_rank.live.session.LiveMeeting`, refreshed on every ballot-box
    change once :meth:`show` has started the poller."""

    def __init__(self, live: LiveMeeting) -> None:
        self.live = live
        self._version = -1
        self._task: asyncio.Task[None] | None = None
        super().__init__()
        self.safe(self.refresh)

    @classmethod
    def from_env(cls) -> LivePage:
        """The page for the meeting the server was started on."""
        return cls(LiveMeeting.from_env())

    def meeting_info(self) -> MeetingInfo:
        return self.live.meeting.config.meeting

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
            self.safe(self.poll_once)  # keep the page alive; show what went wrong
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


class PinPage(LivePage):
    """A meeting page for a role with a PIN (the chair, the clerk).

    Until the ballot box accepts the PIN the page holds nothing but the PIN box and its button:
    any client may send any widget a message, so a control that exists can be pressed.
    Subclasses set :attr:`ROLE` and the ``pin`` label, and build their controls in
    :meth:`build_controls` (called once, after the PIN); every action they take names
    :attr:`actor`, which the ballot box checks again.
    """

    ROLE: Role = "chair"

    def build(self) -> None:
        self.actor: Actor | None = None
        self.pin = w.Password(layout=w.Layout(width="10em"))
        self.pin.add_class("tr-pin-input")
        self.pin_button = w.Button(button_style="primary")
        self.pin_button.add_class("tr-pin-enter")
        self.pin_button.on_click(lambda _: self.safe(self.unlock))
        self.pin_label = w.HTML()
        self.body.children = [w.HBox([self.pin_label, self.pin, self.pin_button])]
        self.on_lang()

    def unlock(self) -> None:
        """Check the PIN at the ballot box; only then create the controls."""
        pin, self.pin.value = self.pin.value, ""
        self.actor = self.live.box.unlock(self.ROLE, pin)
        self.build_controls()
        self.status.value = ""
        self.refresh()

    def build_controls(self) -> None:
        """Create the page's controls (once the PIN is accepted)."""

    def on_lang(self) -> None:
        self.pin_label.value = f"<b>{esc(self.t('pin'))}</b>&nbsp;"
        self.pin_button.description = self.t("pin_enter")
        if self.actor is not None:
            self.relabel_controls()

    def relabel_controls(self) -> None:
        """Relabel the controls after a language change (once unlocked)."""

    def acting(self) -> Actor:
        """The role's actor (controls exist only once the PIN was accepted)."""
        if self.actor is None:
            raise RuntimeError("no control exists before the PIN is accepted")
        return self.actor
