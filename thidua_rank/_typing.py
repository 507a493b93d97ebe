"""Literal aliases for every option of the public API, collected in one place."""

from __future__ import annotations

from typing import Literal, TypeAlias

BallotKind: TypeAlias = Literal["ranked", "approval", "choose"]
"""``ranked``: ranks with ties and truncation; ``approval``: đồng ý / không đồng ý per unit;
``choose``: mark at most *k* units."""

SelfVotePolicy: TypeAlias = Literal["allow", "forbid", "ignore"]
"""What to do with a ballot's mark on the voter's own unit (only when the voter is known)."""

Denominator: TypeAlias = Literal["members", "present", "issued", "valid"]
"""What a vote percentage is taken of: all members, members present, ballots issued or valid
ballots."""

Comparison: TypeAlias = Literal[">=", ">"]

Rounding: TypeAlias = Literal["floor", "ceil", "round"]
"""How a percentage quota becomes a whole number of units (``round`` = half up)."""

QuotaBase: TypeAlias = Literal["fixed", "members", "remaining", "eligible"]
"""What a percentage quota is taken of: all members, units not awarded a higher tier, or units
meeting the tier's standard."""

Combine: TypeAlias = Literal["score", "vote", "score_gate_vote", "weighted"]
"""How the criteria score and the peer vote make the meeting's ranking."""

ScoreRule: TypeAlias = Literal["self", "verified_over_self", "cross_mean", "cross_trimmed_mean"]
"""Which score source decides each criterion."""

TieRule: TypeAlias = Literal[
    "score", "vote", "head_to_head", "first_places", "runoff", "chair", "lot", "joint"
]
"""Steps of the tie-break chain (see :mod:`thidua_rank.meeting.ties`)."""

CutoffTie: TypeAlias = Literal["include", "exclude", "runoff"]
"""What to do when units still tied after the chain straddle a tier's quota cut-off."""

MinimaxScore: TypeAlias = Literal["margins", "winning_votes", "pairwise_opposition"]

Language: TypeAlias = Literal["vi", "en"]
