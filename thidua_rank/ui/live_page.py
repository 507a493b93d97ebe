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

from thidua_rank.live.session import LiveMeeting
from thidua_rank.ui.base import BasePage

if TYPE_CHECKING:
    from thidua_rank.meeting.config import MeetingInfo

__all__ = ["POLL_SECONDS", "LivePage"]

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
