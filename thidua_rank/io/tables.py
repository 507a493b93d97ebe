"""Reading tables: CSV files and spreadsheet sheets, headers matched to canonical columns.

Tables are CSV or XLSX sheets, with Vietnamese or English headers. CSV text is UTF-8 (with or
without a BOM) or UTF-16 with a BOM — what Excel writes for "Unicode Text" (tab-separated);
the delimiter (comma, semicolon or tab) is detected from the header line. A table reference may
name a sheet: ``"meeting.xlsx#Thành viên"``. Every error names the file, the row (as a
spreadsheet shows it: header = row 1), the column and the value.

>>> decode_text("mã\\ttên".encode("utf-16"), "a.txt")
'mã\\ttên'
>>> split_ref("hop.xlsx#Đơn vị")
(PosixPath('hop.xlsx'), 'Đơn vị')
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from thidua_rank.errors import InputError
from thidua_rank.text import fold, nfc

__all__ = [
    "BALLOT_COLUMNS",
    "CRITERIA_COLUMNS",
    "MEMBER_COLUMNS",
    "SCORE_COLUMNS",
    "TableRow",
    "decode_text",
    "raw_rows",
    "read_table",
    "split_ref",
    "yes_no",
]

ENCODINGS = "UTF-8 (có hoặc không có BOM), UTF-16 có BOM"
ENCODINGS_EN = "UTF-8 (with or without BOM), UTF-16 with BOM (Excel 'Unicode Text')"

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


def decode_text(data: bytes, label: str) -> str:
    r"""The text of a CSV or PrefLib file: UTF-8 (BOM optional) or UTF-16 with a BOM.

    Anything else is an :class:`~thidua_rank.InputError` naming the file and the encodings
    accepted (a file saved as "ANSI" / Windows-1258 must be saved again as UTF-8).

    >>> decode_text("\ufeffmã,tên".encode("utf-8"), "a.csv")
    'mã,tên'
    >>> decode_text("tên".encode("cp1258"), "a.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    thidua_rank.errors.InputError: a.csv: tệp không phải văn bản UTF-8 hay UTF-16 ...
    """
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")  # the BOM gives the byte order and is dropped
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"tệp không phải văn bản UTF-8 hay UTF-16 ({err.reason} ở byte {err.start}); "
            f"hãy lưu lại dạng 'CSV UTF-8' — mã hóa được nhận: {ENCODINGS}",
            f"file is not UTF-8 text ({err.reason} at byte {err.start}); save it again as "
            f"'CSV UTF-8' — accepted encodings: {ENCODINGS_EN}", file=label) from None


def split_ref(ref: str | Path) -> tuple[Path, str | None]:
    """A table reference split into the file and the sheet (``None`` for a CSV file)."""
    text = str(ref)
    if "#" in text:
        path, sheet = text.split("#", 1)
        return Path(path), sheet
    return Path(text), None


def raw_rows(ref: str | Path) -> tuple[list[str], list[list[Any]], str]:
    """Header, rows (cells as text or numbers) and label (``file`` or ``file#sheet``) of a CSV
    file or spreadsheet sheet."""
    path, sheet = split_ref(ref)
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
    lines = decode_text(path.read_bytes(), label).splitlines()
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
    header, rows, label = raw_rows(ref)
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


def yes_no(row: TableRow, column: str, default: bool) -> bool:
    """A yes/no cell (``có``/``không``, ``x``/blank, 1/0 …); *default* when blank."""
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


