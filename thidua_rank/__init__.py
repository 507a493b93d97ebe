"""thidua_rank: voting and ranking for Vietnamese emulation blocs (khối / cụm thi đua).

>>> import thidua_rank as tr
>>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1]], units=["A", "B", "C"])
>>> tr.rank(b, method="borda").winners
['A']
"""

from thidua_rank import methods as _methods  # noqa: F401  (fills the registry)
from thidua_rank.awards import AwardedUnit, TierAward
from thidua_rank.ballots import BallotRules, Ballots, InvalidBallot, UnitIndex
from thidua_rank.config import MeetingConfig, parse_config
from thidua_rank.errors import (
    ConfigError,
    InputError,
    MethodError,
    ThiduaRankError,
    UnknownUnitError,
)
from thidua_rank.io import load_meeting, read_ballots
from thidua_rank.meeting import Meeting, Member
from thidua_rank.registry import method_info, methods, rank
from thidua_rank.result import RankResult, TieBreak, competition_ranks
from thidua_rank.rules import Quota, Threshold
from thidua_rank.run import Leadership, MeetingOutcome, RoundCount, run_meeting
from thidua_rank.scoring import Criterion, ScoreEntry, ScoreSheet

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
