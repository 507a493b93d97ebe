"""A province's own Word template, filled with the meeting's facts (docxtpl / Jinja2).

:func:`template_context` holds what a template may print, with Vietnamese placeholder names;
:func:`render_template` fills a ``.docx`` template with it. Placeholders are written
``{{ khoi }}``, loops ``{% for v in vong %}…{% endfor %}`` (``{%tr … %}`` for a table row, as
docxtpl documents). A misspelt placeholder is an error naming it, never an empty space; text is
escaped, so a unit named "Sở KH&ĐT" prints as written. Facts the meeting did not record are the
dotted blank ``……………``.

Placeholders
------------
``khoi`` bloc · ``tinh`` province · ``ngay`` dd/mm/yyyy · ``ngay_chu`` "ngày 09 tháng 12 năm 2022"
· ``dia_danh_ngay`` the place-and-date line · ``tieu_de`` the meeting's title · ``nam`` year
reviewed · ``nam_nhiem_ky`` term year · ``dia_diem`` venue · ``chu_tri`` chair · ``dong_chu_tri``
co-chairs (list) · ``thu_ky`` secretary · ``khach_moi`` guests (list) · ``ban_kiem_phieu`` counting
committee (list) · ``so_thanh_vien``, ``so_co_mat``, ``vang`` (list) · ``vong`` rounds, each with
``ten``, ``phat_ra``, ``thu_ve``, ``hop_le``, ``khong_hop_le``, ``ly_do`` (list), ``bang`` (the
round's table: ``tieu_de`` header, ``dong`` rows) · ``khen_thuong`` tiers, each with ``ten``,
``noi_dung`` (the meeting's wording), ``so_don_vi``, ``don_vi`` (rows with ``ten``, ``xep_hang``,
``diem`` – a dict from score name to value) · ``truong_khoi``, ``pho_truong_khoi`` (list),
``chuc_danh_truong_khoi`` / ``chuc_danh_pho_truong_khoi`` the offices as the bloc names them
("Trưởng khối" or "Khối trưởng"), ``chua_bau`` (seats left unfilled, sentences) · ``ma_chuoi`` the
ballot box's chain head of a live meeting ("" otherwise) · ``khoi_van_ban`` the blocks of the
bundled document (``kind``, ``text``, ``header``, ``rows``).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from thidua_rank.errors import ThiduaRankError
from thidua_rank.meeting.elections import elections
from thidua_rank.meeting.pipeline import MeetingOutcome
from thidua_rank.report.layout import BLANK, Block, day_phrase, place_date
from thidua_rank.report.minutes import (
    LiveRecord,
    _place,
    counting_minutes,
    score_columns,
)
from thidua_rank.text import format_date, place_name

__all__ = ["render_template", "template_context"]


def _round_tables(blocks: list[Block]) -> dict[str, dict[str, Any]]:
    """The first table after each round heading of the counting minutes, by heading text."""
    tables: dict[str, dict[str, Any]] = {}
    heading = None
    for b in blocks:
        if b.kind == "heading":
            heading = b.text.split(". ", 1)[-1]
        elif b.kind == "table" and heading is not None and heading not in tables:
            tables[heading] = {"tieu_de": list(b.header), "dong": [list(r) for r in b.rows]}
    return tables


def template_context(outcome: MeetingOutcome, record: LiveRecord | None = None,
                     blocks: list[Block] | None = None) -> dict[str, Any]:
    """The facts a Word template may print (see the module's placeholder list).

    Parameters
    ----------
    outcome
        The result of :func:`thidua_rank.run_meeting`.
    record
        For a live meeting: the ballot box's chain head.
    blocks
        The bundled document's blocks, offered as ``khoi_van_ban`` (default: the counting
        minutes).

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import sample_meetings
    >>> folder = {p.name: p for p in sample_meetings()}["gia-lai-so-nganh-tong-hop-2023"]
    >>> ctx = template_context(tr.run_meeting(tr.load_meeting(folder)))
    >>> ctx["ngay"], ctx["dia_danh_ngay"], ctx["pho_truong_khoi"]
    ('……………', 'Gia Lai, ngày …… tháng …… năm ……', ['Văn phòng UBND tỉnh'])
    >>> ctx["vong"][1]["bang"]["dong"][1][-1]
    'trúng cử'
    """
    info = outcome.meeting.config.meeting
    minutes = counting_minutes(outcome, record)
    blocks = minutes if blocks is None else blocks
    tables = _round_tables(minutes)
    cols = score_columns(outcome)
    lead = outcome.leadership
    last = {e.decides: e for e in elections(outcome)}  # each office's last round (re-votes)
    unfilled = [e.unfilled_text() for e in last.values() if e.unfilled]
    return {
        "khoi": info.bloc,
        "tinh": _place(info) or BLANK,
        "ngay": format_date(info.meeting_date) if info.meeting_date else BLANK,
        "ngay_chu": day_phrase(info.meeting_date),
        "dia_danh_ngay": place_date(_place(info), info.meeting_date),
        "tieu_de": info.title or BLANK,
        "nam": info.year_reviewed,
        "nam_nhiem_ky": info.term_year,
        "dia_diem": info.venue or BLANK,
        "chu_tri": info.chair or BLANK,
        "dong_chu_tri": list(info.co_chairs),
        "chuc_danh_truong_khoi": info.head_title,
        "chuc_danh_pho_truong_khoi": info.deputy_title,
        "thu_ky": info.secretary or BLANK,
        "khach_moi": list(info.guests),
        "ban_kiem_phieu": list(info.counting_committee),
        "so_thanh_vien": len(outcome.meeting.members),
        "so_co_mat": len(outcome.meeting.present),
        "vang": [m.name for m in outcome.meeting.members if not m.present],
        "vong": [{"ten": c.title, "phat_ra": c.issued, "thu_ve": c.returned,
                  "hop_le": c.valid, "khong_hop_le": c.invalid,
                  "ly_do": [vi for vi, _ in c.invalid_reasons],
                  "bang": tables.get(c.title, {"tieu_de": [], "dong": []})}
                 for c in outcome.rounds],
        "khen_thuong": [{"ten": a.tier.label, "noi_dung": a.tier.wording or a.tier.label,
                         "so_don_vi": f"{len(a.units):02d}",
                         "don_vi": [{"ten": u.unit,
                                     "xep_hang": place_name(u.place, joint=u.joint),
                                     "diem": {name: values.get(u.unit, "—")
                                              for name, values in cols}}
                                    for u in a.units]} for a in outcome.awards],
        "truong_khoi": lead.head or BLANK,
        "pho_truong_khoi": list(lead.deputies),
        "chua_bau": unfilled,
        "ma_chuoi": record.chain_head if record is not None else "",
        "khoi_van_ban": [{"kind": b.kind, "text": b.text, "header": list(b.header),
                          "rows": [list(r) for r in b.rows]} for b in blocks],
    }


def render_template(template: str | Path | bytes, context: dict[str, Any]) -> bytes:
    """Fill a docxtpl Word template with *context*.

    Parameters
    ----------
    template
        The ``.docx`` template (path or bytes).
    context
        Usually :func:`template_context`.

    Returns
    -------
    bytes
        The filled .docx document.

    Raises
    ------
    ThiduaRankError
        The template is missing or not a Word file, has a Jinja2 syntax error, or names a
        placeholder that *context* does not hold.

    Examples
    --------
    >>> from docx import Document
    >>> doc = Document()
    >>> _ = doc.add_paragraph("{{ khoi }} — {{ dia_danh_ngay }}")
    >>> buffer = io.BytesIO(); doc.save(buffer)
    >>> out = render_template(buffer.getvalue(), {"khoi": "Khối A & B",
    ...                                          "dia_danh_ngay": "Nam Định, ngày 28 tháng 12"})
    >>> Document(io.BytesIO(out)).paragraphs[0].text
    'Khối A & B — Nam Định, ngày 28 tháng 12'
    """
    import zipfile

    import jinja2
    from docxtpl import DocxTemplate

    name = "<bytes>" if isinstance(template, bytes) else str(template)
    if not isinstance(template, bytes) and not Path(template).is_file():
        raise ThiduaRankError(f"không tìm thấy mẫu Word '{name}'",
                              f"Word template '{name}' not found", file=name)
    try:
        tpl = DocxTemplate(io.BytesIO(template) if isinstance(template, bytes) else template)
        tpl.render(context, jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True),
                   autoescape=True)
    except jinja2.UndefinedError as err:
        raise ThiduaRankError(f"mẫu Word dùng trường không có: {err.message}",
                              f"the Word template uses an unknown placeholder: {err.message}",
                              file=name) from err
    except jinja2.TemplateSyntaxError as err:
        raise ThiduaRankError(f"mẫu Word sai cú pháp (dòng {err.lineno}): {err.message}",
                              f"the Word template has a syntax error (line {err.lineno}): "
                              f"{err.message}", file=name) from err
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:  # not a .docx file
        raise ThiduaRankError(f"'{name}' không phải tệp Word (.docx)",
                              f"'{name}' is not a Word (.docx) file: {err}", file=name) from err
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()
