"""The meeting workbook to fill in: an empty template, or a filled copy of a meeting.

It holds the sheets :mod:`thidua_rank.io.workbook` reads back (see there for the layout), a
guide sheet, data validation on every input column and, in an empty template, the 100-point
criteria table :data:`DEFAULT_CRITERIA` (which the synthetic meetings use too).

>>> [c[0] for c in DEFAULT_CRITERIA]
['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'b1', 'd1']
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from thidua_rank.errors import InputError, ThiduaRankError
from thidua_rank.io.atomic import atomic_write
from thidua_rank.io.load import load_meeting
from thidua_rank.io.tables import BALLOT_COLUMNS, CRITERIA_COLUMNS, MEMBER_COLUMNS, read_table
from thidua_rank.io.workbook import (
    CRITERIA_SHEET,
    GUIDE_SHEET,
    MEMBERS_SHEET,
    SCORES_SHEET,
    SETTINGS_SHEET,
    ballot_sheet_name,
    ballot_sheet_names,
    open_workbook,
    relocate_error,
)
from thidua_rank.meeting.config import parse_config

__all__ = ["DEFAULT_CRITERIA", "write_template"]

DEFAULT_CRITERIA: tuple[tuple[str, str, str, int, str], ...] = (
    ("c1", "I. Thực hiện nhiệm vụ chính trị, chuyên môn",
     "Hoàn thành các chỉ tiêu, nhiệm vụ được giao trong năm", 30, "tiêu chí"),
    ("c2", "I. Thực hiện nhiệm vụ chính trị, chuyên môn",
     "Cải cách hành chính, chuyển đổi số", 20, "tiêu chí"),
    ("c3", "II. Tổ chức phong trào thi đua",
     "Ký kết giao ước, phát động và tổ chức phong trào thi đua", 10, "tiêu chí"),
    ("c4", "II. Tổ chức phong trào thi đua",
     "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", 10, "tiêu chí"),
    ("c5", "II. Tổ chức phong trào thi đua",
     "Công tác khen thưởng, thông tin tuyên truyền", 10, "tiêu chí"),
    ("c6", "III. Xây dựng tổ chức, đoàn thể",
     "Xây dựng tổ chức Đảng, đoàn thể trong sạch, vững mạnh", 10, "tiêu chí"),
    ("c7", "III. Xây dựng tổ chức, đoàn thể",
     "Thực hiện chế độ thông tin, báo cáo đúng hạn", 10, "tiêu chí"),
    ("b1", "Điểm thưởng", "Sáng kiến, mô hình mới; khen thưởng cấp trên", 10, "điểm thưởng"),
    ("d1", "Điểm trừ", "Chậm báo cáo, không đăng ký thi đua, vi phạm kỷ luật", 10, "điểm trừ"),
)
"""A 100-point scoring table (id, group, item, max points, kind) with a bonus and a deduction
line; used by the empty template and by :func:`thidua_rank.synth.synth_meeting`."""

_MEMBER_HEADER = ("mã", "tên đơn vị", "tên viết tắt", "tên khác", "có mặt", "ghi chú")
_CRITERIA_HEADER = ("mã", "nhóm", "nội dung", "điểm tối đa", "trọng số", "mức sàn (%)", "loại",
                    "ghi chú")
_KIND_VI = {"item": "tiêu chí", "bonus": "điểm thưởng", "deduction": "điểm trừ"}
_SOURCE_VI = {"self": "tự chấm", "verified": "thẩm định", "cross": "chấm chéo"}
_MARKS = ["x", "1", "0", "đồng ý", "không"]
_SPARE_ROWS = 200
_PREFLIB = (".soc", ".soi", ".toc", ".toi")


@dataclass(frozen=True)
class _BallotSheet:
    round_id: str
    title: str
    kind: str
    max_choices: int | None
    candidates: tuple[int, ...]
    """Member positions of the candidate columns, official order."""
    rows: tuple[Mapping[str, Any], ...] = ()
    """Cells by column: ``ballot``, ``count``, ``voter``, ``invalid`` and member positions."""
    voter_column: bool = False
    issued: int = 0


@dataclass(frozen=True)
class _Template:
    toml: str
    members: tuple[tuple[Any, ...], ...]
    """(id, name, short name, aliases, present, note)."""
    criteria: tuple[tuple[Any, ...], ...]
    """(id, group, name, max points, weight, floor %, kind, note)."""
    scores: tuple[tuple[Any, ...], ...]
    """(unit position, source, scorer, {criterion id: points})."""
    ballots: tuple[_BallotSheet, ...]
    linked: bool = False
    """Unit names in scores and ballot headers are formulas pointing at the members sheet."""
    decimals: int = 3
    title: str = ""


def _number(value: Fraction | int | None) -> int | float | None:
    """A spreadsheet number for an exact value (scores have a declared, finite precision)."""
    if value is None:
        return None
    frac = Fraction(value)
    return int(frac) if frac.denominator == 1 else float(frac)


_DIGITS = re.compile(r"0|[1-9][0-9]*")


def _cell(value: Any) -> Any:
    """A raw table cell for the workbook: canonical whole numbers as numbers, else as typed."""
    if value is None:
        return None
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return value


def _default_toml(year: int) -> str:
    return f"""\
