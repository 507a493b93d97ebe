"""Start the live meeting: Voilà on the dashboards, addresses and a QR code for the room.

One laptop serves everything on the local network: the projector, the chair (PIN), the clerks
and the delegates (one-time codes). Each page is its own kernel; delegate pages come from a
pool of preheated kernels filled before the meeting opens (one per unit present), so a room
scanning codes at once gets pages at once instead of queueing behind kernel start-ups.
"""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from thidua_rank.live.session import ENV_BOX, ENV_MEETING
from thidua_rank.live.setup import prepare
from thidua_rank.resources import data_folder

__all__ = ["PAGES", "base_voila_command", "compile_package", "dashboards_dir", "lan_address",
           "page_urls", "prepare", "run_voila", "serve", "shown_host", "voila_command"]

PAGES = ("projector", "chair", "clerk", "delegate")
PAGE_NAMES = {"projector": "Màn chiếu / projector", "chair": "Chủ tọa / chair",
              "clerk": "Thư ký nhập phiếu / clerk", "delegate": "Đại biểu / delegates"}
IDLE_KERNEL_SECONDS = 12 * 3600
# A page taken from a pool is replaced a few seconds later, not at once: replacements started
# during a burst take the laptop's cores from the pages being opened (server side of ten phones
# opening together: 2.6 s with an immediate refill, 0.2 s with this delay). Kept short because
# Voilà hands a request beyond the pool the next entry even while it waits out its delay, and
# such waits chain (with 20 s, the 11th page from a pool of 4 took over a minute). Pools sized
# to the room (one delegate page per unit present) cover the first wave.
REFILL_DELAY_SECONDS = 3.0
IOPUB_TIMEOUT_SECONDS = 60
# Front-end extensions the meeting pages never use (charts are server-rendered images): not
# loading them saves a phone about 0.4 MB of JavaScript per page.
UNUSED_EXTENSIONS = ("anywidget", "jupyterlab_pygments", "@voila-dashboards/jupyterlab-preview")


def dashboards_dir() -> Path:
    """The ``dashboards/meeting/`` folder holding the meeting-room page notebooks.

    Only this folder is served on the room's network: the analyst's dashboard lives beside it
    (``dashboards/analyst/``) and is never reachable from a delegate's phone."""
    return data_folder("dashboards") / "meeting"


def lan_address() -> str:
    """This laptop's address on the meeting-room network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return "127.0.0.1"


def page_urls(host: str, port: int) -> dict[str, str]:
    """Address of every page."""
    return {p: f"http://{host}:{port}/voila/render/{p}.ipynb" for p in PAGES}


def base_voila_command(target: Path, port: int, host: str, *, idle_seconds: int,
                       browser: bool = False) -> list[str]:
    """The Voilà command line every thidua-rank server starts from: *target* (a folder of
    notebooks or one notebook), culling of abandoned kernels, kernels over Unix sockets, a
    patient wait for a page's widgets, no unused front-end extensions."""
    cmd = [sys.executable, "-m", "voila", str(target), f"--port={port}", f"--Voila.ip={host}",
           "--theme=light", f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
           "--MappingKernelManager.cull_interval=600",
           # Unix sockets, not TCP ports: two of the many kernels started at once could pick
           # the same free port, and that kernel's page then never arrives.
           "--KernelManager.transport=ipc",
           # A page's widgets arrive as IOPub output; on a busy laptop they took longer than
           # Voilà's 4 s default, and the page was served empty.
           f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}"]
    cmd += [f"--VoilaConfiguration.extension_denylist={name}" for name in UNUSED_EXTENSIONS]
    if not browser:
        cmd.append("--no-browser")
    return cmd


def shown_host(host: str) -> str:
    """The address to print for *host*: this laptop's network address when listening on all."""
    return lan_address() if host in ("0.0.0.0", "") else host


def run_voila(cmd: list[str], env: dict[str, str]) -> int:
    """Run Voilà until it exits or Ctrl-C stops it; its exit status."""
    proc = subprocess.Popen(cmd, env=env)
    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait()


def voila_command(port: int, host: str, *, delegate_pool: int, preheat: bool = True
                  ) -> list[str]:
    """The Voilà command line for the meeting dashboards."""
    cmd = base_voila_command(dashboards_dir(), port, host, idle_seconds=IDLE_KERNEL_SECONDS)
    if preheat:
        pools = {"default": {"pool_size": 1}, "delegate.ipynb": {"pool_size": delegate_pool},
                 "clerk.ipynb": {"pool_size": 1}}
        cmd += ["--preheat_kernel=True",
                f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
                f"--VoilaKernelManager.fill_delay={REFILL_DELAY_SECONDS:g}"]
    return cmd


def compile_package(folder: Path | None = None) -> bool:
    """Write the bytecode of *folder* (default: this package) once, so that each page's kernel
    imports it instead of compiling every module again (matters when ``PYTHONDONTWRITEBYTECODE``
    is set or the sources are fresh). Returns False when the folder is read-only; nothing else
    changes."""
    import compileall

    try:
        return bool(compileall.compile_dir(folder or Path(__file__).resolve().parent, quiet=2))
    except OSError:
        return False


def serve(meeting: str | Path, *, host: str = "0.0.0.0", port: int = 8866,
          box: str | Path | None = None, pin: str | None = None, clerk_pin: str | None = None,
          delegate_pool: int | None = None, preheat: bool = True,
          say: Callable[[str], None] = lambda line: None) -> int:
    """Prepare the ballot box, tell *say* the addresses (the CLI prints them) and run Voilà
    until interrupted."""
    from thidua_rank.live.slips import write_slips_html

    ready = prepare(meeting, box=box, pins={"chair": pin, "clerk": clerk_pin})
    live, codes = ready.live, dict(ready.codes)
    urls = page_urls(shown_host(host), port)
    say(f"thidua-rank — {live.meeting.config.meeting.bloc}, "
          f"năm {live.meeting.config.meeting.year_reviewed}")
    say(f"Hòm phiếu / ballot box: {live.box.path}")
    for page, url in urls.items():
        say(f"  {PAGE_NAMES[page]:<28} {url}")
    say(f"Mã PIN Chủ tọa / chair's PIN: {ready.pins['chair']}")
    say(f"Mã PIN Thư ký / clerk's PIN: {ready.pins['clerk']}")
    if codes:
        slips = write_slips_html(live, codes, live.box.path.parent / "ma-bo-phieu.html",
                                 base_url=urls["delegate"])
        say(f"Đã phát {len(codes)} mã bỏ phiếu; phiếu in / printable slips: {slips}")
    try:
        import segno

        buf = io.StringIO()
        segno.make(urls["delegate"], error="m").terminal(out=buf, compact=True)
        say("Đại biểu quét mã này / delegates scan this:\n" + buf.getvalue())
    except Exception:  # the addresses above are enough
        pass
    env = {**os.environ, ENV_MEETING: str(Path(meeting).resolve()),
           ENV_BOX: str(live.box.path.resolve())}
    pool = delegate_pool if delegate_pool is not None else max(len(live.meeting.present), 1)
    live.box.close()
    compile_package()
    return run_voila(voila_command(port, host, delegate_pool=pool, preheat=preheat), env)
