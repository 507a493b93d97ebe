"""Run a whole meeting: ranking, awards per tier, leadership, ballot counts, tie-break records.

>>> import thidua_rank as tr  # doctest: +SKIP
>>> meeting = tr.load_meeting("sample_data/ninh-binh-co-quan-dang-2022")  # doctest: +SKIP
>>> tr.run_meeting(meeting).to_dict()["awards"][0]["label"]  # doctest: +SKIP
'Cờ thi đua của Chính phủ'
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.result import RankResult, TieBreak, build_result
from thidua_rank.errors import ConfigError, InputError
from thidua_rank.meeting.awards import TierAward, UnitStanding, allocate
from thidua_rank.meeting.config import MeetingConfig, RoundConfig
from thidua_rank.meeting.elections import elections
from thidua_rank.meeting.model import Meeting
from thidua_rank.meeting.ties import TieContext, resolve_tie
from thidua_rank.methods import rank, weighted_sum
from thidua_rank.text import format_number, format_percent

__all__ = ["Leadership", "MeetingOutcome", "RoundCount", "run_meeting", "score_kind"]

_SCORE_KINDS = {"weighted_sum": "criteria_points", "borda": "borda_points",
                "dowdall": "dowdall_points", "copeland": "copeland_points",
                "approval": "votes", "plurality": "votes", "combined": "combined_index"}


def score_kind(method: str) -> str:
    """What a method's score is, as the JSON names it (``score_kind``).

    >>> score_kind("weighted_sum"), score_kind("borda"), score_kind("approval")
    ('criteria_points', 'borda_points', 'votes')
    >>> score_kind("schulze")
    'schulze_score'
    """
    return _SCORE_KINDS.get(method, f"{method.split(':')[-1]}_score")


@dataclass(frozen=True)
class RoundCount:
    """Ballot counts of one round, for the counting minutes."""

    id: str
    title: str
    decides: str
    issued: int
    valid: int
    invalid: int
    invalid_reasons: tuple[tuple[str, str], ...]
    result: RankResult | None = None
    approvals: dict[str, tuple[int, int, bool]] = field(default_factory=dict)
    seats: int = 0
    """Seats this round filled or could fill (head and deputies rounds; a re-vote: the seats its
    office still had unfilled before it)."""
    elected: tuple[str, ...] = ()
    """Units elected in this round (head and deputies rounds), in order of election."""
    excluded: tuple[str, ...] = ()
    """Units that could not be elected in this round: already elected to the office by an
    earlier round, or (deputies) the head."""

    @property
    def returned(self) -> int:
        """Ballots put in the box: valid + invalid."""
        return self.valid + self.invalid

    def as_dict(self) -> dict[str, Any]:
        """JSON-able summary: the counts, and the round's scores with ``score_kind`` naming
        them. A head or deputies round's ``votes`` are votes received (for instant runoff, the
        first preferences of the last count a candidate took part in), never a method's
        internal score; the full election view is in the outcome's ``elections``."""
        doc: dict[str, Any] = {
            "id": self.id, "title": self.title, "decides": self.decides,
            "issued": self.issued, "returned": self.returned, "valid": self.valid,
            "invalid": self.invalid, "invalid_reasons": [vi for vi, _ in self.invalid_reasons],
            "invalid_reasons_en": [en for _, en in self.invalid_reasons]}
        if self.decides in ("head", "deputies"):
            doc["seats"] = self.seats
            doc["elected"] = list(self.elected)
        if self.result is not None and "rounds" in self.result.details:  # instant runoff
            last: dict[str, int] = {}
            for r in self.result.details["rounds"]:
                last.update({u: int(v) for u, v in r["tallies"].items()})
            doc["score_kind"] = "first_preferences"
            doc["votes"] = [{"unit": u, "votes": v} for u, v in last.items()]
        elif self.approvals:
            doc["score_kind"] = "votes"
            doc["votes"] = [{"unit": u, "votes": v, "denominator": d}
                            for u, (v, d, _) in self.approvals.items()]
        elif self.result is not None:
            doc["score_kind"] = score_kind(self.result.method)
            doc["votes"] = [{"unit": r["unit"], "score": r["score"], "rank": r["rank"]}
                            for r in self.result.to_dicts()]
        else:
            doc["score_kind"], doc["votes"] = None, []
        return doc


