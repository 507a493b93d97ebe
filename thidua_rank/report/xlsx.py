"""Excel workbooks: the outcome of a meeting, and any tables of the analyst page.

Every cell that holds text is written as text. A unit, tier or column name that happens to start
with ``=`` (or ``+``, ``-``, ``@``) would otherwise be stored as a formula by xlsxwriter's
``write()``; ``=HYPERLINK(...)`` in a unit name must print as those characters, not as a link
that a click follows. Strings therefore go through ``write_string`` only, and the workbook is
opened with ``strings_to_formulas`` (and the URL and number guesses) switched off as a second
guard. Numbers, booleans and empty cells keep their types.

Each workbook is built in memory; the ``write_*`` functions hand the bytes to
:func:`thidua_rank.io.atomic.atomic_write`, so a failure never leaves a half-written file and the
file is created readable by its owner only (mode 0600).

>>> data = tables_xlsx([("Bảng", ["Đơn vị"], [['=HYPERLINK("http://x","y")']])])
>>> import polars as pl
>>> pl.read_excel(data, sheet_name="Bảng").item()
'=HYPERLINK("http://x","y")'
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, NamedTuple

from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.elections import DENOMINATOR_WORDS, Election, elections
from thidua_rank.meeting.pipeline import MeetingOutcome, RoundCount, score_kind
from thidua_rank.report.minutes import threshold_text
from thidua_rank.report.text import scale_label
from thidua_rank.text import format_number, place_name

__all__ = ["outcome_xlsx", "tables_xlsx", "write_outcome_xlsx"]

# Second guard behind write_string: nothing written through write() is guessed into a formula,
# a hyperlink or a number.
_BOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                 "strings_to_numbers": False}
_HEADER = {"bold": True, "bg_color": "#E8EEF7", "border": 1, "text_wrap": True}


class _Sheet(NamedTuple):
    """One worksheet: its name (cut to Excel's 31 characters), header, rows and column widths
    (``None``: fitted to the longest cell, between 8 and 70)."""

    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] | None = None


def _workbook(sheets: Sequence[_Sheet], *, number_format: str, autofilter: bool) -> bytes:
    """The workbook (bytes): header rows in bold and frozen, floats shown with
    *number_format*, every string written as text."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _BOOK_OPTIONS)
    bold = book.add_format(_HEADER)
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": number_format})
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        for c, title in enumerate(sheet.header):
            ws.write_string(0, c, str(title), bold)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value, cell)
                else:  # numbers, booleans, dates, None: xlsxwriter keeps their type
                    ws.write(r, c, value, number if isinstance(value, float) else cell)
        widths = sheet.widths
        if widths is None:
            widths = [min(max(max([len(str(sheet.header[c]))]
                                  + [len(str(row[c])) for row in sheet.rows]) + 2, 8), 70)
                      for c in range(len(sheet.header))]
        for c, width in enumerate(widths):
            ws.set_column(c, c, width)
        ws.freeze_panes(1, 0)
        if autofilter and sheet.rows:
            ws.autofilter(0, 0, len(sheet.rows), len(sheet.header) - 1)
    book.close()
    return buffer.getvalue()


_NUMBER_VI = "[$-42A]#,##0.00"
"""Two decimals with the Vietnamese locale tag (LCID 042A): Excel shows the decimal comma and the
thousands dot where the reader's regional settings are Vietnamese."""
_PERCENT_VI = "[$-42A]0.00%"


class _Report(NamedTuple):
    """A print-ready sheet of the outcome workbook: a title row naming the bloc and year, lines
    of context (counts, thresholds), then a table whose header repeats on every printed page.
    ``kinds`` gives each column's cell kind: ``text``, ``int``, ``number`` or ``percent``."""

    name: str
    title: str
    lines: Sequence[str]
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int]
    kinds: Sequence[str]
    landscape: bool = False


