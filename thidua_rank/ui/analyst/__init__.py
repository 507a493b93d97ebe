"""The analyst's dashboard (compare methods, stability, critical ballots, criteria weights)."""

from thidua_rank.ui.analyst.page import AnalystPage

__all__ = ["AnalystPage"]
