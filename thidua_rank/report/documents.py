"""The meeting's paper trail, built from one outcome: which documents there are, their blocks,
and writing them as Word and PDF.

- ``bien-ban-kiem-phieu``: the counting minutes (:func:`~thidua_rank.report.minutes.
  counting_minutes`);
- ``bien-ban-hop``: the meeting minutes (:func:`meeting_minutes`);
- ``danh-sach-de-nghi``: the proposal list per tier (:func:`proposal_list`);
- ``to-trinh``: the cover letter to the provincial council (:func:`cover_letter`);
- ``phieu-bau``: paper ballots for every round (:func:`paper_ballots`).

Every document is a list of :class:`~thidua_rank.report.layout.Block`, rendered by
:func:`~thidua_rank.report.docx.blocks_docx` and :func:`~thidua_rank.report.pdf.blocks_pdf`, and
written by :func:`write_documents` through :func:`thidua_rank.io.atomic.atomic_write` (whole or
not at all, mode 0600).

>>> list(DOCUMENTS)
['bien-ban-kiem-phieu', 'bien-ban-hop', 'danh-sach-de-nghi', 'to-trinh', 'phieu-bau']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Literal, NamedTuple

from thidua_rank.errors import ThiduaRankError
from thidua_rank.io.atomic import atomic_write
from thidua_rank.meeting.model import Meeting
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.report.layout import BLANK, Block, day_phrase, masthead, place_date, signature
from thidua_rank.report.minutes import (
    LiveRecord,
    _leadership,
    _place,
    counting_minutes,
    score_columns,
)
from thidua_rank.report.template import render_template, template_context
from thidua_rank.text import format_percent, place_name

__all__ = ["DOCUMENTS", "Format", "ballots_per_page", "cover_letter", "meeting_minutes",
           "paper_ballots",
           "proposal_list", "write_documents"]

Format = Literal["docx", "pdf"]


class Document(NamedTuple):
    """A document of the dossier: its Vietnamese title and how to build its blocks."""

    title: str
    build: Callable[[MeetingOutcome, LiveRecord | None], list[Block]]


def _round_summary(outcome: MeetingOutcome, count_id: str) -> str:
    """One line: what a round decided (the counting minutes hold the figures)."""
    cfg = outcome.meeting.config
    rnd = cfg.round(count_id)
    count = next(c for c in outcome.rounds if c.id == count_id)
    info = cfg.meeting
    if rnd.decides == "head":
        return (f"{info.head_title} năm {info.term_year}: {count.elected[0]} trúng cử"
                if count.elected else f"chưa bầu được {info.head_title}")
    if rnd.decides == "deputies":
        text = (f"{info.deputy_title}: {', '.join(count.elected)} trúng cử" if count.elected
                else f"chưa bầu được {info.deputy_title}")
        if 0 < len(count.elected) < count.seats:
            text += f"; chưa bầu được {count.seats - len(count.elected):02d} {info.deputy_title}"
        return text
    if count.approvals:
        passed = [u for u, (_, _, ok) in count.approvals.items() if ok]
        return f"{len(passed):02d} đơn vị đạt yêu cầu: {', '.join(passed)}" if passed else \
            "không có đơn vị đạt yêu cầu"
    if count.result is not None:
        first = [r["unit"] for r in count.result.to_dicts() if r["rank"] == 1]
        return f"xếp thứ nhất: {', '.join(first)}"
    return "xem Biên bản kiểm phiếu"


def meeting_minutes(outcome: MeetingOutcome, record: LiveRecord | None = None) -> list[Block]:
    """The meeting minutes (biên bản họp): time and place, chair and secretary, members present
    and absent, guests, what was voted and decided per round (referring to the counting
    minutes), proposals per tier, the next head and deputies, the ballot box's chain head of a
    live meeting, signatures of the chair and the secretary.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["dien-bien-noi-chinh-2022"]
    >>> blocks = meeting_minutes(tr.run_meeting(tr.load_meeting(folder)))
    >>> [b.text for b in blocks if b.text.startswith("- Khách mời")]
    ['- Khách mời: Sở Nội vụ.']
    >>> blocks[-1].rows[1][0]
    'CHỦ TỌA'
    """
    info = outcome.meeting.config.meeting
    members = outcome.meeting.members
    present = [m.name for m in members if m.present]
    absent = [m.name for m in members if not m.present]
    blocks = [
        masthead(info.bloc, "Hội nghị tổng kết", "BB-HN"),
        Block("place_date", place_date(_place(info), info.meeting_date)),
        Block("title", "BIÊN BẢN HỌP"),
        Block("subtitle", info.title or f"Hội nghị tổng kết công tác thi đua, khen thưởng năm "
                                         f"{info.year_reviewed}"),
        Block("heading", "I. THỜI GIAN, ĐỊA ĐIỂM"),
        Block("para", f"- Thời gian: bắt đầu lúc …… giờ …… phút, {day_phrase(info.meeting_date)}."),
        Block("para", f"- Địa điểm: {info.venue or BLANK}."),
        Block("heading", "II. THÀNH PHẦN"),
        Block("para", f"- Chủ trì: {info.chair or BLANK}."),
        *([Block("para", f"- Đồng chủ trì: {', '.join(info.co_chairs)}.")]
          if info.co_chairs else []),
        Block("para", f"- Thư ký: {info.secretary or BLANK}."),
        Block("para", f"- Đơn vị thành viên có mặt: {len(present)}/{len(members)} "
                      f"({format_percent(Fraction(len(present), len(members)))}): "
                      f"{', '.join(present)}."),
        Block("para", f"- Vắng: {', '.join(absent)}." if absent else "- Vắng: không."),
        Block("para", f"- Khách mời: {', '.join(info.guests) if info.guests else BLANK}."),
        Block("heading", "III. NỘI DUNG"),
        Block("para", f"1. Tổng kết công tác thi đua, khen thưởng năm {info.year_reviewed} "
                      f"của {info.bloc}."),
    ]
    item = 2
    for count in outcome.rounds:
        blocks.append(Block("para", f"{item}. {count.title}: phát ra {count.issued} phiếu, hợp "
                                    f"lệ {count.valid}, không hợp lệ {count.invalid}; kết quả: "
                                    f"{_round_summary(outcome, count.id)} (chi tiết tại Biên bản "
                                    f"kiểm phiếu)."))
        item += 1
    if not outcome.quorum_met:
        blocks.append(Block("para", f"Lưu ý: {outcome.pending[0][0]}."))
    blocks.append(Block("heading", "IV. KẾT QUẢ ĐỀ NGHỊ KHEN THƯỞNG"))
    blocks += _tier_tables(outcome)
    blocks += _leadership(outcome, "V")
    for vi, _ in outcome.pending[0 if outcome.quorum_met else 1:]:
        blocks.append(Block("para", f"Lưu ý: {vi}."))
    if record is not None:
        blocks.append(Block("para", f"Mã chuỗi hòm phiếu điện tử khi chấp nhận kết quả: "
                                    f"{record.chain_head}."))
    blocks.append(Block("para", "Hội nghị kết thúc lúc …… giờ …… phút cùng ngày. Biên bản đã "
                                "được đọc lại trước Hội nghị và được …… % đại biểu dự họp nhất "
                                "trí thông qua."))
    blocks.append(signature(("THƯ KÝ", info.secretary or BLANK),
                            ("CHỦ TỌA", info.chair or BLANK)))
    return blocks


def _grounds(outcome: MeetingOutcome, unit: str, tier_id: str) -> str:
    """The vote that carried a unit into its tier (votes / denominator and share), or "—"."""
    tier = outcome.meeting.config.tier(tier_id)
    for count in outcome.rounds:
        if count.id == tier.approval_round and unit in count.approvals:
            votes, den, _ = count.approvals[unit]
            return f"{votes}/{den} phiếu đồng ý ({format_percent(Fraction(votes, den))})"
    return "—"


def _tier_tables(outcome: MeetingOutcome, *, grounds: bool = False) -> list[Block]:
    cols = score_columns(outcome)
    grounds = grounds and any(a.tier.approval_round for a in outcome.awards)
    out = []
    for k, award in enumerate(outcome.awards, start=1):
        tier = award.tier
        out.append(Block("para", f"{k}. {tier.label}: {len(award.units):02d} đơn vị."))
        if tier.wording and tier.wording != tier.label:
            out.append(Block("note", f"Nội dung như Hội nghị ghi: “{tier.wording}”."))
        if not award.units:
            continue
        header = ("STT", "Đơn vị", "Xếp hạng", *(name for name, _ in cols))
        rows = []
        for i, u in enumerate(award.units, start=1):
            row = (str(i), u.unit, place_name(u.place, joint=u.joint),
                   *(values.get(u.unit, "—") for _, values in cols))
            if grounds:
                row = (*row, _grounds(outcome, u.unit, tier.id))
            rows.append(row)
        out.append(Block("table", header=(*header, "Kết quả biểu quyết") if grounds else header,
                         rows=tuple(rows)))
    return out


def proposal_list(outcome: MeetingOutcome, record: LiveRecord | None = None) -> list[Block]:
    """The proposal list per tier (danh sách đề nghị khen thưởng), with the award wording as the
    meeting configured it, the place, the scores (one column per scale) and, where a tier was
    voted on, the votes that carried each unit; signed
    by the head unit of the year reviewed.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["nam-dinh-co-quan-dang-2021"]
    >>> blocks = proposal_list(tr.run_meeting(tr.load_meeting(folder)))
    >>> [b.text for b in blocks if b.kind == "note"][1]
    'Nội dung như Hội nghị ghi: “đề nghị Chính phủ tặng Cờ thi đua xuất sắc”.'
    """
    info = outcome.meeting.config.meeting
    outgoing = (outcome.meeting.member(info.outgoing_head).name if info.outgoing_head
                else "")
    blocks = [
        masthead(info.bloc, outgoing or BLANK, "DS-KT"),
        Block("place_date", place_date(_place(info), info.meeting_date)),
        Block("title", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"),
        Block("subtitle", f"Năm {info.year_reviewed} — {info.bloc}"),
        Block("note", f"(Kèm theo Biên bản họp {info.title[0].lower() + info.title[1:]})"
                      if info.title else "(Kèm theo Biên bản họp của Hội nghị)"),
    ]
    blocks += _tier_tables(outcome, grounds=True)
    role = f"TM. {info.bloc.upper()}\nĐƠN VỊ {info.head_title.upper()} NĂM {info.year_reviewed}"
    blocks.append(signature(("", ""), (role, outgoing or BLANK)))
    return blocks


def cover_letter(outcome: MeetingOutcome, record: LiveRecord | None = None) -> list[Block]:
    """The cover letter (tờ trình) from the head unit of the year reviewed to the provincial
    emulation council, asking for the awards the meeting proposed (the list attached).

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["dien-bien-noi-chinh-2022"]
    >>> blocks = cover_letter(tr.run_meeting(tr.load_meeting(folder)))
    >>> blocks[1].text
    'Điện Biên, ngày …… tháng …… năm ……'
    >>> blocks[4].text
    'Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh Điện Biên.'
    >>> [b.text for b in blocks if b.text.startswith("2.")]
    ['2. Bằng khen của Chủ tịch UBND tỉnh: 05 đơn vị (đề nghị UBND tỉnh tặng Bằng khen).']
    """
    info = outcome.meeting.config.meeting
    outgoing = (outcome.meeting.member(info.outgoing_head).name if info.outgoing_head
                else "")
    province = _place(info)
    blocks = [
        masthead(info.bloc, outgoing or BLANK, "TTr-KTĐ"),
        # the letter is dated when it is signed, which the meeting did not record
        Block("place_date", place_date(province, None)),
        Block("title", "TỜ TRÌNH"),
        Block("subtitle", f"V/v đề nghị khen thưởng năm {info.year_reviewed} của {info.bloc}"),
        Block("para", f"Kính gửi: Hội đồng Thi đua - Khen thưởng tỉnh {province or BLANK}."),
        Block("para", f"Căn cứ kết quả bình xét, suy tôn tại "
                      f"{(info.title or 'Hội nghị tổng kết')[0].lower()}"
                      f"{(info.title or 'Hội nghị tổng kết')[1:]} của {info.bloc}, "
                      f"{day_phrase(info.meeting_date)}, {outgoing or BLANK} (đơn vị "
                      f"{info.head_title} năm {info.year_reviewed}) kính trình Hội đồng Thi đua - "
                      f"Khen thưởng tỉnh xem xét, đề nghị khen thưởng như sau:"),
    ]
    for k, award in enumerate(outcome.awards, start=1):
        wording = (f" ({award.tier.wording})" if award.tier.wording
                   and award.tier.wording != award.tier.label else "")
        blocks.append(Block("para", f"{k}. {award.tier.label}: {len(award.units):02d} đơn vị"
                                    f"{wording}."))
    blocks.append(Block("para", "(Có Danh sách đề nghị khen thưởng, Biên bản họp và Biên bản "
                                "kiểm phiếu kèm theo.)"))
    blocks.append(Block("para", "Kính trình Hội đồng Thi đua - Khen thưởng tỉnh xem xét, quyết "
                                "định./."))
    blocks.append(signature(("", ""), (f"TM. {info.bloc.upper()}\n{info.head_title.upper()}",
                                       outgoing or BLANK)))
    return blocks


def _ballot_block(meeting: Meeting, round_id: str) -> Block:
    """One paper ballot of a round: candidates in the official unit order, the marking columns
    and instructions of the round's kind."""
    cfg = meeting.config
    rnd = cfg.round(round_id)
    units = [u for u in meeting.units if rnd.candidates is None or u in rnd.candidates]
    n = len(units)
    kind = rnd.rules.kind
    if kind == "ranked":
        header: tuple[str, ...] = ("STT", "Đơn vị", f"Thứ hạng (1 – {n})")
        cells: tuple[str, ...] = ("",)
        how = [f"Ghi thứ hạng từ 1 đến {n} vào ô của từng đơn vị (1 là cao nhất)."]
        if not rnd.rules.allow_truncation:
            how.append(f"Phải xếp đủ {n} đơn vị.")
        if not rnd.rules.allow_ties:
            how.append("Mỗi thứ hạng chỉ ghi cho một đơn vị.")
    elif kind == "approval":
        header, cells = ("STT", "Đơn vị", "Đồng ý", "Không đồng ý"), ("", "")
        how = ["Đánh dấu X vào ô «Đồng ý» hoặc «Không đồng ý» của từng đơn vị."]
    else:
        most = rnd.rules.max_choices
        header, cells = ("STT", "Đơn vị", "Chọn (X)"), ("",)
        how = [f"Đánh dấu X vào ô của tối đa {most:02d} đơn vị." if most
               else "Đánh dấu X vào ô của các đơn vị được chọn."]
    if rnd.rules.self_vote == "forbid":
        how.append("Đơn vị bầu: …………………………… (không bầu cho đơn vị mình).")
    how.append("Phiếu không có dấu của Ban kiểm phiếu là phiếu không hợp lệ.")
    return Block("ballot", text="\n".join([cfg.meeting.bloc.upper(), rnd.title, *how]),
                 header=header,
                 rows=tuple((str(i), u, *cells) for i, u in enumerate(units, start=1)))


