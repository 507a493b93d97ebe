"""Ranking methods. Importing a module registers its methods; the list here is explicit."""

from thidua_rank.methods.positional import borda

__all__ = ["borda"]
