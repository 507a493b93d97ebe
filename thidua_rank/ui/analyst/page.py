"""The analyst's dashboard: compare ranking methods on a meeting's ballots and test how robust
the ranking is (bootstrap, critical ballots, criteria weights).

Not a meeting page: it reads meeting folders, never a ballot box, and ``thidua-rank analyst``
serves it alone on this computer (``thidua-rank serve`` never does). Every computation runs on
a button press, with the button showing "Đang tính…" meanwhile; sliders only set parameters.
Charts are PNGs rendered on the server by :mod:`thidua_rank.charts` (no CDN, no internet), and
the export buttons write the charts (PNG, SVG or PDF) and the tables (one xlsx workbook)
atomically into an output folder.

The charts of the analysis tables are built by :mod:`thidua_rank.charts` and the workbook by
:mod:`thidua_rank.report.docx`.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as w
import polars as pl

from thidua_rank import analysis
from thidua_rank.engine.ballots import Ballots
from thidua_rank.errors import ThiduaRankError
from thidua_rank.io.folder import load_meeting
from thidua_rank.meeting.model import Meeting
from thidua_rank.methods import method_info, rank
from thidua_rank.server.analyst import base_from_env, folders_from_env, sample_meetings
from thidua_rank.text import format_number
from thidua_rank.ui.base import STYLE, esc, language_toggle, message, status_line

if TYPE_CHECKING:  # altair costs about 1.4 s to import: only the charts pay for it
    import altair as alt

__all__ = ["AnalystPage", "Computed", "default_round", "html_table", "png_img"]

_log = logging.getLogger(__name__)

ANALYST_STYLE = """
<style>
.tr-analyst h3 { margin: 1.2em 0 0.3em; border-bottom: 2px solid #c62828; padding-bottom: 0.15em; }
.tr-analyst .tr-help { color: #444; margin: 0.2em 0 0.5em; max-width: 60em; line-height: 1.45; }
.tr-analyst-table { border-collapse: collapse; margin: 0.4em 0; font-size: 0.95em; }
.tr-analyst-table th, .tr-analyst-table td { padding: 0.2em 0.55em; border-bottom: 1px solid #ddd;
                                             text-align: right; }
.tr-analyst-table th { background: #eef2f7; }
.tr-analyst-table td:first-child, .tr-analyst-table th:first-child { text-align: left; }
.tr-analyst-table tr.tr-differs td { background: #fff4e5; }
.tr-analyst-table td.tr-spread-cell { font-weight: bold; color: #b71c1c; }
.tr-analyst-table .tr-text { text-align: left; }
.tr-analyst .tr-note { color: #555; font-size: 0.9em; margin: 0.2em 0; }
.tr-analyst .tr-params { color: #174ea6; margin: 0.3em 0; }
.tr-analyst .tr-written code { font-size: 0.9em; }
</style>
"""

KIND_LABELS = {"ranked": ("xếp hạng", "ranked"), "approval": ("đồng ý / không đồng ý", "approval"),
               "choose": ("chọn đơn vị", "choose")}
CHART_FORMATS = ("png", "svg", "pdf")
PARAM_LABELS = {"round": ("vòng", "round"), "method": ("phương pháp", "method"),
                "samples": ("số lần lấy mẫu", "samples"), "seed": ("hạt giống", "seed"),
                "top": ("k (nhóm dẫn đầu)", "top k"), "spread": ("dao động", "spread"),
                "winners": ("đứng đầu", "first")}
COLUMN_LABELS = {"unit": ("Đơn vị", "Unit"), "rank": ("Hạng", "Place"),
                 "spread": ("Chênh lệch", "Spread"), "method": ("Phương pháp", "Method"),
                 "p_first": ("Tỷ lệ đứng đầu", "Share first"),
                 "p_top": ("Tỷ lệ trong nhóm dẫn đầu", "Share in the top group"),
                 "mean_rank": ("Hạng trung bình", "Mean place"),
                 "rank_low": ("Hạng tốt (phân vị 5%)", "Place, 5th percentile"),
                 "rank_high": ("Hạng kém (phân vị 95%)", "Place, 95th percentile"),
                 "p_same": ("Tỷ lệ giữ nguyên hạng", "Share keeping its place"),
                 "best_rank": ("Hạng tốt nhất", "Best place"),
                 "worst_rank": ("Hạng kém nhất", "Worst place"),
                 "ballot": ("Phiếu", "Ballot"), "count": ("Số lượng", "Count"),
                 "winners_without": ("Đứng đầu nếu bỏ phiếu này", "First without this ballot")}
ROUND_RESULTS = ("compare", "agreement", "bootstrap", "loo")


@dataclass(frozen=True)
class Computed:
    """One analysis result as shown on the page: its table and the parameters that made it."""

    table: pl.DataFrame
    params: Mapping[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------ pure helpers
def default_round(meeting: Meeting) -> str | None:
    """The round to analyse first: the ranking vote round when it has ballots, else the round
    with ballots and the most candidates (``None`` when no round has ballots).

    >>> samples = {p.name: p for p in sample_meetings()}
    >>> default_round(load_meeting(samples["ninh-binh-co-quan-dang-2022"]))
    'xep-hang'
    >>> default_round(load_meeting(samples["dien-bien-noi-chinh-2022"]))  # no ranking vote
    'bang-khen'
    """
    vote_round = meeting.config.ranking.vote_round
    if vote_round in meeting.ballots:
        return vote_round
    rounds = [r.id for r in meeting.config.rounds if r.id in meeting.ballots]
    if not rounds:
        return None
    return max(rounds, key=lambda rid: (meeting.ballots[rid].n_units, -rounds.index(rid)))


def html_table(header: Sequence[Any], rows: Sequence[Sequence[Any]], *,
               row_classes: Sequence[str] | None = None) -> str:
    """An HTML table for an ``HTML`` widget; every text is escaped.

    A header or body cell is a value or a ``(value, css_class)`` pair; *row_classes* gives
    each row a class (``""`` for none).

    >>> html = html_table(["Đơn vị", "Hạng"], [["Sở Y & tế", 1], [("Sở Tư pháp", "tr-up"), 2]])
    >>> html.count("<tr"), "<td>Sở Y &amp; tế</td>" in html, '<td class="tr-up">Sở' in html
    (3, True, True)
    """
    def cell(tag: str, value: Any) -> str:
        text, css = value if isinstance(value, tuple) else (value, "")
        attr = f' class="{esc(css)}"' if css else ""
        return f"<{tag}{attr}>{esc(text)}</{tag}>"

    head = "".join(cell("th", h) for h in header)
    body = []
    for i, row in enumerate(rows):
        cells = [cell("td", value) for value in row]
        css_row = row_classes[i] if row_classes else ""
        attr = f' class="{esc(css_row)}"' if css_row else ""
        body.append(f"<tr{attr}>{''.join(cells)}</tr>")
    return (f'<table class="tr-analyst-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")


def png_img(png: bytes, alt: str, *, scale: float = 2.0) -> str:
    """An ``<img>`` element showing PNG bytes rendered at *scale* at their natural size.

    >>> png_img(bytes(16) + (800).to_bytes(4, "big") + bytes(8), "τ")[:52]
    "<img alt='τ' style='width:400px;max-width:100%' src="
    """
    width = int.from_bytes(png[16:20], "big") / scale  # IHDR: width is bytes 16–19
    data = base64.b64encode(png).decode()
    return (f"<img alt='{esc(alt)}' style='width:{width:.0f}px;max-width:100%' "
            f"src='data:image/png;base64,{data}'>")


def _number(value: float, decimals: int, lang: str) -> str:
    return format_number(value, decimals, lang=lang)


def _share(value: float, lang: str, decimals: int = 1) -> str:
    return _number(100 * value, decimals, lang) + "%"


# ------------------------------------------------------------------------------ the page
class AnalystPage:
    """The analyst's page: pick a meeting and a ballot round, then compare methods, bootstrap
    the ballots, find critical ballots and test the criteria weights; save charts and tables.

    Parameters
    ----------
    folders
        Meeting folders (or workbooks) offered in the drop-down; the first one is opened.
    base
        The folder a relative path typed in the path box starts from (default: the current
        folder).
    """

    CSS_CLASS = "tr-page tr-analyst"
    LABELS: ClassVar[dict[str, tuple[str, str]]] = {
        "title": ("Phân tích xếp hạng", "Ranking analysis"),
        "year": ("năm {year}", "year {year}"),
        "meeting": ("Cuộc họp", "Meeting"),
        "path": ("Hoặc đường dẫn", "Or a path"),
        "path_ph": ("thư mục cuộc họp hoặc tệp .xlsx", "meeting folder or .xlsx workbook"),
        "open": ("Mở", "Open"),
        "round": ("Vòng bỏ phiếu", "Ballot round"),
        "method": ("Phương pháp (mục 2, 3)", "Method (parts 2, 3)"),
        "no_meeting": ("Chọn một cuộc họp để bắt đầu.", "Choose a meeting to start."),
        "no_rounds": ("Cuộc họp này chưa có phiếu bầu nào để phân tích.",
                      "This meeting has no ballots to analyse."),
        "empty_path": ("Hãy nhập đường dẫn tới thư mục cuộc họp.",
                       "Type the path of a meeting folder."),
        "loaded": ("Đã mở: {name}", "Opened: {name}"),
        "round_info": ("{valid} phiếu hợp lệ · {invalid} không hợp lệ · {units} đơn vị · "
                       "phiếu {kind}", "{valid} valid · {invalid} invalid ballots · "
                                       "{units} units · {kind} ballots"),
        "busy": ("Đang tính…", "Computing…"),
        "saving": ("Đang lưu…", "Saving…"),
        "done": ("Xong: {what} ({seconds} giây).", "Done: {what} ({seconds} s)."),
        "sec_compare": ("1. So sánh các phương pháp đếm phiếu", "1. Compare counting methods"),
        "compare_help": ("Hạng của từng đơn vị theo mỗi phương pháp; «Chênh lệch» là khoảng "
                         "cách giữa hạng tốt nhất và kém nhất của đơn vị. Dòng tô màu: các "
                         "phương pháp không thống nhất.",
                         "Each unit's place under every method; «Spread» is the gap between "
                         "its best and worst place. Shaded rows: the methods disagree."),
        "compare_run": ("So sánh", "Compare"),
        "what_compare": ("so sánh {n} phương pháp", "comparing {n} methods"),
        "unit": ("Đơn vị", "Unit"),
        "spread": ("Chênh lệch", "Spread"),
        "round_method": ("★ phương pháp của vòng này", "★ this round's method"),
        "agreement_title": ("Mức thống nhất giữa các phương pháp (Kendall τ-b)",
                            "Agreement between methods (Kendall τ-b)"),
        "one_method": ("Loại phiếu này chỉ có một phương pháp đếm, nên không có thứ tự nào "
                       "khác để so sánh.", "Only one counting method takes these ballots, so "
                                          "there is no other order to compare."),
        "sec_bootstrap": ("2. Độ ổn định (bootstrap)", "2. Stability (bootstrap)"),
        "bootstrap_help": ("Lấy mẫu lại các phiếu (có hoàn lại) nhiều lần rồi đếm lại: nếu "
                           "hội nghị có một nhóm đại biểu hơi khác, mỗi đơn vị giữ được vị trí "
                           "trong bao nhiêu phần trăm số lần?",
                           "Resample the ballots (with replacement) many times and count "
                           "again: with a slightly different room, how often does each unit "
                           "keep its place?"),
        "samples": ("Số lần lấy mẫu", "Samples"),
        "seed": ("Hạt giống ngẫu nhiên", "Random seed"),
        "top": ("Nhóm dẫn đầu k", "Top group k"),
        "bootstrap_run": ("Chạy bootstrap", "Run bootstrap"),
        "what_bootstrap": ("bootstrap {method}, {samples} lần",
                           "bootstrap {method}, {samples} samples"),
        "bootstrap_params": ("Phương pháp {method} · {samples} lần lấy mẫu · hạt giống {seed}",
                             "Method {method} · {samples} samples · seed {seed}"),
        "place": ("Hạng", "Place"),
        "p_first": ("Đứng đầu", "First"),
        "p_top": ("Trong {k} hạng đầu", "In the top {k}"),
        "mean_rank": ("Hạng trung bình", "Mean place"),
        "interval": ("Khoảng hạng 90%", "90% place range"),
        "bootstrap_title": ("Độ ổn định của xếp hạng — {method}", "Ranking stability — {method}"),
        "rank_axis": ("Hạng (chấm đỏ: hạng thật; vạch: khoảng 90%)",
                      "Place (red dot: actual; bar: 90% range)"),
        "share_axis": ("Tỷ lệ số lần lấy mẫu", "Share of samples"),
        "sec_loo": ("3. Phiếu then chốt", "3. Critical ballots"),
        "loo_help": ("Bỏ đi từng phiếu một rồi đếm lại: phiếu nào, nếu không có, sẽ làm thay "
                     "đổi đơn vị đứng đầu?", "Remove one ballot at a time and count again: "
                                            "which ballot, if missing, would change who comes "
                                            "first?"),
        "loo_run": ("Tìm phiếu then chốt", "Find critical ballots"),
        "what_loo": ("bỏ từng phiếu ({method})", "leave one out ({method})"),
        "winners": ("Đứng đầu theo {method}: {units}", "First under {method}: {units}"),
        "no_critical": ("Không có phiếu nào mà nếu bỏ đi sẽ làm đổi đơn vị đứng đầu.",
                        "No single ballot changes who comes first."),
        "ballot": ("Phiếu", "Ballot"),
        "count": ("Số lượng", "Count"),
        "content": ("Nội dung phiếu", "Ballot content"),
        "winners_without": ("Đứng đầu nếu bỏ phiếu này", "First without this ballot"),
        "sec_weights": ("4. Độ nhạy theo trọng số tiêu chí",
                        "4. Sensitivity to the criteria weights"),
        "weights_help": ("Cho mỗi trọng số tiêu chí dao động ngẫu nhiên trong ±x% rồi xếp hạng "
                         "lại theo điểm: đơn vị nào giữ nguyên hạng?",
                         "Let every criterion weight vary at random within ±x% and rank by "
                         "score again: which units keep their place?"),
        "no_scores": ("Cuộc họp này không có bảng điểm tiêu chí.",
                      "This meeting has no criteria score sheet."),
        "spread_slider": ("Dao động trọng số ±", "Weight spread ±"),
        "weights_run": ("Chạy phân tích trọng số", "Run weight analysis"),
        "what_weights": ("trọng số ±{spread}, {samples} lần",
                         "weights ±{spread}, {samples} samples"),
        "weights_params": ("Dao động ±{spread} · {samples} lần · hạt giống {seed}",
                           "Spread ±{spread} · {samples} samples · seed {seed}"),
        "p_same": ("Giữ nguyên hạng", "Keeps its place"),
        "best": ("Hạng tốt nhất", "Best place"),
        "worst": ("Hạng kém nhất", "Worst place"),
        "weights_title": ("Xếp hạng theo điểm khi trọng số dao động ±{spread}",
                          "Score ranking with the weights varied by ±{spread}"),
        "weights_axis": ("Hạng (chấm: với trọng số đã định; vạch: tốt nhất – kém nhất)",
                         "Place (dot: with the set weights; bar: best – worst)"),
        "sec_export": ("5. Lưu kết quả", "5. Save the results"),
        "out": ("Thư mục lưu", "Output folder"),
        "format": ("Biểu đồ", "Charts"),
        "export_charts": ("Lưu biểu đồ", "Save charts"),
        "export_tables": ("Lưu bảng (xlsx)", "Save tables (xlsx)"),
        "written": ("Đã ghi {n} tệp:", "Wrote {n} files:"),
        "nothing": ("Chưa có kết quả nào để lưu: hãy chạy một phân tích trước.",
                    "Nothing to save yet: run an analysis first."),
        "no_out": ("Hãy nhập thư mục lưu.", "Type an output folder."),
        "os_error": ("Không đọc hoặc ghi được tệp", "Could not read or write a file"),
        "unexpected": ("Lỗi không mong đợi", "Unexpected error"),
        "sheet_info": ("Thông tin", "About"),
        "item": ("Mục", "Item"),
        "value": ("Giá trị", "Value"),
        "sheet_compare": ("So sánh phương pháp", "Method comparison"),
        "sheet_agreement": ("Thống nhất (tau-b)", "Agreement (tau-b)"),
        "sheet_bootstrap": ("Bootstrap", "Bootstrap"),
        "sheet_loo": ("Phiếu then chốt", "Critical ballots"),
        "sheet_weights": ("Độ nhạy trọng số", "Weight sensitivity"),
        "info_meeting": ("Cuộc họp", "Meeting"),
        "info_folder": ("Thư mục", "Folder"),
        "info_round": ("Vòng bỏ phiếu", "Ballot round"),
        "method_col": ("Phương pháp", "Method"),
    }

    def __init__(self, folders: Sequence[str | Path] = (), *, base: Path | None = None) -> None:
        self.base = Path.cwd() if base is None else Path(base)
        self.lang = "vi"
        self.meeting: Meeting | None = None
        self.source: Path | None = None
        self.results: dict[str, Computed] = {}
        self._pngs: dict[tuple[str, str], str] = {}
        self._labelled: list[tuple[w.Widget, str, str, str]] = []
        self._quiet = 0
        self._default_out = ""
        self.written: list[Path] = []
        self._build(list(folders))
        self._relabel()
        self._render_header()
        self._render_all()
        if self.meeting_select.value:
            self.load(self.meeting_select.value)

    @classmethod
    def from_env(cls) -> AnalystPage:
        """The page for the folders ``thidua-rank analyst`` was given (else the samples)."""
        return cls(folders_from_env() or sample_meetings(), base=base_from_env())

    def show(self) -> w.VBox:
        """The page's root widget (display it)."""
        return self.root

    # -- labels -------------------------------------------------------------------------------
    def t(self, key: str, **fields: Any) -> str:
        """The label *key* in the page's language, formatted with *fields*."""
        vi, en = self.LABELS[key]
        return (vi if self.lang == "vi" else en).format(**fields)

    def _label(self, widget: w.Widget, key: str, attr: str = "description",
               fmt: str = "{}") -> None:
        self._labelled.append((widget, attr, key, fmt))

    def _relabel(self) -> None:
        for widget, attr, key, fmt in self._labelled:
            setattr(widget, attr, fmt.format(esc(self.t(key)) if attr == "value"
                                             else self.t(key)))

    def _text(self, key: str, css: str = "tr-help", tag: str = "div") -> w.HTML:
        html = w.HTML()
        self._label(html, key, "value", f"<{tag} class='{css}'>{{}}</{tag}>")
        return html

    def _button(self, key: str, css: str, handler: Callable[[], Any],
                style: str = "primary") -> w.Button:
        button = w.Button(button_style=style,
                          layout=w.Layout(width="auto", align_self="flex-start"))
        button.add_class(css)
        button.on_click(lambda _: handler())
        self._label(button, key)
        return button

    # -- building -----------------------------------------------------------------------------
    def _build(self, folders: list[Path | str]) -> None:
        self.lang_toggle = language_toggle(self._on_lang)
        self.header = w.HTML()
        self.status = status_line()
        sections = [self._build_source(folders), self._build_compare(),
                    self._build_bootstrap(), self._build_loo(), self._build_weights(),
                    self._build_export()]
        top = w.HBox([self.header, self.lang_toggle],
                     layout=w.Layout(justify_content="space-between"))
        self.root = w.VBox([w.HTML(STYLE + ANALYST_STYLE), top, sections[0], self.status,
                            *sections[1:]])
        for css in self.CSS_CLASS.split():
            self.root.add_class(css)

    def _build_source(self, folders: list[Path | str]) -> w.VBox:
        wide = {"description_width": "9em"}
        options = [(Path(f).name or str(f), str(f)) for f in folders]
        self.meeting_select = w.Dropdown(options=options, value=options[0][1] if options
                                         else None, style=wide, layout=w.Layout(width="34em"))
        self.meeting_select.add_class("tr-analyst-meeting")
        self.meeting_select.observe(self._on_meeting, names="value")
        self._label(self.meeting_select, "meeting")
        self.path_input = w.Text(style=wide, layout=w.Layout(width="34em"))
        self.path_input.add_class("tr-analyst-path")
        self._label(self.path_input, "path")
        self._label(self.path_input, "path_ph", "placeholder")
        self.open_button = self._button("open", "tr-analyst-open", self.open_path, "")
        self.round_select = w.Dropdown(options=[], style=wide, layout=w.Layout(width="46em"))
        self.round_select.add_class("tr-analyst-round")
        self.round_select.observe(self._on_round, names="value")
        self._label(self.round_select, "round")
        self.round_info = w.HTML()
        self.round_info.add_class("tr-analyst-round-info")
        return w.VBox([self.meeting_select, w.HBox([self.path_input, self.open_button]),
                       self.round_select, self.round_info])

    def _build_compare(self) -> w.VBox:
        self.compare_button = self._button("compare_run", "tr-analyst-compare-run",
                                           self.run_compare)
        self.compare_out = w.HTML()
        self.compare_out.add_class("tr-analyst-compare-table")
        self.agreement_out = w.HTML()
        self.agreement_out.add_class("tr-analyst-agreement-chart")
        return w.VBox([self._text("sec_compare", "", "h3"), self._text("compare_help"),
                       self.compare_button, self.compare_out, self.agreement_out])

    def _build_bootstrap(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.method_select = w.Dropdown(options=[], style=wide, layout=w.Layout(width="30em"))
        self.method_select.add_class("tr-analyst-method")
        self._label(self.method_select, "method")
        self.samples = w.IntSlider(value=500, min=50, max=2000, step=50, style=wide,
                                   continuous_update=False, layout=w.Layout(width="26em"))
        self.samples.add_class("tr-analyst-samples")
        self._label(self.samples, "samples")
        self.seed = w.IntText(value=1, style=wide, layout=w.Layout(width="16em"))
        self.seed.add_class("tr-analyst-seed")
        self._label(self.seed, "seed")
        self.top = w.BoundedIntText(value=3, min=1, max=100, style=wide,
                                    layout=w.Layout(width="12em"))
        self.top.add_class("tr-analyst-top")
        self._label(self.top, "top")
        self.bootstrap_button = self._button("bootstrap_run", "tr-analyst-bootstrap-run",
                                             self.run_bootstrap)
        self.bootstrap_out = w.HTML()
        self.bootstrap_out.add_class("tr-analyst-bootstrap-table")
        self.bootstrap_chart = w.HTML()
        self.bootstrap_chart.add_class("tr-analyst-bootstrap-chart")
        return w.VBox([self._text("sec_bootstrap", "", "h3"), self._text("bootstrap_help"),
                       self.method_select, w.HBox([self.samples, self.seed, self.top]),
                       self.bootstrap_button, self.bootstrap_out, self.bootstrap_chart])

    def _build_loo(self) -> w.VBox:
        self.loo_button = self._button("loo_run", "tr-analyst-loo-run", self.run_leave_one_out)
        self.loo_out = w.HTML()
        self.loo_out.add_class("tr-analyst-loo-table")
        return w.VBox([self._text("sec_loo", "", "h3"), self._text("loo_help"),
                       self.loo_button, self.loo_out])

    def _build_weights(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.spread = w.FloatSlider(value=0.2, min=0.05, max=0.9, step=0.05,
                                    readout_format=".0%", continuous_update=False, style=wide,
                                    layout=w.Layout(width="26em"))
        self.spread.add_class("tr-analyst-spread")
        self._label(self.spread, "spread_slider")
        self.weight_samples = w.IntSlider(value=200, min=50, max=1000, step=50, style=wide,
                                          continuous_update=False, layout=w.Layout(width="26em"))
        self.weight_samples.add_class("tr-analyst-weight-samples")
        self._label(self.weight_samples, "samples")
        self.weight_seed = w.IntText(value=1, style=wide, layout=w.Layout(width="16em"))
        self.weight_seed.add_class("tr-analyst-weight-seed")
        self._label(self.weight_seed, "seed")
        self.weights_button = self._button("weights_run", "tr-analyst-weights-run",
                                           self.run_weights)
        self.weights_note = w.HTML()
        self.weights_out = w.HTML()
        self.weights_out.add_class("tr-analyst-weights-table")
        self.weights_chart = w.HTML()
        self.weights_chart.add_class("tr-analyst-weights-chart")
        return w.VBox([self._text("sec_weights", "", "h3"), self._text("weights_help"),
                       self.weights_note,
                       w.HBox([self.spread, self.weight_samples, self.weight_seed]),
                       self.weights_button, self.weights_out, self.weights_chart])

    def _build_export(self) -> w.VBox:
        wide = {"description_width": "initial"}
        self.out_input = w.Text(style=wide, layout=w.Layout(width="46em"))
        self.out_input.add_class("tr-analyst-out")
        self._label(self.out_input, "out")
        self.chart_format = w.ToggleButtons(options=[(f.upper(), f) for f in CHART_FORMATS],
                                            value="png", style={"button_width": "60px",
                                                                **wide})
        self.chart_format.add_class("tr-analyst-chart-format")
        self._label(self.chart_format, "format")
        self.export_charts_button = self._button("export_charts", "tr-analyst-export-charts",
                                                 self.export_charts, "")
        self.export_tables_button = self._button("export_tables", "tr-analyst-export-tables",
                                                 self.export_tables, "")
        self.written_out = w.HTML()
        self.written_out.add_class("tr-analyst-written")
        return w.VBox([self._text("sec_export", "", "h3"), self.out_input, self.chart_format,
                       w.HBox([self.export_charts_button, self.export_tables_button]),
                       self.written_out])

    # -- running actions ----------------------------------------------------------------------
    def _error(self, exc: BaseException) -> str:
        """A message for a failed action: the library's own bilingual text when it has one."""
        if isinstance(exc, ThiduaRankError):
            return str(exc)
        vi, en = self.LABELS["os_error" if isinstance(exc, OSError) else "unexpected"]
        return f"{vi} — {en}: {type(exc).__name__}: {exc}"

    def _attempt(self, action: Callable[[], Any]) -> bool:
        """Run *action*; a failure shows its message on the page (never a traceback)."""
        try:
            action()
        except Exception as exc:  # the page must survive anything an action raises
            if not isinstance(exc, ThiduaRankError | OSError):
                _log.exception("analyst page action failed")
            self.status.value = message(self._error(exc), "error")
            return False
        return True

    @contextmanager
    def _busy(self, button: w.Button, key: str, what: str, busy: str = "busy"
              ) -> Iterator[None]:
        """Show "Đang tính…" (or *busy*'s label) on *button* and in the status line while
        the body runs."""
        button.disabled = True
        button.description = self.t(busy)
        button.add_class("tr-busy")
        self.status.value = message(f"{self.t(busy)} {what}", "info")
        try:
            yield
        finally:
            button.remove_class("tr-busy")
            button.description = self.t(key)
            button.disabled = False

    def _compute(self, button: w.Button, key: str, what: str,
                 action: Callable[[], None], busy: str = "busy") -> bool:
        start = time.perf_counter()
        with self._busy(button, key, what, busy):
            ok = self._attempt(action)
        if ok:
            seconds = _number(time.perf_counter() - start, 1, self.lang)
            self.status.value = message(self.t("done", what=what, seconds=seconds), "ok")
        return ok

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Change widget options without the observers reacting."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # -- meeting and round --------------------------------------------------------------------
    @property
    def ballots(self) -> Ballots | None:
        """The ballots of the selected round (``None`` when no round is selected)."""
        if self.meeting is None or self.round_select.value is None:
            return None
        return self.meeting.ballots[self.round_select.value]

    def load(self, path: str | Path) -> bool:
        """Open a meeting folder or workbook; on failure the page shows why and holds none."""
        self.meeting = None
        self.source = None
        self.results.clear()
        self._pngs.clear()
        self.written.clear()
        self.written_out.value = ""

        def action() -> None:
            self.meeting = load_meeting(path)
            self.source = Path(path)

        ok = self._attempt(action)
        if ok:
            self.status.value = message(self.t("loaded", name=self.source), "ok")
        self._after_load()
        return ok

    def open_path(self) -> bool:
        """Open the meeting typed in the path box (and offer it in the drop-down)."""
        text = self.path_input.value.strip()
        if not text:
            self.status.value = message(self.t("empty_path"), "error")
            return False
        path = self.base / Path(text).expanduser()  # an absolute path replaces the base
        ok = self.load(path)
        with self._quietly():
            if ok and str(path) not in [v for _, v in self.meeting_select.options]:
                self.meeting_select.options = [*self.meeting_select.options,
                                               (path.name or str(path), str(path))]
            self.meeting_select.value = str(path) if ok else None
        return ok

    def _after_load(self) -> None:
        meeting = self.meeting
        self._set_round_options(default_round(meeting) if meeting is not None else None)
        if meeting is not None:
            self.seed.value = meeting.config.meeting.year_reviewed
            self.weight_seed.value = meeting.config.meeting.year_reviewed
            out = str(Path(meeting.path or ".") / ".thidua" / "phan-tich")
            if self.out_input.value in ("", self._default_out):
                self.out_input.value = out
            self._default_out = out
            if not meeting.ballots:
                self.status.value = message(self.t("no_rounds"), "info")
        self._render_header()
        self._on_round_changed()

    def _round_label(self, round_id: str) -> str:
        assert self.meeting is not None
        spec = self.meeting.config.round(round_id)
        title = spec.title_en if self.lang == "en" and spec.title_en else spec.title
        return f"{title} ({round_id})"

    def _set_round_options(self, value: str | None) -> None:
        ids = ([r.id for r in self.meeting.config.rounds if r.id in self.meeting.ballots]
               if self.meeting is not None else [])
        with self._quietly():
            self.round_select.options = [(self._round_label(r), r) for r in ids]
            self.round_select.value = value if value in ids else None

    def _set_method_options(self, *, keep: bool = False) -> None:
        """Offer the methods that accept the round's ballots; select the round's configured
        method (or, with *keep*, the one already selected)."""
        ballots = self.ballots
        previous = self.method_select.value
        options = []
        if ballots is not None:
            for mid in analysis.ballot_methods(ballots):
                info = method_info(mid)
                options.append((f"{info.name_vi if self.lang == 'vi' else info.name_en} "
                                f"({mid})", mid))
        ids = [v for _, v in options]
        configured = (self.meeting.config.round(self.round_select.value).method
                      if ballots is not None and self.meeting is not None else None)
        with self._quietly():
            self.method_select.options = options
            self.method_select.value = (previous if keep and previous in ids else
                                        configured if configured in ids else
                                        ids[0] if ids else None)

    def _on_meeting(self, change: dict[str, Any]) -> None:
        if not self._quiet and change["new"]:
            self.load(change["new"])

    def _on_round(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self._on_round_changed()

    def _on_round_changed(self) -> None:
        for name in ROUND_RESULTS:
            self.results.pop(name, None)
        for name in ("agreement", "bootstrap"):
            self._forget_chart(name)
        self._set_method_options()
        ballots = self.ballots
        if ballots is not None:
            self.top.max = max(ballots.n_units, 1)
            self.top.value = min(3, ballots.n_units)
        self._render_all()

    # -- the analyses (button handlers) -------------------------------------------------------
    def run_compare(self) -> bool:
        """Rank the round's ballots with every method that accepts them; τ-b between them."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        n = len(analysis.ballot_methods(ballots))

        def action() -> None:
            table = analysis.compare(ballots)
            self.results["compare"] = Computed(table, {"round": self.round_select.value})
            self.results["agreement"] = Computed(analysis.agreement(table))
            self._forget_chart("agreement")
            self._render_compare()

        return self._compute(self.compare_button, "compare_run",
                             self.t("what_compare", n=n), action)

    def run_bootstrap(self) -> bool:
        """Bootstrap the round's ballots with the chosen method, samples, seed and k."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        method, samples = self.method_select.value, int(self.samples.value)
        seed, top = int(self.seed.value), int(self.top.value)

        def action() -> None:
            table = analysis.bootstrap(ballots, method, samples=samples, seed=seed, top=top)
            self.results["bootstrap"] = Computed(table, {"method": method, "samples": samples,
                                                         "seed": seed, "top": top})
            self._forget_chart("bootstrap")
            self._render_bootstrap()

        return self._compute(self.bootstrap_button, "bootstrap_run",
                             self.t("what_bootstrap", method=method, samples=samples), action)

    def run_leave_one_out(self) -> bool:
        """Find the ballots whose removal changes the winners under the chosen method."""
        ballots = self._need_ballots()
        if ballots is None:
            return False
        method = self.method_select.value

        def action() -> None:
            winners = list(rank(ballots, method=method).winners)
            table = analysis.leave_one_out(ballots, method)
            self.results["loo"] = Computed(table, {"method": method, "winners": winners})
            self._render_loo()

        return self._compute(self.loo_button, "loo_run", self.t("what_loo", method=method),
                             action)

    def run_weights(self) -> bool:
        """Vary the criteria weights by ±spread and rank the score sheet again."""
        if self.meeting is None or self.meeting.scores is None:
            self.status.value = message(self.t("no_scores" if self.meeting is not None
                                               else "no_meeting"), "error")
            return False
        sheet = self.meeting.scores
        spread = round(float(self.spread.value), 4)
        samples, seed = int(self.weight_samples.value), int(self.weight_seed.value)

        def action() -> None:
            table = analysis.weight_sensitivity(sheet, spread=spread, samples=samples, seed=seed)
            self.results["weights"] = Computed(table, {"spread": spread, "samples": samples,
                                                       "seed": seed})
            self._forget_chart("weights")
            self._render_weights()

        what = self.t("what_weights", spread=_share(spread, self.lang, 0), samples=samples)
        return self._compute(self.weights_button, "weights_run", what, action)

    def _need_ballots(self) -> Ballots | None:
        ballots = self.ballots
        if ballots is None:
            self.status.value = message(self.t("no_meeting" if self.meeting is None
                                               else "no_rounds"), "error")
        return ballots

    # -- rendering ----------------------------------------------------------------------------
    def _render_header(self) -> None:
        title = f"<h1>{esc(self.t('title'))}</h1>"
        if self.meeting is None:
            self.header.value = title + f"<div class='tr-sub'>{esc(self.t('no_meeting'))}</div>"
            return
        info = self.meeting.config.meeting
        sub = info.bloc + (f" — {info.province}" if info.province else "")
        self.header.value = (title + f"<div class='tr-sub'>{esc(sub)}, "
                             f"{esc(self.t('year', year=info.year_reviewed))}</div>")

    def _render_all(self) -> None:
        self._render_round_info()
        self._render_compare()
        self._render_bootstrap()
        self._render_loo()
        self._render_weights()
        self._render_written()

    def _render_round_info(self) -> None:
        ballots = self.ballots
        for button in (self.compare_button, self.bootstrap_button, self.loo_button):
            button.disabled = ballots is None
        if ballots is None:
            self.round_info.value = ""
            return
        vi, en = KIND_LABELS[ballots.kind]
        self.round_info.value = "<div class='tr-note'>" + esc(self.t(
            "round_info", valid=ballots.n_ballots, invalid=ballots.n_invalid,
            units=ballots.n_units, kind=vi if self.lang == "vi" else en)) + "</div>"

    def _method_name(self, mid: str) -> str:
        info = method_info(mid)
        return info.name_vi if self.lang == "vi" else info.name_en

    def _forget_chart(self, name: str) -> None:
        """Drop the rendered images of chart *name* (its result changed)."""
        self._pngs = {k: v for k, v in self._pngs.items() if k[0] != name}

    def _chart_html(self, name: str, alt_text: str) -> str:
        """The chart *name* as an ``<img>`` (rendered once per language)."""
        key = (name, self.lang)
        if key not in self._pngs:
            from thidua_rank.charts import chart_png

            self._pngs[key] = png_img(chart_png(self.chart(name)), alt_text)
        return self._pngs[key]

    def _render_compare(self) -> None:
        found = self.results.get("compare")
        if found is None:
            self.compare_out.value = self.agreement_out.value = ""
            return
        table = found.table
        methods = [c for c in table.columns if c not in ("unit", "spread")]
        configured = self.meeting.config.round(found.params["round"]).method \
            if self.meeting is not None else None
        header = [self.t("unit"), *[m + (" ★" if m == configured else "") for m in methods],
                  self.t("spread")]
        rows, classes = [], []
        for r in table.to_dicts():
            differs = r["spread"] > 0
            rows.append([r["unit"], *[r[m] for m in methods],
                         (r["spread"], "tr-spread-cell" if differs else "")])
            classes.append("tr-differs" if differs else "")
        legend = " · ".join(f"{m} = {self._method_name(m)}" for m in methods)
        if configured in methods:
            legend += " · " + self.t("round_method")
        self.compare_out.value = (html_table(header, rows, row_classes=classes)
                                  + f"<div class='tr-note'>{esc(legend)}</div>")
        if len(methods) < 2:
            self.agreement_out.value = f"<div class='tr-note'>{esc(self.t('one_method'))}</div>"
        else:
            self.agreement_out.value = self._chart_html("agreement", self.t("agreement_title"))

    def _render_bootstrap(self) -> None:
        found = self.results.get("bootstrap")
        if found is None:
            self.bootstrap_out.value = self.bootstrap_chart.value = ""
            return
        p = found.params
        params = self.t("bootstrap_params", method=self._method_name(p["method"]),
                        samples=p["samples"], seed=p["seed"])
        header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("p_first"),
                  self.t("p_top", k=p["top"]),
                  self.t("mean_rank"), self.t("interval")]
        rows, classes = [], []
        for r in found.table.to_dicts():
            low, high = int(r["rank_low"]), int(r["rank_high"])
            rows.append([r["rank"], (r["unit"], "tr-text"), _share(r["p_first"], self.lang),
                         _share(r["p_top"], self.lang), _number(r["mean_rank"], 2, self.lang),
                         f"{low}–{high}" if low != high else str(low)])
            classes.append("tr-differs" if low != high else "")
        self.bootstrap_out.value = (f"<div class='tr-params'>{esc(params)}</div>"
                                    + html_table(header, rows, row_classes=classes))
        self.bootstrap_chart.value = self._chart_html(
            "bootstrap", self.t("bootstrap_title", method=p["method"]))

    def _ballot_text(self, ballot_id: str) -> str:
        """One ballot as a line: ``1. A · 2. B = C`` (ranked) or the marked units."""
        ballots = self.ballots
        assert ballots is not None and self.meeting is not None
        row = ballots.ranks[ballots.ids.index(ballot_id)]

        def label(unit: str) -> str:
            try:
                return self.meeting.member(unit).label  # type: ignore[union-attr]
            except ThiduaRankError:
                return unit

        if ballots.kind != "ranked":
            return ", ".join(label(u) for u, r in zip(ballots.units, row, strict=True) if r)
        places = sorted({int(r) for r in row if r})
        return " · ".join(f"{p}. " + " = ".join(label(u) for u, r in
                                                 zip(ballots.units, row, strict=True) if r == p)
                          for p in places)

    def _render_loo(self) -> None:
        found = self.results.get("loo")
        if found is None:
            self.loo_out.value = ""
            return
        p = found.params
        name = self._method_name(p["method"])
        winners = self.t("winners", method=name, units=", ".join(p["winners"]))
        head = f"<div class='tr-params'>{esc(winners)}</div>"
        if found.table.is_empty():
            self.loo_out.value = head + message(self.t("no_critical"), "ok")
            return
        header = [self.t("ballot"), self.t("count"), (self.t("content"), "tr-text"),
                  (self.t("winners_without"), "tr-text")]
        rows = [[r["ballot"], r["count"], (self._ballot_text(r["ballot"]), "tr-text"),
                 (", ".join(r["winners_without"]), "tr-text")] for r in found.table.to_dicts()]
        self.loo_out.value = head + html_table(header, rows)

    def _render_weights(self) -> None:
        has_scores = self.meeting is not None and self.meeting.scores is not None
        self.weights_button.disabled = not has_scores
        self.weights_note.value = ("" if has_scores or self.meeting is None else
                                   message(self.t("no_scores"), "info"))
        found = self.results.get("weights")
        if found is None:
            self.weights_out.value = self.weights_chart.value = ""
            return
        p = found.params
        params = self.t("weights_params", spread=_share(p["spread"], self.lang, 0),
                        samples=p["samples"], seed=p["seed"])
        header = [self.t("place"), (self.t("unit"), "tr-text"), self.t("p_same"),
                  self.t("best"), self.t("worst")]
        rows, classes = [], []
        for r in found.table.to_dicts():
            rows.append([r["rank"], (r["unit"], "tr-text"), _share(r["p_same"], self.lang),
                         r["best_rank"], r["worst_rank"]])
            classes.append("tr-differs" if r["best_rank"] != r["worst_rank"] else "")
        self.weights_out.value = (f"<div class='tr-params'>{esc(params)}</div>"
                                  + html_table(header, rows, row_classes=classes))
        self.weights_chart.value = self._chart_html(
            "weights", self.t("weights_title", spread=_share(p["spread"], self.lang, 0)))

    def _render_written(self) -> None:
        if not self.written:
            self.written_out.value = ""
            return
        items = "".join(f"<li><code>{esc(p)}</code></li>" for p in self.written)
        self.written_out.value = (f"<div class='tr-msg tr-msg-ok tr-written'>"
                                  f"{esc(self.t('written', n=len(self.written)))}"
                                  f"<ul>{items}</ul></div>")

    # -- charts and tables of the current results ---------------------------------------------
    def chart(self, name: str) -> alt.TopLevelMixin:
        """The altair chart of a computed result: ``agreement``, ``bootstrap`` or ``weights``,
        labelled in the page's language."""
        from thidua_rank import charts  # altair loads with the first chart

        found = self.results[name]
        if name == "agreement":
            return charts.agreement_chart(found.table, title=self.t("agreement_title"),
                                          lang=self.lang)
        if name == "bootstrap":
            p = found.params
            return charts.bootstrap_chart(found.table,
                                          title=self.t("bootstrap_title", method=p["method"]),
                                          rank_title=self.t("rank_axis"),
                                          share_title=self.t("share_axis"),
                                          first_label=self.t("p_first"),
                                          top_label=self.t("p_top", k=p["top"]))
        p = found.params
        return charts.sensitivity_chart(
            found.table, title=self.t("weights_title", spread=_share(p["spread"], self.lang, 0)),
            rank_title=self.t("weights_axis"), same_title=self.t("p_same"))

    def _charts_to_save(self) -> list[tuple[str, str]]:
        """``(result name, file stem)`` of every chart that can be saved now."""
        stem = self._stem()
        names = []
        compare = self.results.get("compare")
        if compare is not None and compare.table.width > 3:
            names.append(("agreement", f"{stem}-{self.round_select.value}-dong-thuan"))
        if "bootstrap" in self.results:
            method = self.results["bootstrap"].params["method"]
            names.append(("bootstrap", f"{stem}-{self.round_select.value}-bootstrap-{method}"))
        if "weights" in self.results:
            names.append(("weights", f"{stem}-trong-so"))
        return names

    def _stem(self) -> str:
        return self.meeting.config.meeting.id if self.meeting is not None else "phan-tich"

    def table_sheets(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        """The computed tables as workbook sheets (in the page's language), after a sheet
        recording the meeting, round and every analysis' parameters."""
        sheets: list[tuple[str, list[str], list[list[Any]]]] = []
        info: list[list[Any]] = []
        if self.meeting is not None:
            m = self.meeting.config.meeting
            info += [[self.t("info_meeting"), f"{m.bloc}, {self.t('year', year=m.year_reviewed)}"],
                     [self.t("info_folder"), str(self.source)]]
        if self.round_select.value is not None:
            info.append([self.t("info_round"), self._round_label(self.round_select.value)])
        for name, found in self.results.items():
            for key, value in found.params.items():
                vi, en = PARAM_LABELS[key]
                shown = ", ".join(value) if isinstance(value, list) else value
                info.append([f"{self.t('sheet_' + name)}: {vi if self.lang == 'vi' else en}",
                             shown])
        sheets.append((self.t("sheet_info"), [self.t("item"), self.t("value")], info))
        for name, found in self.results.items():
            table = found.table
            if name == "loo":
                table = table.with_columns(pl.col("winners_without").list.join(", "))
            header = [COLUMN_LABELS[c][self.lang == "en"] if c in COLUMN_LABELS else c
                      for c in table.columns]  # method ids stay as they are
            sheets.append((self.t("sheet_" + name), header, [list(r) for r in table.rows()]))
        return sheets

    # -- exports ------------------------------------------------------------------------------
    def _out_dir(self) -> Path | None:
        out = self.out_input.value.strip()
        if not out:
            self.status.value = message(self.t("no_out"), "error")
            return None
        return Path(out).expanduser()

    def export_charts(self) -> list[Path]:
        """Save every chart computed so far in the chosen format; the paths are listed on
        the page."""
        from thidua_rank.charts import save_chart

        out = self._out_dir()
        charts = self._charts_to_save()
        if out is None:
            return []
        if not charts:
            self.status.value = message(self.t("nothing"), "error")
            return []
        fmt = self.chart_format.value
        written: list[Path] = []

        def action() -> None:
            for name, stem in charts:
                written.append(save_chart(self.chart(name), out / f"{stem}.{fmt}"))

        return self._export(self.export_charts_button, "export_charts", action, written)

    def export_tables(self) -> list[Path]:
        """Save the computed tables as one xlsx workbook; its path is listed on the page."""
        from thidua_rank.io.atomic import atomic_write
        from thidua_rank.report.xlsx import tables_xlsx

        out = self._out_dir()
        if out is None:
            return []
        if not self.results:
            self.status.value = message(self.t("nothing"), "error")
            return []
        round_part = f"-{self.round_select.value}" if self.round_select.value else ""
        path = out / f"{self._stem()}{round_part}-phan-tich.xlsx"
        written: list[Path] = []

        def action() -> None:
            written.append(atomic_write(path, tables_xlsx(self.table_sheets())))

        return self._export(self.export_tables_button, "export_tables", action, written)

    def _export(self, button: w.Button, key: str, action: Callable[[], None],
                written: list[Path]) -> list[Path]:
        self._compute(button, key, self.t(key).lower(), action, "saving")
        self.written = list(written)  # what was written before a failure is listed too
        self._render_written()
        return self.written

    # -- language -----------------------------------------------------------------------------
    def _on_lang(self, change: dict[str, Any]) -> None:
        self.lang = change["new"]
        self.status.value = ""
        self._relabel()
        if self.meeting is not None:
            self._set_round_options(self.round_select.value)
        self._set_method_options(keep=True)
        self._render_header()
        self._attempt(self._render_all)