def _report_workbook(sheets: Sequence[_Report], *, bloc: str, year: int) -> bytes:
    """The outcome workbook: A4, fit to one page wide, header row repeated, title row, header
    and footer with page numbers, Vietnamese number formats; strings always written as text."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, _BOOK_OPTIONS)
    font = {"font_name": "Times New Roman", "font_size": 12}
    fmt = {
        "title": book.add_format({**font, "bold": True, "font_size": 14}),
        "line": book.add_format({**font, "italic": True}),
        "header": book.add_format({**font, **_HEADER, "align": "center", "valign": "vcenter"}),
        "text": book.add_format({**font, "border": 1, "text_wrap": True, "valign": "top"}),
        "int": book.add_format({**font, "border": 1, "valign": "top"}),
        "number": book.add_format({**font, "border": 1, "num_format": _NUMBER_VI,
                                   "valign": "top"}),
        "percent": book.add_format({**font, "border": 1, "num_format": _PERCENT_VI,
                                    "valign": "top"}),
    }
    for sheet in sheets:
        ws = book.add_worksheet(sheet.name[:31])
        ws.write_string(0, 0, sheet.title, fmt["title"])
        for i, line in enumerate(sheet.lines, start=1):
            ws.write_string(i, 0, line, fmt["line"])
        top = len(sheet.lines) + 2  # one empty row before the table
        for c, title in enumerate(sheet.header):
            ws.write_string(top, c, str(title), fmt["header"])
        for r, row in enumerate(sheet.rows, start=top + 1):
            for c, value in enumerate(row):
                kind = sheet.kinds[c]
                if value is None or value == "":
                    ws.write_blank(r, c, None, fmt["text"])
                elif isinstance(value, str):
                    ws.write_string(r, c, value, fmt["text"])
                else:
                    ws.write_number(r, c, value, fmt[kind if kind != "text" else "int"])
        for c, width in enumerate(sheet.widths):
            ws.set_column(c, c, width)
        ws.set_paper(9)  # A4
        if sheet.landscape:
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
        ws.repeat_rows(top)
        ws.set_margins(left=0.6, right=0.4, top=0.8, bottom=0.8)
        ws.center_horizontally()
        header = f"&L&8{_escape(bloc)}&R&8Năm {year}"
        ws.set_header(header)
        ws.set_footer(f"&L&8{_escape(sheet.title)}&R&8Trang &P/&N")
        ws.freeze_panes(top + 1, 0)
    book.close()
    return buffer.getvalue()


def _escape(text: str) -> str:
    """Text for an Excel header/footer, where "&" starts a code."""
    return text.replace("&", "&&")


def _pts(value: Any) -> float:
    return float(value)


def _ranking_sheet(outcome: MeetingOutcome, title: str) -> _Report:
    sheet = outcome.meeting.scores
    resolved = (outcome.score_result.details["resolved"] if outcome.score_result is not None
                else None)
    vote = outcome.vote_result
    header: list[str] = ["Hạng", "Thứ hạng", "Đơn vị"]
    kinds = ["int", "text", "text"]
    widths = [7, 16, 40]
    combined = outcome.ranking_score_kind == "combined_index"
    if combined:
        header.append(scale_label("combined_index"))
        kinds.append("number")
        widths.append(11)
    criteria = list(sheet.criteria) if sheet is not None and resolved is not None else []
    if resolved is not None:
        header.append(scale_label("criteria_points"))
        kinds.append("number")
        widths.append(11)
        for c in criteria:
            header.append(f"{c.id}. {c.name} (tối đa {format_number(c.max_points, 2)})")
            kinds.append("number")
            widths.append(11)
    if vote is not None:
        header.append(scale_label(score_kind(vote.method)))
        kinds.append("number")
        widths.append(11)
    header += ["Đề nghị khen thưởng", "Giải thích"]
    kinds += ["text", "text"]
    widths += [24, 60]
    labels = {u.unit: a.tier.label for a in outcome.awards for u in a.units}
    rows = []
    for r in outcome.ranking.to_dicts():
        unit = r["unit"]
        row: list[Any] = [r["rank"], place_name(r["rank"], joint=r["tied"]), unit]
        if combined:
            row.append(_pts(r["score"]))
        if resolved is not None:
            us = resolved[unit]
            row.append(_pts(us.total))
            row += [_pts(us.points[c.id]) if c.id in us.points else None for c in criteria]
        if vote is not None:
            row.append(_pts(vote.exact[unit]) if unit in vote.exact else None)
        row += [labels.get(unit, ""), outcome.ranking.explanations.get(unit, {}).get("vi", "")]
        rows.append(row)
    lines = [f"Cách xếp hạng: {outcome.ranking.method}; mỗi cột điểm một thang điểm"
             + ("; đơn vị không có trong phiếu xếp hạng: ô điểm phiếu để trống"
                if outcome.ranking_score_kind is None else "") + "."]
    return _Report("Xếp hạng", title, lines, header, rows, widths, kinds, landscape=True)


def _awards_sheet(outcome: MeetingOutcome, title: str) -> _Report:
    cols = []
    if outcome.score_result is not None:
        cols.append((scale_label("criteria_points"), outcome.score_result.exact))
    if outcome.vote_result is not None:
        cols.append((scale_label(score_kind(outcome.vote_result.method)),
                     outcome.vote_result.exact))
    header = ["Hình thức", "Nội dung đề nghị", "STT", "Đơn vị", "Xếp hạng",
              *(name for name, _ in cols), "Hạn mức"]
    rows = []
    for a in outcome.awards:
        for i, u in enumerate(a.units, start=1):
            rows.append([a.tier.label, a.tier.wording or a.tier.label, i, u.unit,
                         place_name(u.place, joint=u.joint),
                         *(_pts(v[u.unit]) if u.unit in v else None for _, v in cols),
                         "" if a.quota is None else a.quota])
    lines = [f"{a.tier.label}: {len(a.units):02d} đơn vị"
             + (f" (hạn mức {a.quota})" if a.quota is not None else "") for a in outcome.awards]
    return _Report("Đề nghị khen thưởng", title, lines, header, rows,
                   [26, 30, 6, 40, 16, *(11 for _ in cols), 9],
                   ["text", "text", "int", "text", "text", *("number" for _ in cols), "int"],
                   landscape=True)


def _counts_sheet(outcome: MeetingOutcome, title: str) -> _Report:
    rows = [[r.title, _DECIDES.get(r.decides, r.decides), r.issued, r.returned, r.valid,
             r.invalid, "; ".join(vi for vi, _ in r.invalid_reasons)] for r in outcome.rounds]
    return _Report("Kiểm phiếu", title, [], ["Vòng", "Nội dung", "Phát ra", "Thu về", "Hợp lệ",
                                            "Không hợp lệ", "Lý do không hợp lệ"], rows,
                   [40, 22, 9, 9, 9, 12, 50],
                   ["text", "text", "int", "int", "int", "int", "text"], landscape=True)


_DECIDES = {"ranking": "xếp hạng", "tier": "hình thức khen thưởng", "head": "bầu Trưởng khối",
            "deputies": "bầu Phó Trưởng khối", "runoff": "bỏ phiếu lại"}


def _count_line(count: RoundCount) -> str:
    return (f"Phát ra: {count.issued} · Thu về: {count.returned} · Hợp lệ: {count.valid} · "
            f"Không hợp lệ: {count.invalid}")


def _election_sheet(outcome: MeetingOutcome, count: RoundCount, e: Election, title: str
                    ) -> _Report:
    lines = [_count_line(count), f"Số {e.role} cần bầu: {e.seats:02d}"
             + (" (bầu lại cho số chưa bầu được ở vòng trước)" if e.revote else "")]
    if e.threshold is not None:
        lines.append(f"Điều kiện trúng cử: được {threshold_text(e.threshold)}.")
    if e.unfilled:
        lines.append(f"{e.unfilled_text()}: cần bầu lại.")
    if e.is_instant_runoff:
        lines.append("Bầu loại dần: mỗi lần đếm ghi số phiếu xếp thứ nhất của từng đơn vị; "
                     "đơn vị được trên 50% số phiếu còn hiệu lực thì trúng cử.")
        header = ["STT", "Đơn vị", *(f"Lần đếm {k.number} (trên {k.live} phiếu)"
                                     for k in e.counts), "Bị loại ở lần đếm", "Kết quả"]
        rows = []
        for i, c in enumerate(e.candidates, start=1):
            out = next((k.number for k in e.counts if c.unit in k.eliminated), None)
            rows.append([i, c.unit, *(dict(k.tallies).get(c.unit) for k in e.counts),
                         out, _result(c)])
        n = len(e.counts)
        return _Report(f"Vòng {count.id}", f"{title} — {count.title}", lines, header, rows,
                       [6, 40, *(14 for _ in range(n)), 12, 20],
                       ["int", "text", *("int" for _ in range(n)), "int", "text"])
    dens = {c.denominator for c in e.candidates}
    word = DENOMINATOR_WORDS[e.candidates[0].denominator_name][0] if e.candidates else ""
    share = f"Tỷ lệ trên {dens.pop()} {word}" if len(dens) == 1 else f"Tỷ lệ trên số {word}"
    header = ["STT", "Đơn vị", "Số phiếu bầu", share, "Đạt ngưỡng", "Kết quả"]
    rows = [[i, c.unit, c.votes, float(c.share) if c.denominator else None,
             "—" if c.threshold_met is None else ("đạt" if c.threshold_met else "không đạt"),
             _result(c)] for i, c in enumerate(e.candidates, start=1)]
    return _Report(f"Vòng {count.id}", f"{title} — {count.title}", lines, header, rows,
                   [6, 40, 12, 16, 12, 20], ["int", "text", "int", "percent", "text", "text"])


def _result(c: Any) -> str:
    if c.elected:
        return "trúng cử"
    return "không là ứng viên của vòng này" if c.excluded else "không trúng cử"


def _round_sheet(outcome: MeetingOutcome, count: RoundCount, title: str) -> _Report | None:
    lines = [_count_line(count)]
    if count.approvals:
        header = ["STT", "Đơn vị", "Số phiếu", "Tỷ lệ", "Đạt"]
        rows = [[i, u, v, float(Fraction(v, d)) if d else None, "đạt" if ok else "không đạt"]
                for i, (u, (v, d, ok)) in enumerate(count.approvals.items(), start=1)]
        dens = {d for _, d, _ in count.approvals.values()}
        if len(dens) == 1:
            header[3] = f"Tỷ lệ trên {dens.pop()}"
        return _Report(f"Vòng {count.id}", f"{title} — {count.title}", lines, header, rows,
                       [6, 40, 10, 14, 10], ["int", "text", "int", "percent", "text"])
    if count.result is None:
        return None
    scale = scale_label(score_kind(count.result.method))
    rows = [[x["rank"], place_name(x["rank"], joint=x["tied"]), x["unit"], _pts(x["score"])]
            for x in count.result.to_dicts()]
    return _Report(f"Vòng {count.id}", f"{title} — {count.title}", lines,
                   ["Hạng", "Thứ hạng", "Đơn vị", scale], rows, [7, 16, 40, 12],
                   ["int", "text", "text", "number"])


def _config_rows(value: Any, prefix: str) -> list[list[str]]:
    """A configuration object flattened to (key, value) rows, in field order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "describe") and prefix:
            return [[prefix, value.describe()[0]]]
        rows: list[list[str]] = []
        for f in dataclasses.fields(value):
            rows += _config_rows(getattr(value, f.name), f"{prefix}.{f.name}" if prefix
                                 else f.name)
        return rows
    if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
        out: list[list[str]] = []
        for i, item in enumerate(value):
            out += _config_rows(item, f"{prefix}[{i}]")
        return out
    if value is None or value == () or value == "":
        return []
    if isinstance(value, tuple):
        return [[prefix, "; ".join(str(v) for v in value)]]
    if isinstance(value, bool):  # as meeting.toml writes it
        return [[prefix, "true" if value else "false"]]
    if isinstance(value, Fraction):
        return [[prefix, str(value) if value.denominator != 1 else str(value.numerator)]]
    return [[prefix, str(value)]]


