"""What ``thidua-rank analyst`` tells the page's kernel through the environment: the meeting
folders to offer (:data:`ENV_FOLDERS`, paths joined with :data:`os.pathsep`) and the folder the
command was started in (:data:`ENV_CWD`; a path typed on the page is relative to it, not to the
notebook's folder where the kernel runs).

The server (:mod:`thidua_rank.server.analyst`) writes these variables and the page reads them,
so they live here, below both.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ENV_CWD", "ENV_FOLDERS", "base_from_env", "folders_from_env"]

ENV_FOLDERS = "THIDUA_ANALYST_FOLDERS"
ENV_CWD = "THIDUA_ANALYST_CWD"


def folders_from_env(environ: Mapping[str, str] | None = None) -> list[Path]:
    """The meeting folders the command line passed to the page (empty when none were given).

    >>> [str(p) for p in folders_from_env({ENV_FOLDERS: os.pathsep.join(["/m/a", "/m/b"])})]
    ['/m/a', '/m/b']
    >>> folders_from_env({})
    []
    """
    value = (os.environ if environ is None else environ).get(ENV_FOLDERS, "")
    return [Path(p) for p in value.split(os.pathsep) if p.strip()]


def base_from_env(environ: Mapping[str, str] | None = None) -> Path:
    """The folder relative paths typed on the page start from (default: the current one).

    >>> str(base_from_env({ENV_CWD: "/home/chuyen-vien"}))
    '/home/chuyen-vien'
    """
    value = (os.environ if environ is None else environ).get(ENV_CWD, "")
    return Path(value) if value else Path.cwd()
