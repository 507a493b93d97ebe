"""The ballot box's record: content hashes, receipts, round digests and the event chain.

Every event's hash covers the previous event's hash, its number, round, kind, payload and time,
so editing, inserting, deleting or reordering an event breaks the chain from there on; the
close event of a round records an order-independent digest of its ballots.

>>> len(digest("a", "b")), short_head("3f7a91c20b4dee10" + "0" * 48)
(64, '3F7A-91C2-0B4D-EE10')
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Mapping
from typing import Any

__all__ = ["append_event", "ballot_hash", "digest", "round_digest", "short_head"]


def digest(*parts: str) -> str:
    """SHA-256 of the parts, separated so that no two lists of parts collide."""
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode())
        h.update(b"\x1f")
    return h.hexdigest()


def short_head(digest: str) -> str:
    """The chain head as people copy it: the first 64 bits in groups of four.

    >>> short_head("3f7a91c20b4dee10" + "0" * 48)
    '3F7A-91C2-0B4D-EE10'
    """
    text = digest[:16].upper()
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def ballot_hash(round_id: str, ballot_id: str, cells: str, reason: str | None) -> str:
    """The full hash of one stored ballot (its receipt is the first 10 hex digits)."""
    return digest(round_id, ballot_id, cells, reason or "")


def round_digest(db: sqlite3.Connection, round_id: str) -> dict[str, Any]:
    """Count and order-independent digest of a round's ballots, and its code uses."""
    rows = db.execute("SELECT id, cells, invalid_reason FROM ballots WHERE round=?",
                      (round_id,)).fetchall()
    hashes = sorted(ballot_hash(round_id, i, c, r) for i, c, r in rows)
    uses = db.execute("SELECT count(*) FROM code_uses WHERE round=?", (round_id,)).fetchone()
    return {"ballots": len(rows), "codes_used": int(uses[0]),
            "digest": digest(*hashes) if hashes else ""}


def append_event(db: sqlite3.Connection, round_id: str | None, kind: str,
                 payload: Mapping[str, Any]) -> str:
    """Append an event to the chain inside the caller's transaction; returns its hash."""
    last = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (last[0] + 1, last[1]) if last else (1, "")
    at = time.strftime("%Y-%m-%dT%H:%M:%S")
    body = json.dumps(dict(payload), ensure_ascii=False, sort_keys=True, default=str)
    event_hash = digest(prev, str(seq), round_id or "", kind, body, at)
    db.execute("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)",
               (seq, round_id, kind, body, at, prev, event_hash))
    return event_hash
