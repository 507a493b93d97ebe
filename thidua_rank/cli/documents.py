"""Sub-command ``documents``: the meeting's paper trail as Word and PDF (Decree 30 layout)."""

from __future__ import annotations

import argparse

from thidua_rank.cli.base import command
from thidua_rank.errors import ThiduaRankError


def _cmd_documents(args: argparse.Namespace) -> int:
    import thidua_rank as tr
    from thidua_rank.report.documents import DOCUMENTS, write_documents

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if not formats:
        raise ThiduaRankError("--format trống (docx, pdf)", "--format is empty; use docx,pdf",
                              value=args.format)
    only = [d.strip() for d in args.only.split(",") if d.strip()] if args.only else None
    for stem in only or []:
        if stem not in DOCUMENTS:
            raise ThiduaRankError(f"không có văn bản '{stem}' ({', '.join(DOCUMENTS)})",
                                  f"no document '{stem}'; documents are {list(DOCUMENTS)}",
                                  value=stem)
    for fmt in formats:
        if fmt not in ("docx", "pdf"):
            raise ThiduaRankError(f"định dạng '{fmt}' không được hỗ trợ (docx, pdf)",
                                  f"format '{fmt}' is not supported; use docx and/or pdf",
                                  value=fmt)
    templates = {}
    for item in args.template or []:
        stem, sep, file = item.partition("=")
        if not sep or stem not in DOCUMENTS or not file:
            raise ThiduaRankError(f"--template cần dạng VĂN_BẢN=tệp.docx "
                                  f"({', '.join(DOCUMENTS)}), nhận '{item}'",
                                  f"--template needs DOCUMENT=file.docx "
                                  f"(documents: {list(DOCUMENTS)}), got '{item}'", value=item)
        templates[stem] = file
    outcome = tr.run_meeting(tr.load_meeting(args.folder))
    for path in write_documents(outcome, args.out, formats=formats, documents=only,
                                templates=templates):
        print(f"Đã ghi / written: {path}")
    return 0


@command("documents", "write the meeting's documents (.docx, .pdf) / ghi hồ sơ văn bản hội nghị")
def _setup_documents(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="meeting folder or .xlsx workbook")
    p.add_argument("--out", required=True, help="output folder (created when missing)")
    p.add_argument("--format", default="docx,pdf", help="docx,pdf (default: both)")
    p.add_argument("--only", default=None,
                   help="comma-separated documents: bien-ban-kiem-phieu, bien-ban-hop, "
                        "danh-sach-de-nghi, to-trinh, phieu-bau (default: all)")
    p.add_argument("--template", action="append", metavar="DOCUMENT=FILE.docx",
                   help="fill your own Word template (docxtpl placeholders) for that document's "
                        ".docx; repeatable")
    p.set_defaults(handler=_cmd_documents)


def _cmd_ballots(args: argparse.Namespace) -> int:
    import thidua_rank as tr
    from thidua_rank.io.atomic import atomic_write
    from thidua_rank.report.documents import paper_ballots
    from thidua_rank.report.docx import blocks_docx
    from thidua_rank.report.pdf import blocks_pdf

    suffix = args.out.rsplit(".", 1)[-1].lower() if "." in args.out else ""
    if suffix not in ("docx", "pdf"):
        raise ThiduaRankError(f"tệp ra phải là .docx hoặc .pdf, nhận '{args.out}'",
                              f"the output must be a .docx or .pdf file, got '{args.out}'",
                              value=args.out)
    meeting = tr.load_meeting(args.folder, require_ballots=False)  # ballots come later
    rounds = [args.round] if args.round else None
    if args.round:
        meeting.config.round(args.round)  # an unknown id is a bilingual ConfigError
    blocks = paper_ballots(meeting, rounds=rounds)
    data = blocks_docx(blocks) if suffix == "docx" else blocks_pdf(blocks, title="Phiếu bầu")
    print(f"Đã ghi / written: {atomic_write(args.out, data)}")
    return 0


@command("ballots", "print paper ballots (.docx, .pdf) / in phiếu bầu")
def _setup_ballots(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="meeting folder or .xlsx workbook")
    p.add_argument("out", help="output .docx or .pdf file")
    p.add_argument("--round", default=None, help="round id (default: every round)")
    p.set_defaults(handler=_cmd_ballots)
