"""Pages ask nothing of any host but the laptop (issue 10: a room router with no uplink made a
page that linked Font Awesome from a CDN take 20.8 s instead of 1.2 s), and what they load
comes gzip-compressed (issue 13: about 5 MB uncompressed on a phone's slow Wi-Fi).

Every meeting page is opened in Chromium and every request it makes is recorded, those of its
scripts, stylesheets, fonts, images and websockets included; one to any other host fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from live_helpers import sample_copy

from thidua_rank.server.meeting import PAGES

TIMEOUT = 60_000
LAPTOP = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about"}


def test_meeting_pages_request_nothing_outside_the_laptop(browser: Any, make_server: Any,
                                                          tmp_path: Path,
                                                          artifacts: Path) -> None:
    server = make_server(sample_copy(tmp_path), pool=1)
    outside: dict[str, list[str]] = {}
    for name in PAGES:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        seen: list[str] = []
        failed: list[str] = []
        plain: list[str] = []  # scripts, styles and pages the laptop sent uncompressed
        context.on("request", lambda request, seen=seen: seen.append(request.url))
        context.on("response", lambda reply, failed=failed: failed.append(
            f"{reply.status} {reply.url}") if reply.status >= 400 else None)
        context.on("response", lambda reply, plain=plain: plain.append(reply.url) if (
            reply.request.resource_type in ("document", "script", "stylesheet")
            and reply.status == 200 and "gzip" not in reply.headers.get("content-encoding", "")
            and int(reply.headers.get("content-length", "2000")) > 1500) else None)
        page = context.new_page()
        page.on("websocket", lambda socket, seen=seen: seen.append(socket.url))
        page.goto(server.base + f"{name}.ipynb", wait_until="networkidle", timeout=TIMEOUT)
        page.wait_for_selector(".tr-lang", timeout=TIMEOUT)  # the page's widgets are up
        page.wait_for_load_state("networkidle", timeout=TIMEOUT)
        page.screenshot(path=str(artifacts / f"offline-{name}.png"), full_page=True)
        context.close()
        hosts = {urlsplit(url).hostname for url in seen
                 if urlsplit(url).scheme not in LOCAL_SCHEMES}
        assert any(url.startswith("ws://127.0.0.1") for url in seen), (name, seen)
        assert failed == [], name  # every file the page needs is served by the laptop
        assert plain == [], name  # phones on a slow Wi-Fi get it gzip-compressed
        outside[name] = sorted(url for url in seen if urlsplit(url).scheme not in
                               LOCAL_SCHEMES and urlsplit(url).hostname not in LAPTOP)
        assert hosts, name
    assert outside == {name: [] for name in PAGES}
