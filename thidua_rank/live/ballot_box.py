"""The ballot box of a live meeting: one SQLite file, shared by every page and the command line.

Every Voilà page runs in its own kernel, so nothing is shared through module globals: rounds,
voting codes, ballots and events live in one SQLite database (WAL, ``synchronous=FULL``), and a
ballot is acknowledged to the voter only after its transaction has committed, so it survives a
crash or a kill of the server.

Secrecy
    Voting codes are stored as salted hashes. Casting a ballot writes the "code used in this
    round" mark and the anonymous ballot in one transaction; the ballot row holds no code, no
    unit and no exact time (only the round's coarse time bucket), and its primary key is random
    in a ``WITHOUT ROWID`` table, so the order on disk does not reveal who voted when.
Integrity
    Each ballot's receipt is a hash of its round, id and content; the voter sees it, and
    ``thidua-rank verify`` lists every receipt. Round events (open, close, reveal, run-off,
    chair's decisions) form a hash chain; the close event records an order-independent digest
    of the round's ballots, so a later edit, insertion or deletion is detectable.

>>> import tempfile, pathlib
>>> box = BallotBox(pathlib.Path(tempfile.mkdtemp()) / "box.sqlite")
>>> codes = box.issue_codes(["Sở Y tế", "Sở Tư pháp"])
>>> box.add_round(RoundSpec("xep-hang", "Xếp hạng", "ranking", "ranked",
...                         ("Sở Y tế", "Sở Tư pháp")))
>>> box.set_state("xep-hang", "open")
>>> receipt = box.cast("xep-hang", codes["Sở Y tế"], [2, 1])
>>> box.turnout("xep-hang")
Turnout(voted=1, issued=2, paper=0)
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
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from thidua_rank.errors import ThiduaRankError
from thidua_rank.text import nfc

__all__ = ["BallotBox", "BallotBoxError", "PaperEntry", "RoundSpec", "StoredBallot", "Turnout",
           "VerifyReport", "box_path", "normalise_code"]

RoundState = Literal["draft", "open", "closed", "revealed"]
STATES: tuple[RoundState, ...] = ("draft", "open", "closed", "revealed")
_NEXT_STATE = {"draft": "open", "open": "closed", "closed": "revealed"}
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
TIME_BUCKET_SECONDS = 600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS rounds (
    id TEXT PRIMARY KEY, position INTEGER NOT NULL, state TEXT NOT NULL,
    spec TEXT NOT NULL, reveal_step INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS codes (hash TEXT PRIMARY KEY, unit TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS code_uses (
    hash TEXT NOT NULL, round TEXT NOT NULL, PRIMARY KEY (hash, round)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ballots (
    id TEXT PRIMARY KEY, round TEXT NOT NULL, source TEXT NOT NULL, cells TEXT NOT NULL,
    invalid_reason TEXT, receipt TEXT NOT NULL UNIQUE, bucket INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS paper_entries (
    round TEXT NOT NULL, sheet TEXT NOT NULL, clerk TEXT NOT NULL, cells TEXT NOT NULL,
    invalid_reason TEXT, PRIMARY KEY (round, sheet, clerk)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY, round TEXT, kind TEXT NOT NULL, payload TEXT NOT NULL,
    at TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
"""


class BallotBoxError(ThiduaRankError):
    """An action the ballot box refuses (second vote, closed round, wrong code, wrong PIN)."""


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


