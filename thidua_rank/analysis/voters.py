"""Who voted how: each ballot's distance from the consensus, and self-votes.

* :func:`voter_analysis` — each ballot's normalised Kendall distance to the consensus order,
  outliers flagged.
* voting blocs are in :mod:`thidua_rank.analysis.blocs`.
* :func:`self_vote_effect` — the ranking with and without self-votes, or (secret ballots) the
  bound on what self-votes could have changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

import numpy as np
import polars as pl

from thidua_rank.analysis.comparison import vote_ballots
from thidua_rank.engine.ballots import Ballots
from thidua_rank.errors import InputError
from thidua_rank.methods import rank

if TYPE_CHECKING:
    from thidua_rank.meeting.model import Meeting

__all__ = ["consensus_order", "kendall_distances", "self_vote_effect", "voter_analysis"]


def consensus_order(ballots: Ballots, method: Literal["borda", "kemeny"] = "borda"
                    ) -> np.ndarray:
    """Consensus position of each unit (0 = best; joint places share a position).

    >>> b = Ballots.from_orders([[1, 0, 2], [1, 2, 0]], units=["A", "B", "C"])
    >>> consensus_order(b).tolist()
    [1, 0, 1]
    """
    if method not in ("borda", "kemeny"):
        raise InputError("thứ tự đồng thuận phải là 'borda' hoặc 'kemeny'",
                         "consensus must be 'borda' or 'kemeny'", value=method)
    result = rank(ballots, method=method)
    ranks = dict(result.table.select("unit", "rank").iter_rows())
    return np.array([ranks[u] - 1 for u in ballots.units], dtype=np.int64)


def kendall_distances(keys: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Normalised Kendall distance of each row of *keys* (smaller = better) to *reference*.

    Over the pairs the reference orders strictly: 1 per pair in the opposite order, ½ per pair
    the ballot leaves level; divided by the number of such pairs (0 = same order, 1 =
    reversed, ½ ≈ a random ballot).

    >>> kendall_distances(np.array([[1, 2, 3], [3, 2, 1], [1, 1, 2]]), np.array([0, 1, 2]))
    array([0.        , 1.        , 0.16666667])
    """
    ahead = reference[:, None] < reference[None, :]          # i before j in the reference
    pairs = int(ahead.sum())
    if pairs == 0:
        return np.zeros(len(keys))
    k = keys[:, :, None]
    flips = ((k > keys[:, None, :]) & ahead).sum(axis=(1, 2))
    level = ((k == keys[:, None, :]) & ahead).sum(axis=(1, 2))
    return (flips + 0.5 * level) / pairs


def voter_analysis(ballots: Ballots | Meeting, *,
                   consensus: Literal["borda", "kemeny"] = "borda",
                   voters: Mapping[str, str] | None = None) -> pl.DataFrame:
    """Each ballot's distance from the consensus ranking; outliers flagged.

    Parameters
    ----------
    ballots
        Ranked (or approval) ballots, or a meeting (its ranking round).
    consensus
        The consensus order: ``borda`` (default) or ``kemeny``.
    voters
        Ballot id → voter's unit, when ballots are not secret (the table then names them).
        Default: the ballots' own :attr:`~thidua_rank.Ballots.voters` (read from a ``voter``
        column), else none.

    Returns
    -------
    polars.DataFrame
        One row per distinct ballot, farthest first: ``ballot, count, voter, distance``
        (normalised Kendall distance, see :func:`kendall_distances`), ``outlier`` (distance
        above ``Q3 + 1.5·IQR`` of all ballots, weighted by count, and above ½ — further than a
        random ballot would be on average — or the IQR rule alone when it is stricter).

    Examples
    --------
    >>> b = Ballots.from_orders([[0, 1, 2, 3]] * 6 + [[3, 2, 1, 0]], units=list("ABCD"))
    >>> voter_analysis(b).select("ballot", "distance", "outlier").head(2)
    shape: (2, 3)
    ┌────────┬──────────┬─────────┐
    │ ballot ┆ distance ┆ outlier │
    │ ---    ┆ ---      ┆ ---     │
    │ str    ┆ f64      ┆ bool    │
    ╞════════╪══════════╪═════════╡
    │ 7      ┆ 1.0      ┆ true    │
    │ 1      ┆ 0.0      ┆ false   │
    └────────┴──────────┴─────────┘
    """
    ballots = vote_ballots(ballots)
    reference = consensus_order(ballots, consensus)
    dist = kendall_distances(ballots.order_keys.astype(np.int64), reference)
    weights = ballots.counts
    if weights.sum() == 0:
        raise InputError("không có phiếu hợp lệ", "there are no valid ballots")
    if voters is None and ballots.voters:
        voters = {i: v for i, v in zip(ballots.ids, ballots.voters, strict=True) if v}
    expanded = np.repeat(dist, weights)
    q1, q3 = np.percentile(expanded, [25, 75])
    fence = q3 + 1.5 * (q3 - q1)
    outlier = (dist > fence) & (dist > 0.5)
    table = pl.DataFrame({
        "ballot": list(ballots.ids), "count": weights,
        "voter": [(voters or {}).get(i) for i in ballots.ids], "distance": dist,
        "outlier": outlier}, schema={"ballot": pl.String, "count": pl.Int64,
                                     "voter": pl.String, "distance": pl.Float64,
                                     "outlier": pl.Boolean})
    return table.sort("distance", descending=True, maintain_order=True)


