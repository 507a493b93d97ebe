"""The ballot box of a live meeting: one SQLite file, shared by every page and the command line.

Every Voilà page runs in its own kernel, so nothing is shared through module globals: rounds,
voting codes, ballots and events live in one SQLite database (WAL, ``synchronous=FULL``), and a
ballot is acknowledged to the voter only after its transaction has committed, so it survives a
crash or a kill of the server.

Who may do what
    Every state-changing method takes the :class:`Actor` that is acting and checks its role
    inside the transaction: the chair (open, close, reveal, project, run-offs, decisions,
    accept) and the clerk (paper ballots) unlock with their PIN (:meth:`BallotBox.unlock`,
    throttled: after 5 wrong PINs further attempts wait 60 s, doubling each time, across pages
    and restarts); the operator (the laptop's terminal: codes, PINs, the meeting's rounds) is
    :meth:`BallotBox.operator`. A delegate acts with a one-time voting code. A page that shows
    a button too early still cannot act: the ballot box refuses.
Accounting
    Per round each unit present has one vote, on its phone or on paper: handing a unit a paper
    ballot spends its code for the round. Returned (phone + paper, valid or invalid) never
    exceeds issued, and paper ballots entered never exceed paper ballots handed out; both are
    checked in the transaction that adds a ballot.
Secrecy
    Codes are stored as salted hashes; the ballot row holds no code, unit or time. While a round
    is open, SQLite's storage order still follows insertion order; at close the round's ballots
    and code uses are rewritten in random order, the file is vacuumed with ``secure_delete`` on
    and the write-ahead log truncated, so nothing on disk links a ballot to a unit. The file is
    created with mode 0600.
Integrity
    Each ballot's receipt is a hash of its round, id and content. Everything that decides a
    result (round specs, state changes with the turnout, paper hand-outs and corrections, every
    closed round's ballot digest, run-offs, the chair's decisions, acceptance) is an event in a
    hash chain; :meth:`BallotBox.verify` replays it against the tables, and
    ``verify --head`` checks it against a chain head printed outside the file.

>>> import tempfile, pathlib
>>> box = BallotBox(pathlib.Path(tempfile.mkdtemp()) / "box.sqlite")
>>> op = box.operator()
>>> codes = box.issue_codes(["Sở Y tế", "Sở Tư pháp"], actor=op)
>>> box.add_round(RoundSpec("xep-hang", "Xếp hạng", "ranking", "ranked",
...                         ("Sở Y tế", "Sở Tư pháp")), actor=op)
>>> box.set_pin("chair", "2468", actor=op)
>>> chair = box.unlock("chair", "2468")
>>> box.set_state("xep-hang", "open", actor=chair)
>>> receipt = box.cast("xep-hang", codes["Sở Y tế"], [2, 1])
>>> box.turnout("xep-hang")
Turnout(voted=1, issued=2, paper=0, paper_out=0)
>>> try:
...     box.cast("xep-hang", codes["Sở Y tế"], [1, 2])
... except BallotBoxError as refused:
...     print(refused.en)
This code has already voted in this round.
>>> box.verify().ok
True
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from thidua_rank.engine.ballots import BallotRules, Ballots
from thidua_rank.errors import ThiduaRankError
from thidua_rank.live.integrity import AFTER_ACCEPTANCE, VerifyReport, verify
from thidua_rank.live.records import (
    append_event,
    ballot_hash,
    digest,
    round_digest,
    short_head,
)
from thidua_rank.meeting.config import RoundConfig
from thidua_rank.text import nfc

__all__ = ["Actor", "BallotBox", "BallotBoxError", "PaperEntry", "RoundSpec", "StoredBallot",
           "Turnout", "VerifyReport", "box_path", "check_ballot", "normalise_code",
           "quorum_count", "short_head"]

RoundState = Literal["draft", "open", "closed", "revealed"]
Role = Literal["operator", "chair", "clerk"]
STATES: tuple[RoundState, ...] = ("draft", "open", "closed", "revealed")
_NEXT_STATE = {"draft": "open", "open": "closed", "closed": "revealed"}
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
SCHEMA_VERSION = "2"
PIN_ROLES: tuple[Role, ...] = ("chair", "clerk")
PIN_FAILURES_ALLOWED = 5
PIN_LOCK_SECONDS = 60
_PIN_ITERATIONS = 100_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rounds (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, state TEXT NOT NULL,
    spec TEXT NOT NULL, reveal_step INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS codes (hash TEXT PRIMARY KEY, unit TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS code_uses (
    hash TEXT NOT NULL, round TEXT NOT NULL, how TEXT NOT NULL,
    PRIMARY KEY (hash, round)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ballots (
    id TEXT PRIMARY KEY, round TEXT NOT NULL, source TEXT NOT NULL, cells TEXT NOT NULL,
    invalid_reason TEXT, receipt TEXT NOT NULL UNIQUE, sheet TEXT, clerk TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS paper_entries (
    round TEXT NOT NULL, sheet TEXT NOT NULL, clerk TEXT NOT NULL, cells TEXT NOT NULL,
    invalid_reason TEXT, PRIMARY KEY (round, sheet, clerk)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, round TEXT, kind TEXT NOT NULL, payload TEXT NOT NULL,
    at TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (token TEXT PRIMARY KEY, role TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pin_throttle (
    role TEXT PRIMARY KEY, failures INTEGER NOT NULL, lockouts INTEGER NOT NULL,
    locked_until REAL NOT NULL) WITHOUT ROWID;
"""


class BallotBoxError(ThiduaRankError):
    """An action the ballot box refuses (second vote, closed round, wrong code, wrong PIN,
    a role that may not act, a ballot beyond those issued)."""


def box_path(meeting_path: str | Path) -> Path:
    """Where the ballot box of a meeting folder (or workbook) lives: ``<folder>/.thidua/``.

    >>> box_path("sample_data/x").as_posix()
    'sample_data/x/.thidua/ballot-box.sqlite'
    """
    base = Path(meeting_path)
    if base.suffix.lower() == ".xlsx":
        return base.with_name(base.stem + ".thidua") / "ballot-box.sqlite"
    return base / ".thidua" / "ballot-box.sqlite"


