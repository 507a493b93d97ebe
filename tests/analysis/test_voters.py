"""voter_analysis against scipy's Kendall τ; self_vote_effect with known and secret voters."""

from typing import Any

import numpy as np
import pytest
from scipy.stats import kendalltau

import thidua_rank as tr
from thidua_rank.analysis.voters import consensus_order, self_vote_effect, voter_analysis

UNITS = ["Sở Y tế", "Sở Tư pháp", "Sở Nội vụ", "Sở Tài chính", "Sở Xây dựng"]


@pytest.mark.parametrize("consensus", ["borda", "kemeny"])
def test_distance_is_one_minus_tau_over_two(consensus: str) -> None:
    rng = np.random.default_rng(3)
    orders = [list(rng.permutation(5)) for _ in range(9)]
    ballots = tr.Ballots.from_orders(orders, units=UNITS)
    ref = consensus_order(ballots, consensus)  # type: ignore[arg-type]
    table = voter_analysis(ballots, consensus=consensus)  # type: ignore[arg-type]
    got = dict(table.select("ballot", "distance").iter_rows())
    for i, bid in enumerate(ballots.ids):
        if len(set(ref.tolist())) < 5:
            pytest.skip("consensus has a joint place")
        tau = kendalltau(ballots.ranks[i], ref + 1).statistic
        assert got[bid] == pytest.approx((1 - tau) / 2)


def test_a_reversed_ballot_is_the_outlier() -> None:
    ballots = tr.Ballots.from_orders([[0, 1, 2, 3, 4]] * 5 + [[0, 2, 1, 3, 4]] * 3
                                     + [[4, 3, 2, 1, 0]], units=UNITS)
    table = voter_analysis(ballots, voters={"9": "Sở Xây dựng"})
    first = table.row(0, named=True)
    assert (first["ballot"], first["distance"], first["outlier"], first["voter"]) == \
        ("9", 1.0, True, "Sở Xây dựng")
    assert table.get_column("outlier").sum() == 1
    assert table.filter(table["ballot"] == "6").get_column("distance").item() == 0.1


def test_ties_count_half() -> None:
    ballots = tr.Ballots.from_ranks([[1, 2, 3, 4, 5], [1, 1, 3, 4, 5]], units=UNITS)
    got = dict(voter_analysis(ballots).select("ballot", "distance").iter_rows())
    assert got == {"1": 0.0, "2": pytest.approx(0.5 / 10)}


def test_unknown_consensus_is_named() -> None:
    ballots = tr.Ballots.from_orders([[0, 1, 2, 3, 4]], units=UNITS)
    with pytest.raises(tr.InputError, match="consensus must be 'borda' or 'kemeny'"):
        voter_analysis(ballots, consensus="mean")  # type: ignore[arg-type]


def test_self_votes_removed_when_voters_are_known(vote_meeting: Any) -> None:
    # every unit ranks itself first; without that A (2nd on the others' ballots) wins
    orders = [[0, 1, 2], [1, 0, 2], [2, 0, 1]]
    meeting = vote_meeting(orders, UNITS[:3], quotas=(1,))
    table = self_vote_effect(meeting, voters=UNITS[:3])
    rows = {r["unit"]: r for r in table.to_dicts()}
    # with self-votes: A 2+1+1 = 4, B 1+2+0 = 3, C 0+0+2 = 2 Borda points
    assert [rows[u]["rank"] for u in UNITS[:3]] == [1, 2, 3]
    # independent path: the reader's own self-vote policy ("ignore") on the same cells
    cells = [[str(v) for v in row] for row in meeting.ballots["xep-hang"].ranks.tolist()]
    ignored = tr.Ballots.from_cells(cells, units=UNITS[:3], voters=UNITS[:3],
                                    rules=tr.BallotRules(self_vote="ignore"))
    ranks = dict(tr.rank(ignored, method="borda").table.select("unit", "rank").iter_rows())
    assert [rows[u]["rank_without"] for u in UNITS[:3]] == [ranks[u] for u in UNITS[:3]]
    with pytest.raises(tr.InputError, match="voters must give one unit per ballot"):
        self_vote_effect(meeting, voters=UNITS[:2])


def test_secret_bound_contains_every_assignment_of_voters(vote_meeting: Any) -> None:
    from itertools import permutations
    rng = np.random.default_rng(5)
    orders = [list(rng.permutation(4)) for _ in range(4)]
    meeting = vote_meeting(orders, UNITS[:4], quotas=(1,))
    bound = {r["unit"]: r for r in self_vote_effect(meeting).to_dicts()}
    for assignment in permutations(UNITS[:4]):
        known = self_vote_effect(meeting, voters=list(assignment))
        for r in known.to_dicts():
            # one self-vote removed per unit: the place without it lies within the bound
            assert bound[r["unit"]]["rank_best"] <= r["rank_without"] <= \
                bound[r["unit"]]["rank_worst"], (assignment, r)
