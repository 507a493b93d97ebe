"""The head and deputy rounds seen as elections: who received how many votes, out of what, the
threshold and whether it was met, who was elected, and the seats left unfilled.

One view, read by everything that shows an election (projector, chair's page, counting minutes,
workbook, JSON, charts), so that no page presents an election as an honours podium or shows an
internal method score. For a round decided by instant runoff, every count is kept (first
preferences per candidate, ballots still live, who was eliminated): the votes of a candidate are
its first preferences in the last count it took part in, out of the ballots live in that count.

>>> import thidua_rank as tr
>>> from thidua_rank.resources import data_folder
>>> folder = data_folder("sample_data") / "phu-tho-van-hoa-xa-hoi-2020"
>>> head = elections(tr.run_meeting(tr.load_meeting(folder)))[0]
>>> head.decides, head.seats, head.elected, head.unfilled
('head', 1, ('Bảo hiểm Xã hội tỉnh',), 0)
>>> [(k.number, dict(k.tallies), k.eliminated) for k in head.counts][0][2]
('Sở Văn hóa - Thể thao và Du lịch',)
>>> [(c.unit, c.votes, c.denominator) for c in head.candidates]
[('Sở Thông tin và Truyền thông', 6, 15), ('Bảo hiểm Xã hội tỉnh', 9, 15), \
('Sở Văn hóa - Thể thao và Du lịch', 3, 15)]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from thidua_rank.engine.thresholds import Threshold
    from thidua_rank.meeting.config import RoundConfig
    from thidua_rank.meeting.pipeline import MeetingOutcome, RoundCount

__all__ = ["Candidate", "Election", "InstantRunoffCount", "elections"]

DenominatorName = Literal["members", "present", "issued", "valid", "live"]
"""What a share is of: all members, members present, ballots issued, valid ballots, or (instant
runoff) the ballots still live in that count."""

DENOMINATOR_WORDS: dict[str, tuple[str, str]] = {
    "members": ("đơn vị thành viên", "member units"),
    "present": ("đơn vị có mặt", "units present"),
    "issued": ("phiếu phát ra", "ballots issued"),
    "valid": ("phiếu hợp lệ", "valid ballots"),
    "live": ("phiếu còn hiệu lực ở lần đếm đó", "ballots live in that count"),
}
"""Each denominator in words (Vietnamese, English), for headers like "Tỷ lệ trên 9 phiếu hợp lệ"."""


@dataclass(frozen=True)
class Candidate:
    """One candidate of an election round.

    Attributes
    ----------
    unit
        The candidate unit.
    votes
        Votes received: approvals or choices, or (instant runoff) first preferences in the last
        count the candidate took part in.
    denominator
        What the share is out of (a number of ballots or units), named by ``denominator_name``.
    threshold_met
        Whether the round's threshold is met (``None`` when the round has no threshold).
    elected
        Whether the meeting elected the unit in this round.
    excluded
        True when the unit could not be elected in this round: the head (in a deputies round),
        or a unit an earlier round of the same office already elected (in a re-vote).
    """

    unit: str
    votes: int
    denominator: int
    denominator_name: DenominatorName
    threshold_met: bool | None
    elected: bool
    excluded: bool = False

    @property
    def share(self) -> Fraction:
        """``votes / denominator`` exactly (0 when the denominator is 0)."""
        return Fraction(self.votes, self.denominator) if self.denominator else Fraction(0)


@dataclass(frozen=True)
class InstantRunoffCount:
    """One count of an instant-runoff round: first preferences of the candidates still in."""

    number: int
    tallies: tuple[tuple[str, int], ...]
    live: int
    eliminated: tuple[str, ...]


@dataclass(frozen=True)
class Election:
    """A head or deputies round as an election.

    Attributes
    ----------
    round_id, title
        The round.
    decides
        ``"head"`` or ``"deputies"``.
    role, role_en
        The office, as the bloc names it (``head_title`` / ``deputy_title`` of meeting.toml).
    seats
        Seats to fill in this round: the office's seats, or for a re-vote (a later round of the
        same office) the seats the earlier rounds left unfilled.
    method
        The counting method (``irv`` for instant runoff, ``approval``, ``plurality`` …).
    threshold
        The round's pass rule, or ``None`` (most votes win).
    candidates
        Every candidate, in the bloc's official unit order.
    counts
        The instant-runoff counts (empty for other methods).
    elected
        The units elected, in order of election.
    revote
        True for a re-vote: a later round of the same office, for the seats the earlier rounds
        left unfilled (the units they elected are excluded).
    """

    round_id: str
    title: str
    decides: Literal["head", "deputies"]
    role: str
    role_en: str
    seats: int
    method: str
    threshold: Threshold | None
    candidates: tuple[Candidate, ...]
    counts: tuple[InstantRunoffCount, ...]
    elected: tuple[str, ...]
    revote: bool = False

    @property
    def unfilled(self) -> int:
        """Seats nobody was elected to (a new ballot is needed for them)."""
        return max(0, self.seats - len(self.elected))

    @property
    def is_instant_runoff(self) -> bool:
        """Whether the round was counted by instant runoff (see :attr:`counts`)."""
        return bool(self.counts)

    def unfilled_text(self, lang: str = "vi") -> str:
        """The line the minutes and the projector show for unfilled seats ('' when none).

        >>> e = Election("pho", "Bầu Phó", "deputies", "Phó Trưởng khối", "deputy head", 2,
        ...              "approval", None, (), (), ("Sở Y tế",))
        >>> e.unfilled_text(), e.unfilled_text("en")
        ('Chưa bầu được 01 Phó Trưởng khối', 'No one elected to 1 deputy head seat(s)')
        """
        if not self.unfilled:
            return ""
        if lang == "en":
            return f"No one elected to {self.unfilled} {self.role_en} seat(s)"
        what = self.role if self.seats == 1 else f"{self.unfilled:02d} {self.role}"
        return f"Chưa bầu được {what}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-able view (shares as exact strings and as percentages rounded to 2 places)."""
        th = self.threshold
        return {
            "round": self.round_id, "title": self.title, "decides": self.decides,
            "role": self.role, "seats": self.seats, "method": self.method,
            "threshold": None if th is None else {
                "share": str(th.share), "denominator": th.denominator,
                "comparison": th.comparison},
            "candidates": [{
                "unit": c.unit, "votes": c.votes, "denominator": c.denominator,
                "of": c.denominator_name, "share": str(c.share),
                "percent": round(float(c.share) * 100, 2), "threshold_met": c.threshold_met,
                "elected": c.elected, "excluded": c.excluded} for c in self.candidates],
            "instant_runoff_counts": [{
                "count": k.number, "live": k.live, "tallies": dict(k.tallies),
                "eliminated": list(k.eliminated)} for k in self.counts],
            "elected": list(self.elected), "unfilled": self.unfilled, "revote": self.revote,
        }


