"""The counting minutes as Word: written atomically and readable by the owner only."""

from __future__ import annotations

from pathlib import Path

from docx import Document

import thidua_rank as tr
from thidua_rank.report.docx import write_minutes
from thidua_rank.resources import sample_meetings


def test_minutes_file_is_private_also_when_replacing(tmp_path: Path) -> None:
    folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    outcome = tr.run_meeting(tr.load_meeting(folder))
    out = tmp_path / "bien-ban.docx"
    assert write_minutes(outcome, out) == out
    assert out.stat().st_mode & 0o777 == 0o600
    out.write_bytes(b"old")
    out.chmod(0o644)
    write_minutes(outcome, out)
    assert out.stat().st_mode & 0o777 == 0o600
    assert "BIÊN BẢN KIỂM PHIẾU" in [p.text for p in Document(str(out)).paragraphs]
    assert [p.name for p in tmp_path.iterdir()] == ["bien-ban.docx"]


def test_live_minutes_print_the_round_digests_and_the_chain_head(tmp_path) -> None:
    import io

    from docx import Document

    import thidua_rank as tr
    from thidua_rank.report.docx import write_minutes
    from thidua_rank.report.minutes import LiveRecord
    from thidua_rank.resources import sample_meetings

    folder = {p.name: p for p in sample_meetings()}["ninh-binh-co-quan-dang-2022"]
    outcome = tr.run_meeting(tr.load_meeting(folder))
    record = LiveRecord("3F7A-91C2-0B4D-EE10", {"xep-hang": "AAAA-BBBB-CCCC-DDDD"},
                        {"xep-hang": ["B2C3D4E5F6", "A1B2C3D4E5"]})
    out = write_minutes(outcome, tmp_path / "bb.docx", record)
    text = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "Mã kiểm tra phiếu của vòng (hòm phiếu điện tử): AAAA-BBBB-CCCC-DDDD" in text
    assert "--head 3F7A-91C2-0B4D-EE10" in text
    assert "Biên nhận của 2 phiếu trong hòm" in text and "A1B2C3D4E5, B2C3D4E5F6" in text
    plain = write_minutes(outcome, tmp_path / "plain.docx")
    assert "3F7A" not in "\n".join(p.text for p in Document(io.BytesIO(plain.read_bytes()))
                                   .paragraphs)