# Cấu hình hội nghị — nội dung tệp meeting.toml, mỗi dòng một ô. Sửa trực tiếp ở đây.
# Meeting settings — the meeting.toml file, one line per cell. Edit in place.
# Ở tệp Excel, dữ liệu nằm ở các trang; khóa [files] và 'ballots' không được dùng.

[meeting]
id = "hoi-nghi-{year}"                      # chữ thường không dấu, số, '-'
bloc = "Khối thi đua ..."
province = ""
year_reviewed = {year}
meeting_date = "15/12/{year}"
venue = ""
chair = ""
secretary = ""
quorum = "2/3"                           # số thành viên phải có mặt

[scoring]
rule = "verified_over_self"  # self | verified_over_self | cross_mean | cross_trimmed_mean
bonus_cap = 10
decimals = 2

[ranking]
combine = "score"                        # score | vote | score_gate_vote | weighted
# vote_round = "xep-hang"                # cần khi combine khác "score" (thêm vòng xep-hang)

[[tiers]]
id = "co-thi-dua-chinh-phu"
label = "Cờ thi đua của Chính phủ"
label_en = "Government emulation flag"
quota = 1

[[tiers]]
id = "co-thi-dua-tinh"
label = "Cờ thi đua của UBND tỉnh"
label_en = "Provincial emulation flag"
quota = 1

[[tiers]]
id = "bang-khen"
label = "Bằng khen của Chủ tịch UBND tỉnh"
label_en = "Certificate of merit of the provincial chairman"
quota = "50% remaining"
cutoff_tie = "include"

[[rounds]]
id = "truong-khoi"
title = "Bầu Trưởng khối năm {year + 1}"
decides = "head"
kind = "choose"
max_choices = 1

[[rounds]]
id = "pho-truong-khoi"
title = "Bầu Phó Trưởng khối năm {year + 1}"
decides = "deputies"
kind = "choose"
seats = 1

