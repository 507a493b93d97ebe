"""The one Voilà launcher both servers start from: command line, kernel lifetime, run loop.

The meeting room (:mod:`thidua_rank.server.meeting`) and the analyst's page
(:mod:`thidua_rank.server.analyst`) each describe their kernels with a :class:`KernelPolicy`
constant and call :func:`voila_command` and :func:`run_voila`. Voilà itself runs as
``python -m thidua_rank.server.voila_app`` (Voilà plus the kernel limits and the page template
without a CDN, see :mod:`thidua_rank.server.voila_app`); this module never imports Voilà.
"""

from __future__ import annotations

import compileall
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["IOPUB_TIMEOUT_SECONDS", "TEMPLATE", "UNUSED_EXTENSIONS", "KernelPolicy",
           "compile_package", "lan_address", "run_voila", "shown_host", "voila_command"]

IOPUB_TIMEOUT_SECONDS = 60
# Front-end extensions no page uses (charts are server-rendered images): not loading them saves
# a phone about 0.4 MB of JavaScript per page.
UNUSED_EXTENSIONS = ("anywidget", "jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview")
TEMPLATE = "thidua-rank"  # Voilà's "lab" template without the Font Awesome CDN links
APP_MODULE = "thidua_rank.server.voila_app"


@dataclass(frozen=True)
class KernelPolicy:
    """How long a page's kernel lives and how many a page kind may hold.

    Parameters
    ----------
    unconnected_seconds
        A kernel whose page never connected its websocket, or disconnected, is stopped after
        this long. A connected page is never stopped; kernels preheated in Voilà's pool wait.
    page_limits
        Most kernels in use per notebook (path relative to the served folder; ``"*"`` for any
        other notebook); empty: no limit.
    admit_grace_seconds
        When a page kind is at its limit, one of its kernels unconnected this long is stopped
        to make room for a new page; with none, the request gets HTTP 503 and ``Retry-After``.

    >>> policy = KernelPolicy(300, {"chair.ipynb": 3})
    >>> policy.cull_interval_seconds
    30
    >>> "--RoomKernelManager.unconnected_seconds=300" in policy.options()
    True
    """

    unconnected_seconds: int
    page_limits: Mapping[str, int] = field(default_factory=dict)
    admit_grace_seconds: int = 30

    @property
    def cull_interval_seconds(self) -> int:
        """How often Voilà looks for kernels to stop (a tenth of the lifetime, 2–60 s)."""
        return max(2, min(60, self.unconnected_seconds // 10))

    def options(self) -> list[str]:
        """The Voilà options that apply this policy."""
        return [
            f"--VoilaConfiguration.multi_kernel_manager_class={APP_MODULE}.RoomKernelManager",
            f"--RoomKernelManager.unconnected_seconds={self.unconnected_seconds}",
            f"--RoomKernelManager.admit_grace_seconds={self.admit_grace_seconds}",
            f"--RoomKernelManager.page_limits={json.dumps(dict(self.page_limits))}",
            # Jupyter's own culler (idle and unconnected) is what calls the check above; it
            # runs only with a positive timeout.
            f"--MappingKernelManager.cull_idle_timeout={self.unconnected_seconds}",
            f"--MappingKernelManager.cull_interval={self.cull_interval_seconds}",
            "--MappingKernelManager.cull_connected=False",
        ]


def voila_command(target: Path, port: int, host: str, *, kernels: KernelPolicy,
                  browser: bool = False, extra: Sequence[str] = ()) -> list[str]:
    """The Voilà command line every thidua-rank server starts from.

    *target* is a folder of notebooks (each served at ``/voila/render/<name>.ipynb``) or one
    notebook (served at ``/``); *kernels* their lifetime; *extra* the server's own options.

    >>> cmd = voila_command(Path("/srv/pages"), 8866, "0.0.0.0", kernels=KernelPolicy(300))
    >>> cmd[1:4], "--template=thidua-rank" in cmd, "--no-browser" in cmd
    (['-m', 'thidua_rank.server.voila_app', '/srv/pages'], True, True)
    """
    cmd = [sys.executable, "-m", APP_MODULE, str(target), f"--port={port}",
           f"--Voila.ip={host}", "--theme=light", f"--template={TEMPLATE}",
           "--VoilaConfiguration.allow_template_override=NO",
           "--VoilaConfiguration.allow_theme_override=NO",
           # Unix sockets, not TCP ports: two of the many kernels started at once could pick
           # the same free port, and that kernel's page then never arrives.
           "--KernelManager.transport=ipc",
           # A page's widgets arrive as IOPub output; on a busy laptop they took longer than
           # Voilà's 4 s default, and the page was served empty.
           f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
           *kernels.options()]
    cmd += [f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS]
    cmd += list(extra)
    if not browser:
        cmd.append("--no-browser")
    return cmd


def lan_address() -> str:
    """This laptop's address on the meeting-room network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def shown_host(host: str) -> str:
    """The address to print for *host*: this laptop's network address when listening on all.

    >>> shown_host("127.0.0.1")
    '127.0.0.1'
    """
    return lan_address() if host in ("0.0.0.0", "") else host


def run_voila(cmd: list[str], env: Mapping[str, str], *, keep_fds: Sequence[int] = (),
              log: Path | None = None) -> int:
    """Run Voilà until it exits, or Ctrl-C or SIGTERM stops it (Voilà then stops its kernels);
    its exit status. *keep_fds* stay open in Voilà (the meeting's lock, so that it lasts as
    long as the server does). With *log*, everything Voilà and its kernels print (requests,
    "not trusted" and deprecation warnings) is appended to that file (mode 0600) instead of
    the terminal."""
    out = None  # a descriptor Voilà inherits as its stdout and stderr (like the lock file)
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        proc = subprocess.Popen(cmd, env=dict(env), pass_fds=tuple(keep_fds), stdout=out,
                                stderr=subprocess.STDOUT if out is not None else None,
                                stdin=subprocess.DEVNULL if out is not None else None)
    finally:
        if out is not None:
            os.close(out)  # the child holds its own copy
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: proc.terminate())
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def compile_package(folder: Path | None = None) -> bool:
    """Write the bytecode of *folder* (default: this package) once, so that each page's kernel
    imports it instead of compiling every module again (matters when ``PYTHONDONTWRITEBYTECODE``
    is set or the sources are fresh). Returns False when the folder is read-only; nothing else
    changes."""
    try:
        return bool(compileall.compile_dir(folder or Path(__file__).resolve().parents[1],
                                           quiet=2))
    except OSError:
        return False
