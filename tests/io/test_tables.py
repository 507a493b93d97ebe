"""Tables and ballot files: encodings Excel writes, and clear errors for what cannot be read."""

from __future__ import annotations

from pathlib import Path

import pytest

import thidua_rank as tr
from tests.meeting_fixtures import HEAD, MEMBERS, RANKED, TIERS, UNITS
from thidua_rank.io.ballots import read_ballots
from thidua_rank.io.folder import read_members
from thidua_rank.io.tables import MEMBER_COLUMNS, read_table

MEMBERS_TEXT = "mã\ttên đơn vị\tcó mặt\nA\tSở Y tế\tcó\nB\tSở Tài chính\tkhông\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_excel_unicode_text_is_read(tmp_path: Path, encoding: str) -> None:
    """Excel's "Unicode Text": UTF-16 with a BOM, tab-separated, CRLF line ends."""
    path = tmp_path / "members.txt"
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding]
    path.write_bytes(bom + MEMBERS_TEXT.replace("\n", "\r\n").encode(encoding))
    members = read_members(path)
    assert [(m.id, m.name, m.present) for m in members] == [
        ("A", "Sở Y tế", True), ("B", "Sở Tài chính", False)]


def test_utf16_ballots_are_read(tmp_path: Path) -> None:
    path = tmp_path / "phieu.txt"
    rows = ["phiếu\tSở Y tế\tSở Tài chính\tSở Nội vụ", "1\t1\t2\t3", "2\t2\t1\t3", "3\t1\t3\t2"]
    path.write_bytes("\r\n".join(rows).encode("utf-16"))
    ballots = read_ballots(path)
    assert ballots.units == ("Sở Y tế", "Sở Tài chính", "Sở Nội vụ")
    assert ballots.ranks.tolist() == [[1, 2, 3], [2, 1, 3], [1, 3, 2]]
    assert tr.rank(ballots, method="borda").winners == ["Sở Y tế"]


def test_utf8_with_and_without_bom_give_the_same_rows(tmp_path: Path) -> None:
    plain, bom = tmp_path / "a.csv", tmp_path / "b.csv"
    text = MEMBERS_TEXT.replace("\t", ",")
    plain.write_bytes(text.encode("utf-8"))
    bom.write_bytes(text.encode("utf-8-sig"))
    assert [r.values for r in read_table(plain, MEMBER_COLUMNS)] == \
        [r.values for r in read_table(bom, MEMBER_COLUMNS)] == [
            {"id": "A", "name": "Sở Y tế", "present": "có"},
            {"id": "B", "name": "Sở Tài chính", "present": "không"}]


@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_other_encodings_name_the_file_and_the_encodings_accepted(tmp_path: Path,
                                                                  encoding: str) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes("mã,tên đơn vị\nA,Sở Tài chính\n".encode(encoding, errors="replace"))
    with pytest.raises(tr.InputError, match=r"members\.csv: tệp không phải văn bản UTF-8 hay "
                                            r"UTF-16 .*accepted encodings: UTF-8 \(with or "
                                            r"without BOM\), UTF-16 with BOM") as err:
        read_members(path)
    assert err.value.file == "members.csv"
    assert "mã hóa được nhận" in err.value.vi


def test_utf16_without_bom_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.csv"
    path.write_bytes(MEMBERS_TEXT.encode("utf-16-le"))
    with pytest.raises(tr.InputError, match="accepted encodings"):
        read_members(path)


def test_header_only_ballots_file(tmp_path: Path) -> None:
    path = tmp_path / "xep-hang.csv"
    path.write_text("phiếu,Sở Y tế,Sở Tài chính\n", encoding="utf-8")
    with pytest.raises(tr.InputError,
                       match=r"xep-hang\.csv, dòng/row 2: tệp phiếu chỉ có dòng tiêu đề, chưa có "
                             r"phiếu nào — the ballots file has a header but no ballot rows"):
        read_ballots(path)


def test_header_only_ballots_file_in_a_meeting(make_meeting) -> None:
    folder = make_meeting(HEAD + TIERS.format(bk_quota="50%", cutoff="include"),
                          members=MEMBERS, ballots={"xep-hang.csv": (UNITS, [])})
    with pytest.raises(tr.InputError, match=r"xep-hang\.csv, dòng/row 2: .*no ballot rows"):
        tr.load_meeting(folder)
    ok = make_meeting(HEAD + TIERS.format(bk_quota="50%", cutoff="include"),
                      members=MEMBERS, ballots={"xep-hang.csv": (UNITS, RANKED)})
    assert tr.load_meeting(ok).ballots["xep-hang"].n_ballots == 10


@pytest.mark.parametrize(("quota", "shown"), [("15", "15"), ('"11"', "11")])
def test_quota_larger_than_the_members(make_meeting, quota: str, shown: str) -> None:
    """A fixed quota above the members (a share above 100% is refused when parsed)."""
    tiers = TIERS.format(bk_quota="50%", cutoff="include").replace(
        'id = "co-tinh"\nlabel = "Cờ thi đua của UBND tỉnh"\nquota = 1',
        f'id = "co-tinh"\nlabel = "Cờ thi đua của UBND tỉnh"\nquota = {quota}')
    folder = make_meeting(HEAD + tiers, members=MEMBERS,
                          ballots={"xep-hang.csv": (UNITS, RANKED)})
    with pytest.raises(tr.ConfigError,
                       match=rf"meeting\.toml, cột/column 'tiers\[1\]\.quota': hạn mức của hạng "
                             rf"'Cờ thi đua của UBND tỉnh' .* lớn hơn số thành viên của khối "
                             rf"\(10 đơn vị\) — the quota of tier 'co-tinh' .* is larger than "
                             rf"the bloc's 10 member units \(got {shown}\)"):
        tr.load_meeting(folder)


def test_quota_equal_to_the_members_is_fine(make_meeting) -> None:
    folder = make_meeting(HEAD + TIERS.format(bk_quota="10", cutoff="include"),
                          members=MEMBERS, ballots={"xep-hang.csv": (UNITS, RANKED)})
    assert tr.load_meeting(folder).config.tiers[2].quota.count == 10
