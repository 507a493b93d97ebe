"""Ranking methods. Importing a module registers its methods; the list here is explicit."""

from thidua_rank import scoring as _scoring  # noqa: F401  (registers weighted_sum)
from thidua_rank.methods.approval import approval
from thidua_rank.methods.combined import combined
from thidua_rank.methods.condorcet import copeland, minimax, ranked_pairs, schulze
from thidua_rank.methods.irv import instant_runoff
from thidua_rank.methods.kemeny import kemeny
from thidua_rank.methods.positional import borda, dowdall, plurality

__all__ = [
    "approval",
    "borda",
    "combined",
    "copeland",
    "dowdall",
    "instant_runoff",
    "kemeny",
    "minimax",
    "plurality",
    "ranked_pairs",
    "schulze",
]
