"""The vote-counting minutes (biên bản kiểm phiếu) as structured content.

:func:`counting_minutes` turns a :class:`~thidua_rank.meeting.pipeline.MeetingOutcome` into a
list of :class:`~thidua_rank.report.layout.Block` in the layout of Decree 30/2020/NĐ-CP: the
two-column masthead, the place-and-date line, the title, the counting committee, then one section
per round (ballots issued / returned / valid / invalid with reasons, and the round counted as
what it is: an election per candidate with its threshold, instant-runoff rounds with who was
eliminated, an approval vote per unit, or a ranking with its Borda points), the proposals per
tier, the head and deputies elected (and the seats left unfilled), tie-breaks and the signatures
"TM. BAN KIỂM PHIẾU / TRƯỞNG BAN". What the meeting did not record is a dotted blank.
:mod:`thidua_rank.report.docx` and :mod:`thidua_rank.report.pdf` render the blocks.

>>> from thidua_rank.report.minutes import Block
>>> Block("heading", "BIÊN BẢN KIỂM PHIẾU").kind
'heading'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from thidua_rank.meeting.config import MeetingInfo, RoundConfig
from thidua_rank.meeting.elections import Election, elections
from thidua_rank.meeting.pipeline import MeetingOutcome, RoundCount
from thidua_rank.meeting.ties import rule_labels
from thidua_rank.report.layout import BLANK, Block, day_phrase, masthead, place_date, signature
from thidua_rank.report.text import score_columns_text
from thidua_rank.text import format_number, format_percent, place_name

__all__ = ["Block", "LiveRecord", "counting_minutes", "method_score", "threshold_text"]

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
          "XIV", "XV", "XVI"]
_SHORT = {"members": "đơn vị thành viên", "present": "đơn vị có mặt", "issued": "phiếu phát ra",
          "valid": "phiếu hợp lệ"}
_DENOMINATOR = {"members": "tổng số đơn vị thành viên", "present": "số đơn vị có mặt",
                "issued": "số phiếu phát ra", "valid": "số phiếu hợp lệ"}


@dataclass(frozen=True)
class LiveRecord:
    """What the ballot box of a live meeting adds to the minutes: the chain head at acceptance,
    each closed round's ballot digest (short forms) and every ballot's receipt, so that anyone
    holding the signed minutes can check the file later with ``thidua-rank verify MEETING
    --head …``, and each delegate can find the receipt their phone showed."""

    chain_head: str
    round_digests: Mapping[str, str] = field(default_factory=dict)
    receipts: Mapping[str, Sequence[str]] = field(default_factory=dict)


def _percent(value: Fraction) -> str:
    return format_percent(value, 0 if (value * 100).denominator == 1 else 2)


def threshold_text(threshold: Any) -> str:
    """A pass rule in words, naming its denominator.

    >>> from thidua_rank.engine.thresholds import Threshold
    >>> threshold_text(Threshold(Fraction(1, 2), "valid", ">"))
    'trên 50% số phiếu hợp lệ'
    >>> threshold_text(Threshold(Fraction(2, 3), "members", ">="))
    'từ 66,67% tổng số đơn vị thành viên trở lên'
    """
    share = _percent(threshold.share)
    where = _DENOMINATOR[threshold.denominator]
    if threshold.comparison == ">":
        return f"trên {share} {where}"
    return f"từ {share} {where} trở lên"


def method_score(method: str) -> str:
    """What a round's score is, as a column header.

    >>> method_score("borda"), method_score("approval")
    ('Điểm Borda', 'Số phiếu')
    """
    return {"borda": "Điểm Borda", "approval": "Số phiếu", "plurality": "Số phiếu",
            "copeland": "Điểm Copeland", "weighted_sum": "Tổng điểm chấm"}.get(
        method, f"Điểm ({method})")


def _whole(value: Any) -> str:
    value = Fraction(value)
    return format_number(value, 0 if value.denominator == 1 else 2)


def _place(info: MeetingInfo) -> str:
    """The province for the place line, or a blank when the configuration marks it inferred."""
    if info.province_inferred:
        return ""
    return info.province


def _voting_form(rnd: RoundConfig) -> str:
    if rnd.rules.self_vote == "forbid":
        return "phiếu ghi tên đơn vị bầu (đơn vị không tự bầu cho mình)"
    return "phiếu kín"


def _instructions(rnd: RoundConfig) -> str:
    kind = rnd.rules.kind
    if kind == "ranked":
        return "xếp thứ tự các đơn vị (1 là cao nhất)"
    if kind == "approval":
        return "ghi đồng ý hoặc không đồng ý cho từng đơn vị"
    most = rnd.rules.max_choices
    return f"chọn tối đa {most} đơn vị" if most else "chọn các đơn vị"


def _counts(count: RoundCount) -> list[Block]:
    reasons = "; ".join(vi for vi, _ in count.invalid_reasons)
    return [Block("para", f"- Số phiếu phát ra: {count.issued}"),
            Block("para", f"- Số phiếu thu về: {count.returned}"),
            Block("para", f"- Số phiếu hợp lệ: {count.valid}"),
            Block("para", f"- Số phiếu không hợp lệ: {count.invalid}"
                          + (f" ({reasons})" if reasons else ""))]


def _official(outcome: MeetingOutcome, units: Sequence[str]) -> list[str]:
    order = {u: i for i, u in enumerate(outcome.meeting.units)}
    return sorted(units, key=lambda u: order.get(u, len(order)))


def _irv(election: Election) -> list[Block]:
    header = ["STT", "Đơn vị"]
    header += [f"Lần đếm {k.number} (trên {k.live} phiếu)" for k in election.counts]
    header.append("Kết quả")
    rows = []
    for n, cand in enumerate(election.candidates, start=1):
        cells = [str(n), cand.unit]
        for k in election.counts:
            tallies = dict(k.tallies)
            if cand.unit not in tallies:
                cells.append("—")
                continue
            votes = tallies[cand.unit]
            cell = f"{votes} ({_percent(Fraction(votes, k.live)) if k.live else '—'})"
            if cand.unit in k.eliminated:
                cell += " – bị loại"
            cells.append(cell)
        cells.append("trúng cử" if cand.elected else "không trúng cử")
        rows.append(tuple(cells))
    out = [Block("para", "Phương pháp: bầu loại dần — mỗi lần đếm tính số phiếu xếp thứ nhất "
                         "của từng đơn vị; đơn vị ít phiếu nhất bị loại và phiếu của đơn vị đó "
                         "chuyển cho đơn vị xếp kế tiếp; đơn vị được trên 50% số phiếu còn "
                         "hiệu lực thì trúng cử. Mỗi ô ghi số phiếu xếp thứ nhất và tỷ lệ trên số "
                         "phiếu còn hiệu lực của lần đếm đó."),
           Block("table", header=tuple(header), rows=tuple(rows))]
    for k in election.counts:
        if k.eliminated:
            out.append(Block("para", f"- Lần đếm {k.number}: loại {', '.join(k.eliminated)}."))
    return out


def _election(election: Election) -> list[Block]:
    out = [Block("para", f"- Số {election.role} cần bầu: {election.seats:02d}")]
    if election.revote:
        before = [c.unit for c in election.candidates if c.excluded]
        out.append(Block("para", f"- Bầu lại cho số {election.role} chưa bầu được ở vòng trước"
                                 + (f"; không bầu lại các đơn vị: {', '.join(before)}"
                                    if before else "") + "."))
    threshold = election.threshold
    if election.is_instant_runoff:
        out += _irv(election)
    else:
        if threshold is not None:
            out.append(Block("para", f"- Điều kiện trúng cử: được {threshold_text(threshold)}"
                                     "; nếu nhiều đơn vị đạt, lấy theo số phiếu từ cao xuống."))
        else:
            out.append(Block("para", "- Điều kiện trúng cử: lấy theo số phiếu từ cao xuống."))
        dens = {c.denominator for c in election.candidates}
        den_name = _SHORT[threshold.denominator if threshold is not None else "valid"]
        share_head = (f"Tỷ lệ trên {dens.pop()} {den_name}" if len(dens) == 1
                      else f"Tỷ lệ trên số {den_name}")
        rows = []
        for n, cand in enumerate(election.candidates, start=1):
            share = _percent(cand.share) if cand.denominator else "—"
            reached = "—" if cand.threshold_met is None else \
                ("đạt" if cand.threshold_met else "không đạt")
            rows.append((str(n), cand.unit, str(cand.votes), share, reached,
                         "trúng cử" if cand.elected else "không trúng cử"))
        out.append(Block("table", header=("STT", "Đơn vị", "Số phiếu bầu", share_head,
                                          "Đạt ngưỡng", "Kết quả"), rows=tuple(rows)))
    if election.unfilled:
        out.append(Block("para", f"- {election.unfilled_text()}: cần bầu lại."))
    return out


def _approval_round(outcome: MeetingOutcome, count: RoundCount, rnd: RoundConfig) -> list[Block]:
    tier = None
    for t in outcome.meeting.config.tiers:
        if t.approval_round == rnd.id or (rnd.tier and t.id == rnd.tier):
            tier = t
            break
    threshold = tier.threshold if tier is not None else None
    out = []
    if threshold is not None:
        out.append(Block("para", f"- Điều kiện đề nghị: được {threshold_text(threshold)}."))
    dens = {den for _, den, _ in count.approvals.values()}
    den_name = _SHORT[threshold.denominator if threshold else "valid"]
    share_head = (f"Tỷ lệ trên {dens.pop()} {den_name}" if len(dens) == 1
                  else f"Tỷ lệ trên số {den_name}")
    votes_head = "Số phiếu đồng ý" if rnd.rules.kind == "approval" else "Số phiếu bầu chọn"
    header: tuple[str, ...] = ("STT", "Đơn vị", votes_head, share_head)
    if threshold is not None:
        header += ("Kết quả",)
    rows = []
    for k, unit in enumerate(_official(outcome, list(count.approvals)), start=1):
        votes, den, passed = count.approvals[unit]
        row: tuple[str, ...] = (str(k), unit, str(votes),
                                _percent(Fraction(votes, den)) if den else "—")
        if threshold is not None:
            row += ("đạt" if passed else "không đạt",)
        rows.append(row)
    out.append(Block("table", header=header, rows=tuple(rows)))
    return out


def _ranked_round(count: RoundCount) -> list[Block]:
    assert count.result is not None
    score = method_score(count.result.method)
    out = []
    if count.result.method == "borda":
        out.append(Block("para", "- Điểm Borda: mỗi phiếu cho đơn vị xếp thứ k trong n đơn vị "
                                 "được n − k điểm (các đơn vị không được xếp chia đều số điểm "
                                 "còn lại); cột điểm chỉ gồm điểm Borda."))
    recs = count.result.to_dicts()
    decimals = 2 if any(rec["score"] % 1 for rec in recs) else 0
    rows = [(str(k), rec["unit"], format_number(rec["score"], decimals),
             place_name(rec["rank"], joint=rec["tied"])) for k, rec in enumerate(recs, start=1)]
    out.append(Block("table", header=("STT", "Đơn vị", score,
                                      f"Xếp hạng theo {score[0].lower()}{score[1:]}"),
                     rows=tuple(rows)))
    return out


def _round_section(outcome: MeetingOutcome, count: RoundCount, number: str,
                   record: LiveRecord | None) -> list[Block]:
    rnd = outcome.meeting.config.round(count.id)
    out = [Block("heading", f"{number}. {count.title}"),
           Block("para", f"- Hình thức: {_voting_form(rnd)}; cách ghi phiếu: "
                         f"{_instructions(rnd)}.")]
    out += _counts(count)
    if rnd.decides in ("head", "deputies"):
        out += _election(next(e for e in elections(outcome) if e.round_id == count.id))
    elif count.approvals:
        out += _approval_round(outcome, count, rnd)
    elif count.result is not None:
        out += _ranked_round(count)
    if record is not None and count.id in record.round_digests:
        out.append(Block("para", f"- Mã kiểm tra phiếu của vòng (hòm phiếu điện tử): "
                                 f"{record.round_digests[count.id]}"))
    if record is not None and record.receipts.get(count.id):
        receipts = sorted(record.receipts[count.id])
        out.append(Block("para", f"- Biên nhận của {len(receipts)} phiếu trong hòm (mỗi đại biểu "
                                 f"đối chiếu biên nhận điện thoại đã hiện): "
                                 f"{', '.join(receipts)}"))
    return out


def score_columns(outcome: MeetingOutcome) -> list[tuple[str, dict[str, str]]]:
    """The score columns of a proposal table, one per scale (never two scales in a column):
    the combined index of a weighted meeting, the criteria total when the meeting scored
    criteria, the vote's points when it voted."""
    return score_columns_text(outcome, lang="vi")