@dataclass(frozen=True)
class Leadership:
    """Next year's head unit and deputies."""

    head: str | None
    deputies: tuple[str, ...]
    suggested_head: str | None = None
    notes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False)
class MeetingOutcome:
    """Everything the meeting decided, ready for the projector, minutes and JSON."""

    meeting: Meeting
    ranking: RankResult
    score_result: RankResult | None
    vote_result: RankResult | None
    awards: tuple[TierAward, ...]
    leadership: Leadership
    rounds: tuple[RoundCount, ...]
    tie_breaks: tuple[TieBreak, ...]
    quorum_met: bool
    pending: tuple[tuple[str, str], ...] = ()

    def award_of(self, unit: str) -> str | None:
        """Tier id proposed for *unit*, if any."""
        for award in self.awards:
            if any(a.unit == unit for a in award.units):
                return award.tier.id
        return None

    @property
    def ranking_score_kind(self) -> str | None:
        """What the ranking's ``score`` is (``criteria_points``, ``borda_points``,
        ``combined_index`` …), or ``None`` when the ranking mixes two scales (a score gate and a
        vote: the vote's points above the gate, criteria points below) and so has no one score."""
        if self.meeting.config.ranking.combine == "score_gate_vote":
            return None
        return score_kind(self.ranking.method)

    def _criteria(self) -> list[dict[str, Any]]:
        sheet = self.meeting.scores
        if sheet is None:
            return []
        return [{"id": c.id, "name": c.name, "group": c.group, "kind": c.kind,
                 "max_points": float(c.max_points), "weight": float(c.weight)}
                for c in sheet.criteria]

    def _ranking_rows(self) -> list[dict[str, Any]]:
        """Per unit: place, and each score on its own scale (``score`` only when the ranking
        has one scale; ``criteria_points`` and per-criterion ``points`` when the meeting scored
        criteria; ``vote_points`` when it voted, ``None`` for a unit not on the ballot)."""
        single = self.ranking_score_kind is not None
        resolved = (self.score_result.details["resolved"] if self.score_result is not None
                    else None)
        vote = self.vote_result.exact if self.vote_result is not None else None
        rows = []
        for r in self.ranking.to_dicts():
            unit = r["unit"]
            row: dict[str, Any] = {"unit": unit, "rank": r["rank"], "tied": r["tied"]}
            if single:
                row["score"] = r["score"]
            if resolved is not None:
                us = resolved[unit]
                row["criteria_points"] = float(us.total)
                row["points"] = {k: float(v) for k, v in us.points.items()}
                row["bonus"], row["deductions"] = float(us.bonus), float(us.deductions)
                row["floors_missed"] = list(us.floors_missed)
            if vote is not None:
                row["vote_points"] = float(vote[unit]) if unit in vote else None
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of ``thidua-rank meeting --json``.

        Every score names its scale: ``ranking_score_kind`` for the ranking's ``score``
        (absent when a score gate and a vote make the ranking: then ``criteria_points`` and
        ``vote_points`` are given side by side), ``score_kind`` per round, and ``elections``
        for the head and deputies rounds (votes, shares with their denominators, thresholds,
        instant-runoff counts).
        """
        info = self.meeting.config.meeting
        return {
            "meeting": info.id,
            "bloc": info.bloc,
            "province": info.province,
            "year_reviewed": info.year_reviewed,
            "term_year": info.term_year,
            "meeting_date": info.meeting_date.isoformat() if info.meeting_date else None,
            "quorum": {"members": len(self.meeting.members),
                       "present": len(self.meeting.present),
                       "required": f"{info.quorum.numerator}/{info.quorum.denominator}",
                       "met": self.quorum_met},
            "ranking_method": self.ranking.method,
            "ranking_score_kind": self.ranking_score_kind,
            "criteria": self._criteria(),
            "ranking": self._ranking_rows(),
            "awards": [{"tier": a.tier.id, "label": a.tier.label, "label_en": a.tier.label_en,
                        "quota": a.quota,
                        "units": [{"unit": u.unit, "place": u.place, "joint": u.joint}
                                  for u in a.units],
                        "pending_runoff": list(a.pending),
                        "notes": [vi for vi, _ in a.notes]} for a in self.awards],
            "leadership": {"head": self.leadership.head,
                           "deputies": list(self.leadership.deputies),
                           "suggested_head": self.leadership.suggested_head},
            "rounds": [r.as_dict() for r in self.rounds],
            "elections": [e.as_dict() for e in elections(self)],
            "tie_breaks": [t.as_dict() for t in self.tie_breaks],
            "pending": [vi for vi, _ in self.pending],
            "pending_en": [en for _, en in self.pending],
        }


def _count(meeting: Meeting, rnd: RoundConfig, ballots: Ballots) -> RoundCount:
    return RoundCount(
        id=rnd.id, title=rnd.title, decides=rnd.decides, issued=meeting.issued(rnd.id),
        valid=ballots.n_ballots, invalid=ballots.n_invalid,
        invalid_reasons=tuple((b.reason_vi, b.reason_en) for b in ballots.invalid
                              for _ in range(b.count)))


def _denominator(meeting: Meeting, rnd: RoundConfig, ballots: Ballots, which: str) -> int:
    return {"members": len(meeting.members), "present": len(meeting.present),
            "issued": meeting.issued(rnd.id), "valid": ballots.n_ballots}[which]


def _approvals(meeting: Meeting, rnd: RoundConfig, ballots: Ballots, threshold: Any
               ) -> dict[str, tuple[int, int, bool]]:
    votes = ballots.counts @ (ballots.ranks > 0)
    out = {}
    for unit, v in zip(ballots.units, votes.tolist(), strict=True):
        if threshold is None:
            out[unit] = (v, ballots.n_ballots, True)
        else:
            den = _denominator(meeting, rnd, ballots, threshold.denominator)
            out[unit] = (v, den, threshold.passes(v, den))
    return out


def _check_gate(meeting: Meeting, score: RankResult, passed: Sequence[str],
                ballots: Ballots) -> None:
    """The ranking ballot's candidates must be exactly the units past the score gate: a unit
    past the gate but not on the ballot (or the reverse) would otherwise be ranked silently."""
    cfg = meeting.config.ranking
    rnd = meeting.config.round(cfg.vote_round or "")
    gate = cfg.gate_min_score if cfg.gate_min_score is not None else Fraction(0)

    def pts(value: Fraction, lang: str) -> str:
        return format_number(value, 0 if Fraction(value).denominator == 1 else 2, lang=lang)

    for unit in passed:
        if unit not in ballots.units:
            got = score.exact[unit]
            raise InputError(
                f"{unit} đạt điểm sàn ({pts(got, 'vi')} ≥ {pts(gate, 'vi')} điểm, "
                f"ranking.gate_min_score) nhưng không có trong phiếu xếp hạng của vòng "
                f"'{rnd.title}'",
                f"{unit} passes the score gate ({pts(got, 'en')} ≥ {pts(gate, 'en')} points, "
                f"ranking.gate_min_score) but is not a candidate on the ranking ballot of round "
                f"'{rnd.id}'", file=ballots.source, column=unit, value=pts(got, "en"))
    for unit in ballots.units:
        if unit not in passed:
            got = score.exact[unit]
            raise InputError(
                f"{unit} có trong phiếu xếp hạng của vòng '{rnd.title}' nhưng không đạt điểm sàn "
                f"({pts(got, 'vi')} < {pts(gate, 'vi')} điểm, ranking.gate_min_score)",
                f"{unit} is a candidate on the ranking ballot of round '{rnd.id}' but does not "
                f"pass the score gate ({pts(got, 'en')} < {pts(gate, 'en')} points, "
                f"ranking.gate_min_score)", file=ballots.source, column=unit,
                value=pts(got, "en"))


def _ranking(meeting: Meeting, score: RankResult | None) -> tuple[RankResult, RankResult | None]:
    """The meeting's ranking before tie-breaks, and the vote result it used."""
    cfg = meeting.config.ranking
    if cfg.combine == "score":
        assert score is not None
        return score, None
    ballots = meeting.ballots[cfg.vote_round or ""]
    if cfg.combine == "vote":
        vote = rank(ballots, method=cfg.method)
        return vote, vote
    assert score is not None
    if cfg.combine == "weighted":
        vote = rank(ballots, method=cfg.method)
        combined = rank([score, vote], method="combined", weights=[cfg.weight, 1 - cfg.weight])
        return combined, vote
    # score gates eligibility, vote ranks the units that pass the gate
    gate = cfg.gate_min_score
    passed = [u for u in meeting.units if gate is None or score.exact[u] >= gate]
    _check_gate(meeting, score, passed, ballots)
    vote = rank(ballots, method=cfg.method)
    keys = [(1, vote.exact[u]) if u in vote.exact else (0, score.exact[u]) for u in meeting.units]
    exact = [vote.exact.get(u, score.exact[u]) for u in meeting.units]

    def explain(unit: str, value: Any, place: int) -> tuple[str, str]:
        src = vote if unit in vote.exact else score
        vi, en = src.explanations[unit]["vi"], src.explanations[unit]["en"]
        if unit not in vote.exact:
            return (f"Không đạt điểm sàn để vào vòng bỏ phiếu; {vi}",
                    f"Below the score gate for the vote; {en}")
        return vi, en

    result = build_result(f"score_gate_vote:{cfg.method}", meeting.units, exact, keys=keys,
                          explain=explain, options={"gate_min_score": gate,
                                                    "method": cfg.method},
                          details={"vote": vote.details, "passed_gate": passed})
    return result, vote


