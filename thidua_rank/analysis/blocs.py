"""Voting blocs: groups of units whose ballots systematically put each other at the top.

Two questions, depending on what the ballots say about their voters:

* **Named ballots** (:attr:`~thidua_rank.Ballots.voters` known): do the voters of a group *G*
  rank the other members of *G* higher than everybody else ranks them? The *in-group boost*
  of *G* is the mean, over every ballot cast by a member *a* of *G* and every other member
  *u* of *G*, of ``support(ballot, u) − consensus_G(u)``, where ``support`` is the unit's
  normalised Borda position on that ballot (1 = first, 0 = last, ties halfway; a voter's own
  unit that a self-vote rule kept off the ballot is left out) and ``consensus_G(u)`` the mean
  support *u* gets from the ballots of voters outside *G*; a voter's place for its own unit
  never counts as in-group. The search statistic is the boost in standard errors,
  ``z = boost · √pairs / σ`` (σ: the spread of support around each unit's mean; *pairs* =
  the group's ballots × (k − 1), a count no relabelling changes), so that groups of 2, 3 and
  4 compete on one scale. **Null**: the voters' labels are permuted among
  the ballots. Under "no bloc" a ballot does not depend on who cast it, so every relabelling
  is equally likely: the test is exact (conservative when voters also rank themselves
  first, or cannot rank themselves), and it keeps every ballot, every unit's popularity and
  the number of ballots per voter as they are. Its limit: with one ballot per voter and *m*
  voters, no group of *k* can reach a p-value below about ``1 / C(m, k)`` (the chance that a
  relabelling hands the bloc's ballots back to the bloc) — 0.012 for 3 of 9 voters,
  0.015 for 2 of 12.
* **Secret ballots**: only the *favoured group* can be seen — a set of *k* units that fills
  the top *k* places of more ballots than their popularity predicts. ``O_G`` counts the
  ballots whose top *k* places hold exactly *G* (with ties at place *k*, every *k*-subset of
  the tied top counts; for approval ballots, every *k*-subset of the approved units).
  The statistic is the Poisson surprise ``−log10 P(Pois(E_G) ≥ O_G)`` for ``O_G ≥ 2``
  (a pattern on one ballot is not systematic). **Null**: a Plackett–Luce model fitted to the
  ballots (MM algorithm, Hunter 2004), sampled with the Gumbel trick, each sampled ballot
  ranking as many units as the real one (approval: marking as many). ``E_G`` is the mean of
  ``O_G`` over an independent set of model draws. The choice: permuting each unit's column
  across ballots keeps popularity exactly but breaks the ballots (a ballot could have two
  firsts), and its independence overstates how often two strong units share the top *k*
  (only *k* places exist), which makes the test blind; the fitted Plackett–Luce model keeps
  every ballot a ranking, matches each unit's popularity (its maximum-likelihood equations),
  and is exact when there is no consensus at all (impartial culture). It cannot tell a bloc
  from voters who genuinely share a taste for the same units — named ballots can.

Both modes search exhaustively over all groups of 2 … ``max_size`` units (beyond
:data:`EXHAUSTIVE_LIMIT` candidate groups, named mode searches pairs exhaustively and grows the
best :data:`BEAM` groups by one unit at a time), and every permutation replicate repeats the
same search and keeps its *maximum* statistic: a group's p-value is the share of replicates
whose best group beat it, ``(1 + #{max_r ≥ stat}) / (1 + R)``, a family-wise p-value over all
groups searched.

>>> import dataclasses, thidua_rank as tr
>>> from thidua_rank.synth import mallows_orders
>>> orders = mallows_orders(range(9), 18, 0.5, 3).tolist()
>>> for row in (6, 7, 8, 15, 16, 17):  # the voters of units 6, 7, 8 rank 6, 7, 8 first
...     orders[row] = [6, 7, 8] + [u for u in orders[row] if u < 6]
>>> secret = tr.Ballots.from_orders(orders, units=[f"Sở {c}" for c in "ABCDEFGHI"])
>>> named = dataclasses.replace(secret, voters=tuple(secret.units[i % 9] for i in range(18)))
>>> found = blocs(named, permutations=199).row(0, named=True)
>>> found["group"], found["voters"], round(found["strength"], 2), found["p_value"]
(['Sở G', 'Sở H', 'Sở I'], ['Sở G', 'Sở H', 'Sở I'], 0.7, 0.005)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import polars as pl
from scipy.stats import poisson

from thidua_rank.analysis.comparison import vote_ballots
from thidua_rank.analysis.progress import Cancel, Progress, Ticker
from thidua_rank.engine.ballots import Ballots
from thidua_rank.errors import InputError

if TYPE_CHECKING:
    from thidua_rank.meeting.model import Meeting

__all__ = ["BEAM", "EXHAUSTIVE_LIMIT", "MIN_BALLOTS", "blocs"]

EXHAUSTIVE_LIMIT = 30_000
"""Named mode searches every group when there are at most this many; else a beam search."""
BEAM = 40
"""Groups of size k − 1 grown by one unit in the beam search (named mode, many units)."""
MIN_BALLOTS = 2
"""Secret mode: the fewest ballots that must carry a pattern for it to be scored."""
ZONE_CAP = 8
"""Secret mode: a ballot tying more units than this within its top k supports no group."""
_CHUNK = 25
"""Replicates between progress reports."""

Groups = list[np.ndarray]
"""Candidate groups by size: ``groups[i]`` is an ``(g, 2 + i)`` array of unit positions."""


# ---------------------------------------------------------------------- shared pieces
def _combos(units: np.ndarray, k: int) -> np.ndarray:
    rows = list(itertools.combinations(units.tolist(), k))
    return np.array(rows, dtype=np.int64).reshape(len(rows), k)


def _family_p(stats: np.ndarray, null_max: np.ndarray) -> np.ndarray:
    """Family-wise permutation p-values: ``(1 + #{null_max ≥ stat}) / (1 + R)``.

    >>> _family_p(np.array([5.0, 1.0]), np.array([0.5, 2.0, 6.0])).tolist()
    [0.5, 0.75]
    """
    ordered = np.sort(null_max)
    above = ordered.size - np.searchsorted(ordered, stats, side="left")
    return (1 + above) / (1 + ordered.size)


def _pick(stats: np.ndarray, groups: list[tuple[int, ...]], top: int) -> list[int]:
    """Indices of the best groups, best first, none sharing a unit with a better one."""
    chosen: list[int] = []
    used: set[int] = set()
    for i in np.argsort(-stats, kind="stable"):
        if not np.isfinite(stats[i]) or stats[i] <= 0:
            break
        if used.isdisjoint(groups[i]):
            chosen.append(int(i))
            used.update(groups[i])
            if len(chosen) == top:
                break
    return chosen


# ---------------------------------------------------------------------- named ballots
def support_matrix(keys: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Normalised Borda position of each unit on each ballot (1 = first, 0 = last).

    ``keys`` is ``(m, n)``, smaller = better; ``missing`` marks the cells left out (a voter's
    own unit that the ballot could not rank under a self-vote rule). Value: (units below +
    ½ units level) / (units compared − 1), over the units not left out; NaN where left out.

    >>> support_matrix(np.array([[1, 2, 3], [4, 1, 2], [1, 1, 3]]),
    ...                np.array([[False] * 3, [True, False, False], [False] * 3]))
    array([[1.  , 0.5 , 0.  ],
           [ nan, 1.  , 0.  ],
           [0.75, 0.75, 0.  ]])
    """
    n = keys.shape[1]
    eligible = ~missing
    k = keys[:, :, None]
    other = keys[:, None, :]
    mask = eligible[:, None, :] & ~np.eye(n, dtype=bool)[None, :, :]
    below = ((other > k) & mask).sum(axis=2)
    level = ((other == k) & mask).sum(axis=2)
    compared = eligible.sum(axis=1, keepdims=True) - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (below + 0.5 * level) / compared
    return np.where(eligible & (compared > 0), out, np.nan)


@dataclass(frozen=True)
class _Named:
    support: np.ndarray   # (m, n) with NaN where not defined
    filled: np.ndarray    # support with NaN → 0
    defined: np.ndarray   # 1.0 where defined
    total: np.ndarray     # (n,) sum of support per unit
    count: np.ndarray     # (n,) ballots defining it
    sigma: float
    n: int
    cast: np.ndarray      # (n,) ballots per voter unit (the same under every relabelling)

    def tables(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``A[a, u]``: support given to *u* by ballots labelled *a*; ``C``: how many."""
        onehot = np.zeros((labels.size, self.n))
        known = labels >= 0
        onehot[np.flatnonzero(known), labels[known]] = 1.0
        return onehot.T @ self.filled, onehot.T @ self.defined

    def stats(self, a_tab: np.ndarray, c_tab: np.ndarray, groups: np.ndarray,
              cells: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(z, boost) of every row of *groups* (``(g, k)``); −inf where undefined.

        *cells* are the flat indices of the groups' ``k × k`` blocks (:func:`_cells`).
        """
        cells = _cells(groups, self.n) if cells is None else cells
        excl_a = np.take(a_tab, cells).sum(axis=0)      # (g, k): Σ over the group's voters
        excl_c = np.take(c_tab, cells).sum(axis=0)
        diagonal = groups * (self.n + 1)
        pair_c = excl_c - np.take(c_tab, diagonal)       # ballots of the *other* members
        rest = self.count[groups] - excl_c
        with np.errstate(invalid="ignore", divide="ignore"):
            consensus = (self.total[groups] - excl_a) / rest
            pairs = pair_c.sum(axis=1)
            inside = (excl_a - np.take(a_tab, diagonal)).sum(axis=1)
            boost = (inside - np.where(pair_c > 0, consensus * pair_c, 0.0).sum(axis=1)) / pairs
            nominal = (groups.shape[1] - 1) * self.cast[groups].sum(axis=1)
            z = boost * np.sqrt(nominal) / self.sigma
        bad = (pairs <= 0) | ~np.isfinite(z) | ((rest <= 0) & (pair_c > 0)).any(axis=1)
        return np.where(bad, -np.inf, z), np.where(bad, np.nan, boost)


def _cells(groups: np.ndarray, n: int) -> np.ndarray:
    """Flat indices into an ``n × n`` table, ``(k, g, k)``: ``[j, i, :]`` is row ``groups[i,
    j]`` of group *i*'s block (summing over the first axis is one fast pass)."""
    return groups.T[:, :, None] * n + groups[None, :, :]


def _named_search(model: _Named, a_tab: np.ndarray, c_tab: np.ndarray, voting: np.ndarray,
                  max_size: int, fixed: Groups | None, cells: list[np.ndarray] | None = None
                  ) -> tuple[Groups, list[np.ndarray], list[np.ndarray]]:
    """Evaluate the fixed groups, or run the beam search: pairs, then the best groups grown."""
    if fixed is not None:
        blocks = cells if cells is not None else [_cells(g, model.n) for g in fixed]
        out = [model.stats(a_tab, c_tab, g, c) for g, c in zip(fixed, blocks, strict=True)]
        return fixed, [z for z, _ in out], [b for _, b in out]
    groups: Groups = [_combos(voting, 2)]
    z, boost = model.stats(a_tab, c_tab, groups[0])
    zs, boosts = [z], [boost]
    for _ in range(3, max_size + 1):
        best = groups[-1][np.argsort(-zs[-1], kind="stable")[:BEAM]]
        grown = np.concatenate([np.column_stack([best, np.full(len(best), u)])
                                for u in voting.tolist()])
        grown = grown[~(grown[:, :-1] == grown[:, -1:]).any(axis=1)]
        grown = np.unique(np.sort(grown, axis=1), axis=0)
        z, boost = model.stats(a_tab, c_tab, grown)
        groups.append(grown)
        zs.append(z)
        boosts.append(boost)
    return groups, zs, boosts


def null_labels(labels: np.ndarray, permutations: int, rng: np.random.Generator
                ) -> np.ndarray:
    """The permuted voter labels of each replicate (``(R, m)``), drawn as :func:`blocs` does.

    >>> null_labels(np.array([0, 1, 2]), 2, np.random.default_rng(0)).shape
    (2, 3)
    """
    return np.stack([rng.permutation(labels) for _ in range(permutations)]) if \
        permutations else np.zeros((0, labels.size), np.int64)


def _named(b: Ballots, keys: np.ndarray, unranked: np.ndarray, labels: np.ndarray,
           ids: list[str], *,
           max_size: int, permutations: int, rng: np.random.Generator, alpha: float,
           top: int, tick: Ticker) -> pl.DataFrame:
    n = b.n_units
    missing = np.zeros(keys.shape, dtype=bool)
    rows = np.flatnonzero(labels >= 0)
    missing[rows, labels[rows]] = unranked[rows, labels[rows]]
    support = support_matrix(keys, missing)
    defined = np.isfinite(support)
    filled = np.where(defined, support, 0.0)
    count = defined.sum(axis=0).astype(np.float64)
    total = filled.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = np.where(defined, support - total / count, np.nan)
    sigma = float(np.sqrt(np.nanmean(centred**2))) if defined.any() else 0.0
    cast = np.bincount(labels[labels >= 0], minlength=n).astype(np.float64)
    model = _Named(support, filled, defined.astype(np.float64), total, count,
                   sigma if sigma > 0 else 1.0, n, cast)
    voting = np.unique(labels[labels >= 0])
    sizes = range(2, min(max_size, voting.size) + 1)
    n_groups = sum(math.comb(voting.size, k) for k in sizes)
    fixed = [_combos(voting, k) for k in sizes] if n_groups <= EXHAUSTIVE_LIMIT else None
    size_cap = max(sizes, default=1)
    cells = [_cells(g, n) for g in fixed] if fixed is not None else None
    a_tab, c_tab = model.tables(labels)
    groups, zs, boosts = _named_search(model, a_tab, c_tab, voting, size_cap, fixed, cells)
    null_max = np.full(permutations, -np.inf)
    for r, perm in enumerate(null_labels(labels, permutations, rng)):
        a_r, c_r = model.tables(perm)
        _, z_r, _ = _named_search(model, a_r, c_r, voting, size_cap, fixed, cells)
        null_max[r] = max((float(z.max()) for z in z_r if z.size), default=-np.inf)
        if (r + 1) % _CHUNK == 0 or r + 1 == permutations:
            tick.step((r % _CHUNK) + 1)
    flat = [tuple(int(u) for u in g) for block in groups for g in block]
    stats = np.concatenate(zs) if zs else np.zeros(0)
    boost = np.concatenate(boosts) if boosts else np.zeros(0)
    rows = []
    for i in _pick(stats, flat, top):
        group = flat[i]
        carrying, who = [], []
        for row in np.flatnonzero(np.isin(labels, group)):
            others = [u for u in group if u != labels[row]]
            lifts = support[row, others] - _consensus(model, a_tab, c_tab, group, others)
            lifts = lifts[np.isfinite(lifts)]
            if lifts.size and lifts.mean() > 0:
                carrying.append(ids[row])
                who.append(b.units[labels[row]])
        rows.append((group, float(boost[i]), float(stats[i]), list(dict.fromkeys(who)),
                     list(dict.fromkeys(carrying))))
    return _table(b, rows, null_max, alpha, named=True)


def _consensus(model: _Named, a_tab: np.ndarray, c_tab: np.ndarray, group: tuple[int, ...],
               units: list[int]) -> np.ndarray:
    g = list(group)
    return np.array([(model.total[u] - a_tab[g, u].sum()) / (model.count[u] - c_tab[g, u].sum())
                     for u in units])


# ---------------------------------------------------------------------- secret ballots
def fit_plackett_luce(orders: np.ndarray, stages: np.ndarray, n: int, *,
                      iterations: int = 300) -> np.ndarray:
    """Plackett–Luce worths (mean 1) fitted by the MM algorithm (Hunter 2004).

    ``orders`` lists unit indices best → worst per ballot; ballot *i* made ``stages[i]``
    choices (its first ``stages[i]`` units were each chosen from those not yet placed). A weak
    Gamma prior (half a win, half a loss per unit) keeps a never-chosen unit's worth positive.

    >>> w = fit_plackett_luce(np.array([[0, 1, 2]] * 30 + [[1, 0, 2]] * 10), np.full(40, 2), 3)
    >>> bool(w[0] > w[1] > w[2])
    True
    """
    m, width = orders.shape
    steps = np.arange(width)[None, :]
    active = steps < stages[:, None]
    wins = np.zeros(n)
    np.add.at(wins, orders[active], 1.0)
    position = np.empty((m, n), dtype=np.int64)
    position[np.arange(m)[:, None], orders] = steps
    w = np.ones(n)
    for _ in range(iterations):
        worth = w[orders]
        remaining = np.cumsum(worth[:, ::-1], axis=1)[:, ::-1]
        inv = np.where(active, 1.0 / remaining, 0.0)
        cum = np.cumsum(inv, axis=1)
        denom = cum[np.arange(m)[:, None], position].sum(axis=0)
        new = (wins + 0.5) / (denom + 0.5)
        new /= new.mean()
        if np.allclose(new, w, rtol=1e-9, atol=0.0):
            w = new
            break
        w = new
    return w


def sample_plackett_luce(worth: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    """*m* rankings (unit indices best → worst) from the Plackett–Luce model (Gumbel trick).

    >>> sample_plackett_luce(np.array([1e9, 1.0, 1e-9]), 2, np.random.default_rng(0)).tolist()
    [[0, 1, 2], [0, 1, 2]]
    """
    noise = rng.gumbel(size=(m, worth.size))
    return np.argsort(-(np.log(worth)[None, :] + noise), axis=1, kind="stable")


def _codes(idx: np.ndarray, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes of every *k*-subset of each row of *idx* (sorted unit indices), and their rows."""
    s = idx.shape[1]
    combos = _combos(np.arange(s), k)
    sub = idx[:, combos]                       # (r, c, k)
    base = n ** np.arange(k - 1, -1, -1, dtype=np.int64)
    codes = (sub * base).sum(axis=2)
    rows = np.broadcast_to(np.arange(idx.shape[0])[:, None], codes.shape)
    return codes.ravel(), rows.ravel()


def zone_codes(zone: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes (base *n* digits of the sorted units) of the *k*-subsets of each ballot's zone.

    A ballot supports a group of *k* when the group lies in its zone (its top *k* places, or
    its approved units); zones with fewer than *k* or more than :data:`ZONE_CAP` units give
    none. Returns the codes and the ballot row of each.

    >>> zone_codes(np.array([[True, True, False], [True, True, True]]), 2)
    (array([1, 1, 2, 5]), array([0, 1, 1, 1]))
    """
    n = zone.shape[1]
    size = zone.sum(axis=1)
    all_codes, all_rows = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for s in np.unique(size[(size >= k) & (size <= ZONE_CAP)]).tolist():
        rows = np.flatnonzero(size == s)
        idx = np.argsort(~zone[rows], axis=1, kind="stable")[:, :s]
        codes, local = _codes(idx, k, n)
        all_codes.append(codes)
        all_rows.append(rows[local])
    codes, rows = np.concatenate(all_codes), np.concatenate(all_rows)
    order = np.argsort(rows, kind="stable")
    return codes[order], rows[order]


def _decode(code: int, k: int, n: int) -> tuple[int, ...]:
    digits = []
    for _ in range(k):
        code, d = divmod(code, n)
        digits.append(d)
    return tuple(reversed(digits))


def _sample_zones(worth: np.ndarray, lengths: np.ndarray, ranked: bool, sizes: range,
                  rng: np.random.Generator) -> list[np.ndarray]:
    """Each size's zones on one draw of model ballots shaped like the real ones."""
    m, n = lengths.size, worth.size
    order = sample_plackett_luce(worth, m, rng)
    place = np.empty((m, n), dtype=np.int64)
    place[np.arange(m)[:, None], order] = np.arange(n)[None, :]
    if ranked:
        return [(place < k) & (lengths[:, None] >= k) for k in sizes]
    zone = place < lengths[:, None]
    return [zone for _ in sizes]


def _counts(zones: list[np.ndarray], sizes: range) -> list[tuple[np.ndarray, np.ndarray]]:
    out = []
    for zone, k in zip(zones, sizes, strict=True):
        codes, _ = zone_codes(zone, k)
        out.append(np.unique(codes, return_counts=True))
    return out


def _surprise(observed: np.ndarray, expected: np.ndarray) -> np.ndarray:
    """``−log10 P(Pois(expected) ≥ observed)``; 0 below :data:`MIN_BALLOTS`."""
    tail = poisson.logsf(observed - 1, expected) / -math.log(10)
    return np.where(observed >= MIN_BALLOTS, tail, 0.0)


def _expected(codes: np.ndarray, known: tuple[np.ndarray, np.ndarray], draws: int
              ) -> np.ndarray:
    """Mean count of each code over the model draws (half a count when never seen)."""
    seen, totals = known
    pos = np.searchsorted(seen, codes)
    hit = (pos < seen.size) & (seen[np.minimum(pos, seen.size - 1)] == codes) if seen.size \
        else np.zeros(codes.size, bool)
    found = np.where(hit, totals[np.minimum(pos, max(seen.size - 1, 0))] if seen.size
                     else 0.0, 0.5)
    return found / draws


def _secret(b: Ballots, keys: np.ndarray, ids: list[str], *, max_size: int,
            permutations: int, rng: np.random.Generator, alpha: float, top: int,
            tick: Ticker) -> pl.DataFrame:
    m, n = keys.shape
    ranked = b.kind == "ranked"
    marked = keys <= n if ranked else keys == 1
    lengths = marked.sum(axis=1)
    sizes = range(2, min(max_size, n - 1) + 1)
    zones = [(keys <= k) & marked for k in sizes] if ranked else [marked for _ in sizes]
    fit_rng, expect_rng, null_rng = rng.spawn(3)
    tie_break = fit_rng.random((m, n))
    orders = np.lexsort((tie_break, np.where(marked, keys, n + 2)), axis=1)
    worth = fit_plackett_luce(orders, np.minimum(lengths, n - 1), n)
    # E_G: mean counts over independent model draws
    pooled: list[list[np.ndarray]] = [[] for _ in sizes]
    for r in range(permutations):
        for i, zone in enumerate(_sample_zones(worth, lengths, ranked, sizes, expect_rng)):
            pooled[i].append(zone_codes(zone, sizes[i])[0])
        if (r + 1) % _CHUNK == 0 or r + 1 == permutations:
            tick.step((r % _CHUNK) + 1)
    known = [np.unique(np.concatenate(p) if p else np.zeros(0, np.int64), return_counts=True)
             for p in pooled]
    draws = max(permutations, 1)
    null_max = np.full(permutations, 0.0)
    for r in range(permutations):
        best = 0.0
        for i, (codes, counts) in enumerate(_counts(
                _sample_zones(worth, lengths, ranked, sizes, null_rng), sizes)):
            keep = counts >= MIN_BALLOTS
            if keep.any():
                best = max(best, float(_surprise(counts[keep], _expected(
                    codes[keep], known[i], draws)).max()))
        null_max[r] = best
        if (r + 1) % _CHUNK == 0 or r + 1 == permutations:
            tick.step((r % _CHUNK) + 1)
    flat: list[tuple[int, ...]] = []
    stats, strength, carriers = [], [], []
    for i, k in enumerate(sizes):
        codes, rows = zone_codes(zones[i], k)
        uniq, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
        expected = _expected(uniq, known[i], draws)
        surprise = _surprise(counts, expected)
        for j, code in enumerate(uniq.tolist()):
            if counts[j] < MIN_BALLOTS:
                continue
            flat.append(_decode(code, k, n))
            stats.append(float(surprise[j]))
            strength.append(float((counts[j] - expected[j]) / m))
            carriers.append(list(dict.fromkeys(ids[r] for r in rows[inverse == j])))
    stat_arr = np.array(stats)
    rows_out = [(flat[i], strength[i], stats[i], None, carriers[i])
                for i in _pick(stat_arr, flat, top)]
    return _table(b, rows_out, null_max, alpha, named=False)


# ---------------------------------------------------------------------- the table
def _table(b: Ballots, rows: list[tuple[tuple[int, ...], float, float, list[str] | None,
                                          list[str]]],
           null_max: np.ndarray, alpha: float, *, named: bool) -> pl.DataFrame:
    stats = np.array([r[2] for r in rows], dtype=np.float64)
    p = _family_p(stats, null_max) if rows else np.zeros(0)
    return pl.DataFrame({
        "group": [[b.units[u] for u in r[0]] for r in rows],
        "size": [len(r[0]) for r in rows],
        "strength": [r[1] for r in rows],
        "statistic": stats,
        "p_value": p,
        "voters": [r[3] if named else None for r in rows],
        "ballots": [r[4] for r in rows],
        "significant": p <= alpha,
    }, schema={"group": pl.List(pl.String), "size": pl.Int64, "strength": pl.Float64,
               "statistic": pl.Float64, "p_value": pl.Float64, "voters": pl.List(pl.String),
               "ballots": pl.List(pl.String), "significant": pl.Boolean})


def blocs(ballots: Ballots | Meeting, *, max_size: int = 4, permutations: int = 999,
          seed: int = 0, alpha: float = 0.05, top: int = 5,
          mode: Literal["auto", "named", "secret"] = "auto", progress: Progress | None = None,
          cancel: Cancel | None = None) -> pl.DataFrame:
    """Groups of 2 … *max_size* units whose ballots systematically put each other at the top.

    With named ballots (:attr:`~thidua_rank.Ballots.voters`, from a ``voter`` column) it tests
    whether a group's voters lift the group's other members above the consensus; with secret
    ballots, whether a group fills the top places of more ballots than its popularity
    predicts (the module docstring gives both statistics and their nulls).

    Parameters
    ----------
    ballots
        Ranked, approval or choose ballots, or a meeting (its ranking-vote round).
    max_size
        Largest group searched (2 to 4).
    permutations
        Replicates *R* of the null (secret ballots draw *R* more to estimate expectations).
        The smallest p-value possible is ``1 / (R + 1)``.
    seed
        Seed of every random draw: the same call gives the same table.
    alpha
        Family-wise level at which a group is marked ``significant``.
    top
        Most groups listed: the best first, then the best not sharing a unit with one listed.
    mode
        ``auto`` (default): ``named`` when the ballots carry the voters of at least two
        candidate units, else ``secret``. ``secret`` on named ballots ignores the names (with
        one ballot per voter it can see a small bloc that the named test, bound by
        ``1 / C(m, k)``, cannot); ``named`` on secret ballots is an error.
    progress, cancel
        ``progress(done, total)`` per batch of replicates; ``cancel()`` returning ``True``
        stops with :class:`~thidua_rank.analysis.progress.AnalysisCancelled`.

    Returns
    -------
    polars.DataFrame
        One row per group listed, strongest first: ``group`` (unit names), ``size``,
        ``strength`` (named: the in-group boost — how much higher, as a share of the ballot,
        the group's voters place its other members than the other voters do, from −1 to 1;
        secret: the excess share of ballots topped by the group, observed minus expected),
        ``statistic`` (named: z; secret: Poisson surprise, −log10), ``p_value``
        (family-wise over every group searched), ``voters`` (named only: the members whose
        ballots lift the others; null for secret ballots), ``ballots`` (ids of the ballots
        carrying the pattern), ``significant`` (``p_value ≤ alpha``). Empty when no group
        has any support.

    Notes
    -----
    Complexity, with *m* ballots (counts expanded), *n* units, *G* groups searched (all
    ``C(n, 2) + … + C(n, max_size)`` up to :data:`EXHAUSTIVE_LIMIT`, else
    ``C(n, 2) + 2·BEAM·n``): named ``O(R·(m·n² + G·max_size))`` — one label permutation,
    two ``(n × m)·(m × n)`` products and the group sums per replicate; secret
    ``O(R·m·(n log n + C(ZONE_CAP, 4)))`` — a Plackett–Luce draw and the support count per
    replicate. Measured (BENCHMARKS.md): 20 units × 20 ballots, R = 999, 1.6–2.5 s named
    and 0.85–1.3 s secret (on a busy 2-core machine).

    Examples
    --------
    Secret ballots: the favoured group, and the ballots it tops (the module docstring has a
    named example).

    >>> import thidua_rank as tr
    >>> from thidua_rank.synth import mallows_orders
    >>> orders = mallows_orders(range(9), 18, 0.5, 3).tolist()
    >>> for row in (6, 7, 8, 15, 16, 17):
    ...     orders[row] = [6, 7, 8] + [u for u in orders[row] if u < 6]
    >>> b = tr.Ballots.from_orders(orders, units=[f"Sở {c}" for c in "ABCDEFGHI"])
    >>> blocs(b, permutations=199).select("group", "p_value", "voters", "significant")
    shape: (2, 4)
    ┌──────────────────────────┬─────────┬───────────┬─────────────┐
    │ group                    ┆ p_value ┆ voters    ┆ significant │
    │ ---                      ┆ ---     ┆ ---       ┆ ---         │
    │ list[str]                ┆ f64     ┆ list[str] ┆ bool        │
    ╞══════════════════════════╪═════════╪═══════════╪═════════════╡
    │ ["Sở G", "Sở H", "Sở I"] ┆ 0.005   ┆ null      ┆ true        │
    │ ["Sở A", "Sở C"]         ┆ 0.91    ┆ null      ┆ false       │
    └──────────────────────────┴─────────┴───────────┴─────────────┘
    """
    b = vote_ballots(ballots)
    if isinstance(max_size, bool) or not isinstance(max_size, int) or not 2 <= max_size <= 4:
        raise InputError("max_size phải là 2, 3 hoặc 4", "max_size must be 2, 3 or 4",
                         value=max_size)
    if isinstance(permutations, bool) or not isinstance(permutations, int) or permutations < 1:
        raise InputError("số lần hoán vị phải là số nguyên ≥ 1",
                         "permutations must be a whole number ≥ 1", value=permutations)
    if not 0 < alpha < 1:
        raise InputError("alpha phải nằm trong (0, 1)", "alpha must lie in (0, 1)", value=alpha)
    if b.n_units < 3:
        raise InputError("cần ít nhất 3 đơn vị để tìm nhóm",
                         "blocs need at least 3 units", value=b.n_units)
    if b.n_ballots < 2:
        raise InputError("cần ít nhất 2 phiếu hợp lệ", "blocs need at least 2 valid ballots",
                         value=b.n_ballots)
    repeat = np.repeat(np.arange(len(b.ids)), b.counts)
    keys = b.order_keys.astype(np.int64)[repeat]
    ids = [b.ids[i] for i in repeat]
    rng = np.random.default_rng(seed)
    labels = _labels(b)[repeat] if b.voters else None
    named = labels is not None and np.unique(labels[labels >= 0]).size >= 2
    if mode not in ("auto", "named", "secret"):
        raise InputError("mode phải là 'auto', 'named' hoặc 'secret'",
                         "mode must be 'auto', 'named' or 'secret'", value=mode)
    if mode == "named" and not named:
        raise InputError("phiếu không ghi đơn vị bầu của ít nhất hai đơn vị",
                         "mode='named' needs ballots naming the voters of at least two units",
                         value=mode)
    named = named and mode != "secret"
    total = permutations if named else 2 * permutations
    tick = Ticker(total, progress=progress, cancel=cancel)
    tick.check()
    if named and labels is not None:
        return _named(b, keys, b.ranks[repeat] == 0, labels, ids, max_size=max_size,
                      permutations=permutations, rng=rng, alpha=alpha, top=top, tick=tick)
    return _secret(b, keys, ids, max_size=max_size, permutations=permutations, rng=rng,
                   alpha=alpha, top=top, tick=tick)


def _labels(b: Ballots) -> np.ndarray:
    """The voter's unit position per ballot row (−1 when unknown or not a candidate)."""
    where = {u: i for i, u in enumerate(b.units)}
    return np.array([where.get(v, -1) if v is not None else -1 for v in b.voters], np.int64)

