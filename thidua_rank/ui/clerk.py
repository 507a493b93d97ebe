"""The clerk's page: fast keyboard entry of paper ballots, invalid ballots with a reason,
optional double entry by two clerks (mismatches flagged), running totals."""

from __future__ import annotations

from typing import Any, ClassVar

import ipywidgets as w

from thidua_rank.live.session import check_ballot
from thidua_rank.ui.base import Page, esc, message

__all__ = ["ClerkPage"]


class ClerkPage(Page):
    """Enter paper ballots into the open round."""

    LABELS: ClassVar[dict[str, tuple[str, str]]] = {
        "title": ("Nhập phiếu giấy", "Paper ballot entry"),
        "round": ("Vòng", "Round"),
        "clerk": ("Người nhập", "Clerk"),
        "double": ("Nhập hai lần (hai người)", "Double entry (two clerks)"),
        "sheet": ("Số tờ phiếu", "Sheet no."),
        "save": ("Ghi phiếu", "Save ballot"),
        "invalid": ("Phiếu không hợp lệ", "Invalid ballot"),
        "reason": ("Lý do không hợp lệ", "Reason it is invalid"),
        "reason_needed": ("Ghi lý do phiếu không hợp lệ.", "Give the reason the ballot is "
                                                           "invalid."),
        "none_open": ("Chưa có vòng bỏ phiếu nào đang mở.", "No round is open."),
        "ranked_help": ("Gõ thứ hạng (1 = cao nhất), để trống nếu không xếp; Tab để sang ô "
                        "sau.", "Type the place (1 = best), blank if unranked; Tab moves on."),
        "mark_help": ("Gõ 1 (hoặc x) nếu đánh dấu, để trống nếu không.",
                      "Type 1 (or x) for a mark, blank otherwise."),
        "counted": ("Đã ghi tờ số {sheet}.", "Sheet {sheet} saved."),
        "counted_invalid": ("Đã ghi tờ số {sheet}: KHÔNG HỢP LỆ — {reason}",
                            "Sheet {sheet} saved: INVALID — {reason}"),
        "waiting": ("Tờ số {sheet}: chờ người thứ hai nhập.",
                    "Sheet {sheet}: waiting for the second clerk."),
        "mismatch": ("Tờ số {sheet}: KHÔNG KHỚP với lần nhập trước ({other}). Kiểm tra tờ phiếu "
                     "và nhập lại.", "Sheet {sheet}: DOES NOT MATCH the other entry ({other}). "
                                     "Check the paper and enter it again."),
        "totals": ("Phát ra: {issued} · Bỏ phiếu điện tử: {voted} · Phiếu giấy đã nhập: {paper}"
                   " · Còn lại: {left}", "Issued: {issued} · Electronic: {voted} · Paper "
                                         "entered: {paper} · Left: {left}"),
        "mismatches": ("Tờ phiếu nhập không khớp: {sheets}", "Sheets that do not match: "
                                                            "{sheets}"),
    }

    def title(self) -> str:
        return self.t("title")

    def build(self) -> None:
        self.round_select = w.Dropdown(options=[])
        self.round_select.add_class("tr-paper-round")
        self.round_select.observe(lambda _: self.safe(self._build_grid), names="value")
        self.clerk_name = w.Text(layout=w.Layout(width="12em"))
        self.clerk_name.add_class("tr-paper-clerk")
        self.double = w.Checkbox(value=False, indent=False)
        self.double.add_class("tr-paper-double")
        self.sheet = w.Text(value="1", layout=w.Layout(width="6em"))
        self.sheet.add_class("tr-paper-sheet")
        self.help = w.HTML()
        self.grid = w.VBox()
        self.inputs: list[w.Text] = []
        self.reason = w.Text(layout=w.Layout(width="24em"))
        self.reason.add_class("tr-paper-reason")
        self.save = w.Button(button_style="primary")
        self.save.add_class("tr-paper-save")
        self.save.on_click(lambda _: self.safe(lambda: self.enter(invalid=False)))
        self.invalid = w.Button(button_style="danger")
        self.invalid.add_class("tr-paper-invalid")
        self.invalid.on_click(lambda _: self.safe(lambda: self.enter(invalid=True)))
        self.result = w.HTML()
        self.result.add_class("tr-paper-result")
        self.totals = w.HTML()
        self.totals.add_class("tr-paper-totals")
        self.labels = {k: w.HTML() for k in ("round", "clerk", "sheet", "reason")}
        self.body.children = [
            w.HBox([self.labels["round"], self.round_select, self.labels["clerk"],
                    self.clerk_name, self.double]),
            self.totals, w.HBox([self.labels["sheet"], self.sheet]), self.help, self.grid,
            w.HBox([self.save]), w.HBox([self.labels["reason"], self.reason, self.invalid]),
            self.result]
        self.on_lang()

    def on_lang(self) -> None:
        for key, label in self.labels.items():
            label.value = f"<b>{esc(self.t(key))}</b>&nbsp;"
        self.double.description = self.t("double")
        self.save.description = self.t("save")
        self.invalid.description = self.t("invalid")

    def refresh(self) -> None:
        specs = self.live.box.open_rounds()
        options = [(s.title, s.id) for s in specs]
        if [tuple(o) for o in options] != [tuple(o) for o in self.round_select.options]:
            current = self.round_select.value
            ids = [o[1] for o in options]
            self.round_select.options = options
            self.round_select.value = current if current in ids else (ids[0] if ids else None)
        if not specs:
            self.totals.value = message(self.t("none_open"))
            self.grid.children = []
            return
        self._totals()

    def _totals(self) -> None:
        rid = self.round_select.value
        if rid is None:
            return
        turnout = self.live.box.turnout(rid)
        text = message(self.t("totals", issued=turnout.issued, voted=turnout.voted,
                              paper=turnout.paper,
                              left=max(turnout.issued - turnout.returned, 0)))
        bad = self.live.box.mismatches(rid)
        if bad:
            text += message(self.t("mismatches", sheets=", ".join(bad)), "error")
        self.totals.value = text

    def _build_grid(self) -> None:
        rid = self.round_select.value
        if rid is None:
            self.grid.children = []
            return
        spec = self.live.box.spec(rid)
        members = self.live.meeting.members
        index = self.live.meeting.index
        key = "ranked_help" if spec.kind == "ranked" else "mark_help"
        self.help.value = f"<p>{esc(self.t(key))}</p>"
        self.inputs = []
        rows = []
        for unit in spec.candidates:
            member = members[index.position(unit)]
            box = w.Text(layout=w.Layout(width="5em"))
            box.add_class(f"tr-paper-{member.id}")
            self.inputs.append(box)
            rows.append(w.HBox([box, w.HTML(f"&nbsp;{esc(unit)}")]))
        self.grid.children = rows
        self._totals()

    def _cells(self) -> list[Any]:
        return [box.value.strip() for box in self.inputs]

    def enter(self, *, invalid: bool) -> None:
        """Save the typed ballot (or an invalid one with its reason) and move to the next."""
        rid = self.round_select.value
        if rid is None:
            self.result.value = message(self.t("none_open"), "error")
            return
        reason = self.reason.value.strip() if invalid else None
        if invalid and not reason:
            self.result.value = message(self.t("reason_needed"), "error")
            return
        cells = self._cells()
        sheet = self.sheet.value.strip()
        entry = self.live.box.enter_paper(rid, sheet, cells, invalid_reason=reason,
                                          clerk=self.clerk_name.value.strip(),
                                          double_entry=self.double.value)
        if entry.status == "mismatch":
            self.result.value = message(self.t("mismatch", sheet=sheet,
                                               other=", ".join(map(str, entry.other or ()))),
                                        "error")
            self._totals()
            return
        if entry.status == "waiting":
            self.result.value = message(self.t("waiting", sheet=sheet), "info")
        else:
            spec = self.live.box.spec(rid)
            found = check_ballot(self.live.rules(spec), spec.candidates, cells)
            problem = reason or (found and found[0 if self.lang == "vi" else 1])
            self.result.value = message(self.t("counted_invalid", sheet=sheet, reason=problem)
                                        if problem else self.t("counted", sheet=sheet),
                                        "error" if problem else "ok")
        for box in self.inputs:
            box.value = ""
        self.reason.value = ""
        self.sheet.value = str(int(sheet) + 1) if sheet.isdigit() else ""
        self._totals()
