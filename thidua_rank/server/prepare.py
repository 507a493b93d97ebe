"""Start the preparation page (``thidua-rank prepare``) and, from it, the live meeting.

The page runs in Voilà's single-notebook mode on ``dashboards/prepare/prepare.ipynb``, bound to
127.0.0.1 only: it writes files and starts a server, and it has no PIN. What the command was
given reaches the page's kernel through the environment (:data:`ENV_PATH`, :data:`ENV_CWD`,
:data:`ENV_MEETING_PORT`).

The page's "start" button calls :class:`ProcessLauncher`: it runs ``thidua-rank serve FOLDER``
as a detached process (its own session, so closing the page or stopping ``prepare`` leaves
the meeting running), its terminal output in ``.thidua/serve.log``, and waits until the server
answers. ``serve`` holds the meeting's lock (:func:`thidua_rank.server.meeting.lock_meeting`)
for as long as it runs; the launcher reads that lock to find a server already running, so a
second click shows it instead of starting another.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from thidua_rank.errors import InputError, ThiduaRankError
from thidua_rank.live.ballot_box import box_path
from thidua_rank.resources import data_folder
from thidua_rank.server.meeting import lock_path, log_path, page_urls
from thidua_rank.server.voila import KernelPolicy, run_voila, shown_host
from thidua_rank.server.voila import voila_command as base_voila_command
from thidua_rank.ui.prepare import ENV_CWD, ENV_PATH, MeetingServer, PreparePage

__all__ = ["ENV_MEETING_HOST", "ENV_MEETING_PORT", "PREPARE_KERNELS", "ProcessLauncher",
           "prepare_env", "prepare_notebook", "prepare_page", "prepare_url", "serve_prepare",
           "server_pid", "voila_command"]

ENV_MEETING_PORT = "THIDUA_PREPARE_MEETING_PORT"
ENV_MEETING_HOST = "THIDUA_PREPARE_MEETING_HOST"
PREPARE_HOST = "127.0.0.1"
# One clerk on this computer; a tab closed for this long loses its kernel.
PREPARE_KERNELS = KernelPolicy(unconnected_seconds=4 * 3600)
START_TIMEOUT_SECONDS = 90.0
SERVE_MAIN = "from thidua_rank.cli import main; raise SystemExit(main())"
"""The ``thidua-rank`` console script, run by the same Python as this page's kernel."""


def prepare_notebook() -> Path:
    """The ``dashboards/prepare/prepare.ipynb`` notebook (never served by ``serve``)."""
    return data_folder("dashboards") / "prepare" / "prepare.ipynb"


def prepare_url(port: int) -> str:
    """The page's address (this computer only).

    >>> prepare_url(8868)
    'http://127.0.0.1:8868/'
    """
    return f"http://{PREPARE_HOST}:{port}/"


def voila_command(port: int = 8868, *, browser: bool = False) -> list[str]:
    """The Voilà command line serving the preparation page alone, on 127.0.0.1.

    >>> cmd = voila_command(8868)
    >>> cmd[3].endswith("prepare.ipynb"), "--Voila.ip=127.0.0.1" in cmd
    (True, True)
    """
    return base_voila_command(prepare_notebook(), port, PREPARE_HOST, kernels=PREPARE_KERNELS,
                              browser=browser)


def prepare_env(path: str | Path | None, *, meeting_port: int = 8866,
                meeting_host: str = "0.0.0.0", environ: Mapping[str, str] | None = None
                ) -> dict[str, str]:
    """The environment of the page's kernel: *environ* (default: this process's) plus the
    workbook or folder to open (absolute), the current folder and the meeting's port. A path
    that does not exist is refused before anything starts."""
    env = dict(os.environ if environ is None else environ)
    env[ENV_PATH] = ""
    if path is not None and str(path).strip():
        target = Path(path).expanduser()
        if not target.exists():
            raise InputError("không tìm thấy tệp hoặc thư mục hội nghị",
                             "meeting workbook or folder not found", file=str(path))
        env[ENV_PATH] = str(target.resolve())
    env[ENV_CWD] = str(Path.cwd())
    env[ENV_MEETING_PORT] = str(meeting_port)
    env[ENV_MEETING_HOST] = meeting_host
    return env


