"""Compare ranking methods on the same ballots.

* :func:`compare` — the rank every method gives every unit, with the spread between methods.
* :func:`agreement` — Kendall's τ-b or Spearman's ρ between the methods' rankings.
* :func:`condorcet` — the Condorcet winner and loser (if any) with the pairwise evidence.
All are pure functions returning polars tables; randomness needs a seed.

>>> import thidua_rank as tr
>>> b = tr.Ballots.from_orders([[0, 1, 2], [0, 2, 1], [1, 0, 2], [0, 1, 2]],
...                            units=["A", "B", "C"])
>>> compare(b, ["borda", "copeland"]).select("unit", "borda", "spread")
shape: (3, 3)
┌──────┬───────┬────────┐
│ unit ┆ borda ┆ spread │
│ ---  ┆ ---   ┆ ---    │
│ str  ┆ i64   ┆ i64    │
╞══════╪═══════╪════════╡
│ A    ┆ 1     ┆ 0      │
│ B    ┆ 2     ┆ 0      │
│ C    ┆ 3     ┆ 0      │
└──────┴───────┴────────┘
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import polars as pl
from scipy.stats import kendalltau, spearmanr

from thidua_rank.engine.ballots import Ballots
from thidua_rank.errors import InputError
from thidua_rank.methods import method_info, methods, rank

if TYPE_CHECKING:
    from thidua_rank.meeting.model import Meeting

__all__ = ["CondorcetResult", "agreement", "ballot_methods", "compare", "condorcet",
           "vote_ballots"]


def ballot_methods(ballots: Ballots) -> list[str]:
    """Ids of the registered methods that accept these ballots (what :func:`compare` runs by
    default), by id.

    >>> import thidua_rank as tr
    >>> b = tr.Ballots.from_orders([[0, 1], [1, 0]], units=["A", "B"])
    >>> "borda" in ballot_methods(b), "approval" in ballot_methods(b)
    (True, False)
    """
    return [mid for mid in methods().get_column("id").to_list()
            if ballots.kind in method_info(mid).inputs]


def vote_ballots(ballots_or_meeting: Ballots | Meeting) -> Ballots:
    """The ballots themselves, or a meeting's ranking-vote ballots (``ranking.vote_round``).

    >>> b = Ballots.from_orders([[0, 1]], units=["A", "B"])
    >>> vote_ballots(b) is b
    True
    """
    if isinstance(ballots_or_meeting, Ballots):
        return ballots_or_meeting
    meeting = ballots_or_meeting
    round_id = meeting.config.ranking.vote_round
    if round_id is None or round_id not in meeting.ballots:
        raise InputError("hội nghị không có vòng bỏ phiếu xếp hạng",
                         "the meeting has no ranking vote round with ballots",
                         column="ranking.vote_round", value=round_id)
    return meeting.ballots[round_id]


def compare(ballots: Ballots | Meeting, method_ids: Sequence[str] | None = None,
            options: Mapping[str, Mapping[str, Any]] | None = None) -> pl.DataFrame:
    """Rank of every unit under every method (official unit order) and the spread of ranks.

    Parameters
    ----------
    ballots
        Ballots, or a meeting (its ranking-vote round is used, see :func:`vote_ballots`).
    method_ids
        Methods to run; default: every registered method that accepts these ballots.
    options
        Per-method options, e.g. ``{"minimax": {"score": "winning_votes"}}``.
    """
    ballots = vote_ballots(ballots)
    ids = list(method_ids) if method_ids is not None else ballot_methods(ballots)
    columns: dict[str, list[int]] = {"unit": list(ballots.units)}  # type: ignore[dict-item]
    for mid in ids:
        result = rank(ballots, method=mid, **dict((options or {}).get(mid, {})))
        ranks = dict(result.table.select("unit", "rank").iter_rows())
        columns[mid] = [int(ranks[u]) for u in ballots.units]
    table = pl.DataFrame(columns)
    rank_cols = [c for c in table.columns if c != "unit"]
    return table.with_columns(
        (pl.max_horizontal(rank_cols) - pl.min_horizontal(rank_cols)).alias("spread"))


def agreement(table: pl.DataFrame, statistic: Literal["kendall", "spearman"] = "kendall"
              ) -> pl.DataFrame:
    """Rank correlation between each pair of method columns of a :func:`compare` table.

    1 = identical order, 0 = unrelated, −1 = reversed. Joint places are handled by τ-b and by
    ρ on average ranks. When a method puts every unit level (no variation) the statistic is
    undefined; the table then gives 1 if both methods are level and 0 otherwise.

    Parameters
    ----------
    statistic
        ``kendall`` (Kendall's τ-b, the default) or ``spearman`` (Spearman's ρ).

    Examples
    --------
    >>> t = pl.DataFrame({"unit": ["A", "B", "C", "D"], "x": [1, 2, 3, 4], "y": [1, 3, 2, 4]})
    >>> [round(v, 4) for v in agreement(t, "spearman").row(0)[1:]]
    [1.0, 0.8]
    >>> [round(v, 4) for v in agreement(t).row(0)[1:]]
    [1.0, 0.6667]
    """
    if statistic not in ("kendall", "spearman"):
        raise InputError("thống kê phải là 'kendall' hoặc 'spearman'",
                         "statistic must be 'kendall' or 'spearman'", value=statistic)
    func = kendalltau if statistic == "kendall" else spearmanr
    cols = [c for c in table.columns if c not in ("unit", "spread")]
    rows = []
    for a in cols:
        row: dict[str, Any] = {"method": a}
        xa = table.get_column(a).to_numpy()
        for b in cols:
            xb = table.get_column(b).to_numpy()
            if a == b:
                row[b] = 1.0
                continue
            constant_a, constant_b = len(np.unique(xa)) < 2, len(np.unique(xb)) < 2
            if constant_a or constant_b:
                row[b] = 1.0 if constant_a and constant_b else 0.0
                continue
            row[b] = float(func(xa, xb).statistic)
        rows.append(row)
    return pl.DataFrame(rows)


@dataclass(frozen=True)
class CondorcetResult:
    """The Condorcet winner and loser of a set of ballots, with the pairwise evidence.

    Attributes
    ----------
    winner
        The unit preferred to every other unit by more ballots than prefer the other, if any.
    loser
        The unit beaten that way by every other unit, if any.
    pairwise
        One row per ordered pair: ``unit, opponent, support`` (ballots ranking *unit* above
        *opponent*), ``against``, ``margin`` (support − against).
    """

    winner: str | None
    loser: str | None
    pairwise: pl.DataFrame

    def evidence(self, unit: str) -> pl.DataFrame:
        """The pairwise rows of *unit* against every opponent."""
        return self.pairwise.filter(pl.col("unit") == unit)


def condorcet(ballots: Ballots | Meeting) -> CondorcetResult:
    """Condorcet winner and loser (strict pairwise majorities), or ``None`` for either.

    A Condorcet winner beats every other unit head to head (more ballots rank it above than
    below); a loser is beaten by every other unit. With a majority cycle or ties there is none.

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1]], units=["A", "B", "C"])
    >>> r = condorcet(b)
    >>> r.winner, r.loser
    ('A', 'C')
    >>> r.evidence("A").select("opponent", "support", "against", "margin").rows()
    [('B', 2, 1, 1), ('C', 3, 0, 3)]
    >>> cycle = Ballots.from_orders([[0, 1, 2], [1, 2, 0], [2, 0, 1]], units=["A", "B", "C"])
    >>> condorcet(cycle).winner is None
    True
    """
    ballots = vote_ballots(ballots)
    p = ballots.pairwise()
    margins = p - p.T
    n = ballots.n_units
    off = ~np.eye(n, dtype=bool)
    wins = ((margins > 0) | ~off).all(axis=1)
    losses = ((margins < 0) | ~off).all(axis=1)
    winner = ballots.units[int(np.flatnonzero(wins)[0])] if n > 1 and wins.any() else None
    loser = ballots.units[int(np.flatnonzero(losses)[0])] if n > 1 and losses.any() else None
    rows = [(ballots.units[i], ballots.units[j], int(p[i, j]), int(p[j, i]), int(margins[i, j]))
            for i in range(n) for j in range(n) if i != j]
    table = pl.DataFrame(rows, schema={"unit": pl.String, "opponent": pl.String,
                                       "support": pl.Int64, "against": pl.Int64,
                                       "margin": pl.Int64}, orient="row")
    return CondorcetResult(winner=winner, loser=loser, pairwise=table)
