"""Live meeting: how fast a cast ballot reaches the projector's turnout, and how fast a page opens.

Turnout latency: 30 delegate processes cast at the same moment through the ballot box (the same
``BallotBox.cast`` the delegate page calls), while a projector poller runs the same loop as the
pages (``Page.poll_once``: ``PRAGMA data_version`` every ``POLL_SECONDS``, then the turnout
query). Latency of the k-th ballot = when the poller first saw k ballots − when the k-th commit
returned. Page opening: ``thidua-rank serve`` with preheated kernels, Chromium opening the
delegate page until the code box is usable. Phone page weight: bytes transferred per resource
type on a first load with an empty cache at 390×844, and the time to a usable page with
Chromium's network and CPU throttling (DevTools protocol ``Network.emulateNetworkConditions``,
``Emulation.setCPUThrottlingRate``). Memory: the server's process tree with every page of the
sample meeting open. (Skipped without /usr/bin/chromium.)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.common import Memory, Row, Timing

NETWORKS: dict[str, tuple[int, int, float]] = {
    "Fast 3G": (180_000, 84_375, 562.5),
    "Slow 3G": (50_000, 50_000, 2000.0),
}
"""Chromium DevTools' network presets: download and upload in bytes/s, round trip in ms."""
CPU_SLOWDOWN = 4  # DevTools' "mid-tier mobile" CPU throttling
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 3}

TITLE = ("live meeting: ballot → projector turnout latency, page opening, phone page weight "
         "and slow-network load, server memory")
NOTES = """\
- Turnout latency rows report the **p95** (and the worst case) over all ballots of a burst of
  simultaneous voters, against the issue's absolute budget of 1 s. The poller is the pages' own
  loop (`thidua_rank.ui.live_page.POLL_SECONDS` = 0.2 s), so about half the poll interval is the
  expected median.
- Page opening: time from navigation to a usable code box on the delegate page, served from the
  preheated kernel pool, against the issue's 3 s budget; each open uses a fresh browser context
  (an empty cache, like a phone opening the link) after the server has settled. Most of it is
  the browser loading and running Voilà's JavaScript (about 4.5 MB); the page itself is in the
  first response within tens of milliseconds. Cold start without a pool is shown for context.
- Server side of a page open: what the laptop must do when phones open the link together (send
  the page, hand over a preheated kernel, answer the widget manager's first request), timed
  with a plain client so that no browser competes for the laptop's cores; each phone then
  renders the page on its own processor (the single-open row above includes that rendering on
  this machine).
- Why no burst in real browsers here: ten Chromium pages rendering on the laptop's own two
  cores measure the test machine (about 10–18 s), not the phones; the server-side rows and the
  single-open row together describe a room of phones.
- Phone page weight: what Chromium's network log counts as received (`encodedDataLength`, so
  headers included and bodies as sent: the server gzips them) while the delegate page loads at
  390×844 (mobile, touch) in a fresh context, by resource type, until the code box is usable;
  WebSocket is the widget state the kernel sends until then (decompressed: permessage-deflate
  is on). The "uncompressed" figure is the same resources fetched again with
  `Accept-Encoding: identity` in the same run: what the page weighed before the server
  compressed it.
- Phone on a slow network: Chromium's DevTools presets ("Fast 3G": 1.6 Mbit/s × 0.9 down,
  750 kbit/s × 0.9 up, 562.5 ms round trip; "Slow 3G": 400 kbit/s each way, 2 s round trip) and
  the CPU slowed 4× (DevTools' "mid-tier mobile"), first load with an empty cache, one load
  each: time from navigation to a usable code box. Almost all of it is downloading Voilà's
  JavaScript; a phone that has loaded the page once keeps it in its cache.
- Memory: proportional set size (PSS, shared pages split among processes) summed over the
  Voilà server and every kernel, for the largest bloc (a synthetic meeting of 20 units, all
  present) with every page open at once and the pools refilled behind them. The budget is half
  of a modest 8 GiB laptop.
"""

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"
CHROMIUM = "/usr/bin/chromium"
MAX_UNITS = 20  # the largest bloc (domain brief: 4–20 member agencies)


