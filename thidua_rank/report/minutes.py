"""The vote-counting minutes (biên bản kiểm phiếu) as structured content.

:func:`counting_minutes` turns a :class:`~thidua_rank.meeting.pipeline.MeetingOutcome` into a
list of blocks
(headings, paragraphs, tables, signature lines) in Vietnamese, following the usual pattern of
Vietnamese counting minutes (domain brief §6.2): the counting committee, ballots issued /
returned / valid / invalid with reasons, votes and percentages per unit, the result, tie-breaks,
and signatures. :mod:`thidua_rank.report.docx` renders it to Word; tests read the blocks directly.

>>> from thidua_rank.report.minutes import Block
>>> Block("heading", "BIÊN BẢN KIỂM PHIẾU").kind
'heading'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from thidua_rank.meeting.pipeline import MeetingOutcome, RoundCount
from thidua_rank.meeting.ties import rule_labels
from thidua_rank.text import format_number, format_percent, place_name

__all__ = ["Block", "LiveRecord", "counting_minutes"]

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass(frozen=True)
class Block:
    """One block of the minutes.

    ``kind`` is ``national`` (the state heading), ``title``, ``heading``, ``para``, ``table``
    (``header`` + ``rows``) or ``signature`` (``rows`` = [[left, right]]).
    """

    kind: str
    text: str = ""
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class LiveRecord:
    """What the ballot box of a live meeting adds to the minutes: the chain head at acceptance
    and each closed round's ballot digest (short forms), so that anyone holding the signed
    minutes can check the file later with ``thidua-rank verify MEETING --head …``."""

    chain_head: str
    round_digests: Mapping[str, str] = field(default_factory=dict)


def _round_table(outcome: MeetingOutcome, count: RoundCount) -> Block | None:
    if count.result is None:
        return None
    rows = []
    if count.approvals:
        for i, unit in enumerate(outcome.meeting.units, start=1):
            if unit not in count.approvals:
                continue
            votes, den, passed = count.approvals[unit]
            share = format_percent(Fraction(votes, den)) if den else "—"
            rows.append((str(i), unit, str(votes), share, "Đạt" if passed else "Không đạt"))
        rows = [(str(k), *r[1:]) for k, r in enumerate(rows, start=1)]
        return Block("table", header=("STT", "Đơn vị", "Số phiếu đồng ý", "Tỷ lệ", "Kết quả"),
                     rows=tuple(rows))
    for k, rec in enumerate(count.result.to_dicts(), start=1):
        rows.append((str(k), rec["unit"], format_number(rec["score"], 2),
                     place_name(rec["rank"], joint=rec["tied"])))
    return Block("table", header=("STT", "Đơn vị", f"Điểm ({count.result.method})", "Xếp hạng"),
                 rows=tuple(rows))


def counting_minutes(outcome: MeetingOutcome, record: LiveRecord | None = None) -> list[Block]:
    """The blocks of the counting minutes for a whole meeting (with *record*, the ballot box's
    digests and chain head of a live meeting)."""
    info = outcome.meeting.config.meeting
    day = info.meeting_date
    date_line = (f"{info.province + ', ' if info.province else ''}ngày {day.day:02d} tháng "
                 f"{day.month:02d} năm {day.year}") if day else (info.province or "")
    blocks = [
        Block("national", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
        Block("para", date_line),
        Block("title", "BIÊN BẢN KIỂM PHIẾU"),
        Block("para", f"Hội nghị tổng kết công tác thi đua, khen thưởng năm "
                      f"{info.year_reviewed} — {info.bloc}"),
    ]
    where = f" tại {info.venue}" if info.venue else ""
    blocks.append(Block("para", f"Hôm nay{', ' + date_line.split(', ')[-1] if day else ''}"
                                f"{where}, Ban kiểm phiếu gồm:"))
    committee = info.counting_committee or ("……………………………… (Trưởng ban)",
                                            "……………………………… (Thành viên)")
    for i, person in enumerate(committee, start=1):
        blocks.append(Block("para", f"{i}. {person}"))
    members, present = len(outcome.meeting.members), len(outcome.meeting.present)
    absent = [m.name for m in outcome.meeting.members if not m.present]
    blocks.append(Block("para", f"Số đơn vị thành viên: {members}; có mặt: {present}"
                                + (f"; vắng: {', '.join(absent)}" if absent else "") + "."))
    blocks.append(Block("para", "Ban kiểm phiếu đã tiến hành kiểm phiếu bầu bằng phiếu kín, "
                                "kết quả như sau:"))
    section = 0
    for count in outcome.rounds:
        blocks.append(Block("heading", f"{_ROMAN[section]}. {count.title}"))
        section += 1
        blocks.append(Block("para", f"- Số phiếu phát ra: {count.issued}"))
        blocks.append(Block("para", f"- Số phiếu thu về: {count.returned}"))
        blocks.append(Block("para", f"- Số phiếu hợp lệ: {count.valid}"))
        reasons = "; ".join(vi for vi, _ in count.invalid_reasons)
        blocks.append(Block("para", f"- Số phiếu không hợp lệ: {count.invalid}"
                                    + (f" ({reasons})" if reasons else "")))
        table = _round_table(outcome, count)
        if table is not None:
            blocks.append(table)
        if record is not None and count.id in record.round_digests:
            blocks.append(Block("para", f"- Mã kiểm tra phiếu của vòng (hòm phiếu điện tử): "
                                        f"{record.round_digests[count.id]}"))
    blocks.append(Block("heading", f"{_ROMAN[section]}. KẾT QUẢ ĐỀ NGHỊ KHEN THƯỞNG"))
    section += 1
    rows = []
    for award in outcome.awards:
        for u in award.units:
            rows.append((str(len(rows) + 1), u.unit, place_name(u.place, joint=u.joint),
                         award.tier.wording or award.tier.label))
    blocks.append(Block("table", header=("STT", "Đơn vị", "Xếp hạng", "Hình thức đề nghị"),
                        rows=tuple(rows)))
    for award in outcome.awards:
        for vi, _ in award.notes:
            blocks.append(Block("para", f"- {award.tier.label}: {vi}."))
    lead = outcome.leadership
    blocks.append(Block("heading", f"{_ROMAN[section]}. TRƯỞNG KHỐI, PHÓ TRƯỞNG KHỐI NĂM "
                                   f"{info.term_year}"))
    section += 1
    blocks.append(Block("para", f"- Trưởng khối: {lead.head or '(chưa bầu được)'}"))
    if lead.deputies:
        blocks.append(Block("para", f"- Phó Trưởng khối: {', '.join(lead.deputies)}"))
    decided = [t for t in outcome.tie_breaks if t.outcome not in ("skipped",)]
    if decided:
        blocks.append(Block("heading", f"{_ROMAN[section]}. XỬ LÝ CÁC TRƯỜNG HỢP BẰNG NHAU"))
        for t in decided:
            order = " > ".join(" = ".join(g) for g in t.order)
            note = f" ({t.note_vi})" if t.note_vi else ""
            blocks.append(Block("para", f"- {', '.join(t.units)}: {rule_labels(t.rule)[0]} → "
                                        f"{order}{note}"))
    for vi, _ in outcome.pending:
        blocks.append(Block("para", f"Lưu ý: {vi}."))
    if record is not None:
        blocks.append(Block("para", f"Mã chuỗi hòm phiếu khi chấp nhận kết quả: "
                                    f"{record.chain_head}. Kiểm tra lại bằng lệnh: thidua-rank "
                                    f"verify <thư mục hội nghị> --head {record.chain_head}"))
    blocks.append(Block("para", "Kết quả kiểm phiếu được công bố trước Hội nghị lúc ….. giờ "
                                "….. phút cùng ngày. Biên bản được lập thành 02 bản."))
    head = committee[0].split("–")[0].split("(")[0].strip()
    blocks.append(Block("signature", rows=(("THÀNH VIÊN BAN KIỂM PHIẾU",
                                            "T/M BAN KIỂM PHIẾU\nTRƯỞNG BAN"),
                                           ("", head))))
    return blocks
