"""The meeting configuration: one frozen, typed object parsed from ``meeting.toml``.

This module only turns a TOML document (already parsed into a dict) into checked dataclasses;
:mod:`thidua_rank.io.folder` reads the files. Every threshold, quota and tie rule is configuration.
Unknown keys are errors (a typo must not silently change the rules).

>>> cfg = parse_config({
...     "meeting": {"id": "demo", "bloc": "Khối thi đua demo", "year_reviewed": 2024},
...     "tiers": [{"id": "bang-khen", "label": "Bằng khen của UBND tỉnh",
...                "quota": "50% remaining"}],
... })
>>> cfg.meeting.term_year, cfg.tiers[0].quota.base
(2025, 'remaining')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, get_args

from thidua_rank._typing import (
    BallotKind,
    Combine,
    CutoffTie,
    Rounding,
    ScoreRule,
    SelfVotePolicy,
    TieRule,
)
from thidua_rank.engine.ballots import BallotRules
from thidua_rank.engine.thresholds import Quota, Threshold, parse_fraction, parse_points
from thidua_rank.errors import ConfigError
from thidua_rank.text import nfc

__all__ = [
    "ChairDecision",
    "FileRefs",
    "MeetingConfig",
    "MeetingInfo",
    "RankingConfig",
    "RoundConfig",
    "ScoringConfig",
    "TieBreakConfig",
    "TierConfig",
    "parse_config",
]

RoundPurpose = Literal["ranking", "tier", "head", "deputies", "runoff"]
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class MeetingInfo:
    """The bloc and the meeting: who, when, where."""

    id: str
    bloc: str
    year_reviewed: int
    term_year: int
    province: str = ""
    meeting_date: dt.date | None = None
    venue: str = ""
    chair: str = ""
    secretary: str = ""
    outgoing_head: str | None = None
    outgoing_deputies: tuple[str, ...] = ()
    guests: tuple[str, ...] = ()
    counting_committee: tuple[str, ...] = ()
    """Members of the counting committee (Ban kiểm phiếu), head first, e.g. "Nguyễn Văn A –
    Sở Y tế (Trưởng ban)"."""
    quorum: Fraction = Fraction(2, 3)
    title: str = ""
    province_inferred: bool = False
    """True when the province was inferred (the report does not name it): documents then leave
    the place blank to fill by hand instead of printing it as fact."""
    head_title: str = "Trưởng khối"
    """What this bloc calls its head unit ("Trưởng khối" or "Khối trưởng", as its reports say)."""
    deputy_title: str = "Phó Trưởng khối"
    """What this bloc calls a deputy ("Phó Trưởng khối" or "Khối phó")."""
    co_chairs: tuple[str, ...] = ()
    """Co-chairs of the meeting besides the chair (Đồng chủ trì), as the report names them."""


@dataclass(frozen=True)
class FileRefs:
    """Data files of the meeting folder, relative to ``meeting.toml``."""

    members: str = "members.csv"
    criteria: str | None = "criteria.csv"
    scores: str | None = "scores.csv"


@dataclass(frozen=True)
class ScoringConfig:
    """How criteria scores are combined into a total."""

    rule: ScoreRule = "verified_over_self"
    trim: int = 1
    bonus_cap: Fraction | None = None
    scale: Fraction | None = None
    decimals: int = 3


@dataclass(frozen=True)
class RankingConfig:
    """How the score and the peer vote make the meeting's ranking."""

    combine: Combine = "score"
    vote_round: str | None = None
    method: str = "borda"
    weight: Fraction = Fraction(1, 2)
    gate_min_score: Fraction | None = None


@dataclass(frozen=True)
class TierConfig:
    """One award tier (highest first in the list)."""

    id: str
    label: str
    label_en: str = ""
    wording: str = ""
    quota: Quota | None = None
    min_score: Fraction | None = None
    criteria_floors: bool = False
    must_be_top: bool = False
    approval_round: str | None = None
    threshold: Threshold | None = None
    cutoff_tie: CutoffTie = "include"


@dataclass(frozen=True)
class RoundConfig:
    """One ballot round and what it decides."""

    id: str
    decides: RoundPurpose
    title: str
    rules: BallotRules
    method: str
    ballots: str | None = None
    tier: str | None = None
    seats: int = 1
    candidates: tuple[str, ...] | None = None
    issued: int | None = None
    threshold: Threshold | None = None
    title_en: str = ""


@dataclass(frozen=True)
class ChairDecision:
    """An order among tied units decided by the chair, recorded in the minutes."""

    units: tuple[str, ...]
    order: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class TieBreakConfig:
    """The ordered tie-break chain and where it applies."""

    chain: tuple[TieRule, ...] = ("score", "head_to_head", "joint")
    apply: Literal["cutoff", "all"] = "cutoff"
    seed: int | None = None
    decisions: tuple[ChairDecision, ...] = ()


