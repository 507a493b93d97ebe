"""The live meeting: a loaded meeting plus its ballot box, as every page and command sees it.

The ballot box stores anonymous cells; this module turns them back into the engine's
:class:`~thidua_rank.engine.ballots.Ballots` (so a live round is counted exactly like a
ballots file),
checks a delegate's ballot before it is cast, and computes what the projector may show: only
rounds the chair has revealed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thidua_rank.engine.ballots import BallotRules, Ballots
from thidua_rank.io.load import load_meeting
from thidua_rank.live.ballot_box import (
    Actor,
    BallotBox,
    BallotBoxError,
    RoundSpec,
    box_path,
    check_ballot,
    quorum_count,
)
from thidua_rank.meeting.config import ChairDecision, RoundConfig
from thidua_rank.meeting.model import Meeting

if TYPE_CHECKING:  # the engine loads when a result is computed, not on a delegate's page
    from thidua_rank.engine.result import RankResult
    from thidua_rank.meeting.pipeline import MeetingOutcome

__all__ = ["OUTCOME_FOCUS", "LiveMeeting", "RoundView", "check_ballot"]

OUTCOME_FOCUS = "__outcome__"
"""The projector's focus (ballot-box setting ``focus``) when it shows the overall result."""
ENV_MEETING = "THIDUA_MEETING"
ENV_BOX = "THIDUA_BOX"
RUNOFF_RULES = BallotRules(kind="ranked", allow_ties=False, allow_truncation=True)


@dataclass(frozen=True)
class RoundView:
    """One round as the pages show it: spec, state, rules, turnout, and (when allowed) result."""

    spec: RoundSpec
    state: str
    rules: BallotRules
    voted: int
    paper: int
    issued: int
    result: RankResult | None = None
    ballots: Ballots | None = None


