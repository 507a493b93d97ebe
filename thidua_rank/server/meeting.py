"""Start the live meeting: Voilà on the dashboards, addresses and a QR code for the room.

One laptop serves everything on the local network: the projector, the chair (PIN), the clerks
and the delegates (one-time codes). Each page is its own kernel; delegate pages come from a
pool of preheated kernels filled before the meeting opens (one per unit present), so a room
scanning codes at once gets pages at once instead of queueing behind kernel start-ups.

The room's network is not trusted with the laptop's memory: each page kind holds a limited
number of kernels (:func:`meeting_kernels`), and a page whose browser never connected, or went
away, loses its kernel after :data:`UNCONNECTED_PAGE_SECONDS`. One meeting is served by one
process: :func:`lock_meeting` holds a lock beside the ballot box while ``serve`` runs.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
from collections.abc import Callable
from pathlib import Path

from thidua_rank.errors import ThiduaRankError
from thidua_rank.live.ballot_box import box_path
from thidua_rank.live.session import ENV_BOX, ENV_MEETING
from thidua_rank.live.setup import prepare
from thidua_rank.resources import data_folder
from thidua_rank.server.voila import (
    KernelPolicy,
    compile_package,
    lan_address,
    run_voila,
    shown_host,
)
from thidua_rank.server.voila import voila_command as base_voila_command

__all__ = ["PAGES", "PAGE_LIMITS", "UNCONNECTED_PAGE_SECONDS", "dashboards_dir", "lan_address",
           "lock_meeting", "lock_path", "log_path", "meeting_kernels", "page_urls", "serve",
           "voila_command"]

PAGES = ("projector", "chair", "clerk", "delegate")
PAGE_NAMES = {"projector": "Màn chiếu / projector", "chair": "Chủ tọa / chair",
              "clerk": "Thư ký nhập phiếu / clerk", "delegate": "Đại biểu / delegates"}
# A page whose browser never connected, or went away (a closed tab, a phone asleep), loses its
# kernel after this; reopening the page gives a new one. Connected pages are never stopped.
UNCONNECTED_PAGE_SECONDS = 300
# Kernels in use per page kind, beyond the preheated pools (a projector, a chair with a spare
# screen, two clerks entering twice, reloads while an old kernel waits to be stopped). A flood
# of requests beyond this cannot take the laptop's memory: the oldest page with no browser for
# ADMIT_GRACE_SECONDS makes room, or the request is refused (HTTP 503).
PAGE_LIMITS = {"projector.ipynb": 4, "chair.ipynb": 3, "clerk.ipynb": 4}
DELEGATE_SPARE_PAGES = 5  # delegate pages in use beyond one per unit present
ADMIT_GRACE_SECONDS = 30
# A page taken from a pool is replaced a few seconds later, not at once: replacements started
# during a burst take the laptop's cores from the pages being opened (server side of ten phones
# opening together: 2.6 s with an immediate refill, 0.2 s with this delay). Kept short because
# Voilà hands a request beyond the pool the next entry even while it waits out its delay, and
# such waits chain (with 20 s, the 11th page from a pool of 4 took over a minute). Pools sized
# to the room (one delegate page per unit present) cover the first wave.
REFILL_DELAY_SECONDS = 3.0


def dashboards_dir() -> Path:
    """The ``dashboards/meeting/`` folder holding the meeting-room page notebooks.

    Only this folder is served on the room's network: the analyst's dashboard lives beside it
    (``dashboards/analyst/``) and is never reachable from a delegate's phone."""
    return data_folder("dashboards") / "meeting"


def page_urls(host: str, port: int) -> dict[str, str]:
    """Address of every page.

    >>> page_urls("10.0.0.2", 8866)["chair"]
    'http://10.0.0.2:8866/voila/render/chair.ipynb'
    """
    return {p: f"http://{host}:{port}/voila/render/{p}.ipynb" for p in PAGES}


def meeting_kernels(present: int, *, unconnected_seconds: int = UNCONNECTED_PAGE_SECONDS
                    ) -> KernelPolicy:
    """The kernel policy of a meeting with *present* units present.

    >>> dict(meeting_kernels(9).page_limits)["delegate.ipynb"]
    14
    """
    limits = {**PAGE_LIMITS, "delegate.ipynb": max(present, 1) + DELEGATE_SPARE_PAGES,
              "*": 1}
    return KernelPolicy(unconnected_seconds, limits, admit_grace_seconds=ADMIT_GRACE_SECONDS)


