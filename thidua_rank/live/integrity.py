"""Checking a ballot box file: the chain, the tables against the chain, digests and receipts.

:func:`verify` replays the event chain from its first event and compares it with what the
tables say now: every round's spec and state, the codes issued, every closed round's ballots
(count and digest) and code uses, every ballot's receipt. With a chain head printed outside the
file (on the projector after each close, in the minutes at acceptance) it also proves that the
record still leads through that head, so recomputing every hash after an edit is caught.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from thidua_rank.live.records import ballot_hash, digest, round_digest, short_head
from thidua_rank.text import nfc

__all__ = ["VerifyReport", "verify"]

_NEXT_STATE = {"draft": "open", "open": "closed", "closed": "revealed"}
AFTER_ACCEPTANCE = frozenset({"pin-set", "pin-failed"})
"""The only events that may follow the chair's acceptance: the record is sealed then."""


@dataclass
class VerifyReport:
    """What ``verify`` found: problems (empty when intact) and the receipts per round."""

    problems: list[str] = field(default_factory=list)
    receipts: dict[str, list[str]] = field(default_factory=dict)
    chain_head: str = ""
    heads: list[str] = field(default_factory=list)
    """The chain head after each close and at acceptance (short form), oldest first."""

    @property
    def ok(self) -> bool:
        """True when the chain, the tables, digests and receipts all check out."""
        return not self.problems


def verify(db: sqlite3.Connection, head: str | None = None) -> VerifyReport:
    """Check the whole record: the event chain from its first event, that the rounds'
    specs and states are exactly what the events say, every closed round's ballot digest
    and counts, every ballot's receipt, and (with *head*, a chain head printed on the
    projector or in the minutes) that the chain still leads through that head."""
    report = VerifyReport()
    problem = report.problems.append
    prev = ""
    expected = 1
    specs: dict[str, str] = {}
    states: dict[str, str] = {}
    closed: dict[str, dict[str, Any]] = {}
    hashes: list[str] = []
    codes_issued: int | None = None
    accepted_at: int | None = None
    for seq, rnd, kind, body, at, p, h in db.execute(
            "SELECT seq, round, kind, payload, at, prev, hash FROM events ORDER BY seq"):
        if seq != expected:
            problem(f"thiếu sự kiện trước sự kiện {seq} / events missing before event {seq}")
        expected = seq + 1
        if p != prev or digest(prev, str(seq), rnd or "", kind, body, at) != h:
            problem(f"chuỗi sự kiện bị sửa ở sự kiện {seq} / "
                    f"event chain broken at event {seq}")
        if seq == 1 and kind != "box-created":
            problem("chuỗi sự kiện không bắt đầu từ lúc tạo hòm phiếu / "
                    "the event chain does not start at the box's creation")
        prev = h
        hashes.append(h)
        data = json.loads(body)
        if accepted_at is not None and kind not in AFTER_ACCEPTANCE:
            problem(f"sự kiện {seq} ('{kind}') ghi sau khi Chủ tọa đã chấp nhận kết quả "
                    f"(sự kiện {accepted_at}) / event {seq} ('{kind}') was recorded after the "
                    f"chair accepted the result (event {accepted_at})")
        if kind in ("round-added", "round-updated"):
            specs[rnd] = data["spec"]
            states.setdefault(rnd, "draft")
        elif kind in _NEXT_STATE.values():
            if _NEXT_STATE.get(states.get(rnd, "")) != kind:
                problem(f"vòng '{rnd}': sự kiện '{kind}' sai thứ tự / round '{rnd}': "
                        f"event '{kind}' out of order")
            states[rnd] = kind
            if kind == "closed":
                closed[rnd] = data
                report.heads.append(short_head(h))
        elif kind == "accepted":
            report.heads.append(short_head(h))
            accepted_at = accepted_at or seq
        elif kind == "codes-issued":
            codes_issued = int(data["count"])
    if expected == 1:
        problem("hòm phiếu không có sự kiện nào / the ballot box has no events")
    report.chain_head = short_head(prev) if prev else ""
    if head is not None:
        wanted = "".join(ch for ch in nfc(head).upper() if ch.isalnum())
        if not any(h.upper().startswith(wanted) for h in hashes) or len(wanted) < 8:
            problem(f"chuỗi sự kiện không còn dẫn tới mã {head} đã in / the event chain "
                    f"no longer leads to the printed head {head}")
    for rid, spec, state in db.execute("SELECT id, spec, state FROM rounds"):
        if specs.get(rid) != spec:
            problem(f"vòng '{rid}': danh sách hoặc luật của vòng khác với sự kiện đã ghi / "
                    f"round '{rid}': its spec differs from the recorded event")
        if states.get(rid) != state:
            problem(f"vòng '{rid}': trạng thái '{state}' khác với sự kiện "
                    f"('{states.get(rid)}') / round '{rid}': state '{state}' disagrees "
                    f"with its events ('{states.get(rid)}')")
    known = {r[0] for r in db.execute("SELECT id FROM rounds")}
    for rid in set(specs) - known:
        problem(f"vòng '{rid}' đã bị xóa / round '{rid}' was deleted")
    n_codes = int(db.execute("SELECT count(*) FROM codes").fetchone()[0])
    if (codes_issued or 0) != n_codes:
        problem(f"số mã trong hòm ({n_codes}) khác sự kiện phát mã ({codes_issued}) / "
                f"codes in the box ({n_codes}) differ from the issue event ({codes_issued})")
    for rid, rec in closed.items():
        now = round_digest(db, rid)
        if now["digest"] != rec.get("digest") or now["ballots"] != rec.get("ballots"):
            problem(f"vòng '{rid}': phiếu đã bị thay đổi sau khi đóng vòng "
                    f"({rec.get('ballots')} → {now['ballots']} phiếu) / round '{rid}': "
                    f"ballots changed after the round was closed")
        if now["codes_used"] != rec.get("codes_used"):
            problem(f"vòng '{rid}': số mã đã dùng bị thay đổi / round '{rid}': code uses "
                    f"changed after the round was closed")
        if rec.get("ballots", 0) > rec.get("issued", 0):
            problem(f"vòng '{rid}': thu về nhiều hơn phát ra / round '{rid}': more ballots "
                    f"returned than issued")
    for rid, n in db.execute("SELECT round, count(*) FROM ballots GROUP BY round"):
        if states.get(rid) in (None, "draft"):
            problem(f"vòng '{rid}' có {n} phiếu dù chưa mở / round '{rid}' holds {n} "
                    f"ballots but was never opened")
    for rid, bid, cells, reason, receipt in db.execute(
            "SELECT round, id, cells, invalid_reason, receipt FROM ballots "
            "ORDER BY round, receipt"):
        if ballot_hash(rid, bid, cells, reason)[:10].upper() != receipt:
            problem(f"phiếu có biên nhận {receipt} đã bị sửa / ballot with "
                    f"receipt {receipt} was altered")
        report.receipts.setdefault(rid, []).append(receipt)
    return report

