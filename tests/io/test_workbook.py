"""The meeting workbook: template layout, round trip to the same outcome, located errors."""

from __future__ import annotations

import html
import json
import re
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

import thidua_rank as tr
from thidua_rank.cli import main
from thidua_rank.io.template import write_template
from thidua_rank.io.workbook import ballot_sheet_names, load_workbook_meeting
from thidua_rank.synth import synth_meeting

UNITS = [f"Đơn vị {c}" for c in "ABCDEF"]

TOML = """
[meeting]
id = "vong-tron"
bloc = "Khối thi đua thử nghiệm"
year_reviewed = 2023
outgoing_head = "Đơn vị A"

[scoring]
bonus_cap = 5
decimals = 2

[ranking]
combine = "score_gate_vote"
vote_round = "xep-hang"
gate_min_score = 40  # every unit is on the ranking ballot, so every unit passes the gate

[[tiers]]
id = "co-tinh"
label = "Cờ thi đua của UBND tỉnh"
quota = 1
approval = { round = "phieu-co", threshold = "60%", denominator = "present" }

[[tiers]]
id = "bang-khen"
label = "Bằng khen của UBND tỉnh"
quota = "50% remaining"

[[rounds]]
id = "xep-hang"
title = "Xếp hạng"
ballots = "ballots/xep-hang.csv"

[[rounds]]
id = "phieu-co"
title = "Biểu quyết đề nghị tặng Cờ"
decides = "tier"
tier = "co-tinh"
kind = "approval"
self_vote = "forbid"
ballots = "ballots/co.csv"

[[rounds]]
id = "truong-khoi"
title = "Bầu Trưởng khối"
decides = "head"
kind = "choose"
max_choices = 1
candidates = ["Đơn vị A", "Đơn vị B"]
ballots = "head.csv"

[[rounds]]
id = "pho-truong-khoi"
title = "Bầu Phó Trưởng khối"
decides = "deputies"
kind = "choose"
seats = 2

[tie_break]
chain = ["score", "head_to_head", "joint"]
"""

MEMBERS = """mã,tên đơn vị,tên viết tắt,tên khác,có mặt,ghi chú
A,Đơn vị A,ĐVA,,có,Trưởng khối 2023
B,Đơn vị B,ĐVB,Đơn vị Bê;DVB,1,
C,Đơn vị C,,,x,
D,Đơn vị D,,,có,
E,Đơn vị E,,,có,
F,Đơn vị F,ĐVF,,không,vắng
"""

CRITERIA = """mã,nhóm,nội dung,điểm tối đa,trọng số,mức sàn (%),loại,ghi chú
c1,Chuyên môn,Nhiệm vụ chuyên môn,60,,,tiêu chí,
c2,Phong trào,Phong trào thi đua,40,1,50,tiêu chí,sàn 50%
b1,Thưởng,Điểm thưởng,5,,,điểm thưởng,
d1,Trừ,Điểm trừ,5,,,điểm trừ,
"""

SCORES = """đơn vị,nguồn,đơn vị chấm,c1,c2,b1,d1
Đơn vị A,tự chấm,,58,38,3,
Đơn vị A,thẩm định,,57.5,"37,25",3,
Đơn vị B,tự chấm,,55,39,5,0
Đơn vị C,tự chấm,,50,35,,1
Đơn vị D,tự chấm,,45,30,1,
Đơn vị E,tự chấm,,40,36,,
ĐVF,tự chấm,,30,20,,2
"""

RANKED = """phiếu,Đơn vị A,ĐVB,Đơn vị C,Đơn vị D,Đơn vị E,Đơn vị F,số lượng,không hợp lệ
1,1,2,3,4,5,6,2,
2,2,1,3,4,5,6,,
3,1,2,x,4,5,6,,
4,1,3,2,4,5,6,,không có dấu
"""

APPROVAL = """phiếu,đơn vị bầu,Đơn vị A,Đơn vị B,Đơn vị C,Đơn vị D,Đơn vị E,Đơn vị F
1,Đơn vị B,1,0,đồng ý,,,
2,Đơn vị C,1,1,,,,
3,Đơn vị D,x,1,1,,,
4,Đơn vị E,1,,,,,
5,Đơn vị A,1,,,,,
"""

HEAD = """phiếu,Đơn vị A,Đơn vị B
1,x,
2,x,
3,,x
4,x,x
5,x,
"""


