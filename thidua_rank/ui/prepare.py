"""The preparation page: the emulation-office clerk gets a meeting ready without writing TOML or
CSV (``thidua-rank prepare``, this computer only).

Five steps, top to bottom:

1. **the workbook**: download an empty template, fill it in Excel, upload it (or open the
   workbook or meeting folder given on the command line);
2. **the check**: every problem at once (:func:`thidua_rank.io.validate.validate_meeting`), one
   table row each with the sheet, row, column and value, in Vietnamese or English;
3. **the preview**: members, criteria with their weights, the resolved scores and the rounds
   (kind, threshold, seats);
4. **printing**: the voting-code slips (PDF: code, typed address, how to vote, QR) and the paper
   ballots (PDF, :func:`thidua_rank.report.documents.paper_ballots`) as download links;
5. **the start**: one button writes the meeting folder (a workbook becomes ``meeting.toml`` and
   CSV files, :func:`thidua_rank.io.convert.workbook_to_folder`) and starts the live meeting in
   its own process; the page then shows its addresses and PINs. A second click shows the
   meeting already running (the server's lock file says so) instead of starting another.

Files go beside the workbook: the uploaded workbook itself, the meeting folder named after it
(``hoi-nghi.xlsx`` → ``hoi-nghi/``) and, inside that folder's ``.thidua/``, the slips and the
ballot box; the paper ballots are ``phieu-bau.pdf`` in the meeting folder.

The page never starts a process itself: :mod:`thidua_rank.server.prepare` gives it a
:class:`MeetingLauncher` (tests give it a fake one).
"""

from __future__ import annotations

import base64
import dataclasses
import html
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, ClassVar, Protocol

import ipywidgets as w

from thidua_rank.errors import InputError, ThiduaRankError
from thidua_rank.i18n import Language, Text
from thidua_rank.io.atomic import atomic_write
from thidua_rank.io.convert import workbook_to_folder
from thidua_rank.io.load import WORKBOOK_SUFFIXES, load_meeting
from thidua_rank.io.template import write_template
from thidua_rank.io.validate import validate_meeting
from thidua_rank.meeting.config import MeetingInfo, RoundConfig
from thidua_rank.meeting.model import Meeting
from thidua_rank.text import format_number
from thidua_rank.ui.base import BasePage, esc, message

__all__ = ["ENV_CWD", "ENV_PATH", "TEMPLATE_NAME", "MeetingLauncher", "MeetingServer",
           "PreparePage", "threshold_text"]

ENV_PATH = "THIDUA_PREPARE_PATH"
"""The workbook or meeting folder ``thidua-rank prepare`` was given (may be empty)."""
ENV_CWD = "THIDUA_PREPARE_CWD"
"""The folder the command was started in: uploads and the template go there."""
TEMPLATE_NAME = "mau-hoi-nghi.xlsx"
BALLOTS_NAME = "phieu-bau.pdf"
SLIPS_NAME = "ma-bo-phieu.pdf"

PAGE_NAMES = {"projector": Text("Màn chiếu", "Projector"), "chair": Text("Chủ tọa", "Chair"),
              "clerk": Text("Thư ký nhập phiếu", "Clerk"),
              "delegate": Text("Đại biểu", "Delegates")}


@dataclass(frozen=True)
class MeetingServer:
    """A live meeting server: where it answers, its PINs, and whether this click started it."""

    folder: Path
    pid: int
    urls: Mapping[str, str]
    pins: Mapping[str, str]
    log: Path
    started_now: bool = True
    command: Sequence[str] = field(default_factory=tuple)


class MeetingLauncher(Protocol):
    """What the page needs from the server layer to start a meeting."""

    def delegate_url(self) -> str:
        """The delegates' page address (typed on the slips, in the QR)."""
        ...

    def running(self, folder: Path) -> MeetingServer | None:
        """The server already serving *folder*, if any."""
        ...

    def start(self, folder: Path) -> MeetingServer:
        """Start the live meeting of *folder* (or return the one already running)."""
        ...


