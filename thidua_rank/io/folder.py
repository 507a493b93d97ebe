"""Reading meeting data: the only module of the package that touches files.

Tables are CSV (UTF-8, comma / semicolon / tab) or XLSX sheets, with Vietnamese or English
headers. A table reference in ``meeting.toml`` may name a sheet: ``"meeting.xlsx#Thành viên"``.
Every error names the file, the row (as a spreadsheet shows it: header = row 1), the column and
the value.
"""

from __future__ import annotations

import csv
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thidua_rank._typing import BallotKind
from thidua_rank.engine.ballots import BallotRules, Ballots, UnitIndex
from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet
from thidua_rank.engine.thresholds import parse_fraction, parse_points
from thidua_rank.errors import ConfigError, InputError, ThiduaRankError
from thidua_rank.meeting.config import MeetingConfig, parse_config
from thidua_rank.meeting.model import Meeting, Member
from thidua_rank.text import fold, nfc

__all__ = [
    "TableRow",
    "load_meeting",
    "read_ballots",
    "read_criteria",
    "read_members",
    "read_scores",
    "read_table",
]

# canonical column -> accepted headers (compared folded)
MEMBER_COLUMNS = {
    "id": ("id", "mã", "mã đơn vị", "code"),
    "name": ("name", "tên đơn vị", "tên", "đơn vị", "unit", "full name"),
    "short_name": ("short_name", "short name", "tên viết tắt", "viết tắt", "tên ngắn"),
    "aliases": ("aliases", "tên khác", "alias"),
    "present": ("present", "có mặt", "dự họp"),
    "note": ("note", "ghi chú"),
}
CRITERIA_COLUMNS = {
    "id": ("id", "mã", "mã tiêu chí", "code"),
    "group": ("group", "nhóm", "nhóm tiêu chí"),
    "name": ("name", "nội dung", "tiêu chí", "tên tiêu chí"),
    "max_points": ("max_points", "max points", "điểm tối đa", "điểm chuẩn", "max"),
    "weight": ("weight", "trọng số", "hệ số"),
    "floor_pct": ("floor_pct", "floor", "sàn", "sàn (%)", "mức sàn (%)", "mức sàn"),
    "kind": ("kind", "loại"),
    "note": ("note", "ghi chú"),
}
SCORE_COLUMNS = {
    "unit": ("unit", "đơn vị", "tên đơn vị"),
    "source": ("source", "nguồn", "nguồn điểm"),
    "scorer": ("scorer", "người chấm", "đơn vị chấm"),
    "note": ("note", "ghi chú"),
}
BALLOT_COLUMNS = {
    "ballot": ("ballot", "phiếu", "số phiếu", "mã phiếu", "ballot id"),
    "count": ("count", "số lượng", "số phiếu giống nhau"),
    "voter": ("voter", "đơn vị bầu", "người bầu"),
    "invalid": ("invalid", "không hợp lệ", "lý do không hợp lệ", "phiếu không hợp lệ"),
}
_KINDS = {fold(k): v for k, v in {
    "item": "item", "tiêu chí": "item", "": "item", "bonus": "bonus", "thưởng": "bonus",
    "điểm thưởng": "bonus", "cộng": "bonus", "điểm cộng": "bonus", "deduction": "deduction",
    "trừ": "deduction", "điểm trừ": "deduction"}.items()}
_SOURCES = {fold(k): v for k, v in {
    "self": "self", "tự chấm": "self", "tự đánh giá": "self", "verified": "verified",
    "thẩm định": "verified", "trưởng khối chấm": "verified", "cross": "cross",
    "chấm chéo": "cross", "kiểm tra chéo": "cross"}.items()}
_YES = {fold(w) for w in ("1", "x", "có", "yes", "true", "c", "y", "có mặt")}
_NO = {fold(w) for w in ("0", "", "không", "no", "false", "k", "n", "vắng", "vắng mặt")}


@dataclass(frozen=True)
class TableRow:
    """One data row: values by canonical column, extra columns, and where it came from."""

    number: int
    values: Mapping[str, Any]
    extra: Mapping[str, Any]
    file: str
    headers: Mapping[str, str] = field(default_factory=dict)
    """The header as written in the file for each canonical column (for error messages)."""

    def where(self, column: str) -> dict[str, Any]:
        """Location keywords for an error about *column* of this row (named as in the file)."""
        return {"file": self.file, "row": self.number, "column": self.headers.get(column, column)}


