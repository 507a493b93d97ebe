"""Sub-commands for meeting data: ``thidua-rank template`` and ``thidua-rank synth``.

``template OUT.xlsx [--meeting FOLDER]`` writes the meeting workbook (filled from a meeting
folder, ``meeting.toml`` or workbook; empty without ``--meeting``); ``synth OUT`` writes a
synthetic meeting folder. Both check everything before writing and never leave a half-written
file; an existing output is only replaced with ``--force``.
"""

from __future__ import annotations

import argparse

from thidua_rank.cli.base import command

__all__: list[str] = []


def _cmd_template(args: argparse.Namespace) -> int:
    from thidua_rank.io.workbook import write_template

    path = write_template(args.meeting, args.out, units=args.units, year=args.year,
                          overwrite=args.force)
    print(f"Đã ghi / written: {path}")
    return 0


@command("template", "write the meeting workbook (.xlsx) / ghi tệp Excel nhập liệu hội nghị")
def _setup_template(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="the .xlsx file to write")
    p.add_argument("--meeting", "--from", dest="meeting", default=None, metavar="MEETING",
                   help="meeting folder, meeting.toml or workbook to fill the template from "
                        "(default: an empty template)")
    p.add_argument("--units", type=int, default=10,
                   help="placeholder units of an empty template (default: 10)")
    p.add_argument("--year", type=int, default=None,
                   help="year reviewed of an empty template (default: the current review year)")
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(handler=_cmd_template)


def _cmd_synth(args: argparse.Namespace) -> int:
    from thidua_rank.synth import synth_meeting

    made = synth_meeting(args.out, units=args.units, voters=args.voters, seed=args.seed,
                         noise=args.noise, phi=args.phi, bloc=args.bloc,
                         invalid_rate=args.invalid_rate, year=args.year, overwrite=args.force)
    print(f"Đã ghi / written: {made.path} (phi = {made.phi:.4f})")
    return 0


@command("synth", "write a synthetic meeting folder / tạo hội nghị giả lập")
def _setup_synth(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="the meeting folder to create")
    p.add_argument("--units", type=int, default=12, help="member units (default: 12)")
    p.add_argument("--voters", type=int, default=None,
                   help="ballots per round (default: one per unit)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--noise", type=float, default=0.3,
                   help="voter disagreement in [0, 1]: 0 = all ballots follow the hidden "
                        "quality order, 1 = random (default: 0.3)")
    p.add_argument("--phi", type=float, default=None,
                   help="the Mallows dispersion itself, in [0, 1] (overrides --noise)")
    p.add_argument("--bloc", type=int, default=None, metavar="K",
                   help="a voting bloc of K units that rank each other first")
    p.add_argument("--invalid-rate", type=float, default=0.0,
                   help="share of ballots marked invalid by the counting committee")
    p.add_argument("--year", type=int, default=2024, help="year reviewed (default: 2024)")
    p.add_argument("--force", action="store_true", help="write into a non-empty folder")
    p.set_defaults(handler=_cmd_synth)