LABELS: dict[str, Text] = {
    "title": Text("Chuẩn bị hội nghị", "Prepare the meeting"),
    "no_meeting": Text("Chưa mở tệp nào", "No workbook opened yet"),
    "step1": Text("1. Tệp Excel của hội nghị", "1. The meeting workbook"),
    "step1_help": Text(
        "Tải tệp mẫu, điền các trang Cấu hình, Đơn vị, Tiêu chí, Chấm điểm bằng Excel, lưu lại "
        "rồi tải lên đây. Có thể tải lên lại bao nhiêu lần cũng được sau khi sửa.",
        "Download the template, fill in the Settings, Units, Criteria and Scores sheets in "
        "Excel, save it and upload it here. Upload it again as often as needed after a fix."),
    "template": Text("Tạo tệp mẫu trống", "Make an empty template"),
    "upload": Text("Tải tệp Excel lên", "Upload the workbook"),
    "template_ready": Text("Tệp mẫu: {link} (đã lưu tại {path})",
                           "Template: {link} (saved as {path})"),
    "download": Text("tải về", "download"),
    "source": Text("Đang mở: {path}", "Opened: {path}"),
    "step2": Text("2. Kiểm tra", "2. Check"),
    "ok": Text("Không có lỗi: tệp dùng được cho hội nghị.",
               "No problem: the workbook is ready for the meeting."),
    "problems": Text("Có {n} lỗi cần sửa trong tệp, rồi tải lên lại:",
                     "{n} problems to fix in the workbook, then upload it again:"),
    "col_sheet": Text("Trang tính / tệp", "Sheet / file"),
    "col_row": Text("Dòng", "Row"),
    "col_column": Text("Cột", "Column"),
    "col_value": Text("Giá trị", "Value"),
    "col_problem": Text("Vấn đề", "Problem"),
    "step3": Text("3. Xem trước", "3. Preview"),
    "members": Text("Đơn vị ({n}, có mặt {present})", "Units ({n}, {present} present)"),
    "criteria": Text("Tiêu chí chấm điểm (thang {scale})", "Scoring criteria (scale {scale})"),
    "scores": Text("Điểm ({rule})", "Scores ({rule})"),
    "rounds": Text("Các vòng bỏ phiếu", "Ballot rounds"),
    "no_criteria": Text("Không chấm điểm theo tiêu chí.", "No criteria scores."),
    "h_no": Text("STT", "No."), "h_id": Text("Mã", "Id"), "h_name": Text("Tên", "Name"),
    "h_short": Text("Viết tắt", "Short name"), "h_present": Text("Có mặt", "Present"),
    "h_group": Text("Nhóm", "Group"), "h_max": Text("Điểm tối đa", "Max points"),
    "h_weight": Text("Trọng số", "Weight"), "h_floor": Text("Mức sàn", "Floor"),
    "h_kind": Text("Loại", "Kind"), "h_unit": Text("Đơn vị", "Unit"),
    "h_items": Text("Tiêu chí", "Items"), "h_bonus": Text("Thưởng", "Bonus"),
    "h_deduct": Text("Trừ", "Deductions"), "h_total": Text("Tổng", "Total"),
    "h_source": Text("Nguồn điểm", "Source"), "h_round": Text("Vòng", "Round"),
    "h_decides": Text("Quyết định", "Decides"), "h_threshold": Text("Ngưỡng", "Threshold"),
    "h_seats": Text("Số ghế", "Seats"), "h_candidates": Text("Ứng viên", "Candidates"),
    "yes": Text("có", "yes"), "no": Text("vắng", "absent"),
    "all_units": Text("tất cả ({n})", "all ({n})"),
    "max_choices": Text(", chọn tối đa {n}", ", at most {n} marks"),
    "step4": Text("4. In phiếu", "4. Print"),
    "step4_help": Text(
        "Phiếu mã bỏ phiếu (mỗi đơn vị có mặt một phiếu: mã, địa chỉ, cách bỏ phiếu, mã QR) và "
        "phiếu bầu giấy cho mọi vòng. Tạo phiếu mã sẽ phát mã cho các đơn vị (một lần).",
        "Voting-code slips (one per unit present: code, address, how to vote, QR) and paper "
        "ballots for every round. Making the slips issues the codes (once)."),
    "print": Text("Tạo phiếu mã và phiếu bầu", "Make the slips and ballots"),
    "slips": Text("Phiếu mã bỏ phiếu (PDF)", "Voting-code slips (PDF)"),
    "ballots": Text("Phiếu bầu giấy (PDF)", "Paper ballots (PDF)"),
    "saved_at": Text("đã lưu tại", "saved as"),
    "printed": Text("Đã tạo phiếu mã ({codes} mã) và phiếu bầu.",
                    "Slips ({codes} codes) and ballots made."),
    "step5": Text("5. Bắt đầu hội nghị", "5. Start the meeting"),
    "step5_help": Text(
        "Ghi thư mục hội nghị và chạy máy chủ bỏ phiếu trên mạng của hội trường. Máy chủ vẫn "
        "chạy khi đóng trang này; dừng bằng cách tắt tiến trình (số hiện bên dưới).",
        "Writes the meeting folder and runs the voting server on the room's network. The "
        "server keeps running when this page is closed; stop it by ending its process (number "
        "below)."),
    "start": Text("Bắt đầu hội nghị", "Start the meeting"),
    "starting": Text("Đang khởi động máy chủ…", "Starting the server…"),
    "started": Text("Hội nghị đã bắt đầu (tiến trình {pid}).",
                    "The meeting has started (process {pid})."),
    "already": Text("Hội nghị này đang chạy (tiến trình {pid}); không khởi động thêm máy chủ.",
                    "This meeting is already running (process {pid}); no second server "
                    "started."),
    "folder": Text("Thư mục hội nghị", "Meeting folder"),
    "server_log": Text("Nhật ký máy chủ", "Server log"),
    "pin_chair": Text("Mã PIN Chủ tọa", "Chair's PIN"),
    "pin_clerk": Text("Mã PIN Thư ký", "Clerk's PIN"),
    "need_meeting": Text("Hãy mở một tệp không có lỗi trước.",
                         "Open a workbook without problems first."),
    "not_xlsx": Text("Chỉ nhận tệp Excel .xlsx", "Only .xlsx workbooks are accepted"),
}

