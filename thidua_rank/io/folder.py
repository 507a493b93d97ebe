"""Reading a meeting folder: ``meeting.toml``, members, criteria, scores and ballot files.

The tables are read by :mod:`thidua_rank.io.tables` and the ballots by
:mod:`thidua_rank.io.ballots`; :func:`assemble_meeting` puts them together for a checked
configuration (the workbook reader uses it too, with the sheets as tables).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path

from thidua_rank.engine.ballots import Ballots, UnitIndex
from thidua_rank.engine.scores import Criterion, MissingScoresError, ScoreEntry, ScoreSheet
from thidua_rank.engine.thresholds import parse_fraction, parse_points
from thidua_rank.errors import ConfigError, InputError, ThiduaRankError
from thidua_rank.io.ballots import read_ballots
from thidua_rank.io.tables import (
    CRITERIA_COLUMNS,
    MEMBER_COLUMNS,
    SCORE_COLUMNS,
    read_table,
    split_ref,
    yes_no,
)
from thidua_rank.meeting.config import MeetingConfig, RoundConfig, parse_config
from thidua_rank.meeting.model import Meeting, Member
from thidua_rank.text import fold, nfc

__all__ = [
    "assemble_meeting",
    "config_path",
    "load_folder_meeting",
    "read_config",
    "read_criteria",
    "read_members",
    "read_round_ballots",
    "read_scores",
]

_KINDS = {fold(k): v for k, v in {
    "item": "item", "tiêu chí": "item", "": "item", "bonus": "bonus", "thưởng": "bonus",
    "điểm thưởng": "bonus", "cộng": "bonus", "điểm cộng": "bonus", "deduction": "deduction",
    "trừ": "deduction", "điểm trừ": "deduction"}.items()}
_SOURCES = {fold(k): v for k, v in {
    "self": "self", "tự chấm": "self", "tự đánh giá": "self", "verified": "verified",
    "thẩm định": "verified", "trưởng khối chấm": "verified", "cross": "cross",
    "chấm chéo": "cross", "kiểm tra chéo": "cross"}.items()}


def read_members(ref: str | Path) -> tuple[Member, ...]:
    """Member units in official order (the file order)."""
    members: list[Member] = []
    for row in read_table(ref, MEMBER_COLUMNS, required=("name",)):
        name = row.values.get("name")
        if name is None:
            raise InputError("thiếu tên đơn vị", "unit name is empty", **row.where("name"))
        ident = str(row.values.get("id") or f"u{len(members) + 1}")
        aliases = tuple(a.strip() for a in str(row.values.get("aliases") or "").split(";")
                        if a.strip())
        members.append(Member(id=ident, name=nfc(str(name)),
                              short_name=nfc(str(row.values.get("short_name") or "")),
                              aliases=aliases, present=yes_no(row, "present", True)))
    if len(members) < 2:
        raise InputError("khối cần ít nhất 2 đơn vị", "a bloc needs at least 2 member units",
                         file=str(ref))
    ids = [m.id for m in members]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError("mã đơn vị bị trùng", "duplicate unit ids", file=str(ref), value=dup)
    Meeting.index_of(members)  # raises on names or aliases shared by two units
    return tuple(members)


def read_criteria(ref: str | Path) -> tuple[Criterion, ...]:
    """The scoring table: items, bonus and deduction lines."""
    out: list[Criterion] = []
    for row in read_table(ref, CRITERIA_COLUMNS, required=("id", "name", "max_points")):
        ident = str(row.values.get("id") or "")
        if not ident:
            raise InputError("thiếu mã tiêu chí", "criterion id is empty", **row.where("id"))
        try:
            max_points = parse_points(row.values.get("max_points"))
            weight = parse_points(row.values.get("weight") or 1)
        except InputError as err:
            raise err.located(**row.where("max_points")) from None
        floor_raw = row.values.get("floor_pct")
        floor = None
        if floor_raw is not None:
            text = str(floor_raw)
            try:
                floor = parse_fraction(text if text.endswith("%") else f"{text}%")
            except ConfigError as err:
                raise InputError(err.vi, err.en, value=floor_raw,
                                 **row.where("floor_pct")) from None
        kind = _KINDS.get(fold(str(row.values.get("kind") or "")))
        if kind is None:
            raise InputError("loại tiêu chí phải là tiêu chí / điểm thưởng / điểm trừ",
                             "kind must be item, bonus or deduction",
                             value=row.values.get("kind"), **row.where("kind"))
        if max_points <= 0:
            raise InputError("điểm tối đa phải lớn hơn 0", "max points must be positive",
                             value=row.values.get("max_points"), **row.where("max_points"))
        out.append(Criterion(id=ident, name=nfc(str(row.values["name"])), max_points=max_points,
                             group=nfc(str(row.values.get("group") or "")), weight=weight,
                             floor_pct=floor, kind=kind))
    ids = [c.id for c in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise InputError("mã tiêu chí bị trùng", "duplicate criterion ids", file=str(ref),
                         value=dup)
    return tuple(out)


def read_scores(ref: str | Path, index: UnitIndex, criteria: Sequence[Criterion],
                *, decimals: int = 3) -> tuple[ScoreEntry, ...]:
    """Score entries from a wide table: unit, source, scorer, then one column per criterion."""
    by_key = {fold(c.id): c.id for c in criteria} | {fold(c.name): c.id for c in criteria}
    entries: list[ScoreEntry] = []
    seen: set[tuple[str, str, str]] = set()
    for row in read_table(ref, SCORE_COLUMNS, required=("unit",), allow_extra=True):
        try:
            unit = index.name(str(row.values.get("unit")))
        except ThiduaRankError as err:
            raise err.located(**row.where("unit")) from None
        source = _SOURCES.get(fold(str(row.values.get("source") or "self")))
        if source is None:
            raise InputError("nguồn điểm phải là tự chấm / thẩm định / chấm chéo",
                             "source must be self, verified or cross",
                             value=row.values.get("source"), **row.where("source"))
        scorer = nfc(str(row.values.get("scorer") or ""))
        if source == "cross":
            if not scorer:
                raise InputError("điểm chấm chéo cần ghi đơn vị chấm",
                                 "a cross score needs the scoring unit", **row.where("scorer"))
            try:
                scorer = index.name(scorer)
            except ThiduaRankError as err:
                raise err.located(**row.where("scorer")) from None
        key = (unit, source, scorer)
        if key in seen:
            raise InputError("dòng điểm bị lặp (cùng đơn vị, nguồn, người chấm)",
                             "duplicate score row (same unit, source and scorer)",
                             file=row.file, row=row.number, value=list(key))
        seen.add(key)
        for header, cell in row.extra.items():
            cid = by_key.get(fold(header))
            if cid is None:
                raise InputError(f"cột '{header}' không phải tiêu chí nào",
                                 f"column '{header}' matches no criterion id or name",
                                 file=row.file, row=1, column=header)
            if cell is None:
                continue
            try:
                points = parse_points(cell, decimals=decimals)
            except InputError as err:
                raise err.located(**row.where(header)) from None
            entries.append(ScoreEntry(unit=unit, criterion=cid, source=source, points=points,
                                      scorer=scorer, row=row.number, file=row.file))
    return tuple(entries)


def load_folder_meeting(path: str | Path, *, require_ballots: bool = True) -> Meeting:
    """Load a meeting folder (``meeting.toml`` + data files) or a ``meeting.toml`` path.

    Everything is read and checked before anything is returned: a bad value anywhere raises
    a :class:`~thidua_rank.ThiduaRankError` naming file, row, column and value. With
    ``require_ballots=False`` (a live meeting, whose ballots come from the ballot box) a
    round's missing ballots file is not an error. :func:`thidua_rank.load_meeting` calls this
    for everything that is not a workbook.
    """
    toml_path = config_path(path)
    config = read_config(toml_path)
    return assemble_meeting(config, toml_path.parent, require_ballots=require_ballots)


def config_path(path: str | Path) -> Path:
    """The ``meeting.toml`` of a meeting folder (or the path itself when it names the file)."""
    path = Path(path)
    return path / "meeting.toml" if path.is_dir() else path


def read_config(toml_path: Path) -> MeetingConfig:
    """Read and check a ``meeting.toml`` (a bilingual error names the file and the key)."""
    if not toml_path.exists():
        if toml_path.name != "meeting.toml" and not toml_path.suffix:  # a mistyped folder
            raise InputError("không tìm thấy thư mục hội nghị", "meeting folder not found",
                             file=str(toml_path))
        raise InputError("không tìm thấy meeting.toml", "meeting.toml not found",
                         file=str(toml_path))
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError("meeting.toml sai cú pháp", f"meeting.toml is not valid TOML: {err}",
                          file=str(toml_path)) from None
    return parse_config(data, file=toml_path.name)


def read_round_ballots(ref: str, rnd: RoundConfig, index: UnitIndex) -> Ballots:
    """A round's ballots file, checked against the round's rules and its candidate list."""
    loaded = read_ballots(ref, units=index, rules=rnd.rules)
    if rnd.candidates is not None:
        expected = {fold(index.name(c)) for c in rnd.candidates}
        got = {fold(u) for u in loaded.units}
        if expected != got:
            raise InputError("cột phiếu không khớp danh sách ứng viên của vòng",
                             f"ballot columns {sorted(loaded.units)} do not match the round's "
                             f"candidates {sorted(rnd.candidates)}", file=ref, row=1)
    return loaded


def assemble_meeting(config: MeetingConfig, base: Path,
                     tables: Mapping[str, str | Path] | None = None, *,
                     require_ballots: bool = True) -> Meeting:
    """Read the data files a checked configuration points to (relative to *base*)."""
    refs = dict(tables or {})

    def ref(name: str | None) -> str | None:
        if name is None:
            return None
        return str(refs.get(name, base / name))

    members = read_members(ref(config.files.members) or "")
    index = Meeting.index_of(members)
    scores: ScoreSheet | None = None
    if config.files.criteria and config.files.scores and Path(
            split_ref(ref(config.files.criteria) or "")[0]).exists():
        criteria = read_criteria(ref(config.files.criteria) or "")
        entries = read_scores(ref(config.files.scores) or "", index, criteria,
                              decimals=config.scoring.decimals)
        scores = ScoreSheet(units=tuple(m.name for m in members), criteria=criteria,
                            entries=entries, rule=config.scoring.rule, trim=config.scoring.trim,
                            bonus_cap=config.scoring.bonus_cap)
        try:
            scores.check()
        except MissingScoresError as err:  # name the scores table even when it has no rows
            raise err.located(file=ref(config.files.scores)) from None
    ballots: dict[str, Ballots] = {}
    for rnd in config.rounds:
        if rnd.ballots is None:
            continue
        if not require_ballots and not Path(split_ref(ref(rnd.ballots) or "")[0]).exists():
            continue
        ballots[rnd.id] = read_round_ballots(ref(rnd.ballots) or "", rnd, index)
    meeting = Meeting(config=config, members=members, scores=scores, ballots=ballots,
                      path=str(base))
    meeting.check(require_ballots=require_ballots)
    return meeting

