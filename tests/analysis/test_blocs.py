"""blocs: a hand-made bloc is found, impartial culture raises false alarms at about alpha,
voters are named only when the ballots carry them, and the family-wise p-value equals a slow
brute-force computation of the same permutation test."""

from __future__ import annotations

import dataclasses
import itertools
import math

import numpy as np
import pytest

import thidua_rank as tr
from thidua_rank.analysis import blocs
from thidua_rank.analysis.blocs import null_labels, zone_codes
from thidua_rank.analysis.progress import AnalysisCancelled
from thidua_rank.synth import bloc_ballots

UNITS = [f"Đơn vị {c}" for c in "ABCDEFGHI"]
BLOC = (4, 6, 8)  # E, G, I: middle and bottom of the consensus


def _hand_made(delegates: int = 1) -> tr.Ballots:
    """9 units; the others follow the consensus A > B > … > I with one adjacent swap each,
    the voters of E, G and I rank E, G, I first (1-2-3) on their own ballots."""
    orders, voters = [], []
    for copy in range(delegates):
        for v in range(9):
            order = list(range(9))
            if v in BLOC:
                order = list(BLOC) + [u for u in order if u not in BLOC]
            else:
                j = (v + copy) % 8
                order[j], order[j + 1] = order[j + 1], order[j]
            orders.append(order)
            voters.append(UNITS[v])
    b = tr.Ballots.from_orders(orders, units=UNITS)
    return dataclasses.replace(b, voters=tuple(voters))


def _impartial(seed: int, n: int = 8, m: int = 16) -> tr.Ballots:
    rng = np.random.default_rng(seed)
    b = tr.Ballots.from_orders([rng.permutation(n) for _ in range(m)], units=UNITS[:n])
    return dataclasses.replace(b, voters=tuple(UNITS[i % n] for i in range(m)))


def test_hand_made_bloc_secret_ballots() -> None:
    secret = dataclasses.replace(_hand_made(), voters=())
    table = blocs(secret, permutations=999)
    best = table.row(0, named=True)
    assert best["group"] == [UNITS[u] for u in BLOC]
    assert best["p_value"] < 0.01 and best["significant"]
    assert best["voters"] is None
    assert best["ballots"] == ["5", "7", "9"]  # the bloc's own ballots, ids 1..9 in order
    assert table.get_column("significant").sum() == 1


def test_hand_made_bloc_named_ballots() -> None:
    # two delegates per unit: 18 ballots, six of them the bloc's
    table = blocs(_hand_made(delegates=2), permutations=999)
    best = table.row(0, named=True)
    assert best["group"] == [UNITS[u] for u in BLOC]
    assert best["p_value"] < 0.01 and best["significant"]
    assert best["voters"] == [UNITS[u] for u in BLOC]
    assert sorted(best["ballots"], key=int) == ["5", "7", "9", "14", "16", "18"]
    # in-group boost by hand: each bloc ballot ranks its own unit and the two others at places
    # 1-3 of 9, so the voter of E gives G 7/8 and I 6/8, the voter of G gives E 1 and I 6/8,
    # the voter of I gives E 1 and G 7/8; the other voters give each unit its place by the
    # consensus order with their one swap
    b = _hand_made(delegates=2)
    others = [i for i in range(18) if i % 9 not in BLOC]
    consensus = {u: np.mean([(9 - b.order_keys[i, u]) / 8 for i in others]) for u in BLOC}
    given = {(4, 6): 7 / 8, (4, 8): 6 / 8, (6, 4): 1, (6, 8): 6 / 8, (8, 4): 1, (8, 6): 7 / 8}
    expected = np.mean([x - consensus[u] for (_, u), x in given.items()])
    assert best["strength"] == pytest.approx(expected)


def test_one_ballot_per_voter_is_bounded_by_the_relabelling_chance() -> None:
    # with 9 voters casting one ballot each, a relabelling hands the 3 bloc ballots back to
    # the bloc with probability 1 / C(9, 3): no named test can go far below it
    best = blocs(_hand_made(), permutations=1999, seed=1).row(0, named=True)
    assert best["group"] == [UNITS[u] for u in BLOC]
    assert 0.3 / math.comb(9, 3) < best["p_value"] < 2.5 / math.comb(9, 3)


@pytest.mark.parametrize("mode", ["named", "secret"])
def test_false_alarms_on_impartial_culture(mode: str) -> None:
    # 40 meetings with no bloc: family-wise false alarms at about alpha = 0.05 (Binomial(40,
    # 0.05): mean 2, P(X ≥ 7) = 0.003); the best group's p-value is about uniform (a test
    # that never flags — p = 1 always — fails the mean check)
    p_values = []
    for seed in range(40):
        table = blocs(_impartial(seed), permutations=99, seed=seed, mode=mode)  # type: ignore[arg-type]
        p_values.append(table.get_column("p_value")[0] if table.height else 1.0)
    p = np.array(p_values)
    assert (p <= 0.05).sum() <= 6
    assert 0.3 < p.mean() < 0.7
    assert (p <= 0.5).sum() >= 12


def test_voters_named_only_when_ballots_carry_them() -> None:
    made = bloc_ballots(10, voters=20, bloc=3, seed=4)
    named = blocs(made.ballots, permutations=199)
    secret = blocs(made.secret, permutations=199)
    assert named.row(0, named=True)["group"] == list(made.bloc)
    assert secret.row(0, named=True)["group"] == list(made.bloc)
    assert all(v is not None and set(v) <= set(made.bloc) for v in named["voters"][:1])
    assert secret.get_column("voters").null_count() == secret.height
    # named ballots asked for the secret test: no names either
    assert blocs(made.ballots, permutations=19, mode="secret")["voters"].null_count() > 0
    with pytest.raises(tr.InputError, match="mode='named' needs ballots naming the voters"):
        blocs(made.secret, permutations=19, mode="named")