def _split_ref(ref: str | Path) -> tuple[Path, str | None]:
    text = str(ref)
    if "#" in text:
        path, sheet = text.split("#", 1)
        return Path(path), sheet
    return Path(text), None


def _raw_rows(ref: str | Path) -> tuple[list[str], list[list[Any]], str]:
    """Header and rows of a CSV file or XLSX sheet (cells as text or numbers)."""
    path, sheet = _split_ref(ref)
    label = f"{path.name}#{sheet}" if sheet else path.name
    if not path.exists():
        raise InputError("không tìm thấy tệp", "file not found", file=str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        import polars as pl

        try:
            frame = pl.read_excel(path, sheet_name=sheet, engine="calamine",
                                  infer_schema_length=0) if sheet else pl.read_excel(
                path, engine="calamine", infer_schema_length=0)
        except Exception as err:  # calamine raises its own types for missing sheets
            raise InputError("không đọc được trang tính", f"cannot read the sheet: {err}",
                             file=label) from None
        header = [nfc(str(c)) for c in frame.columns]
        rows = [list(r) for r in frame.iter_rows()]
        return header, rows, label
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError("tệp không phải UTF-8", f"file is not UTF-8 text ({err.reason})",
                         file=label) from None
    lines = text.splitlines()
    if not lines:
        raise InputError("tệp rỗng", "file is empty", file=label)
    try:
        dialect = csv.Sniffer().sniff(lines[0], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = list(csv.reader(lines, delimiter=delimiter))
    header = [nfc(h) for h in reader[0]]
    return header, reader[1:], label


def read_table(
    ref: str | Path,
    columns: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str] = (),
    allow_extra: bool = False,
) -> Iterator[TableRow]:
    """Rows of a CSV file or sheet, with headers matched to canonical *columns*.

    Blank rows are skipped. Unknown headers are an error unless *allow_extra* (they are then
    returned in :attr:`TableRow.extra`, in file order).
    """
    header, rows, label = _raw_rows(ref)
    lookup = {fold(alias): canon for canon, aliases in columns.items() for alias in aliases}
    mapping: dict[int, str] = {}
    extra: dict[int, str] = {}
    for i, name in enumerate(header):
        canon = lookup.get(fold(name))
        if canon is not None:
            if canon in mapping.values():
                raise InputError("cột bị lặp", "duplicate column", file=label, row=1, column=name)
            mapping[i] = canon
        elif allow_extra and name:
            extra[i] = name
        elif name:
            accepted = "; ".join(f"{c}: {', '.join(a)}" for c, a in columns.items())
            raise InputError(f"cột không hợp lệ '{name}'",
                             f"unknown column '{name}'; accepted columns are {accepted}",
                             file=label, row=1, column=name)
    missing = [c for c in required if c not in mapping.values()]
    if missing:
        raise InputError(f"thiếu cột {missing}",
                         f"missing columns {missing} (accepted headers: "
                         f"{ {c: list(columns[c]) for c in missing} })", file=label, row=1)
    headers = {canon: header[i] for i, canon in mapping.items()}
    for number, row in enumerate(rows, start=2):
        cells = [_clean(c) for c in row] + [None] * (len(header) - len(row))
        if all(c is None for c in cells):
            continue
        if len(row) > len(header) and any(_clean(c) is not None for c in row[len(header):]):
            raise InputError("dòng có nhiều ô hơn tiêu đề", "row has more cells than the header",
                             file=label, row=number)
        yield TableRow(number=number, values={mapping[i]: cells[i] for i in mapping},
                       extra={name: cells[i] for i, name in extra.items()}, file=label,
                       headers=headers)


def _clean(cell: Any) -> Any:
    if cell is None:
        return None
    if isinstance(cell, str):
        text = nfc(cell)
        return text or None
    return cell


def _flag(row: TableRow, column: str, default: bool) -> bool:
    value = row.values.get(column)
    if value is None:
        return default
    key = fold(str(value).removesuffix(".0"))
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise InputError("phải là có/không (1/0)", "must be yes/no (1/0)", value=value,
                     **row.where(column))


# ---------------------------------------------------------------------- members, criteria, scores
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
                              aliases=aliases, present=_flag(row, "present", True)))
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


