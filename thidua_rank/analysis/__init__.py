"""Analysis for the analyst: compare ranking methods and test how robust a ranking is.

:mod:`~thidua_rank.analysis.comparison` (:func:`compare`, :func:`agreement`,
:func:`condorcet`, :func:`ballot_methods`), :mod:`~thidua_rank.analysis.robustness`
(:func:`bootstrap`, :func:`leave_one_out`, :func:`weight_sensitivity`),
:mod:`~thidua_rank.analysis.weights` (:func:`weight_perturbation`),
:mod:`~thidua_rank.analysis.awards` (:func:`awards_by_method`),
:mod:`~thidua_rank.analysis.margins` (:func:`cutoff_margins`),
:mod:`~thidua_rank.analysis.voters` (:func:`voter_analysis`, :func:`self_vote_effect`) and
:mod:`~thidua_rank.analysis.blocs` (:func:`blocs`).
All are pure functions returning polars tables; randomness needs a seed. Long analyses take
``progress`` and ``cancel`` callables (:mod:`~thidua_rank.analysis.progress`).
"""

from thidua_rank.analysis.awards import awards_by_method
from thidua_rank.analysis.blocs import blocs
from thidua_rank.analysis.comparison import (
    CondorcetResult,
    agreement,
    ballot_methods,
    compare,
    condorcet,
)
from thidua_rank.analysis.margins import cutoff_margins
from thidua_rank.analysis.progress import AnalysisCancelled, tqdm_progress
from thidua_rank.analysis.robustness import bootstrap, leave_one_out, weight_sensitivity
from thidua_rank.analysis.voters import self_vote_effect, voter_analysis
from thidua_rank.analysis.weights import weight_perturbation

__all__ = ["AnalysisCancelled", "CondorcetResult", "agreement", "awards_by_method",
           "ballot_methods", "blocs", "bootstrap", "compare", "condorcet", "cutoff_margins",
           "leave_one_out", "self_vote_effect", "tqdm_progress", "voter_analysis",
           "weight_perturbation", "weight_sensitivity"]
