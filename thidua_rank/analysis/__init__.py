"""Analysis for the analyst: compare ranking methods and test how robust a ranking is.

:mod:`~thidua_rank.analysis.comparison` (:func:`compare`, :func:`agreement`,
:func:`ballot_methods`) and :mod:`~thidua_rank.analysis.robustness` (:func:`bootstrap`,
:func:`leave_one_out`, :func:`weight_sensitivity`). All are pure functions returning polars
tables; randomness needs a seed.
"""

from thidua_rank.analysis.comparison import agreement, ballot_methods, compare
from thidua_rank.analysis.robustness import bootstrap, leave_one_out, weight_sensitivity

__all__ = ["agreement", "ballot_methods", "bootstrap", "compare", "leave_one_out",
           "weight_sensitivity"]
