"""The live meeting's command line: codes, verify, and the serve preparation."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import thidua_rank
from thidua_rank.cli import main
from thidua_rank.fonts import find_font
from thidua_rank.live.ballot_box import BallotBox, box_path
from thidua_rank.live.setup import prepare
from thidua_rank.server.meeting import PAGES, dashboards_dir, page_urls, voila_command
from thidua_rank.server.voila import UNUSED_EXTENSIONS, compile_package

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "ninh-binh-co-quan-dang-2022"


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "meeting"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
    return folder


def test_codes_then_verify(tmp_path: Path, capsys) -> None:
    folder = _copy(tmp_path)
    pdf = tmp_path / "slips.pdf"
    args = ["codes", str(folder), "--show"] + (["--pdf", str(pdf)] if find_font() else [])
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Trường Chính trị tỉnh" in out and "Đã phát 9 mã" in out
    assert (folder / ".thidua" / "ma-bo-phieu.html").read_text(encoding="utf-8").count(
        "class='slip'") == 9
    if find_font():
        assert pdf.read_bytes()[:4] == b"%PDF"
    assert main(["codes", str(folder)]) == 2  # already issued: refused without --replace
    code = next(line.split()[0] for line in out.splitlines() if "Trường Chính trị" in line)
    box = BallotBox(box_path(folder))
    assert main(["pin", str(folder), "--chair", "--value", "2468"]) == 0
    chair = box.unlock("chair", "2468")
    box.set_state("xep-hang", "open", actor=chair)
    receipt = box.cast("xep-hang", code, [1] + [None] * 9)
    box.set_state("xep-hang", "closed", actor=chair, confirm=True)
    capsys.readouterr()
    assert main(["status", str(folder), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    first = status["rounds"][0]
    assert (first["state"], first["issued"], first["returned"], first["valid"]) == (
        "closed", 9, 1, 1)
    head = status["chain_head"]
    assert main(["verify", str(folder), "--head", head]) == 0
    assert receipt in capsys.readouterr().out
    db = sqlite3.connect(box.path)
    db.execute("UPDATE ballots SET cells = '[2, null, null, null, null, null, null, null, "
               "null, 1]'")
    db.commit()
    assert main(["verify", str(folder)]) == 1
    assert "PROBLEM" in capsys.readouterr().out
    assert main(["verify", str(folder), "--head", "0000-0000-0000-0000"]) == 1


def test_verify_without_a_ballot_box(tmp_path: Path, capsys) -> None:
    folder = _copy(tmp_path)
    for command in ("verify", "status"):
        assert main([command, str(folder)]) == 2
        assert "no ballot box" in capsys.readouterr().err
    assert main(["status", str(tmp_path / "khong-co")]) == 2
    assert "meeting folder not found" in capsys.readouterr().err


def test_prepare_sets_both_pins_and_codes_once(tmp_path: Path, capsys) -> None:
    folder = _copy(tmp_path)
    ready = prepare(folder, pins={"clerk": "1357"})
    pins = dict(ready.pins)
    assert len(pins["chair"]) == 6 and pins["clerk"] == "1357"
    assert ready.live.box.unlock("chair", pins["chair"]).role == "chair"
    assert set(ready.codes) == set(ready.live.meeting.present)
    again = prepare(folder)
    assert again.pins == pins and again.codes == {}  # a restart prints the same PINs
    assert [s.id for s, _ in again.live.box.rounds()] == ["xep-hang", "truong-khoi",
                                                          "pho-truong-khoi"]
    pins_file = again.live.box.path.parent / "pins.json"
    assert stat.S_IMODE(pins_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(again.live.box.path.stat().st_mode) == 0o600
    assert main(["pin", str(folder), "--clerk"]) == 0
    new = capsys.readouterr().out
    assert "Mã PIN mới" in new and pins["clerk"] not in new
    assert prepare(folder).pins["clerk"] != "1357"


def test_voila_command_preheats_the_delegate_pool() -> None:
    cmd = voila_command(8866, "0.0.0.0", delegate_pool=7)
    assert "--preheat_kernel=True" in cmd and "--Voila.ip=0.0.0.0" in cmd
    assert any('"delegate.ipynb": {"pool_size": 7}' in c for c in cmd)
    assert "--VoilaKernelManager.fill_delay=3" in cmd  # refills wait for the rush, briefly
    assert "--KernelManager.transport=ipc" in cmd  # no TCP port races between kernels
    assert "--VoilaExecutor.iopub_timeout=60" in cmd  # a busy laptop still sends the widgets
    limits = json.loads(next(c.split("=", 1)[1] for c in cmd
                             if c.startswith("--RoomKernelManager.page_limits=")))
    assert limits == {"projector.ipynb": 4, "chair.ipynb": 3, "clerk.ipynb": 4,
                      "delegate.ipynb": 12, "*": 1}  # a flood of GETs cannot fill memory
    assert "--RoomKernelManager.unconnected_seconds=300" in cmd
    assert page_urls("10.0.0.2", 8866)["delegate"] == \
        "http://10.0.0.2:8866/voila/render/delegate.ipynb"


def test_only_the_meeting_pages_are_served_and_unused_extensions_are_not_loaded() -> None:
    cmd = voila_command(8866, "0.0.0.0", delegate_pool=3)
    served = Path(cmd[cmd.index("thidua_rank.server.voila_app") + 1])
    assert served == dashboards_dir() and served.name == "meeting"
    assert sorted(p.stem for p in served.glob("**/*.ipynb")) == sorted(PAGES)
    for name in UNUSED_EXTENSIONS:
        assert f"--VoilaConfiguration.extension_denylist={name}" in cmd
    assert "--VoilaConfiguration.extension_denylist=@jupyter-widgets/jupyterlab-manager" \
        not in cmd


def test_compile_package_writes_bytecode_for_every_module(tmp_path: Path) -> None:
    package = tmp_path / "thidua_rank"  # a fresh copy: no bytecode from earlier imports
    shutil.copytree(Path(thidua_rank.__file__).parent, package,
                    ignore=shutil.ignore_patterns("__pycache__"))
    assert compile_package(package)
    modules = list(package.glob("**/*.py"))
    stale = [p for p in modules
             if not list((p.parent / "__pycache__").glob(f"{p.stem}.*.pyc"))]
    assert len(modules) > 30 and stale == []


def test_a_delegate_page_loads_neither_polars_nor_the_ranking_engine(tmp_path: Path) -> None:
    """Every phone's page is its own kernel: it must stay light (memory, start-up time)."""
    folder = _copy(tmp_path)
    prepare(folder, box=tmp_path / "box.sqlite")
    script = (
        "import sys\n"
        "from thidua_rank.ui.delegate import DelegatePage\n"
        "from thidua_rank.live.session import check_ballot\n"
        "page = DelegatePage.from_env()\n"
        "spec = page.live.box.spec('xep-hang')\n"
        "problem = check_ballot(page.live.rules(spec), spec.candidates,"
        " list(range(1, len(spec.candidates) + 1)))\n"
        "heavy = {'polars', 'scipy', 'altair', 'pandas', 'thidua_rank.methods',"
        " 'thidua_rank.meeting.pipeline'} & set(sys.modules)\n"
        "print(sorted(heavy), problem)\n")
    env = {**os.environ, "THIDUA_MEETING": str(folder),
           "THIDUA_BOX": str(tmp_path / "box.sqlite")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "[] None"
