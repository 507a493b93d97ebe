"""Command line: ``thidua-rank rank | meeting | methods | serve | …``.

Each feature area registers its sub-commands with :func:`thidua_rank.cli.base.command` in its
own module, imported here in the order ``--help`` lists them. Bad input prints a clear message
(Vietnamese and English) on stderr and exits with status 2; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from thidua_rank.cli import analyst as _analyst  # noqa: F401  (analyst)
from thidua_rank.cli import charts as _charts  # noqa: F401  (charts)
from thidua_rank.cli import data as _data  # noqa: F401  (template, synth)
from thidua_rank.cli import documents as _documents  # noqa: F401  (documents)
from thidua_rank.cli import engine as _engine  # noqa: F401  (methods, rank, meeting, …)
from thidua_rank.cli import live as _live  # noqa: F401  (serve, codes, verify)
from thidua_rank.cli import prepare as _prepare  # noqa: F401  (prepare)
from thidua_rank.cli import samples as _samples  # noqa: F401  (sample)
from thidua_rank.cli.base import COMMANDS
from thidua_rank.errors import ThiduaRankError

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thidua-rank",
        description="Bỏ phiếu và xếp hạng thi đua cho khối / cụm thi đua — voting and ranking "
                    "for Vietnamese emulation blocs.")
    parser.add_argument("--lang", choices=("vi", "en"), default="vi",
                        help="language of messages and tables (default: vi)")
    subs = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, setup) in COMMANDS.items():
        sub = subs.add_parser(name, help=help_text)
        sub.add_argument("--lang", choices=("vi", "en"), default=argparse.SUPPRESS)
        setup(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``thidua-rank`` console script."""
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except ThiduaRankError as err:
        sys.stderr.write(f"Lỗi / Error: {err}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