def _voter(path: str, code: str, ready: multiprocessing.Queue, go: multiprocessing.Event,
           out: multiprocessing.Queue) -> None:
    from thidua_rank.live.ballot_box import BallotBox

    box = BallotBox(path)
    n = len(box.spec("r").candidates)
    ready.put(1)
    go.wait()
    box.cast("r", code, list(range(1, n + 1)))
    out.put(time.time())


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def turnout_latency(voters: int) -> tuple[list[float], float]:
    """Latencies (s) of each ballot of a simultaneous burst; and the burst's duration."""
    from thidua_rank.live.ballot_box import BallotBox, RoundSpec
    from thidua_rank.ui.live_page import POLL_SECONDS

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "box.sqlite")
        box = BallotBox(path)
        units = tuple(f"Đơn vị {i}" for i in range(16))
        operator = box.operator()
        box.add_round(RoundSpec("r", "Xếp hạng", "ranking", "ranked", units, issued=voters),
                      actor=operator)
        codes = list(box.issue_codes([f"U{i}" for i in range(voters)],
                                     actor=operator).values())
        box.set_pin("chair", "2468", actor=operator)
        box.set_state("r", "open", actor=box.unlock("chair", "2468"))
        ctx = multiprocessing.get_context("spawn")
        queue: multiprocessing.Queue = ctx.Queue()
        ready: multiprocessing.Queue = ctx.Queue()
        go = ctx.Event()
        procs = [ctx.Process(target=_voter, args=(path, c, ready, go, queue)) for c in codes]
        for p in procs:
            p.start()
        for _ in procs:  # every voter has imported and opened the box
            ready.get(timeout=120)
        start_at = time.time()
        go.set()
        seen: list[float] = []
        version = box.data_version()
        deadline = start_at + 60
        while len(seen) < voters and time.time() < deadline:
            now_version = box.data_version()
            if now_version != version:
                version = now_version
                count = box.turnout("r").voted
                seen.extend([time.time()] * (count - len(seen)))
            time.sleep(POLL_SECONDS)
        commits = sorted(queue.get(timeout=30) for _ in procs)
        for p in procs:
            p.join()
        latencies = [s - c for s, c in zip(seen, commits, strict=False)]
        return latencies, commits[-1] - start_at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tree(pid: int) -> list[int]:
    """*pid* and all its descendants (Voilà and every kernel it started)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total


def _wait_settled(pid: int, kernels: int, timeout: float = 240.0) -> None:
    """Wait until the server runs at least *kernels* kernels and has been idle for 2 s
    (preheated kernels have executed their notebook)."""
    tick = os.sysconf("SC_CLK_TCK")
    deadline = time.monotonic() + timeout
    quiet_since = None
    while time.monotonic() < deadline:
        pids = _tree(pid)
        before = _cpu_ticks(pids)
        time.sleep(0.5)
        busy = (_cpu_ticks(pids) - before) / tick / 0.5  # cores in use
        running = sum("ipykernel" in _cmdline(p) for p in pids)
        if running >= kernels and busy < 0.1:
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since >= 2.0:
                return
        else:
            quiet_since = None
    raise TimeoutError(f"the server did not settle with {kernels} kernels in {timeout:.0f} s")


def _pss(pids: list[int]) -> Memory:
    """Proportional set size of the processes (shared pages split among their users)."""
    kib, counted = 0, 0
    for pid in pids:
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kib += next(int(line.split()[1]) for line in rollup.splitlines()
                    if line.startswith("Pss:"))
        counted += 1
    return Memory(kib / 1024, counted)


@contextlib.contextmanager
def _server(delegate_pool: int | None, *, preheat: bool = True, units: int | None = None
            ) -> Iterator[tuple[int, int]]:
    """``thidua-rank serve`` on a copy of the sample meeting, or on a synthetic meeting of
    *units* units; yields (port, server pid)."""
    from thidua_rank.synth import synth_meeting

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "meeting"
        if units is None:
            shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
        else:
            synth_meeting(folder, units=units, seed=1)
        port = _free_port()
        cmd = [str(Path(sys.executable).parent / "thidua-rank"), "serve", str(folder),
               "--host", "127.0.0.1", "--port", str(port), "--pin", "2468"]
        if delegate_pool is not None:
            cmd += ["--delegate-pool", str(delegate_pool)]
        if not preheat:
            cmd.append("--no-preheat")
        log = Path(tmp) / "serve.log"
        with log.open("wb") as sink:
            proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            yield port, proc.pid
        except BaseException:
            tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-60:]
            print("\n".join(["-- thidua-rank serve log (end) --", *tail]), file=sys.stderr)
            raise
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


@contextlib.contextmanager
def _chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        try:
            yield browser
        finally:
            browser.close()


def _open(browser: Any, port: int, page: str, ready: str) -> tuple[Any, float]:
    """Open *page* in a fresh browser context (a new phone); seconds until *ready* shows."""
    tab = browser.new_context().new_page()
    t0 = time.perf_counter()
    tab.goto(f"http://127.0.0.1:{port}/voila/render/{page}.ipynb", timeout=120_000)
    tab.wait_for_selector(ready, timeout=120_000)
    return tab, time.perf_counter() - t0


def page_open_times(opens: int, *, preheat: bool) -> list[float]:
    """Seconds from navigation to a usable delegate page, *opens* times in a row, once the
    server has settled (its kernel pools filled)."""
    with _server(opens, preheat=preheat) as (port, pid), _chromium() as browser:
        times = []
        for taken in range(opens):  # each open waits until the pool has refilled behind the last
            _wait_settled(pid, opens + 2 + taken if preheat else 0)
            tab, seconds = _open(browser, port, "delegate", ".tr-code-input input")
            times.append(seconds)
            tab.context.close()
        return times


@dataclass(frozen=True)
class Weight:
    """Bytes transferred by a page load (one resource type, or all), and the requests.

    >>> str(Weight(4_984_913, 92)), str(Weight(27_730, 1)), str(Weight(102_832, 1, "socket"))
    ('4,985 kB (92 requests)', '27.7 kB (1 request)', '103 kB (1 socket)')
    """

    bytes: int
    requests: int
    what: str = "request"

    def __str__(self) -> str:
        size = f"{self.bytes / 1000:,.0f} kB" if self.bytes >= 100_000 else \
            f"{self.bytes / 1000:.1f} kB"
        return f"{size} ({self.requests} {self.what}{'s' if self.requests != 1 else ''})"


@dataclass
class PhoneLoad:
    """One first load of the delegate page on an emulated phone."""

    usable_s: float
    dom_content_loaded_s: float
    by_type: dict[str, Weight] = field(default_factory=dict)
    websocket_bytes: int = 0
    urls: list[str] = field(default_factory=list)

    @property
    def total(self) -> Weight:
        return Weight(sum(w.bytes for w in self.by_type.values()),
                      sum(w.requests for w in self.by_type.values()))


def phone_load(browser: Any, port: int, network: str | None) -> PhoneLoad:
    """Open the delegate page in a fresh phone-sized context (an empty cache), optionally with
    a DevTools network preset and the CPU slowed :data:`CPU_SLOWDOWN` times; count what the
    network log receives until the code box is usable."""
    context = browser.new_context(**PHONE)
    tab = context.new_page()
    cdp = context.new_cdp_session(tab)
    cdp.send("Network.enable")
    if network is not None:
        down, up, rtt = NETWORKS[network]
        cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": rtt, "downloadThroughput": down,
            "uploadThroughput": up})
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    kinds: dict[str, str] = {}
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    frames = [0]

    def received(event: dict[str, Any]) -> None:
        kinds[event["requestId"]] = event["type"]
        urls[event["requestId"]] = event["response"]["url"]

    cdp.on("Network.responseReceived", received)
    cdp.on("Network.loadingFinished",
           lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    cdp.on("Network.webSocketFrameReceived",
           lambda e: frames.__setitem__(0, frames[0] + len(e["response"]["payloadData"])))
    start = time.perf_counter()
    tab.goto(f"http://127.0.0.1:{port}/voila/render/delegate.ipynb", timeout=600_000,
             wait_until="commit")
    tab.wait_for_selector(".tr-code-input input", timeout=600_000)
    usable = time.perf_counter() - start
    dcl = tab.evaluate("performance.getEntriesByType('navigation')[0]"
                       ".domContentLoadedEventEnd") / 1000
    by_type: dict[str, list[int]] = {}
    for request, size in sizes.items():
        by_type.setdefault(kinds.get(request, "Other"), []).append(size)
    load = PhoneLoad(usable, dcl, {k: Weight(sum(v), len(v)) for k, v in by_type.items()},
                     frames[0], [urls[r] for r in sizes if r in urls])
    context.close()
    return load


def uncompressed_size(urls: list[str]) -> int:
    """Bytes of the same resources' bodies fetched without compression (the reference)."""
    total = 0
    for url in urls:
        if url.startswith("http://127.0.0.1"):
            request = urllib.request.Request(url, headers={"Accept-Encoding": "identity"})
            total += len(urllib.request.urlopen(request, timeout=60).read())
    return total


