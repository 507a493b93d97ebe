"""Helpers of the browser tests: a restartable ``thidua-rank serve`` and sample copies."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
SAMPLE = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"
PIN = "2468"
CLERK_PIN = "1357"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A ``thidua-rank serve`` process on a free port (restartable)."""

    def __init__(self, meeting: Path, pool: int) -> None:
        self.meeting = meeting
        self.pool = pool
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = meeting.parent / f"serve-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/"

    def start(self) -> None:
        exe = Path(sys.executable).parent / "thidua-rank"
        self.proc = subprocess.Popen(
            [str(exe), "serve", str(self.meeting), "--host", "127.0.0.1", "--port",
             str(self.port), "--pin", PIN, "--clerk-pin", CLERK_PIN, "--delegate-pool",
             str(self.pool)],
            stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("serve did not answer within 120 s")

    def kill(self) -> None:
        """Kill the whole server (Voilà and its kernels) at once, as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def sample_copy(tmp: Path, *, all_present: bool = True, issued: int | None = None) -> Path:
    """A copy of the sample meeting without its ballot files (the box will hold the votes)."""
    folder = tmp / "meeting"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
    if all_present:
        members = folder / "members.csv"
        lines = members.read_text(encoding="utf-8").splitlines()
        head = lines[0].split(",")
        col = head.index("có mặt")
        fixed = [lines[0]]
        for line in lines[1:]:
            cells = line.split(",")
            if len(cells) > col and cells[col] == "0":
                cells[col] = "1"
            fixed.append(",".join(cells))
        members.write_text("\n".join(fixed) + "\n", encoding="utf-8")
    if issued is not None:
        toml = folder / "meeting.toml"
        text = toml.read_text(encoding="utf-8")
        text = text.replace('decides = "ranking"\n', f'decides = "ranking"\nissued = {issued}\n', 1)
        toml.write_text(text, encoding="utf-8")
    return folder