[tie_break]
chain = ["score", "head_to_head", "joint"]
"""


def _empty_template(units: int, year: int | None) -> _Template:
    if isinstance(units, bool) or not isinstance(units, int) or units < 2:
        raise InputError("số đơn vị phải là số nguyên ≥ 2", "units must be a whole number ≥ 2",
                         value=units)
    if year is None:
        today = dt.date.today()
        year = today.year if today.month >= 7 else today.year - 1
    toml = _default_toml(year)
    config = parse_config(tomllib.loads(toml), file="meeting.toml")
    members = tuple((f"u{i + 1}", f"Đơn vị {i + 1}", None, None, "có", None)
                    for i in range(units))
    criteria = tuple((cid, group, name, top, None, None, kind, None)
                     for cid, group, name, top, kind in DEFAULT_CRITERIA)
    scores = tuple((i, source, None, {}) for i in range(units) for source in
                   ("tự chấm", "thẩm định"))
    ballots = tuple(_BallotSheet(round_id=r.id, title=r.title, kind=r.rules.kind,
                                 max_choices=r.rules.max_choices,
                                 candidates=tuple(range(units)), issued=units)
                    for r in config.rounds)
    return _Template(toml=toml, members=members, criteria=criteria, scores=scores,
                     ballots=ballots, linked=True, decimals=config.scoring.decimals,
                     title=config.meeting.bloc)


def _source(source: str | Path) -> tuple[str, Path, Mapping[str, str]]:
    """TOML text, base folder and table refs of a meeting folder, TOML file or workbook."""
    path = Path(source)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        opened = open_workbook(path)
        return opened.toml, path.parent, opened.tables
    toml_path = path / "meeting.toml" if path.is_dir() else path
    return toml_path.read_text(encoding="utf-8"), toml_path.parent, {}


def _from_meeting(source: str | Path) -> _Template:
    meeting = load_meeting(source)
    config = meeting.config  # for a workbook: already pointing at its sheets
    toml, base, tables = _source(source)

    def ref(name: str) -> str:
        return str(tables.get(name, base / name))

    index = meeting.index
    member_notes = [r.values.get("note") for r in read_table(ref(config.files.members),
                                                              MEMBER_COLUMNS)]
    members = tuple((m.id, m.name, m.short_name or None, "; ".join(m.aliases) or None,
                     "có" if m.present else "không", note)
                    for m, note in zip(meeting.members, member_notes, strict=True))
    criteria: tuple[tuple[Any, ...], ...] = ()
    scores: list[tuple[Any, ...]] = []
    if meeting.scores is not None and config.files.criteria:
        notes = [r.values.get("note") for r in read_table(ref(config.files.criteria),
                                                          CRITERIA_COLUMNS)]
        criteria = tuple(
            (c.id, c.group or None, c.name, _number(c.max_points),
             None if c.weight == 1 else _number(c.weight),
             None if c.floor_pct is None else _number(c.floor_pct * 100), _KIND_VI[c.kind], note)
            for c, note in zip(meeting.scores.criteria, notes, strict=True))
        rows: dict[tuple[str, str, str], dict[str, Any]] = {}
        for e in meeting.scores.entries:
            rows.setdefault((e.unit, e.source, e.scorer), {})[e.criterion] = _number(e.points)
        scores = [(index.position(unit), _SOURCE_VI[source], scorer or None, points)
                  for (unit, source, scorer), points in rows.items()]
    sheets = []
    for rnd in config.rounds:
        loaded = meeting.ballots.get(rnd.id)
        names = loaded.units if loaded is not None else (
            tuple(index.name(c) for c in rnd.candidates) if rnd.candidates else meeting.units)
        candidates = tuple(sorted(index.position(u) for u in names))
        ballot_rows: list[dict[str, Any]] = []
        if loaded is not None and rnd.ballots is not None:
            if Path(rnd.ballots).suffix.lower() in _PREFLIB:
                for j in range(loaded.ranks.shape[0]):
                    row: dict[str, Any] = {"ballot": _cell(loaded.ids[j]),
                                           "count": int(loaded.counts[j]) if
                                           loaded.counts[j] != 1 else None}
                    for k, unit in enumerate(loaded.units):
                        rank = int(loaded.ranks[j, k])
                        row[index.position(unit)] = rank or None
                    ballot_rows.append(row)
            else:
                for raw in read_table(ref(rnd.ballots), BALLOT_COLUMNS, allow_extra=True):
                    row = {key: _cell(raw.values.get(key)) for key in BALLOT_COLUMNS}
                    for header, value in raw.extra.items():
                        row[index.position(header)] = _cell(value)
                    ballot_rows.append(row)
        voter = rnd.rules.self_vote != "allow" or any(r.get("voter") for r in ballot_rows)
        sheets.append(_BallotSheet(round_id=rnd.id, title=rnd.title, kind=rnd.rules.kind,
                                   max_choices=rnd.rules.max_choices, candidates=candidates,
                                   rows=tuple(ballot_rows), voter_column=voter,
                                   issued=meeting.issued(rnd.id)))
    return _Template(toml=toml, members=members, criteria=criteria, scores=tuple(scores),
                     ballots=tuple(sheets), decimals=config.scoring.decimals,
                     title=config.meeting.bloc)


def _width(texts: Iterable[Any], *, minimum: int = 8, maximum: int = 60) -> int:
    longest = max((len(str(t)) for t in texts if t is not None), default=0)
    return max(minimum, min(maximum, longest + 2))


def _guide(template: _Template) -> list[str]:
    rounds = ", ".join(f"'{ballot_sheet_name(b.round_id)}'" for b in template.ballots)
    return [
        f"Mẫu nhập liệu hội nghị thi đua — {template.title}".rstrip(" —"),
        "Meeting workbook for thidua-rank — everything the meeting needs is in this file.",
        "",
        "Cách dùng / How to use",
        "  thidua-rank meeting TỆP.xlsx        → kết quả xếp hạng, khen thưởng, bầu Trưởng khối",
        "  thidua-rank minutes TỆP.xlsx bien-ban.docx",
        "",
        "Các trang / Sheets",
        f"  '{SETTINGS_SHEET}': nội dung tệp meeting.toml (quy chế: hạn mức, ngưỡng, vòng bỏ "
        "phiếu), mỗi dòng một ô ở cột A. / The meeting.toml settings, one line per cell.",
        f"  '{MEMBERS_SHEET}': danh sách đơn vị theo thứ tự chính thức; 'có mặt' = có / không. "
        "/ Member units in official order.",
        f"  '{CRITERIA_SHEET}': bảng tiêu chí chấm điểm; 'loại' = tiêu chí / điểm thưởng / điểm "
        "trừ. / The scoring table.",
        f"  '{SCORES_SHEET}': mỗi dòng là một đơn vị và một nguồn điểm (tự chấm / thẩm định / "
        "chấm chéo); mỗi cột một mã tiêu chí. / One row per unit and score source.",
        f"  {rounds or '—'}: mỗi dòng một phiếu. Xếp hạng: 1 = cao nhất, để trống = không xếp. "
        "Chọn / biểu quyết: x, 1, đồng ý = chọn; để trống, 0, không = không chọn. "
        "'số lượng' = số phiếu giống hệt nhau (mặc định 1); 'không hợp lệ' = lý do Ban kiểm "
        "phiếu ghi. / One row per ballot.",
        "",
        "Lưu ý / Notes",
        "  • Dòng 1 của mỗi trang là tiêu đề: không xóa, không đổi tên. Row 1 holds the headers.",
        "  • Ghi đúng như trên phiếu: phiếu sai quy định được tính là không hợp lệ kèm lý do, "
        "không bị bỏ qua. Enter ballots exactly as marked.",
        "  • Tên đơn vị khớp theo tên đầy đủ, tên viết tắt, mã hoặc tên khác.",
        "  • Một trang phiếu chưa có dòng nào nghĩa là vòng đó chưa bỏ phiếu.",
        "  • Thêm đơn vị: thêm dòng ở trang Đơn vị và thêm cột tương ứng ở các trang phiếu.",
        "  • Lỗi được báo kèm tên trang, dòng, cột và giá trị sai. Errors name sheet, row, "
        "column and value.",
    ]


def _template_xlsx(template: _Template) -> bytes:
    """The workbook of a :class:`_Template`, built in memory (bytes)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    head = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True,
                            "valign": "top"})
    text = book.add_format({"num_format": "@"})
    mono = book.add_format({"font_name": "Consolas", "num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    title = book.add_format({"bold": True, "font_size": 13})

    names = [m[1] for m in template.members]
    n_members = len(names)
    member_range = f"='{MEMBERS_SHEET}'!$B$2:$B${n_members + 1}"

    def unit_ref(pos: int) -> str:
        return f"='{MEMBERS_SHEET}'!$B${pos + 2}"

    def header(ws: Any, labels: Sequence[str], heights: int = 1) -> None:
        for c, label in enumerate(labels):
            ws.write_string(0, c, label, head)
        ws.set_row(0, 15 * heights)

    def unit_cell(ws: Any, row: int, col: int, pos: int, fmt: Any = None) -> None:
        if template.linked:
            ws.write_formula(row, col, unit_ref(pos), fmt, names[pos])
        else:
            ws.write_string(row, col, names[pos], fmt)

    def validate(ws: Any, first_row: int, first_col: int, last_row: int, last_col: int,
                 options: dict[str, Any]) -> None:
        if last_col >= first_col:
            ws.data_validation(first_row, first_col, last_row, last_col,
                               {"error_type": "warning", "ignore_blank": True, **options})

    def write_rows(ws: Any, rows: Iterable[Sequence[Any]], formats: Sequence[Any]) -> None:
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value, formats[c])
                else:
                    ws.write_number(r, c, value, formats[c])

    # ---- guide
    ws = book.add_worksheet(GUIDE_SHEET)
    ws.set_column(0, 0, 120, wrap)
    for r, line in enumerate(_guide(template)):
        ws.write_string(r, 0, line, title if r == 0 else wrap)

    # ---- settings
    ws = book.add_worksheet(SETTINGS_SHEET)
    header(ws, ["meeting.toml"])
    lines = template.toml.rstrip("\n").split("\n")
    for r, line in enumerate(lines, start=1):
        if line:
            ws.write_string(r, 0, line, mono)
    ws.set_column(0, 0, _width(lines, minimum=60, maximum=120), mono)
    ws.freeze_panes(1, 0)

    # ---- members
    ws = book.add_worksheet(MEMBERS_SHEET)
    header(ws, _MEMBER_HEADER)
    write_rows(ws, template.members, [text, None, None, None, None, wrap])
    for c, w in enumerate([8, _width(names, minimum=28), _width(
            [m[2] for m in template.members], minimum=14), 24, 9, 30]):
        ws.set_column(c, c, w)
    last = max(n_members, 1) + _SPARE_ROWS
    validate(ws, 1, 4, last, 4, {"validate": "list", "source": ["có", "không"],
                                 "input_title": "Có mặt?", "input_message": "có / không"})
    ws.freeze_panes(1, 2)

    # ---- criteria
    ws = book.add_worksheet(CRITERIA_SHEET)
    header(ws, _CRITERIA_HEADER)
    write_rows(ws, template.criteria, [text, None, wrap, None, None, None, None, wrap])
    for c, w in enumerate([8, _width([c[1] for c in template.criteria], minimum=16, maximum=40),
                           _width([c[2] for c in template.criteria], minimum=30, maximum=70),
                           11, 9, 11, 13, 24]):
        ws.set_column(c, c, w)
    last = len(template.criteria) + _SPARE_ROWS
    validate(ws, 1, 6, last, 6, {"validate": "list", "source": list(_KIND_VI.values())})
    validate(ws, 1, 3, last, 3, {"validate": "decimal", "criteria": ">", "value": 0,
                                 "input_title": "Điểm tối đa", "input_message":
                                 "Điểm chuẩn; dòng thưởng / trừ: số điểm cộng / trừ tối đa"})
    validate(ws, 1, 5, last, 5, {"validate": "decimal", "criteria": "between", "minimum": 0,
                                 "maximum": 100})
    ws.freeze_panes(1, 1)

    # ---- scores
    ws = book.add_worksheet(SCORES_SHEET)
    crit = list(template.criteria)
    header(ws, ["đơn vị", "nguồn", "đơn vị chấm", *[str(c[0]) for c in crit]])
    for c, cr in enumerate(crit, start=3):
        ws.write_comment(0, c, f"{cr[2]} — tối đa {cr[3]} điểm ({cr[6]})",
                         {"x_scale": 2, "y_scale": 1.2})
    for r, (pos, source, scorer, points) in enumerate(template.scores, start=1):
        unit_cell(ws, r, 0, pos)
        ws.write_string(r, 1, source)
        if scorer:
            ws.write_string(r, 2, scorer)
        for c, cr in enumerate(crit, start=3):
            value = points.get(cr[0])
            if value is not None:
                ws.write_number(r, c, value)
    ws.set_column(0, 0, _width(names, minimum=28))
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, _width(names, minimum=14, maximum=30))
    ws.set_column(3, max(3, 2 + len(crit)), 8)
    last = len(template.scores) + _SPARE_ROWS
    unit_list = {"validate": "list", "source": member_range}
    validate(ws, 1, 0, last, 0, unit_list)
    validate(ws, 1, 2, last, 2, unit_list)
    validate(ws, 1, 1, last, 1, {"validate": "list", "source": list(_SOURCE_VI.values())})
    for c, cr in enumerate(crit, start=3):
        validate(ws, 1, c, last, c, {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": cr[3],
            "input_title": str(cr[0])[:32], "input_message":
            f"{cr[2]}: 0 – {cr[3]} điểm, tối đa {template.decimals} chữ số thập phân"[:255]})
    ws.freeze_panes(1, 1)

    # ---- ballots
    sheet_names = ballot_sheet_names([b.round_id for b in template.ballots])
    for sheet in template.ballots:
        ws = book.add_worksheet(sheet_names[sheet.round_id])
        cols = list(sheet.candidates)
        extra = ["số lượng", *(["đơn vị bầu"] if sheet.voter_column else []), "không hợp lệ"]
        width = 16
        lines_needed = max([1, *[-(-len(names[p]) // width) for p in cols]])
        header(ws, ["phiếu", *["" for _ in cols], *extra], heights=lines_needed)
        for c, pos in enumerate(cols, start=1):
            unit_cell(ws, 0, c, pos, head)
        for r, row in enumerate(sheet.rows, start=1):
            values = [row.get("ballot"), *[row.get(p) for p in cols], row.get("count"),
                      *([row.get("voter")] if sheet.voter_column else []), row.get("invalid")]
            for c, value in enumerate(values):
                if value is None:
                    continue
                if isinstance(value, str):
                    ws.write_string(r, c, value)
                else:
                    ws.write_number(r, c, value)
        n = len(cols)
        ws.set_column(0, 0, 8)
        ws.set_column(1, n, width)
        ws.set_column(n + 1, n + 1, 10)
        ws.set_column(n + 2, n + 1 + len(extra) - 1, 18)
        last = max(len(sheet.rows), sheet.issued) + _SPARE_ROWS
        if sheet.kind == "ranked":
            validate(ws, 1, 1, last, n, {
                "validate": "integer", "criteria": "between", "minimum": 1, "maximum": max(n, 1),
                "input_title": "Thứ hạng / rank", "input_message":
                f"1 = cao nhất … {n}; để trống = không xếp hạng",
                "error_title": "Không phải thứ hạng", "error_message":
                "Ghi đúng như trên phiếu: phiếu này sẽ được tính là không hợp lệ."})
        else:
            limit = f" (tối đa {sheet.max_choices} đơn vị)" if sheet.max_choices else ""
            validate(ws, 1, 1, last, n, {
                "validate": "list", "source": _MARKS,
                "input_title": "Đánh dấu / mark", "input_message":
                f"x, 1, đồng ý = chọn; trống, 0, không = không chọn{limit}",
                "error_title": "Không phải dấu chọn", "error_message":
                "Ghi đúng như trên phiếu: phiếu này sẽ được tính là không hợp lệ."})
        validate(ws, 1, n + 1, last, n + 1, {"validate": "integer", "criteria": ">=",
                                             "value": 1})
        if sheet.voter_column:
            validate(ws, 1, n + 2, last, n + 2, unit_list)
        ws.freeze_panes(1, 1)
    book.close()
    return buffer.getvalue()


def write_template(
    source: str | Path | None,
    out: str | Path,
    *,
    units: int = 10,
    year: int | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the meeting workbook: a filled copy of a meeting, or an empty template.

    Parameters
    ----------
    source
        A meeting folder, a ``meeting.toml`` path or a meeting workbook, whose settings and data
        fill the workbook; ``None`` (or blank) for an empty template with default settings,
        the 100-point criteria table, *units* placeholder units ("Đơn vị 1" …) whose names the
        scores and ballot sheets follow by formula, and empty ballot sheets.
    out
        The ``.xlsx`` file to write. It is written through a temporary file and renamed into
        place: a failure leaves nothing behind. An existing file is an error unless *overwrite*.
    units, year
        Number of placeholder units and the year reviewed of an empty template.

    Returns
    -------
    pathlib.Path
        The written file; :func:`thidua_rank.load_meeting` reads it back into the same meeting.
    """
    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        raise InputError("tệp mẫu phải có đuôi .xlsx", "the template must be an .xlsx file",
                         file=str(target))
    if target.exists() and not overwrite:
        raise InputError("tệp đích đã tồn tại (dùng --force để ghi đè)",
                         "the output file exists (use --force to overwrite)", file=str(target))
    if source is None or not str(source).strip():
        template = _empty_template(units, year)
    else:
        try:
            template = _from_meeting(source)
        except ThiduaRankError as err:
            path = Path(source)
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                raise relocate_error(err, path, SETTINGS_SHEET) from None
            raise
    return atomic_write(target, _template_xlsx(template))
