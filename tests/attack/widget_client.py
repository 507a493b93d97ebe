"""A hostile phone on the room's Wi-Fi: it speaks the kernel websocket of a page directly.

No browser: GET the page (which starts or hands over a kernel), connect to
``/api/kernels/<id>/channels``, open the ``jupyter.widget.control`` comm, ask for every
widget's state (hidden and disabled ones included) and send the comm messages a browser would:
clicks on any button, new values for any text box. This is what ipywidgets allows any client
to do, so the tests attack the pages exactly this way.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from websockets.sync.client import ClientConnection, connect


@dataclass
class Widget:
    """One widget model as the kernel reports it."""

    id: str
    name: str
    state: dict[str, Any]

    @property
    def classes(self) -> list[str]:
        return list(self.state.get("_dom_classes", []))

    @property
    def text(self) -> str:
        return str(self.state.get("value", "")) + str(self.state.get("description", ""))


class PageClient:
    """One page's kernel, driven over its websocket."""

    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.session = uuid.uuid4().hex
        self.control = uuid.uuid4().hex
        self._send("comm_open", {"comm_id": self.control, "target_name":
                                 "jupyter.widget.control", "data": {}},
                   metadata={"version": "1.0.0"})

    def _send(self, msg_type: str, content: dict[str, Any],
              metadata: dict[str, Any] | None = None) -> str:
        msg_id = uuid.uuid4().hex
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "attacker",
                       "session": self.session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": metadata or {}, "channel": "shell",
            "buffers": [], "content": content}))
        return msg_id

    def _receive(self, timeout: float) -> dict[str, Any] | None:
        try:
            raw = self.socket.recv(timeout=timeout)
        except TimeoutError:
            return None
        return json.loads(raw) if isinstance(raw, str) else None

    def widgets(self, timeout: float = 30) -> list[Widget]:
        """Every widget of the page (request_states on the control comm)."""
        self._send("comm_msg", {"comm_id": self.control, "data": {"method": "request_states"}})
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self._receive(deadline - time.time())
            if msg is None:
                break
            data = msg.get("content", {}).get("data", {})
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                return [Widget(mid, s.get("model_name", ""), s.get("state", {}))
                        for mid, s in data["states"].items()]
        raise TimeoutError("the kernel did not answer request_states")

    def find(self, css_class: str) -> list[Widget]:
        """Widgets carrying *css_class* (prefix match, e.g. ``tr-open-``)."""
        return [w for w in self.widgets() if any(c.startswith(css_class) for c in w.classes)]

    def click(self, widget: Widget) -> None:
        """What a browser sends when a button is clicked (even a disabled or hidden one)."""
        self._send("comm_msg", {"comm_id": widget.id,
                                "data": {"method": "custom", "content": {"event": "click"}}})

    def set(self, widget: Widget, **state: Any) -> None:
        """What a browser sends when a value changes (a text box, a dropdown …)."""
        self._send("comm_msg", {"comm_id": widget.id, "data": {
            "method": "update", "state": state, "buffer_paths": []}})

    def settle(self, seconds: float = 0.6) -> None:
        """Let the kernel handle what was sent (drain its messages meanwhile)."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            self._receive(max(deadline - time.time(), 0.01))


@contextmanager
def open_page(port: int, page: str, query: str = "") -> Iterator[PageClient]:
    """GET ``/voila/render/<page>.ipynb`` and connect to the kernel the page names."""
    url = f"http://127.0.0.1:{port}/voila/render/{page}.ipynb" + (f"?{query}" if query else "")
    html = urllib.request.urlopen(url, timeout=120).read().decode()
    found = re.search(r'"kernelId": *"([^"]+)"', html)
    if found is None:
        raise RuntimeError(f"the {page} page names no kernel")
    channels = (f"ws://127.0.0.1:{port}/api/kernels/{found.group(1)}/channels"
                f"?session_id={uuid.uuid4()}")
    with connect(channels, max_size=None, open_timeout=120) as socket:
        yield PageClient(socket)
