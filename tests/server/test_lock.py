"""One server per meeting: a second ``serve`` is refused and names the process that holds it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from thidua_rank.cli import main
from thidua_rank.errors import ThiduaRankError
from thidua_rank.live.ballot_box import box_path
from thidua_rank.resources import data_folder
from thidua_rank.server.meeting import lock_meeting, lock_path

HOLD = ("import sys, time\n"
        "from thidua_rank.server.meeting import lock_meeting\n"
        "lock_meeting(sys.argv[1])\n"
        "print('held', flush=True)\n"
        "time.sleep(120)\n")


def _meeting(tmp_path: Path) -> Path:
    folder = tmp_path / "meeting"
    shutil.copytree(data_folder("sample_data") / "ninh-binh-co-quan-dang-2022", folder,
                    ignore=shutil.ignore_patterns(".thidua"))
    return folder


def _holder(box: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(box)], stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_serve_is_refused_before_it_changes_anything(tmp_path: Path, capsys) -> None:
    folder = _meeting(tmp_path)
    box = box_path(folder)
    holder = _holder(box)
    try:
        assert main(["serve", str(folder), "--host", "127.0.0.1", "--port", "1"]) == 2
        err = capsys.readouterr().err
        assert f"tiến trình {holder.pid}" in err and f"by process {holder.pid}" in err
        assert str(lock_path(box)) in err
        assert not box.exists()  # no ballot box opened, no PIN or code set
    finally:
        holder.kill()
        holder.wait()


def test_a_crashed_server_leaves_no_stale_lock(tmp_path: Path) -> None:
    box = _meeting(tmp_path) / ".thidua" / "ballot-box.sqlite"
    holder = _holder(box)
    with pytest.raises(ThiduaRankError, match=f"already being served by process {holder.pid}"):
        lock_meeting(box)
    os.kill(holder.pid, signal.SIGKILL)  # as a crash would: no clean-up runs
    holder.wait()
    fd = lock_meeting(box)
    try:
        assert lock_path(box).read_text(encoding="ascii").strip() == str(os.getpid())
        assert oct(lock_path(box).stat().st_mode & 0o777) == "0o600"
    finally:
        os.close(fd)
