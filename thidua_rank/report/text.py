"""Plain-text report of a meeting outcome (the ``thidua-rank meeting`` console table)."""

from __future__ import annotations

from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.meeting.ties import rule_labels
from thidua_rank.text import format_date, format_number, place_name

__all__ = ["outcome_text"]

_LABELS = {
    "vi": {"present": "Có mặt", "quorum_ok": "đủ số lượng", "quorum_no": "KHÔNG đủ số lượng",
           "ranking": "KẾT QUẢ XẾP HẠNG", "rank": "Hạng", "unit": "Đơn vị", "score": "Điểm",
           "awards": "ĐỀ NGHỊ KHEN THƯỞNG", "none": "(không có)", "head": "Trưởng khối năm",
           "deputies": "Phó Trưởng khối", "count": "KIỂM PHIẾU", "issued": "phát ra",
           "returned": "thu về", "valid": "hợp lệ", "invalid": "không hợp lệ",
           "ties": "PHÁ HÒA", "pending": "CẦN XỬ LÝ", "year": "năm", "meeting": "họp ngày",
           "suggested": "gợi ý luân phiên"},
    "en": {"present": "Present", "quorum_ok": "quorum met", "quorum_no": "NO quorum",
           "ranking": "RANKING", "rank": "Rank", "unit": "Unit", "score": "Score",
           "awards": "AWARD PROPOSALS", "none": "(none)", "head": "Head unit for",
           "deputies": "Deputies", "count": "BALLOT COUNT", "issued": "issued",
           "returned": "returned", "valid": "valid", "invalid": "invalid",
           "ties": "TIE-BREAKS", "pending": "TO RESOLVE", "year": "year", "meeting": "meeting",
           "suggested": "rotation suggestion"},
}


def outcome_text(outcome: MeetingOutcome, *, lang: str = "vi") -> str:
    """The outcome as aligned plain text, in Vietnamese (default) or English."""
    t = _LABELS[lang]
    info = outcome.meeting.config.meeting
    lines = [f"{info.bloc} — {t['year']} {info.year_reviewed}"
             + (f" ({t['meeting']} {format_date(info.meeting_date)})" if info.meeting_date else "")]
    members, present = len(outcome.meeting.members), len(outcome.meeting.present)
    lines.append(f"{t['present']}: {present}/{members} "
                 f"({t['quorum_ok'] if outcome.quorum_met else t['quorum_no']})")
    lines += ["", f"{t['ranking']} ({outcome.ranking.method})"]
    rows = outcome.ranking.to_dicts()
    width = max(len(r["unit"]) for r in rows)
    lines.append(f"{t['rank']:<16} {t['unit']:<{width}}  {t['score']}")
    for r in rows:
        place = place_name(r["rank"], joint=r["tied"], lang=lang)
        lines.append(f"{place:<16} {r['unit']:<{width}}  {format_number(r['score'], 2)}")
    lines += ["", t["awards"]]
    for award in outcome.awards:
        label = award.tier.label if lang == "vi" else (award.tier.label_en or award.tier.label)
        lines.append(f"- {label} ({len(award.units)}):")
        if not award.units:
            lines.append(f"    {t['none']}")
        for u in award.units:
            lines.append(f"    {place_name(u.place, joint=u.joint, lang=lang)}: {u.unit}")
        for vi, en in award.notes:
            lines.append(f"    · {vi if lang == 'vi' else en}")
    lead = outcome.leadership
    lines += ["", f"{t['head']} {info.term_year}: {lead.head or t['none']}"]
    if lead.deputies:
        lines.append(f"{t['deputies']}: {', '.join(lead.deputies)}")
    if lead.suggested_head and not lead.head:
        lines.append(f"({t['suggested']}: {lead.suggested_head})")
    if outcome.rounds:
        lines += ["", t["count"]]
        for r in outcome.rounds:
            lines.append(f"- {r.title}: {t['issued']} {r.issued}, {t['returned']} {r.returned}, "
                         f"{t['valid']} {r.valid}, {t['invalid']} {r.invalid}")
            for vi, en in r.invalid_reasons:
                lines.append(f"    · {vi if lang == 'vi' else en}")
    decided = [r for r in outcome.tie_breaks if r.outcome != "skipped"]
    if decided:
        lines += ["", t["ties"]]
        for r in decided:
            vi, en = rule_labels(r.rule)
            order = " > ".join(" = ".join(g) for g in r.order)
            lines.append(f"- {', '.join(r.units)}: {vi if lang == 'vi' else en} → {order}")
    if outcome.pending:
        lines += ["", t["pending"]]
        lines += [f"- {vi if lang == 'vi' else en}" for vi, en in outcome.pending]
    return "\n".join(lines)
