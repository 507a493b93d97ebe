"""The voting-code slips: code, typed address, how to vote and the QR, in HTML and PDF."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdf
import pytest

from thidua_rank.live.setup import Prepared, prepare
from thidua_rank.live.slips import how_to_vote, write_slips_html, write_slips_pdf
from thidua_rank.resources import data_folder

URL = "http://192.168.1.20:8866/voila/render/delegate.ipynb"


@pytest.fixture
def ready(tmp_path: Path) -> Prepared:
    folder = tmp_path / "m"
    shutil.copytree(data_folder("sample_data") / "ninh-binh-co-quan-dang-2022", folder)
    return prepare(folder)


def test_pdf_slips_carry_code_address_steps_and_qr(ready: Prepared, tmp_path: Path) -> None:
    out = write_slips_pdf(ready.live, ready.codes, tmp_path / "slips.pdf", base_url=URL)
    reader = pypdf.PdfReader(io.BytesIO(out.read_bytes()))
    assert len(reader.pages) == 3  # nine units, four slips a page
    text = " ".join(p.extract_text() for p in reader.pages)
    for unit, code in ready.codes.items():
        assert code in text and unit in text
    assert text.count(f"Địa chỉ: {URL}") == 9
    assert text.count("Giữ mã biên nhận") == 9
    images = sum(len(p.images) for p in reader.pages)
    assert images == 9


def test_html_slips_carry_the_same(ready: Prepared, tmp_path: Path) -> None:
    page = write_slips_html(ready.live, ready.codes, tmp_path / "s.html",
                            base_url=URL).read_text(encoding="utf-8")
    assert page.count("<div class='slip'>") == 9
    assert page.count(f"<code>{URL}</code>") == 9
    assert page.count("<ol class='steps'>") == 9 and page.count("<img alt='QR'") == 9
    assert "Quét mã QR" in page


def test_without_an_address_the_steps_say_whom_to_ask(ready: Prepared, tmp_path: Path) -> None:
    assert how_to_vote(None)[0].startswith("1. Mở trang bỏ phiếu theo địa chỉ thư ký")
    page = write_slips_html(ready.live, ready.codes, tmp_path / "s.html").read_text(
        encoding="utf-8")
    assert "Địa chỉ:" not in page and "<img" not in page
    out = write_slips_pdf(ready.live, ready.codes, tmp_path / "s.pdf")
    assert "thư ký hội nghị thông báo" in pypdf.PdfReader(out).pages[0].extract_text()
