"""Shared fixtures: small meeting folders built from Python data; for the browser tests
(``tests/browser/``) Debian's Chromium driven by Playwright and a live ``thidua-rank serve``.

Chromium is never downloaded: the browser tests use ``/usr/bin/chromium`` (CI installs Debian's
package in ``.ci/run``). Outside CI a machine without it skips them; in CI a missing browser is
a failure. Screenshots go to ``test-artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import csv
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import thidua_rank as tr


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


sys.path.insert(0, str(Path(__file__).parent / "browser"))
from live_helpers import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, Server  # noqa: E402


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI") == "true":
            pytest.fail("Debian's chromium is missing: .ci/run installs it")
        pytest.skip("no /usr/bin/chromium on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def make_server(tmp_path: Path) -> Iterator[object]:
    servers: list[Server] = []

    def factory(meeting: Path, pool: int = 2) -> Server:
        server = Server(meeting, pool)
        servers.append(server)
        server.start()
        return server

    yield factory
    for server in servers:
        server.stop()


# -- the analysis tests: small in-memory meetings (no files) ------------------------------
def _vote_meeting(orders: Sequence[Sequence[int]], units: Sequence[str], *,
                 quotas: Sequence[int] = (1, 2), method: str = "borda",
                 chain: Sequence[str] = ("joint",), kind: str = "ranked",
                 ranks: Any = None) -> tr.Meeting:
    """A vote-ranked meeting with tiers of the given quotas (ids t1, t2 …)."""
    cfg = tr.parse_config({
        "meeting": {"id": "thu", "bloc": "Khối thi đua thử", "year_reviewed": 2024},
        "ranking": {"combine": "vote", "vote_round": "xep-hang", "method": method},
        "tiers": [{"id": f"t{i + 1}", "label": f"Hạng khen {i + 1}", "quota": q}
                  for i, q in enumerate(quotas)],
        "rounds": [{"id": "xep-hang", "title": "Xếp hạng", "decides": "ranking", "kind": kind,
                    "ballots": "xep-hang.csv", "issued": 10_000}],
        "tie_break": {"chain": list(chain), "seed": 7},
    })
    members = tuple(tr.Member(f"u{i}", u) for i, u in enumerate(units))
    ballots = (tr.Ballots.from_ranks(ranks, units=units, kind=kind) if ranks is not None
               else tr.Ballots.from_orders([list(o) for o in orders], units=units))
    return tr.Meeting(config=cfg, members=members, ballots={"xep-hang": ballots})


@pytest.fixture
def vote_meeting() -> Any:
    """Factory: ``vote_meeting(orders, units, quotas=(1, 2), method="borda", ...)``."""
    return _vote_meeting
