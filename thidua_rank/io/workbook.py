"""A meeting in one Excel workbook: reading it (:mod:`thidua_rank.io.template` writes it).

The workbook holds everything a meeting folder holds, one sheet per table, with the same
Vietnamese headers :func:`thidua_rank.io.tables.read_table` accepts:

============================  ===============================================================
sheet                         content
============================  ===============================================================
``Hướng dẫn``                 how to fill the workbook (not read)
``Cấu hình``                  the text of ``meeting.toml``, one line per cell of column A
``Đơn vị``                    members: ``mã, tên đơn vị, tên viết tắt, tên khác, có mặt, ghi chú``
``Tiêu chí``                  criteria: ``mã, nhóm, nội dung, điểm tối đa, trọng số, mức sàn
                              (%), loại, ghi chú``
``Chấm điểm``                 scores: ``đơn vị, nguồn, đơn vị chấm``, one column per criterion id
``Phiếu – <round id>``        one ballot tally per round: ``phiếu``, one column per candidate,
                              ``số lượng``, (``đơn vị bầu``), ``không hợp lệ``
============================  ===============================================================

In a workbook the sheets decide where the data is: ``[files]`` and the rounds' ``ballots`` keys
of the settings are ignored; a round whose sheet has no ballot rows has no ballots yet, and
empty ``Tiêu chí`` / ``Chấm điểm`` sheets mean no criteria scores (as a folder without
``criteria.csv``). Errors name the sheet, the row (header = row 1), the column and the value.

>>> ballot_sheet_name("xep-hang")
'Phiếu – xep-hang'
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from thidua_rank.errors import ConfigError, InputError, ThiduaRankError
from thidua_rank.io.folder import assemble_meeting
from thidua_rank.io.tables import BALLOT_COLUMNS, CRITERIA_COLUMNS, read_table
from thidua_rank.meeting.config import FileRefs, MeetingConfig, RoundConfig, parse_config
from thidua_rank.meeting.model import Meeting
from thidua_rank.text import fold, nfc

__all__ = [
    "BALLOT_PREFIX",
    "CRITERIA_SHEET",
    "GUIDE_SHEET",
    "MEMBERS_SHEET",
    "SCORES_SHEET",
    "SETTINGS_SHEET",
    "OpenedWorkbook",
    "ballot_sheet_name",
    "ballot_sheet_names",
    "load_workbook_meeting",
    "open_workbook",
    "relocate_error",
]

GUIDE_SHEET = "Hướng dẫn"
SETTINGS_SHEET = "Cấu hình"
MEMBERS_SHEET = "Đơn vị"
CRITERIA_SHEET = "Tiêu chí"
SCORES_SHEET = "Chấm điểm"
BALLOT_PREFIX = "Phiếu – "

_SHEETS = {
    "settings": (SETTINGS_SHEET, "cau hinh", "settings", "meeting.toml", "config"),
    "members": (MEMBERS_SHEET, "Thành viên", "members"),
    "criteria": (CRITERIA_SHEET, "criteria"),
    "scores": (SCORES_SHEET, "Điểm", "scores"),
}
SETTINGS_COLUMNS = {"line": ("meeting.toml", "cấu hình", "settings", "toml")}


def ballot_sheet_name(round_id: str) -> str:
    """Name of the ballot-tally sheet of a round (Excel allows at most 31 characters)."""
    return f"{BALLOT_PREFIX}{round_id}"[:31]


def ballot_sheet_names(round_ids: Sequence[str]) -> dict[str, str]:
    """Sheet names of the rounds' ballot tallies, unique even when long ids share a prefix.

    >>> list(ballot_sheet_names(["bo-phieu-lai-bang-khen-2023a", "bo-phieu-lai-bang-khen-2023b"]
    ...                         ).values())
    ['Phiếu – bo-phieu-lai-bang-khen-', 'Phiếu – bo-phieu-lai-bang-khe~1']
    """
    out: dict[str, str] = {}
    for rid in round_ids:
        name, k = ballot_sheet_name(rid), 0
        while fold(name) in {fold(v) for v in out.values()}:
            k += 1
            name = ballot_sheet_name(rid)[: 31 - len(f"~{k}")] + f"~{k}"
        out[rid] = name
    return out


def _sheet_key(name: str) -> str:
    return fold(nfc(name))


@dataclass(frozen=True)
class OpenedWorkbook:
    """A workbook's settings and where its tables are."""

    path: Path
    toml: str
    config: MeetingConfig
    """The settings as written (``[files]`` and ``ballots`` as in the TOML text)."""
    redirected: MeetingConfig
    """The settings pointing at the workbook's sheets (keys of :attr:`tables`)."""
    tables: Mapping[str, str]
    settings_sheet: str


