"""Analysis for the analyst: compare ranking methods and test how robust a ranking is.

:mod:`~thidua_rank.analysis.comparison` (:func:`compare`, :func:`agreement`,
:func:`condorcet`, :func:`ballot_methods`) and :mod:`~thidua_rank.analysis.robustness`
(:func:`bootstrap`, :func:`leave_one_out`, :func:`weight_sensitivity`). All are pure functions
returning polars tables; randomness needs a seed. Long analyses take ``progress`` and
``cancel`` callables (:mod:`~thidua_rank.analysis.progress`).
"""

from thidua_rank.analysis.comparison import (
    CondorcetResult,
    agreement,
    ballot_methods,
    compare,
    condorcet,
)
from thidua_rank.analysis.progress import AnalysisCancelled, tqdm_progress
from thidua_rank.analysis.robustness import bootstrap, leave_one_out, weight_sensitivity

__all__ = ["AnalysisCancelled", "CondorcetResult", "agreement", "ballot_methods", "bootstrap",
           "compare", "condorcet", "leave_one_out", "tqdm_progress", "weight_sensitivity"]
