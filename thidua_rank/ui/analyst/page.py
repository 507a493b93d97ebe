"""The analyst's dashboard: compare ranking methods on a meeting's ballots and test how robust
the ranking and the awards are (awards under every method, cut-off margins, bootstrap, critical
ballots, criteria weights, ballots far from the consensus, self-votes, voting blocs).

Not a meeting page: it reads meeting folders, never a ballot box, and ``thidua-rank analyst``
serves it alone on this computer (``thidua-rank serve`` never does). Every computation runs on
a button press, with the button showing "Đang tính…" meanwhile; sliders only set parameters.
The long ones (awards under every method, cut-off margins, the bootstrap, the ±x% weights,
uncertain weights, voting blocs) run in a worker thread with a progress bar and a "Dừng"
button, so the kernel keeps answering the page. "So sánh" shows its table at once and draws its
three charts there too, one step of the bar each. "Xuất tất cả" writes every chart and table at
once: rendered there a file at a time (one step each, "Dừng" between two files), the new folder
appears only when every file is ready, so a stopped export leaves nothing behind.
A meeting opens from a folder, a path typed in, or a workbook uploaded from the browser.
Charts are PNGs rendered on the server by :mod:`thidua_rank.charts` (no CDN, no internet), and
the export buttons write the charts (PNG, SVG or PDF) and the tables (one xlsx workbook)
atomically into an output folder.

This module is the page's shell (meeting and round pickers, language, layout); each section
lives in its own module: :mod:`.compare`, :mod:`.awards`, :mod:`.margins`, :mod:`.stability`
(bootstrap), :mod:`.critical` (leave one out), :mod:`.weights`, :mod:`.uncertainty`,
:mod:`.voters`, :mod:`.blocs` and :mod:`.export`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import ipywidgets as w

from thidua_rank import analysis
from thidua_rank.i18n import Text
from thidua_rank.io.load import load_meeting
from thidua_rank.io.upload import load_meeting_bytes, round_voters
from thidua_rank.meeting.model import Meeting
from thidua_rank.resources import sample_meetings
from thidua_rank.ui.analyst.awards import AWARDS_LABELS, AwardsSection
from thidua_rank.ui.analyst.blocs import BLOCS_LABELS, BlocsSection
from thidua_rank.ui.analyst.compare import COMPARE_LABELS, CompareSection
from thidua_rank.ui.analyst.critical import CRITICAL_LABELS, CriticalSection
from thidua_rank.ui.analyst.env import base_from_env, folders_from_env
from thidua_rank.ui.analyst.export import EXPORT_LABELS, ExportSection
from thidua_rank.ui.analyst.margins import MARGINS_LABELS, MarginsSection
from thidua_rank.ui.analyst.section import SHARED_LABELS
from thidua_rank.ui.analyst.stability import STABILITY_LABELS, StabilitySection
from thidua_rank.ui.analyst.uncertainty import UNCERTAINTY_LABELS, UncertaintySection
from thidua_rank.ui.analyst.voters import VOTERS_LABELS, VotersSection
from thidua_rank.ui.analyst.weights import WEIGHTS_LABELS, WeightsSection
from thidua_rank.ui.base import esc, message

if TYPE_CHECKING:
    from thidua_rank.meeting.config import MeetingInfo

__all__ = ["AnalystPage", "default_round"]

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

KIND_LABELS = {"ranked": Text("xếp hạng", "ranked"),
               "approval": Text("đồng ý / không đồng ý", "approval"),
               "choose": Text("chọn đơn vị", "choose")}
ROUND_RESULTS = ("compare", "agreement", "spearman", "condorcet", "bootstrap", "loo", "voters",
                 "self_votes", "blocs")
"""The results that belong to one ballot round (a round change drops them)."""

PAGE_LABELS: dict[str, Text] = {
    "title": Text("Phân tích xếp hạng", "Ranking analysis"),
    "meeting": Text("Cuộc họp", "Meeting"),
    "path": Text("Hoặc đường dẫn", "Or a path"),
    "path_ph": Text("thư mục cuộc họp hoặc tệp .xlsx", "meeting folder or .xlsx workbook"),
    "open": Text("Mở", "Open"),
    "upload": Text("Tải tệp Excel lên", "Upload a workbook"),
    "upload_help": Text("Hoặc tải lên tệp Excel của cuộc họp (mẫu do «thidua-rank template» "
                        "tạo, đã điền).", "Or upload the meeting's Excel workbook (the template "
                                          "«thidua-rank template» writes, filled in)."),
    "round": Text("Vòng bỏ phiếu", "Ballot round"),
    "empty_path": Text("Hãy nhập đường dẫn tới thư mục cuộc họp.",
                       "Type the path of a meeting folder."),
    "loaded": Text("Đã mở: {name}", "Opened: {name}"),
    "round_info": Text("{valid} phiếu hợp lệ · {invalid} không hợp lệ · {units} đơn vị · "
                       "phiếu {kind}", "{valid} valid · {invalid} invalid ballots · "
                                       "{units} units · {kind} ballots"),
}


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


class AnalystPage(CompareSection, AwardsSection, MarginsSection, StabilitySection,
                  CriticalSection, WeightsSection, UncertaintySection, VotersSection,
                  BlocsSection, ExportSection):
    """The analyst's page: pick (or upload) a meeting and a ballot round, then compare methods,
    apply the awards under every method, measure the cut-off margins, bootstrap the ballots,
    find critical ballots, test the criteria weights, look at far-off ballots and self-votes;
    save charts and tables.

    Parameters
    ----------
    folders
        Meeting folders (or workbooks) offered in the drop-down; the first one is opened.
    base
        The folder a relative path typed in the path box starts from (default: the current
        folder).
    """

    CSS_CLASS = "tr-page tr-analyst"
    EXTRA_STYLE = ANALYST_STYLE
    BILINGUAL_ERRORS = True  # errors name files, rows and columns: searchable in both
    LABELS: ClassVar[dict[str, Text]] = {**PAGE_LABELS, **SHARED_LABELS, **COMPARE_LABELS,
                                         **STABILITY_LABELS, **CRITICAL_LABELS,
                                         **WEIGHTS_LABELS, **EXPORT_LABELS, **AWARDS_LABELS,
                                         **MARGINS_LABELS, **UNCERTAINTY_LABELS,
                                         **VOTERS_LABELS, **BLOCS_LABELS}

    def __init__(self, folders: Sequence[str | Path] = (), *, base: Path | None = None) -> None:
        self.base = Path.cwd() if base is None else Path(base)
        self._folders = list(folders)
        self._quiet = 0
        self._default_out = ""
        self.voters: dict[str, dict[str, str]] = {}
        super().__init__()
        self.refresh()
        if self.meeting_select.value:
            self.load(self.meeting_select.value)

    @classmethod
    def from_env(cls) -> AnalystPage:
        """The page for the folders ``thidua-rank analyst`` was given (else the samples)."""
        return cls(folders_from_env() or sample_meetings(), base=base_from_env())

    # -- building -----------------------------------------------------------------------------
    def build(self) -> None:
        self._source = self._build_source(self._folders)
        self._sections = [self._build_compare(), self._build_awards(), self._build_margins(),
                          self._build_bootstrap(), self._build_loo(), self._build_weights(),
                          self._build_uncertainty(), self._build_voters(),
                          self._build_blocs(), self._build_export()]

    def layout(self) -> list[w.Widget]:
        return [self._source, self.status, *self._sections]

    def _build_source(self, folders: list[Path | str]) -> w.VBox:
        wide = {"description_width": "9em"}
        options = [(Path(f).name or str(f), str(f)) for f in folders]
        self.meeting_select = w.Dropdown(options=options, value=options[0][1] if options
                                         else None, style=wide, layout=w.Layout(width="34em"))
        self.meeting_select.add_class("tr-analyst-meeting")
        self.meeting_select.observe(self._on_meeting, names="value")
        self.label(self.meeting_select, "meeting")
        self.path_input = w.Text(style=wide, layout=w.Layout(width="34em"))
        self.path_input.add_class("tr-analyst-path")
        self.label(self.path_input, "path")
        self.label(self.path_input, "path_ph", "placeholder")
        self.open_button = self.analysis_button("open", "tr-analyst-open", self.open_path, "")
        self.round_select = w.Dropdown(options=[], style=wide, layout=w.Layout(width="46em"))
        self.round_select.add_class("tr-analyst-round")
        self.round_select.observe(self._on_round, names="value")
        self.label(self.round_select, "round")
        self.upload = w.FileUpload(accept=".xlsx,.xlsm", multiple=False,
                                   layout=w.Layout(width="auto"))
        self.upload.add_class("tr-analyst-upload")
        self.label(self.upload, "upload")
        self.upload.observe(self._on_upload, names="value")
        self.round_info = w.HTML()
        self.round_info.add_class("tr-analyst-round-info")
        return w.VBox([self.meeting_select, w.HBox([self.path_input, self.open_button]),
                       w.HBox([self.text("upload_help", "tr-note"), self.upload],
                              layout=w.Layout(align_items="center")),
                       self.round_select, self.round_info])

    @contextmanager
    def _quietly(self) -> Iterator[None]:
        """Change widget options without the observers reacting."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    # -- meeting and round --------------------------------------------------------------------
    def meeting_info(self) -> MeetingInfo | None:
        return self.meeting.config.meeting if self.meeting is not None else None

    def load(self, path: str | Path) -> bool:
        """Open a meeting folder or workbook; on failure the page shows why and holds none."""

        def action() -> None:
            meeting = load_meeting(path)
            self.voters = round_voters(path, meeting)
            self.meeting, self.source = meeting, Path(path)

        return self._open(action)

    def upload_workbook(self, data: bytes, name: str) -> bool:
        """Open a meeting workbook received as bytes (the upload button); on failure the page
        shows why (file, sheet, row, column) and holds no meeting."""

        def action() -> None:
            uploaded = load_meeting_bytes(data, name)
            self.voters = uploaded.voters
            self.meeting, self.source = uploaded.meeting, Path(uploaded.name)

        ok = self._open(action)
        with self._quietly():
            self.meeting_select.value = None  # the drop-down lists folders, not uploads
        return ok

    def _open(self, action: Callable[[], None]) -> bool:
        self.cancel_task()
        self.meeting = None
        self.source = None
        self.voters = {}
        self.results.clear()
        self._pngs.clear()
        self.written.clear()
        self.written_out.value = ""
        ok = self.attempt(action)
        if ok:
            self.status.value = message(self.t("loaded", name=self.source), "ok")
        self._after_load()
        return ok

    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        first = files[0]
        self.safe(lambda: self.upload_workbook(bytes(first["content"]), str(first["name"])))
        with self._quietly():
            self.upload.value = ()  # the same file may be uploaded again after a fix

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
            self.dirichlet_seed.value = meeting.config.meeting.year_reviewed
            self.bloc_seed.value = meeting.config.meeting.year_reviewed
            folder = Path(meeting.path) if meeting.path is not None else self.base
            out = str(folder / ".thidua" / "phan-tich")
            if self.out_input.value in ("", self._default_out):
                self.out_input.value = out
            self._default_out = out
            if not meeting.ballots:
                self.status.value = message(self.t("no_rounds"), "info")
        self.render_header()
        self._on_round_changed()

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
        options = [(f"{self._method_name(mid)} ({mid})", mid)
                   for mid in (analysis.ballot_methods(ballots) if ballots is not None else ())]
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
        for name in ("agreement", "spearman", "condorcet", "bootstrap", "voters", "blocs"):
            self._forget_chart(name)
        self._set_method_options()
        ballots = self.ballots
        if ballots is not None:
            self.top.max = max(ballots.n_units, 1)
            self.top.value = min(3, ballots.n_units)
        self.refresh()

    # -- rendering ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Render every section from the results computed so far (in the page's language)."""
        self._render_round_info()
        self._render_compare()
        self._render_awards()
        self._render_margins()
        self._render_bootstrap()
        self._render_loo()
        self._render_weights()
        self._render_uncertainty()
        self._render_voters()
        self._render_blocs()
        self._render_written()

    def on_lang(self) -> None:
        if self.meeting is not None:
            self._set_round_options(self.round_select.value)
        self._set_method_options(keep=True)

    def _render_round_info(self) -> None:
        ballots = self.ballots
        for button in (self.compare_button, self.bootstrap_button, self.loo_button):
            button.disabled = ballots is None
        if ballots is None:
            self.round_info.value = ""
            return
        self.round_info.value = "<div class='tr-note'>" + esc(self.t(
            "round_info", valid=ballots.n_ballots, invalid=ballots.n_invalid,
            units=ballots.n_units, kind=KIND_LABELS[ballots.kind].get(self.lang))) + "</div>"