def voila_command(port: int, host: str, *, delegate_pool: int, preheat: bool = True,
                  kernels: KernelPolicy | None = None) -> list[str]:
    """The Voilà command line for the meeting dashboards (kernels: :func:`meeting_kernels`
    for a room the size of the delegate pool unless given)."""
    extra: list[str] = []
    if preheat:
        pools = {"default": {"pool_size": 1}, "delegate.ipynb": {"pool_size": delegate_pool},
                 "clerk.ipynb": {"pool_size": 1}}
        extra = ["--preheat_kernel=True",
                 f"--VoilaKernelManager.kernel_pools_config={json.dumps(pools)}",
                 f"--VoilaKernelManager.fill_delay={REFILL_DELAY_SECONDS:g}"]
    return base_voila_command(dashboards_dir(), port, host,
                              kernels=kernels or meeting_kernels(delegate_pool), extra=extra)


def lock_path(box: str | Path) -> Path:
    """The lock file of the ballot box *box* (beside it).

    >>> lock_path("m/.thidua/ballot-box.sqlite").as_posix()
    'm/.thidua/ballot-box.sqlite.lock'
    """
    box = Path(box)
    return box.with_name(box.name + ".lock")


def lock_meeting(box: str | Path) -> int:
    """Hold the lock of the ballot box *box* for this process; the open file descriptor.

    The lock is ``flock``: the system releases it when the process ends, so a crashed server
    leaves no stale lock; the file holds the pid of the holder, for the message a second
    ``serve`` prints. Raises :class:`~thidua_rank.errors.ThiduaRankError` when another process
    holds it.
    """
    path = lock_path(box)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
        os.close(fd)
        raise ThiduaRankError(
            f"cuộc họp này đang được phục vụ bởi tiến trình {holder}; dừng tiến trình đó "
            "(Ctrl-C trong cửa sổ của nó) trước khi chạy lại",
            f"this meeting is already being served by process {holder}; stop that process "
            "(Ctrl-C in its window) before serving it again", file=str(path)) from None
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    return fd


def serve(meeting: str | Path, *, host: str = "0.0.0.0", port: int = 8866,
          box: str | Path | None = None, pin: str | None = None, clerk_pin: str | None = None,
          delegate_pool: int | None = None, preheat: bool = True,
          unconnected_seconds: int = UNCONNECTED_PAGE_SECONDS,
          say: Callable[[str], None] = lambda line: None) -> int:
    """Take the meeting's lock, prepare the ballot box, tell *say* the addresses (the CLI
    prints them) and run Voilà until interrupted. A meeting another process serves is refused
    (:class:`~thidua_rank.errors.ThiduaRankError`) before anything changes."""
    lock = lock_meeting(box if box is not None else box_path(meeting))
    try:
        return _serve_locked(meeting, lock, host=host, port=port, box=box, pin=pin,
                             clerk_pin=clerk_pin, delegate_pool=delegate_pool, preheat=preheat,
                             unconnected_seconds=unconnected_seconds, say=say)
    finally:
        os.close(lock)


def _serve_locked(meeting: str | Path, lock: int, *, host: str, port: int,
                  box: str | Path | None, pin: str | None, clerk_pin: str | None,
                  delegate_pool: int | None, preheat: bool, unconnected_seconds: int,
                  say: Callable[[str], None]) -> int:
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
    slips = live.box.path.parent / "ma-bo-phieu.html"
    if codes:
        slips = write_slips_html(live, codes, slips, base_url=urls["delegate"])
        say(f"Đã phát {len(codes)} mã bỏ phiếu; phiếu in / printable slips: {slips}")
    elif slips.exists():  # a restart: the codes issued before still hold
        say(f"Phiếu in mã bỏ phiếu / printable slips: {slips}")
    try:
        import segno

        buf = io.StringIO()
        segno.make(urls["delegate"], error="m").terminal(out=buf, compact=True)
        say("Đại biểu quét mã này / delegates scan this:\n" + buf.getvalue())
    except Exception:  # the addresses above are enough
        pass
    env = {**os.environ, ENV_MEETING: str(Path(meeting).resolve()),
           ENV_BOX: str(live.box.path.resolve())}
    present = len(live.meeting.present)
    pool = delegate_pool if delegate_pool is not None else max(present, 1)
    live.box.close()
    compile_package()
    kernels = meeting_kernels(max(present, pool), unconnected_seconds=unconnected_seconds)
    cmd = voila_command(port, host, delegate_pool=pool, preheat=preheat, kernels=kernels)
    log = log_path(live.box.path)
    say(f"Nhật ký máy chủ / server log: {log}  —  Ctrl-C để dừng / to stop")
    status = run_voila(cmd, env, keep_fds=(lock,), log=log)
    if status not in (0, -2, -15, 130, 143):  # not stopped by Ctrl-C or SIGTERM
        say(f"Máy chủ đã dừng (mã {status}); xem nhật ký / the server stopped (status "
            f"{status}); see the log: {log}")
    return status


def log_path(box: str | Path) -> Path:
    """The file beside the ballot box *box* that receives Voilà's own output.

    >>> log_path("m/.thidua/ballot-box.sqlite").as_posix()
    'm/.thidua/voila.log'
    """
    return Path(box).with_name("voila.log")