def phone_rows() -> list[Row]:
    """The delegate page's weight by resource type, and its time to usable on slow networks
    with a slowed CPU."""
    rows = []
    pool = len(NETWORKS) + 1  # one preheated page per load
    with _server(pool) as (port, pid), _chromium() as browser:
        _wait_settled(pid, pool + 2)
        plain = phone_load(browser, port, None)
        unpacked = uncompressed_size(plain.urls)
        for kind, weight in sorted(plain.by_type.items(), key=lambda kv: -kv[1].bytes):
            rows.append(Row(case="phone page weight", setting=f"{kind}: first load, empty "
                            "cache, 390×844", ours=weight))
        rows.append(Row(case="phone page weight", setting="WebSocket: widget state received "
                        "until usable", ours=Weight(plain.websocket_bytes, 1, "socket")))
        rows.append(Row(case="phone page weight", setting="total over HTTP (no throttling: "
                        f"usable in {plain.usable_s:.2f} s)", ours=plain.total,
                        check=f"served gzip-compressed; the same bodies uncompressed: "
                              f"{unpacked / 1000:,.0f} kB "
                              f"({plain.total.bytes / unpacked:.0%} of it sent)"))
        for taken, network in enumerate(NETWORKS, start=1):  # the pool refilled behind
            _wait_settled(pid, pool + 2 + taken)
            load = phone_load(browser, port, network)
            down, _, rtt = NETWORKS[network]
            rows.append(Row(
                case="phone page usable", setting=f"{network} ({down * 8 / 1000:,.0f} kbit/s "
                f"down, {rtt:g} ms RTT) + CPU {CPU_SLOWDOWN}× slower, 390×844, empty cache",
                ours=Timing(load.usable_s, 1),
                check=f"DOMContentLoaded at {load.dom_content_loaded_s:.1f} s; "
                      f"{load.total.bytes / 1000:,.0f} kB transferred"))
    return rows