class LiveMeeting:
    """A meeting folder (or workbook) together with its ballot box.

    Parameters
    ----------
    meeting_path
        Meeting folder or ``.xlsx`` workbook.
    box
        Ballot box file (default ``<folder>/.thidua/ballot-box.sqlite``).
    """

    def __init__(self, meeting_path: str | Path, box: str | Path | None = None, *,
                 register: bool = True) -> None:
        self.meeting_path = Path(meeting_path)
        self.meeting: Meeting = load_meeting(self.meeting_path, require_ballots=False)
        self.box = BallotBox(box or box_path(self.meeting_path))
        if register:
            self.register()

    def register(self) -> None:
        """As the operator (the laptop's terminal): register the meeting's rounds and the
        quorum in the ballot box. ``serve`` does this before any page opens; pages do not."""
        operator = self.box.operator()
        for spec in self.config_specs():
            self.box.add_round(spec, actor=operator)
        info = self.meeting.config.meeting
        members = len(self.meeting.members)
        self.box.set_quorum(quorum_count(info.quorum, members), members, actor=operator)

    @classmethod
    def from_env(cls) -> LiveMeeting:
        """The meeting the server was started on (``THIDUA_MEETING`` / ``THIDUA_BOX``)."""
        path = os.environ.get(ENV_MEETING)
        if not path:
            raise BallotBoxError("Chưa chọn hội nghị (biến môi trường THIDUA_MEETING).",
                                 "No meeting selected (THIDUA_MEETING is not set).")
        return cls(path, os.environ.get(ENV_BOX) or None, register=False)

    # -- rounds -------------------------------------------------------------------------------
    def _candidates(self, rnd: RoundConfig) -> tuple[str, ...]:
        if rnd.candidates is None:
            return self.meeting.units
        index = self.meeting.index
        chosen = {index.name(c) for c in rnd.candidates}
        return tuple(u for u in self.meeting.units if u in chosen)

    def config_specs(self) -> list[RoundSpec]:
        """Ballot-box specs of the rounds in ``meeting.toml``."""
        return [RoundSpec.from_config(r, self._candidates(r), self.meeting.issued(r.id))
                for r in self.meeting.config.rounds]

    def rules(self, spec: RoundSpec) -> BallotRules:
        """The validity rules of a round (stored with its spec in the ballot box)."""
        return spec.ballot_rules

    def start_runoff(self, units: Sequence[str], tier: str | None = None, *,
                     actor: Actor) -> RoundSpec:
        """Create a run-off round among tied units (opened by the chair like any round)."""
        index = self.meeting.index
        names = {index.name(u) for u in units}
        if len(names) < 2:
            raise BallotBoxError("Bỏ phiếu lại cần ít nhất hai đơn vị.",
                                 "A run-off needs at least two units.")
        ordered = tuple(u for u in self.meeting.units if u in names)
        n = sum(1 for s, _ in self.box.rounds() if s.decides == "runoff") + 1
        spec = RoundSpec(id=f"bo-phieu-lai-{n}", title=f"Bỏ phiếu lại lần {n}",
                         title_en=f"Run-off {n}", decides="runoff", kind="ranked",
                         candidates=ordered, issued=len(self.meeting.present), tier=tier,
                         method="borda", rules=RUNOFF_RULES)
        self.box.add_round(spec, actor=actor)
        return spec

    def start_revote(self, round_id: str, *, actor: Actor) -> RoundSpec:
        """Create a re-vote ("Bầu lại") for the seats a revealed head or deputies round left
        unfilled (opened by the chair like any round).

        The re-vote is a round of the same office: its seats are the seats still unfilled, its
        candidates the round's candidates minus the units already elected to that office (and,
        for deputies, minus the head), with the round's rules and threshold; a "choose" ballot
        marks at most as many units as there are seats left. Re-voting a re-vote re-votes the
        configured round it came from. The ballot box checks that the actor is the chair and
        that the round is a revealed round of the same office.

        Parameters
        ----------
        round_id
            The head or deputies round (or an earlier re-vote of it).
        actor
            The chair.

        Returns
        -------
        RoundSpec
            The new round (state ``draft``).

        Raises
        ------
        BallotBoxError
            The round elects nobody, a result is not available yet (a configured round is not
            revealed), every seat is filled, a re-vote of the office is already under way, or
            no candidate is left.
        """
        spec = self.box.spec(round_id)
        root_id = spec.revote_of or spec.id
        if spec.decides not in ("head", "deputies"):
            raise BallotBoxError(f"Vòng '{spec.title}' không phải vòng bầu; không thể bầu lại.",
                                 f"Round '{spec.title_en or spec.title}' is not an election; "
                                 f"it cannot be re-voted.")
        under_way = [s for s, st in self.box.rounds()
                     if s.revote_of == root_id and st != "revealed"]
        if under_way:
            raise BallotBoxError(f"Vòng '{under_way[0].title}' đang chờ; công bố vòng đó "
                                 f"trước khi bầu lại lần nữa.",
                                 f"Round '{under_way[0].title_en or under_way[0].title}' is "
                                 f"still pending; reveal it before another re-vote.")
        outcome = self.outcome()
        if outcome is None:
            raise BallotBoxError("Cần công bố đủ các vòng trước khi bầu lại.",
                                 "Every round must be revealed before a re-vote.")
        lead = outcome.leadership
        root = self.meeting.config.round(root_id)
        office = spec.decides
        elected = ([lead.head] if lead.head else []) if office == "head" \
            else list(lead.deputies)
        seats = (1 if office == "head" else root.seats) - len(elected)
        if seats < 1:
            raise BallotBoxError("Đã bầu đủ; không có chỗ nào cần bầu lại.",
                                 "Every seat is filled; there is nothing to re-vote.")
        out = set(elected) | ({lead.head} if office == "deputies" and lead.head else set())
        original = self.box.spec(root_id).candidates
        candidates = tuple(u for u in original if u not in out)
        if not candidates:
            raise BallotBoxError("Không còn đơn vị nào để bầu lại.",
                                 "No candidate is left for a re-vote.")
        rules = spec.ballot_rules
        if rules.kind == "choose" and rules.max_choices is not None:
            rules = dataclasses.replace(rules, max_choices=min(rules.max_choices, seats))
        info = self.meeting.config.meeting
        role, role_en = (info.head_title, "head unit") if office == "head" \
            else (info.deputy_title, "deputy head")
        n = sum(1 for s, _ in self.box.rounds() if s.revote_of == root_id) + 1
        seats_vi = "" if office == "head" else f" ({seats:02d} chỗ)"
        new = RoundSpec(id=f"bau-lai-{root_id}-{n}", title=f"Bầu lại {role}{seats_vi} lần {n}",
                        title_en=f"Re-vote {n}: {role_en} ({seats} seat(s))", decides=office,
                        kind=spec.kind, candidates=candidates,
                        max_choices=rules.max_choices, issued=self.meeting.issued(root_id),
                        method=spec.method, rules=rules, seats=seats, revote_of=root_id)
        self.box.add_round(new, actor=actor)
        return new

    def round_ballots(self, spec: RoundSpec) -> Ballots:
        """The round's ballots from the box, checked like a ballots file."""
        stored = self.box.ballots(spec.id)
        return Ballots.from_cells([list(b.cells) for b in stored], units=spec.candidates,
                                  rules=self.rules(spec), ids=[b.receipt for b in stored],
                                  marked_invalid=[b.invalid_reason for b in stored],
                                  source=f"ballot box: {spec.id}")

    def view(self, round_id: str, *, with_result: bool | None = None) -> RoundView:
        """A round for display; the result only once revealed (or when asked explicitly)."""
        spec = self.box.spec(round_id)
        state = self.box.state(round_id)
        turnout = self.box.turnout(round_id)
        show = state == "revealed" if with_result is None else with_result
        ballots = self.round_ballots(spec) if show else None
        result = None
        if ballots is not None and ballots.n_ballots:
            from thidua_rank.methods import rank

            method = spec.method or ("borda" if spec.kind == "ranked" else "approval")
            result = rank(ballots, method=method)
        return RoundView(spec=spec, state=state, rules=self.rules(spec), voted=turnout.voted,
                         paper=turnout.paper, issued=turnout.issued, result=result,
                         ballots=ballots)

    # -- the whole outcome --------------------------------------------------------------------
    def meeting_with_box(self) -> Meeting:
        """The meeting with every revealed round's ballots taken from the box, live run-offs
        added as rounds, and the chair's decisions added to the tie-break record."""
        cfg = self.meeting.config
        ballots = {k: v for k, v in self.meeting.ballots.items()}
        rounds = list(cfg.rounds)
        known = {r.id for r in rounds}
        for spec, state in self.box.rounds():
            if spec.id not in known and spec.revote_of is not None:
                # a re-vote: the configured round's rules, method and threshold, its own seats
                rounds.append(dataclasses.replace(
                    cfg.round(spec.revote_of), id=spec.id, title=spec.title,
                    title_en=spec.title_en, rules=spec.ballot_rules, ballots=None,
                    candidates=spec.candidates, issued=spec.issued, seats=spec.seats or 1))
            elif spec.id not in known:
                rounds.append(spec.to_config())
            if state == "revealed":
                ballots[spec.id] = self.round_ballots(spec)
            else:
                ballots.pop(spec.id, None)
        decisions = tuple(ChairDecision(units=tuple(d["units"]), order=tuple(d["order"]),
                                        note=d.get("note", "")) for d in self.box.decisions())
        chain = list(cfg.tie_break.chain)
        extra = [r for r, present in (("runoff", any(r.decides == "runoff" for r in rounds)),
                                      ("chair", bool(decisions))) if present and r not in chain]
        if extra:
            stop = next((i for i, r in enumerate(chain) if r in ("lot", "joint")), len(chain))
            chain[stop:stop] = extra
        tie_break = dataclasses.replace(cfg.tie_break, chain=tuple(chain),
                                        decisions=cfg.tie_break.decisions + decisions)
        config = dataclasses.replace(cfg, rounds=tuple(rounds), tie_break=tie_break)
        return dataclasses.replace(self.meeting, config=config, ballots=ballots)

    def unrevealed_rounds(self) -> list[RoundSpec]:
        """Rounds of ``meeting.toml`` not yet revealed (the outcome waits for them; it does
        not wait for run-offs and re-votes made live)."""
        return [s for s, st in self.box.rounds() if st != "revealed" and s.decides != "runoff"
                and s.revote_of is None]

    def pending_revotes(self) -> list[RoundSpec]:
        """Re-votes ("Bầu lại") created but not yet revealed (acceptance waits for them)."""
        return [s for s, st in self.box.rounds() if st != "revealed" and s.revote_of]

    def missing_rounds(self) -> list[str]:
        """Titles of :meth:`unrevealed_rounds`."""
        return [s.title for s in self.unrevealed_rounds()]

    def outcome(self) -> MeetingOutcome | None:
        """The meeting's outcome once every configured round is revealed, else ``None``."""
        from thidua_rank.meeting.pipeline import run_meeting

        if self.missing_rounds():
            return None
        return run_meeting(self.meeting_with_box())

    def status(self) -> list[dict[str, Any]]:
        """Per round what the chair sees and ``thidua-rank status`` prints: state, issued,
        paper handed out, returned, valid and invalid (counted by the round's rules)."""
        rows = []
        for row in self.box.status():
            ballots = self.round_ballots(self.box.spec(row["id"]))
            rows.append({**row, "valid": ballots.n_ballots, "invalid": ballots.n_invalid})
        return rows

    def accept_blockers(self) -> list[tuple[str, str]]:
        """Why the result cannot be accepted yet (Vietnamese, English): a round still open or
        not revealed, or units tied at an award cut-off waiting for a run-off or a decision."""
        reasons = [(f"Vòng '{s.title}' đang mở.", f"Round '{s.title_en or s.title}' is open.")
                   for s in self.box.open_rounds()]
        missing = self.unrevealed_rounds()
        if missing:
            reasons.append((f"Chưa công bố: {', '.join(s.title for s in missing)}.",
                            f"Not revealed yet: "
                            f"{', '.join(s.title_en or s.title for s in missing)}."))
            return reasons
        revotes = self.pending_revotes()
        if revotes:
            reasons.append((f"Chưa công bố vòng bầu lại: {', '.join(s.title for s in revotes)}.",
                            f"Re-vote not revealed yet: "
                            f"{', '.join(s.title_en or s.title for s in revotes)}."))
        outcome = self.outcome()
        for award in outcome.awards if outcome else ():
            if award.pending:
                units = ", ".join(award.pending)
                reasons.append((f"Đồng hạng tại ngưỡng {award.tier.label} chưa được giải quyết: "
                                f"{units}.",
                                f"Tie at the {award.tier.label_en or award.tier.id} cut-off "
                                f"not settled: {units}."))
        return reasons

    def event_head(self, kind: str, round_id: str | None = None) -> str | None:
        """The short chain head at the last *kind* event (of *round_id*): what the projector
        shows after a close (``closed``) and at acceptance (``accepted``)."""
        from thidua_rank.live.records import short_head

        found = [e for e in self.box.events() if e["kind"] == kind
                 and (round_id is None or e["round"] == round_id)]
        return short_head(found[-1]["hash"]) if found else None

    def round_digests(self) -> dict[str, str]:
        """Each closed round's ballot digest in short form (for the minutes)."""
        from thidua_rank.live.records import short_head

        return {e["round"]: short_head(e["payload"]["digest"]) for e in self.box.events()
                if e["kind"] == "closed" and e["payload"].get("digest")}
