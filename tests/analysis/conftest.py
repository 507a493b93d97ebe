"""Fixtures of the analysis tests: small in-memory meetings (no files)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

import thidua_rank as tr


def _vote_meeting(orders: Sequence[Sequence[int]], units: Sequence[str], *,
                 quotas: Sequence[int] = (1, 2), method: str = "borda",
                 chain: Sequence[str] = ("joint",), kind: str = "ranked",
                 ranks: Any = None) -> tr.Meeting:
    """A vote-ranked meeting with tiers of the given quotas (ids t1, t2 …)."""
    cfg = tr.parse_config({
        "meeting": {"id": "thu", "bloc": "Khối thi đua thử", "year_reviewed": 2024},
        "ranking": {"combine": "vote", "vote_round": "xep-hang", "method": method},
        "tiers": [{"id": f"t{i + 1}", "label": f"Hạng khen {i + 1}", "quota": q}
                  for i, q in enumerate(quotas)],
        "rounds": [{"id": "xep-hang", "title": "Xếp hạng", "decides": "ranking", "kind": kind,
                    "ballots": "xep-hang.csv", "issued": 10_000}],
        "tie_break": {"chain": list(chain), "seed": 7},
    })
    members = tuple(tr.Member(f"u{i}", u) for i, u in enumerate(units))
    ballots = (tr.Ballots.from_ranks(ranks, units=units, kind=kind) if ranks is not None
               else tr.Ballots.from_orders([list(o) for o in orders], units=units))
    return tr.Meeting(config=cfg, members=members, ballots={"xep-hang": ballots})


@pytest.fixture
def vote_meeting() -> Any:
    """Factory: ``vote_meeting(orders, units, quotas=(1, 2), method="borda", ...)``."""
    return _vote_meeting