@dataclass(frozen=True)
class MeetingConfig:
    """Everything ``meeting.toml`` says, checked."""

    meeting: MeetingInfo
    files: FileRefs = field(default_factory=FileRefs)
    scoring: ScoringConfig = field(default_factory=ScoringConfig)
    ranking: RankingConfig = field(default_factory=RankingConfig)
    tiers: tuple[TierConfig, ...] = ()
    rounds: tuple[RoundConfig, ...] = ()
    tie_break: TieBreakConfig = field(default_factory=TieBreakConfig)

    def round(self, round_id: str) -> RoundConfig:
        """The round with this id."""
        for r in self.rounds:
            if r.id == round_id:
                return r
        raise ConfigError(f"không có vòng bỏ phiếu '{round_id}'",
                          f"no round '{round_id}'; rounds are {[r.id for r in self.rounds]}",
                          value=round_id)

    def tier(self, tier_id: str) -> TierConfig:
        """The tier with this id."""
        for t in self.tiers:
            if t.id == tier_id:
                return t
        raise ConfigError(f"không có hình thức khen thưởng '{tier_id}'",
                          f"no tier '{tier_id}'; tiers are {[t.id for t in self.tiers]}",
                          value=tier_id)


# ---------------------------------------------------------------------- parsing helpers
class _Section:
    """Reads one TOML table, remembering which keys were used; leftovers are errors."""

    def __init__(self, data: Any, where: str, file: str | None) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"[{where}] phải là một bảng", f"[{where}] must be a table",
                              file=file, value=data)
        self.data = dict(data)
        self.where = where
        self.file = file
        self.used: set[str] = set()

    def error(self, key: str, vi: str, en: str) -> ConfigError:
        return ConfigError(vi, en, file=self.file, column=f"{self.where}.{key}",
                           value=self.data.get(key))

    def get(self, key: str, default: Any = None, *, required: bool = False) -> Any:
        self.used.add(key)
        if key not in self.data:
            if required:
                raise ConfigError(f"thiếu khóa '{key}' trong [{self.where}]",
                                  f"missing key '{key}' in [{self.where}]", file=self.file)
            return default
        return self.data[key]

    def text(self, key: str, default: str = "", *, required: bool = False) -> str:
        value = self.get(key, default, required=required)
        if not isinstance(value, str):
            raise self.error(key, "phải là chuỗi ký tự", "must be a string")
        return nfc(value)

    def integer(self, key: str, default: int | None = None, *, required: bool = False,
                minimum: int | None = None) -> int | None:
        value = self.get(key, default, required=required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            raise self.error(key, "phải là số nguyên", "must be a whole number")
        if minimum is not None and value < minimum:
            raise self.error(key, f"phải ≥ {minimum}", f"must be at least {minimum}")
        return value

    def boolean(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.error(key, "phải là true hoặc false", "must be true or false")
        return value

    def choice(self, key: str, options: Any, default: str) -> Any:
        allowed = get_args(options) or options
        value = self.get(key, default)
        if value not in allowed:
            raise self.error(key, f"phải là một trong {list(allowed)}",
                             f"must be one of {list(allowed)}")
        return value

    def points(self, key: str) -> Fraction | None:
        value = self.get(key)
        if value is None:
            return None
        try:
            return parse_points(value)
        except ConfigError:
            raise
        except ValueError:
            raise self.error(key, "phải là một số điểm", "must be a number of points") from None

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "phải là danh sách chuỗi", "must be a list of strings")
        return tuple(nfc(v) for v in value)

    def ident(self, key: str) -> str:
        value = self.text(key, required=True)
        if not _ID.match(value):
            raise self.error(key, "mã chỉ gồm chữ thường không dấu, số, '-' và '_'",
                             "ids use lower-case ASCII letters, digits, '-' and '_'")
        return value

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ConfigError(f"khóa không hợp lệ trong [{self.where}]: {unknown}",
                              f"unknown keys in [{self.where}]: {unknown}", file=self.file)


def _threshold(sec: _Section, key: str) -> Threshold | None:
    value = sec.get(key)
    if value is None:
        return None
    try:
        return Threshold.parse(value)
    except ConfigError as err:
        raise err.located(file=sec.file, column=f"{sec.where}.{key}") from None


def _date(sec: _Section, key: str) -> dt.date | None:
    value = sec.get(key)
    if value is None or isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
    raise sec.error(key, "ngày phải có dạng dd/mm/yyyy hoặc yyyy-mm-dd",
                    "a date must look like dd/mm/yyyy or yyyy-mm-dd")


def _parse_meeting(sec: _Section) -> MeetingInfo:
    year = sec.integer("year_reviewed", required=True, minimum=1945)
    assert year is not None
    term = sec.integer("term_year", year + 1)
    assert term is not None
    quorum_raw = sec.get("quorum", "2/3")
    try:
        quorum = parse_fraction(quorum_raw, what="quorum")
    except ConfigError as err:
        raise err.located(file=sec.file, column="meeting.quorum") from None
    info = MeetingInfo(
        id=sec.ident("id"), bloc=sec.text("bloc", required=True), year_reviewed=year,
        term_year=term, province=sec.text("province"), meeting_date=_date(sec, "meeting_date"),
        venue=sec.text("venue"), chair=sec.text("chair"), secretary=sec.text("secretary"),
        outgoing_head=sec.text("outgoing_head") or None,
        outgoing_deputies=sec.strings("outgoing_deputies"), guests=sec.strings("guests"),
        counting_committee=sec.strings("counting_committee"),
        quorum=quorum, title=sec.text("title"),
        province_inferred=sec.boolean("province_inferred", False),
        head_title=sec.text("head_title") or "Trưởng khối",
        deputy_title=sec.text("deputy_title") or "Phó Trưởng khối",
        co_chairs=sec.strings("co_chairs"))
    sec.finish()
    return info


def _parse_tier(sec: _Section) -> TierConfig:
    quota_raw = sec.get("quota")
    rounding: Rounding = sec.choice("rounding", Rounding, "floor")
    try:
        quota = None if quota_raw is None else Quota.parse(quota_raw, rounding=rounding)
    except ConfigError as err:
        raise err.located(file=sec.file, column=f"{sec.where}.quota") from None
    approval = sec.get("approval")
    approval_round = threshold = None
    if approval is not None:
        sub = _Section(approval, f"{sec.where}.approval", sec.file)
        approval_round = sub.text("round", required=True)
        share = sub.get("threshold", "0%")
        try:
            threshold = Threshold.parse(
                share, denominator=sub.choice("denominator", ("members", "present", "issued",
                                                              "valid"), "members"),
                comparison=sub.choice("comparison", (">=", ">"), ">="))
        except ConfigError as err:
            raise err.located(file=sec.file, column=f"{sec.where}.approval.threshold") from None
        sub.finish()
    tier = TierConfig(
        id=sec.ident("id"), label=sec.text("label", required=True), label_en=sec.text("label_en"),
        wording=sec.text("wording"), quota=quota, min_score=sec.points("min_score"),
        criteria_floors=sec.boolean("criteria_floors", False),
        must_be_top=sec.boolean("must_be_top", False), approval_round=approval_round,
        threshold=threshold, cutoff_tie=sec.choice("cutoff_tie", CutoffTie, "include"))
    sec.finish()
    return tier


_DEFAULT_METHOD = {"ranking": "borda", "head": "instant_runoff", "runoff": "borda"}
"""Default method of a ranked round by purpose; approval and choose rounds count approvals."""


def _parse_round(sec: _Section) -> RoundConfig:
    decides = sec.choice("decides", RoundPurpose, "ranking")
    kind: BallotKind = sec.choice("kind", BallotKind,
                                  "ranked" if decides == "ranking" else "choose")
    seats = sec.integer("seats", 1, minimum=1)
    assert seats is not None
    max_choices = sec.integer("max_choices", seats if kind == "choose" else None, minimum=1)
    rules = BallotRules(
        kind=kind, max_choices=max_choices,
        min_choices=sec.integer("min_choices", 1, minimum=0) or 0,
        allow_ties=sec.boolean("allow_ties", True),
        allow_truncation=sec.boolean("allow_truncation", True),
        allow_blank=sec.boolean("allow_blank", False),
        self_vote=sec.choice("self_vote", SelfVotePolicy, "allow"))
    candidates = sec.get("candidates")
    rnd = RoundConfig(
        id=sec.ident("id"), decides=decides, title=sec.text("title", required=True),
        title_en=sec.text("title_en"), rules=rules,
        method=sec.text("method", _DEFAULT_METHOD.get(decides, "borda") if kind == "ranked"
                        else "approval"), ballots=sec.text("ballots") or None,
        tier=sec.text("tier") or None, seats=seats,
        candidates=None if candidates is None else sec.strings("candidates"),
        issued=sec.integer("issued", None, minimum=0), threshold=_threshold(sec, "threshold"))
    if decides == "tier" and rnd.tier is None:
        raise sec.error("tier", "vòng bỏ phiếu cho hình thức khen thưởng cần khóa 'tier'",
                        "a round that decides a tier needs 'tier'")
    sec.finish()
    return rnd


def parse_config(data: Mapping[str, Any], *, file: str | None = None) -> MeetingConfig:
    """Check a parsed ``meeting.toml`` and build the :class:`MeetingConfig`.

    Raises
    ------
    ConfigError
        Naming the file, the key (as ``section.key``) and the bad value.
    """
    top = _Section(data, "meeting.toml", file)
    meeting = _parse_meeting(_Section(top.get("meeting", required=True), "meeting", file))

    files_sec = _Section(top.get("files", {}), "files", file)
    files = FileRefs(members=files_sec.text("members", "members.csv"),
                     criteria=files_sec.get("criteria", "criteria.csv") or None,
                     scores=files_sec.get("scores", "scores.csv") or None)
    files_sec.finish()

    sc = _Section(top.get("scoring", {}), "scoring", file)
    scoring = ScoringConfig(rule=sc.choice("rule", ScoreRule, "verified_over_self"),
                            trim=sc.integer("trim", 1, minimum=0) or 0,
                            bonus_cap=sc.points("bonus_cap"), scale=sc.points("scale"),
                            decimals=sc.integer("decimals", 3, minimum=0) or 0)
    sc.finish()

    rk = _Section(top.get("ranking", {}), "ranking", file)
    weight_raw = rk.get("weight", "1/2")
    ranking = RankingConfig(
        combine=rk.choice("combine", Combine, "score"), vote_round=rk.text("vote_round") or None,
        method=rk.text("method", "borda"),
        weight=parse_fraction(weight_raw, what="ranking.weight"),
        gate_min_score=rk.points("gate_min_score"))
    rk.finish()

    tiers = tuple(_parse_tier(_Section(t, f"tiers[{i}]", file))
                  for i, t in enumerate(top.get("tiers", [])))
    rounds = tuple(_parse_round(_Section(r, f"rounds[{i}]", file))
                   for i, r in enumerate(top.get("rounds", [])))

    tb = _Section(top.get("tie_break", {}), "tie_break", file)
    chain = tb.strings("chain") or ("score", "head_to_head", "joint")
    for step in chain:
        if step not in get_args(TieRule):
            raise ConfigError(f"bước phá hòa không hợp lệ '{step}'",
                              f"unknown tie-break step '{step}'; "
                              f"expected {list(get_args(TieRule))}",
                              file=file, column="tie_break.chain", value=step)
    decisions = []
    for i, d in enumerate(tb.get("decisions", [])):
        ds = _Section(d, f"tie_break.decisions[{i}]", file)
        decisions.append(ChairDecision(units=ds.strings("units"), order=ds.strings("order"),
                                       note=ds.text("note")))
        ds.finish()
    tie_break = TieBreakConfig(chain=chain,  # type: ignore[arg-type]
                               apply=tb.choice("apply", ("cutoff", "all"), "cutoff"),
                               seed=tb.integer("seed", None), decisions=tuple(decisions))
    tb.finish()
    top.finish()

    cfg = MeetingConfig(meeting=meeting, files=files, scoring=scoring, ranking=ranking,
                        tiers=tiers, rounds=rounds, tie_break=tie_break)
    _cross_check(cfg, file)
    return cfg


def _cross_check(cfg: MeetingConfig, file: str | None) -> None:
    """References between sections must resolve; ids must be unique."""
    for kind, ids in (("rounds", [r.id for r in cfg.rounds]), ("tiers", [t.id for t in cfg.tiers])):
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ConfigError(f"mã trùng trong [[{kind}]]", f"duplicate ids in [[{kind}]]",
                              file=file, value=sorted(dup))
    round_ids = {r.id for r in cfg.rounds}
    tier_ids = {t.id for t in cfg.tiers}
    if cfg.ranking.combine != "score":
        if cfg.ranking.vote_round is None:
            raise ConfigError("cần 'ranking.vote_round' khi xếp hạng có dùng phiếu bầu",
                              "'ranking.vote_round' is required unless combine = 'score'",
                              file=file, column="ranking.vote_round")
        if cfg.ranking.vote_round not in round_ids:
            raise ConfigError("'ranking.vote_round' không khớp vòng nào",
                              "'ranking.vote_round' names no round", file=file,
                              column="ranking.vote_round", value=cfg.ranking.vote_round)
    for t in cfg.tiers:
        if t.approval_round is not None and t.approval_round not in round_ids:
            raise ConfigError("'approval.round' không khớp vòng nào",
                              "'approval.round' names no round", file=file,
                              column=f"tiers.{t.id}.approval.round", value=t.approval_round)
    for r in cfg.rounds:
        if r.tier is not None and r.tier not in tier_ids:
            raise ConfigError("'tier' không khớp hình thức khen thưởng nào",
                              "'tier' names no tier", file=file, column=f"rounds.{r.id}.tier",
                              value=r.tier)
    if cfg.scoring.bonus_cap is not None and cfg.scoring.bonus_cap < 0:
        raise ConfigError("'bonus_cap' không được âm", "'bonus_cap' must not be negative",
                          file=file, column="scoring.bonus_cap")
