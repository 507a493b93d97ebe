"""The delegate's page on a phone (390 × 844, issue 13), in Debian's Chromium.

Every state a delegate sees is measured: each visible button at least 44 px tall, no label or
button whose text is cut (``scrollWidth > clientWidth``), no complaint before the first tap.
The ballot numbers places competition style (after two thirds the next is fifth) while the
ballot box stores the dense places it always has; with two rounds open the delegate chooses,
and the receipt stays on screen when a third round opens. Screenshots: ``phone-*.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from live_helpers import CLERK_PIN, PIN, sample_copy

from thidua_rank.live.ballot_box import BallotBox
from thidua_rank.live.setup import prepare

TIMEOUT = 60_000
PHONE = {"width": 390, "height": 844}

MEASURE = """() => {
  const root = document.querySelector('.tr-page');
  const visible = el => {
    const r = el.getBoundingClientRect();
    const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
  };
  const name = el => (el.innerText || el.value || el.className).trim().slice(0, 60);
  const short = [...root.querySelectorAll('button, input')].filter(visible)
    .filter(el => el.getBoundingClientRect().height < 44)
    .map(el => `${name(el)}: ${el.getBoundingClientRect().height.toFixed(1)} px`);
  const cut = [...root.querySelectorAll('button, label, .widget-html-content, .widget-label')]
    .filter(visible).filter(el => el.scrollWidth > el.clientWidth + 1)
    .map(el => `${name(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  return {short, cut, wide};
}"""


def check_layout(page: Any, state: str, *, tall: bool = True) -> None:
    """Every button tall enough (*tall*: a page used by touch), nothing cut, nothing wider
    than the screen."""
    found = page.evaluate(MEASURE)
    if tall:
        assert found["short"] == [], (state, found["short"])
    assert found["cut"] == [], (state, found["cut"])
    assert not found["wide"], state


def shot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"phone-{name}.png"), full_page=True)


def test_phone_ballot_ties_rounds_and_receipt(browser: Any, make_server: Any, artifacts: Path,
                                              tmp_path: Path) -> None:
    folder = sample_copy(tmp_path, all_present=True)
    ready = prepare(folder, pins={"chair": PIN, "clerk": CLERK_PIN})
    box = BallotBox(ready.live.box.path)
    chair = box.unlock("chair", PIN)
    for round_id in ("xep-hang", "truong-khoi"):
        box.set_state(round_id, "open", actor=chair)
    code = next(iter(ready.codes.values()))
    meeting = ready.live.meeting
    spec = box.spec("xep-hang")
    ids = [meeting.member(u).id for u in spec.candidates]
    server = make_server(folder, pool=1)

    page = browser.new_context(viewport=PHONE, device_scale_factor=2).new_page()
    page.goto(server.base + "delegate.ipynb", timeout=TIMEOUT)
    page.wait_for_selector(".tr-code-input input", timeout=TIMEOUT)
    check_layout(page, "code")
    shot(page, artifacts, "01-code")
    page.fill(".tr-code-input input", code)
    page.click(".tr-code-enter")

    # two rounds open: the delegate chooses
    page.wait_for_selector(".tr-round-choice-xep-hang", timeout=TIMEOUT)
    assert page.locator(".tr-round-choice").count() == 2
    assert "Phiếu bình xét, xếp hạng thi đua năm 2022" in page.inner_text(".tr-page")
    check_layout(page, "choose")
    shot(page, artifacts, "02-choose-round")
    page.click(".tr-round-choice-xep-hang")
    page.wait_for_selector(f".tr-unit-{ids[0]}", timeout=TIMEOUT)
    assert page.inner_text(".tr-problem").strip() == ""  # nothing touched, nothing wrong
    assert page.locator(".tr-tie").count() == 0  # nothing to tie with yet
    check_layout(page, "ballot")
    shot(page, artifacts, "03-ballot")

    # 1, 2, then two thirds; the next tap is fifth
    page.click(f".tr-unit-{ids[4]}")
    page.click(f".tr-unit-{ids[1]}")
    page.click(f".tr-unit-{ids[7]}")
    page.wait_for_selector(f".tr-unit-{ids[7]}:has-text('3.')", timeout=TIMEOUT)
    page.wait_for_selector(f".tr-tie:has-text('Đồng hạng với {spec.candidates[7]}')",
                           timeout=TIMEOUT)
    # the tie sits right under the unit it joins
    below = page.evaluate(f"""() => {{
        const unit = document.querySelector('.tr-unit-{ids[7]}').getBoundingClientRect();
        const tie = document.querySelector('.tr-tie').getBoundingClientRect();
        return tie.top - unit.bottom; }}""")
    assert 0 <= below < 20, below
    check_layout(page, "tie offered")
    page.click(".tr-tie")
    page.wait_for_selector(".tr-tie:has-text('chạm lại vào đây để hủy')", timeout=TIMEOUT)
    page.click(f".tr-unit-{ids[2]}")
    page.wait_for_selector(f".tr-unit-{ids[2]}:has-text('3.')", timeout=TIMEOUT)
    page.click(f".tr-unit-{ids[0]}")
    page.wait_for_selector(f".tr-unit-{ids[0]}:has-text('5.')", timeout=TIMEOUT)
    assert page.locator(".tr-unit-btn:has-text('4.')").count() == 0
    assert page.inner_text(".tr-problem").strip() == ""
    check_layout(page, "ranked")
    shot(page, artifacts, "04-tie-then-fifth")

    page.click(".tr-submit")
    page.wait_for_selector(".tr-ballot-paper", timeout=TIMEOUT)
    paper = page.inner_text(".tr-ballot-paper")
    assert "PHIẾU BẦU" in paper and paper.count("3 (đồng hạng)") == 2
    assert "5" in page.inner_text(".tr-ballot-paper tr:nth-child(2)")
    check_layout(page, "confirm")
    shot(page, artifacts, "05-confirm")
    page.click(".tr-confirm")
    page.wait_for_selector(".tr-receipt-code", timeout=TIMEOUT)
    receipt = page.inner_text(".tr-receipt")
    assert "biên bản" in receipt.lower() and "thidua-rank" not in receipt
    check_layout(page, "receipt")

    # what the ballot box stored: the dense places it always has
    (stored,) = BallotBox(ready.live.box.path).ballots("xep-hang")
    expected: list[int | None] = [None] * len(ids)
    expected[4], expected[1], expected[7], expected[2], expected[0] = 1, 2, 3, 3, 4
    assert list(stored.cells) == expected

    # another round opens while the receipt is on screen: the receipt stays
    chair = box.unlock("chair", PIN)  # serving started new sessions
    box.set_state("pho-truong-khoi", "open", actor=chair)
    page.wait_for_timeout(1500)  # several poll periods (0.2 s) in which the page could jump
    assert page.locator(".tr-receipt-code").count() == 1
    assert page.locator(".tr-unit-btn").count() == 0
    shot(page, artifacts, "06-receipt-stays")
    page.click(".tr-receipt-next")
    page.wait_for_selector(".tr-round-choice-pho-truong-khoi", timeout=TIMEOUT)
    assert page.locator(".tr-round-choice-xep-hang").count() == 0  # voted already
    assert page.locator(".tr-round-choice").count() == 2
    check_layout(page, "choose after receipt")
    shot(page, artifacts, "07-next-rounds")

    # English: the same page, the same checks
    page.click(".tr-lang >> text=English")
    page.wait_for_selector("text=Choose the round to vote in", timeout=TIMEOUT)
    page.click(".tr-round-choice-pho-truong-khoi")
    page.wait_for_selector(".tr-unit-btn", timeout=TIMEOUT)
    assert page.inner_text(".tr-problem").strip() == ""
    check_layout(page, "choose ballot (English)")
    shot(page, artifacts, "08-choose-ballot-en")


def test_chair_and_clerk_say_states_in_words_and_cut_nothing(browser: Any, make_server: Any,
                                                             artifacts: Path,
                                                             tmp_path: Path) -> None:
    folder = sample_copy(tmp_path, all_present=True)
    prepare(folder, pins={"chair": PIN, "clerk": CLERK_PIN})
    server = make_server(folder, pool=1)
    chair = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    chair.goto(server.base + "chair.ipynb", timeout=TIMEOUT)
    chair.wait_for_selector(".tr-pin-input input", timeout=TIMEOUT)
    chair.fill(".tr-pin-input input", PIN)
    chair.click(".tr-pin-enter")
    chair.wait_for_selector(".tr-round-state", timeout=TIMEOUT)
    assert chair.locator(".tr-round-state:has-text('Chưa mở')").count() == 3
    chair.click(".tr-open-xep-hang")
    chair.wait_for_selector(".tr-round-state[data-state='open']:has-text('Đang mở')",
                            timeout=TIMEOUT)
    status = chair.inner_text(".tr-status")
    assert "Phiếu bình xét, xếp hạng thi đua năm 2022" in status and "Đang mở" in status
    assert "xep-hang" not in chair.inner_text(".tr-page")  # titles, never ids
    check_layout(chair, "chair")
    shot(chair, artifacts, "chair-1024")

    clerk = browser.new_context(viewport={"width": 1024, "height": 768}).new_page()
    clerk.goto(server.base + "clerk.ipynb", timeout=TIMEOUT)
    clerk.wait_for_selector(".tr-pin-input input", timeout=TIMEOUT)
    clerk.fill(".tr-pin-input input", CLERK_PIN)
    clerk.click(".tr-pin-enter")
    clerk.wait_for_selector(".tr-paper-round select", timeout=TIMEOUT)
    assert "Gõ thứ hạng" in clerk.inner_text(".tr-page")
    fits = clerk.evaluate("""() => {
        const s = document.querySelector('.tr-paper-round select');
        const c = document.createElement('canvas').getContext('2d');
        c.font = getComputedStyle(s).font;
        return c.measureText(s.options[s.selectedIndex].text).width + 30 <= s.clientWidth; }""")
    assert fits  # the whole round title shows
    check_layout(clerk, "clerk", tall=False)  # typed at a laptop
    clerk.click(".tr-lang >> text=English")
    clerk.wait_for_selector("text=Type the place", timeout=TIMEOUT)
    assert "Gõ thứ hạng" not in clerk.inner_text(".tr-page")
    check_layout(clerk, "clerk (English)", tall=False)
    shot(clerk, artifacts, "clerk-1024-en")