KINDS = {"ranked": Text("xếp hạng", "ranked"), "approval": Text("đồng ý / không", "approval"),
         "choose": Text("chọn đơn vị", "choose units")}
DECIDES = {"ranking": Text("xếp hạng thi đua", "ranking"),
           "tier": Text("danh hiệu", "award tier"), "head": Text("Trưởng khối", "head"),
           "deputies": Text("Phó Trưởng khối", "deputies")}
CRITERION_KINDS = {"item": Text("tiêu chí", "item"), "bonus": Text("điểm thưởng", "bonus"),
                   "deduction": Text("điểm trừ", "deduction")}
SOURCES = {"verified": Text("thẩm định", "verified"), "self": Text("tự chấm", "self"),
           "cross": Text("chấm chéo", "cross"), "missing": Text("chưa có", "missing")}
RULES = {"self": Text("điểm tự chấm", "self-assessed points"),
         "verified_over_self": Text("điểm thẩm định, nếu không có thì điểm tự chấm",
                                    "verified points, else self-assessed"),
         "cross_mean": Text("trung bình điểm chấm chéo", "mean of cross scores"),
         "cross_trimmed_mean": Text("trung bình điểm chấm chéo, bỏ điểm cao nhất và thấp nhất",
                                    "mean of cross scores without the highest and lowest")}
DENOMINATORS = {"members": Text("số thành viên", "members"),
                "present": Text("số có mặt", "present"),
                "issued": Text("số phiếu phát ra", "ballots issued"),
                "valid": Text("số phiếu hợp lệ", "valid ballots")}

PREPARE_STYLE = """
<style>
.tr-prepare h3 { margin: 1.1em 0 0.3em; border-bottom: 2px solid #c62828; padding-bottom: 0.15em; }
.tr-prepare h4 { margin: 0.8em 0 0.2em; }
.tr-prepare .tr-help { color: #444; margin: 0.2em 0 0.5em; max-width: 60em; line-height: 1.45; }
.tr-prepare-table { border-collapse: collapse; margin: 0.3em 0; font-size: 0.95em; }
.tr-prepare-table th, .tr-prepare-table td { padding: 0.2em 0.55em; border-bottom: 1px solid #ddd;
                                             text-align: left; vertical-align: top; }
.tr-prepare-table th { background: #eef2f7; }
.tr-prepare-table td.tr-num { text-align: right; }
.tr-prepare-problems td { background: #fdecea; }
.tr-prepare .tr-links a { font-weight: bold; }
.tr-prepare .tr-links div { margin: 0.25em 0; }
.tr-prepare code { font-size: 0.92em; word-break: break-all; }
.tr-prepare .widget-upload, .tr-prepare .widget-button { min-height: 36px; }
</style>
"""


