"""``thidua-rank sample NAME DIR``: copy a sample meeting that ships with the package.

An installed wheel carries the sample meetings inside the package; this command puts one where
a person can open, edit and serve it (``thidua-rank serve DIR``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from thidua_rank.cli.base import command
from thidua_rank.errors import InputError
from thidua_rank.io.atomic import atomic_write_folder
from thidua_rank.resources import sample_meetings

__all__ = ["copy_sample"]

# What a served or checked-out sample may hold that is not part of the sample.
NOT_COPIED = (".thidua", "__pycache__", ".ipynb_checkpoints")


def copy_sample(name: str, target: str | Path, *, force: bool = False) -> Path:
    """Copy the bundled sample meeting *name* into the folder *target*; the folder.

    *target* may not exist yet or be empty; with *force* files already there are kept and
    those of the sample are written over them. A ballot box is never copied.

    >>> import tempfile
    >>> folder = copy_sample("ninh-binh-co-quan-dang-2022", Path(tempfile.mkdtemp()) / "m")
    >>> (folder / "meeting.toml").exists(), (folder / ".thidua").exists()
    (True, False)
    >>> copy_sample("ha-noi", folder)
    Traceback (most recent call last):
    ...
    thidua_rank.errors.InputError: không có cuộc họp mẫu này; ...
    """
    samples = {p.name: p for p in sample_meetings()}
    if name not in samples:
        names = ", ".join(samples) or "—"
        raise InputError(f"không có cuộc họp mẫu này; các mẫu có: {names}",
                         f"no such sample meeting; the samples are: {names}", value=name)
    source = samples[name]
    files = {path.relative_to(source).as_posix(): path.read_bytes()
             for path in sorted(source.rglob("*"))
             if path.is_file() and not set(path.relative_to(source).parts) & set(NOT_COPIED)}
    return atomic_write_folder(target, files, overwrite=force)


def _cmd_sample(args: argparse.Namespace) -> int:
    folder = copy_sample(args.name, args.dir, force=args.force)
    print(f"Đã chép cuộc họp mẫu / copied the sample meeting {args.name} → {folder}")
    print(f"Chạy / run: thidua-rank serve {folder}")
    return 0


@command("sample", "copy a bundled sample meeting into a folder / chép một cuộc họp mẫu")
def _setup_sample(p: argparse.ArgumentParser) -> None:
    p.add_argument("name", help="sample meeting, e.g. ninh-binh-co-quan-dang-2022 "
                   "(an unknown name lists them)")
    p.add_argument("dir", help="folder to create (must be empty unless --force)")
    p.add_argument("--force", action="store_true",
                   help="copy into a folder that already holds files (theirs are overwritten)")
    p.set_defaults(handler=_cmd_sample)
