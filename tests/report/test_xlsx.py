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
    assert [text for ref, text, _ in ranking if ref.startswith("C")] == ["Đơn vị", *UNITS]
    awards = read_cells(data)["xl/worksheets/sheet2.xml"]
    header = next(int(ref[1:]) for ref, text, _ in awards if text == "Hình thức")
    assert [text for ref, text, _ in awards if ref[0] in "AD" and int(ref[1:]) > header] == [
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


def _sheets(data: bytes) -> dict[str, str]:
    """Sheet name → its XML file, from the workbook's relationships."""
    with zipfile.ZipFile(BytesIO(data)) as z:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): "xl/" + r.get("Target", "") for r in rels}
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {sh.get("name", ""): targets[sh.get(rid)] for sh in book.iter(f"{{{NS['m']}}}sheet")}


def _grid(cells: list[tuple[str, str, bool]]) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = {}
    for ref, text, _ in cells:
        col = re.match(r"[A-Z]+", ref).group(0)  # type: ignore[union-attr]
        rows.setdefault(int(ref[len(col):]), {})[col] = text
    return rows


def _table(data: bytes, sheet: str, first: str) -> list[dict[str, str]]:
    """The table of *sheet* whose header row starts with *first*, as dicts by header."""
    grid = _grid(read_cells(data)[_sheets(data)[sheet]])
    top = next(r for r, row in sorted(grid.items()) if row.get("A") == first)
    header = grid[top]
    return [{header[c]: v for c, v in grid[r].items() if c in header}
            for r in sorted(grid) if r > top]


@pytest.fixture(scope="module")
def phu_tho() -> tuple[tr.MeetingOutcome, bytes]:
    folder = {p.name: p for p in sample_meetings()}["phu-tho-van-hoa-xa-hoi-2020"]
    outcome = tr.run_meeting(tr.load_meeting(folder))
    return outcome, outcome_xlsx(outcome)


def test_workbook_sheets_are_print_ready(phu_tho) -> None:
    _, data = phu_tho
    sheets = _sheets(data)
    assert list(sheets) == ["Xếp hạng", "Đề nghị khen thưởng", "Kiểm phiếu", "Vòng xep-hang",
                            "Vòng truong-khoi", "Trưởng khối", "Cấu hình"]
    with zipfile.ZipFile(BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode()
        styles = z.read("xl/styles.xml").decode()
        xml = {name: z.read(path).decode() for name, path in sheets.items()}
    for name, sheet in xml.items():
        assert re.search(r'<pageSetup[^>]*paperSize="9"', sheet), name            # A4
        assert re.search(r'<pageSetup[^>]*fitToHeight="0"', sheet), name          # fit to width
        assert '<pageSetUpPr fitToPage="1"/>' in sheet, name
        assert "&amp;P/&amp;N" in sheet and "Trang" in sheet, name                # page numbers
        grid = _grid(read_cells(data)[sheets[name]])
        assert grid[1]["A"].startswith("Khối Thi đua Văn hóa - Xã hội — năm 2020"), name
    # the header row repeats on every printed page: one print-titles name per sheet
    titles = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)">'
                        r"([^<]+)</definedName>", book)
    assert len(titles) == len(sheets)
    ranking_top = next(r for r, row in _grid(read_cells(data)[sheets["Xếp hạng"]]).items()
                       if row.get("A") == "Hạng")
    assert ("0", f"'Xếp hạng'!${ranking_top}:${ranking_top}") in titles
    assert "Khối Thi đua Văn hóa - Xã hội" in xml["Xếp hạng"].split("<oddHeader>")[1]
    # Vietnamese number formats: two decimals and percentages under the Vietnamese locale
    assert 'formatCode="[$-42A]#,##0.00"' in styles