@pytest.fixture
def folder(make_meeting: Callable[..., Path]) -> Path:
    """A meeting with every kind of table: scores, ranked / approval / choose ballots, counts,
    voters, declared and detected invalid ballots, and a round without ballots yet."""
    path = make_meeting(TOML, members=[(c, u, 1) for c, u in zip("ABCDEF", UNITS, strict=True)])
    files = {"members.csv": MEMBERS, "criteria.csv": CRITERIA, "scores.csv": SCORES,
             "ballots/xep-hang.csv": RANKED, "ballots/co.csv": APPROVAL, "head.csv": HEAD}
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text, encoding="utf-8")
    return path


def _outcome(path: Path | str) -> dict[str, Any]:
    return tr.run_meeting(tr.load_meeting(path)).to_dict()


def _sheets_xml(path: Path) -> dict[str, str]:
    """Worksheet XML by sheet name (read straight from the .xlsx zip)."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="([^"]+)"', rels))
        return {html.unescape(name): z.read(f"xl/{targets[rid]}").decode()
                for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="(rId\d+)"',
                                            book)}


def _rows(path: Path, sheet: str) -> pl.DataFrame:
    return pl.read_excel(path, sheet_name=sheet, engine="calamine", infer_schema_length=0)


def _book(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook filled by hand (as a secretary would), one list of rows per sheet."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                           "strings_to_formulas": False})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.close()
    return path


# ---------------------------------------------------------------------- the template's layout
def test_template_sheets_headers_and_prefill(folder: Path, tmp_path: Path) -> None:
    out = write_template(folder, tmp_path / "hop.xlsx")
    assert out == tmp_path / "hop.xlsx"
    assert fastexcel.read_excel(str(out)).sheet_names == [
        "Hướng dẫn", "Cấu hình", "Đơn vị", "Tiêu chí", "Chấm điểm", "Phiếu – xep-hang",
        "Phiếu – phieu-co", "Phiếu – truong-khoi", "Phiếu – pho-truong-khoi"]
    settings = _rows(out, "Cấu hình")
    assert settings.columns == ["meeting.toml"]
    assert 'combine = "score_gate_vote"' in settings["meeting.toml"].to_list()
    members = _rows(out, "Đơn vị")
    assert members.columns == ["mã", "tên đơn vị", "tên viết tắt", "tên khác", "có mặt",
                               "ghi chú"]
    assert members.row(1) == ("B", "Đơn vị B", "ĐVB", "Đơn vị Bê; DVB", "có", None)
    assert members["có mặt"].to_list() == ["có"] * 5 + ["không"]
    assert members["ghi chú"].to_list()[0] == "Trưởng khối 2023"
    criteria = _rows(out, "Tiêu chí")
    assert criteria.columns == ["mã", "nhóm", "nội dung", "điểm tối đa", "trọng số",
                                "mức sàn (%)", "loại", "ghi chú"]
    assert criteria.row(1) == ("c2", "Phong trào", "Phong trào thi đua", "40", None, "50",
                               "tiêu chí", "sàn 50%")
    assert criteria["loại"].to_list() == ["tiêu chí", "tiêu chí", "điểm thưởng", "điểm trừ"]
    scores = _rows(out, "Chấm điểm")
    assert scores.columns == ["đơn vị", "nguồn", "đơn vị chấm", "c1", "c2", "b1", "d1"]
    assert scores.row(1) == ("Đơn vị A", "thẩm định", None, "57.5", "37.25", "3", None)
    assert scores["đơn vị"].to_list()[-1] == "Đơn vị F"  # the short name resolved
    ranked = _rows(out, "Phiếu – xep-hang")
    assert ranked.columns == ["phiếu", *UNITS, "số lượng", "không hợp lệ"]
    assert ranked.row(2) == ("3", "1", "2", "x", "4", "5", "6", None, None)
    assert ranked["số lượng"].to_list() == ["2", None, None, None]
    approval = _rows(out, "Phiếu – phieu-co")
    assert approval.columns == ["phiếu", *UNITS, "số lượng", "đơn vị bầu", "không hợp lệ"]
    assert _rows(out, "Phiếu – truong-khoi").columns == [
        "phiếu", "Đơn vị A", "Đơn vị B", "số lượng", "không hợp lệ"]
    assert _rows(out, "Phiếu – pho-truong-khoi").height == 0


def test_template_validation_frozen_headers_and_widths(folder: Path, tmp_path: Path) -> None:
    out = write_template(folder, tmp_path / "hop.xlsx")
    xml = _sheets_xml(out)
    units = "<formula1>'Đơn vị'!$B$2:$B$7</formula1>"
    assert xml["Chấm điểm"].count(units) == 2  # unit and scorer drop-downs
    assert "<formula1>\"tự chấm,thẩm định,chấm chéo\"</formula1>" in xml["Chấm điểm"]
    assert re.search(r'type="decimal".*?<formula1>0</formula1><formula2>60</formula2>',
                     xml["Chấm điểm"])
    assert "<formula1>\"có,không\"</formula1>" in xml["Đơn vị"]
    assert "<formula1>\"tiêu chí,điểm thưởng,điểm trừ\"</formula1>" in xml["Tiêu chí"]
    marks = "<formula1>\"x,1,0,đồng ý,không\"</formula1>"
    assert marks in xml["Phiếu – phieu-co"] and marks in xml["Phiếu – truong-khoi"]
    assert units in xml["Phiếu – phieu-co"]  # the voter column
    assert re.search(r'type="whole"[^>]*sqref="B2:G\d+"><formula1>1</formula1>'
                     r'<formula2>6</formula2>', xml["Phiếu – xep-hang"])
    for name, sheet in xml.items():
        if name != "Hướng dẫn":
            assert 'state="frozen"' in sheet and 'ySplit="1"' in sheet, name
    widths = dict(re.findall(r'<col min="(\d+)" max="\d+" width="([\d.]+)"', xml["Đơn vị"]))
    assert float(widths["2"]) >= max(len(u) for u in UNITS)
    assert float(widths["2"]) >= 28


def test_round_trip_gives_the_same_outcome(folder: Path, tmp_path: Path) -> None:
    expected = _outcome(folder)
    # the folder exercises invalid ballots, approvals, the head and a round without ballots
    rounds = {r["id"]: r for r in expected["rounds"]}
    assert rounds["xep-hang"]["invalid"] == 2 and rounds["phieu-co"]["invalid"] == 1
    assert "pho-truong-khoi" not in rounds
    book = write_template(folder, tmp_path / "hop.xlsx")
    assert _outcome(book) == expected
    meeting = load_workbook_meeting(book)
    assert meeting.ballots["xep-hang"].source == "hop.xlsx#Phiếu – xep-hang"
    # a workbook is itself a source: the template of the workbook runs the same meeting
    again = write_template(book, tmp_path / "again.xlsx")
    assert _outcome(again) == expected
    assert _rows(again, "Phiếu – phieu-co").equals(_rows(book, "Phiếu – phieu-co"))


@settings(max_examples=12, deadline=None)
@given(units=st.integers(2, 8), voters=st.integers(1, 10), seed=st.integers(0, 1000),
       bloc=st.none() | st.integers(1, 3), invalid_rate=st.sampled_from([0.0, 0.25]))
def test_round_trip_of_synthetic_meetings(units: int, voters: int, seed: int, bloc: int | None,
                                          invalid_rate: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        made = synth_meeting(Path(tmp) / "m", units=units, voters=voters, seed=seed,
                             bloc=None if bloc is None else min(bloc, units),
                             invalid_rate=invalid_rate)
        book = write_template(made.path, Path(tmp) / "m.xlsx")
        assert _outcome(book) == _outcome(made.path)


def test_round_trip_with_preflib_ballots(make_meeting: Callable[..., Path],
                                         tmp_path: Path) -> None:
    toml = """
