"""A meeting workbook turned into a meeting folder (``meeting.toml`` and CSV files).

The preparation page (``thidua-rank prepare``) starts the live meeting from a folder, so that the
ballot box, the slips and the documents live beside plain files anyone can open. The settings
sheet becomes ``meeting.toml`` word for word; each table sheet becomes the CSV file the
settings name (``[files]`` and the rounds' ``ballots`` keys; the defaults ``members.csv``,
``criteria.csv`` and ``scores.csv`` otherwise), cells written as they were typed. A round whose
sheet holds ballots but whose settings name no ``ballots`` file keeps no ballots in the folder
(a live round's ballots come from the ballot box): :func:`workbook_folder_files` says which.

The workbook is checked first (:func:`thidua_rank.io.workbook.load_workbook_meeting`, ballots
not required) and the folder is written whole or not at all
(:func:`thidua_rank.io.atomic.atomic_write_folder`); it reads back into the same meeting.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from thidua_rank.errors import ConfigError, ThiduaRankError
from thidua_rank.io.atomic import atomic_write_folder
from thidua_rank.io.tables import raw_rows
from thidua_rank.io.workbook import (
    SETTINGS_SHEET,
    load_workbook_meeting,
    open_workbook,
    relocate_error,
)

__all__ = ["FolderFiles", "workbook_folder_files", "workbook_to_folder"]

_UNNAMED = "__UNNAMED__"


@dataclass(frozen=True)
class FolderFiles:
    """The files of the meeting folder (relative name → bytes) and the rounds whose ballot
    sheet was left out because the settings name no ``ballots`` file for them."""

    files: dict[str, bytes]
    skipped_rounds: tuple[str, ...] = ()


def _csv(ref: str) -> bytes:
    """A sheet as CSV text (UTF-8 with a BOM, which Excel opens with the right letters)."""
    header, rows, _ = raw_rows(ref)
    keep = [i for i, name in enumerate(header)
            if not (name.startswith(_UNNAMED) and all(
                i >= len(r) or r[i] in (None, "") for r in rows))]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header[i] for i in keep])
    for row in rows:
        cells = ["" if i >= len(row) or row[i] is None else str(row[i]) for i in keep]
        if any(cells):
            writer.writerow(cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _file_name(name: str, what: str, file: str) -> str:
    """A CSV name from the settings, refused when it is not a plain relative ``.csv`` path."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "#" in name or path.suffix.lower() != ".csv":
        raise ConfigError(f"tên tệp {what} '{name}' phải là một tệp .csv trong thư mục cuộc họp",
                          f"the {what} file '{name}' must be a .csv file inside the meeting "
                          "folder", file=file, sheet=SETTINGS_SHEET, value=name)
    return str(path)


def workbook_folder_files(path: str | Path) -> FolderFiles:
    """The meeting folder's files for the workbook *path* (nothing is written).

    Raises :class:`~thidua_rank.errors.ThiduaRankError` (naming sheet, row and column) when the
    workbook is not a valid meeting.

    Examples
    --------
    >>> import tempfile
    >>> from thidua_rank.io.template import write_template
    >>> from thidua_rank.synth import synth_meeting
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = synth_meeting(f"{tmp}/m", units=4, voters=4, seed=1).path
    ...     out = workbook_folder_files(write_template(folder, f"{tmp}/m.xlsx"))
    >>> sorted(out.files), out.skipped_rounds  # doctest: +NORMALIZE_WHITESPACE
    (['ballots/truong-khoi.csv', 'ballots/xep-hang.csv', 'criteria.csv', 'meeting.toml',
      'members.csv', 'scores.csv'], ())
    """
    path = Path(path)
    load_workbook_meeting(path, require_ballots=False)  # every check, located
    try:
        opened = open_workbook(path, require_ballots=False)
        written, redirected = opened.config, opened.redirected
        files: dict[str, bytes] = {"meeting.toml": opened.toml.encode("utf-8")}
        files[_file_name(written.files.members, "đơn vị / members", path.name)] = _csv(
            opened.tables[redirected.files.members])
        if redirected.files.criteria and redirected.files.scores:
            if not (written.files.criteria and written.files.scores):
                raise ConfigError("cấu hình [files] không có tệp tiêu chí / chấm điểm",
                                  "the [files] settings name no criteria or scores file",
                                  file=path.name, sheet=SETTINGS_SHEET)
            files[_file_name(written.files.criteria, "tiêu chí / criteria", path.name)] = _csv(
                opened.tables[redirected.files.criteria])
            files[_file_name(written.files.scores, "chấm điểm / scores", path.name)] = _csv(
                opened.tables[redirected.files.scores])
        skipped: list[str] = []
        for as_written, rnd in zip(written.rounds, redirected.rounds, strict=True):
            if rnd.ballots is None:
                continue
            if as_written.ballots is None:
                skipped.append(rnd.id)
                continue
            files[_file_name(as_written.ballots, f"phiếu / ballots ({rnd.id})", path.name)] = (
                _csv(opened.tables[rnd.ballots]))
    except ThiduaRankError as err:
        raise relocate_error(err, path, SETTINGS_SHEET) from None
    return FolderFiles(files=files, skipped_rounds=tuple(skipped))


def workbook_to_folder(path: str | Path, out: str | Path, *, overwrite: bool = False
                       ) -> Path:
    """Write the meeting folder *out* from the workbook *path*, whole or not at all.

    Parameters
    ----------
    path
        The meeting workbook (``.xlsx``).
    out
        The folder to write; an existing non-empty folder is an error unless *overwrite*
        (its files are then replaced one by one; its ``.thidua`` ballot box is kept).

    Returns
    -------
    pathlib.Path
        The folder; :func:`thidua_rank.load_meeting` reads it into the same meeting.

    Examples
    --------
    >>> import tempfile, thidua_rank as tr
    >>> from thidua_rank.io.template import write_template
    >>> from thidua_rank.synth import synth_meeting
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     book = write_template(synth_meeting(f"{tmp}/m", units=4, seed=1).path,
    ...                           f"{tmp}/m.xlsx")
    ...     folder = workbook_to_folder(book, f"{tmp}/out")
    ...     same = (tr.run_meeting(tr.load_meeting(folder)).to_dict()
    ...             == tr.run_meeting(tr.load_meeting(book)).to_dict())
    >>> same
    True
    """
    return atomic_write_folder(out, workbook_folder_files(path).files, overwrite=overwrite)
