"""Every problem of a meeting workbook at once, not only the first.

:func:`thidua_rank.io.workbook.load_workbook_meeting` stops at the first bad value, which suits
a program; the clerk who fills the workbook wants the whole list, so that one round of fixes is
enough. :func:`validate_meeting` reads every sheet row by row with the same rules as the
reader (the same column names, yes/no words, kinds, sources, points and ranges) and collects
one :class:`~thidua_rank.errors.ThiduaRankError` per problem, each naming the file, sheet,
row, column and value. When the rows show no problem, the reader itself runs last, so a
problem only the whole meeting reveals (a quorum, a tier that names no round…) is reported
too: an empty list means :func:`thidua_rank.load_meeting` accepts the workbook.

A meeting folder is checked the same way, file by file (``meeting.toml``, the members,
criteria and scores tables, each round's ballots file when there is one).

An empty template (placeholder units, no points yet) has one problem:

>>> import tempfile
>>> from thidua_rank.i18n import message
>>> from thidua_rank.io.template import write_template
>>> with tempfile.TemporaryDirectory() as tmp:
...     problems = validate_meeting(write_template(None, f"{tmp}/m.xlsx", units=3))
>>> [message(p, "en") for p in problems]
["m.xlsx, sheet 'Chấm điểm': no scores for units ['Đơn vị 1', 'Đơn vị 2', 'Đơn vị 3']"]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from thidua_rank.engine.ballots import UnitIndex
from thidua_rank.engine.thresholds import parse_fraction, parse_points
from thidua_rank.errors import ConfigError, InputError, ThiduaRankError
from thidua_rank.io.ballots import read_ballots
from thidua_rank.io.folder import _KINDS, _SOURCES, config_path, read_config, read_round_ballots
from thidua_rank.io.load import WORKBOOK_SUFFIXES, load_meeting
from thidua_rank.io.tables import (
    BALLOT_COLUMNS,
    CRITERIA_COLUMNS,
    MEMBER_COLUMNS,
    SCORE_COLUMNS,
    TableRow,
    read_table,
    yes_no,
)
from thidua_rank.io.workbook import (
    _SHEETS,
    MEMBERS_SHEET,
    SETTINGS_SHEET,
    _find,
    _settings,
    _sheet_names,
    ballot_sheet_names,
    load_workbook_meeting,
    relocate_error,
)
from thidua_rank.meeting.config import FileRefs, MeetingConfig, parse_config
from thidua_rank.meeting.model import Meeting, Member
from thidua_rank.text import fold, nfc

__all__ = ["MAX_PROBLEMS", "validate_meeting"]

MAX_PROBLEMS = 200
"""At most this many problems are listed (a shifted column can make every row wrong)."""

Report = Callable[[ThiduaRankError], None]


def _rows(ref: str, columns: Mapping[str, Sequence[str]], report: Report, *,
          required: Sequence[str] = (), allow_extra: bool = False) -> list[TableRow] | None:
    """The rows of a sheet, or ``None`` (reported) when its header is unusable."""
    try:
        return list(read_table(ref, columns, required=required, allow_extra=allow_extra))
    except ThiduaRankError as err:
        report(err)
        return None


def _members(ref: str, report: Report) -> list[Member] | None:
    rows = _rows(ref, MEMBER_COLUMNS, report, required=("name",))
    if rows is None:
        return None
    members: list[Member] = []
    for row in rows:
        name = row.values.get("name")
        if name is None:
            report(InputError("thiếu tên đơn vị", "unit name is empty", **row.where("name")))
            continue
        try:
            present = yes_no(row, "present", True)
        except ThiduaRankError as err:
            report(err)
            present = True
        aliases = tuple(a.strip() for a in str(row.values.get("aliases") or "").split(";")
                        if a.strip())
        members.append(Member(id=str(row.values.get("id") or f"u{len(members) + 1}"),
                              name=nfc(str(name)),
                              short_name=nfc(str(row.values.get("short_name") or "")),
                              aliases=aliases, present=present))
    label = rows[0].file if rows else ref
    if len(rows) < 2:
        report(InputError("khối cần ít nhất 2 đơn vị", "a bloc needs at least 2 member units",
                          file=label))
        return None
    ids = [m.id for m in members]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        report(InputError("mã đơn vị bị trùng", "duplicate unit ids", file=label, value=dup))
    try:
        Meeting.index_of(members)
    except ThiduaRankError as err:
        report(err.located(file=label))
        return None
    return members if members else None


def _criteria(ref: str, report: Report) -> list[Any] | None:
    """(id, max points) of every criterion row, or ``None`` when the header is unusable."""
    rows = _rows(ref, CRITERIA_COLUMNS, report, required=("id", "name", "max_points"))
    if rows is None:
        return None
    out: list[tuple[str, str, Fraction | None]] = []
    for row in rows:
        ident = str(row.values.get("id") or "")
        if not ident:
            report(InputError("thiếu mã tiêu chí", "criterion id is empty", **row.where("id")))
        if row.values.get("name") is None:
            report(InputError("thiếu nội dung tiêu chí", "criterion name is empty",
                              **row.where("name")))
        top: Fraction | None = None
        for column in ("max_points", "weight"):
            cell = row.values.get(column)
            if column == "weight" and cell is None:
                continue
            try:
                value = parse_points(cell)
            except ThiduaRankError as err:
                report(InputError(err.vi, err.en, value=cell, **row.where(column)))
                continue
            if column == "max_points":
                top = value
                if value <= 0:
                    report(InputError("điểm tối đa phải lớn hơn 0", "max points must be positive",
                                      value=cell, **row.where("max_points")))
        floor_raw = row.values.get("floor_pct")
        if floor_raw is not None:
            text = str(floor_raw)
            try:
                parse_fraction(text if text.endswith("%") else f"{text}%")
            except ConfigError as err:
                report(InputError(err.vi, err.en, value=floor_raw, **row.where("floor_pct")))
        if _KINDS.get(fold(str(row.values.get("kind") or ""))) is None:
            report(InputError("loại tiêu chí phải là tiêu chí / điểm thưởng / điểm trừ",
                              "kind must be item, bonus or deduction",
                              value=row.values.get("kind"), **row.where("kind")))
        if ident:
            out.append((ident, nfc(str(row.values.get("name") or "")), top))
    ids = [c[0] for c in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        report(InputError("mã tiêu chí bị trùng", "duplicate criterion ids",
                          file=rows[0].file if rows else ref, value=dup))
    return out


def _scores(ref: str, index: UnitIndex | None, criteria: Sequence[Any], decimals: int,
            report: Report, *, complete: bool) -> None:
    """Check the scores table (*complete*: the unit list had no problem, so a unit without
    scores is one)."""
    rows = _rows(ref, SCORE_COLUMNS, report, required=("unit",), allow_extra=True)
    if rows is None:
        return
    by_key = {fold(c[0]): c for c in criteria} | {fold(c[1]): c for c in criteria if c[1]}
    if rows:
        for header in rows[0].extra:
            if fold(header) not in by_key:
                report(InputError(f"cột '{header}' không phải tiêu chí nào",
                                  f"column '{header}' matches no criterion id or name",
                                  file=rows[0].file, row=1, column=header))
    seen: set[tuple[str, str, str]] = set()
    scored: set[str] = set()
    for row in rows:
        unit: str | None = str(row.values.get("unit"))
        if index is not None:
            try:
                unit = index.name(str(row.values.get("unit")))
            except ThiduaRankError as err:
                report(err.located(**row.where("unit")))
                unit = None
        source = _SOURCES.get(fold(str(row.values.get("source") or "self")))
        if source is None:
            report(InputError("nguồn điểm phải là tự chấm / thẩm định / chấm chéo",
                              "source must be self, verified or cross",
                              value=row.values.get("source"), **row.where("source")))
        scorer = nfc(str(row.values.get("scorer") or ""))
        if source == "cross":
            if not scorer:
                report(InputError("điểm chấm chéo cần ghi đơn vị chấm",
                                  "a cross score needs the scoring unit", **row.where("scorer")))
            elif index is not None:
                try:
                    scorer = index.name(scorer)
                except ThiduaRankError as err:
                    report(err.located(**row.where("scorer")))
        if unit is not None and source is not None:
            key = (unit, source, scorer)
            if key in seen:
                report(InputError("dòng điểm bị lặp (cùng đơn vị, nguồn, người chấm)",
                                  "duplicate score row (same unit, source and scorer)",
                                  file=row.file, row=row.number, value=list(key)))
            seen.add(key)
        for header, cell in row.extra.items():
            crit = by_key.get(fold(header))
            if crit is None or cell is None:
                continue
            try:
                points = parse_points(cell, decimals=decimals)
            except ThiduaRankError as err:
                report(err.located(**row.where(header)))
                continue
            if unit is not None:
                scored.add(unit)
            top = crit[2]
            if top is not None and (points < 0 or points > top):
                report(InputError(f"điểm phải từ 0 đến {float(top):g}",
                                  f"points must be between 0 and {float(top):g} ({crit[1]})",
                                  value=cell, **row.where(header)))
    if index is not None and complete:
        missing = [u for u in index.names if u not in scored]
        if missing:
            report(InputError(f"chưa có điểm của các đơn vị {missing}",
                              f"no scores for units {missing}",
                              file=rows[0].file if rows else ref))


def _config(names: Mapping[str, int], path: Path, ref: Mapping[str, str],
            report: Report) -> MeetingConfig | None:
    settings = _find(names, _SHEETS["settings"])
    if settings is None:
        report(InputError(f"thiếu trang '{SETTINGS_SHEET}' (nội dung meeting.toml)",
                          f"the workbook has no '{SETTINGS_SHEET}' sheet (the meeting.toml "
                          f"settings); sheets are {list(names)}", file=path.name))
        return None
    try:
        _, data = _settings(ref[settings], path.name, settings)
        return parse_config(data, file=f"{path.name}#{settings}")
    except ThiduaRankError as err:
        report(err)
        return None


def _collector(relocate: Callable[[ThiduaRankError], ThiduaRankError]
               ) -> tuple[list[ThiduaRankError], Report]:
    """A problem list and the function that adds to it (each problem once, at most
    :data:`MAX_PROBLEMS`)."""
    problems: list[ThiduaRankError] = []
    seen: set[str] = set()

    def report(err: ThiduaRankError) -> None:
        located = relocate(err)
        if str(located) not in seen and len(problems) < MAX_PROBLEMS:
            seen.add(str(located))
            problems.append(located)

    return problems, report


def _validate_workbook(path: Path) -> list[ThiduaRankError]:
    problems, report = _collector(lambda err: relocate_error(err, path, SETTINGS_SHEET))
    try:
        names = _sheet_names(path)
    except ThiduaRankError as err:
        return [relocate_error(err, path, None)]
    ref = {name: f"{path}#{name}" for name in names}
    config = _config(names, path, ref, report)
    members_sheet = _find(names, _SHEETS["members"])
    members = None
    complete = False
    if members_sheet is None:
        report(InputError(f"thiếu trang '{MEMBERS_SHEET}' (danh sách đơn vị)",
                          f"the workbook has no '{MEMBERS_SHEET}' sheet (the member units)",
                          file=path.name))
    else:
        before = len(problems)
        members = _members(ref[members_sheet], report)
        complete = len(problems) == before
    index = Meeting.index_of(members) if members is not None else None
    criteria_sheet = _find(names, _SHEETS["criteria"])
    scores_sheet = _find(names, _SHEETS["scores"])
    if criteria_sheet is not None and names[criteria_sheet] >= 2:
        criteria = _criteria(ref[criteria_sheet], report)
        if criteria and scores_sheet is not None:
            decimals = config.scoring.decimals if config is not None else 3
            _scores(ref[scores_sheet], index, criteria, decimals, report,
                    complete=complete)
    if config is not None and index is not None:
        expected = ballot_sheet_names([r.id for r in config.rounds])
        for rnd in config.rounds:
            sheet = _find(names, (expected[rnd.id],))
            if sheet is None or names[sheet] < 2:
                continue
            if not list(read_table(ref[sheet], BALLOT_COLUMNS, allow_extra=True)):
                continue
            try:
                read_ballots(ref[sheet], units=index, rules=rnd.rules)
            except ThiduaRankError as err:
                report(err.located(file=f"{path.name}#{sheet}"))
    if not problems:
        try:
            load_workbook_meeting(path, require_ballots=False)
        except ThiduaRankError as err:
            problems.append(err)
    return problems


def _validate_folder(path: Path) -> list[ThiduaRankError]:
    toml_path = config_path(path)
    base = toml_path.parent
    if not base.is_dir():
        return [InputError("không tìm thấy thư mục hội nghị", "meeting folder not found",
                           file=str(base))]
    problems, report = _collector(lambda err: err)
    config: MeetingConfig | None = None
    try:
        config = read_config(toml_path)
    except ThiduaRankError as err:
        if not toml_path.exists():  # not a meeting folder: nothing else is worth listing
            return [err]
        report(err)
    files = config.files if config is not None else FileRefs()
    members_file = base / files.members
    members = None
    complete = False
    if not members_file.exists():
        report(InputError("không tìm thấy danh sách đơn vị", "the member units file is missing",
                          file=str(members_file)))
    else:
        before = len(problems)
        members = _members(str(members_file), report)
        complete = len(problems) == before
    index = Meeting.index_of(members) if members is not None else None
    if files.criteria and files.scores and (base / files.criteria).exists():
        criteria = _criteria(str(base / files.criteria), report)
        if criteria and (base / files.scores).exists():
            decimals = config.scoring.decimals if config is not None else 3
            _scores(str(base / files.scores), index, criteria, decimals, report,
                    complete=complete)
    if config is not None and index is not None:
        for rnd in config.rounds:
            if rnd.ballots is not None and (base / rnd.ballots).exists():
                try:
                    read_round_ballots(str(base / rnd.ballots), rnd, index)
                except ThiduaRankError as err:
                    report(err)
    if not problems:
        try:
            load_meeting(path, require_ballots=False)
        except ThiduaRankError as err:
            problems.append(err)
    return problems


def validate_meeting(path: str | Path) -> list[ThiduaRankError]:
    """Every problem of a meeting workbook or a meeting folder.

    Parameters
    ----------
    path
        A meeting workbook (``.xlsx``), a meeting folder or its ``meeting.toml``.

    Returns
    -------
    list of ThiduaRankError
        One error per problem, in sheet order (settings, units, criteria, scores, ballots),
        each with its ``file``, ``sheet``, ``row`` (header = row 1), ``column`` and ``value``;
        at most :data:`MAX_PROBLEMS`. Empty when :func:`thidua_rank.load_meeting` accepts the
        meeting (ballots not required: a live meeting's come from the ballot box).

    Examples
    --------
    >>> import tempfile
    >>> from thidua_rank.synth import synth_meeting
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     validate_meeting(synth_meeting(f"{tmp}/m", units=4, seed=1).path)
    []
    """
    path = Path(path)
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        return _validate_workbook(path)
    return _validate_folder(path)