def normalise_code(code: str) -> str:
    """Codes are typed by people: ignore case, spaces and dashes.

    >>> normalise_code(" abcd-efgh ")
    'ABCDEFGH'
    """
    return "".join(ch for ch in nfc(code).upper() if ch.isalnum())


def _refuse(vi: str, en: str) -> BallotBoxError:
    return BallotBoxError(vi, en)


def check_ballot(rules: BallotRules, candidates: Sequence[str], cells: Sequence[Any],
                 voter: str | None = None) -> tuple[str, str] | None:
    """Why a ballot would be invalid (Vietnamese, English), or ``None`` when it is valid.

    The pages use it to explain a problem before sending; the ballot box applies it again to
    every phone ballot, so a page that is scripted around its own checks is still refused.

    >>> rules = BallotRules(kind="choose", max_choices=1)
    >>> check_ballot(rules, ["A", "B"], [1, 1])
    ('phiếu chọn 2 đơn vị, quá số được chọn (1)', 'ballot marks 2 units, more than allowed (1)')
    >>> check_ballot(rules, ["A", "B"], [1, 0], voter="C") is None
    True
    """
    own = voter if voter and voter in candidates else None  # not a candidate: no self-vote
    checked = Ballots.from_cells([list(cells)], units=candidates, rules=rules,
                                 voters=[own] if own else None)
    if checked.invalid:
        return checked.invalid[0].reason_vi, checked.invalid[0].reason_en
    return None


@dataclass(frozen=True)
class RoundSpec:
    """A round as the ballot box knows it (from ``meeting.toml``, or a run-off made live).

    Parameters
    ----------
    id, title, decides
        Round id, title shown on screen, and what it decides (``ranking``, ``tier``, ``head``,
        ``deputies``, ``runoff``).
    kind
        Ballot kind: ``ranked``, ``approval`` or ``choose``.
    candidates
        Units on the ballot, in official order.
    max_choices
        For ``choose``: the most units a ballot may mark.
    issued
        Ballots issued (one per unit present unless configured).
    tier
        For a run-off: the award tier whose cut-off it settles.
    rules
        The validity rules the ballot box applies to phone ballots (default: the kind's
        defaults).
    seats, revote_of
        For a re-vote made live ("Bầu lại"): the seats it fills and the head or deputies
        round of ``meeting.toml`` whose unfilled seats it fills (``None`` otherwise).
    """

    id: str
    title: str
    decides: str
    kind: str
    candidates: tuple[str, ...]
    max_choices: int | None = None
    issued: int | None = None
    tier: str | None = None
    method: str | None = None
    title_en: str = ""
    rules: BallotRules | None = None
    seats: int | None = None
    revote_of: str | None = None

    @property
    def ballot_rules(self) -> BallotRules:
        """The rules phone ballots are checked against."""
        if self.rules is not None:
            return self.rules
        return BallotRules(kind=self.kind, max_choices=self.max_choices)  # type: ignore[arg-type]

    @classmethod
    def from_config(cls, rnd: RoundConfig, candidates: Sequence[str], issued: int) -> RoundSpec:
        """The spec of a configured round (candidates resolved to full names, in official
        order, and the ballots issued)."""
        return cls(id=rnd.id, title=rnd.title, title_en=rnd.title_en, decides=rnd.decides,
                   kind=rnd.rules.kind, candidates=tuple(candidates),
                   max_choices=rnd.rules.max_choices, issued=issued, tier=rnd.tier,
                   method=rnd.method, rules=rnd.rules)

    def to_config(self) -> RoundConfig:
        """The round as the meeting's configuration knows it (for a live run-off)."""
        decides: Any = self.decides
        return RoundConfig(id=self.id, decides=decides, title=self.title, title_en=self.title_en,
                           rules=self.ballot_rules, method=self.method or "borda", tier=self.tier,
                           candidates=self.candidates, issued=self.issued,
                           seats=self.seats or 1)

    def to_json(self) -> str:
        """Stable JSON for storage (and for the hash chain); the re-vote fields only when set,
        so that the specs stored before they existed still compare equal."""
        data = asdict(self)
        for key in ("seats", "revote_of"):
            if data[key] is None:
                del data[key]
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RoundSpec:
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        data["candidates"] = tuple(data["candidates"])
        if data.get("rules") is not None:
            data["rules"] = BallotRules(**data["rules"])
        return cls(**data)


@dataclass(frozen=True)
class Actor:
    """Who is acting: a role the ballot box recognises by a token it issued.

    Pages keep their actor in the kernel's memory, never in a widget, so no browser message can
    carry or forge it.
    """

    role: Role
    token: str = field(repr=False)


@dataclass(frozen=True)
class Turnout:
    """Ballots of a round: cast by phone, entered from paper, paper handed out, and issued."""

    voted: int
    issued: int
    paper: int = 0
    paper_out: int = 0

    @property
    def returned(self) -> int:
        """All ballots in the box (phone and paper, valid or not)."""
        return self.voted + self.paper

    @property
    def paper_pending(self) -> int:
        """Paper ballots handed out and not yet entered."""
        return max(self.paper_out - self.paper, 0)


@dataclass(frozen=True)
class StoredBallot:
    """One anonymous ballot: its cells in the round's candidate order."""

    id: str
    round: str
    source: str
    cells: tuple[Any, ...]
    invalid_reason: str | None
    receipt: str
    sheet: str | None = None
    clerk: str | None = None


@dataclass(frozen=True)
class PaperEntry:
    """Result of a clerk's entry of one paper ballot (double entry aware)."""

    sheet: str
    status: Literal["counted", "waiting", "mismatch"]
    receipt: str | None = None
    other: tuple[Any, ...] | None = None
    cells: tuple[Any, ...] = ()
    invalid_reason: str | None = None


