"""What the projector shows, decided from the ballot box alone: which screen (welcome, turnout,
closed, reveal, election, outcome) and how a long list is cut into pages.

Pure functions over a :class:`~thidua_rank.live.session.LiveMeeting`, so the choice can be
tested without a browser; :mod:`thidua_rank.ui.projector` turns the choice into HTML.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from thidua_rank.errors import ThiduaRankError
from thidua_rank.live.session import OUTCOME_FOCUS

if TYPE_CHECKING:
    from thidua_rank.live.session import LiveMeeting
    from thidua_rank.meeting.elections import Election

__all__ = ["ROWS_PER_PAGE", "ScreenChoice", "ScreenKind", "choose_screen", "paginate",
           "round_election"]

ScreenKind = Literal["welcome", "turnout", "closed", "reveal", "election", "outcome", "pending"]
"""The projector's screens: the welcome, turnout of the open rounds, a round just closed, a
ranking revealed place by place, an election, the overall outcome, and the outcome still
waiting for rounds (``pending``)."""

ROWS_PER_PAGE = 8
"""Rows a page holds at most (a place, a candidate, an award line)."""

T = TypeVar("T")


@dataclass(frozen=True)
class ScreenChoice:
    """Which screen the wall shows, and for which rounds (ids, in the ballot box's order)."""

    kind: ScreenKind
    rounds: tuple[str, ...] = ()


def paginate(items: Sequence[T], size: int = ROWS_PER_PAGE) -> list[list[T]]:
    """Cut *items* into pages of at most *size* (one empty page when there is nothing).

    >>> paginate(list(range(5)), 2)
    [[0, 1], [2, 3], [4]]
    >>> paginate([], 8)
    [[]]
    """
    if size < 1:
        raise ThiduaRankError(f"Số dòng mỗi trang phải từ 1 trở lên, nhận {size}.",
                              f"`size` must be at least 1, got {size}.")
    pages = [list(items[i:i + size]) for i in range(0, len(items), size)]
    return pages or [[]]


def choose_screen(live: LiveMeeting) -> ScreenChoice:
    """The screen for the ballot box's present state (the chair drives it).

    The overall result when the chair projects it; else the focused round once revealed
    (an election for a head or deputies round, the place-by-place reveal otherwise) or just
    closed (its counts and chain head); else the turnout of every open round side by side;
    else the last round closed and not yet revealed; else the welcome.

    >>> import thidua_rank as tr
    >>> from thidua_rank.live.session import LiveMeeting
    >>> from thidua_rank.resources import data_folder
    >>> import shutil, tempfile, pathlib
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> folder = data_folder("sample_data") / "ninh-binh-co-quan-dang-2022"
    >>> live = LiveMeeting(folder, tmp / "box.sqlite")
    >>> choose_screen(live)
    ScreenChoice(kind='welcome', rounds=())
    """
    box = live.box
    focus = box.meta("focus")
    if focus == OUTCOME_FOCUS:
        return ScreenChoice("pending" if live.missing_rounds() else "outcome")
    rounds = box.rounds()
    state = {s.id: st for s, st in rounds}
    if focus in state and state[focus] == "revealed":
        spec = box.spec(focus)
        kind: ScreenKind = "election" if spec.decides in ("head", "deputies") else "reveal"
        return ScreenChoice(kind, (focus,))
    if focus in state and state[focus] == "closed":
        return ScreenChoice("closed", (focus,))
    open_ids = tuple(s.id for s, st in rounds if st == "open")
    if open_ids:
        return ScreenChoice("turnout", open_ids)
    closed = [s.id for s, st in rounds if st == "closed"]
    if closed:
        return ScreenChoice("closed", (closed[-1],))
    return ScreenChoice("welcome")


def round_election(live: LiveMeeting, round_id: str) -> Election | None:
    """The head or deputies round *round_id* as an election, as soon as it is revealed.

    Before every round is revealed the meeting is counted on the rounds revealed so far (the
    rounds not yet revealed are left out): a head round does not depend on the deputies round.
    ``None`` when that count is not possible yet (the ranking round a tie-break needs is not
    revealed).
    """
    from thidua_rank.meeting.elections import elections
    from thidua_rank.meeting.pipeline import run_meeting

    outcome = live.outcome()
    if outcome is None:
        meeting = live.meeting_with_box()
        cfg = meeting.config
        rounds = tuple(r for r in cfg.rounds if r.id in meeting.ballots)
        meeting = dataclasses.replace(meeting, config=dataclasses.replace(cfg, rounds=rounds))
        try:
            outcome = run_meeting(meeting)
        except (ThiduaRankError, KeyError, ValueError):
            return None
    return next((e for e in elections(outcome) if e.round_id == round_id), None)
