"""Sub-commands for meeting data: ``thidua-rank template`` and ``thidua-rank synth``.

``template OUT.xlsx [--meeting FOLDER]`` writes the meeting workbook (filled from a meeting
folder, ``meeting.toml`` or workbook; empty without ``--meeting``); ``synth OUT`` writes a
synthetic meeting folder. Both check everything before writing and never leave a half-written
file; an existing output is only replaced with ``--force``.
"""

from __future__ import annotations

import argparse
import dataclasses

from thidua_rank.cli.base import command

__all__: list[str] = []


def _cmd_template(args: argparse.Namespace) -> int:
    from thidua_rank.io.template import write_template

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
    from thidua_rank.synth import SynthOptions, synth_meeting

    options = SynthOptions(**{f.name: getattr(args, f.name)
                              for f in dataclasses.fields(SynthOptions) if f.metadata})
    made = synth_meeting(args.out, options, overwrite=args.force)
    print(f"Đã ghi / written: {made.path} (phi = {made.phi:.4f})")
    return 0


@command("synth", "write a synthetic meeting folder / tạo hội nghị giả lập")
def _setup_synth(p: argparse.ArgumentParser) -> None:
    from thidua_rank.synth import SynthOptions

    p.add_argument("out", help="the meeting folder to create")
    for f in dataclasses.fields(SynthOptions):  # the options are declared once, there
        if f.metadata:
            p.add_argument(f"--{f.name.replace('_', '-')}", type=f.metadata["type"],
                           default=f.default, metavar=f.metadata["metavar"],
                           help=f.metadata["help"])
    p.add_argument("--force", action="store_true", help="write into a non-empty folder")
    p.set_defaults(handler=_cmd_synth)