def _awards(outcome: MeetingOutcome, number: str) -> list[Block]:
    out = [Block("heading", f"{number}. KẾT QUẢ ĐỀ NGHỊ KHEN THƯỞNG")]
    cols = score_columns(outcome)
    for k, award in enumerate(outcome.awards, start=1):
        tier = award.tier
        out.append(Block("para", f"{k}. {tier.label}: {len(award.units):02d} đơn vị."))
        if tier.wording and tier.wording != tier.label:
            out.append(Block("note", f"Nội dung như Hội nghị ghi: “{tier.wording}”."))
        if award.units:
            rows = tuple((str(i), u.unit, place_name(u.place, joint=u.joint),
                          *(values.get(u.unit, "—") for _, values in cols))
                         for i, u in enumerate(award.units, start=1))
            out.append(Block("table", header=("STT", "Đơn vị", "Xếp hạng",
                                              *(name for name, _ in cols)), rows=rows))
        for vi, _ in award.notes:
            out.append(Block("para", f"- {vi}."))
    return out


def _leadership(outcome: MeetingOutcome, number: str) -> list[Block]:
    """The next head and deputies, with each office named as the bloc names it
    (``head_title``/``deputy_title``), and the seats the office's last round left unfilled."""
    info = outcome.meeting.config.meeting
    lead = outcome.leadership
    last = {e.decides: e for e in elections(outcome)}  # the office's last round (re-votes)
    if not last:
        return []
    out = [Block("heading", f"{number}. {info.head_title.upper()}, "
                            f"{info.deputy_title.upper()} NĂM {info.term_year}")]
    if "head" in last:
        out.append(Block("para", f"- {info.head_title}: {lead.head}" if lead.head
                         else f"- Chưa bầu được {info.head_title}."))
    if "deputies" in last:
        if lead.deputies:
            out.append(Block("para", f"- {info.deputy_title}: {', '.join(lead.deputies)}."))
        if last["deputies"].unfilled:
            out.append(Block("para", f"- {last['deputies'].unfilled_text()}."))
    return out


