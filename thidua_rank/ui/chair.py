"""The chair's page (PIN): open and close rounds, reveal results place by place, start a run-off
among units tied at an award cut-off, record the chair's decision, accept the result (which
writes the counting minutes and the Excel workbook next to the ballot box)."""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as w

from thidua_rank.live.ballot_box import RoundSpec
from thidua_rank.live.session import OUTCOME_FOCUS
from thidua_rank.ui.base import Page, esc, message

__all__ = ["ChairPage"]

STATE_LABELS = {"draft": ("chưa mở", "not opened"), "open": ("đang bỏ phiếu", "voting"),
                "closed": ("đã đóng", "closed"), "revealed": ("đã công bố", "revealed")}


class ChairPage(Page):
    """Meeting control for the chair (protected by the PIN set when the server starts)."""

    LABELS: ClassVar[dict[str, tuple[str, str]]] = {
        "title": ("Điều hành bỏ phiếu (Chủ tọa)", "Chair's controls"),
        "pin": ("Mã PIN của Chủ tọa", "Chair's PIN"),
        "pin_enter": ("Vào", "Enter"),
        "pin_wrong": ("Mã PIN không đúng.", "Wrong PIN."),
        "pin_unset": ("Chưa đặt mã PIN (thidua-rank serve --pin …).",
                      "No PIN is set (thidua-rank serve --pin …)."),
        "open": ("Mở vòng", "Open"),
        "close": ("Đóng vòng", "Close"),
        "reveal": ("Công bố", "Reveal"),
        "project": ("Chiếu", "Project"),
        "next": ("Hiện hạng tiếp theo", "Show next place"),
        "all": ("Hiện tất cả", "Show all places"),
        "outcome": ("Chiếu kết quả chung", "Project the overall result"),
        "runoff": ("Bỏ phiếu lại giữa: {units}", "Run-off between: {units}"),
        "decide": ("Ghi quyết định của Chủ tọa: xếp trên", "Record the chair's decision: first"),
        "accept": ("Chấp nhận kết quả và ghi biên bản", "Accept the result and write the minutes"),
        "accepted": ("Đã ghi: {files}", "Written: {files}"),
        "done": ("Đã thực hiện: {what}", "Done: {what}"),
        "missing": ("Kết quả chung cần công bố đủ các vòng: {rounds}",
                    "The overall result needs every round revealed: {rounds}"),
        "tie": ("Đồng hạng tại ngưỡng khen thưởng ({tier}): {units}",
                "Tied at the award cut-off ({tier}): {units}"),
        "round": ("Vòng", "Round"),
        "state": ("Trạng thái", "State"),
        "turnout": ("Đã bỏ phiếu", "Voted"),
    }

    def title(self) -> str:
        return self.t("title")

    def build(self) -> None:
        self.unlocked = False
        self.pin = w.Password(layout=w.Layout(width="10em"))
        self.pin.add_class("tr-pin-input")
        self.pin_button = w.Button(button_style="primary")
        self.pin_button.add_class("tr-pin-enter")
        self.pin_button.on_click(lambda _: self.safe(self.unlock))
        self.pin_label = w.HTML()
        self.rounds_box = w.VBox()
        self.reveal_controls = w.HBox()
        self.tie_box = w.VBox()
        self.accept_button = w.Button(button_style="success", layout=w.Layout(width="auto"))
        self.accept_button.add_class("tr-accept")
        self.accept_button.on_click(lambda _: self.safe(self.accept))
        self.next_button = w.Button()
        self.next_button.add_class("tr-next-place")
        self.next_button.on_click(lambda _: self.safe(lambda: self._reveal_step(None)))
        self.all_button = w.Button()
        self.all_button.add_class("tr-reveal-all")
        self.all_button.on_click(lambda _: self.safe(lambda: self._reveal_step(10_000)))
        self.outcome_button = w.Button(button_style="warning", layout=w.Layout(width="auto"))
        self.outcome_button.add_class("tr-show-outcome")
        self.outcome_button.on_click(lambda _: self.safe(self.show_outcome))
        self.reveal_controls.children = [self.next_button, self.all_button, self.outcome_button]
        self.on_lang()
        self.body.children = [w.HBox([self.pin_label, self.pin, self.pin_button])]

    def on_lang(self) -> None:
        self.pin_label.value = f"<b>{esc(self.t('pin'))}</b>&nbsp;"
        self.pin_button.description = self.t("pin_enter")
        self.next_button.description = self.t("next")
        self.all_button.description = self.t("all")
        self.outcome_button.description = self.t("outcome")
        self.accept_button.description = self.t("accept")

    def unlock(self) -> None:
        """Check the PIN and show the controls."""
        if self.live.box.meta("pin") is None:
            self.status.value = message(self.t("pin_unset"), "error")
            return
        if not self.live.box.check_pin(self.pin.value):
            self.status.value = message(self.t("pin_wrong"), "error")
            return
        self.pin.value = ""
        self.unlocked = True
        self.status.value = ""
        self.body.children = [self.rounds_box, self.reveal_controls, self.tie_box,
                              self.accept_button]
        self.refresh()

    # -- refresh ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.unlocked:
            return
        rows = [w.HTML(f"<b>{esc(self.t('round'))} · {esc(self.t('state'))} · "
                       f"{esc(self.t('turnout'))}</b>")]
        for spec, state in self.live.box.rounds():
            rows.append(self._round_row(spec, state))
        self.rounds_box.children = rows
        self._ties()

    def _button(self, label: str, css: str, action: Any, style: str = "") -> w.Button:
        button = w.Button(description=label, button_style=style)
        button.add_class(css)
        button.on_click(lambda _: self.safe(action))
        return button

    def _round_row(self, spec: RoundSpec, state: str) -> w.HBox:
        turnout = self.live.box.turnout(spec.id)
        vi, en = STATE_LABELS[state]
        title = spec.title if self.lang == "vi" or not spec.title_en else spec.title_en
        info = w.HTML(f"<span class='tr-round-state' data-round='{esc(spec.id)}' "
                      f"data-state='{state}'><b>{esc(title)}</b> · "
                      f"{esc(vi if self.lang == 'vi' else en)} · {turnout.returned}/"
                      f"{turnout.issued}</span>", layout=w.Layout(width="28em"))
        buttons = []
        target = {"draft": ("open", "open", "primary"), "open": ("closed", "close", "danger"),
                  "closed": ("revealed", "reveal", "success")}.get(state)
        if target is not None:
            new_state, key, style = target
            buttons.append(self._button(self.t(key), f"tr-{key}-{spec.id}",
                                        lambda: self._advance(spec.id, new_state), style))
        buttons.append(self._button(self.t("project"), f"tr-focus-{spec.id}",
                                    lambda: self._focus(spec.id)))
        return w.HBox([info, *buttons])

    def _ties(self) -> None:
        """Offer a run-off or a chair's decision for units tied at an award cut-off."""
        if self.live.missing_rounds():
            self.tie_box.children = []
            return
        outcome = self.live.outcome()
        children: list[w.Widget] = []
        for award in outcome.awards if outcome else ():
            if not award.pending:
                continue
            units = list(award.pending)
            children.append(w.HTML(message(self.t("tie", tier=award.tier.label,
                                                  units=", ".join(units)), "info")))
            children.append(self._button(self.t("runoff", units=", ".join(units)),
                                         "tr-start-runoff",
                                         lambda u=units, t=award.tier.id: self._runoff(u, t),
                                         "warning"))
            first = w.Dropdown(options=units, value=units[0])
            first.add_class("tr-decision-first")
            decide = self._button(self.t("decide"), "tr-decide",
                                  lambda u=units, f=first: self._decide(u, f.value))
            children.append(w.HBox([decide, first]))
        self.tie_box.children = children

    # -- actions ------------------------------------------------------------------------------
    def _done(self, what: str) -> None:
        self.status.value = message(self.t("done", what=what), "ok")
        self.refresh()

    def _advance(self, round_id: str, state: str) -> None:
        self.live.box.set_state(round_id, state)  # type: ignore[arg-type]
        if state in ("open", "revealed"):
            self.live.box.set_meta("focus", round_id)
        self._done(f"{round_id} → {state}")

    def _focus(self, round_id: str) -> None:
        self.live.box.set_meta("focus", round_id)
        self._done(round_id)

    def _reveal_step(self, step: int | None) -> None:
        focus = self.live.box.meta("focus")
        if focus is None or focus == OUTCOME_FOCUS:
            return
        self.live.box.advance_reveal(focus, step)
        self._done(self.t("next") if step is None else self.t("all"))

    def show_outcome(self) -> None:
        """Project the overall result (ranking, awards, leadership)."""
        missing = self.live.missing_rounds()
        if missing:
            self.status.value = message(self.t("missing", rounds=", ".join(missing)), "error")
            return
        self.live.box.set_meta("focus", OUTCOME_FOCUS)
        self._done(self.t("outcome"))

    def _runoff(self, units: list[str], tier: str) -> None:
        spec = self.live.start_runoff(units, tier=tier)
        self._done(spec.title)

    def _decide(self, units: list[str], first: str) -> None:
        order = [first, *[u for u in units if u != first]]
        self.live.box.record_decision(units, order, note="quyết định của Chủ tọa")
        self._done(self.t("decide") + f" {first}")

    def accept(self) -> None:
        """Accept the result: record it in the event chain and write the minutes."""
        from thidua_rank.report.docx import write_minutes
        from thidua_rank.report.xlsx import write_outcome_xlsx

        missing = self.live.missing_rounds()
        if missing:
            self.status.value = message(self.t("missing", rounds=", ".join(missing)), "error")
            return
        outcome = self.live.outcome()
        assert outcome is not None
        folder = self.live.box.path.parent
        files = [write_minutes(outcome, folder / "bien-ban-kiem-phieu.docx"),
                 write_outcome_xlsx(outcome, folder / "ket-qua.xlsx")]
        self.live.box.record_accepted(outcome.to_dict())
        self.status.value = message(self.t("accepted", files=", ".join(str(f) for f in files)),
                                    "ok")