async def _server_side_open(port: int) -> float:
    """What the server does for one phone opening the page, without the phone's rendering:
    fetch the page, connect to its kernel and wait for the answer to the widget manager's first
    request (``comm_info_request``). Seconds from the request to that answer."""
    import asyncio
    import json
    import re
    import uuid

    import websockets

    start = time.perf_counter()
    url = f"http://127.0.0.1:{port}/voila/render/delegate.ipynb"
    html = await asyncio.to_thread(
        lambda: urllib.request.urlopen(url, timeout=120).read().decode())
    found = re.search(r'"kernelId": *"([^"]+)"', html)
    if found is None:
        raise RuntimeError("the delegate page names no kernel")
    channels = (f"ws://127.0.0.1:{port}/api/kernels/{found.group(1)}/channels"
                f"?session_id={uuid.uuid4()}")
    request = uuid.uuid4().hex
    async with websockets.connect(channels, max_size=None, open_timeout=120) as socket:
        await socket.send(json.dumps({
            "header": {"msg_id": request, "msg_type": "comm_info_request", "username": "",
                       "session": uuid.uuid4().hex, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"target_name": "jupyter.widget"}}))
        while True:
            reply = json.loads(await asyncio.wait_for(socket.recv(), timeout=120))
            if reply.get("parent_header", {}).get("msg_id") == request:
                return time.perf_counter() - start


