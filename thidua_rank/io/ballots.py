r"""Reading ballots: the wide CSV/XLSX form (one row per ballot) and PrefLib files.

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "b.csv"
>>> _ = path.write_text("phiếu,A,B,C\n1,1,2,3\n2,2,1,3\n3,1,3,2\n", encoding="utf-8")
>>> read_ballots(path).n_ballots
3
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from thidua_rank._typing import BallotKind
from thidua_rank.engine.ballots import BallotRules, Ballots, UnitIndex
from thidua_rank.engine.thresholds import parse_points
from thidua_rank.errors import InputError, ThiduaRankError
from thidua_rank.io.tables import (
    BALLOT_COLUMNS,
    TableRow,
    decode_text,
    raw_rows,
    read_table,
    split_ref,
)
from thidua_rank.text import fold, nfc

__all__ = ["read_ballots"]


def read_ballots(
    ref: str | Path,
    *,
    units: Sequence[str] | UnitIndex | None = None,
    rules: BallotRules | None = None,
    kind: BallotKind | None = None,
) -> Ballots:
    """Read ballots: CSV/XLSX wide form, or PrefLib ``.soc/.soi/.toc/.toi``.

    Wide form: one row per ballot; optional columns ``ballot`` (id), ``count``, ``voter``,
    ``invalid`` (reason the counting committee declared it invalid); one column per unit whose
    cell is the rank (1 = best; equal = tie; blank = unranked) or, for approval ballots,
    1/0, x/blank, đồng ý/không.

    Parameters
    ----------
    units
        The bloc's units (names or a :class:`UnitIndex` with aliases); columns are matched to
        them and reordered to the official order. Default: the file's own columns.
    rules
        Validity rules; default: permissive rules of *kind*.
    kind
        ``ranked``, ``approval`` or ``choose``; by default approval when no cell holds a rank
        above 1, else ranked.
    """
    path, _ = split_ref(ref)
    if path.suffix.lower() in (".soc", ".soi", ".toc", ".toi"):
        return _read_preflib(path, units)
    rows = list(read_table(ref, BALLOT_COLUMNS, allow_extra=True))
    header, _, label = raw_rows(ref)
    if not rows:
        raise InputError("tệp phiếu chỉ có dòng tiêu đề, chưa có phiếu nào",
                         "the ballots file has a header but no ballot rows", file=label, row=2)
    unit_headers = [h for h in header if fold(h) not in
                    {fold(a) for aliases in BALLOT_COLUMNS.values() for a in aliases} and h]
    if isinstance(units, UnitIndex):
        index = units
    elif units is not None:
        index = UnitIndex(units)
    else:
        index = UnitIndex(unit_headers)
    positions: dict[str, int] = {}
    for h in unit_headers:
        try:
            positions[h] = index.position(h)
        except ThiduaRankError as err:
            raise err.located(file=label, row=1, column=h) from None
    if len(set(positions.values())) != len(positions):
        raise InputError("hai cột cùng chỉ một đơn vị", "two columns name the same unit",
                         file=label, row=1)
    candidates = sorted(positions.values())
    names = [index.names[p] for p in candidates]
    col_of = {p: h for h, p in positions.items()}
    cells = [[r.extra.get(col_of[p]) for p in candidates] for r in rows]
    if rules is None:
        inferred = kind or _infer_kind(cells)
        rules = BallotRules(kind=inferred, min_choices=0 if inferred != "ranked" else 1)
    elif kind is not None and kind != rules.kind:
        raise InputError("loại phiếu mâu thuẫn", f"kind={kind!r} contradicts rules.kind="
                         f"{rules.kind!r}")
    counts = []
    for r in rows:
        raw = r.values.get("count")
        try:
            c = 1 if raw is None else int(parse_points(raw, decimals=0))
        except InputError as err:
            raise err.located(**r.where("count")) from None
        if c < 1:
            raise InputError("số lượng phải ≥ 1", "count must be at least 1", value=raw,
                             **r.where("count"))
        counts.append(c)
    ids = [str(r.values.get("ballot") or i + 1).removesuffix(".0") for i, r in enumerate(rows)]
    voters = [_voter(r, index, names, strict=units is not None) for r in rows] if any(
        r.values.get("voter") for r in rows) else None
    try:
        return Ballots.from_cells(
            cells, units=names, rules=rules, ids=ids, voters=voters,
            marked_invalid=[r.values.get("invalid") for r in rows], counts=counts, source=label)
    except ThiduaRankError as err:
        raise err.located(file=label) from None


def _voter(row: TableRow, index: UnitIndex, candidates: Sequence[str], *, strict: bool
           ) -> str | None:
    """The voter's unit as a candidate name, or ``None`` when it is not on the ballot.

    The voter is matched over the whole bloc (id, short name, alias), so a unit that is not a
    candidate of the round may still vote; it simply cannot vote for itself. With *strict*
    (the bloc's units are known) an unknown voter is an error.
    """
    raw = row.values.get("voter")
    if raw is None:
        return None
    try:
        name = index.name(str(raw))
    except ThiduaRankError as err:
        if strict:
            raise err.located(**row.where("voter")) from None
        return None
    return name if name in candidates else None


def _infer_kind(cells: Sequence[Sequence[Any]]) -> BallotKind:
    for row in cells:
        for c in row:
            if c is None:
                continue
            try:
                if parse_points(c) > 1:
                    return "ranked"
            except InputError:
                continue
    return "approval"


def _read_preflib(path: Path, units: Sequence[str] | UnitIndex | None) -> Ballots:
    """PrefLib 2022 format: ``# ALTERNATIVE NAME i: name`` headers, ``count: 1,{2,3},4`` rows."""
    names: dict[int, str] = {}
    orders: list[tuple[int, list[list[int]]]] = []
    text = decode_text(path.read_bytes(), path.name).splitlines()
    for number, line in enumerate(text, start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            body = line[1:].strip()
            if body.upper().startswith("ALTERNATIVE NAME"):
                key, _, value = body.partition(":")
                names[int(key.split()[-1])] = nfc(value)
            continue
        count_text, sep, ranking = line.partition(":")
        if not sep:
            raise InputError("dòng PrefLib không hợp lệ", "PrefLib line must be 'count: order'",
                             file=path.name, row=number, value=line)
        try:
            count = int(count_text)
            groups: list[list[int]] = []
            inside = False
            for token in ranking.replace(" ", "").split(","):
                if not token:
                    continue
                start, end = token.startswith("{"), token.endswith("}")
                value = int(token.strip("{}"))
                if start or not inside:
                    groups.append([value])
                else:
                    groups[-1].append(value)
                inside = (inside or start) and not end
        except ValueError:
            raise InputError("dòng PrefLib không hợp lệ", "PrefLib line must be 'count: order'",
                             file=path.name, row=number, value=line) from None
        orders.append((count, groups))
    n = max(names) if names else max((a for _, g in orders for grp in g for a in grp), default=0)
    labels = [names.get(i, str(i)) for i in range(1, n + 1)]
    if units is not None:
        index = units if isinstance(units, UnitIndex) else UnitIndex(units)
        labels = [index.name(x) for x in labels]
    ranks = []
    for _, groups in orders:
        row = [0] * n
        place = 1
        for grp in groups:
            for a in grp:
                row[a - 1] = place
            place += len(grp)
        ranks.append(row)
    return Ballots.from_ranks(ranks, units=labels, counts=[c for c, _ in orders])


