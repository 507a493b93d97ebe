"""Ranking methods. Importing a module registers its methods; the list here is explicit."""

from thidua_rank import scoring as _scoring  # noqa: F401  (registers weighted_sum)
from thidua_rank.methods.combined import combined
from thidua_rank.methods.positional import borda

__all__ = ["borda", "combined"]
