"""Sub-command of the preparation page: ``prepare``."""

from __future__ import annotations

import argparse

from thidua_rank.cli.base import command

__all__: list[str] = []


def _cmd_prepare(args: argparse.Namespace) -> int:
    from thidua_rank.server.prepare import serve_prepare

    return serve_prepare(args.meeting, port=args.port, meeting_port=args.meeting_port,
                         meeting_host=args.meeting_host, browser=args.browser,
                         say=lambda line: print(line, flush=True))


@command("prepare", "prepare a meeting in the browser: workbook, checks, slips, start / "
                    "chuẩn bị hội nghị: tệp Excel, kiểm tra, in phiếu, bắt đầu")
def _setup_prepare(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", nargs="?", default=None, metavar="WORKBOOK.xlsx|FOLDER",
                   help="a meeting workbook or folder to open (default: none, upload one)")
    p.add_argument("--port", type=int, default=8868,
                   help="port of the preparation page (on 127.0.0.1 only; default 8868)")
    p.add_argument("--meeting-port", type=int, default=8866,
                   help="port the live meeting will use (default 8866)")
    p.add_argument("--meeting-host", default="0.0.0.0",
                   help="address the live meeting listens on (default 0.0.0.0: the room)")
    p.add_argument("--browser", action="store_true", help="open a browser window")
    p.set_defaults(handler=_cmd_prepare)