def threshold_text(rnd: RoundConfig, lang: Language) -> str:
    """A round's pass rule in words ("—" when it has none).

    >>> from thidua_rank.engine.thresholds import Threshold
    >>> from thidua_rank.engine.ballots import BallotRules
    >>> rnd = RoundConfig(id="co", decides="tier", title="Cờ", rules=BallotRules("approval"),
    ...                   method="approval", threshold=Threshold(Fraction(4, 5), "present"))
    >>> threshold_text(rnd, "vi"), threshold_text(rnd, "en")
    ('≥ 80% số có mặt', '≥ 80% present')
    """
    rule = rnd.threshold
    if rule is None:
        return "—"
    pct = rule.share * 100
    share = (f"{pct.numerator}%" if pct.denominator == 1
             else f"{rule.share.numerator}/{rule.share.denominator}")
    sign = "≥" if rule.comparison == ">=" else ">"
    return f"{sign} {share} {DENOMINATORS[rule.denominator](lang)}"


def _data_link(data: bytes, name: str, mime: str, label: str, css: str) -> str:
    encoded = base64.b64encode(data).decode("ascii")
    return (f"<a class='{css}' download='{html.escape(name)}' "
            f"href='data:{mime};base64,{encoded}'>{html.escape(label)}</a>")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]], css: str,
           numeric: Sequence[int] = ()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td class='tr-num'>{esc(c)}</td>" if i in numeric
                         else f"<td>{esc(c)}</td>" for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table class='tr-prepare-table {css}'><tr>{head}</tr>{body}</table>"


def _number(value: Fraction | int, lang: Language) -> str:
    frac = Fraction(value)
    return format_number(frac, 0 if frac.denominator == 1 else 2, lang=lang)


