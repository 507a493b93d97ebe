"""Shared helpers for the benchmark suites: timing, profiles, machine facts, BENCHMARKS.md.

A suite (see :mod:`benchmarks`) returns a list of :class:`Row`; this module turns rows into a
markdown section and replaces that suite's section of ``BENCHMARKS.md`` in place, between
``<!-- benchmarks:<suite>:start -->`` and ``<!-- benchmarks:<suite>:end -->``, so the sections
written by other suites are kept.

Targets are ratios against a reference timed in the same run (``reference / ours``), never
absolute timings, except where the issue itself sets an absolute budget (:attr:`Row.budget_s`).
"""

from __future__ import annotations

import gc
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Protocol

import numpy as np

__all__ = [
    "Memory",
    "Plan",
    "ResultMismatch",
    "Row",
    "Suite",
    "Timing",
    "command_line",
    "format_seconds",
    "impartial_culture",
    "machine_info",
    "mallows",
    "measure",
    "measure_together",
    "render_section",
    "write_section",
]

DOC_HEADER = """\
# Benchmarks

Reproducible speed comparisons, written by `python -m benchmarks` (code in `benchmarks/`;
`make bench` runs every suite). Each suite rewrites only its own section, between its
`<!-- benchmarks:… -->` markers. Targets are ratios against a reference timed in the same run
(`ratio = reference / ours`, medians of repeated runs after a warm-up); absolute times depend on
the machine and are given for context only, except where the issue sets an absolute budget.
"""


class ResultMismatch(RuntimeError):
    """Ours and the reference disagree on a benchmarked profile: the timing would be meaningless."""


class Suite(Protocol):
    """What ``python -m benchmarks`` needs from a suite module (a module satisfies it)."""

    TITLE: str
    NOTES: str

    def run(self, quick: bool) -> list[Row]: ...


@dataclass(frozen=True)
class Timing:
    """Median wall time of *runs* timed calls (after warm-up), in seconds."""

    median_s: float
    runs: int

    def __str__(self) -> str:
        return f"{format_seconds(self.median_s)} (×{self.runs})"


@dataclass(frozen=True)
class Memory:
    """Memory held by a group of processes: the sum of their proportional set sizes (PSS).

    >>> str(Memory(1536.4, 9))
    '1,536 MiB (9 processes)'
    """

    mib: float
    processes: int

    def __str__(self) -> str:
        return f"{self.mib:,.0f} MiB ({self.processes} processes)"


@dataclass(frozen=True)
class Row:
    """One benchmark line: our time, the reference's time in the same run, the target, a check.

    Parameters
    ----------
    case
        What is timed (``borda``, ``kemeny``, ``construct`` …).
    setting
        The input (``IC 20 units × 100,000 ballots``).
    ours
        Our median time, or the memory held (:class:`Memory`).
    reference_name
        What the reference is (``pref_voting Profile(list) + borda``) or the budget's origin.
    reference
        The reference's median time in the same run, if any.
    min_ratio
        Target: ``reference / ours`` must be at least this (``None``: context only).
    budget_s
        Absolute budget set by the issue: ours must stay under it (``None``: none).
    budget_mib
        Memory budget for a :class:`Memory` row (``None``: none).
    check
        What was verified equal between ours and the reference before timing.
    """

    case: str
    setting: str
    ours: Timing | Memory
    reference_name: str = ""
    reference: Timing | None = None
    min_ratio: float | None = None
    budget_s: float | None = None
    budget_mib: float | None = None
    check: str = ""

    @property
    def ratio(self) -> float | None:
        """``reference / ours`` (how many times faster we are), when there is a reference."""
        if self.reference is None or not isinstance(self.ours, Timing) or self.ours.median_s <= 0:
            return None
        return self.reference.median_s / self.ours.median_s

    @property
    def target(self) -> str:
        """The target as text (empty for context rows)."""
        parts = []
        if self.min_ratio is not None:
            parts.append(f"≥ {self.min_ratio:g}×")
        if self.budget_s is not None:
            parts.append(f"< {self.budget_s:g} s")
        if self.budget_mib is not None:
            parts.append(f"< {self.budget_mib:,.0f} MiB")
        return ", ".join(parts)

    @property
    def met(self) -> bool | None:
        """Whether every target of the row is met (``None`` when it has no target)."""
        verdicts = []
        if self.min_ratio is not None:
            ratio = self.ratio
            verdicts.append(ratio is not None and ratio >= self.min_ratio)
        if self.budget_s is not None:
            verdicts.append(isinstance(self.ours, Timing) and self.ours.median_s < self.budget_s)
        if self.budget_mib is not None:
            verdicts.append(isinstance(self.ours, Memory) and self.ours.mib < self.budget_mib)
        return all(verdicts) if verdicts else None


