"""Smoke test of ``python -m benchmarks``: a quick run writes its table and command line.

No timing is asserted (timings are evidence, not a gate); the run must agree with pref_voting
on every profile (it exits 1 otherwise) and keep the sections other suites wrote.
"""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

OTHER_SECTION = """\
<!-- benchmarks:live:start -->
## `live`: kept as it was
<!-- benchmarks:live:end -->"""


def test_quick_engine_run_writes_its_section(tmp_path: Path) -> None:
    out = tmp_path / "B.md"
    stale = "<!-- benchmarks:engine:start -->\nstale numbers\n<!-- benchmarks:engine:end -->"
    out.write_text(f"# Benchmarks\n\n{OTHER_SECTION}\n\n{stale}\n", encoding="utf-8")
    args = ["--quick", "--only", "engine", "--out", str(out)]
    done = subprocess.run([sys.executable, "-m", "benchmarks", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    # the other suite's section is kept, ours is replaced in place (once)
    assert OTHER_SECTION in text
    assert "stale numbers" not in text
    assert text.count("<!-- benchmarks:engine:start -->") == 1
    assert text.index("benchmarks:live:start") < text.index("benchmarks:engine:start")
    # the command that reproduces it, the machine, the table
    assert f"-m benchmarks --quick --only engine --out {out}" in text
    assert "Quick smoke run" in text
    for fact in ("- Date: ", "- cpu: ", "- python: ", "- numpy: ", "- polars: ",
                 "- pref_voting: "):
        assert fact in text
    assert "| case | input | ours | reference | reference time | ratio |" in text
    rows = [line for line in text.splitlines() if line.startswith("| ")][1:]
    cases = {line.split(" | ")[0].removeprefix("| ") for line in rows}
    assert cases == {"construct", "borda", "copeland", "schulze", "ranked_pairs", "kemeny"}
    assert "Borda totals equal" in text


def test_unknown_suite_is_a_usage_error() -> None:
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--only", "nope"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "invalid choice: 'nope'" in done.stderr


def test_helper_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    """The examples in benchmarks/common.py (pytest collects only tests/ and thidua_rank/)."""
    monkeypatch.syspath_prepend(str(ROOT))
    common = importlib.import_module("benchmarks.common")
    assert doctest.testmod(common, optionflags=doctest.ELLIPSIS).failed == 0