def test_ranking_sheet_keeps_each_scale_in_its_own_column(phu_tho) -> None:
    outcome, data = phu_tho
    rows = _table(data, "Xếp hạng", "Hạng")
    assert [r["Đơn vị"] for r in rows] == list(outcome.ranking.units)
    score, vote = outcome.score_result, outcome.vote_result
    assert score is not None and vote is not None
    sheet = outcome.meeting.scores
    assert sheet is not None
    for r in rows:
        unit = r["Đơn vị"]
        assert float(r["Tổng điểm chấm"]) == float(score.exact[unit])
        resolved = score.details["resolved"][unit]
        for c in sheet.criteria:
            head = next(h for h in r if h.startswith(f"{c.id}. "))
            assert float(r[head]) == float(resolved.points[c.id])
        assert r["Điểm Borda"] == ("" if unit not in vote.exact   # below the gate: blank
                                   else f"{float(vote.exact[unit]):g}")
    assert [r["Điểm Borda"] == "" for r in rows] == [False] * 11 + [True] * 5
    awards = _table(data, "Đề nghị khen thưởng", "Hình thức")
    assert [(a["Hình thức"], a["Đơn vị"]) for a in awards] == [
        (a.tier.label, u.unit) for a in outcome.awards for u in a.units]
    counts = _table(data, "Kiểm phiếu", "Vòng")
    assert [(c["Phát ra"], c["Thu về"], c["Hợp lệ"], c["Không hợp lệ"]) for c in counts] == [
        (str(r.issued), str(r.returned), str(r.valid), str(r.invalid)) for r in outcome.rounds]


def test_election_sheets_show_votes_shares_and_runoff_counts(phu_tho) -> None:
    _, data = phu_tho
    head = _table(data, "Vòng truong-khoi", "STT")
    assert [(r["Đơn vị"], r["Lần đếm 1 (trên 15 phiếu)"], r["Lần đếm 2 (trên 15 phiếu)"],
             r["Kết quả"]) for r in head] == [
        ("Sở Thông tin và Truyền thông", "5", "6", "không trúng cử"),
        ("Bảo hiểm Xã hội tỉnh", "7", "9", "trúng cử"),
        ("Sở Văn hóa - Thể thao và Du lịch", "3", "", "không trúng cử")]
    assert head[2]["Bị loại ở lần đếm"] == "1"
    folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    outcome = tr.run_meeting(tr.load_meeting(folder))
    data = outcome_xlsx(outcome)
    deputies = _table(data, "Vòng pho-truong-khoi", "STT")
    assert list(deputies[0]) == ["STT", "Đơn vị", "Số phiếu bầu", "Tỷ lệ trên 9 phiếu hợp lệ",
                                 "Đạt ngưỡng", "Kết quả"]
    by_unit = {r["Đơn vị"]: r for r in deputies}
    row = by_unit["Đảng ủy Khối các cơ quan tỉnh"]
    assert (row["Số phiếu bầu"], float(row["Tỷ lệ trên 9 phiếu hợp lệ"]), row["Đạt ngưỡng"],
            row["Kết quả"]) == ("8", 8 / 9, "đạt", "trúng cử")
    with zipfile.ZipFile(BytesIO(data)) as z:
        assert 'formatCode="[$-42A]0.00%"' in z.read("xl/styles.xml").decode()
    grid = _grid(read_cells(data)[_sheets(data)["Vòng pho-truong-khoi"]])
    lines = [grid[r]["A"] for r in range(2, 6) if r in grid]
    assert "Phát ra: 9 · Thu về: 9 · Hợp lệ: 9 · Không hợp lệ: 0" in lines
    assert "Điều kiện trúng cử: được trên 50% số phiếu hợp lệ." in lines
    lead = _table(data, "Trưởng khối", "Vai trò")
    assert [(r["Vai trò"], r["Đơn vị"]) for r in lead] == [
        ("Trưởng khối", outcome.leadership.head),
        *(("Phó Trưởng khối", d) for d in outcome.leadership.deputies)]
    config = {r["Khóa"]: r["Giá trị"] for r in _table(data, "Cấu hình", "Khóa")}
    assert config["ranking.combine"] == "vote"
    assert config["meeting.province_inferred"] == "true"
    assert config["tiers[2].quota"] == outcome.meeting.config.tiers[2].quota.describe()[0]
    assert config["rounds[2].threshold"] == "trên 50% số phiếu hợp lệ"