def _whole(value: Any) -> int:
    """A tally as an integer (ballot counts are whole; a weighted tally is refused)."""
    value = Fraction(value)
    if value.denominator != 1:
        raise ValueError(f"an election tally must be a whole number of ballots, got {value}")
    return int(value)


def _irv_counts(details: dict[str, Any]) -> tuple[InstantRunoffCount, ...]:
    out = []
    for r in details["rounds"]:
        tallies = tuple((u, _whole(v)) for u, v in r["tallies"].items())
        out.append(InstantRunoffCount(number=int(r["round"]), tallies=tallies,
                                      live=sum(v for _, v in tallies),
                                      eliminated=tuple(r["eliminated"])))
    return tuple(out)


def _official(units: Sequence[str], order: Sequence[str]) -> list[str]:
    rank = {u: i for i, u in enumerate(order)}
    return sorted(units, key=lambda u: rank.get(u, len(rank)))


def _election(outcome: MeetingOutcome, count: RoundCount, rnd: RoundConfig, revote: bool
              ) -> Election:
    info = outcome.meeting.config.meeting
    head = rnd.decides == "head"
    elected = count.elected
    excluded = set(count.excluded)
    official = outcome.meeting.units
    counts: tuple[InstantRunoffCount, ...] = ()
    candidates: list[Candidate] = []
    if count.result is not None and "rounds" in count.result.details:
        counts = _irv_counts(count.result.details)
        last: dict[str, tuple[int, int]] = {}
        for k in counts:
            for unit, votes in k.tallies:
                last[unit] = (votes, k.live)
        for unit in _official(list(last), official):
            votes, live = last[unit]  # the majority of live ballots is the runoff's own rule
            candidates.append(Candidate(unit, votes, live, "live", None, unit in elected,
                                        unit in excluded))
    else:
        name = rnd.threshold.denominator if rnd.threshold is not None else "valid"
        for unit in _official(list(count.approvals), official):
            votes, den, passed = count.approvals[unit]
            met = passed if rnd.threshold is not None else None
            candidates.append(Candidate(unit, int(votes), int(den), name, met,
                                        unit in elected, unit in excluded))
    return Election(
        round_id=rnd.id, title=rnd.title, decides="head" if head else "deputies",
        role=info.head_title if head else info.deputy_title,
        role_en="head unit" if head else "deputy head",
        seats=count.seats, method=rnd.method, threshold=rnd.threshold,
        candidates=tuple(candidates), counts=counts, elected=elected, revote=revote)


def elections(outcome: MeetingOutcome) -> tuple[Election, ...]:
    """The meeting's head and deputy rounds as elections, in round order.

    Parameters
    ----------
    outcome
        What :func:`thidua_rank.run_meeting` returned.

    Returns
    -------
    tuple of Election
        One per head or deputies round that has ballots (none when the meeting elects nobody).
    """
    cfg = outcome.meeting.config
    out = []
    offices: set[str] = set()
    for count in outcome.rounds:
        rnd = cfg.round(count.id)
        if rnd.decides in ("head", "deputies"):
            out.append(_election(outcome, count, rnd, revote=rnd.decides in offices))
            offices.add(rnd.decides)
    return tuple(out)
