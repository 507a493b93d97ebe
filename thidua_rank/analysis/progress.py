"""Progress reports and cancellation for long analyses (no widgets here).

A long analysis takes two optional callables: ``progress(done, total)`` after each step and
``cancel()`` that returns ``True`` to stop; it then raises :class:`AnalysisCancelled`. The
notebook and CLI pass :func:`tqdm_progress`; the page passes its own progress bar.

>>> seen = []
>>> tick = Ticker(3, progress=lambda d, t: seen.append((d, t)))
>>> for _ in range(3):
...     tick.step()
>>> seen
[(1, 3), (2, 3), (3, 3)]
>>> Ticker(2, cancel=lambda: True).step()
Traceback (most recent call last):
...
thidua_rank.analysis.progress.AnalysisCancelled: đã dừng phân tích — the analysis was cancelled
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

from thidua_rank.errors import ThiduaRankError

__all__ = ["AnalysisCancelled", "Cancel", "Progress", "Ticker", "tqdm_progress"]

Progress: TypeAlias = Callable[[int, int], Any]
"""Called as ``progress(done, total)``."""
Cancel: TypeAlias = Callable[[], bool]
"""Returns ``True`` when the person asked to stop."""


class AnalysisCancelled(ThiduaRankError):
    """The person cancelled a long analysis (raised by the analysis, caught by the page)."""

    def __init__(self) -> None:
        super().__init__("đã dừng phân tích", "the analysis was cancelled")


class Ticker:
    """Counts steps of a long analysis, reports them and checks for cancellation."""

    def __init__(self, total: int, *, progress: Progress | None = None,
                 cancel: Cancel | None = None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancel = cancel

    def check(self) -> None:
        """Raise :class:`AnalysisCancelled` if cancellation was asked for."""
        if self._cancel is not None and self._cancel():
            raise AnalysisCancelled

    def step(self, n: int = 1) -> None:
        """Count *n* steps done, report, and check for cancellation."""
        self.check()
        self.done += n
        if self._progress is not None:
            self._progress(self.done, self.total)


def tqdm_progress(desc: str = "") -> Progress:
    """A ``progress`` callback drawing a tqdm bar (notebooks and the CLI).

    >>> bar = tqdm_progress("thử")
    >>> bar(1, 2); bar(2, 2)
    """
    from tqdm.auto import tqdm

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = tqdm(total=total, desc=desc, leave=False, disable=None)
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return update
