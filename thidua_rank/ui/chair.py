"""The chair's page (PIN): open and close rounds, reveal results place by place, start a run-off
among units tied at an award cut-off, record the chair's decision, see the head and deputy
rounds as elections and start a re-vote ("Bầu lại") for seats left unfilled, accept the result.

Accepting writes the meeting's documents (counting minutes, meeting minutes, proposal list,
tờ trình, as Word and PDF, through the same :func:`~thidua_rank.report.documents.
write_documents` as ``thidua-rank documents``) and the Excel workbook into a visible folder next
to the meeting (``MEETING/ket-qua/``), and offers each file as a download link. The links carry
the file's bytes (``data:`` URIs) in this page's widgets, which exist only once the chair's PIN
is accepted: nothing on the room's network can fetch the documents without the PIN.

Before the PIN is accepted the page holds nothing but the PIN box: any client can send any
widget a message, so a control that exists is a control that can be pressed. Every action also
names the chair's :class:`~thidua_rank.live.ballot_box.Actor`, which the ballot box checks.
Actions that cannot be undone (close, reveal, the overall result, accept) first show the
figures that matter and wait for "Xác nhận".
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as w

from thidua_rank.i18n import Text, round_title
from thidua_rank.live.ballot_box import RoundSpec
from thidua_rank.live.session import OUTCOME_FOCUS
from thidua_rank.text import format_percent
from thidua_rank.ui.base import esc, message
from thidua_rank.ui.live_page import PinPage

if TYPE_CHECKING:
    from thidua_rank.meeting.elections import Election
    from thidua_rank.meeting.pipeline import MeetingOutcome

__all__ = ["DOCUMENT_STEMS", "ChairPage", "download_link", "results_folder"]

DOCUMENT_STEMS = ("bien-ban-kiem-phieu", "bien-ban-hop", "danh-sach-de-nghi", "to-trinh")
"""The documents written at acceptance (the paper ballots are printed before the meeting)."""
WORKBOOK = "ket-qua.xlsx"
MIME = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def results_folder(meeting_path: str | Path) -> Path:
    """Where acceptance writes the documents: ``MEETING/ket-qua/`` for a meeting folder,
    ``<workbook>-ket-qua/`` next to a meeting workbook (a visible folder, not ``.thidua``).

    >>> results_folder("/hop/ninh-binh").as_posix(), results_folder("/hop/nb.xlsx").as_posix()
    ('/hop/ninh-binh/ket-qua', '/hop/nb-ket-qua')
    """
    path = Path(meeting_path)
    if path.suffix.lower() == ".xlsx":
        return path.with_name(f"{path.stem}-ket-qua")
    return path / "ket-qua"


def download_link(name: str, data: bytes, label: str) -> str:
    """An ``<a download>`` whose ``data:`` URI holds the file's bytes (works offline, and only
    where the page that holds it is shown).

    >>> download_link("a.pdf", b"%PDF", "Biên bản")
    "<a class='tr-download' data-file='a.pdf' download='a.pdf' \
href='data:application/pdf;base64,JVBERg=='>Biên bản</a>"
    """
    mime = MIME.get(name.rsplit(".", 1)[-1], "application/octet-stream")
    encoded = base64.b64encode(data).decode("ascii")
    return (f"<a class='tr-download' data-file='{esc(name)}' download='{esc(name)}' "
            f"href='data:{mime};base64,{encoded}'>{esc(label)}</a>")


def _percent(share: Fraction, lang: str) -> str:
    """A share as the reader's percentage: '66,67%' in Vietnamese, '66.67%' in English."""
    text = format_percent(share)
    return text.replace(".", "\0").replace(",", ".").replace("\0", ",") if lang == "en" \
        else text

STATE_LABELS = {"draft": Text("Chưa mở", "Not opened"), "open": Text("Đang mở", "Open"),
                "closed": Text("Đã đóng", "Closed"), "revealed": Text("Đã công bố", "Revealed")}