class BallotBox:
    """The meeting's ballot box (thread-safe; one connection per thread).

    Parameters
    ----------
    path
        The SQLite file; created (mode 0600, in a 0700 folder) when missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        self._local = threading.local()
        self._db.executescript(_SCHEMA)
        with self._tx() as db:
            version = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if version is None and db.execute("SELECT 1 FROM meta LIMIT 1").fetchone():
                raise _refuse("Hòm phiếu được tạo bởi phiên bản cũ; hãy chuyển tệp sang chỗ "
                              "khác để tạo hòm mới.",
                              "This ballot box was made by an older version; move the file "
                              "away to start a new one.")
            if version is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                db.execute("INSERT INTO meta VALUES ('salt', ?)", (secrets.token_hex(16),))
                self._event(db, None, "box-created", {"schema": SCHEMA_VERSION})

    # -- connection -------------------------------------------------------------------------
    @property
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None,
                                 check_same_thread=True)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=30000")
            db.execute("PRAGMA secure_delete=ON")  # deleted content is overwritten with zeros
            self._local.db = db
        return db

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken immediately so concurrent writers queue up."""
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def close(self) -> None:
        """Close this thread's connection."""
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    def data_version(self) -> int:
        """Changes when another connection commits: a cheap poll for live pages."""
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    @property
    def salt(self) -> str:
        return str(self._db.execute("SELECT value FROM meta WHERE key='salt'").fetchone()[0])

    def meta(self, key: str) -> str | None:
        """A stored setting (``None`` when unset)."""
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, db: sqlite3.Connection, key: str, value: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _event(self, db: sqlite3.Connection, round_id: str | None, kind: str,
               payload: Mapping[str, Any]) -> str:
        """Append an event, unless the chair has accepted the result: from then on the record
        is sealed and only PIN events may follow (every state change, round, ballot, paper
        sheet, decision or second acceptance is refused here, in the transaction)."""
        if kind not in AFTER_ACCEPTANCE and db.execute(
                "SELECT 1 FROM events WHERE kind='accepted' LIMIT 1").fetchone():
            raise _refuse("Chủ tọa đã chấp nhận kết quả; hòm phiếu đã niêm phong, không thể "
                          "thay đổi gì thêm.",
                          "The chair has accepted the result; the ballot box is sealed and "
                          "nothing more can change.")
        return append_event(db, round_id, kind, payload)

    # -- who acts -----------------------------------------------------------------------------
    def _new_session(self, db: sqlite3.Connection, role: Role) -> Actor:
        token = secrets.token_hex(24)
        db.execute("INSERT INTO sessions VALUES (?, ?)", (digest("session", token), role))
        return Actor(role, token)

    def operator(self) -> Actor:
        """The laptop's terminal (``thidua-rank serve``, ``codes``, ``pin``): sets PINs, issues
        codes and registers the meeting's rounds. Pages never use it."""
        with self._tx() as db:
            return self._new_session(db, "operator")

    def _require(self, db: sqlite3.Connection, actor: Actor | None, *roles: Role) -> Role:
        """The actor's role, checked against the sessions this box issued."""
        row = None
        if isinstance(actor, Actor):
            row = db.execute("SELECT role FROM sessions WHERE token=?",
                             (digest("session", actor.token),)).fetchone()
        if row is None or row[0] not in roles:
            names = {"operator": "máy chủ / operator", "chair": "Chủ tọa / chair",
                     "clerk": "Thư ký / clerk"}
            allowed = ", ".join(names[r] for r in roles)
            raise _refuse(f"Không có quyền thực hiện việc này (cần: {allowed}). Nếu máy chủ "
                          f"vừa khởi động lại hoặc mã PIN vừa đổi, hãy tải lại trang và nhập "
                          f"mã PIN.",
                          f"Not allowed: this action needs the {allowed} role. If the server "
                          f"restarted or the PIN changed, reload the page and enter the PIN.")
        return row[0]  # type: ignore[no-any-return]

    def forget_sessions(self, *, actor: Actor) -> None:
        """Log every page out (``serve`` does this at start: pages unlock again)."""
        with self._tx() as db:
            self._require(db, actor, "operator")
            db.execute("DELETE FROM sessions WHERE role <> 'operator' OR token <> ?",
                       (digest("session", actor.token),))

    # -- PINs ---------------------------------------------------------------------------------
    @staticmethod
    def _pin_hash(salt: str, pin: str) -> str:
        return hashlib.pbkdf2_hmac("sha256", pin.strip().encode(), bytes.fromhex(salt),
                                   _PIN_ITERATIONS).hex()

    def set_pin(self, role: Role, pin: str, *, actor: Actor) -> None:
        """Set the PIN of the chair's or the clerk's page (stored as a salted hash)."""
        if role not in PIN_ROLES:
            raise _refuse(f"Không có mã PIN cho vai trò '{role}'.", f"No PIN for role '{role}'.")
        if len(pin.strip()) < 4:
            raise _refuse("Mã PIN cần ít nhất 4 ký tự.", "The PIN needs at least 4 characters.")
        salt = secrets.token_hex(16)
        with self._tx() as db:
            self._require(db, actor, "operator")
            self._set_meta(db, f"pin:{role}", f"{salt}:{self._pin_hash(salt, pin)}")
            db.execute("DELETE FROM pin_throttle WHERE role=?", (role,))
            db.execute("DELETE FROM sessions WHERE role=?", (role,))
            self._event(db, None, "pin-set", {"role": role})

    def has_pin(self, role: Role) -> bool:
        """Whether a PIN is set for *role*."""
        return self.meta(f"pin:{role}") is not None

    def pin_lock(self, role: Role) -> float:
        """Seconds until *role* may try a PIN again (0 when it may now)."""
        row = self._db.execute("SELECT locked_until FROM pin_throttle WHERE role=?",
                               (role,)).fetchone()
        return max(0.0, float(row[0]) - time.time()) if row else 0.0

    def unlock(self, role: Role, pin: str) -> Actor:
        """Check *pin* for *role*; the :class:`Actor` that may act as that role.

        Wrong PINs are counted per role in the ballot box (so across pages and restarts):
        after :data:`PIN_FAILURES_ALLOWED` failures, attempts are refused for
        :data:`PIN_LOCK_SECONDS` seconds, doubling with each further lock-out. Every failure
        is an event in the log.
        """
        if role not in PIN_ROLES:
            raise _refuse(f"Không có mã PIN cho vai trò '{role}'.", f"No PIN for role '{role}'.")
        failure: BallotBoxError | None = None
        with self._tx() as db:
            now = time.time()
            row = db.execute("SELECT failures, lockouts, locked_until FROM pin_throttle "
                             "WHERE role=?", (role,)).fetchone()
            failures, lockouts, locked_until = row if row else (0, 0, 0.0)
            if locked_until > now:
                wait = math.ceil(locked_until - now)
                raise _refuse(f"Nhập sai mã PIN quá nhiều lần; thử lại sau {wait} giây.",
                              f"Too many wrong PINs; try again in {wait} s.")
            stored = db.execute("SELECT value FROM meta WHERE key=?",
                                (f"pin:{role}",)).fetchone()
            if stored is None:
                raise _refuse("Chưa đặt mã PIN (thidua-rank pin …).",
                              "No PIN is set (thidua-rank pin …).")
            salt, expected = str(stored[0]).split(":", 1)
            if secrets.compare_digest(expected, self._pin_hash(salt, pin)):
                db.execute("DELETE FROM pin_throttle WHERE role=?", (role,))
                return self._new_session(db, role)
            failures += 1
            payload: dict[str, Any] = {"role": role, "failures": failures}
            if failures >= PIN_FAILURES_ALLOWED:
                lockouts += 1
                wait = PIN_LOCK_SECONDS * 2 ** (lockouts - 1)
                locked_until, failures = now + wait, 0
                payload["locked_seconds"] = wait
                failure = _refuse(f"Mã PIN không đúng. Đã khóa {wait} giây.",
                                  f"Wrong PIN. Locked for {wait} s.")
            else:
                failure = _refuse("Mã PIN không đúng.", "Wrong PIN.")
            db.execute("INSERT OR REPLACE INTO pin_throttle VALUES (?, ?, ?, ?)",
                       (role, failures, lockouts, locked_until))
            self._event(db, None, "pin-failed", payload)
        raise failure

    def pin_failures(self) -> list[dict[str, Any]]:
        """Wrong-PIN events, oldest first (shown on the chair's page)."""
        return [e for e in self.events() if e["kind"] == "pin-failed"]

    # -- codes --------------------------------------------------------------------------------
    def _code_hash(self, code: str) -> str:
        return digest(self.salt, "code", normalise_code(code))

    def issue_codes(self, units: Sequence[str], *, actor: Actor,
                    replace: bool = False) -> dict[str, str]:
        """New one-time voting codes (8 characters from 31, about 40 bits, from ``secrets``),
        one per unit; only their hashes are stored.

        Refused once any code has been used (re-issuing would void cast ballots' accounting).
        With ``replace=False`` existing codes are kept and an error is raised if there are any.
        """
        with self._tx() as db:
            self._require(db, actor, "operator")
            if db.execute("SELECT 1 FROM code_uses LIMIT 1").fetchone():
                raise _refuse("Không thể phát lại mã khi đã có người bỏ phiếu.",
                              "Codes cannot be re-issued once voting has started.")
            if db.execute("SELECT 1 FROM codes LIMIT 1").fetchone():
                if not replace:
                    raise _refuse("Mã bỏ phiếu đã được phát; dùng --replace để phát lại.",
                                  "Voting codes were already issued; use --replace to re-issue.")
                db.execute("DELETE FROM codes")
            codes: dict[str, str] = {}
            for unit in units:
                raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
                code = f"{raw[:4]}-{raw[4:]}"
                codes[nfc(unit)] = code
                db.execute("INSERT INTO codes VALUES (?, ?)", (self._code_hash(code), nfc(unit)))
            self._event(db, None, "codes-issued", {"count": len(codes),
                                                   "units": sorted(codes)})
        return codes

    def code_unit(self, code: str) -> str:
        """The unit a code was issued to, or a clear refusal."""
        row = self._db.execute("SELECT unit FROM codes WHERE hash=?",
                               (self._code_hash(code),)).fetchone()
        if row is None:
            raise _refuse("Mã bỏ phiếu không đúng.", "Unknown voting code.")
        return str(row[0])

    def code_used(self, round_id: str, code: str) -> bool:
        """Whether *code* has voted (or received a paper ballot) in *round_id*."""
        return self._db.execute("SELECT 1 FROM code_uses WHERE hash=? AND round=?",
                                (self._code_hash(code), round_id)).fetchone() is not None

    def n_codes(self) -> int:
        """Number of codes issued."""
        return int(self._db.execute("SELECT count(*) FROM codes").fetchone()[0])

    def units_without_ballot(self, round_id: str) -> list[str]:
        """Units holding a code that have neither voted nor received a paper ballot in
        *round_id* (whom the clerk may still hand a paper ballot)."""
        rows = self._db.execute("SELECT unit FROM codes WHERE hash NOT IN (SELECT hash FROM "
                                "code_uses WHERE round=?) ORDER BY unit", (round_id,))
        return [str(r[0]) for r in rows]

    # -- rounds -------------------------------------------------------------------------------
    def add_round(self, spec: RoundSpec, *, actor: Actor) -> None:
        """Register a round (idempotent for an identical spec; a draft round's spec may be
        updated from ``meeting.toml``, which is an event). The operator registers the meeting's
        rounds; the chair may add run-offs and re-votes of a revealed head or deputies round
        (same office)."""
        with self._tx() as db:
            role = self._require(db, actor, "operator", "chair")
            if role == "chair" and spec.decides != "runoff":
                self._check_revote(db, spec)
            row = db.execute("SELECT spec, state FROM rounds WHERE id=?", (spec.id,)).fetchone()
            if row is not None:
                if row[0] == spec.to_json():
                    return
                if row[1] != "draft" or RoundSpec.from_json(row[0]).decides == "runoff":
                    raise _refuse(f"Vòng '{spec.id}' đã bắt đầu; không thể đổi danh sách hay "
                                  f"luật của vòng.",
                                  f"Round '{spec.id}' has started; its spec cannot change.")
                db.execute("UPDATE rounds SET spec=? WHERE id=?", (spec.to_json(), spec.id))
                self._event(db, spec.id, "round-updated", {"spec": spec.to_json()})
                return
            pos = db.execute("SELECT coalesce(max(position), 0) + 1 FROM rounds").fetchone()[0]
            db.execute("INSERT INTO rounds (id, position, state, spec) VALUES (?, ?, 'draft', ?)",
                       (spec.id, pos, spec.to_json()))
            self._event(db, spec.id, "round-added", {"spec": spec.to_json(), "position": pos})

    @staticmethod
    def _check_revote(db: sqlite3.Connection, spec: RoundSpec) -> None:
        """A round the chair adds that is not a run-off must be a re-vote ("Bầu lại") of a
        revealed round of the same office, for at least one seat."""
        row = None
        if spec.revote_of is not None and spec.decides in ("head", "deputies"):
            row = db.execute("SELECT spec, state FROM rounds WHERE id=?",
                             (spec.revote_of,)).fetchone()
        if row is None or RoundSpec.from_json(row[0]).decides != spec.decides \
                or row[1] != "revealed" or not spec.seats or spec.seats < 1:
            raise _refuse("Chủ tọa chỉ có thể thêm vòng bỏ phiếu lại hoặc bầu lại các chỗ "
                          "chưa bầu được của một vòng bầu đã công bố.",
                          "The chair can only add run-off rounds, or a re-vote for the unfilled "
                          "seats of a revealed election round.")

    def rounds(self) -> list[tuple[RoundSpec, RoundState]]:
        """All rounds in order, with their state."""
        rows = self._db.execute("SELECT spec, state FROM rounds ORDER BY position").fetchall()
        return [(RoundSpec.from_json(s), st) for s, st in rows]

    def spec(self, round_id: str) -> RoundSpec:
        """The spec of one round."""
        row = self._db.execute("SELECT spec FROM rounds WHERE id=?", (round_id,)).fetchone()
        if row is None:
            raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
        return RoundSpec.from_json(row[0])

    def state(self, round_id: str) -> RoundState:
        """The state of one round."""
        row = self._db.execute("SELECT state FROM rounds WHERE id=?", (round_id,)).fetchone()
        if row is None:
            raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
        return row[0]  # type: ignore[no-any-return]

    def open_rounds(self) -> list[RoundSpec]:
        """Rounds currently open for voting."""
        return [s for s, st in self.rounds() if st == "open"]

    def set_quorum(self, needed: int, members: int, *, actor: Actor) -> None:
        """The fewest ballots a round should have (``meeting.quorum`` of the members): closing
        a round with fewer needs the chair's confirmation."""
        with self._tx() as db:
            self._require(db, actor, "operator")
            if self.meta("quorum") != f"{needed}/{members}":
                self._set_meta(db, "quorum", f"{needed}/{members}")
                self._event(db, None, "quorum", {"needed": needed, "members": members})

    def quorum(self) -> int:
        """Ballots a round needs to close without confirmation (0 when not set)."""
        value = self.meta("quorum")
        return int(value.split("/")[0]) if value else 0

    def close_warnings(self, round_id: str) -> list[tuple[str, str]]:
        """What the chair must confirm before closing *round_id* (empty when nothing)."""
        turnout = self.turnout(round_id)
        out = []
        if turnout.returned < self.quorum():
            out.append((f"Mới có {turnout.returned}/{turnout.issued} phiếu, dưới mức tối thiểu "
                        f"{self.quorum()} phiếu.",
                        f"Only {turnout.returned}/{turnout.issued} ballots, below the "
                        f"minimum of {self.quorum()}."))
        if turnout.paper_pending:
            out.append((f"Còn {turnout.paper_pending} phiếu giấy đã phát chưa được nhập.",
                        f"{turnout.paper_pending} paper ballots handed out are not entered "
                        f"yet."))
        return out

    def set_state(self, round_id: str, state: RoundState, *, actor: Actor,
                  confirm: bool = False) -> None:
        """Move a round forward: draft → open → closed → revealed (never backwards).

        Closing a round below the quorum, or with paper ballots handed out but not entered,
        needs ``confirm=True``; the confirmation is recorded in the event. At close the round's
        ballots are rewritten in random order and the file is vacuumed (see the module notes).
        """
        with self._tx() as db:
            self._require(db, actor, "chair")
            row = db.execute("SELECT state FROM rounds WHERE id=?", (round_id,)).fetchone()
            if row is None:
                raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
            if _NEXT_STATE.get(row[0]) != state:
                raise _refuse(f"Vòng '{round_id}' đang ở trạng thái '{row[0]}', không thể "
                              f"chuyển sang '{state}'.",
                              f"Round '{round_id}' is '{row[0]}'; it cannot become '{state}'.")
            payload: dict[str, Any] = {"state": state}
            if state == "closed":
                waiting = db.execute("SELECT count(DISTINCT sheet) FROM paper_entries "
                                     "WHERE round=?", (round_id,)).fetchone()[0]
                if waiting:
                    raise _refuse(f"Còn {waiting} phiếu giấy nhập hai lần chưa khớp.",
                                  f"{waiting} double-entered paper ballots do not match yet.")
                warnings = self.close_warnings(round_id)
                if warnings and not confirm:
                    raise _refuse("Cần xác nhận: " + " ".join(vi for vi, _ in warnings),
                                  "Confirmation needed: " + " ".join(en for _, en in warnings))
                turnout = self._turnout(db, round_id)
                payload.update(round_digest(db, round_id))
                payload.update({"issued": turnout.issued, "voted": turnout.voted,
                                "paper": turnout.paper, "paper_out": turnout.paper_out,
                                "confirmed": [en for _, en in warnings]})
                self._shuffle_round(db, round_id)
            db.execute("UPDATE rounds SET state=? WHERE id=?", (state, round_id))
            self._event(db, round_id, state, payload)
        if state == "closed":
            self._scrub()

    def _shuffle_round(self, db: sqlite3.Connection, round_id: str) -> None:
        """Rewrite the round's ballots and code uses in random order, with fresh ids."""
        rng = secrets.SystemRandom()
        rows = db.execute("SELECT * FROM ballots WHERE round=?", (round_id,)).fetchall()
        uses = db.execute("SELECT * FROM code_uses WHERE round=?", (round_id,)).fetchall()
        db.execute("DELETE FROM ballots WHERE round=?", (round_id,))
        db.execute("DELETE FROM code_uses WHERE round=?", (round_id,))
        rng.shuffle(rows)
        rng.shuffle(uses)
        db.executemany("INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO code_uses VALUES (?, ?, ?)", uses)

    def _scrub(self) -> None:
        """Rebuild the file in fresh pages and empty the write-ahead log."""
        db = self._db
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def reveal_step(self, round_id: str) -> int:
        """How many places of a revealed round the projector shows (counted from the last)."""
        row = self._db.execute("SELECT reveal_step FROM rounds WHERE id=?",
                               (round_id,)).fetchone()
        return int(row[0]) if row else 0

    def advance_reveal(self, round_id: str, step: int | None = None, *, actor: Actor) -> int:
        """Show one more place on the projector (or jump to *step*); returns the new step."""
        with self._tx() as db:
            self._require(db, actor, "chair")
            if db.execute("SELECT state FROM rounds WHERE id=?", (round_id,)).fetchone() != (
                    "revealed",):
                raise _refuse("Vòng này chưa được công bố.", "This round is not revealed yet.")
            if step is None:
                db.execute("UPDATE rounds SET reveal_step = reveal_step + 1 WHERE id=?",
                           (round_id,))
            else:
                db.execute("UPDATE rounds SET reveal_step = ? WHERE id=?", (step, round_id))
            return int(db.execute("SELECT reveal_step FROM rounds WHERE id=?",
                                  (round_id,)).fetchone()[0])

    def set_focus(self, focus: str, *, actor: Actor) -> None:
        """What the projector shows: a round id, or the overall result."""
        with self._tx() as db:
            self._require(db, actor, "chair")
            self._set_meta(db, "focus", focus)

    # -- ballots ------------------------------------------------------------------------------
    def _require_open(self, db: sqlite3.Connection, round_id: str) -> RoundSpec:
        row = db.execute("SELECT spec, state FROM rounds WHERE id=?", (round_id,)).fetchone()
        if row is None:
            raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
        if row[1] != "open":
            raise _refuse("Vòng bỏ phiếu này chưa mở hoặc đã đóng.",
                          "This round is not open for voting.")
        return RoundSpec.from_json(row[0])

    def _check_room(self, db: sqlite3.Connection, spec: RoundSpec) -> None:
        """Returned (every ballot in the box) stays within issued."""
        turnout = self._turnout(db, spec.id)
        if turnout.returned + 1 > turnout.issued:
            raise _refuse(f"Đã đủ {turnout.issued} phiếu phát ra; không nhận thêm phiếu.",
                          f"All {turnout.issued} ballots issued are in; no more ballots are "
                          f"accepted.")

    def _insert_ballot(self, db: sqlite3.Connection, round_id: str, source: str,
                       cells: Sequence[Any], invalid_reason: str | None,
                       sheet: str | None = None, clerk: str | None = None) -> str:
        ballot_id = secrets.token_hex(8)
        cells_json = json.dumps(list(cells), ensure_ascii=False)
        receipt = ballot_hash(round_id, ballot_id, cells_json, invalid_reason)[:10].upper()
        db.execute("INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   (ballot_id, round_id, source, cells_json, invalid_reason, receipt, sheet,
                    clerk))
        return receipt

    def cast(self, round_id: str, code: str, cells: Sequence[Any]) -> str:
        """Cast a delegate's ballot with a one-time code; returns the receipt.

        The cells are checked against the round's rules (the same check the page shows before
        sending; a ballot the page would refuse is refused here with the page's message). The
        code-used mark and the anonymous ballot are written in one transaction.
        """
        code_hash = self._code_hash(code)
        with self._tx() as db:
            spec = self._require_open(db, round_id)
            if len(cells) != len(spec.candidates):
                raise _refuse("Phiếu không khớp danh sách đơn vị của vòng.",
                              "The ballot does not match the round's list of units.")
            row = db.execute("SELECT unit FROM codes WHERE hash=?", (code_hash,)).fetchone()
            if row is None:
                raise _refuse("Mã bỏ phiếu không đúng.", "Unknown voting code.")
            used = db.execute("SELECT how FROM code_uses WHERE hash=? AND round=?",
                              (code_hash, round_id)).fetchone()
            if used is not None:
                if used[0] == "paper":
                    raise _refuse("Đơn vị này đã nhận phiếu giấy trong vòng này.",
                                  "This unit was handed a paper ballot in this round.")
                raise _refuse("Mã này đã bỏ phiếu trong vòng này.",
                              "This code has already voted in this round.")
            cells = self._checked_cells(spec, cells, str(row[0]))
            self._check_room(db, spec)
            db.execute("INSERT INTO code_uses VALUES (?, ?, 'phone')", (code_hash, round_id))
            return self._insert_ballot(db, round_id, "delegate", cells, None)

    @staticmethod
    def _checked_cells(spec: RoundSpec, cells: Sequence[Any], voter: str) -> list[Any]:
        rules = spec.ballot_rules
        problem = check_ballot(rules, spec.candidates, cells, voter)
        if problem is not None:
            raise _refuse(f"Phiếu chưa hợp lệ: {problem[0]}.",
                          f"The ballot is not valid: {problem[1]}.")
        out = list(cells)
        if rules.self_vote == "ignore" and voter in spec.candidates:
            out[spec.candidates.index(voter)] = None if spec.kind == "ranked" else 0
        return out

    def hand_out_paper(self, round_id: str, unit_or_code: str, *, actor: Actor) -> str:
        """Hand a unit a paper ballot: spends its code for the round (its phone can no longer
        vote). *unit_or_code* is the unit's name or its code. Returns the unit."""
        with self._tx() as db:
            self._require(db, actor, "clerk")
            spec = self._require_open(db, round_id)
            row = db.execute("SELECT hash, unit FROM codes WHERE hash=?",
                             (self._code_hash(unit_or_code),)).fetchone()
            if row is None:
                row = db.execute("SELECT hash, unit FROM codes WHERE unit=?",
                                 (nfc(unit_or_code),)).fetchone()
            if row is None:
                raise _refuse(f"Không có đơn vị hay mã '{unit_or_code}' trong danh sách phát "
                              f"mã.", f"No unit or code '{unit_or_code}' among the codes issued.")
            used = db.execute("SELECT how FROM code_uses WHERE hash=? AND round=?",
                              (row[0], round_id)).fetchone()
            if used is not None:
                how_vi, how_en = (("nhận phiếu giấy", "received a paper ballot")
                                  if used[0] == "paper" else
                                  ("bỏ phiếu bằng điện thoại", "voted by phone"))
                raise _refuse(f"{row[1]} đã {how_vi} trong vòng này.",
                              f"{row[1]} has already {how_en} in this round.")
            turnout = self._turnout(db, spec.id)
            if turnout.voted + turnout.paper_out + 1 > turnout.issued:
                raise _refuse("Đã phát đủ số phiếu.", "Every ballot issued is handed out.")
            db.execute("INSERT INTO code_uses VALUES (?, ?, 'paper')", (row[0], round_id))
            self._event(db, round_id, "paper-handed-out", {"count": turnout.paper_out + 1})
            return str(row[1])

    def enter_paper(self, round_id: str, sheet: str, cells: Sequence[Any], *, actor: Actor,
                    invalid_reason: str | None = None, clerk: str = "",
                    double_entry: bool = False) -> PaperEntry:
        """Enter one paper ballot (by sheet number), as written on paper (an invalid one with
        the committee's reason). Only while paper ballots handed out exceed those entered. With
        double entry, a ballot counts once two clerks have entered the same content; a mismatch
        is flagged and kept for re-entry."""
        sheet = nfc(str(sheet)).strip()
        if not sheet:
            raise _refuse("Cần số tờ phiếu.", "The paper ballot needs its sheet number.")
        clerk = nfc(clerk).strip()
        if not clerk:
            raise _refuse("Cần ghi tên người nhập phiếu.", "The clerk's name is needed.")
        reason = nfc(invalid_reason).strip() if invalid_reason else None
        cells_json = json.dumps(list(cells), ensure_ascii=False)
        with self._tx() as db:
            self._require(db, actor, "clerk")
            spec = self._require_open(db, round_id)
            if len(cells) != len(spec.candidates):
                raise _refuse("Phiếu không khớp danh sách đơn vị của vòng.",
                              "The ballot does not match the round's list of units.")
            if db.execute("SELECT 1 FROM ballots WHERE round=? AND sheet=?",
                          (round_id, sheet)).fetchone():
                raise _refuse(f"Tờ phiếu số {sheet} đã được nhập.",
                              f"Paper ballot {sheet} was already entered.")
            turnout = self._turnout(db, spec.id)
            if turnout.paper + 1 > turnout.paper_out:
                raise _refuse(f"Đã nhập {turnout.paper}/{turnout.paper_out} phiếu giấy đã phát; "
                              f"phát phiếu giấy cho đơn vị trước khi nhập.",
                              f"{turnout.paper}/{turnout.paper_out} paper ballots handed out "
                              f"are entered; hand a unit its paper ballot first.")
            self._check_room(db, spec)
            if double_entry:
                others = db.execute("SELECT clerk, cells, invalid_reason FROM paper_entries "
                                    "WHERE round=? AND sheet=? AND clerk<>?",
                                    (round_id, sheet, clerk)).fetchall()
                db.execute("INSERT OR REPLACE INTO paper_entries VALUES (?, ?, ?, ?, ?)",
                           (round_id, sheet, clerk, cells_json, reason))
                if not others:
                    return PaperEntry(sheet, "waiting", cells=tuple(cells),
                                      invalid_reason=reason)
                other_clerk, other_cells, other_reason = others[0]
                if other_cells != cells_json or (other_reason or None) != reason:
                    return PaperEntry(sheet, "mismatch", other=tuple(json.loads(other_cells)),
                                      cells=tuple(cells), invalid_reason=reason)
                db.execute("DELETE FROM paper_entries WHERE round=? AND sheet=?",
                           (round_id, sheet))
                clerk = f"{other_clerk} + {clerk}"
            receipt = self._insert_ballot(db, round_id, "paper", cells, reason, sheet, clerk)
            self._event(db, round_id, "paper", {"sheet": sheet, "clerk": clerk})
            return PaperEntry(sheet, "counted", receipt=receipt, cells=tuple(cells),
                              invalid_reason=reason)

    def withdraw_paper(self, round_id: str, sheet: str, *, actor: Actor, clerk: str) -> None:
        """Take an entered paper sheet back out to correct it (enter it again afterwards; with
        double entry both clerks enter it again). Only while the round is open; an event."""
        sheet = nfc(str(sheet)).strip()
        with self._tx() as db:
            self._require(db, actor, "clerk")
            self._require_open(db, round_id)
            row = db.execute("SELECT receipt FROM ballots WHERE round=? AND sheet=?",
                             (round_id, sheet)).fetchone()
            if row is None:
                raise _refuse(f"Chưa có tờ phiếu số {sheet} trong vòng này.",
                              f"No paper ballot {sheet} in this round.")
            db.execute("DELETE FROM ballots WHERE round=? AND sheet=?", (round_id, sheet))
            self._event(db, round_id, "paper-withdrawn",
                        {"sheet": sheet, "receipt": row[0], "clerk": nfc(clerk).strip()})

    def paper_sheets(self, round_id: str) -> list[StoredBallot]:
        """The paper ballots entered in a round, by sheet number (the clerk's read-back)."""
        def key(b: StoredBallot) -> tuple[int, str]:
            s = b.sheet or ""
            return (int(s), s) if s.isdigit() else (10**9, s)
        return sorted((b for b in self.ballots(round_id) if b.source == "paper"), key=key)

    def mismatches(self, round_id: str) -> list[str]:
        """Sheets entered by two clerks with different content."""
        rows = self._db.execute(
            "SELECT sheet FROM paper_entries WHERE round=? GROUP BY sheet "
            "HAVING count(DISTINCT cells || coalesce(invalid_reason, '')) > 1",
            (round_id,)).fetchall()
        return [r[0] for r in rows]

    def ballots(self, round_id: str) -> list[StoredBallot]:
        """The anonymous ballots of a round (in random-id order)."""
        rows = self._db.execute("SELECT id, round, source, cells, invalid_reason, receipt, "
                                "sheet, clerk FROM ballots WHERE round=? ORDER BY id",
                                (round_id,)).fetchall()
        return [StoredBallot(i, r, s, tuple(json.loads(c)), inv, rc, sh, cl)
                for i, r, s, c, inv, rc, sh, cl in rows]

    def _turnout(self, db: sqlite3.Connection, round_id: str) -> Turnout:
        counts = dict(db.execute("SELECT how, count(*) FROM code_uses WHERE round=? "
                                 "GROUP BY how", (round_id,)).fetchall())
        paper = db.execute("SELECT count(*) FROM ballots WHERE round=? AND source='paper'",
                           (round_id,)).fetchone()[0]
        row = db.execute("SELECT spec FROM rounds WHERE id=?", (round_id,)).fetchone()
        if row is None:
            raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
        spec = RoundSpec.from_json(row[0])
        codes = int(db.execute("SELECT count(*) FROM codes").fetchone()[0])
        issued = min(spec.issued, codes) if spec.issued is not None and codes else (
            spec.issued if spec.issued is not None else codes)
        return Turnout(voted=int(counts.get("phone", 0)), issued=int(issued), paper=int(paper),
                       paper_out=int(counts.get("paper", 0)))

    def turnout(self, round_id: str) -> Turnout:
        """Ballots cast by phone and entered from paper, paper handed out, against issued
        (configured, never more than the codes handed to units present)."""
        return self._turnout(self._db, round_id)

    # -- chair's decisions --------------------------------------------------------------------
    def record_decision(self, units: Sequence[str], order: Sequence[str], note: str = "", *,
                        actor: Actor) -> None:
        """Record a chair's decision ordering tied units (goes into the tie-break record)."""
        if sorted(units) != sorted(order):
            raise _refuse("Thứ tự quyết định phải gồm đúng các đơn vị bằng nhau.",
                          "The decided order must list exactly the tied units.")
        with self._tx() as db:
            self._require(db, actor, "chair")
            self._event(db, None, "chair-decision",
                        {"units": list(units), "order": list(order), "note": note})

    def record_accepted(self, outcome: Mapping[str, Any], *, actor: Actor) -> str:
        """Record that the chair accepted the result (awards and leadership go in the chain);
        refused while a round is open. Returns the chain head to print."""
        with self._tx() as db:
            self._require(db, actor, "chair")
            open_ = [r[0] for r in db.execute("SELECT id FROM rounds WHERE state='open'")]
            if open_:
                raise _refuse(f"Còn vòng đang mở: {', '.join(open_)}.",
                              f"Rounds still open: {', '.join(open_)}.")
            head = self._event(db, None, "accepted", {k: outcome.get(k) for k in
                                                        ("awards", "leadership", "tie_breaks")})
        return short_head(head)

    def decisions(self) -> list[dict[str, Any]]:
        """All chair's decisions, oldest first."""
        rows = self._db.execute("SELECT payload FROM events WHERE kind='chair-decision' "
                                "ORDER BY seq").fetchall()
        return [json.loads(r[0]) for r in rows]

    def events(self) -> list[dict[str, Any]]:
        """The event log (for the minutes)."""
        rows = self._db.execute("SELECT seq, round, kind, payload, at, hash FROM events "
                                "ORDER BY seq").fetchall()
        return [{"seq": s, "round": r, "kind": k, "payload": json.loads(p), "at": a, "hash": h}
                for s, r, k, p, a, h in rows]

    def chain_head(self) -> str:
        """The last event's hash in short form (what the projector shows after a close)."""
        row = self._db.execute("SELECT hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return short_head(row[0]) if row else ""

    # -- integrity ----------------------------------------------------------------------------
    def verify(self, head: str | None = None) -> VerifyReport:
        """Check the whole record (see :func:`thidua_rank.live.integrity.verify`)."""
        return verify(self._db, head)

    def status(self) -> list[dict[str, Any]]:
        """Per round: id, title, state and the counts the chair sees (issued, paper handed
        out, returned, by phone, on paper)."""
        out = []
        for spec, state in self.rounds():
            t = self.turnout(spec.id)
            out.append({"id": spec.id, "title": spec.title, "state": state,
                        "issued": t.issued, "paper_out": t.paper_out, "returned": t.returned,
                        "phone": t.voted, "paper": t.paper})
        return out


def quorum_count(share: Fraction, members: int) -> int:
    """Ballots needed for *share* of *members* (rounded up).

    >>> quorum_count(Fraction(2, 3), 10)
    7
    """
    return -(-share.numerator * members // share.denominator)

