"""The first-preference tally shared by plurality and instant runoff.

Each ballot counts for its highest-ranked unit among those still *continuing*. A ballot with
*k* units tied at its top gives each ``1/k`` (or, with ``split_ties=False``, a whole vote); a
ballot with no continuing unit ranked is exhausted. Everything is exact: the shares are counted
as integers over the least common multiple of the tie sizes, in one matrix product.

>>> from thidua_rank.engine.ballots import Ballots
>>> b = Ballots.from_ranks([[1, 2, 3], [1, 1, 2], [0, 0, 1]], units=["A", "B", "C"])
>>> first_preferences(b)
([Fraction(3, 2), Fraction(1, 2), Fraction(1, 1)], Fraction(0, 1))
>>> first_preferences(b, np.array([True, True, False]))  # C eliminated: ballot 3 is exhausted
([Fraction(3, 2), Fraction(1, 2), Fraction(0, 1)], Fraction(1, 1))
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from thidua_rank.engine.ballots import Ballots

__all__ = ["first_preferences", "top_choices"]

_INT64_SAFE = 2**62


def top_choices(ballots: Ballots, continuing: np.ndarray | None = None) -> np.ndarray:
    """``(m, n)`` boolean: the units at the top of each ballot among the *continuing* ones
    (all units by default); a row with no continuing unit ranked or marked is all ``False``."""
    ranked = ballots.ranks > 0
    if continuing is not None:
        ranked = ranked & np.asarray(continuing, dtype=bool)[None, :]
    keys = np.where(ranked, ballots.order_keys, np.iinfo(np.int32).max)
    return (keys == keys.min(axis=1, keepdims=True, initial=np.iinfo(np.int32).max)) & ranked


def first_preferences(
    ballots: Ballots, continuing: np.ndarray | None = None, *, split_ties: bool = True
) -> tuple[list[Fraction], Fraction]:
    """First-preference votes of each unit (official order) and the exhausted votes, exact.

    Parameters
    ----------
    ballots
        Valid ballots (with their counts).
    continuing
        Boolean mask of the units still in the count (default: all).
    split_ties
        A ballot with *k* units tied at its top gives each ``1/k`` (default); ``False`` gives
        each of them a whole vote.
    """
    top = top_choices(ballots, continuing)
    counts = ballots.counts.astype(np.int64)
    sizes = top.sum(axis=1)
    exhausted = Fraction(int(counts[sizes == 0].sum()))
    if not split_ties:
        return [Fraction(int(v)) for v in counts @ top], exhausted
    present = np.unique(sizes[sizes > 0])
    common = int(np.lcm.reduce(present)) if present.size else 1
    # each ballot's share as an integer number of 1/common votes
    share = np.where(sizes > 0, common // np.maximum(sizes, 1), 0)
    if common * int(counts.sum()) < _INT64_SAFE:
        votes = (counts * share) @ top.astype(np.int64)
    else:  # huge tie sizes times many ballots: Python integers, still exact
        votes = (counts.astype(object) * share.astype(object)) @ top.astype(object)
    return [Fraction(int(v), common) for v in votes], exhausted
