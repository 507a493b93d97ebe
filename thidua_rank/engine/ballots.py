"""Ballots: the one input every voting method reads.

A :class:`Ballots` object holds the *valid* ballots of one round as an integer matrix
``ranks`` of shape ``(m, n)`` (one row per distinct ballot, one column per unit in official
order) with a weight per row, plus the *invalid* ballots with the reason each was rejected.

* ``ranked`` ballots: ``ranks[i, j]`` is the rank ballot *i* gives unit *j* (1 = best); equal
  numbers are a tie; 0 means unranked (below every ranked unit, tied with the other unranked).
* ``approval`` and ``choose`` ballots: 1 = marked (đồng ý / chọn), 0 = not marked.

Long form is ``(ballot, unit, rank)`` with a missing row meaning unranked (:meth:`Ballots.to_long`).

>>> b = Ballots.from_orders([[0, 1, 2], [1, 0, 2], [0, 2, 1]], units=["A", "B", "C"])
>>> b.n_ballots, b.n_units
(3, 3)
>>> b.pairwise().tolist()
[[0, 2, 3], [1, 0, 2], [0, 1, 0]]
>>> raw = [["1", "2", ""], ["1", "1", "x"], ["", "", ""]]
>>> rules = BallotRules(kind="ranked")
>>> checked = Ballots.from_cells(raw, units=["A", "B", "C"], rules=rules)
>>> checked.n_ballots, [bad.reason_en for bad in checked.invalid]
(1, ["cell 'C' holds 'x', expected a rank from 1 to 3 or blank", 'blank ballot'])

Named ballots keep their voters (the voter's unit of each valid ballot row):

>>> named = Ballots.from_cells([["1", "2", "3"], ["2", "1", "3"]], units=["A", "B", "C"],
...                            rules=rules, voters=["a", None])
>>> named.voters, checked.voters
(('A', None), ())
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from thidua_rank._typing import BallotKind, SelfVotePolicy
from thidua_rank.errors import InputError, UnknownUnitError
from thidua_rank.text import fold, nfc

if TYPE_CHECKING:  # polars loads only for the long-table conversions
    import polars as pl

__all__ = ["BallotRules", "Ballots", "InvalidBallot", "UnitIndex"]

_APPROVE = {fold(w) for w in ("1", "x", "v", "✓", "✔", "đồng ý", "dong y", "đ", "có", "yes", "y",
                              "chọn", "approve", "true")}
_REJECT = {fold(w) for w in ("0", "", "-", "không", "khong", "không đồng ý", "khong dong y", "k",
                             "no", "n", "false", "gạch", "struck")}
_EXACT_FLOAT_SUM = 2**53
"""Total ballot weight below which float64 sums of 0/1 × weight are exact integers."""
_PAIRWISE_CHUNK = 8192
"""Ballots per block in :meth:`Ballots.pairwise` (keeps the 0/1 buffer in cache)."""


class UnitIndex:
    """Resolve unit references (id, full name, short name or alias) to official positions.

    Matching uses :func:`thidua_rank.text.fold`, so letter case, NFC/NFD and old/new tone
    placement do not matter.

    >>> idx = UnitIndex(["Ủy ban Kiểm tra Tỉnh ủy", "Sở Y tế"], aliases={0: ["UBKT TU"]})
    >>> idx.position("uỷ ban kiểm tra tỉnh uỷ"), idx.position("ubkt tu"), idx.position("Sở Y tế")
    (0, 0, 1)
    """

    def __init__(
        self,
        names: Sequence[str],
        *,
        aliases: Mapping[int, Iterable[str]] | None = None,
    ) -> None:
        self.names = tuple(nfc(n) for n in names)
        self._lookup: dict[str, int] = {}
        for pos, name in enumerate(self.names):
            self._add(name, pos)
        for pos, extra in (aliases or {}).items():
            for alias in extra:
                if alias and nfc(alias):
                    self._add(alias, pos)

    def _add(self, key: str, pos: int) -> None:
        folded = fold(key)
        other = self._lookup.get(folded)
        if other is not None and other != pos:
            first, second = self.names[other], self.names[pos]
            msg_vi = f"tên '{key}' dùng cho hai đơn vị: '{first}' và '{second}'"
            msg_en = f"name '{key}' refers to two units: '{first}' and '{second}'"
            raise InputError(msg_vi, msg_en)
        self._lookup[folded] = pos

    def __len__(self) -> int:
        return len(self.names)

    def position(self, ref: str) -> int:
        """Official position of the unit named *ref*; raises :class:`UnknownUnitError`."""
        pos = self._lookup.get(fold(str(ref)))
        if pos is None:
            raise UnknownUnitError(
                f"không có đơn vị '{ref}' trong khối",
                f"no unit '{ref}' in this bloc; expected one of {list(self.names)}",
                value=ref,
            )
        return pos

    def name(self, ref: str) -> str:
        """Canonical full name of the unit named *ref*."""
        return self.names[self.position(ref)]


@dataclass(frozen=True)
class BallotRules:
    """What makes a ballot valid in a round (invalid ballots are counted, never repaired).

    Parameters
    ----------
    kind
        ``ranked``, ``approval`` or ``choose``.
    max_choices
        For ``choose``: the most units a ballot may mark (more makes it invalid).
    min_choices
        The fewest units a ballot must mark or rank (0 allows an empty-but-cast ballot only
        together with ``allow_blank``).
    allow_ties, allow_truncation
        For ``ranked``: whether equal ranks / unranked units are allowed.
    allow_blank
        Whether a ballot with nothing marked is valid (it then counts, approving nobody).
    self_vote
        ``allow``, ``forbid`` (the ballot is invalid) or ``ignore`` (the own mark is dropped);
        applied only when the voter's unit is known.
    """

    kind: BallotKind = "ranked"
    max_choices: int | None = None
    min_choices: int = 1
    allow_ties: bool = True
    allow_truncation: bool = True
    allow_blank: bool = False
    self_vote: SelfVotePolicy = "allow"


@dataclass(frozen=True)
class InvalidBallot:
    """A ballot counted as invalid, with its reason in Vietnamese and English."""

    ballot: str
    reason_vi: str
    reason_en: str
    count: int = 1


def _bad(ballot: str, vi: str, en: str, count: int = 1) -> InvalidBallot:
    return InvalidBallot(ballot=ballot, reason_vi=vi, reason_en=en, count=count)


@dataclass(frozen=True, eq=False)
class Ballots:
    """The valid ballots of one round, and the invalid ones with reasons.

    Build it with :meth:`from_orders`, :meth:`from_ranks`, :meth:`from_cells`, :meth:`from_long`
    or :func:`thidua_rank.read_ballots`; do not mutate ``ranks``.
    """

    units: tuple[str, ...]
    ranks: np.ndarray
    counts: np.ndarray
    kind: BallotKind = "ranked"
    ids: tuple[str, ...] = ()
    invalid: tuple[InvalidBallot, ...] = ()
    max_choices: int | None = None
    source: str | None = field(default=None, compare=False)
    voters: tuple[str | None, ...] = field(default=(), compare=False)
    """The voter's unit of each valid ballot row (``None`` where unknown), or ``()`` when the
    ballots are secret. Kept by :meth:`subset` and ``dataclasses.replace``."""

    def __post_init__(self) -> None:
        ranks = np.asarray(self.ranks)
        if ranks.ndim != 2 or ranks.shape[1] != len(self.units):
            raise InputError(
                "ma trận phiếu phải có một cột cho mỗi đơn vị",
                f"ranks must have shape (ballots, {len(self.units)}), got {ranks.shape}",
            )
        if len(set(map(fold, self.units))) != len(self.units):
            raise InputError("tên đơn vị bị trùng", "duplicate unit names", value=self.units)
        counts = np.asarray(self.counts, dtype=np.int64)
        if counts.shape != (ranks.shape[0],) or (counts < 0).any():
            raise InputError("số lượng phiếu không hợp lệ", "counts must be one non-negative "
                             "integer per ballot row", value=counts.shape)
        object.__setattr__(self, "ranks", ranks.astype(np.int32, copy=False))
        object.__setattr__(self, "counts", counts)
        if not self.ids:
            object.__setattr__(self, "ids", tuple(map(str, range(1, ranks.shape[0] + 1))))
        voters = tuple(None if v is None or not nfc(str(v)) else nfc(str(v))
                       for v in self.voters)
        if voters and len(voters) != ranks.shape[0]:
            raise InputError("số đơn vị bầu khác số phiếu",
                             f"voters must give one unit per ballot row ({ranks.shape[0]})",
                             value=len(voters))
        object.__setattr__(self, "voters", voters if any(v is not None for v in voters) else ())

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_orders(
        cls,
        orders: Sequence[Sequence[int]] | np.ndarray,
        *,
        units: Sequence[str] | None = None,
        counts: Sequence[int] | np.ndarray | None = None,
    ) -> Ballots:
        """Ballots from unit indices listed best → worst (one row per ballot).

        Rows may be shorter than the number of units (truncated ballots: the rest unranked).
        A rectangular integer array may pad truncated rows with -1.

        >>> Ballots.from_orders([[2, 0], [1, 2, 0]], units=["A", "B", "C"]).ranks.tolist()
        [[2, 0, 1], [3, 1, 2]]
        """
        rows = [np.asarray(r, dtype=np.int64) for r in orders] if not isinstance(
            orders, np.ndarray) else None
        if isinstance(orders, np.ndarray):
            arr = np.asarray(orders, dtype=np.int64)
            if arr.ndim != 2:
                raise InputError("orders phải là mảng 2 chiều", "orders must be a 2-D array",
                                 value=arr.shape)
            n = int(arr.max()) + 1 if units is None else len(units)
            m = arr.shape[0]
            ranks = np.zeros((m, n), dtype=np.int32)
            valid = arr >= 0
            if (arr >= n).any():
                raise InputError("chỉ số đơn vị vượt quá số đơn vị",
                                 f"unit index out of range 0..{n - 1}", value=int(arr.max()))
            positions = np.arange(1, arr.shape[1] + 1, dtype=np.int32)
            row_idx = np.arange(m)[:, None]
            if valid.all():  # no padding: one scatter, no boolean-mask copies
                ranks[row_idx, arr] = positions
                listed = np.full(m, arr.shape[1])
            else:
                cells = np.broadcast_to(row_idx, arr.shape)[valid]
                ranks[cells, arr[valid]] = np.broadcast_to(positions, arr.shape)[valid]
                listed = valid.sum(axis=1)
            if (np.count_nonzero(ranks, axis=1) != listed).any():
                raise InputError("một đơn vị xuất hiện hai lần trong một phiếu",
                                 "a unit appears twice in one ballot")
        else:
            assert rows is not None
            n = (max((int(r.max()) for r in rows if r.size), default=-1) + 1
                 if units is None else len(units))
            ranks = np.zeros((len(rows), n), dtype=np.int32)
            for i, row in enumerate(rows):
                if row.size and (row.min() < 0 or row.max() >= n):
                    raise InputError("chỉ số đơn vị ngoài phạm vi",
                                     f"unit index out of range 0..{n - 1}", row=i + 1,
                                     value=row.tolist())
                if len(set(row.tolist())) != row.size:
                    raise InputError("một đơn vị xuất hiện hai lần trong một phiếu",
                                     "a unit appears twice in one ballot", row=i + 1,
                                     value=row.tolist())
                ranks[i, row] = np.arange(1, row.size + 1)
        names = tuple(units) if units is not None else tuple(str(i) for i in range(n))
        weights = np.ones(ranks.shape[0], np.int64) if counts is None else np.asarray(counts)
        return cls(units=tuple(nfc(u) for u in names), ranks=ranks, counts=weights)

    @classmethod
    def from_ranks(
        cls,
        ranks: Sequence[Sequence[int]] | np.ndarray,
        *,
        units: Sequence[str],
        kind: BallotKind = "ranked",
        counts: Sequence[int] | np.ndarray | None = None,
        max_choices: int | None = None,
    ) -> Ballots:
        """Ballots from a rank matrix (see the module docstring for the encoding).

        >>> Ballots.from_ranks([[1, 0, 1]], units=["A", "B", "C"], kind="approval").kind
        'approval'
        """
        arr = np.asarray(ranks, dtype=np.int64)
        if arr.ndim != 2 or arr.shape[1] != len(units):
            raise InputError("ma trận phiếu sai kích thước",
                             f"ranks must have one column per unit ({len(units)})",
                             value=arr.shape)
        top = 1 if kind != "ranked" else len(units)
        if arr.size and (arr.min() < 0 or arr.max() > top):
            raise InputError("giá trị phiếu ngoài phạm vi",
                             f"{kind} ballot values must be between 0 and {top}",
                             value=(int(arr.min()), int(arr.max())))
        weights = np.ones(arr.shape[0], np.int64) if counts is None else np.asarray(counts)
        return cls(units=tuple(nfc(u) for u in units), ranks=arr, counts=weights, kind=kind,
                   max_choices=max_choices)

    @classmethod
    def from_cells(
        cls,
        cells: Sequence[Sequence[Any]],
        *,
        units: Sequence[str],
        rules: BallotRules,
        ids: Sequence[str] | None = None,
        voters: Sequence[str | None] | None = None,
        marked_invalid: Sequence[str | None] | None = None,
        counts: Sequence[int] | None = None,
        source: str | None = None,
    ) -> Ballots:
        """Check raw ballot cells (as typed on paper or in a spreadsheet) against *rules*.

        Every row becomes either a valid ballot or an :class:`InvalidBallot` with a reason;
        nothing is silently dropped or repaired.

        Parameters
        ----------
        cells
            One row per ballot, one cell per unit (official order). Ranked: ``1..n`` or blank.
            Approval / choose: ``1``, ``x``, ``đồng ý`` … for a mark; ``0``, blank, ``không``
            for none.
        voters
            The voter's unit per ballot (``None`` when secret): needed for the self-vote policy,
            and kept (canonical names) in :attr:`voters` for the valid ballots.
        marked_invalid
            A reason per ballot when the counting committee already declared it invalid
            (e.g. "không có dấu" — no stamp); ``None`` or blank otherwise.
        """
        unit_names = tuple(nfc(u) for u in units)
        index = UnitIndex(unit_names)
        n = len(unit_names)
        m = len(cells)
        row_ids = [str(i) for i in ids] if ids is not None else [str(i + 1) for i in range(m)]
        if len(set(row_ids)) != len(row_ids):
            dup = next(i for i in row_ids if row_ids.count(i) > 1)
            raise InputError("mã phiếu bị trùng", "duplicate ballot id", value=dup, file=source)
        weights = list(counts) if counts is not None else [1] * m
        good_rows: list[np.ndarray] = []
        good_ids: list[str] = []
        good_counts: list[int] = []
        good_voters: list[str | None] = []
        bad: list[InvalidBallot] = []
        for i, row in enumerate(cells):
            if len(row) != n:
                raise InputError("số ô trong phiếu khác số đơn vị",
                                 f"ballot has {len(row)} cells for {n} units", file=source,
                                 row=i + 2)
            declared = marked_invalid[i] if marked_invalid is not None else None
            if declared is not None and nfc(str(declared)):
                reason = nfc(str(declared))
                bad.append(_bad(row_ids[i], reason, reason, weights[i]))
                continue
            voter = voters[i] if voters is not None else None
            own = index.position(voter) if voter else None
            parsed = _check_row(row, unit_names, rules, own)
            if isinstance(parsed, InvalidBallot):
                bad.append(_bad(row_ids[i], parsed.reason_vi, parsed.reason_en, weights[i]))
            else:
                good_rows.append(parsed)
                good_ids.append(row_ids[i])
                good_counts.append(weights[i])
                good_voters.append(unit_names[own] if own is not None else None)
        ranks = np.vstack(good_rows) if good_rows else np.zeros((0, n), np.int32)
        return cls(units=unit_names, ranks=ranks, counts=np.asarray(good_counts, np.int64),
                   kind=rules.kind, ids=tuple(good_ids), invalid=tuple(bad),
                   max_choices=rules.max_choices, source=source,
                   voters=tuple(good_voters) if voters is not None else ())

    @classmethod
    def from_long(
        cls,
        table: pl.DataFrame,
        *,
        units: Sequence[str] | None = None,
        kind: BallotKind = "ranked",
    ) -> Ballots:
        """Ballots from a long table with columns ``ballot, unit, rank`` (optional ``count``).

        A unit missing from a ballot is unranked. Units are matched by name.

        >>> import polars as pl
        >>> t = pl.DataFrame({"ballot": ["b1", "b1", "b2"], "unit": ["A", "B", "B"],
        ...                   "rank": [1, 2, 1]})
        >>> Ballots.from_long(t, units=["A", "B"]).ranks.tolist()
        [[1, 2], [0, 1]]
        """
        import polars as pl

        missing = {"ballot", "unit", "rank"} - set(table.columns)
        if missing:
            raise InputError("bảng phiếu thiếu cột", f"long ballots need columns {sorted(missing)}")
        names = tuple(units) if units is not None else tuple(
            table.get_column("unit").unique(maintain_order=True).to_list())
        index = UnitIndex(names)
        ballot_ids = table.get_column("ballot").cast(pl.String).unique(maintain_order=True)
        row_of = {b: i for i, b in enumerate(ballot_ids.to_list())}
        ranks = np.zeros((len(row_of), len(names)), np.int32)
        counts = np.ones(len(row_of), np.int64)
        has_count = "count" in table.columns
        for rec in table.iter_rows(named=True):
            i = row_of[str(rec["ballot"])]
            ranks[i, index.position(rec["unit"])] = int(rec["rank"])
            if has_count:
                counts[i] = int(rec["count"])
        return cls(units=index.names, ranks=ranks, counts=counts, kind=kind,
                   ids=tuple(row_of))

    # ------------------------------------------------------------------ views
    @property
    def n_units(self) -> int:
        """Number of units (candidates)."""
        return len(self.units)

    @property
    def n_ballots(self) -> int:
        """Number of valid ballots (weights summed)."""
        return int(self.counts.sum())

    @property
    def n_invalid(self) -> int:
        """Number of invalid ballots."""
        return sum(b.count for b in self.invalid)

    def to_long(self) -> pl.DataFrame:
        """Long form ``ballot, unit, rank, count``; unranked units have no row."""
        import polars as pl

        rows, cols = np.nonzero(self.ranks)
        return pl.DataFrame({
            "ballot": [self.ids[i] for i in rows],
            "unit": [self.units[j] for j in cols],
            "rank": self.ranks[rows, cols].astype(np.int64),
            "count": self.counts[rows],
        })

    def subset(self, units: Sequence[str]) -> Ballots:
        """The same ballots restricted to *units* (e.g. for a run-off among tied units).

        Ranks keep their order; a ballot that ranked none of *units* keeps a blank row.
        """
        index = UnitIndex(self.units)
        cols = [index.position(u) for u in units]
        return Ballots(units=tuple(self.units[c] for c in cols), ranks=self.ranks[:, cols],
                       counts=self.counts, kind=self.kind, ids=self.ids, invalid=self.invalid,
                       max_choices=self.max_choices, source=self.source, voters=self.voters)

    @cached_property
    def order_keys(self) -> np.ndarray:
        """Ranks with unranked as ``n + 1`` so that smaller means better (int32, (m, n))."""
        keys = self.ranks.copy()
        keys[keys == 0] = self.n_units + 1
        if self.kind != "ranked":  # marked units first, unmarked after
            keys = np.where(self.ranks > 0, 1, 2).astype(np.int32)
        return keys

    def pairwise(self) -> np.ndarray:
        """Pairwise support: ``P[a, b]`` = ballots ranking *a* strictly above *b*.

        O(m·n²) vectorised; an approval ballot puts marked units above unmarked ones.
        """
        return self._pairwise

    @cached_property
    def _pairwise(self) -> np.ndarray:
        keys = np.ascontiguousarray(self.order_keys.T)  # (n, m): one row per unit
        n, m = keys.shape
        counts = self.counts
        out = np.zeros((n, n), dtype=np.int64)
        if m and int(counts.sum()) < _EXACT_FLOAT_SUM:
            # BLAS products of 0/1 rows with the weights: exact, since every partial sum is an
            # integer between 0 and the total weight (< 2**53); ~10× faster than an integer
            # matmul, which numpy does without BLAS. Chunks keep the 0/1 buffer small.
            weights = counts.astype(np.float64)
            above = np.empty((n, min(m, _PAIRWISE_CHUNK)), dtype=np.float64)
            total = np.zeros((n, n), dtype=np.float64)
            for start in range(0, m, _PAIRWISE_CHUNK):
                block = keys[:, start : start + _PAIRWISE_CHUNK]
                buf = above[:, : block.shape[1]]
                part = weights[start : start + _PAIRWISE_CHUNK]
                for a in range(n):
                    np.less(block[a], block, out=buf)
                    total[a] += buf @ part
            out = total.astype(np.int64)
        else:
            for a in range(n):
                out[a] = (keys[a] < keys) @ counts
        out.flags.writeable = False
        return out

    def margins(self) -> np.ndarray:
        """Pairwise margins ``P - P.T`` (antisymmetric)."""
        p = self.pairwise()
        return p - p.T

    def first_places(self) -> np.ndarray:
        """Ballots placing each unit first (joint firsts all count)."""
        keys = self.order_keys
        best = keys.min(axis=1, keepdims=True)
        has_any = (self.ranks > 0).any(axis=1, keepdims=True)
        return self.counts @ ((keys == best) & has_any)

    def __repr__(self) -> str:
        return (f"Ballots(kind={self.kind!r}, units={self.n_units}, valid={self.n_ballots}, "
                f"invalid={self.n_invalid})")


def _parse_rank(value: Any, n: int) -> int | None:
    """Rank in 1..n, 0 for blank, None when the cell is not a rank."""
    if value is None:
        return 0
    if isinstance(value, float):
        if np.isnan(value):
            return 0
        return int(value) if value.is_integer() and 1 <= value <= n else None
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value) if 1 <= value <= n else None
    text = nfc(str(value))
    if not text:
        return 0
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and 1 <= int(text) <= n else None


def _parse_mark(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return 0
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, float, np.integer)) and value in (0, 1):
        return int(value)
    key = fold(str(value))
    if key in _APPROVE:
        return 1
    if key in _REJECT:
        return 0
    return None


def _check_row(
    row: Sequence[Any], units: tuple[str, ...], rules: BallotRules, own: int | None
) -> np.ndarray | InvalidBallot:
    """Parse and check one ballot; return its rank row or the reason it is invalid."""
    n = len(units)
    values = np.zeros(n, np.int32)
    blank = True
    for j, cell in enumerate(row):
        parsed = _parse_rank(cell, n) if rules.kind == "ranked" else _parse_mark(cell)
        if parsed is None:
            expected_vi = f"thứ hạng từ 1 đến {n} hoặc để trống" if rules.kind == "ranked" \
                else "đánh dấu (1, x, đồng ý) hoặc để trống / 0 / không"
            expected_en = f"a rank from 1 to {n} or blank" if rules.kind == "ranked" \
                else "a mark (1, x, đồng ý) or blank / 0 / không"
            return _bad("", f"ô '{units[j]}' ghi '{cell}', cần {expected_vi}",
                        f"cell '{units[j]}' holds '{cell}', expected {expected_en}")
        if cell is not None and nfc(str(cell)) not in ("", "nan"):
            blank = False
        values[j] = parsed
    marked = int(np.count_nonzero(values))
    if blank or marked == 0:
        if rules.allow_blank:
            return values
        return _bad("", "phiếu trắng", "blank ballot") if blank else _bad(
            "", "phiếu không chọn đơn vị nào", "ballot marks no unit")
    if own is not None and values[own] and rules.self_vote != "allow":
        if rules.self_vote == "forbid":
            return _bad("", f"phiếu tự bầu cho đơn vị mình ('{units[own]}')",
                        f"ballot votes for the voter's own unit ('{units[own]}')")
        values[own] = 0
        marked -= 1
    if rules.kind == "ranked":
        ranked = values[values > 0]
        if not rules.allow_ties and len(np.unique(ranked)) != ranked.size:
            return _bad("", "phiếu có hai đơn vị cùng thứ hạng", "ballot ranks two units equal")
        if not rules.allow_truncation and marked < n - (1 if own is not None and
                                                        rules.self_vote == "ignore" else 0):
            return _bad("", "phiếu không xếp hạng đủ các đơn vị", "ballot does not rank every unit")
        values = _normalise_ranks(values)
    if rules.max_choices is not None and marked > rules.max_choices:
        return _bad("", f"phiếu chọn {marked} đơn vị, quá số được chọn ({rules.max_choices})",
                    f"ballot marks {marked} units, more than allowed ({rules.max_choices})")
    if marked < rules.min_choices and not rules.allow_blank:
        return _bad("", f"phiếu chọn {marked} đơn vị, cần ít nhất {rules.min_choices}",
                    f"ballot marks {marked} units, at least {rules.min_choices} required")
    return values


def _normalise_ranks(values: np.ndarray) -> np.ndarray:
    """Competition ranks of the ranked cells (keeps order and ties; 0 stays unranked).

    >>> _normalise_ranks(np.array([2, 0, 5, 2])).tolist()
    [1, 0, 3, 1]
    """
    out = np.zeros_like(values)
    ranked = values > 0
    if ranked.any():
        vals = values[ranked]
        out[ranked] = 1 + (vals[:, None] > vals[None, :]).sum(axis=1)
    return out
