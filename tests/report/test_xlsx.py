"""Excel workbooks keep text as text (no formula injection) and are written with mode 0600.

The workbooks are read back from their XML (an .xlsx is a zip file): a formula is an ``<f>``
element of a cell, text is a shared or inline string.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

import pytest

import thidua_rank as tr
from thidua_rank.report.xlsx import outcome_xlsx, tables_xlsx, write_outcome_xlsx
from thidua_rank.resources import sample_meetings

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}

# Cells that a spreadsheet would evaluate when typed in: formulas, DDE-style prefixes, and the
# leading tab / carriage return that some programs strip before evaluating.
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1:A9)", "=1+1",
           "\t=1+1", "\r=cmd|' /C calc'!A0"]

TOML = """
[meeting]
id = "formula-test"
bloc = "Khối thi đua thử"
province = "Ninh Bình"
year_reviewed = 2023
meeting_date = 2023-12-01
[ranking]
combine = "vote"
vote_round = "xep-hang"
[[tiers]]
id = "co-tinh"
label = '=HYPERLINK("http://x","Cờ thi đua")'
quota = 1
[[tiers]]
id = "bang-khen"
label = "-1+2 Bằng khen"
quota = 1
[[rounds]]
id = "xep-hang"
title = "@Bỏ phiếu xếp hạng"
ballots = "xh.csv"
issued = 3
[tie_break]
chain = ["head_to_head", "joint"]
"""
UNITS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1:A9)", "=1+1"]


def _unescape(text: str) -> str:
    """Undo the ``_xHHHH_`` escapes Excel uses for control characters in strings."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def read_cells(data: bytes) -> dict[str, list[tuple[str, str, bool]]]:
    """``{sheet file: [(cell ref, text or value, is formula)]}`` from the workbook's XML."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            root = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = [_unescape("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
                      for si in root.findall("m:si", NS)]
        sheets: dict[str, list[tuple[str, str, bool]]] = {}
        for name in sorted(n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml",
                                                                   n)):
            cells = []
            for c in ElementTree.fromstring(z.read(name)).iter(f"{{{NS['m']}}}c"):
                formula = c.find("m:f", NS) is not None
                v = c.find("m:v", NS)
                if c.get("t") == "s":
                    text = shared[int(v.text)]  # type: ignore[union-attr, arg-type]
                elif c.get("t") == "inlineStr":
                    text = _unescape("".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t")))
                else:
                    text = "" if v is None else (v.text or "")
                cells.append((c.get("r", ""), text, formula))
            sheets[name] = cells
        return sheets


def texts(data: bytes) -> list[str]:
    return [text for cells in read_cells(data).values() for _, text, _ in cells]


def formulas(data: bytes) -> list[tuple[str, str, str]]:
    return [(sheet, ref, text) for sheet, cells in read_cells(data).items()
            for ref, text, formula in cells if formula]


def test_the_reader_sees_a_formula_written_as_one() -> None:
    # the check below would pass for nothing if the reader could not see formulas
    import xlsxwriter

    buffer = BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("x").write(0, 0, "=1+1")
    book.close()
    assert formulas(buffer.getvalue()) == [("xl/worksheets/sheet1.xml", "A1", "0")]


@pytest.fixture
def hostile_outcome(make_meeting) -> tr.MeetingOutcome:
    rows = [[1, 2, 3, 4, 5], [1, 3, 2, 4, 5], [2, 1, 3, 4, 5]]
    folder = make_meeting(TOML, members=[(f"u{i}", u, 1) for i, u in enumerate(UNITS)],
                          ballots={"xh.csv": (UNITS, rows)})
    return tr.run_meeting(tr.load_meeting(folder))


def _with_control_prefixes(outcome: tr.MeetingOutcome) -> tr.MeetingOutcome:
    """The outcome with a tier label and a round title led by a tab / carriage return.

    The folder loader strips such whitespace, but an outcome built through the API keeps it,
    and the workbook writer must not rely on the loader.
    """
    first, second = outcome.awards
    tier = dataclasses.replace(second.tier, label="\t=1+2 Bằng khen")
    rounds = tuple(dataclasses.replace(r, title="\r=cmd|' /C calc'!A0") for r in outcome.rounds)
    return dataclasses.replace(outcome, rounds=rounds,
                               awards=(first, dataclasses.replace(second, tier=tier)))


def test_outcome_workbook_keeps_names_and_labels_as_text(hostile_outcome) -> None:
    labels = [a.tier.label for a in hostile_outcome.awards]
    assert labels == ['=HYPERLINK("http://x","Cờ thi đua")', "-1+2 Bằng khen"]
    assert [r.title for r in hostile_outcome.rounds] == ["@Bỏ phiếu xếp hạng"]
    assert formulas(outcome_xlsx(hostile_outcome)) == []
    assert "@Bỏ phiếu xếp hạng" in texts(outcome_xlsx(hostile_outcome))
    assert "-1+2 Bằng khen" in texts(outcome_xlsx(hostile_outcome))

    outcome = _with_control_prefixes(hostile_outcome)
    labels = [a.tier.label for a in outcome.awards]
    data = outcome_xlsx(outcome)
    assert formulas(data) == []
    cells = texts(data)
    for text in [*UNITS, *labels, "\r=cmd|' /C calc'!A0"]:
        assert text in cells, repr(text)
    ranking = read_cells(data)["xl/worksheets/sheet1.xml"]
    assert [text for ref, text, _ in ranking if ref.startswith("B")] == ["Đơn vị", *UNITS]
    awards = read_cells(data)["xl/worksheets/sheet2.xml"]
    assert [text for ref, text, _ in awards if ref[0] in "AB" and ref[1:] != "1"] == [
        labels[0], UNITS[0], labels[1], UNITS[1]]


def test_outcome_workbook_is_not_a_link_either(hostile_outcome) -> None:
    with zipfile.ZipFile(BytesIO(outcome_xlsx(hostile_outcome))) as z:
        rels = [n for n in z.namelist() if n.startswith("xl/worksheets/_rels/")]
        assert [n for n in rels if b"hyperlink" in z.read(n)] == []
        assert all(b"<hyperlink" not in z.read(n) for n in z.namelist()
                   if n.startswith("xl/worksheets/sheet"))


def test_tables_workbook_keeps_text_and_types() -> None:
    sheets = [("=Bảng", ["=A1", "+B", "Số"],
               [[h, f"@{i}", i + 0.5] for i, h in enumerate(HOSTILE)] + [[None, True, 3]])]
    data = tables_xlsx(sheets)

    assert formulas(data) == []
    cells = read_cells(data)["xl/worksheets/sheet1.xml"]
    column_a = [text for ref, text, _ in cells if ref.startswith("A")]
    assert column_a == ["=A1", *HOSTILE, ""]  # None: a blank cell (format, no value)
    assert [text for ref, text, _ in cells if ref in ("B1", "C1", "C2", "B9", "C9")] == [
        "+B", "Số", "0.5", "1", "3"]


def _sample_outcome() -> tr.MeetingOutcome:
    folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    return tr.run_meeting(tr.load_meeting(folder))


def test_outcome_workbook_is_private_also_when_replacing(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "ket-qua.xlsx"
    outcome = _sample_outcome()
    assert write_outcome_xlsx(outcome, out) == out
    assert out.stat().st_mode & 0o777 == 0o600
    out.write_bytes(b"old")
    out.chmod(0o644)
    write_outcome_xlsx(outcome, out)
    assert out.stat().st_mode & 0o777 == 0o600
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in out.parent.iterdir()) == ["ket-qua.xlsx"]
