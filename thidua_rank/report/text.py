"""Plain-text report of a meeting outcome (the ``thidua-rank meeting`` console table)."""

from __future__ import annotations

from thidua_rank.i18n import Language, Text
from thidua_rank.meeting.pipeline import MeetingOutcome, score_kind
from thidua_rank.meeting.ties import rule_labels
from thidua_rank.text import format_date, format_number, place_name

__all__ = ["outcome_text", "scale_label", "score_columns_text"]

SCALES: dict[str, Text] = {
    "criteria_points": Text("Tổng điểm chấm", "Criteria points"),
    "borda_points": Text("Điểm Borda", "Borda points"),
    "dowdall_points": Text("Điểm Dowdall", "Dowdall points"),
    "copeland_points": Text("Điểm Copeland", "Copeland points"),
    "votes": Text("Số phiếu", "Votes"),
    "first_preferences": Text("Số phiếu xếp thứ nhất", "First preferences"),
    "combined_index": Text("Chỉ số kết hợp", "Combined index"),
}
"""Column headers naming each scale a score can be on (the JSON's ``score_kind``)."""


def scale_label(kind: str, lang: Language = "vi") -> str:
    """The column header of a scale.

    >>> scale_label("borda_points"), scale_label("criteria_points", "en")
    ('Điểm Borda', 'Criteria points')
    >>> scale_label("schulze_score")
    'Điểm (schulze_score)'
    """
    return SCALES.get(kind, Text(f"Điểm ({kind})", kind)).get(lang)


def score_columns_text(outcome: MeetingOutcome, *, lang: Language = "vi"
                       ) -> list[tuple[str, dict[str, str]]]:
    """The score columns of the ranking, one per scale and never two scales in one column:
    the combined index (weighted meetings), the criteria total (when criteria were scored),
    the vote's points (when the meeting voted; "—" for a unit not on the ballot).

    Returns
    -------
    list of (header, {unit: formatted value})
    """
    cols: list[tuple[str, dict[str, str]]] = []
    kind = outcome.ranking_score_kind
    if kind == "combined_index":
        cols.append((scale_label(kind, lang), {r["unit"]: format_number(r["score"], 3, lang=lang)
                                               for r in outcome.ranking.to_dicts()}))
    if outcome.score_result is not None:
        cols.append((scale_label("criteria_points", lang),
                     {r["unit"]: format_number(r["score"], 2, lang=lang)
                      for r in outcome.score_result.to_dicts()}))
    if outcome.vote_result is not None:
        recs = outcome.vote_result.to_dicts()
        decimals = 2 if any(r["score"] % 1 for r in recs) else 0
        values = {r["unit"]: format_number(r["score"], decimals, lang=lang) for r in recs}
        cols.append((scale_label(score_kind(outcome.vote_result.method), lang),
                     {u: values.get(u, "—") for u in outcome.meeting.units}))
    if not cols:  # a ranking on another scale (e.g. a method's own score)
        cols.append((scale_label(kind or "", lang),
                     {r["unit"]: format_number(r["score"], 2, lang=lang)
                      for r in outcome.ranking.to_dicts()}))
    return cols

_LABELS: dict[str, Text] = {
    "present": Text("Có mặt", "Present"),
    "quorum_ok": Text("đủ số lượng", "quorum met"),
    "quorum_no": Text("KHÔNG đủ số lượng", "NO quorum"),
    "ranking": Text("KẾT QUẢ XẾP HẠNG", "RANKING"),
    "rank": Text("Hạng", "Rank"),
    "unit": Text("Đơn vị", "Unit"),
    "awards": Text("ĐỀ NGHỊ KHEN THƯỞNG", "AWARD PROPOSALS"),
    "none": Text("(không có)", "(none)"),
    "head": Text("Trưởng khối năm", "Head unit for"),
    "deputies": Text("Phó Trưởng khối", "Deputies"),
    "count": Text("KIỂM PHIẾU", "BALLOT COUNT"),
    "issued": Text("phát ra", "issued"),
    "returned": Text("thu về", "returned"),
    "valid": Text("hợp lệ", "valid"),
    "invalid": Text("không hợp lệ", "invalid"),
    "ties": Text("PHÁ HÒA", "TIE-BREAKS"),
    "pending": Text("CẦN XỬ LÝ", "TO RESOLVE"),
    "year": Text("năm", "year"),
    "meeting": Text("họp ngày", "meeting"),
    "suggested": Text("gợi ý luân phiên", "rotation suggestion"),
}


def outcome_text(outcome: MeetingOutcome, *, lang: Language = "vi") -> str:
    """The outcome as aligned plain text, in Vietnamese (default) or English."""
    t = {key: text.get(lang) for key, text in _LABELS.items()}
    info = outcome.meeting.config.meeting
    lines = [f"{info.bloc} — {t['year']} {info.year_reviewed}"
             + (f" ({t['meeting']} {format_date(info.meeting_date)})" if info.meeting_date else "")]
    members, present = len(outcome.meeting.members), len(outcome.meeting.present)
    lines.append(f"{t['present']}: {present}/{members} "
                 f"({t['quorum_ok'] if outcome.quorum_met else t['quorum_no']})")
    lines += ["", f"{t['ranking']} ({outcome.ranking.method})"]
    rows = outcome.ranking.to_dicts()
    width = max(len(r["unit"]) for r in rows)
    cols = score_columns_text(outcome, lang=lang)
    widths = [max(len(name), *(len(v) for v in values.values())) for name, values in cols]
    lines.append(f"{t['rank']:<16} {t['unit']:<{width}}  "
                 + "  ".join(f"{name:>{w}}" for (name, _), w in zip(cols, widths, strict=True)))
    for r in rows:
        place = place_name(r["rank"], joint=r["tied"], lang=lang)
        cells = "  ".join(f"{values.get(r['unit'], '—'):>{w}}"
                          for (_, values), w in zip(cols, widths, strict=True))
        lines.append(f"{place:<16} {r['unit']:<{width}}  {cells}".rstrip())
    lines += ["", t["awards"]]
    for award in outcome.awards:
        label = Text(award.tier.label, award.tier.label_en).get(lang)
        lines.append(f"- {label} ({len(award.units)}):")
        if not award.units:
            lines.append(f"    {t['none']}")
        for u in award.units:
            lines.append(f"    {place_name(u.place, joint=u.joint, lang=lang)}: {u.unit}")
        for note in award.notes:
            lines.append(f"    · {Text(*note).get(lang)}")
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
            for reason in r.invalid_reasons:
                lines.append(f"    · {Text(*reason).get(lang)}")
    decided = [r for r in outcome.tie_breaks if r.outcome != "skipped"]
    if decided:
        lines += ["", t["ties"]]
        for r in decided:
            order = " > ".join(" = ".join(g) for g in r.order)
            lines.append(f"- {', '.join(r.units)}: {Text(*rule_labels(r.rule)).get(lang)} → "
                         f"{order}")
    if outcome.pending:
        lines += ["", t["pending"]]
        lines += [f"- {Text(*item).get(lang)}" for item in outcome.pending]
    return "\n".join(lines)
