"""Live meeting: how fast a cast ballot reaches the projector's turnout, and how fast a page opens.

Turnout latency: 30 delegate processes cast at the same moment through the ballot box (the same
``BallotBox.cast`` the delegate page calls), while a projector poller runs the same loop as the
pages (``Page.poll_once``: ``PRAGMA data_version`` every ``POLL_SECONDS``, then the turnout
query). Latency of the k-th ballot = when the poller first saw k ballots − when the k-th commit
returned. Page opening: ``thidua-rank serve`` with preheated kernels, Chromium opening the
delegate page until the code box is usable (skipped without /usr/bin/chromium).
"""

from __future__ import annotations

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
from pathlib import Path

from benchmarks.common import Row, Timing

TITLE = "live meeting: ballot → projector turnout latency, page opening"
NOTES = """\
- Turnout latency rows report the **p95** (and the worst case) over all ballots of a burst of
  simultaneous voters, against the issue's absolute budget of 1 s. The poller is the pages' own
  loop (`thidua_rank.app.common.POLL_SECONDS` = 0.2 s), so about half the poll interval is the
  expected median.
- Page opening: time from navigation to a usable code box on the delegate page, served from the
  preheated kernel pool, against the issue's 3 s budget. Cold start without a pool is shown for
  context.
"""

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"


def _voter(path: str, code: str, ready: multiprocessing.Queue, go: multiprocessing.Event,
           out: multiprocessing.Queue) -> None:
    from thidua_rank.ballot_box import BallotBox

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
    from thidua_rank.app.common import POLL_SECONDS
    from thidua_rank.ballot_box import BallotBox, RoundSpec

    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "box.sqlite")
        box = BallotBox(path)
        units = tuple(f"Đơn vị {i}" for i in range(16))
        box.add_round(RoundSpec("r", "Xếp hạng", "ranking", "ranked", units, issued=voters))
        codes = list(box.issue_codes([f"U{i}" for i in range(voters)]).values())
        box.set_state("r", "open")
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


def page_open_times(opens: int, *, preheat: bool) -> list[float]:
    """Seconds from navigation to a usable delegate page, *opens* times in a row."""
    from playwright.sync_api import sync_playwright

    chromium = "/usr/bin/chromium"
    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "meeting"
        shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
        port = _free_port()
        cmd = [str(Path(sys.executable).parent / "thidua-rank"), "serve", str(folder),
               "--host", "127.0.0.1", "--port", str(port), "--pin", "2468",
               "--delegate-pool", str(opens)]
        if not preheat:
            cmd.append("--no-preheat")
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.2)
            time.sleep(2.0 + 1.5 * opens if preheat else 1.0)  # let the pool fill
            times = []
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, headless=True, args=args)
                for _ in range(opens):
                    page = browser.new_context().new_page()
                    t0 = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/voila/render/delegate.ipynb",
                              timeout=120_000)
                    page.wait_for_selector(".tr-code-input input", timeout=120_000)
                    times.append(time.perf_counter() - t0)
                    page.context.close()
                browser.close()
            return times
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


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
    if not quick and Path("/usr/bin/chromium").exists():
        warm = page_open_times(4, preheat=True)
        rows.append(Row(case="delegate page usable", setting="preheated pool, 4 opens",
                        ours=Timing(sorted(warm)[len(warm) // 2], len(warm)),
                        reference_name="issue budget", budget_s=3.0,
                        check=f"worst {max(warm):.2f} s"))
        cold = page_open_times(2, preheat=False)
        rows.append(Row(case="delegate page usable", setting="no preheat (context)",
                        ours=Timing(sorted(cold)[len(cold) // 2], len(cold)),
                        check=f"worst {max(cold):.2f} s"))
    return rows
