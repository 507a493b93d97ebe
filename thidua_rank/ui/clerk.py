"""The clerk's page (PIN): paper ballots, accounted like the phones.

Handing a unit its paper ballot spends the unit's code for the round ("Phát phiếu giấy"); a
paper ballot can be entered only while ballots handed out exceed those entered. Every sheet is
read back as stored (valid, or invalid with the reason) and can be taken back to be corrected
while the round is open; the clerk's name goes with every sheet; sheet numbers run per round;
optional double entry by two clerks flags mismatches. Nothing but the PIN box exists before the
PIN is accepted, and the ballot box checks the clerk's role on every action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import ipywidgets as w

from thidua_rank.i18n import Text, round_title
from thidua_rank.live.ballot_box import StoredBallot, check_ballot
from thidua_rank.ui.base import esc, message
from thidua_rank.ui.chair import CONTROL_STYLE
from thidua_rank.ui.live_page import PinPage

__all__ = ["ClerkPage"]


class ClerkPage(PinPage):
    """Enter paper ballots into the open round."""

    ROLE = "clerk"
    CSS_CLASS = "tr-page tr-clerk"
    EXTRA_STYLE = CONTROL_STYLE
    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Nhập phiếu giấy", "Paper ballot entry"),
        "pin": Text("Mã PIN của Thư ký", "Clerk's PIN"),
        "pin_enter": Text("Vào", "Enter"),
        "round": Text("Vòng", "Round"),
        "clerk": Text("Người nhập", "Clerk"),
        "double": Text("Nhập hai lần (hai người)", "Double entry (two clerks)"),
        "hand_unit": Text("Đơn vị nhận phiếu giấy", "Unit receiving a paper ballot"),
        "hand": Text("Phát phiếu giấy", "Hand out a paper ballot"),
        "handed": Text("Đã phát phiếu giấy cho {unit}; mã của đơn vị không bỏ phiếu điện tử được "
                       "trong vòng này.", "Paper ballot handed to {unit}; its code can no longer "
                                           "vote by phone in this round."),
        "nobody": Text("Mọi đơn vị đã bỏ phiếu hoặc đã nhận phiếu giấy.",
                       "Every unit has voted or received a paper ballot."),
        "sheet": Text("Số tờ phiếu", "Sheet no."),
        "save": Text("Ghi phiếu", "Save ballot"),
        "invalid": Text("Phiếu không hợp lệ", "Invalid ballot"),
        "reason": Text("Lý do không hợp lệ", "Reason it is invalid"),
        "reason_needed": Text("Ghi lý do phiếu không hợp lệ.",
                              "Give the reason the ballot is invalid."),
        "name_needed": Text("Ghi tên người nhập phiếu.", "Enter the clerk's name."),
        "none_open": Text("Chưa có vòng bỏ phiếu nào đang mở.", "No round is open."),
        "ranked_help": Text("Gõ thứ hạng (1 = cao nhất), để trống nếu không xếp; Tab để sang ô "
                            "sau.", "Type the place (1 = best), blank if unranked; Tab moves on."),
        "mark_help": Text("Gõ 1 (hoặc x) nếu đánh dấu, để trống nếu không.",
                          "Type 1 (or x) for a mark, blank otherwise."),
        "stored": Text("Đã ghi tờ số {sheet} ({clerk}): {cells} — {verdict}",
                       "Sheet {sheet} saved ({clerk}): {cells} — {verdict}"),
        "valid": Text("hợp lệ", "valid"),
        "not_valid": Text("KHÔNG HỢP LỆ: {reason}", "INVALID: {reason}"),
        "waiting": Text("Tờ số {sheet}: chờ người thứ hai nhập.",
                        "Sheet {sheet}: waiting for the second clerk."),
        "mismatch": Text("Tờ số {sheet}: KHÔNG KHỚP với lần nhập trước ({other}). Kiểm tra tờ "
                         "phiếu và nhập lại.",
                         "Sheet {sheet}: DOES NOT MATCH the other entry ({other}). "
                         "Check the paper and enter it again."),
        "totals": Text("Phát ra: {issued} · Bỏ phiếu điện tử: {voted} · Phiếu giấy đã phát: "
                       "{paper_out} · Phiếu giấy đã nhập: {paper} · Còn lại: {left}",
                       "Issued: {issued} · Electronic: {voted} · Paper handed out: {paper_out} · "
                       "Paper entered: {paper} · Left: {left}"),
        "mismatches": Text("Tờ phiếu nhập không khớp: {sheets}", "Sheets that do not match: "
                                                                "{sheets}"),
        "sheets": Text("Các tờ đã nhập", "Sheets entered"),
        "fix": Text("Sửa tờ", "Correct sheet"),
        "fixing": Text("Tờ số {sheet} đã được lấy ra để sửa: nhập lại rồi bấm “Ghi phiếu”.",
                       "Sheet {sheet} was taken back for correction: enter it again and save."),
        "blank": Text("(trống)", "(blank)"),
    }

    def _button(self, css: str, style: str = "") -> w.Button:
        return self.button(css, style=style, layout=w.Layout(width="auto", min_height="44px"))

    def build_controls(self) -> None:
        # wide enough for a whole round title ("Phiếu bầu đơn vị Phó Trưởng khối …")
        self.round_select = w.Dropdown(options=[], layout=w.Layout(width="36em",
                                                                   max_width="100%"))
        self.round_select.add_class("tr-paper-round")
        self.round_select.observe(lambda _: self.safe(self._build_grid), names="value")
        self.clerk_name = w.Text(layout=w.Layout(width="12em"))
        self.clerk_name.add_class("tr-paper-clerk")
        self.double = w.Checkbox(value=False, indent=False)
        self.double.add_class("tr-paper-double")
        self.unit_select = w.Dropdown(options=[], layout=w.Layout(width="24em"))
        self.unit_select.add_class("tr-paper-unit")
        self.hand_button = self._button("tr-paper-handout", "warning")
        self.hand_button.on_click(lambda _: self.safe(self.hand_out))
        self.sheet = w.Text(value="1", layout=w.Layout(width="6em"))
        self.sheet.add_class("tr-paper-sheet")
        self.help = w.HTML()
        self.grid = w.VBox()
        self.inputs: list[w.Text] = []
        self.reason = w.Text(layout=w.Layout(width="24em"))
        self.reason.add_class("tr-paper-reason")
        self.save = self._button("tr-paper-save", "primary")
        self.save.on_click(lambda _: self.safe(lambda: self.enter(invalid=False)))
        self.invalid = self._button("tr-paper-invalid", "danger")
        self.invalid.on_click(lambda _: self.safe(lambda: self.enter(invalid=True)))
        self.result = w.HTML()
        self.result.add_class("tr-paper-result")
        self._said: tuple[Callable[[], str], str] | None = None
        self.totals = w.HTML()
        self.totals.add_class("tr-paper-totals")
        self.sheets = w.HTML()
        self.sheets.add_class("tr-paper-sheets")
        self.fix_select = w.Dropdown(options=[], layout=w.Layout(width="8em"))
        self.fix_select.add_class("tr-paper-fix-sheet")
        self.fix_button = self._button("tr-paper-fix")
        self.fix_button.on_click(lambda _: self.safe(self.correct))
        self.labels = {k: w.HTML() for k in ("round", "clerk", "hand_unit", "sheet", "reason")}
        self.body.children = [
            w.HBox([self.labels["round"], self.round_select, self.labels["clerk"],
                    self.clerk_name, self.double]),
            self.totals,
            w.HBox([self.labels["hand_unit"], self.unit_select, self.hand_button]),
            w.HBox([self.labels["sheet"], self.sheet]), self.help, self.grid,
            w.HBox([self.save]), w.HBox([self.labels["reason"], self.reason, self.invalid]),
            self.result, self.sheets, w.HBox([self.fix_select, self.fix_button])]
        self.on_lang()

    def _say(self, render: Callable[[], str], kind: str) -> None:
        """Show the last action's message (a read-back, a refusal); *render* builds it in the
        page's language and runs again after a language change."""
        self._said = (render, kind)
        self.result.value = message(render(), kind)

    def relabel_controls(self) -> None:
        if self._said is not None:
            render, kind = self._said
            self.result.value = message(render(), kind)
        for key, label in self.labels.items():
            label.value = f"<b>{esc(self.t(key))}</b>&nbsp;"
        self.double.description = self.t("double")
        self.hand_button.description = self.t("hand")
        self.save.description = self.t("save")
        self.invalid.description = self.t("invalid")
        self.fix_button.description = self.t("fix")
        if self.round_select.value is not None:
            self._help()

    # -- refresh ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.actor is None:
            return
        specs = self.live.box.open_rounds()
        options = [(round_title(s.title, s.title_en, self.lang), s.id) for s in specs]
        if [tuple(o) for o in options] != [tuple(o) for o in self.round_select.options]:
            current = self.round_select.value
            ids = [o[1] for o in options]
            self.round_select.options = options
            self.round_select.value = current if current in ids else (ids[0] if ids else None)
        if not specs:
            self.totals.value = message(self.t("none_open"))
            self.grid.children = []
            self.sheets.value = ""
            return
        self._totals()

    def _totals(self) -> None:
        rid = self.round_select.value
        if rid is None:
            return
        box = self.live.box
        turnout = box.turnout(rid)
        text = message(self.t("totals", issued=turnout.issued, voted=turnout.voted,
                              paper_out=turnout.paper_out, paper=turnout.paper,
                              left=max(turnout.issued - turnout.voted - turnout.paper_out, 0)))
        bad = box.mismatches(rid)
        if bad:
            text += message(self.t("mismatches", sheets=", ".join(bad)), "error")
        self.totals.value = text
        waiting = set(box.units_without_ballot(rid))
        units = [u for u in self.live.meeting.units if u in waiting]
        if list(self.unit_select.options) != units:
            self.unit_select.options = units
        self._read_back(rid)

    def _help(self) -> None:
        spec = self.live.box.spec(self.round_select.value)
        key = "ranked_help" if spec.kind == "ranked" else "mark_help"
        self.help.value = f"<p>{esc(self.t(key))}</p>"

    def _build_grid(self) -> None:
        rid = self.round_select.value
        if rid is None:
            self.grid.children = []
            return
        spec = self.live.box.spec(rid)
        members = self.live.meeting.members
        index = self.live.meeting.index
        self._help()
        self.inputs = []
        rows = []
        for unit in spec.candidates:
            member = members[index.position(unit)]
            box = w.Text(layout=w.Layout(width="5em"))
            box.add_class(f"tr-paper-{member.id}")
            box.add_class("tr-paper-cell")
            self.inputs.append(box)
            rows.append(w.HBox([box, w.HTML(f"&nbsp;{esc(unit)}")]))
        self.grid.children = rows
        self.sheet.value = self._next_sheet(rid)
        self._totals()

    def _next_sheet(self, round_id: str) -> str:
        """Sheet numbers run per round: one more than the highest entered."""
        numbers = [int(b.sheet) for b in self.live.box.paper_sheets(round_id)
                   if b.sheet and b.sheet.isdigit()]
        return str(max(numbers, default=0) + 1)

    def _verdict(self, round_id: str, cells: tuple[Any, ...], reason: str | None) -> str:
        spec = self.live.box.spec(round_id)
        found = check_ballot(spec.ballot_rules, spec.candidates, list(cells))
        problem = reason or (found and Text(*found).get(self.lang))
        return self.t("not_valid", reason=problem) if problem else self.t("valid")

    def _cells_text(self, cells: tuple[Any, ...]) -> str:
        return " | ".join(str(c) if c not in (None, "") else "·" for c in cells) or \
            self.t("blank")

    def _read_back(self, round_id: str) -> None:
        stored = self.live.box.paper_sheets(round_id)
        self.sheets.value = (f"<b>{esc(self.t('sheets'))}</b>" + "".join(
            f"<div class='tr-paper-stored' data-sheet='{esc(b.sheet)}'>"
            f"{esc(self._line(round_id, b))}</div>" for b in stored)) if stored else ""
        sheets = [b.sheet for b in stored if b.sheet]
        if list(self.fix_select.options) != sheets:
            self.fix_select.options = sheets

    def _line(self, round_id: str, b: StoredBallot) -> str:
        return self.t("stored", sheet=b.sheet, clerk=b.clerk or "",
                      cells=self._cells_text(b.cells),
                      verdict=self._verdict(round_id, b.cells, b.invalid_reason))

    # -- actions ------------------------------------------------------------------------------
    def hand_out(self) -> None:
        """Hand the chosen unit its paper ballot (spends its code for this round)."""
        rid, unit = self.round_select.value, self.unit_select.value
        if rid is None:
            self._say(lambda: self.t("none_open"), "error")
            return
        if unit is None:
            self._say(lambda: self.t("nobody"), "info")
            return
        done = self.live.box.hand_out_paper(rid, unit, actor=self.acting())
        self._say(lambda: self.t("handed", unit=done), "ok")
        self._totals()

    def enter(self, *, invalid: bool) -> None:
        """Save the typed ballot (or an invalid one with its reason), read it back, and move
        to the next sheet."""
        rid = self.round_select.value
        if rid is None:
            self._say(lambda: self.t("none_open"), "error")
            return
        name = self.clerk_name.value.strip()
        if not name:
            self._say(lambda: self.t("name_needed"), "error")
            return
        reason = self.reason.value.strip() if invalid else None
        if invalid and not reason:
            self._say(lambda: self.t("reason_needed"), "error")
            return
        cells = [box.value.strip() for box in self.inputs]
        sheet = self.sheet.value.strip()
        entry = self.live.box.enter_paper(rid, sheet, cells, actor=self.acting(),
                                          invalid_reason=reason, clerk=name,
                                          double_entry=self.double.value)
        if entry.status == "mismatch":
            other = ", ".join(map(str, entry.other or ()))
            self._say(lambda: self.t("mismatch", sheet=sheet, other=other), "error")
            self._totals()
            return
        if entry.status == "waiting":
            self._say(lambda: self.t("waiting", sheet=sheet), "info")
        else:
            stored = next(b for b in self.live.box.paper_sheets(rid) if b.sheet == sheet)
            verdict_ok = self._verdict(rid, stored.cells, stored.invalid_reason) == \
                self.t("valid")
            self._say(lambda: self._line(rid, stored), "ok" if verdict_ok else "error")
        for box in self.inputs:
            box.value = ""
        self.reason.value = ""
        self.sheet.value = self._next_sheet(rid) if entry.status == "counted" else (
            str(int(sheet) + 1) if sheet.isdigit() else "")
        self._totals()

    def correct(self) -> None:
        """Take the chosen sheet back out and put its cells in the form to be entered again."""
        rid, sheet = self.round_select.value, self.fix_select.value
        if rid is None or sheet is None:
            return
        stored = next(b for b in self.live.box.paper_sheets(rid) if b.sheet == sheet)
        self.live.box.withdraw_paper(rid, sheet, actor=self.acting(),
                                     clerk=self.clerk_name.value)
        for box, value in zip(self.inputs, stored.cells, strict=True):
            box.value = "" if value is None else str(value)
        self.reason.value = stored.invalid_reason or ""
        self.sheet.value = sheet
        self._say(lambda: self.t("fixing", sheet=sheet), "info")
        self._totals()
