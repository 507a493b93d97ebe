"""The meeting data model: member units and everything loaded for one review meeting.

>>> m = [Member("a", "Sở Y tế", "SYT"), Member("b", "Sở Giáo dục và Đào tạo", "Sở GD&ĐT")]
>>> Meeting.index_of(m).name("sở gd&đt")
'Sở Giáo dục và Đào tạo'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from thidua_rank.engine.ballots import Ballots, UnitIndex
from thidua_rank.engine.scores import ScoreSheet
from thidua_rank.errors import ConfigError, InputError, ThiduaRankError
from thidua_rank.meeting.config import MeetingConfig

__all__ = ["Meeting", "Member"]


@dataclass(frozen=True)
class Member:
    """A member unit of the bloc (the unit, not a person, is the member)."""

    id: str
    name: str
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    present: bool = True

    @property
    def label(self) -> str:
        """Short name when there is one, for charts and narrow screens."""
        return self.short_name or self.name


@dataclass(frozen=True, eq=False)
class Meeting:
    """A loaded, checked meeting: configuration, members, scores and ballots per round."""

    config: MeetingConfig
    members: tuple[Member, ...]
    scores: ScoreSheet | None = None
    ballots: Mapping[str, Ballots] = field(default_factory=dict)
    path: str | None = None

    @staticmethod
    def index_of(members: Sequence[Member]) -> UnitIndex:
        """Name resolver over ids, full names, short names and aliases."""
        aliases = {i: [m.id, m.short_name, *m.aliases] for i, m in enumerate(members)}
        return UnitIndex([m.name for m in members], aliases=aliases)

    @property
    def index(self) -> UnitIndex:
        """Name resolver for this bloc."""
        return self.index_of(self.members)

    @property
    def units(self) -> tuple[str, ...]:
        """Full names in official order."""
        return tuple(m.name for m in self.members)

    @property
    def present(self) -> tuple[str, ...]:
        """Units present at the meeting, in official order."""
        return tuple(m.name for m in self.members if m.present)

    def member(self, ref: str) -> Member:
        """The member named *ref* (id, name, short name or alias)."""
        return self.members[self.index.position(ref)]

    def issued(self, round_id: str) -> int:
        """Ballots issued in a round (configured, else one per unit present)."""
        rnd = self.config.round(round_id)
        return rnd.issued if rnd.issued is not None else len(self.present)

    def check(self, *, require_ballots: bool = True) -> None:
        """Cross-file consistency: names resolve, counts add up, rounds have what they need
        (the ranking round's ballots only when *require_ballots*)."""
        index = self.index
        info = self.config.meeting
        for label, ref in [("meeting.outgoing_head", info.outgoing_head),
                           *[("meeting.outgoing_deputies", d) for d in info.outgoing_deputies]]:
            if ref:
                try:
                    index.position(ref)
                except ThiduaRankError as err:
                    raise err.located(file="meeting.toml", column=label) from None
        for rnd in self.config.rounds:
            for c in rnd.candidates or ():
                try:
                    index.position(c)
                except ThiduaRankError as err:
                    raise err.located(file="meeting.toml", column=f"rounds.{rnd.id}.candidates"
                                      ) from None
            ballots = self.ballots.get(rnd.id)
            if ballots is None:
                continue
            returned = ballots.n_ballots + ballots.n_invalid
            issued = self.issued(rnd.id)
            if returned > issued:
                raise InputError(
                    f"vòng '{rnd.id}': thu về {returned} phiếu nhưng chỉ phát ra {issued}",
                    f"round '{rnd.id}': {returned} ballots returned but only {issued} issued",
                    file=ballots.source)
        members = len(self.members)
        for i, tier in enumerate(self.config.tiers):
            quota = tier.quota
            if quota is None:
                continue
            if quota.count is not None and quota.count > members:  # a share is ≤ 100%
                vi, en = quota.describe()
                raise ConfigError(
                    f"hạn mức của hạng '{tier.label}' ({vi}) lớn hơn số thành viên của khối "
                    f"({members} đơn vị)",
                    f"the quota of tier '{tier.id}' ({en}) is larger than the bloc's "
                    f"{members} member units", file="meeting.toml", column=f"tiers[{i}].quota",
                    value=quota.count)
        if require_ballots and self.config.ranking.combine != "score" and \
                self.config.ranking.vote_round not in self.ballots:
            raise ConfigError("vòng bỏ phiếu xếp hạng chưa có phiếu",
                              "the ranking vote round has no ballots file",
                              column="ranking.vote_round", value=self.config.ranking.vote_round)
        if self.config.ranking.combine != "vote" and self.scores is None:
            raise ConfigError("cách xếp hạng này cần bảng điểm (criteria + scores)",
                              "this ranking rule needs the criteria and scores files",
                              column="ranking.combine", value=self.config.ranking.combine)
