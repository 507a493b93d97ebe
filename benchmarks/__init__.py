"""Reproducible speed comparisons; ``python -m benchmarks`` writes the results to BENCHMARKS.md.

A *suite* is a module of this package with

* ``TITLE`` — one line saying what it compares,
* ``NOTES`` — markdown printed under its table (method, fairness of the reference, caveats),
* ``run(quick: bool) -> list[Row]`` — the measurements (:class:`benchmarks.common.Row`);
  ``quick`` asks for tiny sizes (a smoke run of a few seconds).

Suites are listed explicitly in :data:`SUITES` (name → module), never found by scanning file
names. To add one, write ``benchmarks/<name>.py`` and add its line here, e.g.
``"live": "benchmarks.live"``; ``python -m benchmarks --only <name>`` then runs it alone and
rewrites only its section of BENCHMARKS.md.
"""

from __future__ import annotations

import importlib
from typing import cast

from benchmarks.common import Row, Suite

__all__ = ["SUITES", "Row", "Suite", "load_suite"]

SUITES: dict[str, str] = {
    "engine": "benchmarks.engine",
    "live": "benchmarks.live",
    "analysis": "benchmarks.analysis",
}
"""Registered suites, in the order ``python -m benchmarks`` runs them."""


def load_suite(name: str) -> Suite:
    """Import the suite registered as *name*.

    >>> load_suite("engine").TITLE
    'ranking engine vs pref_voting, end to end'
    """
    try:
        module = SUITES[name]
    except KeyError:
        msg = f"unknown benchmark suite {name!r}; expected one of {sorted(SUITES)}"
        raise KeyError(msg) from None
    return cast(Suite, importlib.import_module(module))