def relocate_error(err: ThiduaRankError, path: Path, settings_sheet: str | None) -> ThiduaRankError:
    """Split ``book.xlsx#Sheet`` labels into file and sheet; settings errors name their sheet."""
    file, sheet = err.file, err.sheet
    if file is not None and "#" in str(file):
        book, sheet = str(file).split("#", 1)
        file = Path(book).name
    elif sheet is None and settings_sheet is not None and (
            file == "meeting.toml" or (file is None and isinstance(err, ConfigError))):
        file, sheet = path.name, settings_sheet
    elif file is None:
        file = path.name
    return type(err)(err.vi, err.en, file=file, sheet=sheet, row=err.row, column=err.column,
                     value=err.value)


def _sheet_names(path: Path) -> dict[str, int]:
    """Sheet names of the workbook and their number of used rows."""
    import fastexcel

    if not path.exists():
        raise InputError("không tìm thấy tệp", "file not found", file=str(path))
    try:
        reader = fastexcel.read_excel(str(path))
        return {name: reader.load_sheet(name, header_row=None).height
                for name in reader.sheet_names}
    except Exception as err:  # fastexcel raises its own types for corrupt files
        raise InputError("không đọc được tệp Excel", f"cannot read the workbook: {err}",
                         file=path.name) from None


def _find(names: Iterable[str], aliases: Sequence[str]) -> str | None:
    wanted = {_sheet_key(a) for a in aliases}
    return next((n for n in names if _sheet_key(n) in wanted), None)


_TOML_LINE = re.compile(r"at line (\d+)")


def _settings(ref: str, file: str, sheet: str) -> tuple[str, dict[str, Any]]:
    """The TOML text of the settings sheet and its parsed content."""
    lines: list[str] = []
    for row in read_table(ref, SETTINGS_COLUMNS, required=("line",), allow_extra=True):
        lines += [""] * (row.number - 2 - len(lines))
        value = row.values.get("line")
        lines.append("" if value is None else str(value))
    text = "\n".join(lines) + "\n"
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        # spreadsheet autocorrect may have turned "…" into “…”: accept it when that is all
        straight = text.translate(str.maketrans({"“": '"', "”": '"'}))
        try:
            return straight, tomllib.loads(straight)
        except tomllib.TOMLDecodeError:
            pass
        found = _TOML_LINE.search(str(err))
        raise ConfigError("nội dung cấu hình sai cú pháp TOML",
                          f"the settings are not valid TOML: {err}", file=file, sheet=sheet,
                          row=int(found.group(1)) + 1 if found else None, column="A") from None