def _digest(*parts: str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\x1f")
    return h.hexdigest()


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

    def to_json(self) -> str:
        """Stable JSON for storage."""
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> RoundSpec:
        """Inverse of :meth:`to_json`."""
        data = json.loads(text)
        data["candidates"] = tuple(data["candidates"])
        return cls(**data)


@dataclass(frozen=True)
class Turnout:
    """Ballots in the box for a round: cast with codes, entered from paper, and issued."""

    voted: int
    issued: int
    paper: int = 0

    @property
    def returned(self) -> int:
        """All ballots in the box."""
        return self.voted + self.paper


@dataclass(frozen=True)
class StoredBallot:
    """One anonymous ballot: its cells in the round's candidate order."""

    id: str
    round: str
    source: str
    cells: tuple[Any, ...]
    invalid_reason: str | None
    receipt: str


@dataclass(frozen=True)
class PaperEntry:
    """Result of a clerk's entry of one paper ballot (double entry aware)."""

    sheet: str
    status: Literal["counted", "waiting", "mismatch"]
    receipt: str | None = None
    other: tuple[Any, ...] | None = None


@dataclass
class VerifyReport:
    """What ``verify`` found: problems (empty when intact) and the receipts per round."""

    problems: list[str] = field(default_factory=list)
    receipts: dict[str, list[str]] = field(default_factory=dict)
    chain_head: str = ""

    @property
    def ok(self) -> bool:
        """True when the chain, digests and receipts all check out."""
        return not self.problems


def _refuse(vi: str, en: str) -> BallotBoxError:
    return BallotBoxError(vi, en)


class BallotBox:
    """The meeting's ballot box (thread-safe; one connection per thread).

    Parameters
    ----------
    path
        The SQLite file; created with its folder when missing.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db.executescript(_SCHEMA)
        with self._tx() as db:
            if db.execute("SELECT 1 FROM meta WHERE key='salt'").fetchone() is None:
                db.execute("INSERT INTO meta VALUES ('salt', ?)", (secrets.token_hex(16),))

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

    def set_meta(self, key: str, value: str) -> None:
        """Store a setting."""
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- chair PIN ----------------------------------------------------------------------------
    def set_pin(self, pin: str) -> None:
        """Protect the chair's page with *pin* (stored hashed)."""
        if len(pin.strip()) < 4:
            raise _refuse("Mã PIN cần ít nhất 4 ký tự.", "The PIN needs at least 4 characters.")
        self.set_meta("pin", _digest(self.salt, "pin", pin.strip()))

    def check_pin(self, pin: str) -> bool:
        """True when *pin* is the chair's PIN."""
        stored = self.meta("pin")
        return stored is not None and secrets.compare_digest(
            stored, _digest(self.salt, "pin", pin.strip()))

    # -- codes --------------------------------------------------------------------------------
    def _code_hash(self, code: str) -> str:
        return _digest(self.salt, "code", normalise_code(code))

    def issue_codes(self, units: Sequence[str], *, replace: bool = False) -> dict[str, str]:
        """New one-time voting codes, one per unit; only their hashes are stored.

        Refused once any code has been used (re-issuing would void cast ballots' accounting)
        unless nothing has been cast. With ``replace=False`` existing codes are kept and an
        error is raised if there are any.
        """
        with self._tx() as db:
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
            self._event(db, None, "codes-issued", {"count": len(codes)})
        return codes

    def code_unit(self, code: str) -> str:
        """The unit a code was issued to, or a clear refusal."""
        row = self._db.execute("SELECT unit FROM codes WHERE hash=?",
                               (self._code_hash(code),)).fetchone()
        if row is None:
            raise _refuse("Mã bỏ phiếu không đúng.", "Unknown voting code.")
        return str(row[0])

    def code_used(self, round_id: str, code: str) -> bool:
        """Whether *code* has already voted in *round_id*."""
        return self._db.execute("SELECT 1 FROM code_uses WHERE hash=? AND round=?",
                                (self._code_hash(code), round_id)).fetchone() is not None

    def n_codes(self) -> int:
        """Number of codes issued."""
        return int(self._db.execute("SELECT count(*) FROM codes").fetchone()[0])

    # -- rounds -------------------------------------------------------------------------------
    def add_round(self, spec: RoundSpec, *, event: bool = False) -> None:
        """Register a round (idempotent for an identical spec)."""
        with self._tx() as db:
            row = db.execute("SELECT spec FROM rounds WHERE id=?", (spec.id,)).fetchone()
            if row is not None:
                if row[0] != spec.to_json() and RoundSpec.from_json(row[0]).decides != "runoff":
                    db.execute("UPDATE rounds SET spec=? WHERE id=? AND state='draft'",
                               (spec.to_json(), spec.id))
                return
            pos = db.execute("SELECT coalesce(max(position), 0) + 1 FROM rounds").fetchone()[0]
            db.execute("INSERT INTO rounds (id, position, state, spec) VALUES (?, ?, 'draft', ?)",
                       (spec.id, pos, spec.to_json()))
            if event:
                self._event(db, spec.id, "round-added", asdict(spec))

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

    def set_state(self, round_id: str, state: RoundState) -> None:
        """Move a round forward: draft → open → closed → revealed (never backwards)."""
        with self._tx() as db:
            row = db.execute("SELECT state FROM rounds WHERE id=?", (round_id,)).fetchone()
            if row is None:
                raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
            if _NEXT_STATE.get(row[0]) != state:
                raise _refuse(f"Vòng '{round_id}' đang ở trạng thái '{row[0]}', không thể "
                              f"chuyển sang '{state}'.",
                              f"Round '{round_id}' is '{row[0]}'; it cannot become '{state}'.")
            payload: dict[str, Any] = {"state": state}
            if state == "closed":
                payload.update(self._round_digest(db, round_id))
                waiting = db.execute("SELECT count(DISTINCT sheet) FROM paper_entries "
                                     "WHERE round=?", (round_id,)).fetchone()[0]
                if waiting:
                    raise _refuse(f"Còn {waiting} phiếu giấy nhập hai lần chưa khớp.",
                                  f"{waiting} double-entered paper ballots do not match yet.")
            db.execute("UPDATE rounds SET state=? WHERE id=?", (state, round_id))
            self._event(db, round_id, state, payload)

    def reveal_step(self, round_id: str) -> int:
        """How many places of a revealed round the projector shows (counted from the last)."""
        row = self._db.execute("SELECT reveal_step FROM rounds WHERE id=?",
                               (round_id,)).fetchone()
        return int(row[0]) if row else 0

    def advance_reveal(self, round_id: str, step: int | None = None) -> int:
        """Show one more place on the projector (or jump to *step*); returns the new step."""
        with self._tx() as db:
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

    # -- ballots ------------------------------------------------------------------------------
    def _require_open(self, db: sqlite3.Connection, round_id: str) -> RoundSpec:
        row = db.execute("SELECT spec, state FROM rounds WHERE id=?", (round_id,)).fetchone()
        if row is None:
            raise _refuse(f"Không có vòng bỏ phiếu '{round_id}'.", f"No round '{round_id}'.")
        if row[1] != "open":
            raise _refuse("Vòng bỏ phiếu này chưa mở hoặc đã đóng.",
                          "This round is not open for voting.")
        return RoundSpec.from_json(row[0])

    def _insert_ballot(self, db: sqlite3.Connection, round_id: str, source: str,
                       cells: Sequence[Any], invalid_reason: str | None) -> str:
        ballot_id = secrets.token_hex(8)
        cells_json = json.dumps(list(cells), ensure_ascii=False)
        receipt = _digest(round_id, ballot_id, cells_json, invalid_reason or "")[:10].upper()
        bucket = int(time.time()) // TIME_BUCKET_SECONDS * TIME_BUCKET_SECONDS
        db.execute("INSERT INTO ballots VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (ballot_id, round_id, source, cells_json, invalid_reason, receipt, bucket))
        return receipt

    def cast(self, round_id: str, code: str, cells: Sequence[Any]) -> str:
        """Cast a delegate's ballot with a one-time code; returns the receipt.

        The cells must already be valid for the round (the page checks them with
        :func:`thidua_rank.live.session.check_ballot` before submitting); the code-used mark and the
        anonymous ballot are written in one transaction.
        """
        code_hash = self._code_hash(code)
        with self._tx() as db:
            spec = self._require_open(db, round_id)
            if len(cells) != len(spec.candidates):
                raise _refuse("Phiếu không khớp danh sách đơn vị của vòng.",
                              "The ballot does not match the round's list of units.")
            if db.execute("SELECT 1 FROM codes WHERE hash=?", (code_hash,)).fetchone() is None:
                raise _refuse("Mã bỏ phiếu không đúng.", "Unknown voting code.")
            try:
                db.execute("INSERT INTO code_uses VALUES (?, ?)", (code_hash, round_id))
            except sqlite3.IntegrityError:
                raise _refuse("Mã này đã bỏ phiếu trong vòng này.",
                              "This code has already voted in this round.") from None
            return self._insert_ballot(db, round_id, "delegate", cells, None)

    def enter_paper(self, round_id: str, sheet: str, cells: Sequence[Any], *,
                    invalid_reason: str | None = None, clerk: str = "",
                    double_entry: bool = False) -> PaperEntry:
        """Enter one paper ballot (by sheet number). With double entry, a ballot counts once two
        clerks have entered the same content; a mismatch is flagged and kept for re-entry."""
        sheet = nfc(str(sheet)).strip()
        if not sheet:
            raise _refuse("Cần số tờ phiếu.", "The paper ballot needs its sheet number.")
        reason = nfc(invalid_reason).strip() if invalid_reason else None
        cells_json = json.dumps(list(cells), ensure_ascii=False)
        with self._tx() as db:
            spec = self._require_open(db, round_id)
            if len(cells) != len(spec.candidates):
                raise _refuse("Phiếu không khớp danh sách đơn vị của vòng.",
                              "The ballot does not match the round's list of units.")
            if db.execute("SELECT 1 FROM events WHERE round=? AND kind='paper' AND payload=?",
                          (round_id, json.dumps({"sheet": sheet}, ensure_ascii=False,
                                                sort_keys=True))).fetchone():
                raise _refuse(f"Tờ phiếu số {sheet} đã được nhập.",
                              f"Paper ballot {sheet} was already entered.")
            if double_entry:
                others = db.execute("SELECT clerk, cells, invalid_reason FROM paper_entries "
                                    "WHERE round=? AND sheet=? AND clerk<>?",
                                    (round_id, sheet, clerk)).fetchall()
                db.execute("INSERT OR REPLACE INTO paper_entries VALUES (?, ?, ?, ?, ?)",
                           (round_id, sheet, clerk, cells_json, reason))
                if not others:
                    return PaperEntry(sheet, "waiting")
                _, other_cells, other_reason = others[0]
                if other_cells != cells_json or (other_reason or None) != reason:
                    return PaperEntry(sheet, "mismatch", other=tuple(json.loads(other_cells)))
                db.execute("DELETE FROM paper_entries WHERE round=? AND sheet=?",
                           (round_id, sheet))
            receipt = self._insert_ballot(db, round_id, "paper", cells, reason)
            self._event(db, round_id, "paper", {"sheet": sheet})
            return PaperEntry(sheet, "counted", receipt=receipt)

    def mismatches(self, round_id: str) -> list[str]:
        """Sheets entered by two clerks with different content."""
        rows = self._db.execute(
            "SELECT sheet FROM paper_entries WHERE round=? GROUP BY sheet "
            "HAVING count(DISTINCT cells || coalesce(invalid_reason, '')) > 1",
            (round_id,)).fetchall()
        return [r[0] for r in rows]

    def ballots(self, round_id: str) -> list[StoredBallot]:
        """The anonymous ballots of a round (in random-id order)."""
        rows = self._db.execute("SELECT id, round, source, cells, invalid_reason, receipt "
                                "FROM ballots WHERE round=? ORDER BY id", (round_id,)).fetchall()
        return [StoredBallot(i, r, s, tuple(json.loads(c)), inv, rc)
                for i, r, s, c, inv, rc in rows]

    def turnout(self, round_id: str) -> Turnout:
        """Ballots cast with codes and entered from paper, against ballots issued."""
        db = self._db
        voted = db.execute("SELECT count(*) FROM code_uses WHERE round=?",
                           (round_id,)).fetchone()[0]
        paper = db.execute("SELECT count(*) FROM ballots WHERE round=? AND source='paper'",
                           (round_id,)).fetchone()[0]
        spec = self.spec(round_id)
        issued = spec.issued if spec.issued is not None else self.n_codes()
        return Turnout(voted=int(voted), issued=int(issued), paper=int(paper))

    # -- chair's decisions --------------------------------------------------------------------
    def record_decision(self, units: Sequence[str], order: Sequence[str], note: str = "") -> None:
        """Record a chair's decision ordering tied units (goes into the tie-break record)."""
        if sorted(units) != sorted(order):
            raise _refuse("Thứ tự quyết định phải gồm đúng các đơn vị bằng nhau.",
                          "The decided order must list exactly the tied units.")
        with self._tx() as db:
            self._event(db, None, "chair-decision",
                        {"units": list(units), "order": list(order), "note": note})

    def record_accepted(self, outcome: Mapping[str, Any]) -> None:
        """Record that the chair accepted the result (awards and leadership go in the chain)."""
        with self._tx() as db:
            self._event(db, None, "accepted", {k: outcome.get(k) for k in
                                               ("awards", "leadership", "tie_breaks")})

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

    # -- integrity ----------------------------------------------------------------------------
    @staticmethod
    def _ballot_hash(round_id: str, ballot_id: str, cells: str, reason: str | None) -> str:
        return _digest(round_id, ballot_id, cells, reason or "")

    def _round_digest(self, db: sqlite3.Connection, round_id: str) -> dict[str, Any]:
        rows = db.execute("SELECT id, cells, invalid_reason FROM ballots WHERE round=?",
                          (round_id,)).fetchall()
        hashes = sorted(self._ballot_hash(round_id, i, c, r) for i, c, r in rows)
        uses = db.execute("SELECT count(*) FROM code_uses WHERE round=?", (round_id,)).fetchone()
        return {"ballots": len(rows), "codes_used": int(uses[0]),
                "digest": _digest(*hashes) if hashes else ""}

    def _event(self, db: sqlite3.Connection, round_id: str | None, kind: str,
               payload: Mapping[str, Any]) -> None:
        last = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, "")
        at = time.strftime("%Y-%m-%dT%H:%M:%S")
        body = json.dumps(dict(payload), ensure_ascii=False, sort_keys=True, default=str)
        digest = _digest(prev, str(seq), round_id or "", kind, body, at)
        db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
                   (seq, round_id, kind, body, at, prev, digest))

    def verify(self) -> VerifyReport:
        """Check the event chain, every closed round's digest and every ballot's receipt."""
        report = VerifyReport()
        db = self._db
        prev = ""
        closed: dict[str, dict[str, Any]] = {}
        for seq, rnd, kind, body, at, p, h in db.execute(
                "SELECT seq, round, kind, payload, at, prev, hash FROM events ORDER BY seq"):
            if p != prev or _digest(prev, str(seq), rnd or "", kind, body, at) != h:
                report.problems.append(f"chuỗi sự kiện bị sửa ở sự kiện {seq} / "
                                       f"event chain broken at event {seq}")
            prev = h
            if kind == "closed":
                closed[rnd] = json.loads(body)
        report.chain_head = prev
        for rid, rec in closed.items():
            now = self._round_digest(db, rid)
            if now["digest"] != rec.get("digest") or now["ballots"] != rec.get("ballots"):
                report.problems.append(
                    f"vòng '{rid}': phiếu đã bị thay đổi sau khi đóng vòng "
                    f"({rec.get('ballots')} → {now['ballots']} phiếu) / round '{rid}': ballots "
                    f"changed after the round was closed")
        for rid, bid, cells, reason, receipt in db.execute(
                "SELECT round, id, cells, invalid_reason, receipt FROM ballots "
                "ORDER BY round, receipt"):
            if self._ballot_hash(rid, bid, cells, reason)[:10].upper() != receipt:
                report.problems.append(f"phiếu có biên nhận {receipt} đã bị sửa / ballot with "
                                       f"receipt {receipt} was altered")
            report.receipts.setdefault(rid, []).append(receipt)
        return report