def outcome_xlsx(outcome: MeetingOutcome) -> bytes:
    """The outcome of a meeting as a print-ready Excel workbook.

    Every sheet starts with a title row naming the bloc and the year, prints on A4 one page wide
    with its header row repeated on each page, a header (bloc, year) and a footer with page
    numbers ("Trang 1/2"), numbers with two decimals and shares as percentages under the
    Vietnamese locale tag. Each score column holds one scale, named in its header.

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.

    Returns
    -------
    bytes
        An .xlsx workbook with the sheets ``Xếp hạng`` (place, unit, criteria total and
        per-criterion points, the vote's points in their own column, the tier proposed, the
        explanation), ``Đề nghị khen thưởng`` (per tier: wording, units, place, scores,
        quota), ``Kiểm phiếu`` (issued, returned, valid, invalid per round), one ``Vòng …``
        sheet per counted round (head and deputies rounds as elections: votes, share with its
        denominator, threshold, trúng cử, instant-runoff counts), ``Trưởng khối`` (next head
        and deputies) and ``Cấu hình`` (the configuration used). Names are text cells, never
        formulas.

    Examples
    --------
    >>> import polars as pl
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    >>> data = outcome_xlsx(tr.run_meeting(tr.load_meeting(folder)))
    >>> pl.read_excel(data, sheet_name="Trưởng khối", read_options={"header_row": 2}).row(0)
    ('Trưởng khối', 'Trường Chính trị tỉnh')
    """
    info = outcome.meeting.config.meeting
    title = f"{info.bloc} — năm {info.year_reviewed}"
    sheets = [_ranking_sheet(outcome, f"{title}: kết quả xếp hạng"),
              _awards_sheet(outcome, f"{title}: đề nghị khen thưởng"),
              _counts_sheet(outcome, f"{title}: kiểm phiếu")]
    by_round = {e.round_id: e for e in elections(outcome)}
    for count in outcome.rounds:
        if count.id in by_round:
            sheets.append(_election_sheet(outcome, count, by_round[count.id], title))
        else:
            sheet = _round_sheet(outcome, count, title)
            if sheet is not None:
                sheets.append(sheet)
    lead = outcome.leadership
    last = {e.decides: e for e in by_round.values()}
    lines = [e.unfilled_text() for e in last.values() if e.unfilled]
    sheets.append(_Report("Trưởng khối", f"{title}: {info.head_title}, {info.deputy_title} năm "
                                         f"{info.term_year}", lines, ["Vai trò", "Đơn vị"],
                          [[info.head_title, lead.head or ""],
                           *[[info.deputy_title, d] for d in lead.deputies]], [20, 48],
                          ["text", "text"]))
    cfg = outcome.meeting.config
    sheets.append(_Report("Cấu hình", f"{title}: cấu hình đã dùng", [], ["Khóa", "Giá trị"],
                          _config_rows(cfg, ""), [34, 80], ["text", "text"]))
    return _report_workbook(sheets, bloc=info.bloc, year=info.year_reviewed)