# Buttons size to their text and wrap, never cut ("Hiện hạng tiếp th…"); rows of buttons wrap.
CONTROL_STYLE = """
<style>
.tr-chair .jupyter-button, .tr-clerk .jupyter-button {
  height: auto; min-height: 44px; white-space: normal; overflow: visible; text-overflow: clip;
  flex-shrink: 0; max-width: 100%; line-height: 1.3; padding: 0.4em 0.9em; }
.tr-chair .widget-hbox, .tr-clerk .widget-hbox { flex-wrap: wrap; gap: 0.4em;
  align-items: center; }
.tr-chair .tr-election-table { border-collapse: collapse; margin: 0.4em 0 0.6em; }
.tr-chair .tr-election-table th, .tr-chair .tr-election-table td {
  border: 1px solid #c8c8c8; padding: 0.3em 0.8em; text-align: left; vertical-align: top; }
.tr-chair .tr-election-table td:nth-child(2), .tr-chair .tr-election-table td:nth-child(3) {
  text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.tr-chair .tr-election-table tr.tr-elected td { font-weight: bold; background: #e8f5e9; }
.tr-chair .tr-documents li { margin: 0.35em 0; }
.tr-chair a.tr-download { font-size: 1.05em; }
</style>
"""


class ChairPage(PinPage):
    """Meeting control for the chair (protected by the chair's PIN set when the server
    starts)."""

    ROLE = "chair"
    CSS_CLASS = "tr-page tr-chair"
    EXTRA_STYLE = CONTROL_STYLE
    LABELS: ClassVar[dict[str, Text]] = {
        "title": Text("Điều hành bỏ phiếu (Chủ tọa)", "Chair's controls"),
        "pin": Text("Mã PIN của Chủ tọa", "Chair's PIN"),
        "pin_enter": Text("Vào", "Enter"),
        "open": Text("Mở vòng", "Open"),
        "close": Text("Đóng vòng", "Close"),
        "reveal": Text("Công bố", "Reveal"),
        "project": Text("Chiếu", "Project"),
        "next": Text("Hiện hạng tiếp theo", "Show next place"),
        "all": Text("Hiện tất cả", "Show all places"),
        "outcome": Text("Chiếu kết quả chung", "Project the overall result"),
        "runoff": Text("Bỏ phiếu lại giữa: {units}", "Run-off between: {units}"),
        "decide": Text("Ghi quyết định của Chủ tọa: xếp trên",
                       "Record the chair's decision: first"),
        "accept": Text("Chấp nhận kết quả và ghi biên bản",
                       "Accept the result and write the minutes"),
        "accepted": Text("Đã chấp nhận. Mã chuỗi hòm phiếu: {head}. Các văn bản đã được ghi "
                         "vào thư mục {folder}; tải về bên dưới.",
                         "Accepted. Chain head: {head}. The documents were written to the "
                         "folder {folder}; download them below."),
        "rewrite": Text("Ghi lại các văn bản (kết quả đã chấp nhận, không đổi)",
                        "Write the documents again (the accepted result does not change)"),
        "sealed": Text("Kết quả đã được chấp nhận: hòm phiếu đã niêm phong, không mở thêm vòng, "
                       "không bầu lại, không ghi thêm quyết định.",
                       "The result is accepted: the ballot box is sealed; no more rounds, "
                       "re-votes or decisions."),
        "writing": Text("Đang ghi biên bản và các văn bản (Word, PDF)…",
                        "Writing the minutes and the documents (Word, PDF)…"),
        "documents": Text("Văn bản của hội nghị (thư mục {folder})",
                          "The meeting's documents (folder {folder})"),
        "workbook": Text("Bảng tính kết quả", "Results workbook"),
        "elections": Text("Kết quả bầu", "Elections"),
        "seats": Text("{role}: {seats} chỗ", "{role_en}: {seats} seat(s)"),
        "threshold": Text("Ngưỡng trúng cử: {cmp} {share} số {what}",
                          "Threshold: {cmp_en} {share} of the {what}"),
        "no_threshold": Text("Không có ngưỡng: đơn vị nhiều phiếu nhất trúng cử.",
                             "No threshold: the most votes win."),
        "irv_rule": Text("Bầu theo cách loại dần: trúng cử khi quá nửa số phiếu còn hiệu lực.",
                         "Instant runoff: elected with more than half of the ballots still "
                         "live."),
        "col_unit": Text("Đơn vị", "Unit"),
        "col_votes": Text("Số phiếu", "Votes"),
        "col_share": Text("Tỷ lệ trên số {what}", "Share of the {what}"),
        "col_met": Text("Đạt ngưỡng", "Threshold met"),
        "col_result": Text("Kết quả", "Result"),
        "yes": Text("Đạt", "Yes"),
        "no": Text("Không đạt", "No"),
        "elected": Text("Trúng cử", "Elected"),
        "not_elected": Text("Không trúng cử", "Not elected"),
        "excluded": Text("Không thuộc diện bầu ở vòng này", "Not standing in this round"),
        "count": Text("Lần đếm {n}: {tallies} (còn hiệu lực {live}){out}",
                      "Count {n}: {tallies} ({live} live){out}"),
        "eliminated": Text("; loại {units}", "; eliminated {units}"),
        "revote": Text("Bầu lại {role} ({seats} chỗ)", "Re-vote: {role_en} ({seats} seat(s))"),
        "revote_ready": Text("Đã tạo vòng “{title}” với {n} đơn vị: bấm “Mở vòng” để bắt đầu.",
                             "Round “{title}” with {n} candidates is ready: press “Open” to "
                             "start it."),
        "revote_pending": Text("Đang bầu lại: vòng “{title}”.", "Re-vote under way: “{title}”."),
        "done": Text("Đã thực hiện: {what}", "Done: {what}"),
        "state_now": Text("Vòng “{title}”: {state}.", "Round “{title}”: {state}."),
        "projected": Text("Màn chiếu đang hiện: “{title}”.", "The projector shows “{title}”."),
        "runoff_ready": Text("Đã tạo vòng “{title}”: bấm “Mở vòng” để bắt đầu.",
                             "Round “{title}” is ready: press “Open” to start it."),
        "tie": Text("Đồng hạng tại ngưỡng khen thưởng ({tier}): {units}",
                    "Tied at the award cut-off ({tier}): {units}"),
        "figures": Text("phát ra {issued} · thu về {returned} (điện thoại {phone}, giấy "
                        "{paper}) · hợp lệ {valid} · không hợp lệ {invalid} · phiếu giấy đã "
                        "phát {paper_out}",
                        "issued {issued} · returned {returned} (phone {phone}, paper "
                        "{paper}) · valid {valid} · invalid {invalid} · paper handed out "
                        "{paper_out}"),
        "quorum": Text("Số phiếu tối thiểu (đủ số thành viên): {needed}.",
                       "Minimum ballots (quorum): {needed}."),
        "ask_close": Text("Đóng vòng “{title}”? Sau khi đóng không nhận thêm phiếu.",
                          "Close “{title}”? No ballot is accepted after closing."),
        "ask_reveal": Text("Công bố kết quả vòng “{title}” lên màn chiếu? Không thể giấu lại.",
                           "Reveal the result of “{title}” on the projector? It cannot be hidden "
                           "again."),
        "ask_outcome": Text("Chiếu kết quả chung (xếp hạng, khen thưởng, Trưởng khối)?",
                            "Project the overall result (ranking, awards, head unit)?"),
        "ask_accept": Text("Chấp nhận kết quả của hội nghị? Kết quả được ghi vào chuỗi hòm "
                           "phiếu và biên bản; không thể sửa lại.",
                           "Accept the meeting's result? It is written into the ballot box's "
                           "chain and the minutes; it cannot be changed afterwards."),
        "pending_ties": Text("Còn đồng hạng chưa giải quyết: {ties}.",
                             "Ties still unsettled: {ties}."),
        "confirm": Text("Xác nhận", "Confirm"),
        "cancel": Text("Hủy", "Cancel"),
        "cancelled": Text("Đã hủy.", "Cancelled."),
        "blocked": Text("Chưa thể chấp nhận: {reasons}", "Cannot accept yet: {reasons}"),
        "missing": Text("Kết quả chung cần công bố đủ các vòng: {rounds}",
                        "The overall result needs every round revealed: {rounds}"),
        "failures": Text("Nhập sai mã PIN: {items}", "Wrong PINs entered: {items}"),
        "role_chair": Text("Chủ tọa", "chair"),
        "role_clerk": Text("Thư ký", "clerk"),
        "head": Text("Mã kiểm tra hòm phiếu sau khi đóng: {head}",
                     "Chain head after closing: {head}"),
    }

    def relabel_controls(self) -> None:
        self.next_button.description = self.t("next")
        self.all_button.description = self.t("all")
        self.outcome_button.description = self.t("outcome")
        self.accept_button.description = self.t("rewrite" if self._sealed() else "accept")
        self.confirm_button.description = self.t("confirm")
        self.cancel_button.description = self.t("cancel")
        if self.documents.value:
            self._show_documents()

    def build_controls(self) -> None:
        self.rounds_box = w.VBox()
        self.tie_box = w.VBox()
        self.failures = w.HTML()
        self.failures.add_class("tr-pin-failures")
        self.next_button = self._button("", "tr-next-place", lambda: self._reveal_step(None))
        self.all_button = self._button("", "tr-reveal-all", lambda: self._reveal_step(10_000))
        self.outcome_button = self._button("", "tr-show-outcome", self.ask_outcome, "warning")
        self.accept_button = self._button("", "tr-accept", self.ask_accept, "success")
        self.confirm_text = w.HTML()
        self.confirm_text.add_class("tr-chair-question")
        self.confirm_button = self._button("", "tr-chair-confirm", self._confirmed, "danger")
        self.cancel_button = self._button("", "tr-chair-cancel", self._cancel)
        self.confirm_box = w.VBox([self.confirm_text,
                                   w.HBox([self.confirm_button, self.cancel_button])],
                                  layout=w.Layout(display="none"))
        self._pending: Callable[[], Any] | None = None
        self.elections_box = w.VBox()
        self.elections_box.add_class("tr-chair-elections")
        self.documents = w.HTML()
        self.documents.add_class("tr-documents")
        self.body.children = [self.confirm_box, self.rounds_box,
                              w.HBox([self.next_button, self.all_button, self.outcome_button]),
                              self.tie_box, self.elections_box, self.accept_button,
                              self.documents, self.failures]
        self.relabel_controls()

    # -- refresh ------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.actor is None:
            return
        quorum = self.live.box.quorum()
        rows: list[w.Widget] = [w.HTML(f"<p>{esc(self.t('quorum', needed=quorum))}</p>")]
        figures = {r["id"]: r for r in self.live.status()}
        for spec, state in self.live.box.rounds():
            rows.append(self._round_row(spec, state, figures[spec.id]))
        self.rounds_box.children = rows
        outcome = None if self.live.missing_rounds() else self.live.outcome()
        sealed = self._sealed()
        self._ties(None if sealed else outcome)
        self._elections(outcome, sealed=sealed)
        self.accept_button.description = self.t("rewrite" if sealed else "accept")
        if self.live.event_head("accepted") and not self.documents.value:
            self._show_documents()
        self._failures()

    def _button(self, label: str, css: str, action: Callable[[], Any],
                style: str = "") -> w.Button:
        return self.button(css, action, description=label, style=style,
                           layout=w.Layout(width="auto", min_height="44px"))

    def _round_title(self, spec: RoundSpec) -> str:
        return round_title(spec.title, spec.title_en, self.lang)

    def _figures(self, spec: RoundSpec, row: dict[str, Any], *, titled: bool = True) -> str:
        figures = self.t("figures", **{k: row[k] for k in ("issued", "returned", "phone",
                                                          "paper", "valid", "invalid",
                                                          "paper_out")})
        return f"{self._round_title(spec)}: {figures}" if titled else figures

    def _round_row(self, spec: RoundSpec, state: str, row: dict[str, Any]) -> w.VBox:
        figures = self._figures(spec, row, titled=False)
        info = w.HTML(f"<span class='tr-round-state' data-round='{esc(spec.id)}' "
                      f"data-state='{state}'><b>{esc(self._round_title(spec))}</b> · "
                      f"{esc(STATE_LABELS[state].get(self.lang))}</span><br><span "
                      f"class='tr-round-figures'>{esc(figures)}</span>")
        buttons = []
        if state == "draft":
            buttons.append(self._button(self.t("open"), f"tr-open-{spec.id}",
                                        lambda: self._open(spec), "primary"))
        elif state == "open":
            buttons.append(self._button(self.t("close"), f"tr-close-{spec.id}",
                                        lambda: self.ask_close(spec), "danger"))
        elif state == "closed":
            buttons.append(self._button(self.t("reveal"), f"tr-reveal-{spec.id}",
                                        lambda: self.ask_reveal(spec), "success"))
        buttons.append(self._button(self.t("project"), f"tr-focus-{spec.id}",
                                    lambda: self._focus(spec)))
        head = self.live.event_head("closed", spec.id) if state in ("closed", "revealed") \
            else None
        extra = [w.HTML(f"<small class='tr-close-head'>{esc(self.t('head', head=head))}"
                        f"</small>")] if head else []
        return w.VBox([w.HBox([info, *buttons]), *extra])

    def _ties(self, outcome: MeetingOutcome | None) -> None:
        """Offer a run-off or a chair's decision for units tied at an award cut-off."""
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

    # -- elections ----------------------------------------------------------------------------
    def _sealed(self) -> bool:
        """Whether the chair has accepted the result (the ballot box refuses every change
        then; the page only stops offering them)."""
        return self.live.event_head("accepted") is not None

    def _elections(self, outcome: MeetingOutcome | None, *, sealed: bool = False) -> None:
        """Head and deputy rounds as elections; "Bầu lại" under the last round of an office
        that left a seat unfilled (unless a re-vote of it is already under way, or the result
        is accepted)."""
        from thidua_rank.meeting.elections import elections

        found = elections(outcome) if outcome is not None else ()
        if not found:
            self.elections_box.children = []
            return
        pending = {s.revote_of: s for s in self.live.pending_revotes()}
        last = {e.decides: e.round_id for e in found}
        children: list[w.Widget] = [w.HTML(f"<h3>{esc(self.t('elections'))}</h3>")]
        for e in found:
            children.append(w.HTML(self._election_html(e)))
            if not e.unfilled or last[e.decides] != e.round_id:
                continue
            children.append(w.HTML(message(e.unfilled_text(self.lang), "error")))
            if sealed:
                children.append(w.HTML(message(self.t("sealed"), "info")))
                continue
            root = self.live.box.spec(e.round_id).revote_of or e.round_id
            if root in pending:
                title = self._round_title(pending[root])
                children.append(w.HTML(message(self.t("revote_pending", title=title), "info")))
                continue
            children.append(self._button(
                self.t("revote", role=e.role, role_en=e.role_en, seats=e.unfilled),
                "tr-start-revote", lambda rid=e.round_id: self._revote(rid), "warning"))
        self.elections_box.children = children

    def _election_html(self, e: Election) -> str:
        """One election: seats, the rule, per candidate the votes, the share with what it is
        of, whether the threshold was met, and who was elected."""
        from thidua_rank.meeting.elections import DENOMINATOR_WORDS

        vi_en = 1 if self.lang == "en" else 0
        spec = self.live.box.spec(e.round_id)
        lines = [f"<b>{esc(self._round_title(spec))}</b> · "
                 f"{esc(self.t('seats', role=e.role, role_en=e.role_en, seats=e.seats))}"]
        what = DENOMINATOR_WORDS[e.candidates[0].denominator_name][vi_en] if e.candidates \
            else ""
        if e.is_instant_runoff:
            lines.append(esc(self.t("irv_rule")))
        elif e.threshold is not None:
            th = e.threshold
            lines.append(esc(self.t(
                "threshold", share=_percent(th.share, self.lang),
                cmp="trên" if th.comparison == ">" else "từ",
                cmp_en="more than" if th.comparison == ">" else "at least",
                what=DENOMINATOR_WORDS[th.denominator][vi_en])))
        else:
            lines.append(esc(self.t("no_threshold")))
        has_threshold = e.threshold is not None and not e.is_instant_runoff
        head = [self.t("col_unit"), self.t("col_votes"), self.t("col_share", what=what),
                *([self.t("col_met")] if has_threshold else []), self.t("col_result")]
        rows = []
        for c in e.candidates:
            result = self.t("excluded") if c.excluded else \
                self.t("elected") if c.elected else self.t("not_elected")
            met = [self.t("yes") if c.threshold_met else self.t("no")] if has_threshold else []
            cells = [c.unit, str(c.votes),
                     f"{c.votes}/{c.denominator} = {_percent(c.share, self.lang)}", *met, result]
            css = "tr-elected" if c.elected else "tr-not-elected"
            rows.append(f"<tr class='{css}' data-unit='{esc(c.unit)}'>"
                        + "".join(f"<td>{esc(x)}</td>" for x in cells) + "</tr>")
        table = ("<table class='tr-election-table'><tr>"
                 + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>" + "".join(rows)
                 + "</table>")
        counts = [esc(self.t("count", n=k.number, live=k.live,
                             tallies=", ".join(f"{u} {v}" for u, v in k.tallies),
                             out=self.t("eliminated", units=", ".join(k.eliminated))
                             if k.eliminated else ""))
                  for k in e.counts]
        return (f"<div class='tr-election' data-round='{esc(e.round_id)}' "
                f"data-unfilled='{e.unfilled}'><p>{'<br>'.join(lines)}</p>{table}"
                + "".join(f"<div class='tr-irv-count'>{c}</div>" for c in counts) + "</div>")

    def _revote(self, round_id: str) -> None:
        spec = self.live.start_revote(round_id, actor=self.acting())
        self.status.value = message(self.t("revote_ready", title=self._round_title(spec),
                                           n=len(spec.candidates)), "ok")
        self.refresh()

    def _failures(self) -> None:
        items = [f"{e['at'][11:16]} ({self.t('role_' + e['payload']['role'])})"
                 for e in self.live.box.pin_failures()]
        self.failures.value = message(self.t("failures", items=", ".join(items)), "error") \
            if items else ""

    # -- confirmation -------------------------------------------------------------------------
    def _ask(self, question: str, details: list[str], action: Callable[[], Any]) -> None:
        """Show *question* with the figures that matter; *action* runs on "Xác nhận"."""
        self._pending = action
        lines = "".join(f"<li>{esc(d)}</li>" for d in details)
        self.confirm_text.value = message(question, "info") + (f"<ul>{lines}</ul>" if lines
                                                               else "")
        self.confirm_box.layout.display = ""

    def _confirmed(self) -> None:
        action, self._pending = self._pending, None
        self.confirm_box.layout.display = "none"
        if action is not None:
            action()

    def _cancel(self) -> None:
        self._pending = None
        self.confirm_box.layout.display = "none"
        self.status.value = message(self.t("cancelled"), "info")

    def _round_figures(self, spec: RoundSpec) -> list[str]:
        row = next(r for r in self.live.status() if r["id"] == spec.id)
        lines = [self._figures(spec, row), self.t("quorum", needed=self.live.box.quorum())]
        lines += [Text(*w).get(self.lang) for w in self.live.box.close_warnings(spec.id)]
        return lines

    def ask_close(self, spec: RoundSpec) -> None:
        """Ask before closing: turnout against issued and the quorum, paper not entered."""
        self._ask(self.t("ask_close", title=self._round_title(spec)), self._round_figures(spec),
                  lambda: self._advance(spec, "closed"))

    def ask_reveal(self, spec: RoundSpec) -> None:
        """Ask before revealing a closed round on the projector."""
        self._ask(self.t("ask_reveal", title=self._round_title(spec)),
                  self._round_figures(spec)[:1], lambda: self._advance(spec, "revealed"))

    def _pending_ties(self) -> list[str]:
        outcome = None if self.live.missing_rounds() else self.live.outcome()
        return [f"{a.tier.label}: {', '.join(a.pending)}" for a in
                (outcome.awards if outcome else ()) if a.pending]

    def ask_outcome(self) -> None:
        """Ask before projecting the overall result (it needs every round revealed)."""
        missing = self.live.missing_rounds()
        if missing:
            self.status.value = message(self.t("missing", rounds=", ".join(missing)), "error")
            return
        ties = self._pending_ties()
        details = [self.t("pending_ties", ties="; ".join(ties))] if ties else []
        self._ask(self.t("ask_outcome"), details, self.show_outcome)

    def ask_accept(self) -> None:
        """Refuse while a round is open or a cut-off tie is unsettled; else ask. Once accepted
        the button writes the documents again from the recorded result (nothing to ask)."""
        if self._sealed():
            self.accept()
            return
        blockers = [Text(*b).get(self.lang) for b in self.live.accept_blockers()]
        if blockers:
            self.status.value = message(self.t("blocked", reasons=" ".join(blockers)), "error")
            return
        details = [self._figures(spec, row) for (spec, _), row in
                   zip(self.live.box.rounds(), self.live.status(), strict=True)]
        self._ask(self.t("ask_accept"), details, self.accept)

    # -- actions ------------------------------------------------------------------------------
    def _done(self, what: str) -> None:
        self.status.value = message(self.t("done", what=what), "ok")
        self.refresh()

    def _open(self, spec: RoundSpec) -> None:
        self.live.box.set_state(spec.id, "open", actor=self.acting())
        self.live.box.set_focus(spec.id, actor=self.acting())
        self._state_now(spec, "open")

    def _advance(self, spec: RoundSpec, state: str) -> None:
        self.live.box.set_state(spec.id, state, actor=self.acting(),  # type: ignore[arg-type]
                                confirm=True)
        if state == "revealed":
            self.live.box.set_focus(spec.id, actor=self.acting())
        self._state_now(spec, state)

    def _state_now(self, spec: RoundSpec, state: str) -> None:
        """Say the round's new state in words, by its title."""
        self.status.value = message(self.t("state_now", title=self._round_title(spec),
                                           state=STATE_LABELS[state].get(self.lang)), "ok")
        self.refresh()

    def _focus(self, spec: RoundSpec) -> None:
        self.live.box.set_focus(spec.id, actor=self.acting())
        self.status.value = message(self.t("projected", title=self._round_title(spec)), "ok")
        self.refresh()

    def _reveal_step(self, step: int | None) -> None:
        focus = self.live.box.meta("focus")
        if focus is None or focus == OUTCOME_FOCUS:
            return
        self.live.box.advance_reveal(focus, step, actor=self.acting())
        self._done(self.t("next") if step is None else self.t("all"))

    def show_outcome(self) -> None:
        """Project the overall result (ranking, awards, leadership)."""
        missing = self.live.missing_rounds()
        if missing:
            self.status.value = message(self.t("missing", rounds=", ".join(missing)), "error")
            return
        self.live.box.set_focus(OUTCOME_FOCUS, actor=self.acting())
        self._done(self.t("outcome"))

    def _runoff(self, units: list[str], tier: str) -> None:
        spec = self.live.start_runoff(units, tier=tier, actor=self.acting())
        self.status.value = message(self.t("runoff_ready", title=self._round_title(spec)), "ok")
        self.refresh()

    def _decide(self, units: list[str], first: str) -> None:
        order = [first, *[u for u in units if u != first]]
        self.live.box.record_decision(units, order, note="quyết định của Chủ tọa",
                                      actor=self.acting())
        self._done(self.t("decide") + f" {first}")

    def accept(self) -> None:
        """Accept the result: record it in the event chain, then write the documents (with the
        chain head, round digests and receipts) and the workbook into :func:`results_folder`
        and show them as download links.

        Acceptance is recorded once (the box is sealed from then on); pressing the button
        again only writes the documents again from the accepted record, with the same head.
        """
        from thidua_rank.report.documents import write_documents
        from thidua_rank.report.minutes import LiveRecord
        from thidua_rank.report.xlsx import write_outcome_xlsx

        head = self.live.event_head("accepted")
        if head is None:
            blockers = [Text(*b).get(self.lang) for b in self.live.accept_blockers()]
            if blockers:
                self.status.value = message(self.t("blocked", reasons=" ".join(blockers)),
                                            "error")
                return
        outcome = self.live.outcome()
        if outcome is None:  # accept_blockers names the unrevealed rounds
            return
        if head is None:
            head = self.live.box.record_accepted(outcome.to_dict(), actor=self.acting())
        self.status.value = message(self.t("writing"), "info")
        folder = results_folder(self.live.meeting_path)
        record = LiveRecord(head, self.live.round_digests(),
                            self.live.box.verify().receipts)
        write_documents(outcome, folder, formats=("docx", "pdf"), documents=DOCUMENT_STEMS,
                        record=record)
        write_outcome_xlsx(outcome, folder / WORKBOOK)
        self.status.value = message(self.t("accepted", head=head, folder=str(folder)), "ok")
        self._show_documents()
        self.refresh()

    def _show_documents(self) -> None:
        """Download links for the documents found in :func:`results_folder` (after acceptance,
        also when the page is opened again)."""
        from thidua_rank.report.documents import DOCUMENTS

        folder = results_folder(self.live.meeting_path)
        links = []
        for stem in DOCUMENT_STEMS:
            for fmt in ("docx", "pdf"):
                path = folder / f"{stem}.{fmt}"
                if path.is_file():
                    links.append(download_link(path.name, path.read_bytes(),
                                               f"{DOCUMENTS[stem].title} (.{fmt})"))
        if (folder / WORKBOOK).is_file():
            links.append(download_link(WORKBOOK, (folder / WORKBOOK).read_bytes(),
                                       f"{self.t('workbook')} (.xlsx)"))
        self.documents.value = (f"<h3>{esc(self.t('documents', folder=str(folder)))}</h3><ul>"
                                + "".join(f"<li>{a}</li>" for a in links) + "</ul>") \
            if links else ""
