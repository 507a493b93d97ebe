"""Compare ranking methods on the same ballots.

* :func:`compare` — the rank every method gives every unit, with the spread between methods.
* :func:`agreement` — Kendall's τ-b between the methods' rankings.
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
from typing import Any

import numpy as np
import polars as pl
from scipy.stats import kendalltau

from thidua_rank.engine.ballots import Ballots
from thidua_rank.methods import method_info, methods, rank

__all__ = ["agreement", "ballot_methods", "compare"]


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


def compare(ballots: Ballots, method_ids: Sequence[str] | None = None,
            options: Mapping[str, Mapping[str, Any]] | None = None) -> pl.DataFrame:
    """Rank of every unit under every method (official unit order) and the spread of ranks.

    Parameters
    ----------
    method_ids
        Methods to run; default: every registered method that accepts these ballots.
    options
        Per-method options, e.g. ``{"minimax": {"score": "winning_votes"}}``.
    """
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


def agreement(table: pl.DataFrame) -> pl.DataFrame:
    """Kendall's τ-b between each pair of method columns of a :func:`compare` table.

    1 = identical order, 0 = unrelated, −1 = reversed. Joint places are handled by τ-b.
    """
    cols = [c for c in table.columns if c not in ("unit", "spread")]
    rows = []
    for a in cols:
        row: dict[str, Any] = {"method": a}
        for b in cols:
            if a == b:
                row[b] = 1.0
            else:
                tau = kendalltau(table.get_column(a).to_numpy(), table.get_column(b).to_numpy())
                row[b] = float(tau.statistic) if np.isfinite(tau.statistic) else 1.0
        rows.append(row)
    return pl.DataFrame(rows)
