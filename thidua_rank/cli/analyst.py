"""Sub-command of the analyst's dashboard: ``analyst``."""

from __future__ import annotations

import argparse

from thidua_rank.cli.base import command

__all__: list[str] = []


def _cmd_analyst(args: argparse.Namespace) -> int:
    from thidua_rank.server.analyst import serve_analyst

    return serve_analyst(args.folders, host=args.host, port=args.port, browser=args.browser,
                         say=lambda line: print(line, flush=True))


@command("analyst", "compare methods and test robustness in the browser / "
                    "trang phân tích: so sánh phương pháp, độ ổn định")
def _setup_analyst(p: argparse.ArgumentParser) -> None:
    p.add_argument("folders", nargs="*", metavar="FOLDER",
                   help="meeting folders or .xlsx workbooks to offer "
                        "(default: the bundled sample meetings)")
    p.add_argument("--port", type=int, default=8867)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only)")
    p.add_argument("--browser", action="store_true", help="open a browser window")
    p.set_defaults(handler=_cmd_analyst)