class PreparePage(BasePage):
    """The preparation page (see the module docstring).

    Parameters
    ----------
    launcher
        Starts the live meeting (:class:`thidua_rank.server.prepare.ProcessLauncher`).
    path
        A workbook or meeting folder to open at once (``None``: wait for an upload).
    workdir
        Where uploads and the template go (default: the opened workbook's folder, else the
        current folder).
    """

    CSS_CLASS = "tr-page tr-prepare"
    EXTRA_STYLE = PREPARE_STYLE
    LABELS: ClassVar[dict[str, Text]] = LABELS

    def __init__(self, launcher: MeetingLauncher, path: str | Path | None = None, *,
                 workdir: str | Path | None = None) -> None:
        self.launcher = launcher
        self.workdir = Path(workdir) if workdir is not None else Path.cwd()
        self.source: Path | None = None
        self.meeting: Meeting | None = None
        self.problems: list[ThiduaRankError] = []
        self.folder: Path | None = None
        self.server: MeetingServer | None = None
        self.printed: dict[str, Path] = {}
        self.n_codes = 0
        self._template: Path | None = None
        super().__init__()
        if path is not None and str(path).strip():
            self.open(path)
        else:
            self.refresh()

    @classmethod
    def from_env(cls, launcher: MeetingLauncher,
                 environ: Mapping[str, str] | None = None) -> PreparePage:
        """The page for what ``thidua-rank prepare`` was given (through the environment)."""
        env = os.environ if environ is None else environ
        cwd = env.get(ENV_CWD) or None
        return cls(launcher, env.get(ENV_PATH) or None, workdir=cwd)

    # -- building -----------------------------------------------------------------------------
    def build(self) -> None:
        self.template_button = self.button("tr-prepare-template", self.make_template,
                                           key="template")
        self.upload = w.FileUpload(accept=".xlsx", multiple=False, layout=w.Layout(width="auto"))
        self.upload.add_class("tr-prepare-upload")
        self.label(self.upload, "upload")
        self.upload.observe(self._on_upload, names="value")
        self.template_out = w.HTML()
        self.template_out.add_class("tr-prepare-template-out")
        self.source_line = w.HTML()
        self.source_line.add_class("tr-prepare-source")
        self.check_out = w.HTML()
        self.check_out.add_class("tr-prepare-check")
        self.preview = w.HTML()
        self.preview.add_class("tr-prepare-preview")
        self.print_button = self.button("tr-prepare-print", key="print")
        self.print_button.on_click(lambda _: self._near(self.print_documents, self.print_note))
        self.print_note = w.HTML()
        self.print_note.add_class("tr-prepare-print-note")
        self.downloads = w.HTML()
        self.downloads.add_class("tr-prepare-downloads")
        self.start_button = self.button("tr-prepare-start", key="start", style="danger")
        self.start_button.on_click(lambda _: self._near(self.start_meeting, self.running_out))
        self.running_out = w.HTML()
        self.running_out.add_class("tr-prepare-running")
        self.body.children = [
            self.text("step1", "", "h3"), self.text("step1_help"),
            w.HBox([self.template_button, self.upload],
                   layout=w.Layout(align_items="center", flex_flow="row wrap", grid_gap="1em")),
            self.template_out, self.source_line,
            self.text("step2", "", "h3"), self.check_out,
            self.text("step3", "", "h3"), self.preview,
            self.text("step4", "", "h3"), self.text("step4_help"), self.print_button,
            self.print_note, self.downloads,
            self.text("step5", "", "h3"), self.text("step5_help"), self.start_button,
            self.running_out,
        ]

    def meeting_info(self) -> MeetingInfo | None:
        return self.meeting.config.meeting if self.meeting is not None else None

    def _near(self, action: Callable[[], Any], where: w.HTML) -> None:
        """Run a button's *action*; its error shows under the button (*where*), where the
        clerk is looking, rather than on the status line at the top of a long page."""
        self.status.value = ""
        if not self.attempt(action):
            where.value, self.status.value = self.status.value, ""

    # -- step 1: the workbook -----------------------------------------------------------------
    def make_template(self) -> Path:
        """Write an empty template into the work folder and offer it as a download."""
        path = write_template(None, self.workdir / TEMPLATE_NAME, overwrite=True)
        self._template = path
        self._render_template()
        return path

    def _render_template(self) -> None:
        if self._template is None or not self._template.exists():
            self.template_out.value = ""
            return
        link = _data_link(self._template.read_bytes(), TEMPLATE_NAME,
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          self.t("download"), "tr-prepare-template-link")
        text = esc(self.t("template_ready", link="\0", path="\1"))
        self.template_out.value = ("<div class='tr-links'>" + text.replace("\0", link).replace(
            "\1", f"<code>{esc(self._template)}</code>") + "</div>")

    def upload_workbook(self, data: bytes, name: str) -> bool:
        """Save an uploaded workbook in the work folder and open it; True when it has no
        problem."""
        file_name = Path(name).name
        if Path(file_name).suffix.lower() not in WORKBOOK_SUFFIXES:
            raise InputError(self.LABELS["not_xlsx"].vi, self.LABELS["not_xlsx"].en,
                             file=file_name)
        target = atomic_write(self.workdir / file_name, data)
        return self.open(target)

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        first = files[0]
        self.safe(lambda: self.upload_workbook(bytes(first["content"]), str(first["name"])))

    def open(self, path: str | Path) -> bool:
        """Check a workbook or meeting folder and show its problems or its preview; True
        when it has no problem."""
        path = Path(path).expanduser()
        if not path.is_absolute():
            path = self.workdir / path
        self.source, self.meeting, self.folder = path, None, None
        self.printed, self.n_codes, self.server = {}, 0, None
        self.status.value = self.print_note.value = ""
        self.problems = validate_meeting(path)
        if not self.problems:
            self.meeting = load_meeting(path, require_ballots=False)
            self.folder = (path.with_suffix("") if path.suffix.lower() in WORKBOOK_SUFFIXES
                           else path)
            self.server = self.launcher.running(self.folder)
        self.render_header()
        self.refresh()
        return not self.problems

    # -- step 2 and 3: check and preview ------------------------------------------------------
    def refresh(self) -> None:
        self._render_template()
        self.source_line.value = (
            f"<div class='tr-sub'>{esc(self.t('source', path=self.source))}</div>"
            if self.source is not None else "")
        self.check_out.value = self._check_html()
        self.preview.value = self._preview_html()
        self._render_downloads()
        self._render_running()
        ready = self.meeting is not None
        self.print_button.disabled = not ready
        self.start_button.disabled = not ready

    def _check_html(self) -> str:
        if self.source is None:
            return ""
        if not self.problems:
            return message(self.t("ok"), "ok")
        rows = []
        for p in self.problems:
            where = p.sheet or p.file or ""
            text = p.vi if self.lang == "vi" else p.en
            rows.append((where, "" if p.row is None else p.row, p.column or "",
                         "" if p.value is None else p.value, text))
        header = [self.t(k) for k in ("col_sheet", "col_row", "col_column", "col_value",
                                      "col_problem")]
        return (message(self.t("problems", n=len(self.problems)), "error")
                + _table(header, rows, "tr-prepare-problems", numeric=(1,)))

    def _preview_html(self) -> str:
        meeting = self.meeting
        if meeting is None:
            return ""
        lang = self.lang
        members = [(i, m.id, m.name, m.short_name, self.t("yes" if m.present else "no"))
                   for i, m in enumerate(meeting.members, start=1)]
        parts = [f"<h4>{esc(self.t('members', n=len(members), present=len(meeting.present)))}"
                 "</h4>",
                 _table([self.t(k) for k in ("h_no", "h_id", "h_name", "h_short", "h_present")],
                        members, "tr-prepare-members", numeric=(0,))]
        scores = meeting.scores
        if scores is None:
            parts.append(f"<p class='tr-help'>{esc(self.t('no_criteria'))}</p>")
        else:
            crit = [(c.id, c.group, c.name, _number(c.max_points, lang),
                     _number(c.weight, lang),
                     "" if c.floor_pct is None else f"{_number(c.floor_pct * 100, lang)}%",
                     CRITERION_KINDS[c.kind](lang)) for c in scores.criteria]
            parts += [f"<h4>{esc(self.t('criteria', scale=_number(scores.nominal_max, lang)))}"
                      "</h4>",
                      _table([self.t(k) for k in ("h_id", "h_group", "h_name", "h_max",
                                                  "h_weight", "h_floor", "h_kind")],
                             crit, "tr-prepare-criteria", numeric=(3, 4, 5))]
            resolved = scores.resolve()
            rows = []
            for unit in scores.units:
                s = resolved[unit]
                used = sorted({SOURCES[v](lang) for v in s.sources.values()})
                rows.append((unit, _number(s.items, lang), _number(s.bonus, lang),
                             _number(s.deductions, lang), _number(s.total, lang),
                             ", ".join(used)))
            rule = RULES[scores.rule](lang) if scores.rule in RULES else scores.rule
            parts += [f"<h4>{esc(self.t('scores', rule=rule))}</h4>",
                      _table([self.t(k) for k in ("h_unit", "h_items", "h_bonus", "h_deduct",
                                                  "h_total", "h_source")],
                             rows, "tr-prepare-scores", numeric=(1, 2, 3, 4))]
        rounds = []
        for rnd in meeting.config.rounds:
            title = (rnd.title_en or rnd.title) if lang == "en" else rnd.title
            kind = KINDS[rnd.rules.kind](lang)
            if rnd.rules.kind == "choose" and rnd.rules.max_choices:
                kind += self.t("max_choices", n=rnd.rules.max_choices)
            candidates = (", ".join(rnd.candidates) if rnd.candidates
                          else self.t("all_units", n=len(meeting.members)))
            rounds.append((title, kind, DECIDES[rnd.decides](lang), threshold_text(rnd, lang),
                           rnd.seats, candidates))
        parts += [f"<h4>{esc(self.t('rounds'))}</h4>",
                  _table([self.t(k) for k in ("h_round", "h_kind", "h_decides", "h_threshold",
                                              "h_seats", "h_candidates")],
                         rounds, "tr-prepare-rounds", numeric=(4,))]
        return "".join(parts)

    # -- step 4 and 5: print and start --------------------------------------------------------
    def _need_meeting(self) -> tuple[Path, Path]:
        """The opened source and its meeting folder; refused while nothing valid is open."""
        if self.meeting is None or self.source is None or self.folder is None:
            raise InputError(self.LABELS["need_meeting"].vi, self.LABELS["need_meeting"].en)
        return self.source, self.folder

    def write_folder(self) -> Path:
        """The meeting folder: a workbook is written as ``meeting.toml`` and CSV files beside
        it (updated in place when it exists); a folder is used as it is."""
        source, folder = self._need_meeting()
        if source.suffix.lower() not in WORKBOOK_SUFFIXES:
            return folder
        if folder.is_dir() and any(folder.iterdir()) and not (folder / "meeting.toml").exists():
            raise InputError("đã có một thư mục cùng tên không phải thư mục hội nghị; đổi tên "
                             "tệp Excel rồi tải lên lại",
                             "a folder of that name exists and is not a meeting folder; "
                             "rename the workbook and upload it again", file=str(folder))
        return workbook_to_folder(source, folder, overwrite=True)

    def print_documents(self) -> dict[str, Path]:
        """Issue the codes (once) and write the slips and the paper ballots; offer both as
        downloads."""
        from thidua_rank.live.setup import prepare
        from thidua_rank.live.slips import write_slips_html, write_slips_pdf
        from thidua_rank.report.documents import paper_ballots
        from thidua_rank.report.pdf import blocks_pdf

        folder = self.write_folder()
        ready = prepare(folder)
        live = ready.live
        try:
            url = self.launcher.delegate_url()
            box_dir = live.box.path.parent
            codes = dict(ready.codes)
            if not codes and not (box_dir / SLIPS_NAME).exists():
                # codes issued elsewhere (``serve``, ``codes``) and no PDF: issue them again,
                # which the ballot box refuses once anyone has voted
                codes = live.box.issue_codes(live.meeting.present, actor=live.box.operator(),
                                             replace=True)
            self.n_codes = live.box.n_codes()
            if codes:
                write_slips_html(live, codes, box_dir / "ma-bo-phieu.html", base_url=url)
                self.printed["slips"] = write_slips_pdf(live, codes, box_dir / SLIPS_NAME,
                                                        base_url=url)
            else:
                self.printed["slips"] = box_dir / SLIPS_NAME
            meeting = load_meeting(folder, require_ballots=False)
            self.printed["ballots"] = atomic_write(
                folder / BALLOTS_NAME, blocks_pdf(paper_ballots(meeting), title="Phiếu bầu"))
        finally:
            live.box.close()
        self._render_downloads()
        self.print_note.value = message(self.t("printed", codes=self.n_codes), "ok")
        return dict(self.printed)

    def _render_downloads(self) -> None:
        lines = []
        for key, css in (("slips", "tr-prepare-slips-link"), ("ballots",
                                                              "tr-prepare-ballots-link")):
            path = self.printed.get(key)
            if path is None or not path.exists():
                continue
            link = _data_link(path.read_bytes(), path.name, "application/pdf", self.t(key), css)
            lines.append(f"<div>{link} — {esc(self.t('saved_at'))} <code>{esc(path)}</code>"
                         "</div>")
        self.downloads.value = f"<div class='tr-links'>{''.join(lines)}</div>" if lines else ""

    def start_meeting(self) -> MeetingServer:
        """Write the meeting folder and start its live meeting (or show the one running)."""
        _, folder = self._need_meeting()
        running = self.launcher.running(folder)
        if running is None:
            folder = self.write_folder()
            self.start_button.disabled = True
            self.running_out.value = message(self.t("starting"), "info")
            try:
                running = self.launcher.start(folder)
            finally:
                self.start_button.disabled = False
        else:
            running = dataclasses.replace(running, started_now=False)
        self.server = running
        self._render_running()
        return running

    def _render_running(self) -> None:
        server = self.server
        if server is None:
            self.running_out.value = ""
            return
        key = "started" if server.started_now else "already"
        rows = "".join(
            f"<tr><td>{esc(PAGE_NAMES[p](self.lang) if p in PAGE_NAMES else p)}</td>"
            f"<td><a class='tr-prepare-url-{esc(p)}' href='{esc(url)}' target='_blank'>"
            f"{esc(url)}</a></td></tr>" for p, url in server.urls.items())
        pins = "".join(f"<tr><td>{esc(self.t(label))}</td><td class='tr-prepare-pin-{role}'>"
                       f"<b>{esc(server.pins.get(role, '—'))}</b></td></tr>"
                       for role, label in (("chair", "pin_chair"), ("clerk", "pin_clerk")))
        info = (f"<tr><td>{esc(self.t('folder'))}</td><td><code>{esc(server.folder)}</code>"
                f"</td></tr><tr><td>{esc(self.t('server_log'))}</td><td><code>"
                f"{esc(server.log)}</code></td></tr>")
        self.running_out.value = (message(self.t(key, pid=server.pid), "ok")
                                  + f"<table class='tr-prepare-table tr-prepare-addresses'>"
                                  f"{rows}{pins}{info}</table>")
