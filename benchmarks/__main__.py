"""``python -m benchmarks [--only NAME ...] [--quick] [--out BENCHMARKS.md]``.

Runs every registered suite (or those named with ``--only``), prints each table, and writes
each suite's section of the output file in place (other suites' sections are kept).
Exit status 0 when every check passed (targets missed are reported, not failed: timings are
evidence, not a gate), 1 when ours and the reference disagreed on a result, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import SUITES, load_suite
from benchmarks.common import (
    ResultMismatch,
    command_line,
    machine_info,
    render_section,
    write_section,
)

ROOT = Path(__file__).resolve().parent.parent


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run the benchmark suites and write their results to a markdown file.")
    parser.add_argument("--only", action="append", choices=sorted(SUITES), metavar="NAME",
                        help=f"run only this suite (repeatable); one of {', '.join(SUITES)}")
    parser.add_argument("--quick", action="store_true",
                        help="tiny sizes: a smoke run of a few seconds, targets not evaluated")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="markdown file to update (default: BENCHMARKS.md at the repo root)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(args_list)
    names = [n for n in SUITES if n in args.only] if args.only else list(SUITES)
    command = command_line(args_list)
    machine = machine_info(ROOT)
    missed: list[str] = []
    for name in names:
        suite = load_suite(name)
        print(f"== {name}: {suite.TITLE}", flush=True)
        try:
            rows = suite.run(args.quick)
        except ResultMismatch as err:
            print(f"!! {name}: results disagree, nothing written: {err}", file=sys.stderr)
            return 1
        section = render_section(name, suite.TITLE, rows, command=command, machine=machine,
                                 quick=args.quick, notes=getattr(suite, "NOTES", ""))
        write_section(args.out, name, section)
        print(section, flush=True)
        missed += [f"{name}: {r.case} {r.setting} (target {r.target})"
                   for r in rows if r.met is False]
    print(f"\nwritten: {args.out}")
    if missed:
        print("targets missed:\n  " + "\n  ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