def counting_minutes(outcome: MeetingOutcome, record: LiveRecord | None = None) -> list[Block]:
    """The blocks of the counting minutes for a whole meeting.

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    record
        For a live meeting: the ballot box's chain head and round digests to print.

    Returns
    -------
    list of Block
        Masthead, place and date, title, committee, one section per round, proposals, head and
        deputies, tie-breaks, signatures.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["phu-tho-van-hoa-xa-hoi-2020"]
    >>> blocks = counting_minutes(tr.run_meeting(tr.load_meeting(folder)))
    >>> blocks[0].rows[1]
    ('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc')
    >>> blocks[1].text
    'Phú Thọ, ngày 12 tháng 01 năm 2021'
    >>> [b.text for b in blocks if b.text.startswith("- Lần đếm")]
    ['- Lần đếm 1: loại Sở Văn hóa - Thể thao và Du lịch.']
    """
    info = outcome.meeting.config.meeting
    blocks = [
        masthead(info.bloc, "Ban kiểm phiếu", "BB-KTĐ"),
        Block("place_date", place_date(_place(info), info.meeting_date)),
        Block("title", "BIÊN BẢN KIỂM PHIẾU"),
        Block("subtitle", info.title or f"Hội nghị tổng kết công tác thi đua, khen thưởng năm "
                                         f"{info.year_reviewed}"),
        Block("para", f"Hôm nay, {day_phrase(info.meeting_date)}, tại {info.venue or BLANK}, "
                      f"Ban kiểm phiếu của {info.bloc} gồm:"),
    ]
    committee = info.counting_committee or (f"{BLANK} (Trưởng ban)", f"{BLANK} (Thành viên)")
    for i, person in enumerate(committee, start=1):
        blocks.append(Block("para", f"{i}. {person}"))
    members, present = len(outcome.meeting.members), len(outcome.meeting.present)
    absent = [m.name for m in outcome.meeting.members if not m.present]
    blocks.append(Block("para", f"Số đơn vị thành viên: {members}; có mặt: {present}"
                                + (f"; vắng: {', '.join(absent)}" if absent else "") + "."))
    blocks.append(Block("para", "Ban kiểm phiếu đã tiến hành kiểm phiếu, kết quả như sau:"))
    section = 0
    for count in outcome.rounds:
        blocks += _round_section(outcome, count, _ROMAN[section], record)
        section += 1
    blocks += _awards(outcome, _ROMAN[section])
    section += 1
    lead = _leadership(outcome, _ROMAN[section])
    if lead:
        blocks += lead
        section += 1
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
    blocks.append(Block("para", "Kết quả kiểm phiếu được công bố trước Hội nghị lúc …… giờ "
                                "…… phút cùng ngày. Biên bản được lập thành …… bản."))
    head = committee[0].split("(")[0].strip()
    others = "\n".join(c.split("(")[0].strip() for c in committee[1:]) or BLANK
    blocks.append(signature(("CÁC THÀNH VIÊN\nBAN KIỂM PHIẾU", others),
                            ("TM. BAN KIỂM PHIẾU\nTRƯỞNG BAN", head)))
    return blocks
