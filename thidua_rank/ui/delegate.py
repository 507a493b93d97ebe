"""The delegate's page (phone or laptop): code → ballot in official order → confirm → receipt.

Ranked ballots are filled by tapping units in order of preference (tap again to take a unit
back; "Đồng hạng" makes the next tap share the previous place). Approval ballots mark
đồng ý / không đồng ý per unit; choose ballots pick at most *k* units. The own unit follows the
round's self-vote policy. The ballot is checked with the round's rules before it can be sent,
so an invalid combination is explained, never cast.

The page imports neither altair nor polars-heavy code paths beyond the engine: it must start
fast when a room of delegates scans their codes at once.
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from typing import Any, ClassVar
from urllib.parse import unquote_plus

import ipywidgets as w

from thidua_rank.i18n import Text, round_title
from thidua_rank.live.ballot_box import BallotBoxError, RoundSpec, normalise_code
from thidua_rank.live.session import check_ballot
from thidua_rank.ui.base import esc, message
from thidua_rank.ui.live_page import LivePage

__all__ = ["DelegatePage", "page_query_string"]


def page_query_string() -> str:
    """The query string of the request this page's kernel serves.

    A preheated kernel runs the notebook before anybody opens the page; Voilà then hands the
    request's details over a websocket (``/voila/query/<kernel id>``) once the page is taken
    from the pool. This speaks that protocol (Voilà 0.5's ``get_query_string``) without
    importing Voilà's server modules, which cost every delegate kernel about 50 MB and 1.5 s.
    Blocks until the page is requested: call it from a thread.
    """
    if os.environ.get("VOILA_PREHEAT") != "True":
        return os.environ.get("QUERY_STRING", "")
    import websockets

    env = os.environ.get
    base = env("VOILA_WS_BASE_URL", env("VOILA_SERVER_URL", "/"))
    url = (f"{env('VOILA_WS_PROTOCOL', 'ws')}://{env('VOILA_APP_IP', '127.0.0.1')}:"
           f"{env('VOILA_APP_PORT', '8866')}{base}voila/query/{env('VOILA_KERNEL_ID')}")

    async def receive() -> str | bytes:
        async with websockets.connect(url, open_timeout=10) as socket:
            return await socket.recv()

    request = json.loads(asyncio.run(receive()))
    os.environ.update({str(k): str(v) for k, v in request.items()})
    return os.environ.get("QUERY_STRING", "")


class DelegatePage(LivePage):
    """Vote with a one-time code."""

    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Phiếu bầu điện tử", "Electronic ballot"),
        "code": Text("Mã bỏ phiếu", "Voting code"),
        "enter": Text("Tiếp tục", "Continue"),
        "code_ok": Text("Mã của đơn vị: {unit}", "Code of: {unit}"),
        "waiting": Text("Chưa có vòng bỏ phiếu nào đang mở. Trang sẽ tự cập nhật.",
                        "No round is open yet. This page updates by itself."),
        "voted": Text("Đơn vị đã bỏ phiếu trong vòng này. Chờ vòng tiếp theo.",
                      "Your unit has voted in this round. Waiting for the next round."),
        "ranked_help": Text("Chạm vào các đơn vị theo thứ tự từ cao xuống thấp. Chạm lại để bỏ "
                            "chọn.", "Tap the units from best to worst. Tap again to undo."),
        "tie": Text("Đồng hạng với đơn vị trước", "Same place as the previous unit"),
        "approval_help": Text("Chọn Đồng ý hoặc Không đồng ý cho từng đơn vị.",
                              "Mark Agree or Disagree for each unit."),
        "choose_help": Text("Chọn tối đa {k} đơn vị.", "Choose at most {k} units."),
        "agree": Text("Đồng ý", "Agree"),
        "disagree": Text("Không đồng ý", "Disagree"),
        "own": Text(" (đơn vị của bạn)", " (your unit)"),
        "clear": Text("Xóa hết", "Clear"),
        "submit": Text("Gửi phiếu", "Submit ballot"),
        "confirm_q": Text("Kiểm tra lại phiếu của bạn rồi bấm Xác nhận:",
                          "Check your ballot, then press Confirm:"),
        "confirm": Text("Xác nhận bỏ phiếu", "Confirm"),
        "back": Text("Sửa lại", "Change"),
        "receipt": Text("Đã ghi nhận phiếu. Mã biên nhận của bạn:",
                        "Ballot recorded. Your receipt:"),
        "receipt_help": Text("Giữ mã này để kiểm tra phiếu của mình đã được tính "
                             "(thidua-rank verify).", "Keep it to check that your ballot was "
                                                      "counted (thidua-rank verify)."),
        "place": Text("hạng {p}", "place {p}"),
        "not_ranked": Text("không xếp hạng", "not ranked"),
        "chosen": Text("chọn", "chosen"),
        "blank": Text("để trống", "blank"),
    }

    # -- widgets ------------------------------------------------------------------------------
    def build(self) -> None:
        self.code: str | None = None
        self.unit: str | None = None
        self.spec: RoundSpec | None = None
        self.cells: list[Any] = []
        self.tie_next = False
        self.code_input = w.Text(placeholder="ABCD-2345", layout=w.Layout(width="14em"))
        self.code_input.add_class("tr-code-input")
        self.code_button = w.Button(button_style="primary")
        self.code_button.add_class("tr-code-enter")
        self.code_button.on_click(lambda _: self.safe(self.enter_code))
        self.code_box = w.HBox([self.code_input, self.code_button])
        self.help = w.HTML()
        self.unit_buttons: list[w.Button] = []
        self.unit_box = w.VBox()
        self.tie_toggle = w.ToggleButton(value=False)
        self.tie_toggle.add_class("tr-tie")
        self.clear_button = w.Button()
        self.clear_button.add_class("tr-clear")
        self.clear_button.on_click(lambda _: self._reset_cells())
        self.problem = w.HTML()
        self.problem.add_class("tr-problem")
        self.submit_button = w.Button(button_style="primary", disabled=True)
        self.submit_button.add_class("tr-submit")
        self.submit_button.on_click(lambda _: self.safe(self.ask_confirm))
        self.confirm_text = w.HTML()
        self.confirm_button = w.Button(button_style="success")
        self.confirm_button.add_class("tr-confirm")
        self.confirm_button.on_click(lambda _: self.safe(self.submit))
        self.back_button = w.Button()
        self.back_button.add_class("tr-back")
        self.back_button.on_click(lambda _: self._show("ballot"))
        self.receipt = w.HTML()
        self.receipt.add_class("tr-receipt")
        self.ballot_box = w.VBox([self.help, self.unit_box,
                                  w.HBox([self.tie_toggle, self.clear_button]), self.problem,
                                  self.submit_button])
        self.confirm_box = w.VBox([self.confirm_text,
                                   w.HBox([self.confirm_button, self.back_button])])
        self.on_lang()
        self._show("code")
        threading.Thread(target=self._code_from_url, daemon=True).start()

    def on_lang(self) -> None:
        self.code_input.description = ""
        self.code_button.description = self.t("enter")
        self.tie_toggle.description = self.t("tie")
        self.clear_button.description = self.t("clear")
        self.submit_button.description = self.t("submit")
        self.confirm_button.description = self.t("confirm")
        self.back_button.description = self.t("back")
        if self.spec is not None:
            self._build_ballot()

    def _code_from_url(self) -> None:
        """Prefill the code from the QR link (``?code=…``), also with preheated kernels."""
        try:
            query = page_query_string()
        except Exception:  # the page still works: the delegate types the code
            return
        for part in query.split("&"):
            key, _, value = part.partition("=")
            if key == "code" and value and not self.code_input.value:
                self.code_input.value = unquote_plus(value)

    def _show(self, step: str) -> None:
        parts = {"code": [w.HTML(f"<b>{esc(self.t('code'))}</b>"), self.code_box],
                 "ballot": [self.ballot_box], "confirm": [self.confirm_box],
                 "receipt": [self.receipt], "wait": []}[step]
        self.step = step
        self.body.children = parts

    # -- flow ---------------------------------------------------------------------------------
    def enter_code(self) -> None:
        """Check the typed code and show the open round's ballot."""
        code = normalise_code(self.code_input.value)
        unit = self.live.box.code_unit(code)
        self.code, self.unit = code, unit
        self.spec = None
        self.refresh()

    def refresh(self) -> None:
        if self.code is None or self.step in ("confirm",):
            return
        open_rounds = self.live.box.open_rounds()
        who = message(self.t("code_ok", unit=self.unit), "ok")
        if not open_rounds:
            if self.step != "receipt":
                self.status.value = who + message(self.t("waiting"))
                self._show("wait")
            self.spec = None
            return
        todo = [s for s in open_rounds if not self.live.box.code_used(s.id, self.code)]
        if not todo:
            if self.step != "receipt":
                self.status.value = who + message(self.t("voted"))
                self._show("wait")
            self.spec = None
            return
        if self.spec is None or self.spec.id != todo[0].id:
            self.spec = todo[0]
            self._reset_cells()
            self.status.value = who
            self._show("ballot")

    def _own(self, unit: str) -> bool:
        return unit == self.unit and self.spec is not None and \
            self.live.rules(self.spec).self_vote != "allow"

    def _reset_cells(self) -> None:
        assert self.spec is not None
        self.cells = [0] * len(self.spec.candidates)
        self.tie_toggle.value = False
        self._build_ballot()

    def _build_ballot(self) -> None:
        spec = self.spec
        assert spec is not None
        index = self.live.meeting.index
        members = self.live.meeting.members
        rules = self.live.rules(spec)
        title = round_title(spec.title, spec.title_en, self.lang)
        help_key = {"ranked": "ranked_help", "approval": "approval_help",
                    "choose": "choose_help"}[spec.kind]
        self.help.value = (f"<h2 class='tr-round-title'>{esc(title)}</h2>"
                           f"<p>{esc(self.t(help_key, k=spec.max_choices or 1))}</p>")
        self.tie_toggle.layout.display = "" if spec.kind == "ranked" and rules.allow_ties \
            else "none"
        rows = []
        self.unit_buttons = []
        for j, unit in enumerate(spec.candidates):
            member = members[index.position(unit)]
            own = self._own(unit)
            if spec.kind == "approval":
                toggle = w.ToggleButtons(options=[(self.t("agree"), 1),
                                                  (self.t("disagree"), 0)],
                                         value=None, disabled=own)
                toggle.add_class(f"tr-unit-{member.id}")
                toggle.observe(lambda ch, j=j: self._set(j, ch["new"]), names="value")
                label = w.HTML(f"<b>{esc(unit)}</b>{esc(self.t('own')) if own else ''}")
                rows.append(w.VBox([label, toggle]))
            else:
                button = w.Button(layout=w.Layout(width="100%"), disabled=own)
                button.add_class(f"tr-unit-{member.id}")
                button.add_class("tr-unit-btn")
                button.on_click(lambda _, j=j: self._tap(j))
                self.unit_buttons.append(button)
                rows.append(button)
        self.unit_box.children = rows
        self._update()

    def _set(self, j: int, value: int | None) -> None:
        self.cells[j] = value or 0
        self._update()

    def _tap(self, j: int) -> None:
        assert self.spec is not None
        if self.spec.kind == "choose":
            self.cells[j] = 0 if self.cells[j] else 1
        elif self.cells[j]:
            removed = self.cells[j]
            self.cells[j] = 0
            if removed not in self.cells:  # close the gap left in the places
                self.cells = [c - 1 if c > removed else c for c in self.cells]
        else:
            top = max(self.cells, default=0)
            self.cells[j] = top if self.tie_toggle.value and top else top + 1
            self.tie_toggle.value = False
        self._update()

    def ballot_cells(self) -> list[int | None]:
        """The cells as cast: a place (ranked; ``None`` = unranked) or a 1/0 mark."""
        assert self.spec is not None
        if self.spec.kind == "ranked":
            return [c or None for c in self.cells]
        return list(self.cells)

    def _cell_text(self, value: int) -> str:
        assert self.spec is not None
        if self.spec.kind == "ranked":
            return self.t("place", p=value) if value else self.t("not_ranked")
        if self.spec.kind == "choose":
            return self.t("chosen") if value else self.t("blank")
        return self.t("agree") if value else self.t("disagree")

    def _update(self) -> None:
        spec = self.spec
        assert spec is not None
        if spec.kind != "approval":
            for button, unit, value in zip(self.unit_buttons, spec.candidates, self.cells,
                                           strict=True):
                mark = (f"{value}. " if spec.kind == "ranked" else "✔ ") if value else ""
                button.description = f"{mark}{unit}{self.t('own') if self._own(unit) else ''}"
                button.button_style = "info" if value else ""
        problem = check_ballot(self.live.rules(spec), spec.candidates, self.ballot_cells(),
                               self.unit)
        self.problem.value = "" if problem is None else message(Text(*problem).get(self.lang),
                                                                "error")
        self.submit_button.disabled = problem is not None

    def ask_confirm(self) -> None:
        """Show the ballot back to the voter before it is cast."""
        assert self.spec is not None
        rows = "".join(f"<tr><td>{esc(u)}</td><td><b>{esc(self._cell_text(v))}</b></td></tr>"
                       for u, v in zip(self.spec.candidates, self.cells, strict=True))
        self.confirm_text.value = f"<p>{esc(self.t('confirm_q'))}</p><table>{rows}</table>"
        self._show("confirm")

    def submit(self) -> None:
        """Cast the ballot; show the receipt only after the ballot box has committed it."""
        assert self.spec is not None and self.code is not None
        try:
            receipt = self.live.box.cast(self.spec.id, self.code, self.ballot_cells())
        except BallotBoxError:
            # refused (not valid, round closed, code spent): back to where the delegate can
            # act, with the ballot box's reason on the status line; nothing was stored
            if self.spec.id in {s.id for s in self.live.box.open_rounds()} and \
                    not self.live.box.code_used(self.spec.id, self.code):
                self._show("ballot")
            else:
                self._show("wait")
                self.spec = None
            raise
        self.receipt.value = (message(self.t("receipt"), "ok") +
                              f"<div class='tr-receipt-code'>{esc(receipt)}</div>"
                              f"<p>{esc(self.t('receipt_help'))}</p>")
        self.spec = None
        self._show("receipt")
        self.refresh()
