"""The projector as a hall display, in Debian's Chromium at 1920×1080, 1280×720 and 1024×768:
every screen (welcome, two rounds open side by side, a round closed, a reveal with a joint
place, the podium, an election and its instant-runoff counts, the outcome over three pages)
measured in the page itself — smallest
font of visible text (28 px at 1920 wide, scaled with the width), text line boxes pairwise
apart, nothing wider than its box, no scrolling, content across ≥ 90 % of the width, contrast
≥ 7:1 — and screenshotted to test-artifacts/screenshots/hall-<screen>-<size>.png."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from projector_hall_driver import Hall

TIMEOUT = 60_000
SIZES = ((1920, 1080), (1280, 720), (1024, 768))

MEASURE = """() => {
  const parse = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const vw = innerWidth, vh = innerHeight;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const lines = [];
  let minFont = Infinity, minFontText = '', minContrast = Infinity, minContrastText = '';
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || el.closest('style,script,noscript,title')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rects = [...range.getClientRects()].filter(r => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    const size = parseFloat(cs.fontSize);
    if (size < minFont) { minFont = size; minFontText = text.slice(0, 40); }
    const fg = lum(parse(cs.color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < minContrast) { minContrast = ratio; minContrastText = text.slice(0, 40); }
    for (const r of rects) lines.push({t: text.slice(0, 30), l: r.left, r: r.right, top: r.top,
                                        b: r.bottom});
  }
  const overlaps = [];
  for (let i = 0; i < lines.length; i++) for (let j = i + 1; j < lines.length; j++) {
    const a = lines[i], c = lines[j];
    const w = Math.min(a.r, c.r) - Math.max(a.l, c.l);
    const h = Math.min(a.b, c.b) - Math.max(a.top, c.top);
    if (w > 1 && h > 1) overlaps.push([a.t, c.t, Math.round(w), Math.round(h)]);
  }
  const overflow = [...document.querySelectorAll('.tr-projector *')]
    .filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
    .map(e => `${e.className.toString().slice(0, 60) || e.tagName} `
              + `${e.scrollWidth}>${e.clientWidth}`);
  const root = document.querySelector('.tr-projector').getBoundingClientRect();
  const results = document.querySelector('.tr-results').getBoundingClientRect();
  const doc = document.scrollingElement;
  return {minFont, minFontText, minContrast, minContrastText, overlaps: overlaps.slice(0, 5),
          overflow: overflow.slice(0, 5), lines: lines.length,
          scrollX: doc.scrollWidth - vw, scrollY: doc.scrollHeight - vh,
          rootWidth: root.width / vw, resultsWidth: results.width / vw,
          bottom: Math.max(...lines.map(l => l.b)) / vh};
}"""


def measure(page: Any, width: int) -> dict[str, Any]:
    """Measure the screen shown; ``broken`` lists the wall's rules it breaks."""
    m = page.evaluate(MEASURE)
    least = 28 * width / 1920
    m["broken"] = [rule for rule, ok in (
        ("font", m["minFont"] >= least - 0.5), ("overlap", not m["overlaps"]),
        ("overflow", not m["overflow"]), ("scroll", m["scrollX"] <= 0 and m["scrollY"] <= 0),
        ("width", m["rootWidth"] >= 0.9 and m["resultsWidth"] >= 0.9),
        ("contrast", m["minContrast"] >= 7), ("text", m["lines"] > 3)) if not ok]
    return m


def test_every_screen_at_every_size(browser, make_server, artifacts, tmp_path: Path) -> None:
    hall = Hall(tmp_path)
    server = make_server(hall.folder, pool=2)
    hall.unlock()
    pages = []
    for width, height in SIZES:
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.goto(server.base + "projector.ipynb", timeout=TIMEOUT)
        pages.append((width, height, page))
    figures: dict[str, Any] = {}

    def each(screen: str, selector: str, pager: str = "") -> None:
        for width, height, page in pages:
            page.wait_for_function(
                "([s, p]) => document.querySelector(s) && (!p || "
                "(document.querySelector('.tr-pager') || {}).textContent.includes(p))",
                arg=[selector, pager], timeout=TIMEOUT)
            page.wait_for_timeout(300)  # let the fonts settle after the widget update
            figures[f"{screen}-{width}x{height}"] = measure(page, width)
            page.screenshot(path=str(artifacts / f"hall-{screen}-{width}x{height}.png"))

    each("welcome", ".tr-welcome")
    hall.to("turnout")
    each("turnout", ".tr-cards-2 .tr-card[data-round='truong-khoi']")
    hall.to("closed")
    each("closed", ".tr-tiles")
    hall.to("reveal")
    each("reveal-partial", ".tr-place-row")
    for _, _, page in pages:
        assert page.inner_text(".tr-results").count("Đồng hạng ba") == 2
        assert "Ban Bảo vệ" not in page.inner_text(".tr-results")
    hall.box.advance_reveal("xep-hang", 99, actor=hall.chair)  # the whole ranking: podium
    each("reveal-podium", ".tr-podium")
    for _, _, page in pages:
        assert page.inner_text(".tr-podium").count("Đồng hạng ba") == 2
    hall.to("election")
    each("election", ".tr-election-table")
    for _, _, page in pages:
        text = page.inner_text(".tr-results")
        assert "Trúng cử" in text and "Không trúng cử" in text and "Bục vinh danh" not in text
    each("election-irv", ".tr-irv-table")
    hall.to("outcome")
    each("outcome-1", ".tr-awards", "Trang 1/3")
    each("outcome-2", ".tr-leadership", "Trang 2/3")
    each("outcome-3", ".tr-chart img", "Trang 3/3")
    (artifacts / "hall-figures.json").write_text(json.dumps(figures, indent=1),
                                                 encoding="utf-8")
    for _, _, page in pages:
        page.context.close()
    broken = {k: (m["broken"], m) for k, m in figures.items() if m["broken"]}
    assert not broken, json.dumps(broken, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("width", [1920])
def test_english_toggle_keeps_working(browser, make_server, artifacts, tmp_path: Path,
                                      width: int) -> None:
    hall = Hall(tmp_path)
    hall.to("election")
    server = make_server(hall.folder, pool=1)
    hall.unlock()
    context = browser.new_context(viewport={"width": width, "height": 1080})
    page = context.new_page()
    page.goto(server.base + "projector.ipynb", timeout=TIMEOUT)
    page.wait_for_selector(".tr-election-table", timeout=TIMEOUT)
    page.click(".tr-lang >> text=English")
    page.wait_for_selector(".tr-election-table:has-text('Not elected')", timeout=TIMEOUT)
    m = measure(page, width)
    assert not m["broken"], m
    page.screenshot(path=str(artifacts / f"hall-election-en-{width}x1080.png"))
    context.close()