def write_outcome_xlsx(outcome: MeetingOutcome, path: str | Path) -> Path:
    """Write :func:`outcome_xlsx` to *path*, atomically (mode 0600).

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    path
        The .xlsx file; its folder is created when missing, an existing file is replaced.

    Returns
    -------
    Path
        *path*.

    Examples
    --------
    >>> import tempfile
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    >>> out = Path(tempfile.mkdtemp()) / "ket-qua.xlsx"
    >>> write_outcome_xlsx(tr.run_meeting(tr.load_meeting(folder)), out) == out
    True
    >>> oct(out.stat().st_mode & 0o777)
    '0o600'
    """
    return atomic_write(path, outcome_xlsx(outcome))


def tables_xlsx(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[Any]]]]
                ) -> bytes:
    """An Excel workbook with one sheet per table.

    Parameters
    ----------
    sheets
        ``(name, header, rows)`` per sheet; names are cut to Excel's 31 characters. Strings are
        written as text, floats with three decimals, other values with their own type.

    Returns
    -------
    bytes
        The .xlsx workbook, header rows frozen and columns fitted to their contents.

    Examples
    --------
    >>> import polars as pl
    >>> data = tables_xlsx([("Bootstrap", ["Đơn vị", "Đứng đầu"], [["Sở Y tế", 0.25]])])
    >>> pl.read_excel(data, sheet_name="Bootstrap").rows()
    [('Sở Y tế', 0.25)]
    """
    return _workbook([_Sheet(name, header, rows) for name, header, rows in sheets],
                     number_format="0.000", autofilter=False)
