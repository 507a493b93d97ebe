"""The delegate's page (phone or laptop): code → round → ballot in official order → confirm →
receipt.

Ranked ballots are filled by tapping units in order of preference (tap again to take a unit
back; "Đồng hạng" makes the next tap share the previous place). Approval ballots mark
đồng ý / không đồng ý per unit; choose ballots pick at most *k* units. The own unit follows the
round's self-vote policy. The ballot is checked with the round's rules before it can be sent,
so an invalid combination is explained, never cast (and nothing is called wrong before the
delegate has touched the ballot). Places are numbered as the result will be, competition style:
after two units tied third the next one is fifth (the cells cast keep dense places, 1, 2, 3, 3,
4, which the ballot box stores as the same order). With several rounds open the delegate picks
one; each receipt stays on screen until the delegate presses "Tiếp tục".

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

__all__ = ["DelegatePage", "competition_places", "page_query_string"]


def competition_places(cells: list[int]) -> list[int]:
    """The place shown for each cell of a ranked ballot (0 = not ranked): one more than the
    number of units ranked strictly better, so that a tie takes the places it covers.

    >>> competition_places([1, 2, 3, 3, 4, 0])
    [1, 2, 3, 3, 5, 0]
    >>> competition_places([2, 1, 1, 0])
    [3, 1, 1, 0]
    """
    return [1 + sum(1 for c in cells if 0 < c < value) if value else 0 for value in cells]


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


STYLE = """
<style>
/* a phone: every control at least 44 px tall, labels wrap instead of being cut */
.tr-delegate .jupyter-button, .tr-delegate .widget-toggle-button {
  min-height: 44px; height: auto; white-space: normal; overflow: visible; text-overflow: clip;
  overflow-wrap: anywhere; line-height: 1.3; padding: 0.45em 0.9em; font-size: 16px;
  text-align: left; }
.tr-delegate .widget-text input { height: 44px; font-size: 18px; }
.tr-delegate .widget-hbox { flex-wrap: wrap; gap: 0.4em; }
.tr-delegate .widget-toggle-buttons .widget-toggle-button { min-width: 8em; }
.tr-delegate .tr-tie { border: 1px dashed #1565c0; background: #f3f8ff; margin-left: 1.2em;
  width: calc(100% - 1.2em); }
