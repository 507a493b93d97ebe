"""Award allocation by tier (thidua_rank.meeting.awards): hand cases and properties."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from thidua_rank.engine.thresholds import Quota, Threshold
from thidua_rank.meeting.awards import UnitStanding, allocate
from thidua_rank.meeting.config import TierConfig


def no_tiebreak(group):
    return [list(group)]


def test_floors_min_score_and_top_scorer() -> None:
    tiers = [TierConfig("gov", "Cờ Chính phủ", quota=Quota.parse(1), must_be_top=True),
             TierConfig("prov", "Cờ tỉnh", quota=Quota.parse(2), min_score=Fraction(95),
                        criteria_floors=True)]
    standings = {"A": UnitStanding(score=Fraction(99), top_scorer=False),
                 "B": UnitStanding(score=Fraction(99), top_scorer=True),
                 "C": UnitStanding(score=Fraction(96), floors_missed=("c1",)),
                 "D": UnitStanding(score=Fraction(95)),
                 "E": UnitStanding(score=Fraction(94))}
    awards, _ = allocate(tiers, [["A"], ["B"], ["C"], ["D"], ["E"]], standings, members=5,
                         resolve=no_tiebreak)
    assert [u.unit for u in awards[0].units] == ["B"]
    assert [u.unit for u in awards[1].units] == ["A", "D"]  # C misses a floor, E the minimum


def test_approval_threshold_gates_the_tier() -> None:
    rule = Threshold.parse("80%")
    standings = {u: UnitStanding(approvals={"r": (v, 10, rule.passes(v, 10))})
                 for u, v in [("A", 10), ("B", 8), ("C", 7)]}
    tiers = [TierConfig("prov", "Cờ tỉnh", approval_round="r", threshold=rule)]
    awards, _ = allocate(tiers, [["C"], ["B"], ["A"]], standings, members=3, resolve=no_tiebreak)
    assert [u.unit for u in awards[0].units] == ["B", "A"]  # ranking order, C below 80%
    assert awards[0].quota is None


def test_tie_break_split_changes_places() -> None:
    tiers = [TierConfig("bk", "Bằng khen", quota=Quota.parse(2))]
    awards, groups = allocate(tiers, [["A"], ["B", "C"], ["D"]], {}, members=4,
                              resolve=lambda g: [[g[1]], [g[0]]])
    assert [(u.unit, u.place, u.joint) for u in awards[0].units] == [("A", 1, False),
                                                                     ("C", 2, False)]
    assert groups == [["A"], ["C"], ["B"], ["D"]]


@st.composite
def rankings(draw):
    n = draw(st.integers(2, 12))
    units = [f"U{i}" for i in range(n)]
    cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=n - 1)))
    groups, start = [], 0
    for c in [*cuts, n]:
        groups.append(units[start:c])
        start = c
    quotas = draw(st.lists(st.one_of(st.integers(0, 4), st.sampled_from(
        ["50%", "50% remaining", "20% remaining", "30% eligible"])), min_size=1, max_size=3))
    policy = draw(st.sampled_from(["include", "exclude", "runoff"]))
    return groups, quotas, policy


@given(rankings())
def test_allocation_properties(case) -> None:
    groups, quotas, policy = case
    n = sum(len(g) for g in groups)
    tiers = [TierConfig(f"t{i}", f"Tier {i}", quota=Quota.parse(q), cutoff_tie=policy)
             for i, q in enumerate(quotas)]
    awards, _ = allocate(tiers, groups, {}, members=n, resolve=no_tiebreak)
    seen: set[str] = set()
    rank_of = {u: i for i, g in enumerate(groups) for u in g}
    for award in awards:
        units = [u.unit for u in award.units]
        assert not seen & set(units)  # a unit gets at most one tier
        seen |= set(units)
        if policy != "include":
            assert len(units) <= award.quota  # the quota holds unless a joint place is included
        else:
            # only the last (joint) group may overflow the quota
            assert len(units) <= award.quota + max(len(g) for g in groups) - 1
        # tiers take the best remaining units: everyone awarded here outranks everyone left over
        rest = [u for g in groups for u in g if u not in seen]
        if units and rest:
            assert max(rank_of[u] for u in units) <= min(rank_of[u] for u in rest)
        # joint places are never split across the tier boundary
        for u in units:
            group = groups[rank_of[u]]
            assert all(v in seen for v in group)
