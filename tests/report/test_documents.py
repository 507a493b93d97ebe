"""The meeting's documents (Decree 30 layout) read back from Word and PDF, figure by figure.

Word files are read with python-docx; PDFs with pypdf (text, page size, embedded fonts) and, when
poppler's ``pdftoppm`` is installed, each document's first page is rendered to PNG under
``test-artifacts/documents/`` for a person to look at.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest
from docx import Document

import thidua_rank as tr
from thidua_rank.cli import main
from thidua_rank.report.documents import DOCUMENTS, write_documents
from thidua_rank.report.docx import minutes_docx
from thidua_rank.report.minutes import counting_minutes
from thidua_rank.report.pdf import minutes_pdf, serif_font
from thidua_rank.resources import sample_meetings
from thidua_rank.text import format_number, format_percent

SAMPLES = {p.name: p for p in sample_meetings()}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


@pytest.fixture(scope="module")
def outcomes() -> dict[str, tr.MeetingOutcome]:
    return {name: tr.run_meeting(tr.load_meeting(path)) for name, path in SAMPLES.items()}


def _docx_text(data: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return doc, "\n".join(parts)


def _pdf_text(data: bytes) -> tuple[object, str]:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_docx_page_fonts_and_masthead_follow_decree_30(outcomes) -> None:
    doc, _ = _docx_text(minutes_docx(outcomes["ninh-binh-co-quan-dang-2022"]))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    # page numbers from page 2: an empty first-page header, a PAGE field in the others
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert "PAGE" not in section.first_page_header._element.xml
    left, right = doc.tables[0].rows[0].cells
    assert [p.text for p in left.paragraphs] == ["KHỐI THI ĐUA CÁC CƠ QUAN ĐẢNG",
                                                 "BAN KIỂM PHIẾU", "Số: ……/BB-KTĐ"]
    assert left.paragraphs[1].runs[0].bold
    assert [p.text for p in right.paragraphs] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                  "Độc lập - Tự do - Hạnh phúc"]
    assert "w:bottom" in right.paragraphs[1]._p.xml  # the rule under the motto
    # Ninh Bình is inferred (province_inferred = true): the place is a blank to fill by hand
    place = next(p for p in doc.paragraphs if p.text.endswith("ngày 09 tháng 12 năm 2022"))
    assert place.text == "……………, ngày 09 tháng 12 năm 2022"
    assert "Ninh Bình" not in "\n".join(p.text for p in doc.paragraphs)
    assert place.runs[0].italic and place.alignment == 2  # RIGHT
    title = next(p for p in doc.paragraphs if p.text == "BIÊN BẢN KIỂM PHIẾU")
    assert title.runs[0].bold and title.alignment == 1  # CENTER
    signature = doc.tables[-1].rows[0].cells[1].text
    assert signature.startswith("TM. BAN KIỂM PHIẾU\nTRƯỞNG BAN\n(Ký, ghi rõ họ tên)")
    assert signature.rstrip().endswith("Đại diện Ủy ban Kiểm tra Tỉnh ủy")


def test_irv_election_shows_every_count_and_never_the_internal_score(outcomes) -> None:
    outcome = outcomes["phu-tho-van-hoa-xa-hoi-2020"]
    count = next(c for c in outcome.rounds if c.id == "truong-khoi")
    rounds = count.result.details["rounds"]
    _, text = _docx_text(minutes_docx(outcome))
    table = next(b for b in counting_minutes(outcome)
                 if b.kind == "table" and b.header[2].startswith("Lần đếm 1"))
    assert table.header == ("STT", "Đơn vị", "Lần đếm 1 (trên 15 phiếu)",
                            "Lần đếm 2 (trên 15 phiếu)", "Kết quả")
    by_unit = {row[1]: row for row in table.rows}
    for k, r in enumerate(rounds, start=2):
        live = sum(r["tallies"].values())
        for unit, votes in r["tallies"].items():
            share = votes / live
            decimals = 0 if (share * 100).denominator == 1 else 2
            assert by_unit[unit][k].startswith(f"{int(votes)} ({format_percent(share, decimals)})")
    assert by_unit["Sở Văn hóa - Thể thao và Du lịch"][2] == "3 (20%) – bị loại"
    assert by_unit["Bảo hiểm Xã hội tỉnh"][2:] == ("7 (46,67%)", "9 (60%)", "trúng cử")
    assert by_unit["Sở Thông tin và Truyền thông"][-1] == "không trúng cử"
    assert "- Lần đếm 1: loại Sở Văn hóa - Thể thao và Du lịch." in text
    for internal in ("2,5625", "2,56", "2,375", "1,1875"):
        assert internal not in text


def test_threshold_election_names_its_denominator(outcomes) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    count = next(c for c in outcome.rounds if c.id == "pho-truong-khoi")
    table = next(b for b in counting_minutes(outcome)
                 if b.kind == "table" and "Đạt ngưỡng" in b.header)
    assert table.header[3] == f"Tỷ lệ trên {count.valid} phiếu hợp lệ"
    for row in table.rows:
        votes, den, passed = count.approvals[row[1]]
        assert row[2] == str(votes)
        assert row[3] == format_percent(Fraction(votes, den))
        assert row[4] == ("đạt" if passed else "không đạt")
        assert row[5] == ("trúng cử" if row[1] in outcome.leadership.deputies
                          else "không trúng cử")
    text = "\n".join(b.text for b in counting_minutes(outcome))
    assert "- Điều kiện trúng cử: được trên 50% số phiếu hợp lệ" in text
    assert "Số phiếu đồng ý" not in " ".join(table.header)


def test_an_unfilled_deputy_seat_is_reported(outcomes) -> None:
    import dataclasses

    from thidua_rank.engine.thresholds import Threshold

    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    cfg = outcome.meeting.config
    # 8 and 7 of 9 valid ballots: at "≥ 80%" only one deputy is elected
    rounds = tuple(dataclasses.replace(r, threshold=Threshold.parse("80%", denominator="valid"))
                   if r.decides == "deputies" else r for r in cfg.rounds)
    short = tr.run_meeting(dataclasses.replace(
        outcome.meeting, config=dataclasses.replace(cfg, rounds=rounds)))
    assert short.leadership.deputies == ("Đảng ủy Khối các cơ quan tỉnh",)
    text = "\n".join(b.text for b in counting_minutes(short))
    assert "- Chưa bầu được 01 Phó Trưởng khối: cần bầu lại." in text
    assert "- Chưa bầu được 01 Phó Trưởng khối." in text


def test_borda_round_names_its_scale_and_matches_the_outcome(outcomes) -> None:
    outcome = outcomes["phu-tho-van-hoa-xa-hoi-2020"]
    vote = next(c for c in outcome.rounds if c.id == "xep-hang").result
    table = next(b for b in counting_minutes(outcome)
                 if b.kind == "table" and "Điểm Borda" in b.header[2:3])
    assert table.header == ("STT", "Đơn vị", "Điểm Borda", "Xếp hạng theo điểm Borda")
    expected = {r["unit"]: r["score"] for r in vote.to_dicts()}
    assert {row[1] for row in table.rows} == set(expected)
    for row in table.rows:
        assert row[2] == format_number(expected[row[1]], 2)
    assert dict((row[1], row[2]) for row in table.rows)["Sở Y tế"] == "137,00"
    # proposals: criteria points and Borda points in their own columns, "—" where a unit had
    # no Borda points (never a criteria total in the Borda column)
    award = next(b for b in counting_minutes(outcome)
                 if b.kind == "table" and "Tổng điểm chấm" in b.header)
    assert award.header == ("STT", "Đơn vị", "Xếp hạng", "Tổng điểm chấm", "Điểm Borda")


def test_gia_lai_blanks_what_was_not_recorded_and_names_the_named_sheet(outcomes) -> None:
    blocks = counting_minutes(outcomes["gia-lai-so-nganh-tong-hop-2023"])
    text = "\n".join(b.text for b in blocks)
    assert blocks[1].text == "Gia Lai, ngày …… tháng …… năm ……"
    assert "Hôm nay, ngày …… tháng …… năm ……, tại ……………, Ban kiểm phiếu" in text
    named = text.split("II. Biểu quyết đơn vị Trưởng khối năm 2024")[1].split("\n")[1]
    assert named.startswith("- Hình thức: phiếu ghi tên đơn vị bầu")
    assert "phiếu kín" not in named


def test_dien_bien_wording_is_printed_once_per_tier(outcomes) -> None:
    blocks = counting_minutes(outcomes["dien-bien-noi-chinh-2022"])
    text = "\n".join(b.text for b in blocks)
    cells = [c for b in blocks if b.kind == "table" for row in b.rows for c in row]
    # the report: "đề nghị UBND tỉnh tặng … Bằng khen cho 05 đơn vị" — the count is the tier's
    # line, the wording is what the meeting asks for
    assert text.count("Nội dung như Hội nghị ghi: “đề nghị UBND tỉnh tặng Bằng khen”.") == 1
    assert "cho 05 đơn vị" not in text and not [c for c in cells if "Bằng khen" in c]
    assert "2. Bằng khen của Chủ tịch UBND tỉnh: 05 đơn vị." in text
    nam_dinh = "\n".join(b.text for b in counting_minutes(outcomes["nam-dinh-co-quan-dang-2021"]))
    assert "1. Cờ thi đua của Chính phủ: 01 đơn vị." in nam_dinh
    # the Government flag's row is told apart from the province's "Cờ thi đua xuất sắc"
    assert "Nội dung như Hội nghị ghi: “đề nghị Chính phủ tặng Cờ thi đua xuất sắc”." in nam_dinh
    assert "2. Cờ thi đua xuất sắc của UBND tỉnh: 03 đơn vị." in nam_dinh


def test_pdf_is_a4_with_embedded_fonts_and_the_same_figures(outcomes) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    data = minutes_pdf(outcome)
    reader, text = _pdf_text(data)
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == \
        (210, 297)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert any(f.startswith(serif_font().replace(" ", "")) for f in fonts)
    flat = _flat(text)
    _, docx_text = _docx_text(minutes_docx(outcome))
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "Số: ……/BB-KTĐ", "……………, ngày 09 tháng 12 năm 2022",
                   "BIÊN BẢN KIỂM PHIẾU", "TM. BAN KIỂM PHIẾU", "(Ký, ghi rõ họ tên)",
                   "Lần đếm 1 (trên 8 phiếu)", "6 (75%)", "88,89%", "trúng cử"):
        assert needle in flat, needle
        assert needle in _flat(docx_text), needle
    # page numbers from page 2
    assert len(reader.pages) >= 2
    assert not reader.pages[0].extract_text().strip().startswith("1")
    assert reader.pages[1].extract_text().strip().startswith("2")


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_writes_every_document_without_avoidable_blanks(outcomes, name,
                                                                     tmp_path) -> None:
    outcome = outcomes[name]
    info = outcome.meeting.config.meeting
    files = write_documents(outcome, tmp_path)
    assert [p.name for p in files] == [f"{s}.{f}" for s in DOCUMENTS for f in ("docx", "pdf")]
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600
    for stem in DOCUMENTS:
        _, text = _docx_text((tmp_path / f"{stem}.docx").read_bytes())
        # a blank only where the configuration holds nothing to put there
        if info.meeting_date is not None and stem != "to-trinh":  # a letter's own date
            assert "ngày …… tháng" not in text
        if info.province and not info.province_inferred:
            assert "……………, ngày" not in text
        if info.province_inferred:  # an inferred province is never printed as fact
            outside_names = text  # (a unit's own name may hold it: "Báo Nam Định")
            for unit in sorted(outcome.meeting.units, key=len, reverse=True):
                outside_names = outside_names.replace(unit, "")
            assert info.province not in outside_names
        if info.venue:
            assert "tại ……………" not in text
        if stem == "bien-ban-hop":
            for known in (info.chair, info.secretary, *info.guests):
                if known:
                    assert known in text
        if stem in ("bien-ban-kiem-phieu", "bien-ban-hop", "danh-sach-de-nghi"):
            for award in outcome.awards:
                for unit in award.units:
                    assert unit.unit in text
        if stem == "to-trinh":
            for award in outcome.awards:
                assert f"{award.tier.label}: {len(award.units):02d} đơn vị" in text
            if info.outgoing_head:
                assert outcome.meeting.member(info.outgoing_head).name in text
        if stem in ("bien-ban-kiem-phieu", "bien-ban-hop") and outcome.leadership.head:
            assert outcome.leadership.head in text
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for stem in DOCUMENTS:
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", "1", "-l", "1",
                            str(tmp_path / f"{stem}.pdf"), str(ARTIFACTS / f"{name}-{stem}")],
                           check=True, capture_output=True)
            assert (ARTIFACTS / f"{name}-{stem}.png").stat().st_size > 10_000


def test_meeting_minutes_and_proposal_list_carry_the_decisions(outcomes) -> None:
    from thidua_rank.report.documents import meeting_minutes, proposal_list

    outcome = outcomes["gia-lai-so-nganh-tong-hop-2023"]
    minutes = "\n".join(b.text for b in meeting_minutes(outcome))
    assert "- Đơn vị thành viên có mặt: 11/12 (91,67%)" in minutes
    assert "- Vắng: Sở Ngoại vụ." in minutes
    assert "- Chủ trì: ……………." in minutes  # the report does not name the chair
    assert ("Trưởng khối năm 2024: Ngân hàng Nhà nước chi nhánh tỉnh Gia Lai trúng cử"
            in minutes)
    sig = meeting_minutes(outcome)[-1]
    assert [col[0] for col in sig.rows] == ["THƯ KÝ", "CHỦ TỌA"]
    table = next(b for b in proposal_list(outcome) if b.kind == "table")
    assert table.header[-1] == "Kết quả biểu quyết"
    count = next(c for c in outcome.rounds if c.id == "co-thi-dua")
    for row in table.rows:
        votes, den, _ = count.approvals[row[1]]
        assert row[-1] == f"{votes}/{den} phiếu đồng ý ({format_percent(Fraction(votes, den))})"


def test_cli_documents_writes_the_files_and_refuses_bad_input(tmp_path, capsys) -> None:
    folder = str(SAMPLES["dien-bien-noi-chinh-2022"])
    assert main(["documents", folder, "--out", str(tmp_path / "out"), "--format", "docx",
                 "--only", "bien-ban-kiem-phieu"]) == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["bien-ban-kiem-phieu.docx"]
    assert main(["documents", folder, "--out", str(tmp_path / "bad"), "--format", "odt"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"định dạng 'odt' không được hỗ trợ .* format 'odt' is not supported", err)
    assert main(["documents", folder, "--out", str(tmp_path / "bad"), "--only", "to-trinh-2"]) == 2
    assert "no document 'to-trinh-2'" in capsys.readouterr().err
    assert not (tmp_path / "bad").exists()


def test_paper_ballots_follow_each_round_kind(outcomes) -> None:
    from thidua_rank.report.documents import ballots_per_page, paper_ballots

    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    blocks = paper_ballots(outcome)
    ballots = [b for b in blocks if b.kind == "ballot"]
    ranking, head, deputies = (next(b for b in ballots if b.text.split("\n")[1] == c.title)
                               for c in outcome.rounds)
    # the ranking round lists every unit in the official order
    assert [r[1] for r in ranking.rows] == list(outcome.meeting.units)
    assert ranking.header == ("STT", "Đơn vị", "Thứ hạng (1 – 10)")
    assert "Ghi thứ hạng từ 1 đến 3 vào ô của từng đơn vị (1 là cao nhất)." in head.text
    assert deputies.header == ("STT", "Đơn vị", "Chọn (X)")
    assert "Đánh dấu X vào ô của tối đa 02 đơn vị." in deputies.text
    assert all("Phiếu không có dấu của Ban kiểm phiếu là phiếu không hợp lệ." in b.text
               for b in ballots)
    assert sum(b is head for b in ballots) == ballots_per_page(3) == 3
    assert [b.kind for b in blocks].count("pagebreak") == 2
    gia_lai = paper_ballots(outcomes["gia-lai-so-nganh-tong-hop-2023"].meeting,
                            rounds=["co-thi-dua", "truong-khoi"])
    assert gia_lai[0].header == ("STT", "Đơn vị", "Đồng ý", "Không đồng ý")
    named = next(b for b in gia_lai if "Trưởng khối" in b.text)
    assert "Đơn vị bầu: …………………………… (không bầu cho đơn vị mình)." in named.text


def test_cli_ballots_writes_pdf_and_refuses_unknown_round(tmp_path, capsys) -> None:
    folder = str(SAMPLES["phu-tho-van-hoa-xa-hoi-2020"])
    out = tmp_path / "phieu.pdf"
    assert main(["ballots", folder, str(out), "--round", "truong-khoi"]) == 0
    _, text = _pdf_text(out.read_bytes())
    assert "Phiếu bầu đơn vị Trưởng khối năm 2021" in _flat(text)
    assert "Dấu của Ban kiểm phiếu" in _flat(text)
    assert out.stat().st_mode & 0o777 == 0o600
    assert main(["ballots", folder, str(tmp_path / "x.pdf"), "--round", "nope"]) == 2
    assert "no round 'nope'" in capsys.readouterr().err
    assert main(["ballots", folder, str(tmp_path / "x.odt")]) == 2
    assert "must be a .docx or .pdf file" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["ninh-binh-co-quan-dang-2022", "phu-tho-van-hoa-xa-hoi-2020"])
def test_pdf_and_docx_say_the_same_thing(outcomes, name) -> None:
    from thidua_rank.report.docx import blocks_docx
    from thidua_rank.report.pdf import blocks_pdf

    for stem, document in DOCUMENTS.items():
        blocks = document.build(outcomes[name], None)
        _, pdf_text = _pdf_text(blocks_pdf(blocks))
        _, docx_text = _docx_text(blocks_docx(blocks))
        pdf_flat, docx_flat = _flat(pdf_text), _flat(docx_text)
        pieces = [line for b in blocks for line in b.text.split("\n") if line.strip()]
        pieces += [cell for b in blocks for row in (b.header, *b.rows) for cell in row
                   for cell in cell.split("\n") if cell.strip()]
        for piece in pieces:
            assert _flat(piece) in pdf_flat, (stem, piece)
            assert _flat(piece) in docx_flat, (stem, piece)


def _template(tmp_path: Path, *lines: str) -> Path:
    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    path = tmp_path / "mau.docx"
    doc.save(str(path))
    return path


def test_a_user_template_is_filled_with_the_meetings_facts(outcomes, tmp_path) -> None:
    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    tpl = _template(tmp_path, "{{ khoi }}", "{{ dia_danh_ngay }}",
                    "{% for v in vong %}{{ v.ten }}: {{ v.hop_le }}/{{ v.phat_ra }}; {% endfor %}",
                    "{% for k in khen_thuong %}{{ k.noi_dung }} ({{ k.so_don_vi }}); {% endfor %}",
                    "{{ truong_khoi }} | {{ pho_truong_khoi | join(', ') }}")
    out = tmp_path / "out"
    assert main(["documents", str(SAMPLES["ninh-binh-co-quan-dang-2022"]), "--out", str(out),
                 "--format", "docx", "--only", "bien-ban-hop",
                 "--template", f"bien-ban-hop={tpl}"]) == 0
    lines = [p.text for p in Document(str(out / "bien-ban-hop.docx")).paragraphs]
    assert lines[:2] == ["Khối thi đua các cơ quan Đảng", "……………, ngày 09 tháng 12 năm 2022"]
    assert lines[2] == "".join(f"{c.title}: {c.valid}/{c.issued}; " for c in outcome.rounds)
    assert lines[3] == "".join(f"{a.tier.wording} ({len(a.units):02d}); "
                               for a in outcome.awards)
    assert lines[4] == (f"{outcome.leadership.head} | "
                        f"{', '.join(outcome.leadership.deputies)}")


def test_a_misspelt_placeholder_is_an_error_and_nothing_is_written(tmp_path, capsys) -> None:
    tpl = _template(tmp_path, "{{ khoii }}")
    out = tmp_path / "out"
    assert main(["documents", str(SAMPLES["nam-dinh-co-quan-dang-2021"]), "--out", str(out),
                 "--template", f"bien-ban-kiem-phieu={tpl}"]) == 2
    err = capsys.readouterr().err
    assert re.search(r"mẫu Word dùng trường không có: 'khoii' is undefined .* unknown "
                     r"placeholder", err)
    assert not out.exists()
    assert main(["documents", str(SAMPLES["nam-dinh-co-quan-dang-2021"]), "--out", str(out),
                 "--template", f"to-trinh-2={tpl}"]) == 2
    assert "--template needs DOCUMENT=file.docx" in capsys.readouterr().err


def test_a_province_marked_inferred_is_left_blank(outcomes) -> None:
    """``province_inferred = true`` in meeting.toml: the province is never printed as fact."""
    import dataclasses

    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    meeting = outcome.meeting
    info = dataclasses.replace(meeting.config.meeting, province_inferred=True)
    config = dataclasses.replace(meeting.config, meeting=info)
    inferred = dataclasses.replace(outcome, meeting=dataclasses.replace(meeting, config=config))
    for stem, document in DOCUMENTS.items():
        text = "\n".join(b.text for b in document.build(inferred, None))
        assert "Ninh Bình" not in text, stem
    assert counting_minutes(inferred)[1].text == "……………, ngày 09 tháng 12 năm 2022"


def test_documents_name_the_offices_and_co_chairs_as_configured(outcomes) -> None:
    import dataclasses

    from thidua_rank.report.documents import cover_letter, meeting_minutes, proposal_list
    from thidua_rank.report.template import template_context

    outcome = outcomes["ninh-binh-co-quan-dang-2022"]
    cfg = outcome.meeting.config
    info = dataclasses.replace(cfg.meeting, head_title="Khối trưởng", deputy_title="Khối phó",
                               co_chairs=("Ban Tổ chức Tỉnh ủy", "Sở Nội vụ"))
    renamed = tr.run_meeting(dataclasses.replace(
        outcome.meeting, config=dataclasses.replace(cfg, meeting=info)))
    counting = "\n".join(b.text for b in counting_minutes(renamed))
    assert "KHỐI TRƯỞNG, KHỐI PHÓ NĂM 2023" in counting
    assert "- Khối trưởng: Trường Chính trị tỉnh" in counting
    assert "- Khối phó: Đảng ủy Khối các cơ quan tỉnh, Đảng ủy Khối Doanh nghiệp tỉnh." in counting
    assert "- Số Khối phó cần bầu: 02" in counting
    minutes = "\n".join(b.text for b in meeting_minutes(renamed))
    assert "- Đồng chủ trì: Ban Tổ chức Tỉnh ủy, Sở Nội vụ." in minutes
    assert "Khối trưởng năm 2023: Trường Chính trị tỉnh trúng cử" in minutes
    signer = [b for b in proposal_list(renamed) if b.kind == "signature"][-1]
    assert "ĐƠN VỊ KHỐI TRƯỞNG NĂM 2022" in signer.rows[-1][0]
    letter = cover_letter(renamed)
    assert "(đơn vị Khối trưởng năm 2022)" in "\n".join(b.text for b in letter)
    ctx = template_context(renamed)
    assert (ctx["chuc_danh_truong_khoi"], ctx["dong_chu_tri"]) == (
        "Khối trưởng", ["Ban Tổ chức Tỉnh ủy", "Sở Nội vụ"])
    # the bloc's own words only: the default titles appear only inside configured text
    configured = [r.title for r in cfg.rounds] + [info.chair, info.secretary]
    for blocks in (counting_minutes(renamed), meeting_minutes(renamed), letter):
        text = "\n".join(b.text for b in blocks if b.kind != "signature")
        for words in configured:
            text = text.replace(words, "")
        assert "Trưởng khối" not in text
    # without co-chairs, no line for them
    assert "Đồng chủ trì" not in "\n".join(b.text for b in meeting_minutes(outcome))
