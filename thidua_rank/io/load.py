"""One entry point for a meeting on disk: a folder, its ``meeting.toml`` or a workbook.

:mod:`thidua_rank.io.folder` and :mod:`thidua_rank.io.workbook` each read one form; this module
is the only one that knows both, so neither imports the other's caller (no cycle).
"""

from __future__ import annotations

from pathlib import Path

from thidua_rank.io.folder import load_folder_meeting
from thidua_rank.io.workbook import load_workbook_meeting
from thidua_rank.meeting.model import Meeting

__all__ = ["WORKBOOK_SUFFIXES", "load_meeting"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def load_meeting(path: str | Path, *, require_ballots: bool = True) -> Meeting:
    """Load a meeting folder (``meeting.toml`` + data files), a ``meeting.toml`` path or a
    meeting workbook (``.xlsx``).

    Everything is read and checked before anything is returned: a bad value anywhere raises
    a :class:`~thidua_rank.ThiduaRankError` naming file (and sheet), row, column and value.
    With ``require_ballots=False`` (a live meeting, whose ballots come from the ballot box) a
    round's missing ballots file is not an error; a workbook's empty ballot sheet never is.

    Examples
    --------
    >>> import tempfile
    >>> from thidua_rank.synth import synth_meeting
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     meeting = load_meeting(synth_meeting(f"{tmp}/m", units=4, seed=1).path)
    >>> len(meeting.members), sorted(meeting.ballots)
    (4, ['truong-khoi', 'xep-hang'])
    """
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return load_workbook_meeting(path, require_ballots=require_ballots)
    return load_folder_meeting(path, require_ballots=require_ballots)
