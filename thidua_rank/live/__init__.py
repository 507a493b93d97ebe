"""The live meeting: the ballot box (SQLite), the live session every page and command shares,
and the voting-code slips.

>>> from thidua_rank.live import BallotBox, LiveMeeting
>>> BallotBox.__module__, LiveMeeting.__module__
('thidua_rank.live.ballot_box', 'thidua_rank.live.session')
"""

from thidua_rank.live.ballot_box import BallotBox, BallotBoxError, RoundSpec
from thidua_rank.live.session import LiveMeeting, RoundView, check_ballot

__all__ = ["BallotBox", "BallotBoxError", "LiveMeeting", "RoundSpec", "RoundView", "check_ballot"]
