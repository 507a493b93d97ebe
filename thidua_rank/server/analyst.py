"""Start the analyst's dashboard: Voilà on ``dashboards/analyst/analyst.ipynb`` alone.

The analyst page reads meeting folders (never a ballot box) and has no PIN, so it listens on
this computer only unless asked otherwise. It is not part of the meeting: ``thidua-rank serve``
serves ``dashboards/meeting/`` and nothing else, and this module serves one notebook in Voilà's
single-notebook mode. The meeting folders reach the page's kernel through the environment
variable :data:`ENV_FOLDERS` (paths joined with :data:`os.pathsep`), and the folder the command
was started in through :data:`ENV_CWD` (a path typed on the page is relative to it, not to the
notebook's folder where the kernel runs).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from thidua_rank.errors import InputError
from thidua_rank.resources import data_folder, sample_meetings
from thidua_rank.server.voila import KernelPolicy, run_voila, shown_host
from thidua_rank.server.voila import voila_command as base_voila_command
from thidua_rank.ui.analyst.env import ENV_CWD, ENV_FOLDERS, base_from_env, folders_from_env

__all__ = ["ANALYST_KERNELS", "ENV_CWD", "ENV_FOLDERS", "analyst_env", "analyst_notebook",
           "analyst_url", "base_from_env", "folders_from_env", "sample_meetings",
           "serve_analyst", "voila_command"]

# One person on this computer: no limit on tabs; a tab closed (or a laptop asleep) for this long
# loses its kernel (about 130 MiB). An open tab keeps its kernel however long it sits.
ANALYST_KERNELS = KernelPolicy(unconnected_seconds=4 * 3600)


def analyst_notebook() -> Path:
    """The ``dashboards/analyst/analyst.ipynb`` notebook (beside, never inside, the meeting
    dashboards that ``thidua-rank serve`` exposes)."""
    return data_folder("dashboards") / "analyst" / "analyst.ipynb"


def analyst_env(folders: Sequence[str | Path], environ: Mapping[str, str] | None = None
                ) -> dict[str, str]:
    """The environment for Voilà: *environ* (default: this process's) plus the folders as
    absolute paths and the current folder. A folder that does not exist is refused before
    anything starts."""
    paths = []
    for folder in folders:
        path = Path(folder).expanduser()
        if not path.exists():
            raise InputError("không tìm thấy thư mục cuộc họp", "meeting folder not found",
                             file=str(folder))
        paths.append(str(path.resolve()))
    env = dict(os.environ if environ is None else environ)
    env[ENV_FOLDERS] = os.pathsep.join(paths)
    env[ENV_CWD] = str(Path.cwd())
    return env


def analyst_url(host: str, port: int) -> str:
    """The page's address (Voilà serves a single notebook at the root).

    >>> analyst_url("127.0.0.1", 8867)
    'http://127.0.0.1:8867/'
    """
    return f"http://{host}:{port}/"


def voila_command(port: int = 8867, host: str = "127.0.0.1", *, browser: bool = False
                  ) -> list[str]:
    """The Voilà command line serving the analyst notebook alone (single-notebook mode).

    >>> cmd = voila_command(8867, "127.0.0.1")
    >>> cmd[3].endswith("analyst.ipynb"), "--no-browser" in cmd, "--Voila.ip=127.0.0.1" in cmd
    (True, True, True)
    """
    return base_voila_command(analyst_notebook(), port, host, kernels=ANALYST_KERNELS,
                              browser=browser)


def serve_analyst(folders: Sequence[str | Path], *, host: str = "127.0.0.1", port: int = 8867,
                  browser: bool = False, say: Callable[[str], None] = lambda line: None) -> int:
    """Run Voilà on the analyst page until interrupted; *say* gets the address (the CLI
    prints it). With no folders the page offers the bundled sample meetings."""
    say(f"Trang phân tích / analyst dashboard: {analyst_url(shown_host(host), port)}")
    if host not in ("127.0.0.1", "localhost", "::1"):
        say("Chú ý: trang phân tích không có mã PIN; ai trong mạng cũng mở được. — "
            "Note: the analyst page has no PIN; anyone on this network can open it.")
    return run_voila(voila_command(port, host, browser=browser), analyst_env(folders))
