"""thidua_rank: voting and ranking for Vietnamese emulation blocs (khối / cụm thi đua).

>>> import thidua_rank as tr
>>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1]], units=["A", "B", "C"])
>>> tr.rank(b, method="borda").winners
['A']
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

# Public names and the module that defines each. They load on first use (PEP 562), so a light
# process (a delegate's ballot page) does not pay for polars and the ranking engine.
_EXPORTS = {
    "AwardedUnit": "meeting.awards", "TierAward": "meeting.awards",
    "BallotRules": "engine.ballots", "Ballots": "engine.ballots",
    "InvalidBallot": "engine.ballots", "UnitIndex": "engine.ballots",
    "MeetingConfig": "meeting.config", "parse_config": "meeting.config",
    "ConfigError": "errors", "InputError": "errors", "MethodError": "errors",
    "ThiduaRankError": "errors", "UnknownUnitError": "errors",
    "load_meeting": "io.load", "read_ballots": "io.ballots",
    "Meeting": "meeting.model", "Member": "meeting.model",
    "method_info": "methods", "methods": "methods", "rank": "methods",
    "RankResult": "engine.result", "TieBreak": "engine.result",
    "competition_ranks": "engine.result",
    "Quota": "engine.thresholds", "Threshold": "engine.thresholds",
    "Leadership": "meeting.pipeline", "MeetingOutcome": "meeting.pipeline",
    "RoundCount": "meeting.pipeline", "run_meeting": "meeting.pipeline",
    "Criterion": "engine.scores", "ScoreEntry": "engine.scores", "ScoreSheet": "engine.scores",
}

if TYPE_CHECKING:
    from thidua_rank.engine.ballots import BallotRules, Ballots, InvalidBallot, UnitIndex
    from thidua_rank.engine.result import RankResult, TieBreak, competition_ranks
    from thidua_rank.engine.scores import Criterion, ScoreEntry, ScoreSheet
    from thidua_rank.engine.thresholds import Quota, Threshold
    from thidua_rank.errors import (
        ConfigError,
        InputError,
        MethodError,
        ThiduaRankError,
        UnknownUnitError,
    )
    from thidua_rank.io.ballots import read_ballots
    from thidua_rank.io.load import load_meeting
    from thidua_rank.meeting.awards import AwardedUnit, TierAward
    from thidua_rank.meeting.config import MeetingConfig, parse_config
    from thidua_rank.meeting.model import Meeting, Member
    from thidua_rank.meeting.pipeline import Leadership, MeetingOutcome, RoundCount, run_meeting
    from thidua_rank.methods import method_info, methods, rank


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'thidua_rank' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"thidua_rank.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


class _Package(types.ModuleType):
    """``thidua_rank.methods`` stays the function listing the methods: importing the
    ``thidua_rank.methods`` subpackage would otherwise rebind that name to the subpackage."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "methods" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "AwardedUnit",
    "BallotRules",
    "Ballots",
    "ConfigError",
    "Criterion",
    "InputError",
    "InvalidBallot",
    "Leadership",
    "Meeting",
    "MeetingConfig",
    "MeetingOutcome",
    "Member",
    "MethodError",
    "Quota",
    "RankResult",
    "RoundCount",
    "ScoreEntry",
    "ScoreSheet",
    "ThiduaRankError",
    "Threshold",
    "TieBreak",
    "TierAward",
    "UnitIndex",
    "UnknownUnitError",
    "competition_ranks",
    "load_meeting",
    "method_info",
    "methods",
    "parse_config",
    "rank",
    "read_ballots",
    "run_meeting",
]

__version__ = "0.1.0"
