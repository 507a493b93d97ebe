"""What runs inside the Voilà process: Voilà with a limit on kernels and a page with no CDN.

:mod:`thidua_rank.server.voila` starts ``python -m thidua_rank.server.voila_app`` with Voilà's
own command-line options; this module is the only one of the package that imports Voilà, and
only that process imports it. It changes three things:

- **Kernels per page kind** (:class:`RoomKernelManager`). Every GET of a page costs a kernel
  (40–250 MB). A page kind listed in ``page_limits`` keeps at most that many kernels in use
  (preheated kernels waiting in Voilà's pool are not counted). When a kind is full, a kernel of
  that kind whose browser went away (a reload, a closed tab), or that no browser connected to
  within ``admit_grace_seconds``, is stopped to make room; when none is, the request gets
  ``503`` with a bilingual page and ``Retry-After``.
- **Culling by connection**: a kernel outside the pool whose page never connected its websocket,
  or disconnected, is stopped after ``unconnected_seconds`` even if it keeps sending updates
  (a projector page polls the ballot box, so "idle" alone would never cull it). A connected page
  is never culled.
- **No request leaves the laptop**: the ``thidua-rank`` template (under ``jupyter/`` beside this
  module, put first on ``JUPYTER_PATH``) is Voilà's ``lab`` template without the Font Awesome
  stylesheets it links from a CDN.
"""

from __future__ import annotations

import asyncio
import os
import posixpath
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Dict, Integer
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

__all__ = ["JUPYTER_DATA", "RoomKernelManager", "RoomVoila", "RoomVoilaHandler", "main"]

JUPYTER_DATA = Path(__file__).resolve().parent / "jupyter"
RENDER_PREFIX = "/voila/render/"
ANY_PAGE = "*"