def ballots_per_page(units: int) -> int:
    """How many ballots of *units* rows fit on one A4 page (1 to 4), to print and cut.

    >>> ballots_per_page(2), ballots_per_page(10), ballots_per_page(16)
    (3, 2, 1)
    """
    height = 255.0  # mm of text height on the Decree 30 page, less a margin of safety
    return max(1, min(4, int(height // (62 + 6 * units))))


def paper_ballots(outcome: MeetingOutcome | Meeting, record: LiveRecord | None = None, *,
                  rounds: Iterable[str] | None = None) -> list[Block]:
    """Paper ballots (phiếu bầu): one A4 page per round holding as many copies as fit
    (:func:`ballots_per_page`), to print and cut; units in the official order, instructions for
    the round's kind, a box for the counting committee's stamp. Takes the outcome or, before
    any vote, the loaded meeting.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["gia-lai-so-nganh-tong-hop-2023"]
    >>> blocks = paper_ballots(tr.run_meeting(tr.load_meeting(folder)), rounds=["truong-khoi"])
    >>> [b.kind for b in blocks]
    ['ballot', 'ballot', 'ballot']
    >>> blocks[0].header, blocks[0].rows[0]
    (('STT', 'Đơn vị', 'Chọn (X)'), ('1', 'Cục Thuế tỉnh', ''))
    """
    meeting = outcome.meeting if isinstance(outcome, MeetingOutcome) else outcome
    ids = [r.id for r in meeting.config.rounds] if rounds is None else list(rounds)
    blocks: list[Block] = []
    for rid in ids:
        ballot = _ballot_block(meeting, rid)
        if blocks:
            blocks.append(Block("pagebreak"))
        blocks += [ballot] * ballots_per_page(len(ballot.rows))
    return blocks


DOCUMENTS: dict[str, Document] = {
    "bien-ban-kiem-phieu": Document("Biên bản kiểm phiếu", counting_minutes),
    "bien-ban-hop": Document("Biên bản họp", meeting_minutes),
    "danh-sach-de-nghi": Document("Danh sách đề nghị khen thưởng", proposal_list),
    "to-trinh": Document("Tờ trình đề nghị khen thưởng", cover_letter),
    "phieu-bau": Document("Phiếu bầu", paper_ballots),
}
"""File stem → document, in the order of the dossier."""


def write_documents(outcome: MeetingOutcome, folder: str | Path, *,
                    formats: Iterable[Format] = ("docx", "pdf"),
                    documents: Iterable[str] | None = None,
                    record: LiveRecord | None = None,
                    templates: Mapping[str, str | Path] | None = None) -> list[Path]:
    """Write the documents of the meeting into *folder* (created when missing), atomically,
    mode 0600.

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    folder
        Where to write ``<stem>.docx`` / ``<stem>.pdf``.
    formats
        ``docx`` and/or ``pdf``.
    documents
        Stems of :data:`DOCUMENTS` (default: all).
    record
        For a live meeting: the ballot box's chain head and round digests to print.
    templates
        Document stem → a user's Word template (docxtpl placeholders, see
        :mod:`thidua_rank.report.template`) used for that document's .docx instead of the
        bundled layout; the PDF keeps the bundled layout.

    Returns
    -------
    list of Path
        The files written, document by document.

    Raises
    ------
    ThiduaRankError
        An unknown format or document.

    Examples
    --------
    >>> import tempfile
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["gia-lai-so-nganh-tong-hop-2023"]
    >>> out = Path(tempfile.mkdtemp())
    >>> [p.name for p in write_documents(tr.run_meeting(tr.load_meeting(folder)), out,
    ...                                  formats=["docx"])]
    ['bien-ban-kiem-phieu.docx', 'bien-ban-hop.docx', 'danh-sach-de-nghi.docx', 'to-trinh.docx',
     'phieu-bau.docx']
    """
    from thidua_rank.report.docx import blocks_docx
    from thidua_rank.report.pdf import blocks_pdf

    formats = list(formats)
    for fmt in formats:
        if fmt not in ("docx", "pdf"):
            raise ThiduaRankError(f"định dạng '{fmt}' không được hỗ trợ (docx, pdf)",
                                  f"format '{fmt}' is not supported; use docx and/or pdf",
                                  value=fmt)
    stems = list(DOCUMENTS) if documents is None else list(documents)
    templates = dict(templates or {})
    for stem in [*stems, *templates]:
        if stem not in DOCUMENTS:
            raise ThiduaRankError(f"không có văn bản '{stem}' ({', '.join(DOCUMENTS)})",
                                  f"no document '{stem}'; documents are {list(DOCUMENTS)}",
                                  value=stem)
    rendered: list[tuple[Path, bytes]] = []  # everything is built before anything is written
    for stem in stems:
        doc = DOCUMENTS[stem]
        blocks = doc.build(outcome, record)
        for fmt in formats:
            if fmt == "pdf":
                data = blocks_pdf(blocks, title=doc.title)
            elif stem in templates:
                data = render_template(templates[stem], template_context(outcome, record, blocks))
            else:
                data = blocks_docx(blocks)
            rendered.append((Path(folder) / f"{stem}.{fmt}", data))
    return [atomic_write(path, data) for path, data in rendered]
