"""The one way the package writes files: whole, or not at all.

A file is written to a temporary file beside the target, flushed to disk and renamed over the
target, so a failure (or a kill) never leaves a half-written file. Files are private (mode
0600: minutes, exports and slips name units and votes) unless the caller asks otherwise. A
folder of files is built in a temporary sibling folder and renamed into place.

>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "a" / "b.txt"
>>> atomic_write(target, b"xin chao").read_bytes()
b'xin chao'
>>> oct(target.stat().st_mode & 0o777)
'0o600'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from thidua_rank.errors import InputError

__all__ = ["atomic_write", "atomic_write_folder"]


def atomic_write(path: str | Path, data: bytes, *, mode: int = 0o600) -> Path:
    """Write *data* to *path* through a temporary file and an atomic rename.

    Parameters
    ----------
    path
        The file to write; missing parent folders are created.
    data
        The whole content.
    mode
        Permission bits of the written file (default 0600: only the owner reads it).

    Returns
    -------
    pathlib.Path
        The written file.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode != 0o600:  # mkstemp already made it 0600
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def atomic_write_folder(target: str | Path, files: Mapping[str, bytes], *,
                        overwrite: bool = False, mode: int = 0o644) -> Path:
    """Write a folder of *files* (relative name → bytes) at once.

    The files are written into a temporary sibling folder that is then renamed to *target*, so
    the folder appears complete or not at all. An existing non-empty folder is an error unless
    *overwrite*; it is then updated file by file, each file atomically. Files get *mode*
    (default 0644: a meeting folder is ordinary data to share).

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "m"
    >>> sorted(p.name for p in atomic_write_folder(out, {"a.csv": b"x", "b/c.csv": b"y"}
    ...                                            ).rglob("*"))
    ['a.csv', 'b', 'c.csv']
    >>> atomic_write_folder(out, {"a.csv": b"z"})
    Traceback (most recent call last):
    ...
    thidua_rank.errors.InputError: ...m: thư mục đích đã có dữ liệu (dùng --force để ghi đè) — the output folder is not empty (use --force to overwrite)
    """  # noqa: E501
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise InputError("đích đã tồn tại và không phải thư mục",
                         "the output exists and is not a folder", file=str(target))
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            raise InputError("thư mục đích đã có dữ liệu (dùng --force để ghi đè)",
                             "the output folder is not empty (use --force to overwrite)",
                             file=str(target))
        for name, data in files.items():
            atomic_write(target / name, data, mode=mode)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; the folder itself is ordinary
        for name, data in files.items():
            atomic_write(tmp / name, data, mode=mode)
        if target.is_dir():
            target.rmdir()  # empty: replace it
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target
