"""The wheel serves the meeting: build it, install it (not editable) into a fresh virtual
environment, copy a sample meeting out of it and serve it.

Nothing here may come from the checkout: the new environment runs from a folder outside the
repository, and the test checks that ``thidua_rank`` there is the installed copy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest
from live_helpers import free_port
from websockets.sync.client import connect

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "ninh-binh-co-quan-dang-2022"
BLOC = "Khối thi đua các cơ quan Đảng"


def _run(cmd: list[str], cwd: Path, timeout: float = 600) -> str:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          check=False)
    assert done.returncode == 0, f"{cmd}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _uv() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed (make installs it in .venv)")
    return found


def _widget_texts(port: int, html: str) -> str:
    """The values of every widget of the page, asked of its kernel over the websocket (what
    the browser shows comes from there; the HTML holds only the widget's id)."""
    kernel = re.search(r'"kernelId": *"([^"]+)"', html)
    assert kernel is not None, html[-2000:]
    url = f"ws://127.0.0.1:{port}/api/kernels/{kernel.group(1)}/channels?session_id={uuid.uuid4()}"
    session, control = uuid.uuid4().hex, uuid.uuid4().hex

    def message(msg_type: str, content: dict[str, object], **metadata: object) -> str:
        return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type,
                                      "username": "test", "session": session, "date": "",
                                      "version": "5.3"},
                           "parent_header": {}, "metadata": metadata, "channel": "shell",
                           "buffers": [], "content": content})

    with connect(url, max_size=None, open_timeout=60) as socket:
        socket.send(message("comm_open", {"comm_id": control, "data": {},
                                          "target_name": "jupyter.widget.control"},
                            version="1.0.0"))
        socket.send(message("comm_msg", {"comm_id": control,
                                         "data": {"method": "request_states"}}))
        deadline = time.time() + 60
        while time.time() < deadline:
            raw = socket.recv(timeout=deadline - time.time())
            data = json.loads(raw).get("content", {}).get("data", {}) if isinstance(
                raw, str) else {}
            if data.get("method") == "update_states":
                return " ".join(str(s.get("state", {}).get("value", ""))
                                for s in data["states"].values())
    raise AssertionError("the page's kernel sent no widget states")


def test_the_wheel_installed_in_a_fresh_environment_serves_the_meeting(tmp_path: Path) -> None:
    uv = _uv()
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)], ROOT)
    wheel = next(dist.glob("thidua_rank-*.whl"))
    env_dir = tmp_path / "venv"
    python = env_dir / "bin" / "python"
    _run([uv, "venv", "--quiet", "--python", sys.executable, str(env_dir)], tmp_path)
    # The dependencies resolve to what the project's environment holds (uv's cache).
    _run([uv, "pip", "install", "--quiet", "--python", str(python),
          f"{wheel}[dashboards]"], tmp_path, timeout=900)

    where = _run([str(python), "-c", "import thidua_rank; print(thidua_rank.__file__)"],
                 tmp_path)
    assert Path(where.strip()).is_relative_to(env_dir), where  # the installed copy
    exe = env_dir / "bin" / "thidua-rank"
    meeting = tmp_path / "hop"
    _run([str(exe), "sample", SAMPLE, str(meeting)], tmp_path)
    assert (meeting / "meeting.toml").exists() and (meeting / "ballots").is_dir()

    port = free_port()
    log = tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.Popen([str(exe), "serve", str(meeting), "--port", str(port), "--host",
                             "127.0.0.1", "--delegate-pool", "1"], cwd=tmp_path, env=env,
                            stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.time() + 180
        html = ""
        while time.time() < deadline and not html:
            assert proc.poll() is None, log.read_text(encoding="utf-8")[-3000:]
            try:
                with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/voila/render/projector.ipynb",
                        timeout=120) as reply:
                    html = reply.read().decode("utf-8")
            except OSError:
                time.sleep(0.5)
        assert html, log.read_text(encoding="utf-8")[-3000:]
        voila = [" ".join(p.cmdline()) for p in psutil.Process(proc.pid).children()]
        assert voila and all(c.startswith(str(env_dir)) for c in voila)  # the new env's Voilà
        assert BLOC in _widget_texts(port, html)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