def server_burst_times(pages: int) -> list[float]:
    """Server-side seconds per page when *pages* phones open the link at the same moment
    (no browser: the phones' own rendering is measured by :func:`page_open_times`)."""
    import asyncio

    async def burst(port: int) -> list[float]:
        return list(await asyncio.gather(*[_server_side_open(port) for _ in range(pages)]))

    with _server(pages) as (port, pid):
        _wait_settled(pid, pages + 2)
        return asyncio.run(burst(port))


def meeting_memory(units: int) -> Memory:
    """Memory of a whole meeting server for a bloc of *units* units, all present: default
    pools, then the projector, chair and clerk pages and one delegate page per unit, all open
    at once."""
    present = pool = units  # serve's default: one preheated delegate page per unit present
    with _server(None, units=units) as (port, pid), _chromium() as browser:
        _wait_settled(pid, pool + 2)
        tabs = [_open(browser, port, page, ".tr-page")[0]
                for page in ("projector", "chair", "clerk")]
        tabs += [_open(browser, port, "delegate", ".tr-code-input input")[0]
                 for _ in range(present)]
        _wait_settled(pid, pool + 2 + len(tabs))
        return _pss(_tree(pid))


def run(quick: bool) -> list[Row]:
    """Measure the turnout latency of a burst of voters and the delegate page's opening."""
    rows = []
    for voters in ([5] if quick else [10, 30]):
        latencies, burst = turnout_latency(voters)
        rows.append(Row(
            case="turnout latency p95", setting=f"{voters} delegates casting at once "
            f"(burst took {burst:.2f} s; worst {max(latencies):.3f} s, median "
            f"{_percentile(latencies, 0.5):.3f} s)",
            ours=Timing(_percentile(latencies, 0.95), len(latencies)),
            reference_name="issue budget", budget_s=1.0,
            check=f"all {voters} ballots counted"))
    if not quick and Path(CHROMIUM).exists():
        warm = page_open_times(4, preheat=True)
        rows.append(Row(case="delegate page usable", setting="preheated pool, 4 opens",
                        ours=Timing(sorted(warm)[len(warm) // 2], len(warm)),
                        reference_name="issue budget", budget_s=3.0,
                        check=f"worst {max(warm):.2f} s"))
        for phones in (10, MAX_UNITS):
            server = server_burst_times(phones)
            rows.append(Row(
                case="server side of a page open", setting=f"{phones} phones open the link at "
                "once: page sent, kernel answering the widget manager (no browser)",
                ours=Timing(sorted(server)[len(server) // 2], len(server)),
                check=f"worst {max(server):.2f} s"))
        cold = page_open_times(2, preheat=False)
        rows.append(Row(case="delegate page usable", setting="no preheat (context)",
                        ours=Timing(sorted(cold)[len(cold) // 2], len(cold)),
                        check=f"worst {max(cold):.2f} s"))
        rows += phone_rows()
        memory = meeting_memory(MAX_UNITS)
        rows.append(Row(case="server memory (PSS)", setting=f"bloc of {MAX_UNITS} units: "
                        f"projector, chair, clerk and {MAX_UNITS} delegate pages open; pools "
                        "refilled",
                        ours=memory, reference_name="8 GiB laptop: half of it",
                        budget_mib=4096, check="every page usable"))
    return rows