def server_pid(folder: str | Path) -> int | None:
    """The process serving the meeting *folder* (holding its lock), or ``None``.

    >>> import tempfile
    >>> server_pid(tempfile.mkdtemp()) is None
    True
    """
    path = lock_path(box_path(folder))
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            return int(text) if text.isdigit() else -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class ProcessLauncher:
    """Starts ``thidua-rank serve FOLDER`` detached and finds one already running.

    Parameters
    ----------
    host, port
        Where the meeting listens (default: every address of this laptop, port 8866).
    timeout
        Seconds to wait for the server to answer before giving up (with its log's path).
    """

    def __init__(self, *, host: str = "0.0.0.0", port: int = 8866,
                 timeout: float = START_TIMEOUT_SECONDS) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ProcessLauncher:
        """The launcher for the port and host ``thidua-rank prepare`` was given."""
        env = os.environ if environ is None else environ
        return cls(host=env.get(ENV_MEETING_HOST) or "0.0.0.0",
                   port=int(env.get(ENV_MEETING_PORT) or 8866))

    def urls(self) -> dict[str, str]:
        """Every meeting page's address as the room sees it."""
        return page_urls(shown_host(self.host), self.port)

    def delegate_url(self) -> str:
        return self.urls()["delegate"]

    def command(self, folder: str | Path) -> list[str]:
        """The ``serve`` command line for *folder*.

        >>> ProcessLauncher(port=8899).command("/m")[3:]
        ['serve', '/m', '--host', '0.0.0.0', '--port', '8899']
        """
        return [sys.executable, "-c", SERVE_MAIN, "serve", str(folder), "--host", self.host,
                "--port", str(self.port)]

    def _server(self, folder: Path, pid: int, *, started_now: bool,
                command: list[str] | None = None) -> MeetingServer:
        pins_file = box_path(folder).parent / "pins.json"
        pins = (json.loads(pins_file.read_text(encoding="utf-8")) if pins_file.exists()
                else {})
        return MeetingServer(folder=folder, pid=pid, urls=self.urls(),
                             pins={k: str(v) for k, v in pins.items()},
                             log=box_path(folder).parent / "serve.log", started_now=started_now,
                             command=tuple(command or ()))

    def running(self, folder: Path) -> MeetingServer | None:
        pid = server_pid(folder)
        return None if pid is None else self._server(folder, pid, started_now=False)

    def start(self, folder: Path) -> MeetingServer:
        folder = Path(folder).resolve()
        found = self.running(folder)
        if found is not None:
            return found
        if _answers(self.port):
            raise ThiduaRankError(
                f"cổng {self.port} đang được một chương trình khác dùng; dừng chương trình đó "
                "hoặc chọn cổng khác (thidua-rank prepare --meeting-port …)",
                f"port {self.port} is used by another program; stop it or choose another port "
                "(thidua-rank prepare --meeting-port …)", value=self.port)
        log = box_path(folder).parent / "serve.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        cmd = self.command(folder)
        env = {k: v for k, v in os.environ.items()
               if k not in (ENV_PATH, ENV_CWD, ENV_MEETING_PORT, ENV_MEETING_HOST)}
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        finally:
            os.close(out)
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            status = proc.poll()
            if status is not None:
                tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()
                raise ThiduaRankError(
                    f"máy chủ hội nghị dừng ngay (mã {status}); xem nhật ký",
                    f"the meeting server stopped at once (status {status}); see the log",
                    file=str(log), value=tail[-1] if tail else None)
            if server_pid(folder) is not None and _answers(self.port):
                return self._server(folder, proc.pid, started_now=True, command=cmd)
            time.sleep(0.2)
        raise ThiduaRankError(
            f"máy chủ hội nghị chưa trả lời sau {self.timeout:g} giây; xem nhật ký "
            f"{log_path(box_path(folder))}",
            f"the meeting server did not answer within {self.timeout:g} s; see the log "
            f"{log_path(box_path(folder))}", file=str(log))


def prepare_page(environ: Mapping[str, str] | None = None) -> PreparePage:
    """The page the notebook shows: what the command was given, and a process launcher."""
    return PreparePage.from_env(ProcessLauncher.from_env(environ), environ)


def serve_prepare(path: str | Path | None = None, *, port: int = 8868,
                  meeting_port: int = 8866, meeting_host: str = "0.0.0.0",
                  browser: bool = False, say: Callable[[str], None] = lambda line: None) -> int:
    """Run Voilà on the preparation page (127.0.0.1 only) until interrupted; *say* gets the
    address (the CLI prints it)."""
    env = prepare_env(path, meeting_port=meeting_port, meeting_host=meeting_host)
    say(f"Trang chuẩn bị hội nghị / meeting preparation page: {prepare_url(port)}")
    say("Chỉ mở được trên máy này. — Open on this computer only.  Ctrl-C để dừng / to stop")
    return run_voila(voila_command(port, browser=browser), env)