# ---------------------------------------------------------------------- ballots
def read_ballots(
    ref: str | Path,
    *,
    units: Sequence[str] | UnitIndex | None = None,
    rules: BallotRules | None = None,
    kind: BallotKind | None = None,
) -> Ballots:
    """Read ballots: CSV/XLSX wide form, or PrefLib ``.soc/.soi/.toc/.toi``.

    Wide form: one row per ballot; optional columns ``ballot`` (id), ``count``, ``voter``,
    ``invalid`` (reason the counting committee declared it invalid); one column per unit whose
    cell is the rank (1 = best; equal = tie; blank = unranked) or, for approval ballots,
    1/0, x/blank, đồng ý/không.

    Parameters
    ----------
    units
        The bloc's units (names or a :class:`UnitIndex` with aliases); columns are matched to
        them and reordered to the official order. Default: the file's own columns.
    rules
        Validity rules; default: permissive rules of *kind*.
    kind
        ``ranked``, ``approval`` or ``choose``; by default approval when no cell holds a rank
        above 1, else ranked.
    """
    path, _ = _split_ref(ref)
    if path.suffix.lower() in (".soc", ".soi", ".toc", ".toi"):
        return _read_preflib(path, units)
    rows = list(read_table(ref, BALLOT_COLUMNS, allow_extra=True))
    header, _, label = _raw_rows(ref)
    unit_headers = [h for h in header if fold(h) not in
                    {fold(a) for aliases in BALLOT_COLUMNS.values() for a in aliases} and h]
    if isinstance(units, UnitIndex):
        index = units
    elif units is not None:
        index = UnitIndex(units)
    else:
        index = UnitIndex(unit_headers)
    positions: dict[str, int] = {}
    for h in unit_headers:
        try:
            positions[h] = index.position(h)
        except ThiduaRankError as err:
            raise err.located(file=label, row=1, column=h) from None
    if len(set(positions.values())) != len(positions):
        raise InputError("hai cột cùng chỉ một đơn vị", "two columns name the same unit",
                         file=label, row=1)
    candidates = sorted(positions.values())
    names = [index.names[p] for p in candidates]
    col_of = {p: h for h, p in positions.items()}
    cells = [[r.extra.get(col_of[p]) for p in candidates] for r in rows]
    if rules is None:
        inferred = kind or _infer_kind(cells)
        rules = BallotRules(kind=inferred, min_choices=0 if inferred != "ranked" else 1)
    elif kind is not None and kind != rules.kind:
        raise InputError("loại phiếu mâu thuẫn", f"kind={kind!r} contradicts rules.kind="
                         f"{rules.kind!r}")
    counts = []
    for r in rows:
        raw = r.values.get("count")
        try:
            c = 1 if raw is None else int(parse_points(raw, decimals=0))
        except InputError as err:
            raise err.located(**r.where("count")) from None
        if c < 1:
            raise InputError("số lượng phải ≥ 1", "count must be at least 1", value=raw,
                             **r.where("count"))
        counts.append(c)
    ids = [str(r.values.get("ballot") or i + 1).removesuffix(".0") for i, r in enumerate(rows)]
    voters = [_voter(r, index, names, strict=units is not None) for r in rows] if any(
        r.values.get("voter") for r in rows) else None
    try:
        return Ballots.from_cells(
            cells, units=names, rules=rules, ids=ids, voters=voters,
            marked_invalid=[r.values.get("invalid") for r in rows], counts=counts, source=label)
    except ThiduaRankError as err:
        raise err.located(file=label) from None


def _voter(row: TableRow, index: UnitIndex, candidates: Sequence[str], *, strict: bool
           ) -> str | None:
    """The voter's unit as a candidate name, or ``None`` when it is not on the ballot.

    The voter is matched over the whole bloc (id, short name, alias), so a unit that is not a
    candidate of the round may still vote; it simply cannot vote for itself. With *strict*
    (the bloc's units are known) an unknown voter is an error.
    """
    raw = row.values.get("voter")
    if raw is None:
        return None
    try:
        name = index.name(str(raw))
    except ThiduaRankError as err:
        if strict:
            raise err.located(**row.where("voter")) from None
        return None
    return name if name in candidates else None


def _infer_kind(cells: Sequence[Sequence[Any]]) -> BallotKind:
    for row in cells:
        for c in row:
            if c is None:
                continue
            try:
                if parse_points(c) > 1:
                    return "ranked"
            except InputError:
                continue
    return "approval"