def _context(meeting: Meeting, score: RankResult | None, vote: RankResult | None,
             runoffs: dict[frozenset[str], list[list[str]]]) -> TieContext:
    cfg = meeting.config
    pairwise = first = None
    vote_ballots = meeting.ballots.get(cfg.ranking.vote_round or "")
    if vote_ballots is not None and vote_ballots.kind == "ranked":
        p = vote_ballots.pairwise()
        units = vote_ballots.units
        pairwise = {(a, b): int(p[i, j]) for i, a in enumerate(units)
                    for j, b in enumerate(units)}
        first = dict(zip(units, vote_ballots.first_places().tolist(), strict=True))
    return TieContext(score=dict(score.exact) if score else None,
                      vote=dict(vote.exact) if vote else None, pairwise=pairwise,
                      first_places=first, runoffs=runoffs, decisions=cfg.tie_break.decisions,
                      seed=cfg.tie_break.seed)


def _ranks(groups: Sequence[Sequence[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    seen = 0
    for g in groups:
        for u in g:
            out[u] = seen + 1
        seen += len(g)
    return out


def _elect(meeting: Meeting, rnd: RoundConfig, ballots: Ballots, seats: int,
           exclude: Sequence[str], ctx: TieContext, chain: Sequence[str], records: list[TieBreak]
           ) -> tuple[list[str], list[tuple[str, str]], RankResult]:
    """Winners of a head or deputies round (tie-break chain at the last seat)."""
    result = rank(ballots, method=rnd.method)
    notes: list[tuple[str, str]] = []
    approvals = _approvals(meeting, rnd, ballots, rnd.threshold)
    groups = [[u for u in g if u not in exclude] for g in result.groups()]
    groups = [g for g in groups if g]
    if rnd.threshold is not None:
        groups = [[u for u in g if approvals[u][2]] for g in groups]
        groups = [g for g in groups if g]
    chosen: list[str] = []
    for g in groups:
        if len(chosen) + len(g) <= seats:
            chosen.extend(g)
            continue
        if len(chosen) < seats:
            split, recs = resolve_tie(g, chain, ctx)
            records.extend(recs)
            for s in split:
                if len(chosen) + len(s) <= seats:
                    chosen.extend(s)
                else:
                    if len(chosen) < seats:
                        notes.append((f"{', '.join(s)} bằng phiếu nhau, cần bầu lại",
                                      f"{', '.join(s)} tied; a new ballot is needed"))
                    break
        break
    if len(chosen) < seats and not notes:
        notes.append((f"vòng '{rnd.title}': chưa đủ đơn vị đạt yêu cầu",
                      f"round '{rnd.id}': not enough units reach the requirement"))
    return chosen, notes, result


Note = tuple[str, str]
"""A sentence in Vietnamese and in English."""
Approvals = dict[str, tuple[int, int, bool]]
"""Per unit: votes, denominator, whether the threshold is met."""


def _replace_round(rounds: list[RoundCount], round_id: str, **changes: Any) -> None:
    """Update the count of round *round_id* in place (a frozen record: replaced)."""
    for i, c in enumerate(rounds):
        if c.id == round_id:
            rounds[i] = dataclasses.replace(c, **changes)


def _count_rounds(meeting: Meeting, vote: RankResult | None
                  ) -> tuple[list[RoundCount], dict[frozenset[str], list[list[str]]]]:
    """Phase 1: ballot counts per round, and the order each run-off round decided."""
    cfg = meeting.config
    rounds: list[RoundCount] = []
    runoffs: dict[frozenset[str], list[list[str]]] = {}
    for rnd in cfg.rounds:
        ballots = meeting.ballots.get(rnd.id)
        if ballots is None:
            continue
        count = _count(meeting, rnd, ballots)
        if rnd.decides == "runoff":
            result = rank(ballots, method=rnd.method)
            runoffs[frozenset(ballots.units)] = result.groups()
            count = dataclasses.replace(count, result=result)
        elif rnd.decides == "ranking" and rnd.id == cfg.ranking.vote_round and vote is not None:
            count = dataclasses.replace(count, result=vote)
        rounds.append(count)
    return rounds, runoffs


def _refine(cfg: MeetingConfig, ranking: RankResult, ctx: TieContext,
            records: list[TieBreak]) -> list[list[str]]:
    """Phase 3: the ranking's tied groups, split by the tie-break chain when it applies to
    every tie (``tie_break.apply = "all"``); otherwise only award cut-offs are broken."""
    groups = ranking.groups()
    if cfg.tie_break.apply != "all":
        return groups
    refined: list[list[str]] = []
    for g in groups:
        if len(g) > 1:
            split, recs = resolve_tie(g, cfg.tie_break.chain, ctx)
            records.extend(recs)
            refined.extend(split)
        else:
            refined.append(g)
    return refined


def _standings(meeting: Meeting, score: RankResult | None, rounds: list[RoundCount]
               ) -> dict[str, UnitStanding]:
    """Phase 4: what each tier looks at per unit (score, floors, approval votes); the approval
    rounds' counts get their tallies."""
    cfg = meeting.config
    approval_by_round: dict[str, Approvals] = {}
    for tier in cfg.tiers:
        if tier.approval_round is not None and tier.approval_round in meeting.ballots:
            rnd = cfg.round(tier.approval_round)
            ballots = meeting.ballots[rnd.id]
            approval_by_round[rnd.id] = _approvals(meeting, rnd, ballots, tier.threshold)
            _replace_round(rounds, rnd.id, approvals=approval_by_round[rnd.id],
                           result=rank(ballots, method="approval"))
    top = set(score.winners) if score is not None else set()
    standings = {}
    for u in meeting.units:
        resolved = score.details["resolved"][u] if score is not None else None
        standings[u] = UnitStanding(
            score=resolved.total if resolved else None,
            floors_missed=resolved.floors_missed if resolved else (),
            top_scorer=u in top,
            approvals={rid: votes[u] for rid, votes in approval_by_round.items() if u in votes})
    return standings


def _awards(meeting: Meeting, ranking: RankResult, groups: list[list[str]],
            standings: dict[str, UnitStanding], ctx: TieContext, records: list[TieBreak]
            ) -> tuple[list[TierAward], RankResult, list[Note]]:
    """Phase 5: tiers filled in order (cut-off ties through the chain), the final ranking, and
    the run-offs still needed."""
    cfg = meeting.config

    def resolve(group: Sequence[str]) -> list[list[str]]:
        split, recs = resolve_tie(group, cfg.tie_break.chain, ctx)
        records.extend(recs)
        return split

    awards, groups = allocate(cfg.tiers, groups, standings, members=len(meeting.members),
                              resolve=resolve)
    final = ranking.with_ranks(_ranks(groups), records) if records else ranking
    pending: list[Note] = []
    for a in awards:
        if a.pending:
            pending.append((f"Cần bỏ phiếu lại cho {a.tier.label}: {', '.join(a.pending)}",
                            f"Run-off needed for {a.tier.label_en or a.tier.id}: "
                            f"{', '.join(a.pending)}"))
    for r in records:
        if r.outcome == "pending":
            pending.append((f"Có thể bỏ phiếu lại giữa: {', '.join(r.units)}",
                            f"A run-off may be held between: {', '.join(r.units)}"))
    return awards, final, pending


def _leadership(meeting: Meeting, ctx: TieContext, records: list[TieBreak],
                rounds: list[RoundCount]) -> Leadership:
    """Phase 6: next year's head unit, then the deputies (the head excluded).

    The first round of an office (``decides = "head"`` or ``"deputies"``) sets its seats; a later
    round of the same office is a re-vote: it fills only the seats still unfilled, and the units
    already elected (and, for deputies, the head) are not candidates. What is still pending is
    what the office's last round left unfilled.
    """
    cfg = meeting.config
    elected: dict[str, list[str]] = {"head": [], "deputies": []}
    seats: dict[str, int] = {}
    notes: dict[str, list[Note]] = {"head": [], "deputies": []}
    for rnd in cfg.rounds:
        ballots = meeting.ballots.get(rnd.id)
        if ballots is None or rnd.decides not in ("head", "deputies"):
            continue
        office = rnd.decides
        total = seats.setdefault(office, 1 if office == "head" else rnd.seats)
        left = total - len(elected[office])
        if left <= 0:
            raise ConfigError(
                f"vòng '{rnd.title}' bầu lại nhưng các vòng trước đã bầu đủ "
                f"{total} chỗ ({', '.join(elected[office])})",
                f"round '{rnd.id}' is a re-vote but the earlier rounds of the same office "
                f"already filled all {total} seat(s): {', '.join(elected[office])}",
                file="meeting.toml", column=f"rounds.{rnd.id}.decides", value=office)
        exclude = list(elected[office])
        if office == "deputies":
            exclude = elected["head"] + exclude
        chosen, elect_notes, result = _elect(meeting, rnd, ballots, left, exclude, ctx,
                                             cfg.tie_break.chain, records)
        elected[office].extend(chosen)
        notes[office] = elect_notes
        _replace_round(rounds, rnd.id, result=result,
                       approvals=_approvals(meeting, rnd, ballots, rnd.threshold),
                       seats=left, elected=tuple(chosen),
                       excluded=tuple(u for u in ballots.units if u in exclude))
    info = cfg.meeting
    suggested = meeting.member(info.outgoing_deputies[0]).name if info.outgoing_deputies else None
    head = elected["head"][0] if elected["head"] else None
    return Leadership(head=head, deputies=tuple(elected["deputies"]), suggested_head=suggested,
                      notes=tuple(notes["head"] + notes["deputies"]))


def _quorum(meeting: Meeting) -> tuple[bool, Note | None]:
    """Phase 7: whether enough members are present, and the note saying so when not."""
    members, present = len(meeting.members), len(meeting.present)
    quorum = meeting.config.meeting.quorum
    if Fraction(present, members) >= quorum:
        return True, None
    return False, (f"Hội nghị không đủ số thành viên tham dự: {present}/{members} "
                   f"({format_percent(Fraction(present, members))}) < {format_percent(quorum)}",
                   f"The meeting lacks a quorum: {present}/{members} present")


def run_meeting(meeting: Meeting) -> MeetingOutcome:
    """Compute the meeting's outcome from its configuration, scores and ballots.

    Phases: criteria totals → the meeting ranking (score, vote, score-gated vote or weighted)
    → ballot counts per round → tie-break context → tie-breaks (everywhere, or only at award
    cut-offs) → standings → tiers filled in order with quotas and thresholds → head and
    deputies → quorum; what is still pending (run-offs, lacking quorum) is listed.
    """
    score = weighted_sum(meeting.scores) if meeting.scores is not None else None
    ranking, vote = _ranking(meeting, score)
    rounds, runoffs = _count_rounds(meeting, vote)
    ctx = _context(meeting, score, vote, runoffs)
    records: list[TieBreak] = []
    groups = _refine(meeting.config, ranking, ctx, records)
    standings = _standings(meeting, score, rounds)
    awards, final, pending = _awards(meeting, ranking, groups, standings, ctx, records)
    leadership = _leadership(meeting, ctx, records, rounds)
    pending.extend(leadership.notes)
    quorum_met, quorum_note = _quorum(meeting)
    if quorum_note is not None:
        pending.insert(0, quorum_note)
    return MeetingOutcome(
        meeting=meeting, ranking=final, score_result=score, vote_result=vote,
        awards=tuple(awards), leadership=leadership, rounds=tuple(rounds),
        tie_breaks=tuple(records), quorum_met=quorum_met, pending=tuple(pending))
