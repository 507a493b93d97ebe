"""The analyst's dashboard (compare methods, awards under every method, cut-off margins,
stability, critical ballots, criteria weights, far-off ballots and self-votes, voting blocs).

:class:`AnalystPage` loads on first use, so the server can read :mod:`.env` (the folders the
command line passes to the page) without importing the widgets, polars and the analyses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from thidua_rank.ui.analyst.page import AnalystPage

__all__ = ["AnalystPage"]


def __getattr__(name: str) -> Any:
    if name == "AnalystPage":
        from thidua_rank.ui.analyst.page import AnalystPage

        return AnalystPage
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