BUSY_PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Đang bận / Busy</title></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 2em auto; line-height: 1.5">
<p class="tr-busy">Trang này đang mở ở quá nhiều nơi. Hãy đóng các thẻ cũ và thử lại sau
{seconds} giây.</p>
<p class="tr-busy">This page is open in too many places. Close old tabs and try again in
{seconds} seconds.</p>
</body></html>
"""


def page_key(path: str) -> str:
    """The page kind a notebook path names (``./chair.ipynb`` and ``chair.ipynb`` are one).

    >>> page_key("./chair.ipynb"), page_key("/voila/render/a/../chair.ipynb")
    ('chair.ipynb', 'chair.ipynb')
    """
    if path.startswith(RENDER_PREFIX):
        path = path[len(RENDER_PREFIX):]
    return posixpath.normpath(path.lstrip("/"))


class RoomKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager with a limit per page kind and culling by connection.

    Voilà builds its pooling manager on top of this class
    (``--VoilaConfiguration.multi_kernel_manager_class``); kernels in its pool are never
    counted, evicted or culled here.
    """

    page_limits = Dict(
        {}, config=True,
        help="Most kernels in use per page (notebook path; '*' for any other page).")
    unconnected_seconds = Integer(
        300, config=True,
        help="Stop a kernel whose page has had no websocket connection for this long.")
    admit_grace_seconds = Integer(
        30, config=True,
        help="When a page kind is full, a kernel unconnected this long may make room.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._unconnected_since: dict[str, float] = {}
        self._requested: dict[str, str] = {}
        self._connected_once: set[str] = set()  # kernels a browser has connected to
        # Per page, the pool entries taken by requests being served (for a request outside
        # the pool, a future that start_kernel resolves).
        self._in_flight: dict[str, list[asyncio.Future[Any]]] = {}

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        kernel_id = str(await super().start_kernel(*args, **kwargs))
        script = (kwargs.get("env") or {}).get("SCRIPT_NAME", "")
        if script:  # a kernel started for a request outside the pool: now counted as in use
            page = page_key(script)
            self._requested[kernel_id] = page
            waiting = [f for f in self._in_flight.get(page, [])
                       if not f.done() and not isinstance(f, asyncio.Task)]  # not the pool's
            if waiting:
                waiting[0].set_result(kernel_id)
        return kernel_id

    def notify_connect(self, kernel_id: str) -> None:
        self._connected_once.add(kernel_id)
        super().notify_connect(kernel_id)

    def _pooled(self) -> set[str]:
        """Kernels waiting in Voilà's pool (``_pools`` of its pooling subclass)."""
        ids = set()
        for pool in getattr(self, "_pools", {}).values():
            for task in pool:
                if task.done() and not task.cancelled() and task.exception() is None:
                    ids.add(task.result()["kernel_id"])
        return ids

    def page_of(self, kernel_id: str) -> str | None:
        """The page a kernel serves, or ``None`` when unknown."""
        for name, data in getattr(self, "notebook_data", {}).items():
            if kernel_id in data.get("kernel_ids", ()):
                return page_key(name)
        return self._requested.get(kernel_id)

    def _observe(self, now: float) -> set[str]:
        """Note since when each kernel outside the pool has had no connection; the pooled."""
        pooled = self._pooled()
        alive = set(self._kernels)
        for kernel_id in list(self._unconnected_since):
            if kernel_id not in alive:
                del self._unconnected_since[kernel_id]
        for kernel_id in list(self._requested):
            if kernel_id not in alive:
                del self._requested[kernel_id]
        self._connected_once &= alive
        for kernel_id in alive:
            if kernel_id in pooled or self._kernel_connections.get(kernel_id, 0) > 0:
                self._unconnected_since.pop(kernel_id, None)
            else:
                self._unconnected_since.setdefault(kernel_id, now)
        return pooled

    def in_use(self, page: str) -> list[str]:
        """Kernels serving *page* outside the pool."""
        pooled = self._pooled()
        return [k for k in self._kernels if k not in pooled and self.page_of(k) == page]

    def limit_of(self, page: str) -> int | None:
        limit = self.page_limits.get(page, self.page_limits.get(ANY_PAGE))
        return None if limit is None else int(limit)

    def _starting(self, page: str) -> int:
        """Admitted requests for *page* whose kernel has not started yet."""
        return sum(1 for entry in self._in_flight.get(page, []) if not entry.done())

    async def admit(self, page: str) -> Callable[[], None] | None:
        """Let a request for *page* take a kernel, stopping an abandoned one of that page to
        make room; ``None`` when the page kind is full. The caller calls what is returned once
        the page is served (a kernel still starting is counted until then)."""
        page = page_key(page)
        limit = self.limit_of(page)
        if limit is None:
            return lambda: None
        for _ in range(limit + 1):  # each turn stops one kernel; others may arrive meanwhile
            now = time.monotonic()
            self._observe(now)
            used = self.in_use(page)
            if len(used) + self._starting(page) < limit:
                break
            # A page whose browser went away (a reload, a closed tab) makes room at once; one
            # that never connected is given the grace period to connect.
            idle = sorted((self._unconnected_since[k], k) for k in used
                          if k in self._unconnected_since
                          and (k in self._connected_once
                               or now - self._unconnected_since[k] >= self.admit_grace_seconds)
                          and getattr(self._kernels[k], "execution_state", "") != "busy")
            if not idle:
                break
            kernel_id = idle[0][1]
            self.log.warning("Stopping kernel %s of %s (no browser for %.0f s) for a new page",
                             kernel_id, page, now - idle[0][0])
            await self.shutdown_kernel(kernel_id)
        taken = len(self.in_use(page)) + self._starting(page)
        if taken >= limit:
            self.log.warning("Refused a %s page: %d kernels in use, none abandoned", page, taken)
            return None
        # The request takes the head of Voilà's pool, or starts a kernel of its own when the
        # pool is empty or not yet rendered (Voilà's rule): until that kernel has started it is
        # counted here, then as in use.
        pool = getattr(self, "_pools", {}).get(page, [])
        pooled = bool(pool) and bool(getattr(self, "notebook_data", {}).get(page))
        entry: asyncio.Future[Any] = pool[0] if pooled else asyncio.get_running_loop(
            ).create_future()  # resolved by start_kernel
        waiting = self._in_flight.setdefault(page, [])
        waiting.append(entry)
        return lambda: waiting.remove(entry)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        now = time.monotonic()
        pooled = self._observe(now)
        since = self._unconnected_since.get(kernel_id)
        if (kernel_id not in pooled and since is not None
                and now - since > self.unconnected_seconds):
            self.log.warning("Culling kernel %s of %s: no browser connected for %.0f s",
                             kernel_id, self.page_of(kernel_id), now - since)
            await self.shutdown_kernel(kernel_id)
            return
        await super().cull_kernel_if_idle(kernel_id)


class RoomVoilaHandler(TornadoVoilaHandler):
    """Voilà's page handler, asking the kernel manager before a page takes a kernel."""

    async def get(self, path: str | None = None) -> None:
        # The template and theme are the server's: a "?template=" would bypass the pool and
        # could bring back a template that loads from a CDN.
        for name in ("template", "theme"):
            self.request.arguments.pop(name, None)
            self.request.query_arguments.pop(name, None)
        admit = getattr(self.kernel_manager, "admit", None)
        page = self.notebook_path or path or ""
        release = await admit(page) if admit is not None else (lambda: None)
        if release is None:
            seconds = int(getattr(self.kernel_manager, "admit_grace_seconds", 30))
            self.set_status(503)
            self.set_header("Retry-After", str(seconds))
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(BUSY_PAGE.format(seconds=seconds))
            return
        try:
            # Nothing is awaited between the count above and Voilà taking the kernel.
            await super().get(path)
        finally:
            release()


COMPRESSION: dict[str, Any] = {"compress_response": True, "websocket_compression_options": {}}
"""Tornado settings every thidua-rank server uses (a configured value wins)."""


class RoomVoila(Voila):
    """Voilà with :class:`RoomVoilaHandler` for pages and this package's templates first."""

    def initialize(self, argv: Any = None) -> None:
        paths = [str(JUPYTER_DATA), *filter(None, os.environ.get("JUPYTER_PATH", "").split(
            os.pathsep))]
        os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
        super().initialize(argv)

    def init_settings(self) -> dict[str, Any]:
        # Phones on the room's Wi-Fi load about 5 MB of Voilà's JavaScript: gzip (Tornado's
        # transform, which flushes every chunk, so the progressive page still streams) and
        # permessage-deflate on the kernel websocket cut what they download (BENCHMARKS.md).
        # Tornado reads compress_response when the application is built, hence here.
        settings: dict[str, Any] = super().init_settings()
        return {**settings, **COMPRESSION}

    def init_handlers(self) -> list[Any]:
        return [(rule[0], RoomVoilaHandler, *rule[2:]) if rule[1] is TornadoVoilaHandler
                else rule for rule in super().init_handlers()]


main = RoomVoila.launch_instance

if __name__ == "__main__":
    main()
