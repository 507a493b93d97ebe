"""Command line: ``thidua-rank rank | meeting | methods | …``.

Bad input prints a clear message (Vietnamese and English) on stderr and exits with status 2;
nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from thidua_rank.errors import ThiduaRankError

__all__ = ["main"]

Handler = Callable[[argparse.Namespace], int]


def _json_default(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
    sys.stdout.write("\n")


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


def _cmd_methods(args: argparse.Namespace) -> int:
    from thidua_rank.registry import methods

    table = methods()
    if args.json:
        _dump(table.to_dicts())
        return 0
    name = "name_en" if args.lang == "en" else "name_vi"
    rows = [(r["id"], r[name], r["inputs"], r["complexity"]) for r in table.to_dicts()]
    print(_table(rows, ("id", "tên / name", "đầu vào / input", "độ phức tạp / complexity")))
    return 0


def _cmd_rank(args: argparse.Namespace) -> int:
    from thidua_rank.io import read_ballots
    from thidua_rank.registry import rank
    from thidua_rank.text import format_number

    ballots = read_ballots(args.file, kind=args.kind)
    result = rank(ballots, method=args.method)
    if args.json:
        _dump({"method": result.method, "valid": ballots.n_ballots,
               "invalid": ballots.n_invalid,
               "invalid_reasons": [b.reason_vi for b in ballots.invalid],
               "ranking": result.to_dicts(),
               "explanations": {u: e[args.lang] for u, e in result.explanations.items()}})
        return 0
    print(f"{args.method}: {ballots.n_ballots} phiếu hợp lệ / valid, "
          f"{ballots.n_invalid} không hợp lệ / invalid")
    rows = [(str(r["rank"]) + ("=" if r["tied"] else ""), r["unit"],
             format_number(r["score"], 2)) for r in result.to_dicts()]
    print(_table(rows, ("hạng", "đơn vị", "điểm")))
    for bad in ballots.invalid:
        print(f"  phiếu {bad.ballot}: {bad.reason_vi if args.lang == 'vi' else bad.reason_en}")
    return 0


def _cmd_meeting(args: argparse.Namespace) -> int:
    from thidua_rank.io import load_meeting
    from thidua_rank.report import outcome_text
    from thidua_rank.run import run_meeting

    outcome = run_meeting(load_meeting(args.folder))
    if args.json:
        _dump(outcome.to_dict())
    else:
        print(outcome_text(outcome, lang=args.lang))
    return 0


COMMANDS: dict[str, tuple[str, Handler, Callable[[argparse.ArgumentParser], None]]] = {}


def command(name: str, help: str) -> Callable[[Callable[[argparse.ArgumentParser], None]],
                                              Callable[[argparse.ArgumentParser], None]]:
    """Register a sub-command: the decorated function adds its arguments and sets a handler."""

    def wrap(setup: Callable[[argparse.ArgumentParser], None]
             ) -> Callable[[argparse.ArgumentParser], None]:
        COMMANDS[name] = (help, lambda a: a.handler(a), setup)
        return setup

    return wrap


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
    from thidua_rank.exports import write_minutes, write_outcome_xlsx
    from thidua_rank.io import load_meeting
    from thidua_rank.run import run_meeting

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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thidua-rank",
        description="Bỏ phiếu và xếp hạng thi đua cho khối / cụm thi đua — voting and ranking "
                    "for Vietnamese emulation blocs.")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi",
                        help="language of messages and tables (default: vi)")
    subs = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, _, setup) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text)
        sub.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS)
        setup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``thidua-rank`` console script."""
    from thidua_rank import commands as _extra  # noqa: F401  (registers further sub-commands)

    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ThiduaRankError as err:
        sys.stderr.write(f"Lỗi / Error: {err}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
