"""Shared fixtures: build small meeting folders on disk from Python data."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(["" if c is None else c for c in row] for row in rows)


MeetingFactory = Callable[..., Path]


@pytest.fixture
def make_meeting(tmp_path: Path) -> MeetingFactory:
    """Write a meeting folder: ``make_meeting(toml_text, members=[(id, name, present)], ...)``.

    ``ballots`` maps a file name (relative to the folder) to ``(header_units, rows)``; rows are
    lists of cells; a leading ``ballot`` id column is added. ``scores`` is ``(criteria_rows,
    score_rows)`` with criteria rows ``(id, name, max, kind[, floor_pct])`` and score rows
    ``(unit, source, scorer, *points)``.
    """
    counter = {"n": 0}

    def factory(toml: str, *, members: Sequence[tuple[str, str, int]],
                ballots: dict[str, tuple[Sequence[str], Sequence[Sequence[Any]]]] | None = None,
                scores: tuple[Sequence[Sequence[Any]], Sequence[Sequence[Any]]] | None = None,
                ) -> Path:
        counter["n"] += 1
        folder = tmp_path / f"meeting{counter['n']}"
        folder.mkdir()
        (folder / "meeting.toml").write_text(toml, encoding="utf-8")
        _write_csv(folder / "members.csv", ["mã", "tên đơn vị", "có mặt"], members)
        for name, (units, rows) in (ballots or {}).items():
            _write_csv(folder / name, ["phiếu", *units],
                       [[i + 1, *row] for i, row in enumerate(rows)])
        if scores is not None:
            criteria, score_rows = scores
            _write_csv(folder / "criteria.csv", ["mã", "nội dung", "điểm tối đa", "loại",
                                                 "mức sàn (%)"],
                       [list(c) + [None] * (5 - len(c)) for c in criteria])
            _write_csv(folder / "scores.csv", ["đơn vị", "nguồn", "đơn vị chấm",
                                               *[c[0] for c in criteria]], score_rows)
        return folder

    return factory
