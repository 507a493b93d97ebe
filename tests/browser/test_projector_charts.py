"""The projector's chart pages in Debian's Chromium: the outcome chart, the head election (instant
runoff, one panel per count), the deputies election (threshold line) and the revealed ranking
round of the Ninh Bình sample, Phú Thọ's two-panel outcome and two-count runoff, and the
outcome chart in English, at 1920×1080, 1280×720 and 1024×768.

Measured in the page: the chart's effective label size, the smallest text size in its spec
times the displayed width over the chart's natural width, is at least 24 px at 1920×1080 (a
chart drawn at projector size shown at its natural size, never shrunk); at every size the image
lies wholly inside the viewport and nothing scrolls. Screenshots and figures go to
test-artifacts/projector/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chart_specs import font_sizes
from projector_hall_driver import Hall

from thidua_rank.charts import election_chart, outcome_chart, result_chart
from thidua_rank.meeting.elections import elections
from thidua_rank.resources import data_folder
from thidua_rank.ui.projector_screens import round_election

TIMEOUT = 60_000
SIZES = ((1920, 1080), (1280, 720), (1024, 768))
LEAST_LABEL = 24.0

MEASURE = """() => {
  const img = document.querySelector('.tr-chart img');
  const box = img.getBoundingClientRect();
  const doc = document.scrollingElement;
  return {left: box.left, top: box.top, right: box.right, bottom: box.bottom,
          width: box.width, height: box.height, naturalWidth: img.naturalWidth,
          naturalHeight: img.naturalHeight, scale: Number(img.dataset.scale),
          vw: innerWidth, vh: innerHeight, scrollX: doc.scrollWidth - innerWidth,
          scrollY: doc.scrollHeight - innerHeight, src: img.src.length,
          pager: (document.querySelector('.tr-pager') || {}).textContent || ''};
}"""


def wait_chart(page: Any, pager: str) -> None:
    """Wait until the chart page is up (its pager text) and its image decoded."""
    page.wait_for_function(
        "p => { const i = document.querySelector('.tr-chart img'); return i && i.complete && "
        "i.naturalWidth > 0 && (document.querySelector('.tr-pager') || {}).textContent"
        ".includes(p); }", arg=pager, timeout=TIMEOUT)
    page.wait_for_timeout(300)


def check(m: dict[str, Any], least_spec_font: float, width: int) -> list[str]:
    """The rules a chart page breaks (empty when it keeps them all)."""
    natural = m["naturalWidth"] / m["scale"]  # the chart's own pixels (its spec's sizes)
    m["effective_label"] = least_spec_font * m["width"] / natural
    m["shown_over_natural"] = m["width"] / natural
    broken = []
    if m["left"] < -0.5 or m["top"] < -0.5 or m["right"] > m["vw"] + 0.5 \
            or m["bottom"] > m["vh"] + 0.5:
        broken.append("image outside the viewport")
    if m["scrollX"] > 0 or m["scrollY"] > 0:
        broken.append("page scrolls")
    if abs(m["width"] / m["height"] - m["naturalWidth"] / m["naturalHeight"]) > 0.01:
        broken.append("image distorted")
    if width == 1920 and m["effective_label"] < LEAST_LABEL - 0.01:
        broken.append(f"labels {m['effective_label']:.1f} px < {LEAST_LABEL} px")
    return broken


class Wall:
    """The projector page open at every size, its chart pages measured and screenshotted."""

    def __init__(self, browser: Any, server: Any, artifacts: Path, first: str) -> None:
        self.out = artifacts.parent / "projector"
        self.out.mkdir(parents=True, exist_ok=True)
        self.pages = []
        for width, height in SIZES:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.goto(server.base + "projector.ipynb", timeout=TIMEOUT)
            page.wait_for_selector(first, timeout=TIMEOUT)
            self.pages.append((width, height, page))
        self.figures: dict[str, Any] = {}
        self.broken: dict[str, list[str]] = {}

    def measure(self, name: str, first: str, pager: str, spec: dict[str, Any]) -> None:
        """Wait on every page for the screen (*first*) and its chart page (*pager*), then
        measure the chart against the least text size of its *spec*."""
        least = min(font_sizes(spec))
        for width, height, page in self.pages:
            page.wait_for_selector(first, timeout=TIMEOUT)  # the new screen is up
            wait_chart(page, pager)
            m = page.evaluate(MEASURE)
            rules = check(m, least, width)
            m["least_spec_font"] = least
            self.figures[f"{name}-{width}x{height}"] = m
            if rules:
                self.broken[f"{name}-{width}x{height}"] = rules
            page.screenshot(path=str(self.out / f"chart-{name}-{width}x{height}.png"))

    def close(self, figures_file: str) -> None:
        """Write the figures, close the pages, and fail on any rule broken."""
        (self.out / figures_file).write_text(json.dumps(self.figures, indent=1),
                                             encoding="utf-8")
        for _, _, page in self.pages:
            page.context.close()
        assert not self.broken, json.dumps(
            {k: (v, self.figures[k]) for k, v in self.broken.items()}, indent=1)


def test_chart_pages_at_hall_sizes(browser, make_server, artifacts, tmp_path: Path) -> None:
    hall = Hall(tmp_path)
    server = make_server(hall.folder, pool=2)
    hall.unlock()
    wall = Wall(browser, server, artifacts, ".tr-welcome")
    measure = wall.measure

    # the ranking round revealed to the top: podium, two pages of places, then its chart
    hall.to("reveal")
    hall.box.advance_reveal("xep-hang", 99, actor=hall.chair)
    result = hall.live.view("xep-hang").result
    assert result is not None
    plain = result_chart(result, medium="projector").to_dict()
    measure("reveal", ".tr-podium", "Trang 4/4", plain)
    # the head: instant runoff, a panel per count
    hall.to("election")
    head = round_election(hall.live, "truong-khoi")
    assert head is not None and head.is_instant_runoff and head.counts
    measure("election-head", ".tr-election-table", "Trang 3/3",
            election_chart(head, medium="projector").to_dict())
    hall.to("outcome")
    outcome = hall.live.outcome()
    assert outcome is not None
    measure("outcome", ".tr-awards", "Trang 3/3",
            outcome_chart(outcome, medium="projector").to_dict())
    # the deputies: a threshold on the valid ballots
    deputies = next(e for e in elections(outcome) if e.round_id == "pho-truong-khoi")
    assert deputies.threshold is not None
    hall.box.set_focus("pho-truong-khoi", actor=hall.chair)
    measure("election-deputies", ".tr-election-table", "Trang 2/2",
            election_chart(deputies, medium="projector").to_dict())
    wall.close("chart-figures.json")
    figures = wall.figures
    # at 1920×1080 the projector-size charts are shown at their natural size
    for name in ("reveal", "outcome", "election-head", "election-deputies"):
        assert abs(figures[f"{name}-1920x1080"]["shown_over_natural"] - 1) < 0.01, name


def test_phu_tho_two_panels_and_two_counts(browser, make_server, artifacts,
                                           tmp_path: Path) -> None:
    """Phú Thọ 2020: the outcome in two panels (Borda points past the score gate, criteria
    points under it) and the head elected on the second instant-runoff count."""
    hall = Hall(tmp_path, data_folder("sample_data") / "phu-tho-van-hoa-xa-hoi-2020")
    hall.count_everything()
    outcome = hall.live.outcome()
    assert outcome is not None
    head = next(e for e in elections(outcome) if e.round_id == "truong-khoi")
    assert head.is_instant_runoff and len(head.counts) == 2
    spec = outcome_chart(outcome, medium="projector").to_dict()
    panels = next(spec[k] for k in ("concat", "hconcat", "vconcat") if k in spec)
    assert len(panels) == 2  # never two scales on one axis
    server = make_server(hall.folder, pool=2)
    hall.unlock()
    wall = Wall(browser, server, artifacts, ".tr-awards")
    wall.measure("phu-tho-outcome", ".tr-awards", "Trang 3/3", spec)
    hall.box.set_focus("truong-khoi", actor=hall.chair)
    wall.measure("phu-tho-head", ".tr-irv-table", "Trang 3/3",
                 election_chart(head, medium="projector").to_dict())
    wall.close("chart-figures-phu-tho.json")
    for name in ("phu-tho-outcome", "phu-tho-head"):
        assert abs(wall.figures[f"{name}-1920x1080"]["shown_over_natural"] - 1) < 0.01, name


def test_chart_page_in_english(browser, make_server, artifacts, tmp_path: Path) -> None:
    out = artifacts.parent / "projector"
    out.mkdir(parents=True, exist_ok=True)
    hall = Hall(tmp_path)
    hall.to("outcome")
    server = make_server(hall.folder, pool=1)
    hall.unlock()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(server.base + "projector.ipynb", timeout=TIMEOUT)
    wait_chart(page, "Trang 3/3")
    vi_src = page.get_attribute(".tr-chart img", "src")
    page.click(".tr-lang >> text=English")
    page.wait_for_selector(".tr-results:has-text('Proposed awards')", timeout=TIMEOUT)
    wait_chart(page, "Page 3/3")
    en_src = page.get_attribute(".tr-chart img", "src")
    assert en_src != vi_src  # drawn again, in English
    outcome = hall.live.outcome()
    assert outcome is not None
    m = page.evaluate(MEASURE)
    least = min(font_sizes(outcome_chart(outcome, lang="en", medium="projector").to_dict()))
    rules = check(m, least, 1920)
    page.screenshot(path=str(out / "chart-outcome-en-1920x1080.png"))
    context.close()
    assert not rules, (rules, m)