def _read_preflib(path: Path, units: Sequence[str] | UnitIndex | None) -> Ballots:
    """PrefLib 2022 format: ``# ALTERNATIVE NAME i: name`` headers, ``count: 1,{2,3},4`` rows."""
    names: dict[int, str] = {}
    orders: list[tuple[int, list[list[int]]]] = []
    text = path.read_text(encoding="utf-8-sig").splitlines()
    for number, line in enumerate(text, start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            if body.upper().startswith("ALTERNATIVE NAME"):
                key, _, value = body.partition(":")
                names[int(key.split()[-1])] = nfc(value)
            continue
        count_text, sep, ranking = line.partition(":")
        if not sep:
            raise InputError("dòng PrefLib không hợp lệ", "PrefLib line must be 'count: order'",
                             file=path.name, row=number, value=line)
        try:
            count = int(count_text)
            groups: list[list[int]] = []
            inside = False
            for token in ranking.replace(" ", "").split(","):
                if not token:
                    continue
                start, end = token.startswith("{"), token.endswith("}")
                value = int(token.strip("{}"))
                if start or not inside:
                    groups.append([value])
                else:
                    groups[-1].append(value)
                inside = (inside or start) and not end
        except ValueError:
            raise InputError("dòng PrefLib không hợp lệ", "PrefLib line must be 'count: order'",
                             file=path.name, row=number, value=line) from None
        orders.append((count, groups))
    n = max(names) if names else max((a for _, g in orders for grp in g for a in grp), default=0)
    labels = [names.get(i, str(i)) for i in range(1, n + 1)]
    if units is not None:
        index = units if isinstance(units, UnitIndex) else UnitIndex(units)
        labels = [index.name(x) for x in labels]
    ranks = []
    for _, groups in orders:
        row = [0] * n
        place = 1
        for grp in groups:
            for a in grp:
                row[a - 1] = place
            place += len(grp)
        ranks.append(row)
    return Ballots.from_ranks(ranks, units=labels, counts=[c for c, _ in orders])


# ---------------------------------------------------------------------- the meeting folder
def load_meeting(path: str | Path, *, require_ballots: bool = True) -> Meeting:
    """Load a meeting folder (``meeting.toml`` + data files) or a ``meeting.toml`` path.

    Everything is read and checked before anything is returned: a bad value anywhere raises
    a :class:`~thidua_rank.ThiduaRankError` naming file, row, column and value. With
    ``require_ballots=False`` (a live meeting, whose ballots come from the ballot box) a
    round's missing ballots file is not an error.
    """
    path = Path(path)
    toml_path = path / "meeting.toml" if path.is_dir() else path
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from thidua_rank.io.workbook import load_workbook_meeting

        return load_workbook_meeting(path)
    if not toml_path.exists():
        raise InputError("không tìm thấy meeting.toml", "meeting.toml not found",
                         file=str(toml_path))
    try:
        data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ConfigError("meeting.toml sai cú pháp", f"meeting.toml is not valid TOML: {err}",
                          file=str(toml_path)) from None
    config = parse_config(data, file=toml_path.name)
    return assemble_meeting(config, toml_path.parent, require_ballots=require_ballots)


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
            _split_ref(ref(config.files.criteria) or "")[0]).exists():
        criteria = read_criteria(ref(config.files.criteria) or "")
        entries = read_scores(ref(config.files.scores) or "", index, criteria,
                              decimals=config.scoring.decimals)
        scores = ScoreSheet(units=tuple(m.name for m in members), criteria=criteria,
                            entries=entries, rule=config.scoring.rule, trim=config.scoring.trim,
                            bonus_cap=config.scoring.bonus_cap)
        scores.check()
    ballots: dict[str, Ballots] = {}
    for rnd in config.rounds:
        if rnd.ballots is None:
            continue
        if not require_ballots and not Path(_split_ref(ref(rnd.ballots) or "")[0]).exists():
            continue
        loaded = read_ballots(ref(rnd.ballots) or "", units=index, rules=rnd.rules)
        if rnd.candidates is not None:
            expected = {fold(index.name(c)) for c in rnd.candidates}
            got = {fold(u) for u in loaded.units}
            if expected != got:
                raise InputError("cột phiếu không khớp danh sách ứng viên của vòng",
                                 f"ballot columns {sorted(loaded.units)} do not match the round's "
                                 f"candidates {sorted(rnd.candidates)}",
                                 file=str(ref(rnd.ballots)), row=1)
        ballots[rnd.id] = loaded
    meeting = Meeting(config=config, members=members, scores=scores, ballots=ballots,
                      path=str(base))
    meeting.check(require_ballots=require_ballots)
    return meeting

