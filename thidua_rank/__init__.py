"""thidua_rank: voting and ranking for Vietnamese emulation blocs (khối / cụm thi đua).

>>> import thidua_rank as tr
>>> b = tr.Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1]], units=["A", "B", "C"])
>>> tr.rank(b, method="borda").winners
['A']
"""

from thidua_rank import methods as _methods  # noqa: F401  (fills the registry)
from thidua_rank.ballots import BallotRules, Ballots, InvalidBallot, UnitIndex
from thidua_rank.errors import (
    ConfigError,
    InputError,
    MethodError,
    ThiduaRankError,
    UnknownUnitError,
)
from thidua_rank.registry import method_info, methods, rank
from thidua_rank.result import RankResult, TieBreak, competition_ranks

__all__ = [
    "BallotRules",
    "Ballots",
    "ConfigError",
    "InputError",
    "InvalidBallot",
    "MethodError",
    "RankResult",
    "ThiduaRankError",
    "TieBreak",
    "UnitIndex",
    "UnknownUnitError",
    "competition_ranks",
    "method_info",
    "methods",
    "rank",
]

__version__ = "0.1.0"
