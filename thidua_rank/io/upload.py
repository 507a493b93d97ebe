"""What the analyst page reads besides a meeting path: a workbook uploaded as bytes, and the
``voter`` column of the ballots files (the ballots themselves do not keep it once read).

An uploaded workbook is written (through :mod:`thidua_rank.io.atomic`) into a private temporary
folder under its own file name, so an error names that file, its sheet, row and column; the
folder is removed once the meeting is read, and the meeting keeps no path.
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from thidua_rank.errors import InputError
from thidua_rank.io.atomic import atomic_write
from thidua_rank.io.load import WORKBOOK_SUFFIXES, load_meeting
from thidua_rank.io.tables import BALLOT_COLUMNS, read_table, split_ref
from thidua_rank.io.workbook import open_workbook
from thidua_rank.meeting.model import Meeting

__all__ = ["UploadedMeeting", "load_meeting_bytes", "round_voters"]

PREFLIB_SUFFIXES = (".soc", ".soi", ".toc", ".toi")


@dataclass(frozen=True)
class UploadedMeeting:
    """A meeting read from an uploaded workbook.

    Attributes
    ----------
    name
        The uploaded file's name.
    meeting
        The meeting (its ``path`` is ``None``: the workbook lives nowhere on disk).
    voters
        Round id → {ballot id → voter's unit} for the rounds whose ballots sheet names voters
        (see :func:`round_voters`).
    """

    name: str
    meeting: Meeting
    voters: dict[str, dict[str, str]]


def round_voters(path: str | Path, meeting: Meeting) -> dict[str, dict[str, str]]:
    """The voter of each ballot, per round, where the ballots file has a ``voter`` column
    (``đơn vị bầu``); rounds without one are left out (their ballots are secret).

    Parameters
    ----------
    path
        Where *meeting* was read from: its folder, its ``meeting.toml`` or its workbook.
    meeting
        The meeting read from *path* (:func:`~thidua_rank.load_meeting`).

    Returns
    -------
    dict
        Round id → {ballot id → the voter's unit as written in the file}.

    Examples
    --------
    >>> from thidua_rank.resources import data_folder
    >>> folder = data_folder("sample_data") / "gia-lai-so-nganh-tong-hop-2023"
    >>> voters = round_voters(folder, load_meeting(folder))
    >>> sorted(voters), voters["truong-khoi"]["1"]
    (['truong-khoi'], 'VP Đoàn ĐBQH và HĐND tỉnh')
    """
    path = Path(path)
    workbook = path.suffix.lower() in WORKBOOK_SUFFIXES
    opened = open_workbook(path) if workbook else None
    base = path if path.is_dir() else path.parent
    found: dict[str, dict[str, str]] = {}
    for rnd in meeting.config.rounds:
        if rnd.id not in meeting.ballots:
            continue
        if opened is not None:
            sheet = opened.redirected.round(rnd.id).ballots
            ref = opened.tables.get(sheet) if sheet else None
        else:
            ref = str(base / rnd.ballots) if rnd.ballots else None
        if ref is None or split_ref(ref)[0].suffix.lower() in PREFLIB_SUFFIXES:
            continue
        rows = list(read_table(ref, BALLOT_COLUMNS, allow_extra=True))
        ids = [str(r.values.get("ballot") or i + 1).removesuffix(".0")
               for i, r in enumerate(rows)]  # as read_ballots numbers them
        voters = {bid: str(r.values["voter"]).strip() for bid, r in zip(ids, rows, strict=True)
                  if r.values.get("voter") not in (None, "")}
        if voters:
            found[rnd.id] = voters
    return found


def load_meeting_bytes(data: bytes, name: str) -> UploadedMeeting:
    """Read a meeting workbook (the Excel template, filled in) received as bytes.

    Parameters
    ----------
    data
        The whole ``.xlsx`` (or ``.xlsm``) file.
    name
        Its file name as uploaded; errors name it (with sheet, row and column).

    Returns
    -------
    UploadedMeeting
        The meeting and the voters its ballot sheets name; nothing is kept on disk.

    Examples
    --------
    >>> load_meeting_bytes(b"a,b", "hop.csv")
    Traceback (most recent call last):
    ...
    thidua_rank.errors.InputError: hop.csv: chỉ nhận tệp Excel (.xlsx) — only Excel workbooks (.xlsx) can be uploaded (got '.csv')
    """  # noqa: E501
    file_name = Path(name.replace("\\", "/")).name.strip() or "hop.xlsx"
    suffix = Path(file_name).suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES:
        raise InputError("chỉ nhận tệp Excel (.xlsx)",
                         "only Excel workbooks (.xlsx) can be uploaded", file=file_name,
                         value=suffix or file_name)
    if not data:
        raise InputError("tệp tải lên rỗng", "the uploaded file is empty", file=file_name)
    with tempfile.TemporaryDirectory(prefix="thidua-upload-") as tmp:  # private: 0700
        path = atomic_write(Path(tmp) / file_name, data)
        meeting = load_meeting(path)
        voters = round_voters(path, meeting)
    return UploadedMeeting(name=file_name, meeting=dataclasses.replace(meeting, path=None),
                           voters=voters)