def self_vote_effect(meeting: Meeting, round: str | None = None, *,
                     voters: Sequence[str | None] | Mapping[str, str] | None = None
                     ) -> pl.DataFrame:
    """The round's ranking with and without self-votes, or the bound when ballots are secret.

    Parameters
    ----------
    meeting, round
        The meeting and the round id (default: the ranking vote round).
    voters
        The voter's unit of each ballot (a sequence in ballot order, or ballot id → unit).
        Default: the ballots' own :attr:`~thidua_rank.Ballots.voters` (a ballots file with a
        ``voter`` column keeps them); without either the ballots count as secret.

    Returns
    -------
    polars.DataFrame
        One row per unit: ``unit, rank`` (as counted). With voters: ``rank_without`` (each
        ballot's mark on its own unit removed — left unranked — and the round re-counted by
        its method), ``change`` (rank_without − rank). Secret: ``rank_best`` and
        ``rank_worst``, the best and worst place the unit could have without one self-vote per
        unit present, found by removing from each other unit's score the most one ballot can
        give it (Borda: n − 1 points; approval / choose: 1 mark) and from this unit's none,
        or the reverse; ``change_possible`` says whether the place could differ.

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import data_folder
    >>> m = tr.load_meeting(data_folder("sample_data") / "ninh-binh-co-quan-dang-2022")
    >>> t = self_vote_effect(m)
    >>> t.columns[:4]
    ['unit', 'rank', 'rank_best', 'rank_worst']
    """
    rid = round or meeting.config.ranking.vote_round
    if rid is None or rid not in meeting.ballots:
        raise InputError("không có phiếu của vòng này", "no ballots for this round", value=rid)
    rnd = meeting.config.round(rid)
    b = meeting.ballots[rid]
    method = rnd.method
    base = rank(b, method=method)
    ranks = dict(base.table.select("unit", "rank").iter_rows())
    if voters is None and b.voters:
        voters = list(b.voters)
    if voters is not None:
        if isinstance(voters, Mapping):
            who = [voters.get(i) for i in b.ids]
        else:
            who = list(voters)
            if len(who) != len(b.ids):
                raise InputError("số đơn vị bầu khác số phiếu",
                                 f"voters must give one unit per ballot ({len(b.ids)})",
                                 value=len(who))
        index = meeting.index
        cleaned = b.ranks.copy()
        for r, w in enumerate(who):
            if w is None:
                continue
            name = index.name(w)
            if name in b.units:
                j = b.units.index(name)
                own = cleaned[r, j]
                cleaned[r, j] = 0
                if b.kind == "ranked" and own:
                    cleaned[r] = np.where(cleaned[r] > own, cleaned[r] - 1, cleaned[r])
        without = rank(Ballots(units=b.units, ranks=cleaned, counts=b.counts, kind=b.kind,
                               ids=b.ids, max_choices=b.max_choices, voters=b.voters),
                       method=method)
        after = dict(without.table.select("unit", "rank").iter_rows())
        return pl.DataFrame({"unit": list(b.units), "rank": [ranks[u] for u in b.units],
                             "rank_without": [after[u] for u in b.units],
                             "change": [after[u] - ranks[u] for u in b.units]}
                            ).sort("rank", maintain_order=True)
    present = set(meeting.present)
    per_ballot = Fraction(b.n_units - 1) if b.kind == "ranked" else Fraction(1)
    if method not in ("borda", "approval"):
        per_ballot = Fraction(0)
    scores = {u: Fraction(base.exact[u]) for u in b.units}
    self_votes = {u: per_ballot if u in present else Fraction(0) for u in b.units}
    best, worst = {}, {}
    for u in b.units:
        lifted = [scores[v] - self_votes[v] for v in b.units if v != u]
        best[u] = 1 + sum(s > scores[u] for s in lifted)
        mine = scores[u] - self_votes[u]
        worst[u] = 1 + sum(scores[v] > mine for v in b.units if v != u)
    return pl.DataFrame({
        "unit": list(b.units), "rank": [ranks[u] for u in b.units],
        "rank_best": [min(best[u], ranks[u]) for u in b.units],
        "rank_worst": [max(worst[u], ranks[u]) for u in b.units],
        "change_possible": [best[u] < ranks[u] or worst[u] > ranks[u] for u in b.units],
        "bounded": [per_ballot > 0] * b.n_units,
    }).sort("rank", maintain_order=True)

