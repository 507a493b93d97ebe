"""Sub-commands of the live meeting: ``serve``, ``codes`` and ``verify``."""

from __future__ import annotations

import argparse
import sys

from thidua_rank.cli.base import command

__all__: list[str] = []


def _cmd_serve(args: argparse.Namespace) -> int:
    from thidua_rank.server.meeting import serve

    return serve(args.meeting, host=args.host, port=args.port, box=args.box, pin=args.pin,
                 delegate_pool=args.delegate_pool, preheat=not args.no_preheat,
                 say=lambda line: print(line, flush=True))


@command("serve", "run the live meeting dashboards / chạy hội nghị bỏ phiếu trực tiếp")
def _setup_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--box", help="ballot box file (default <meeting>/.thidua/ballot-box.sqlite)")
    p.add_argument("--pin", help="chair's PIN (default: keep, or a new random one)")
    p.add_argument("--delegate-pool", type=int, default=None,
                   help="preheated delegate pages (default: one per unit present)")
    p.add_argument("--no-preheat", action="store_true", help="start kernels on demand")
    p.set_defaults(handler=_cmd_serve)


def _cmd_codes(args: argparse.Namespace) -> int:
    from thidua_rank.live.session import LiveMeeting
    from thidua_rank.live.slips import write_slips_html, write_slips_pdf
    from thidua_rank.server.meeting import lan_address, page_urls

    live = LiveMeeting(args.meeting, args.box)
    base = args.base_url or page_urls(lan_address(), args.port)["delegate"]
    if args.pdf:  # fail on a missing font before any code is issued
        from thidua_rank.fonts import find_font

        if find_font() is None:
            write_slips_pdf(live, {}, args.pdf)
    codes = live.box.issue_codes(live.meeting.present, replace=args.replace)
    written = []
    if args.pdf:
        written.append(write_slips_pdf(live, codes, args.pdf, base_url=base))
    html_out = args.html or live.box.path.parent / "ma-bo-phieu.html"
    written.append(write_slips_html(live, codes, html_out, base_url=base))
    if args.show:
        for unit, code in codes.items():
            print(f"{code}  {unit}")
    print(f"Đã phát {len(codes)} mã / issued {len(codes)} codes; "
          f"phiếu in / slips: {', '.join(map(str, written))}")
    return 0


@command("codes", "issue one-time voting codes and print slips / phát mã bỏ phiếu")
def _setup_codes(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    p.add_argument("--pdf", help="write cut-out slips as PDF")
    p.add_argument("--html", help="write slips as HTML "
                   "(default <meeting>/.thidua/ma-bo-phieu.html)")
    p.add_argument("--box", help="ballot box file")
    p.add_argument("--replace", action="store_true",
                   help="replace codes already issued (only before anyone has voted)")
    p.add_argument("--base-url", help="delegate page address for the QR links")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--show", action="store_true", help="also print the codes")
    p.set_defaults(handler=_cmd_codes)


def _cmd_verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from thidua_rank.live.ballot_box import BallotBox, box_path

    path = Path(args.box) if args.box else box_path(args.meeting)
    if not path.exists():
        print(f"Lỗi / Error: không có hòm phiếu / no ballot box: {path}", file=sys.stderr)
        return 2
    report = BallotBox(path).verify()
    for round_id, receipts in report.receipts.items():
        print(f"Vòng / round {round_id}: {len(receipts)} phiếu / ballots")
        for receipt in receipts:
            print(f"  {receipt}")
    print(f"Mã cuối chuỗi / chain head: {report.chain_head}")
    if report.ok:
        print("Toàn vẹn / intact: OK")
        return 0
    for problem in report.problems:
        print(f"LỖI / PROBLEM: {problem}")
    return 1


@command("verify", "check the ballot box and list receipts / kiểm tra hòm phiếu")
def _setup_verify(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    p.add_argument("--box", help="ballot box file")
    p.set_defaults(handler=_cmd_verify)