def _brute_named(b: tr.Ballots, labels: np.ndarray, max_size: int) -> dict[tuple, float]:
    """z of every group by loops over ballots and pairs, straight from the definition."""
    keys = b.order_keys
    m, n = keys.shape
    author = [int(v) for v in _labels(b)]
    s = np.full((m, n), np.nan)
    for i in range(m):  # the author's unit is left out only when the ballot leaves it unranked
        eligible = [u for u in range(n) if u != author[i] or b.ranks[i, u] > 0]
        for u in eligible:
            below = sum(keys[i, v] > keys[i, u] for v in eligible if v != u)
            level = sum(keys[i, v] == keys[i, u] for v in eligible if v != u)
            s[i, u] = (below + 0.5 * level) / (len(eligible) - 1)
    means = np.nanmean(s, axis=0)
    sigma = math.sqrt(np.nanmean((s - means) ** 2))
    cast = np.bincount(labels, minlength=n)
    out = {}
    for k in range(2, max_size + 1):
        for group in itertools.combinations(range(n), k):
            outside = [i for i in range(m) if labels[i] not in group]
            diffs = []
            defined = True
            for i in range(m):
                if labels[i] not in group:
                    continue
                for u in group:
                    if u == labels[i] or np.isnan(s[i, u]):
                        continue
                    base = [s[j, u] for j in outside if not np.isnan(s[j, u])]
                    if not base:
                        defined = False
                        continue
                    diffs.append(s[i, u] - sum(base) / len(base))
            if diffs and defined:
                nominal = (k - 1) * sum(cast[a] for a in group)
                out[group] = float(np.mean(diffs)) * math.sqrt(nominal) / sigma
    return out


def _labels(b: tr.Ballots) -> list[int]:
    return [b.units.index(v) for v in b.voters]


def test_family_wise_p_value_equals_brute_force() -> None:
    rng = np.random.default_rng(11)
    units = UNITS[:5]
    orders = [rng.permutation(5).tolist() for _ in range(7)]
    orders[0] = [0, 1, 2, 3, 4]
    orders[1] = [1, 0, 4, 2, 3]
    b = dataclasses.replace(tr.Ballots.from_orders(orders, units=units),
                            voters=tuple(units[i % 5] for i in range(7)))
    labels = np.array(_labels(b))
    permutations, seed = 60, 5
    table = blocs(b, permutations=permutations, seed=seed, max_size=3)
    observed = _brute_named(b, labels, 3)
    null_max = [max(_brute_named(b, perm, 3).values())
                for perm in null_labels(labels, permutations, np.random.default_rng(seed))]
    assert table.height >= 1
    for row in table.to_dicts():
        group = tuple(units.index(u) for u in row["group"])
        stat = observed[group]
        assert row["statistic"] == pytest.approx(stat)
        beaten = sum(x >= stat - 1e-9 for x in null_max)
        assert row["p_value"] == pytest.approx((1 + beaten) / (1 + permutations))
    best = max(observed, key=observed.__getitem__)
    assert table.row(0, named=True)["group"] == [units[u] for u in best]


def test_secret_supports_counted_by_hand() -> None:
    # ties at place k: every k-subset of the tied top counts; approval: of the approved set
    zone = np.array([[True, True, True, False], [True, False, True, False]])
    codes, rows = zone_codes(zone, 2)
    pairs = sorted((divmod(int(c), 4), int(r)) for c, r in zip(codes, rows, strict=True))
    assert pairs == [((0, 1), 0), ((0, 2), 0), ((0, 2), 1), ((1, 2), 0)]
    b = tr.Ballots.from_ranks([[1, 1, 3, 4], [1, 2, 3, 4], [2, 1, 3, 4], [1, 3, 2, 4]],
                              units=UNITS[:4])
    table = blocs(b, permutations=19, max_size=2)
    top = table.row(0, named=True)
    assert top["group"] == UNITS[:2] and top["ballots"] == ["1", "2", "3"]


def test_progress_and_cancel() -> None:
    seen: list[tuple[int, int]] = []
    blocs(_hand_made(), permutations=50, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (50, 50) and len(seen) == 2
    secret = dataclasses.replace(_hand_made(), voters=())
    seen.clear()
    blocs(secret, permutations=30, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (60, 60)
    with pytest.raises(AnalysisCancelled, match="the analysis was cancelled"):
        blocs(secret, permutations=30, cancel=lambda: bool(seen))


def test_same_seed_same_table() -> None:
    made = bloc_ballots(9, voters=18, bloc=2, seed=3)
    assert blocs(made.secret, seed=4, permutations=99).equals(
        blocs(made.secret, seed=4, permutations=99))


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"max_size": 5}, "max_size must be 2, 3 or 4"),
    ({"permutations": 0}, "permutations must be a whole number ≥ 1"),
    ({"alpha": 1.5}, r"alpha must lie in \(0, 1\)"),
    ({"mode": "both"}, "mode must be 'auto', 'named' or 'secret'"),
])
def test_bad_options_are_named(kwargs: dict, message: str) -> None:
    with pytest.raises(tr.InputError, match=message):
        blocs(_hand_made(), **kwargs)


def test_too_few_units() -> None:
    b = tr.Ballots.from_orders([[0, 1], [1, 0]], units=UNITS[:2])
    with pytest.raises(tr.InputError, match="blocs need at least 3 units"):
        blocs(b)
