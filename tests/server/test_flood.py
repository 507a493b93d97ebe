"""A flood of page requests cannot take the laptop's memory (issue 10, limits).

``thidua-rank serve`` on a sample meeting on 127.0.0.1; 60 GETs of the chair and projector
pages, none of which opens a websocket (what a curl loop on the room's Wi-Fi does). The number
of kernels stays under the cap and their memory with it; the meeting still serves a projector
page; the kernels nobody connected to are stopped after ``--cull-after``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import pytest
from live_helpers import free_port

from thidua_rank.cli import main
from thidua_rank.server.meeting import PAGE_LIMITS

pytestmark = pytest.mark.slow

CULL_AFTER = 40
DELEGATE_POOL = 2
POOLED = 3 + DELEGATE_POOL  # projector, chair, clerk: one each; delegates: DELEGATE_POOL
CAP = POOLED + PAGE_LIMITS["projector.ipynb"] + PAGE_LIMITS["chair.ipynb"]
KERNEL_MB = 300  # a heavy page's kernel here is 100–250 MB


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=180) as reply:
            return reply.status, reply.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8", "replace")


def _kernels(server: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in server.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            pass
    return found


def _memory_mb(server: psutil.Process) -> float:
    total = 0
    for child in server.children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += child.memory_info().rss
    return total / 2**20


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, psutil.Process]]:
    folder = tmp_path / "meeting"
    assert main(["sample", "ninh-binh-co-quan-dang-2022", str(folder)]) == 0
    port = free_port()
    log = tmp_path / "serve.log"
    exe = Path(sys.executable).parent / "thidua-rank"
    proc = subprocess.Popen(
        [str(exe), "serve", str(folder), "--host", "127.0.0.1", "--port", str(port),
         "--delegate-pool", str(DELEGATE_POOL), "--cull-after", str(CULL_AFTER)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            assert proc.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("serve did not answer within 120 s")
        yield base, psutil.Process(proc.pid)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_flood_of_page_requests_is_capped_and_culled(served) -> None:
    base, server = served
    urls = [f"{base}/voila/render/{page}.ipynb" for page in ("chair", "projector")] * 30
    peak_kernels, peak_mb = 0, 0.0
    with ThreadPoolExecutor(max_workers=6) as pool:
        replies = [pool.submit(_get, url) for url in urls]
        deadline = time.time() + 600
        while not all(r.done() for r in replies) and time.time() < deadline:
            peak_kernels = max(peak_kernels, len(_kernels(server)))
            peak_mb = max(peak_mb, _memory_mb(server))
            time.sleep(0.5)
        statuses = [r.result()[0] for r in replies]
        refusals = [r.result()[1] for r in replies if r.result()[0] == 503]
    assert len(statuses) == 60 and set(statuses) <= {200, 503}
    assert statuses.count(200) >= PAGE_LIMITS["chair.ipynb"] + PAGE_LIMITS["projector.ipynb"]
    assert refusals and "Đóng các thẻ cũ".lower() in refusals[0].lower()
    assert "Close old tabs" in refusals[0]
    peak_kernels = max(peak_kernels, len(_kernels(server)))
    assert peak_kernels <= CAP, f"{peak_kernels} kernels for a cap of {CAP}"
    assert peak_mb < CAP * KERNEL_MB + 400, f"{peak_mb:.0f} MB"

    # The meeting still works: once the flood's pages have gone unconnected for the grace
    # period, a new projector page takes the place of one of them.
    deadline = time.time() + 120
    status, page = _get(f"{base}/voila/render/projector.ipynb")
    while status == 503 and time.time() < deadline:
        time.sleep(2)
        status, page = _get(f"{base}/voila/render/projector.ipynb")
    assert status == 200 and '"kernelId"' in page
    assert len(_kernels(server)) <= CAP

    # Nobody connected to any of those pages: their kernels are stopped, the pools stay.
    deadline = time.time() + CULL_AFTER + 90
    while len(_kernels(server)) > POOLED and time.time() < deadline:
        time.sleep(2)
    assert len(_kernels(server)) == POOLED