[meeting]
id = "preflib"
bloc = "Khối"
year_reviewed = 2023
[ranking]
combine = "vote"
vote_round = "xep-hang"
[[rounds]]
id = "xep-hang"
title = "Xếp hạng"
ballots = "xep-hang.soc"
issued = 6
"""
    folder = make_meeting(toml, members=[(c, f"Đơn vị {c}", 1) for c in "ABC"])
    (folder / "xep-hang.soc").write_text(
        "# ALTERNATIVE NAME 1: Đơn vị A\n# ALTERNATIVE NAME 2: Đơn vị B\n"
        "# ALTERNATIVE NAME 3: Đơn vị C\n3: 1,2,3\n2: 2,1,3\n1: 3,1,2\n", encoding="utf-8")
    book = write_template(folder, tmp_path / "p.xlsx")
    assert _rows(book, "Phiếu – xep-hang")["số lượng"].to_list() == ["3", "2", None]
    assert _outcome(book) == _outcome(folder)


# ---------------------------------------------------------------------- the empty template
def test_empty_template(tmp_path: Path) -> None:
    out = write_template(None, tmp_path / "trong.xlsx", units=4, year=2025)
    names = fastexcel.read_excel(str(out)).sheet_names
    assert names == ["Hướng dẫn", "Cấu hình", "Đơn vị", "Tiêu chí", "Chấm điểm",
                     "Phiếu – truong-khoi", "Phiếu – pho-truong-khoi"]
    settings = "\n".join(x or "" for x in _rows(out, "Cấu hình")["meeting.toml"].to_list())
    assert "year_reviewed = 2025" in settings
    assert _rows(out, "Đơn vị")["tên đơn vị"].to_list() == [f"Đơn vị {i}" for i in range(1, 5)]
    assert _rows(out, "Tiêu chí")["điểm tối đa"].to_list()[:2] == ["30", "20"]
    # unit names in the scores and ballot sheets follow the members sheet by formula
    assert _rows(out, "Phiếu – truong-khoi").columns[1:5] == [f"Đơn vị {i}" for i in range(1, 5)]
    xml = _sheets_xml(out)
    assert "<f>'Đơn vị'!$B$2</f>" in xml["Phiếu – truong-khoi"]
    assert "<f>'Đơn vị'!$B$5</f>" in xml["Chấm điểm"]
    with pytest.raises(tr.InputError, match="no scores for units") as err:
        tr.load_meeting(out)
    assert err.value.sheet == "Chấm điểm" and err.value.file == "trong.xlsx"


# ---------------------------------------------------------------------- errors in a filled book
SETTINGS = ["[meeting]", 'id = "tay"', 'bloc = "Khối nhập tay"', "year_reviewed = 2024", "",
            "[ranking]", 'combine = "score"', "", "[[rounds]]", 'id = "xep-hang"',
            'title = "Xếp hạng"']


def _filled() -> dict[str, list[list[Any]]]:
    return {
        "Cấu hình": [["meeting.toml"], *[[line or None] for line in SETTINGS]],
        "Đơn vị": [["mã", "tên đơn vị", "có mặt"], ["a", "Sở Y tế", "có"],
                   ["b", "Sở Tài chính", "có"], ["c", "Sở Nội vụ", "không"]],
        "Tiêu chí": [["mã", "nội dung", "điểm tối đa", "loại"], ["c1", "Chuyên môn", 60, None],
                     ["c2", "Phong trào", 40, "tiêu chí"]],
        "Chấm điểm": [["đơn vị", "nguồn", "c1", "c2"], ["Sở Y tế", "tự chấm", 50, 30],
                      ["Sở Tài chính", "tự chấm", 55, 35], ["Sở Nội vụ", "tự chấm", 40, 20]],
        "Phiếu – xep-hang": [["phiếu", "Sở Y tế", "Sở Tài chính", "Sở Nội vụ"], [1, 1, 2, 3],
                             [2, 2, 1, 3]],
    }


def test_a_hand_filled_book_runs(tmp_path: Path) -> None:
    sheets = _filled()
    # spreadsheet autocorrect turned straight quotes into typographic ones: still read
    sheets["Cấu hình"][3] = ["bloc = “Khối nhập tay”"]
    book = _book(tmp_path / "tay.xlsx", sheets)
    outcome = _outcome(book)
    assert [r["unit"] for r in outcome["ranking"]] == ["Sở Tài chính", "Sở Y tế", "Sở Nội vụ"]
    assert outcome["bloc"] == "Khối nhập tay"
    assert outcome["rounds"][0]["valid"] == 2


def _set(sheet: str, row: int, col: int, value: Any) -> Callable[[dict], None]:
    def edit(sheets: dict[str, list[list[Any]]]) -> None:
        rows = sheets[sheet]
        while len(rows) <= row:
            rows.append([])
        rows[row] += [None] * (col + 1 - len(rows[row]))
        rows[row][col] = value
    return edit


@pytest.mark.parametrize(("edit", "error", "where", "message"), [
    (_set("Chấm điểm", 2, 3, "9,5 điểm"), tr.InputError, ("Chấm điểm", 3, "c2"),
     "không phải là số — not a number (got '9,5 điểm')"),
    (_set("Chấm điểm", 1, 2, 70), tr.InputError, ("Chấm điểm", 2, "c1"),
     "points must be between 0 and 60"),
    (_set("Chấm điểm", 3, 0, "Sở Xây dựng"), tr.UnknownUnitError, ("Chấm điểm", 4, "đơn vị"),
     "Sở Xây dựng"),
    (_set("Đơn vị", 2, 2, "có lẽ"), tr.InputError, ("Đơn vị", 3, "có mặt"),
     "phải là có/không (1/0) — must be yes/no (1/0) (got 'có lẽ')"),
    (_set("Tiêu chí", 2, 3, "thưởng thêm"), tr.InputError, ("Tiêu chí", 3, "loại"),
     "kind must be item, bonus or deduction"),
    (_set("Phiếu – xep-hang", 0, 3, "Sở Xây dựng"), tr.UnknownUnitError,
     ("Phiếu – xep-hang", 1, "Sở Xây dựng"), "Sở Xây dựng"),
    (_set("Cấu hình", 4, 0, "year_reviewed = 2024 năm"), tr.ConfigError, ("Cấu hình", 5, "A"),
     "not valid TOML"),
    (_set("Cấu hình", 8, 0, "combined = 1"), tr.ConfigError, ("Cấu hình", None, None),
     "unknown keys in [ranking]: ['combined']"),
])
def test_errors_name_sheet_row_and_column(tmp_path: Path, edit: Callable[[dict], None],
                                          error: type[Exception], where: tuple, message: str,
                                          ) -> None:
    sheets = _filled()
    edit(sheets)
    book = _book(tmp_path / "tay.xlsx", sheets)
    with pytest.raises(error) as caught:
        tr.load_meeting(book)
    err = caught.value
    assert isinstance(err, tr.ThiduaRankError)
    assert (err.file, err.sheet, err.row, err.column) == ("tay.xlsx", *where)
    text = str(err)
    assert text.startswith(f"tay.xlsx, sheet '{where[0]}'")
    if where[1] is not None:
        assert f"dòng/row {where[1]}, cột/column '{where[2]}'" in text
    assert message in text


def test_missing_sheets_and_empty_vote_round(tmp_path: Path) -> None:
    sheets = _filled()
    del sheets["Cấu hình"]
    with pytest.raises(tr.InputError, match="no 'Cấu hình' sheet"):
        tr.load_meeting(_book(tmp_path / "a.xlsx", sheets))
    sheets = _filled()
    sheets["Cấu hình"][7:8] = [['combine = "vote"'], ['vote_round = "xep-hang"']]
    sheets["Phiếu – xep-hang"] = sheets["Phiếu – xep-hang"][:1]
    with pytest.raises(tr.InputError, match="holds no ballots") as caught:
        tr.load_meeting(_book(tmp_path / "b.xlsx", sheets))
    assert caught.value.sheet == "Phiếu – xep-hang"
    # empty criteria and scores sheets mean a meeting without scores, as a folder without them
    sheets["Phiếu – xep-hang"] = _filled()["Phiếu – xep-hang"]
    sheets["Tiêu chí"] = sheets["Tiêu chí"][:1]
    meeting = tr.load_meeting(_book(tmp_path / "c.xlsx", sheets))
    assert meeting.scores is None


def test_long_round_ids_get_unique_sheet_names() -> None:
    names = ballot_sheet_names(["bo-phieu-lai-bang-khen-2023-a", "bo-phieu-lai-bang-khen-2023-b",
                                "xep-hang"])
    assert len(set(names.values())) == 3
    assert all(len(n) <= 31 for n in names.values())
    assert names["xep-hang"] == "Phiếu – xep-hang"


# ---------------------------------------------------------------------- writing safely
def test_failed_write_leaves_no_file(folder: Path, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out" / "hop.xlsx"

    def boom(*args: Any) -> None:
        raise OSError("disk full")

    import thidua_rank.io.atomic as exports

    monkeypatch.setattr(exports.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_template(folder, out)
    assert not out.exists()
    assert list(out.parent.iterdir()) == []  # no temporary file left behind


def test_bad_source_or_target_writes_nothing(folder: Path, tmp_path: Path) -> None:
    (folder / "scores.csv").write_text(SCORES.replace("58,38", "58,abc"), encoding="utf-8")
    out = tmp_path / "hop.xlsx"
    with pytest.raises(tr.InputError, match="not a number"):
        write_template(folder, out)
    assert not out.exists()
    with pytest.raises(tr.InputError, match=r"must be an \.xlsx file"):
        write_template(None, tmp_path / "hop.csv")
    out.write_bytes(b"filled by the secretary")
    with pytest.raises(tr.InputError, match="exists"):
        write_template(None, out)
    assert out.read_bytes() == b"filled by the secretary"
    write_template(None, out, overwrite=True)
    assert zipfile.is_zipfile(out)


def test_cli_template(folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hop.xlsx"
    assert main(["template", str(out), "--meeting", str(folder)]) == 0
    assert "hop.xlsx" in capsys.readouterr().out
    assert main(["meeting", str(out), "--json"]) == 0
    from_book = json.loads(capsys.readouterr().out)
    assert main(["meeting", str(folder), "--json"]) == 0
    assert from_book == json.loads(capsys.readouterr().out)
    assert main(["template", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["template", str(tmp_path / "e.xlsx"), "--units", "3"]) == 0
    assert main(["template", str(tmp_path / "x.xlsx"), "--from", str(tmp_path / "none")]) == 2
    assert "meeting folder not found" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