# ---------------------------------------------------------------------------------- timing
@dataclass(frozen=True)
class Plan:
    """How often to call a function: *repeats* calls, fewer when they do not fit *budget_s*.

    The warm-up call's time sets how many calls fit in *budget_s* (at least *min_repeats*, at
    most *repeats*); a warm-up slower than *slow_s* leaves a single timed call.
    """

    repeats: int
    min_repeats: int = 3
    budget_s: float | None = None
    slow_s: float = 60.0

    def runs(self, first_s: float) -> int:
        if first_s > self.slow_s:
            return 1
        if self.budget_s is None:
            return self.repeats
        fit = int(self.budget_s // max(first_s, 1e-9))
        return max(self.min_repeats, min(self.repeats, fit))


def measure_together(
    calls: Sequence[tuple[Callable[[], object], Plan]],
) -> list[Timing]:
    """Median time of each function, timeit-style, with their timed calls interleaved.

    Each function gets one warm-up call, then the timed calls go round-robin (ours, the
    reference, ours, …) with the garbage collector off, so that a load change on a shared
    machine hits both sides alike. No ``gc.collect()`` between calls: with pref_voting's
    imports loaded one takes ~0.2 s.

    >>> [t.runs for t in measure_together([(lambda: None, Plan(5)), (lambda: 1, Plan(2))])]
    [5, 2]
    """
    runs = []
    for func, plan in calls:
        start = time.perf_counter()
        func()
        runs.append(plan.runs(time.perf_counter() - start))
    times: list[list[float]] = [[] for _ in calls]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for i in range(max(runs, default=0)):
            for k, (func, _) in enumerate(calls):
                if i < runs[k]:
                    start = time.perf_counter()
                    func()
                    times[k].append(time.perf_counter() - start)
    finally:
        if was_enabled:
            gc.enable()
    return [Timing(median_s=statistics.median(t), runs=len(t)) for t in times]


def measure(func: Callable[[], object], plan: Plan) -> Timing:
    """Median time of *func* alone (see :func:`measure_together`).

    >>> measure(lambda: sum(range(100)), Plan(repeats=5)).runs
    5
    """
    return measure_together([(func, plan)])[0]


def format_seconds(seconds: float) -> str:
    """Human-readable duration with three significant digits.

    >>> format_seconds(0.000_123_4), format_seconds(0.0456), format_seconds(12.3456)
    ('123 µs', '45.6 ms', '12.3 s')
    """
    if seconds < 1e-3:
        return f"{seconds * 1e6:.3g} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"


# ---------------------------------------------------------------------------------- profiles
def impartial_culture(n_units: int, n_ballots: int, *, seed: int) -> np.ndarray:
    """Uniformly random strict complete rankings: ``(n_ballots, n_units)`` unit indices, best first.

    >>> impartial_culture(4, 2, seed=0).shape
    (2, 4)
    """
    rng = np.random.default_rng(seed)
    return np.argsort(rng.random((n_ballots, n_units)), axis=1).astype(np.int64)


def mallows(n_units: int, n_ballots: int, *, phi: float, seed: int) -> np.ndarray:
    """Mallows rankings around a seeded random reference order (repeated insertion, vectorised).

    The *i*-th unit of the reference order is inserted among the *i* placed before it, at the
    end with weight 1 and *k* places higher with weight ``phi ** k``; ``phi = 0`` always gives
    the reference order, ``phi = 1`` is impartial culture. Returns ``(n_ballots, n_units)`` unit
    indices, best first.

    >>> orders = mallows(5, 3, phi=0.0, seed=1)
    >>> bool((orders == orders[0]).all()), sorted(orders[0].tolist())
    (True, [0, 1, 2, 3, 4])
    """
    rng = np.random.default_rng(seed)
    reference = rng.permutation(n_units)
    position = np.zeros((n_ballots, n_units), dtype=np.int64)
    for i in range(n_units):
        weights = float(phi) ** np.arange(i, -1, -1, dtype=np.float64)  # slot j: phi ** (i - j)
        cdf = np.cumsum(weights) / weights.sum()
        slot = np.minimum(np.searchsorted(cdf, rng.random(n_ballots), side="right"), i)
        placed = position[:, :i]
        placed += placed >= slot[:, None]
        position[:, i] = slot
    orders = np.empty_like(position)
    np.put_along_axis(orders, position, np.broadcast_to(reference, position.shape), axis=1)
    return orders


# ---------------------------------------------------------------------------------- report
def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor() or platform.machine()
    match = re.search(r"^model name\s*:\s*(.+)$", text, flags=re.MULTILINE)
    return match.group(1).strip() if match else (platform.processor() or platform.machine())


def _git_revision(root: Path) -> str:
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=root,
                             capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"


def machine_info(root: Path | None = None) -> dict[str, str]:
    """Facts that explain a timing: CPU and cores, OS, Python and library versions, git revision."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info = {
        "cpu": f"{_cpu_model()}, {usable} usable cores ({os.cpu_count()} online)",
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "numpy": np.__version__,
        "polars": _version("polars"),
        "pref_voting": _version("pref_voting"),
        "numba": _version("numba"),
        "thidua-rank": _version("thidua-rank"),
    }
    if root is not None:
        info["git"] = _git_revision(root)
    return info


def command_line(argv: Sequence[str]) -> str:
    """The command that reproduces this run, from the repository root.

    The interpreter is given relative to the current directory when it lives below it
    (``.venv/bin/python``), else as ``python``.
    """
    exe = Path(sys.executable)
    try:
        interpreter = str(exe.relative_to(Path.cwd()))
    except ValueError:
        interpreter = "python"
    return " ".join([interpreter, "-m", "benchmarks", *(shlex.quote(a) for a in argv)])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_section(
    suite: str,
    title: str,
    rows: Sequence[Row],
    *,
    command: str,
    machine: dict[str, str],
    quick: bool,
    notes: str = "",
    when: datetime | None = None,
) -> str:
    """The markdown section of one suite, markers included."""
    stamp = (when or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"<!-- benchmarks:{suite}:start -->",
        f"## `{suite}`: {title}",
        "",
    ]
    if quick:
        lines += ["**Quick smoke run**: sizes far below the targets' sizes, so targets are not "
                  "evaluated. Run without `--quick` for the real numbers.", ""]
    lines += [
        f"- Command (from the repository root): `{command}`",
        f"- Date: {stamp}",
        *(f"- {key}: {value}" for key, value in machine.items()),
        "",
        "| case | input | ours | reference | reference time | ratio | target | met | check |",
        "|---|---|--:|---|--:|--:|---|---|---|",
    ]
    for row in rows:
        ratio = row.ratio
        met = {True: "yes", False: "**NO**", None: ""}[row.met]
        lines.append("| " + " | ".join(_cell(c) for c in (
            row.case, row.setting, str(row.ours), row.reference_name,
            str(row.reference) if row.reference is not None else "",
            f"{ratio:,.1f}×" if ratio is not None else "", row.target, met, row.check)) + " |")
    lines.append("")
    if notes.strip():
        lines += [notes.strip(), ""]
    lines.append(f"<!-- benchmarks:{suite}:end -->")
    return "\n".join(lines)


def write_section(path: Path, suite: str, section: str) -> None:
    """Put *section* into the markdown file at *path*, replacing the suite's previous section.

    Other suites' sections and any text outside the markers are kept; a missing file is
    created with a short header; a new suite's section is appended.
    """
    text = path.read_text(encoding="utf-8") if path.exists() else DOC_HEADER
    name = re.escape(suite)
    pattern = re.compile(rf"<!-- benchmarks:{name}:start -->.*?<!-- benchmarks:{name}:end -->",
                         flags=re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
