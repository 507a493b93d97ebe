"""Sub-commands of the live meeting: ``serve``, ``codes`` and ``verify``."""

from __future__ import annotations

import argparse
from pathlib import Path

from thidua_rank.cli.base import command

__all__: list[str] = []


def _cmd_serve(args: argparse.Namespace) -> int:
    from thidua_rank.errors import InputError
    from thidua_rank.server.meeting import UNCONNECTED_PAGE_SECONDS, serve

    if not Path(args.meeting).exists():  # a mistyped name: say so before anything else
        raise InputError("không tìm thấy thư mục hội nghị", "meeting folder not found",
                         file=str(args.meeting))
    return serve(args.meeting, host=args.host, port=args.port, box=args.box, pin=args.pin,
                 clerk_pin=args.clerk_pin,
                 delegate_pool=args.delegate_pool, preheat=not args.no_preheat,
                 unconnected_seconds=args.cull_after or UNCONNECTED_PAGE_SECONDS,
                 say=lambda line: print(line, flush=True))


@command("serve", "run the live meeting dashboards / chạy hội nghị bỏ phiếu trực tiếp")
def _setup_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    p.add_argument("--host", default="0.0.0.0", help="address to listen on (default 0.0.0.0)")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--box", help="ballot box file (default <meeting>/.thidua/ballot-box.sqlite)")
    p.add_argument("--pin", help="chair's PIN (default: keep, or a new random one)")
    p.add_argument("--clerk-pin", help="clerk's PIN (default: keep, or a new random one)")
    p.add_argument("--delegate-pool", type=int, default=None,
                   help="preheated delegate pages (default: one per unit present)")
    p.add_argument("--no-preheat", action="store_true", help="start kernels on demand")
    p.add_argument("--cull-after", type=int, default=None, metavar="SECONDS",
                   help="stop a page's kernel this long after its browser went away, or if it "
                   "never connected (default 300)")
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
    codes = live.box.issue_codes(live.meeting.present, actor=live.box.operator(),
                                 replace=args.replace)
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


def _existing_box(args: argparse.Namespace) -> Path:
    """The meeting's ballot box file; a clear error when there is none."""
    from thidua_rank.errors import InputError
    from thidua_rank.live.ballot_box import box_path

    if args.box is None and not Path(args.meeting).exists():
        raise InputError("không tìm thấy thư mục hội nghị", "meeting folder not found",
                         file=str(args.meeting))
    path = Path(args.box) if args.box else box_path(args.meeting)
    if not path.exists():
        raise InputError("chưa có hòm phiếu (hội nghị chưa chạy trực tiếp)",
                         "no ballot box yet (the meeting has not been run live)",
                         file=str(path))
    return path


def _cmd_verify(args: argparse.Namespace) -> int:
    from thidua_rank.live.ballot_box import BallotBox

    report = BallotBox(_existing_box(args)).verify(args.head)
    for round_id, receipts in report.receipts.items():
        print(f"Vòng / round {round_id}: {len(receipts)} phiếu / ballots")
        for receipt in receipts:
            print(f"  {receipt}")
    for head in report.heads:
        print(f"Mã chuỗi đã công bố / chain head shown: {head}")
    print(f"Mã cuối chuỗi / chain head: {report.chain_head}")
    if report.ok:
        print("Toàn vẹn / intact: OK" + (f" (dẫn tới / leads to {args.head})" if args.head
                                        else ""))
        return 0
    for problem in report.problems:
        print(f"LỖI / PROBLEM: {problem}")
    return 1


@command("verify", "check the ballot box and list receipts / kiểm tra hòm phiếu")
def _setup_verify(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    p.add_argument("--box", help="ballot box file")
    p.add_argument("--head", help="a chain head printed in the minutes or shown on the "
                   "projector (e.g. 3F7A-91C2-0B4D-EE10): fail unless the record leads to it")
    p.set_defaults(handler=_cmd_verify)


STATE_NAMES = {"draft": "chưa mở / not opened", "open": "đang mở / open",
               "closed": "đã đóng / closed", "revealed": "đã công bố / revealed"}


def _cmd_status(args: argparse.Namespace) -> int:
    from thidua_rank.cli.base import dump, table
    from thidua_rank.live.session import LiveMeeting

    path = _existing_box(args)
    live = LiveMeeting(args.meeting, path, register=False)
    rows = live.status()
    head = live.box.chain_head()
    if args.json:
        dump({"rounds": rows, "chain_head": head})
        return 0
    print(table([(r["title"], STATE_NAMES[r["state"]], r["issued"], r["paper_out"],
                  r["returned"], r["valid"], r["invalid"]) for r in rows],
                ("vòng / round", "trạng thái / state", "phát ra / issued",
                 "phiếu giấy / paper out", "thu về / returned", "hợp lệ / valid",
                 "không hợp lệ / invalid")))
    print(f"Mã cuối chuỗi / chain head: {head}")
    return 0


@command("status", "rounds, turnout and the chain head of a live meeting / "
                   "tình hình các vòng bỏ phiếu")
def _setup_status(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    p.add_argument("--box", help="ballot box file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_cmd_status)


def _cmd_pin(args: argparse.Namespace) -> int:
    from thidua_rank.live.ballot_box import BallotBox
    from thidua_rank.live.setup import set_pin

    box = BallotBox(_existing_box(args))
    role = "chair" if args.chair else "clerk"
    pin = set_pin(box, role, args.value)
    name = "Chủ tọa / chair" if role == "chair" else "Thư ký / clerk"
    print(f"Mã PIN mới của {name}: {pin}")
    print("Các trang đang mở phải nhập lại mã PIN. — Open pages must enter the PIN again.")
    return 0


@command("pin", "set a new PIN for the chair's or the clerk's page / đặt mã PIN mới")
def _setup_pin(p: argparse.ArgumentParser) -> None:
    p.add_argument("meeting", help="meeting folder or .xlsx workbook")
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--chair", action="store_true", help="the chair's page")
    who.add_argument("--clerk", action="store_true", help="the clerk's page")
    p.add_argument("--value", help="the new PIN (default: six random digits)")
    p.add_argument("--box", help="ballot box file")
    p.set_defaults(handler=_cmd_pin)