.tr-delegate .tr-tie.mod-active { background: #1565c0; color: white; }
.tr-ballot-paper { border: 2px solid #333; padding: 0.6em; max-width: 30em; }
.tr-ballot-paper h3 { text-align: center; margin: 0.2em 0 0.5em; font-size: 1.1em; }
.tr-ballot-paper table { border-collapse: collapse; width: 100%; }
.tr-ballot-paper td, .tr-ballot-paper th { border: 1px solid #555; padding: 0.35em 0.4em;
  text-align: left; vertical-align: top; }
.tr-ballot-paper td.tr-mark { text-align: center; font-weight: bold; white-space: nowrap; }
</style>
"""


class DelegatePage(LivePage):
    """Vote with a one-time code."""

    CSS_CLASS = "tr-page tr-delegate"
    EXTRA_STYLE = STYLE
    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Phiếu bầu điện tử", "Electronic ballot"),
        "code": Text("Mã bỏ phiếu", "Voting code"),
        "enter": Text("Tiếp tục", "Continue"),
        "code_ok": Text("Mã của đơn vị: {unit}", "Code of: {unit}"),
        "waiting": Text("Chưa có vòng bỏ phiếu nào đang mở. Trang sẽ tự cập nhật.",
                        "No round is open yet. This page updates by itself."),
        "voted": Text("Đơn vị đã bỏ phiếu trong vòng này. Chờ vòng tiếp theo.",
                      "Your unit has voted in this round. Waiting for the next round."),
        "choose_round": Text("Có {n} vòng đang mở. Chọn vòng bạn muốn bỏ phiếu:",
                             "{n} rounds are open. Choose the round to vote in:"),
        "round_done": Text("Đã bỏ phiếu: {title}", "Already voted: {title}"),
        "other_round": Text("Chọn vòng khác", "Choose another round"),
        "ranked_help": Text("Chạm vào các đơn vị theo thứ tự từ cao xuống thấp. Chạm lại để bỏ "
                            "chọn.", "Tap the units from best to worst. Tap again to undo."),
        "tie": Text("Đồng hạng với {unit}: đơn vị chạm tiếp theo cũng xếp hạng {p}",
                    "Same place as {unit}: the next unit you tap also gets place {p}"),
        "tie_on": Text("Đồng hạng với {unit}: chạm đơn vị cũng xếp hạng {p} (chạm lại vào đây "
                       "để hủy)", "Same place as {unit}: tap the unit that also gets place {p} "
                       "(tap here again to cancel)"),
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
        "paper_title": Text("PHIẾU BẦU", "BALLOT"),
        "col_no": Text("STT", "No."),
        "col_unit": Text("Tên đơn vị", "Unit"),
        "col_ranked": Text("Xếp hạng", "Place"),
        "col_choose": Text("Chọn", "Chosen"),
        "col_approval": Text("Ý kiến", "Opinion"),
        "tied": Text("{p} (đồng hạng)", "{p} (joint)"),
        "summary_ranked": Text("Xếp hạng {n} đơn vị; ô để trống là không xếp hạng.",
                               "{n} units ranked; an empty cell is not ranked."),
        "summary_choose": Text("Chọn {n} đơn vị.", "{n} units chosen."),
        "confirm": Text("Xác nhận bỏ phiếu", "Confirm"),
        "back": Text("Sửa lại", "Change"),
        "receipt": Text("Đã ghi nhận phiếu của đơn vị cho vòng “{title}”. Mã biên nhận:",
                        "Your unit's ballot for “{title}” is recorded. Receipt:"),
        "receipt_help": Text(
            "Mã biên nhận chứng minh phiếu của đơn vị đã vào hòm phiếu và được đếm; nó không "
            "cho biết bạn đã bầu thế nào, và không ai có thể từ mã này tìm ra đơn vị của bạn. "
            "Biên bản kiểm phiếu do Chủ tọa in ra liệt kê mọi mã biên nhận: hãy ghi lại hoặc "
            "chụp màn hình mã này, rồi tìm nó trong biên bản.",
            "The receipt proves that your unit's ballot went into the ballot box and is "
            "counted; it does not show how you voted, and nobody can trace your unit from it. "
            "The counting minutes the chair prints list every receipt: write this one down or "
            "take a screenshot, then look for it in the minutes."),
        "next": Text("Tiếp tục", "Continue"),
        "chosen": Text("✔", "✔"),
        "blank": Text("", ""),
    }

    # -- widgets ------------------------------------------------------------------------------
    def build(self) -> None:
        self.code: str | None = None
        self.unit: str | None = None
        self.spec: RoundSpec | None = None
        self.cells: list[Any] = []
        self.order: list[int] = []  # ranked: units in the order they were tapped
        self.touched = False  # nothing is called wrong before the first tap
        self.marked: set[int] = set()  # approval: rows the delegate has answered
        self.step = "code"
        self.choices: tuple[str, ...] = ()
        self.last_receipt: tuple[str, str] | None = None  # (round title, receipt)
        self.code_input = w.Text(placeholder="ABCD-2345", layout=w.Layout(width="14em"))
        self.code_input.add_class("tr-code-input")
        self.code_button = w.Button(button_style="primary")
        self.code_button.add_class("tr-code-enter")
        self.code_button.on_click(lambda _: self.safe(self.enter_code))
        self.code_box = w.HBox([self.code_input, self.code_button])
        self.round_help = w.HTML()
        self.round_buttons = w.VBox()
        self.round_box = w.VBox([self.round_help, self.round_buttons])
        self.help = w.HTML()
        self.unit_buttons: list[w.Button] = []
        self.unit_rows: list[w.Widget] = []
        self.unit_box = w.VBox()
        self.tie_toggle = w.ToggleButton(value=False)  # width: the stylesheet
        self.tie_toggle.add_class("tr-tie")
        self.tie_toggle.observe(lambda _: self._tie_label(), names="value")
        self.clear_button = w.Button()
        self.clear_button.add_class("tr-clear")
        self.clear_button.on_click(lambda _: self._reset_cells())
        self.other_button = w.Button()
        self.other_button.add_class("tr-round-back")
        self.other_button.on_click(lambda _: self.safe(self._choose_again))
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
        self.next_button = w.Button(button_style="primary")
        self.next_button.add_class("tr-receipt-next")
        self.next_button.on_click(lambda _: self.safe(self.move_on))
        self.ballot_box = w.VBox([self.help, self.unit_box,
                                  w.HBox([self.clear_button, self.other_button]),
                                  self.problem, self.submit_button])
        self.confirm_box = w.VBox([self.confirm_text,
                                   w.HBox([self.confirm_button, self.back_button])])
        self.receipt_box = w.VBox([self.receipt, self.next_button])
        self.on_lang()
        self._show("code")
        threading.Thread(target=self._code_from_url, daemon=True).start()

    def on_lang(self) -> None:
        self.code_input.description = ""
        self.code_button.description = self.t("enter")
        self.clear_button.description = self.t("clear")
        self.other_button.description = self.t("other_round")
        self.submit_button.description = self.t("submit")
        self.confirm_button.description = self.t("confirm")
        self.back_button.description = self.t("back")
        self.next_button.description = self.t("next")
        if self.spec is not None:
            self._build_ballot()
            if self.step == "confirm":
                self.ask_confirm()
        if self.last_receipt is not None:
            self._render_receipt()
        if self.step == "choose":
            self.choices = ()  # relabel the round buttons

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
                 "choose": [self.round_box], "ballot": [self.ballot_box],
                 "confirm": [self.confirm_box], "receipt": [self.receipt_box],
                 "wait": []}[step]
        self.step = step
        self.body.children = parts

    # -- flow ---------------------------------------------------------------------------------
    def enter_code(self) -> None:
        """Check the typed code and show the open round's ballot (or the choice of rounds)."""
        code = normalise_code(self.code_input.value)
        unit = self.live.box.code_unit(code)
        self.code, self.unit = code, unit
        self.spec = None
        self.step = "wait"
        self.refresh()

    def _todo(self, open_rounds: list[RoundSpec]) -> list[RoundSpec]:
        assert self.code is not None
        return [s for s in open_rounds if not self.live.box.code_used(s.id, self.code)]

    def refresh(self) -> None:
        if self.code is None or self.step in ("confirm", "receipt"):
            return  # a receipt stays until the delegate presses "Tiếp tục"
        open_rounds = self.live.box.open_rounds()
        todo = self._todo(open_rounds)
        if self.step == "ballot" and self.spec is not None and \
                self.spec.id in {s.id for s in todo}:
            self.other_button.layout.display = "" if len(todo) > 1 else "none"
            return  # keep the ballot being filled
        who = message(self.t("code_ok", unit=self.unit), "ok")
        self.spec = None
        if not todo:
            self.status.value = who + message(self.t("waiting" if not open_rounds else "voted"))
            self.choices = ()
            self._show("wait")
        elif len(todo) == 1:
            self.status.value = who
            self._start(todo[0])
        else:
            self.status.value = who
            self._choose(open_rounds, todo)

    def _choose(self, open_rounds: list[RoundSpec], todo: list[RoundSpec]) -> None:
        """Let the delegate pick one of several open rounds."""
        ids = (*(s.id for s in open_rounds), "|", *(s.id for s in todo))
        if self.step == "choose" and ids == self.choices:
            return
        self.choices = ids
        self.round_help.value = f"<p><b>{esc(self.t('choose_round', n=len(todo)))}</b></p>"
        todo_ids = {s.id for s in todo}
        rows: list[w.Widget] = []
        for spec in open_rounds:
            title = round_title(spec.title, spec.title_en, self.lang)
            if spec.id not in todo_ids:
                rows.append(w.HTML(f"<p>✔ {esc(self.t('round_done', title=title))}</p>"))
                continue
            button = w.Button(description=title, button_style="primary",
                              layout=w.Layout(width="100%"))
            button.add_class("tr-round-choice")
            button.add_class(f"tr-round-choice-{spec.id}")
            button.on_click(lambda _, s=spec: self.safe(lambda: self._pick(s.id)))
            rows.append(button)
        self.round_buttons.children = rows
        self._show("choose")

    def _pick(self, round_id: str) -> None:
        todo = self._todo(self.live.box.open_rounds())
        spec = next((s for s in todo if s.id == round_id), None)
        if spec is None:  # closed, or voted from another phone, meanwhile
            self.step = "wait"
            self.refresh()
            return
        self._start(spec)

    def _start(self, spec: RoundSpec) -> None:
        self.spec = spec
        self._reset_cells()
        self.other_button.layout.display = \
            "" if len(self._todo(self.live.box.open_rounds())) > 1 else "none"
        self._show("ballot")

    def _choose_again(self) -> None:
        self.spec = None
        self.step = "wait"
        self.choices = ()
        self.refresh()

    def move_on(self) -> None:
        """Leave the receipt: the next round to vote in, or the waiting message."""
        self.last_receipt = None
        self.step = "wait"
        self.choices = ()
        self.refresh()

    def _own(self, unit: str) -> bool:
        return unit == self.unit and self.spec is not None and \
            self.live.rules(self.spec).self_vote != "allow"

    def _reset_cells(self) -> None:
        assert self.spec is not None
        self.cells = [0] * len(self.spec.candidates)
        self.order = []
        self.touched = False
        self.marked = set()
        self.tie_toggle.value = False
        self._build_ballot()

    def _build_ballot(self) -> None:
        spec = self.spec
        assert spec is not None
        index = self.live.meeting.index
        members = self.live.meeting.members
        title = round_title(spec.title, spec.title_en, self.lang)
        help_key = {"ranked": "ranked_help", "approval": "approval_help",
                    "choose": "choose_help"}[spec.kind]
        self.help.value = (f"<h2 class='tr-round-title'>{esc(title)}</h2>"
                           f"<p>{esc(self.t(help_key, k=spec.max_choices or 1))}</p>")
        rows: list[w.Widget] = []
        self.unit_buttons = []
        for j, unit in enumerate(spec.candidates):
            member = members[index.position(unit)]
            own = self._own(unit)
            if spec.kind == "approval":
                value = self.cells[j] if j in self.marked else None
                toggle = w.ToggleButtons(options=[(self.t("agree"), 1),
                                                  (self.t("disagree"), 0)],
                                         value=value, disabled=own)
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
        self.unit_rows = rows
        self._update()

    def _set(self, j: int, value: int | None) -> None:
        self.cells[j] = value or 0
        self.touched = True
        self.marked.add(j)
        self._update()

    def _tap(self, j: int) -> None:
        assert self.spec is not None
        self.touched = True
        if self.spec.kind == "choose":
            self.cells[j] = 0 if self.cells[j] else 1
        elif self.cells[j]:
            removed = self.cells[j]
            self.cells[j] = 0
            self.order.remove(j)
            if removed not in self.cells:  # close the gap left in the places
                self.cells = [c - 1 if c > removed else c for c in self.cells]
        else:
            top = max(self.cells, default=0)
            self.cells[j] = top if self.tie_toggle.value and top else top + 1
            self.order.append(j)
            self.tie_toggle.value = False
        self._update()

    def ballot_cells(self) -> list[int | None]:
        """The cells as cast: a place (ranked; ``None`` = unranked) or a 1/0 mark."""
        assert self.spec is not None
        if self.spec.kind == "ranked":
            return [c or None for c in self.cells]
        return list(self.cells)

    def _tie_anchor(self) -> int | None:
        """The unit a tie would join: the last one tapped at the lowest place so far (None when
        a tie is not allowed or nobody is left to tie with)."""
        spec = self.spec
        assert spec is not None
        if spec.kind != "ranked" or not self.live.rules(spec).allow_ties or not self.order:
            return None
        free = [j for j, (c, u) in enumerate(zip(self.cells, spec.candidates, strict=True))
                if not c and not self._own(u)]
        if not free:
            return None
        top = max(self.cells)
        return next(j for j in reversed(self.order) if self.cells[j] == top)

    def _tie_label(self) -> None:
        anchor = None if self.spec is None else self._tie_anchor()
        if anchor is None:
            return
        assert self.spec is not None
        place = competition_places(self.cells)[anchor]
        key = "tie_on" if self.tie_toggle.value else "tie"
        self.tie_toggle.description = self.t(key, unit=self.spec.candidates[anchor], p=place)

    def _update(self) -> None:
        spec = self.spec
        assert spec is not None
        rows = list(self.unit_rows)
        if spec.kind != "approval":
            places = competition_places(self.cells)
            for button, unit, value, place in zip(self.unit_buttons, spec.candidates,
                                                  self.cells, places, strict=True):
                mark = (f"{place}. " if spec.kind == "ranked" else "✔ ") if value else ""
                button.description = f"{mark}{unit}{self.t('own') if self._own(unit) else ''}"
                button.button_style = "info" if value else ""
            anchor = self._tie_anchor()
            if anchor is None:
                self.tie_toggle.value = False
            else:  # the tie sits right under the unit it joins
                self._tie_label()
                rows.insert(anchor + 1, self.tie_toggle)
        self.unit_box.children = rows
        problem = check_ballot(self.live.rules(spec), spec.candidates, self.ballot_cells(),
                               self.unit)
        self.problem.value = "" if problem is None or not self.touched else \
            message(Text(*problem).get(self.lang), "error")
        self.submit_button.disabled = problem is not None

    def _mark(self, j: int, places: list[int]) -> str:
        """What the delegate's cell reads on the paper-like preview."""
        assert self.spec is not None
        value = self.cells[j]
        if self.spec.kind == "ranked":
            if not value:
                return ""
            shared = self.cells.count(value) > 1
            return self.t("tied", p=places[j]) if shared else str(places[j])
        if self.spec.kind == "choose":
            return self.t("chosen") if value else self.t("blank")
        return self.t("agree") if value else self.t("disagree")

    def ask_confirm(self) -> None:
        """Show the ballot back to the voter, laid out like the paper ballot, before it is
        cast."""
        spec = self.spec
        assert spec is not None
        places = competition_places(self.cells) if spec.kind == "ranked" else []
        column = self.t({"ranked": "col_ranked", "choose": "col_choose",
                         "approval": "col_approval"}[spec.kind])
        rows = "".join(f"<tr><td>{j + 1}</td><td>{esc(u)}</td>"
                       f"<td class='tr-mark'>{esc(self._mark(j, places))}</td></tr>"
                       for j, u in enumerate(spec.candidates))
        marked = sum(1 for c in self.cells if c)
        summary = {"ranked": self.t("summary_ranked", n=marked),
                   "choose": self.t("summary_choose", n=marked)}.get(spec.kind, "")
        title = round_title(spec.title, spec.title_en, self.lang)
        self.confirm_text.value = (
            f"<p>{esc(self.t('confirm_q'))}</p><div class='tr-ballot-paper'>"
            f"<h3>{esc(self.t('paper_title'))}<br>{esc(title)}</h3>"
            f"<table><tr><th>{esc(self.t('col_no'))}</th><th>{esc(self.t('col_unit'))}</th>"
            f"<th>{esc(column)}</th></tr>{rows}</table>"
            + (f"<p>{esc(summary)}</p>" if summary else "") + "</div>")
        self._show("confirm")

    def submit(self) -> None:
        """Cast the ballot; show the receipt only after the ballot box has committed it."""
        spec = self.spec
        assert spec is not None and self.code is not None
        try:
            receipt = self.live.box.cast(spec.id, self.code, self.ballot_cells())
        except BallotBoxError:
            # refused (not valid, round closed, code spent): back to where the delegate can
            # act, with the ballot box's reason on the status line; nothing was stored
            if spec.id in {s.id for s in self.live.box.open_rounds()} and \
                    not self.live.box.code_used(spec.id, self.code):
                self._show("ballot")
            else:
                self._show("wait")
                self.spec = None
            raise
        self.last_receipt = (round_title(spec.title, spec.title_en, self.lang), receipt)
        self.spec = None
        self._render_receipt()
        self._show("receipt")

    def _render_receipt(self) -> None:
        assert self.last_receipt is not None
        title, receipt = self.last_receipt
        self.receipt.value = (message(self.t("receipt", title=title), "ok") +
                              f"<div class='tr-receipt-code'>{esc(receipt)}</div>"
                              f"<p>{esc(self.t('receipt_help'))}</p>")