def open_workbook(path: str | Path, *, require_ballots: bool = True) -> OpenedWorkbook:
    """Read a workbook's settings and find its tables (see :func:`load_workbook_meeting`).

    With ``require_ballots=False`` (a live meeting) the ranking's vote round may have no
    ballot rows yet.
    """
    path = Path(path)
    names = _sheet_names(path)
    found = {kind: _find(names, aliases) for kind, aliases in _SHEETS.items()}
    settings = found["settings"]
    if settings is None:
        raise InputError(f"thiếu trang '{SETTINGS_SHEET}' (nội dung meeting.toml)",
                         f"the workbook has no '{SETTINGS_SHEET}' sheet (the meeting.toml "
                         f"settings); sheets are {list(names)}", file=path.name)
    ref = {name: f"{path}#{name}" for name in names}
    toml, data = _settings(ref[settings], path.name, settings)
    config = parse_config(data, file=f"{path.name}#{settings}")
    members = found["members"]
    if members is None:
        raise InputError(f"thiếu trang '{MEMBERS_SHEET}' (danh sách đơn vị)",
                         f"the workbook has no '{MEMBERS_SHEET}' sheet (the member units)",
                         file=path.name)

    def has_rows(sheet: str | None, columns: Mapping[str, Sequence[str]]) -> bool:
        if sheet is None or names[sheet] < 2:
            return False
        return next(iter(read_table(ref[sheet], columns, allow_extra=True)), None) is not None

    files = FileRefs(members=members, criteria=None, scores=None)
    if has_rows(found["criteria"], CRITERIA_COLUMNS):
        if found["scores"] is None:
            raise InputError(f"có trang '{CRITERIA_SHEET}' nhưng thiếu trang '{SCORES_SHEET}'",
                             f"the workbook has criteria but no '{SCORES_SHEET}' sheet",
                             file=path.name)
        files = FileRefs(members=members, criteria=found["criteria"], scores=found["scores"])
    rounds: list[RoundConfig] = []
    expected = ballot_sheet_names([r.id for r in config.rounds])
    for rnd in config.rounds:
        sheet = _find(names, (expected[rnd.id],)) or _find(names, (f"{BALLOT_PREFIX}{rnd.id}",))
        rounds.append(dataclasses.replace(
            rnd, ballots=sheet if has_rows(sheet, BALLOT_COLUMNS) else None))
    redirected = dataclasses.replace(config, files=files, rounds=tuple(rounds))
    vote_round = config.ranking.vote_round
    if require_ballots and config.ranking.combine != "score" and vote_round in expected and not (
            any(r.id == vote_round and r.ballots for r in redirected.rounds)):
        sheet = expected[vote_round]
        raise InputError(f"trang '{sheet}' chưa có phiếu nào, cần cho xếp hạng "
                         f"(ranking.combine = '{config.ranking.combine}')",
                         f"the sheet '{sheet}' holds no ballots; the ranking "
                         f"(ranking.combine = '{config.ranking.combine}') needs them",
                         file=path.name, sheet=sheet, row=2)
    return OpenedWorkbook(path=path, toml=toml, config=config, redirected=redirected, tables=ref,
                   settings_sheet=settings)


def load_workbook_meeting(path: str | Path, *, require_ballots: bool = True) -> Meeting:
    """Load a meeting from one workbook (as written by :func:`write_template`, then filled).

    :func:`thidua_rank.load_meeting` calls this for ``.xlsx`` paths. Everything is read and
    checked before anything is returned; errors name the sheet, row, column and value.

    With ``require_ballots=False`` (a live meeting, whose ballots come from the ballot box) the
    ranking's vote round may have an empty sheet even when ``ranking.combine`` needs votes.

    Examples
    --------
    >>> import tempfile, thidua_rank as tr
    >>> from thidua_rank.io.template import write_template
    >>> from thidua_rank.synth import synth_meeting
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = synth_meeting(f"{tmp}/m", units=5, voters=5, seed=2).path
    ...     book = write_template(folder, f"{tmp}/m.xlsx")
    ...     same = (tr.run_meeting(tr.load_meeting(book)).to_dict()
    ...             == tr.run_meeting(tr.load_meeting(folder)).to_dict())
    >>> same
    True
    """
    path = Path(path)
    settings: str | None = None
    try:
        opened = open_workbook(path, require_ballots=require_ballots)
        settings = opened.settings_sheet
        return assemble_meeting(opened.redirected, path.parent, opened.tables,
                                require_ballots=require_ballots)
    except ThiduaRankError as err:
        raise relocate_error(err, path, settings or SETTINGS_SHEET) from None
