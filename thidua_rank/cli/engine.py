"""Sub-commands of the engine: ``methods``, ``rank``, ``meeting``, ``minutes`` and ``export``."""

from __future__ import annotations

import argparse

from thidua_rank.cli.base import command, dump, table

__all__: list[str] = []


def _cmd_methods(args: argparse.Namespace) -> int:
    from thidua_rank.methods import methods

    listing = methods()
    if args.json:
        dump(listing.to_dicts())
        return 0
    name = "name_en" if args.lang == "en" else "name_vi"
    rows = [(r["id"], r[name], r["inputs"], r["complexity"]) for r in listing.to_dicts()]
    print(table(rows, ("id", "tên / name", "đầu vào / input", "độ phức tạp / complexity")))
    return 0


def _cmd_rank(args: argparse.Namespace) -> int:
    from thidua_rank.io.ballots import read_ballots
    from thidua_rank.meeting.pipeline import score_kind
    from thidua_rank.methods import rank
    from thidua_rank.report.text import scale_label
    from thidua_rank.text import format_number

    ballots = read_ballots(args.file, kind=args.kind)
    result = rank(ballots, method=args.method)
    if args.json:
        dump({"method": result.method, "score_kind": score_kind(result.method),
              "valid": ballots.n_ballots,
               "invalid": ballots.n_invalid,
               "invalid_reasons": [b.reason_vi for b in ballots.invalid],
               "ranking": result.to_dicts(),
               "explanations": {u: e[args.lang] for u, e in result.explanations.items()}})
        return 0
    print(f"{args.method}: {ballots.n_ballots} phiếu hợp lệ / valid, "
          f"{ballots.n_invalid} không hợp lệ / invalid")
    rows = [(str(r["rank"]) + ("=" if r["tied"] else ""), r["unit"],
             format_number(r["score"], 2)) for r in result.to_dicts()]
    kind = score_kind(result.method)  # the column names its scale ("Điểm Borda / Borda points")
    print(table(rows, ("hạng / rank", "đơn vị / unit",
                       f"{scale_label(kind)} / {scale_label(kind, 'en')}")))
    for bad in ballots.invalid:
        print(f"  phiếu {bad.ballot}: {bad.reason_vi if args.lang == 'vi' else bad.reason_en}")
    return 0


def _cmd_meeting(args: argparse.Namespace) -> int:
    from thidua_rank.io.load import load_meeting
    from thidua_rank.meeting.pipeline import run_meeting
    from thidua_rank.report.text import outcome_text

    outcome = run_meeting(load_meeting(args.folder))
    if args.json:
        dump(outcome.to_dict())
    else:
        print(outcome_text(outcome, lang=args.lang))
    return 0


@command("methods", "list the ranking methods / liệt kê các phương pháp")
def _setup_methods(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_methods)


@command("rank", "rank one ballots file / xếp hạng từ một tệp phiếu")
def _setup_rank(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="CSV/XLSX wide ballots or PrefLib .soc/.soi/.toc/.toi")
    p.add_argument("--method", "-m", default="borda")
    p.add_argument("--kind", choices=("ranked", "approval", "choose"), default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_rank)


@command("meeting", "run a whole meeting / chạy kết quả cả hội nghị")
def _setup_meeting(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="meeting folder (meeting.toml + data) or .xlsx workbook")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_meeting)


def _cmd_minutes(args: argparse.Namespace) -> int:
    from thidua_rank.io.load import load_meeting
    from thidua_rank.meeting.pipeline import run_meeting
    from thidua_rank.report.docx import write_minutes
    from thidua_rank.report.xlsx import write_outcome_xlsx

    outcome = run_meeting(load_meeting(args.folder))
    writer = write_outcome_xlsx if args.command == "export" else write_minutes
    path = writer(outcome, args.out)
    print(f"Đã ghi / written: {path}")
    return 0


@command("minutes", "write the counting minutes (.docx) / ghi biên bản kiểm phiếu")
def _setup_minutes(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="meeting folder or .xlsx workbook")
    p.add_argument("out", help="output .docx file")
    p.set_defaults(handler=_cmd_minutes)


@command("export", "write the outcome as an Excel workbook / xuất kết quả ra Excel")
def _setup_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="meeting folder or .xlsx workbook")
    p.add_argument("out", help="output .xlsx file")
    p.set_defaults(handler=_cmd_minutes)
