"""The projector page without a browser: which screen each moment of the meeting shows, what
it says, and how long lists turn pages on the poll timer."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import pytest
from chart_specs import font_sizes
from projector_hall_driver import Hall

from thidua_rank.charts import chart_png
from thidua_rank.errors import ThiduaRankError
from thidua_rank.ui import projector
from thidua_rank.ui.projector import PAGE_SECONDS, ProjectorPage, render_steps
from thidua_rank.ui.projector_screens import choose_screen, paginate, round_election


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def hall(tmp_path: Path) -> Hall:
    return Hall(tmp_path)


def page_text(page: ProjectorPage) -> str:
    return plain(page.turnout.value + " " + page.main.value)


def test_paginate_cuts_and_refuses_zero() -> None:
    assert paginate(list(range(17)), 8) == [list(range(8)), list(range(8, 16)), [16]]
    assert paginate([], 3) == [[]]
    with pytest.raises(ThiduaRankError, match=r"size.*at least 1, got 0"):
        paginate([1], 0)


def test_welcome_lists_the_agenda(hall: Hall) -> None:
    page = ProjectorPage(hall.live)
    assert page.choice is not None and page.choice.kind == "welcome"
    text = page_text(page)
    assert "Chào mừng các đại biểu" in text
    for spec, _ in hall.box.rounds():
        assert spec.title in text
    assert page.chart.value == "" and page.pager.value == ""


def test_turnout_of_every_open_round_side_by_side(hall: Hall) -> None:
    hall.to("turnout")
    assert choose_screen(hall.live).rounds == ("xep-hang", "truong-khoi")
    page = ProjectorPage(hall.live)
    cards = re.findall(r"class='tr-turnout-count'>([^<]*)<", page.main.value)
    assert cards == ["7 / 10", "4 / 10"]
    assert "width:70.0%" in page.main.value and "width:40.0%" in page.main.value
    assert "Trường Chính trị" not in page.main.value  # results hidden, candidates too


def test_closed_shows_counts_and_chain_head(hall: Hall) -> None:
    hall.to("closed")
    page = ProjectorPage(hall.live)
    assert page.choice is not None and page.choice.kind == "closed"
    tiles = re.findall(r"<b>(\d+)</b>([^<]+)<", page.main.value)
    assert tiles == [("10", "Phát ra"), ("9", "Thu về"), ("9", "Hợp lệ"), ("0", "Không hợp lệ")]
    assert hall.live.event_head("closed", "xep-hang") in page.main.value
    assert "Chờ Chủ tọa công bố" in page_text(page)


def test_reveal_shows_a_joint_place_whole_and_nothing_above_it(hall: Hall) -> None:
    hall.to("reveal")
    page = ProjectorPage(hall.live)
    assert page.choice is not None and page.choice.kind == "reveal"
    text = page_text(page)
    assert text.count("Đồng hạng ba") == 2  # both joint thirds, together
    assert "Ban Bảo vệ" not in text and "Thứ nhì" not in text
    assert "tr-podium" not in page.main.value
    assert page.main.value.count("tr-place-row") == 8
    hall.box.advance_reveal("xep-hang", 99, actor=hall.chair)
    page.poll_once()
    assert page.screen is not None and len(page.screen.pages) == 4  # podium, 2×rows, chart
    assert "tr-podium" in page.main.value and page_text(page).count("Đồng hạng ba") == 2


def test_election_is_an_election_not_a_podium(hall: Hall) -> None:
    hall.to("election")
    page = ProjectorPage(hall.live)
    assert page.choice is not None and page.choice.kind == "election"
    assert hall.live.outcome() is None  # the deputies round is still to come
    election = round_election(hall.live, "truong-khoi")
    assert election is not None and election.elected == ("Trường Chính trị tỉnh",)
    text = page_text(page)
    assert "Trường Chính trị tỉnh 6 6/8 = 75,00% Trúng cử" in text
    assert "Ủy ban Kiểm tra Tỉnh ủy 1 1/8 = 12,50% Không trúng cử" in text
    assert "phiếu còn hiệu lực" in text and "trên 50%" in text
    assert "Bục vinh danh" not in text and "Điểm" not in text and "tr-podium" not in text
    assert page.screen is not None and len(page.screen.pages) == 3  # IRV counts, chart
    chart = page.screen.pages[2].chart
    assert chart is not None and page.screen.pages[2].html == ""
    spec = chart.make().to_dict()  # the report builder at projector size, one panel per count
    assert spec["title"]["text"] == ["Phiếu bầu đơn vị Trưởng khối năm 2023"]
    assert min(font_sizes(spec)) >= 24 and len(spec["vconcat"]) == len(election.counts)
    page.lang_toggle.value = "en"
    assert "Trường Chính trị tỉnh 6 6/8 = 75.00% Elected" in page_text(page)
    chart = page.screen.pages[2].chart
    assert chart is not None
    assert chart.make().to_dict()["title"]["text"][0].startswith("Election of the head unit")


def test_deputies_threshold_and_unfilled_seat(tmp_path: Path) -> None:
    hall = Hall(tmp_path)
    hall.to("election")
    # the deputies: only two of the ten ballots come in, both for one unit
    hall.box.set_state("pho-truong-khoi", "open", actor=hall.chair)
    spec = hall.box.spec("pho-truong-khoi")
    row = ["x" if u == spec.candidates[0] else "" for u in spec.candidates]
    for code in hall.codes[:2]:
        hall.box.cast("pho-truong-khoi", code, row)
    hall.box.set_state("pho-truong-khoi", "closed", actor=hall.chair, confirm=True)
    hall.box.set_state("pho-truong-khoi", "revealed", actor=hall.chair)
    hall.box.set_focus("pho-truong-khoi", actor=hall.chair)
    page = ProjectorPage(hall.live)
    text = page_text(page)
    assert "trên 50% số phiếu hợp lệ" in text
    assert f"{spec.candidates[0]} 2 2/2 = 100,00% Trúng cử" in text
    assert "Chưa bầu được 01 Phó Trưởng khối" in text
    assert page.screen is not None and len(page.screen.pages) == 2  # the table, the chart
    chart = page.screen.pages[1].chart
    assert chart is not None
    layers = chart.make().to_dict()["layer"]
    assert layers[2]["data"]["values"] == [{"value": 1.0}]  # the line: over 50% of 2 ballots


def test_outcome_pages_turn_on_the_poll_timer(hall: Hall, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    hall.to("outcome")
    clock = Clock()
    page = ProjectorPage(hall.live, clock=clock)
    assert page.choice is not None and page.choice.kind == "outcome"
    assert page.screen is not None and len(page.screen.pages) == 3  # awards ×2, chart
    assert plain(page.pager.value) == "Trang 1/3"
    assert "Cờ thi đua của Chính phủ" in page.main.value
    assert not page.tick()  # not yet
    assert page.poll_once() and page.page_index == 0  # the first look at the box: same page
    clock.now += PAGE_SECONDS
    assert not page.poll_once() and page.page_index == 1  # the timer turned the page
    assert plain(page.pager.value) == "Trang 2/3"
    text = page_text(page)
    assert "Bằng khen của UBND tỉnh" in text and "Trưởng khối năm 2023: Trường Chính trị tỉnh" \
        in text
    clock.now += PAGE_SECONDS
    page.tick()  # the chart was not prepared (no idle polls): rendered now, in one go
    assert page.chart.value.startswith("<img") and page.main.value.count("tr-award-row") == 0
    assert page.turnout.value == ""  # the chart's caption names it: no heading above it
    clock.now += PAGE_SECONDS
    page.tick()
    assert page.page_index == 0 and page.chart.value == ""
    drawn = []
    monkeypatch.setattr(projector, "render_steps",
                        lambda c: drawn.append(c) or render_steps(c))
    for _ in range(2):  # round again to the chart: rendered once already, kept
        clock.now += PAGE_SECONDS
        page.tick()
    assert page.chart.value.startswith("<img") and drawn == []
    page.lang_toggle.value = "en"  # a new screen key: back to the first page, in English
    assert "Proposed awards" in page_text(page) and plain(page.pager.value) == "Page 1/3"
    chart = page.screen.pages[2].chart
    assert chart is not None
    spec = chart.make().to_dict()
    assert spec["title"]["text"][0].startswith("Emulation ranking 2022")
    assert min(font_sizes(spec)) >= 24


def test_charts_render_in_steps_between_polls(hall: Hall, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    """The poll loop renders the next chart one short step per idle poll (spec, SVG, PNG), so
    the chart page is ready when it comes up and no poll waits for a whole chart."""
    hall.to("outcome")
    clock = Clock()
    page = ProjectorPage(hall.live, clock=clock)
    page.poll_once()  # the first look at the box
    assert page.screen is not None
    key = page.screen.pages[2].chart.key  # type: ignore[union-attr]
    steps = []
    for _ in range(4):
        start = time.perf_counter()
        page.poll_once()
        steps.append(time.perf_counter() - start)
        if isinstance(page._charts.get(key), str):
            break
    assert len(steps) == 3 and page.chart.value == ""  # three polls; still on the awards
    html = page._charts[key]
    assert isinstance(html, str) and "data-scale='2'" in html
    # the same PNG as rendering the chart in one go
    png = base64.b64decode(html.split("base64,")[1].rstrip("'>"))
    assert png == chart_png(page.screen.pages[2].chart.make())  # type: ignore[union-attr]
    assert not page.prepare_chart()  # nothing left to do
    monkeypatch.setattr(projector, "render_steps", lambda c: pytest.fail("rendered again"))
    for _ in range(2):
        clock.now += PAGE_SECONDS
        page.tick()
    assert page.page_index == 2 and page.chart.value == html
    print("render steps (s):", [round(x, 3) for x in steps])


def test_a_chart_that_fails_is_reported_once(hall: Hall, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    hall.to("outcome")
    page = ProjectorPage(hall.live, clock=Clock())
    page.poll_once()

    def broken(*_: object) -> None:
        raise ThiduaRankError("không vẽ được", "cannot draw")

    assert page.screen is not None
    chart = page.screen.pages[2].chart
    assert chart is not None
    monkeypatch.setattr(projector, "_outcome_chart", broken)
    page.poll_once()  # the first step fails: shown on the status line, the chart left empty
    assert "không vẽ được" in page.status.value and page._charts[chart.key] == ""
    page.status.value = ""
    for _ in range(3):
        page.poll_once()
    assert page.status.value == ""  # not tried again at every poll
    page.page_index = 2
    page._show_page()
    assert page.chart.value == "" and page.status.value == ""


def test_outcome_waits_for_missing_rounds(hall: Hall) -> None:
    hall.to("election")
    from thidua_rank.live.session import OUTCOME_FOCUS

    hall.box.set_focus(OUTCOME_FOCUS, actor=hall.chair)
    page = ProjectorPage(hall.live)
    assert page.choice is not None and page.choice.kind == "pending"
    assert "Chưa đủ: Phiếu bầu đơn vị Phó Trưởng khối năm 2023 (chọn 2)" in page_text(page)


def test_election_before_the_ranking_shows_votes_without_a_verdict(hall: Hall) -> None:
    hall.box.set_state("truong-khoi", "open", actor=hall.chair)
    hall.cast("truong-khoi", "truong-khoi.csv")
    hall.box.set_state("truong-khoi", "closed", actor=hall.chair, confirm=True)
    hall.box.set_state("truong-khoi", "revealed", actor=hall.chair)
    hall.box.set_focus("truong-khoi", actor=hall.chair)
    assert round_election(hall.live, "truong-khoi") is None  # the ranking is not revealed
    page = ProjectorPage(hall.live)
    assert page.choice is not None and page.choice.kind == "election"
    text = page_text(page)
    assert "Phiếu xếp thứ nhất" in text and "Trường Chính trị tỉnh 6 6/8 = 75,00%" in text
    assert "Trúng cử được xác định khi công bố vòng xếp hạng" in text
    assert "Không trúng cử" not in text and "Điểm" not in text and "Thứ nhất" not in text
