"""Section 10 of the analyst page: save the charts (PNG, SVG or PDF) and the tables (one xlsx
workbook, after a sheet recording the meeting, round and every analysis' parameters)
atomically into an output folder; or "Xuất tất cả" (export all): every chart computed so far
in PNG, SVG and PDF and one workbook of every table with a "Tham số" sheet (the parameters and
seeds of each analysis), written together as one new folder inside the output folder.

"Xuất tất cả" renders a file at a time (2–12 s on the sample meetings) in the worker thread,
one step of the progress bar per file, with a "Dừng" button that stops between two files. The
files are rendered in memory (:func:`~thidua_rank.charts.render.chart_bytes`) and the output
folder is written by :func:`~thidua_rank.io.atomic.atomic_write_folder` only once every file is
ready: a stopped or failed export leaves nothing in the output folder, and the section says
so."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import polars as pl

from thidua_rank.analysis.progress import AnalysisCancelled, Cancel, Progress
from thidua_rank.charts.render import CHART_FORMATS, chart_bytes
from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Section
from thidua_rank.ui.base import esc, message

if TYPE_CHECKING:

    from thidua_rank.meeting.model import Meeting

__all__ = ["COLUMN_LABELS", "EXPORT_LABELS", "PARAM_LABELS", "ExportSection"]
EXPORT_LABELS: dict[str, Text] = {
    "sec_export": Text("10. Lưu kết quả", "10. Save the results"),
    "out": Text("Thư mục lưu", "Output folder"),
    "format": Text("Biểu đồ", "Charts"),
    "export_charts": Text("Lưu biểu đồ", "Save charts"),
    "export_tables": Text("Lưu bảng (xlsx)", "Save tables (xlsx)"),
    "written": Text("Đã ghi {n} tệp:", "Wrote {n} files:"),
    "written_in": Text("Đã ghi {n} tệp vào {folder}:", "Wrote {n} files into {folder}:"),
    "nothing": Text("Chưa có kết quả nào để lưu: hãy chạy một phân tích trước.",
                    "Nothing to save yet: run an analysis first."),
    "no_out": Text("Hãy nhập thư mục lưu.", "Type an output folder."),
    "sheet_info": Text("Thông tin", "About"),
    "item": Text("Mục", "Item"),
    "value": Text("Giá trị", "Value"),
    "sheet_compare": Text("So sánh phương pháp", "Method comparison"),
    "sheet_agreement": Text("Thống nhất (tau-b)", "Agreement (tau-b)"),
    "sheet_bootstrap": Text("Bootstrap", "Bootstrap"),
    "sheet_loo": Text("Phiếu then chốt", "Critical ballots"),
    "sheet_weights": Text("Độ nhạy trọng số", "Weight sensitivity"),
    "sheet_spearman": Text("Thống nhất (Spearman rho)", "Agreement (Spearman rho)"),
    "sheet_condorcet": Text("Condorcet (từng cặp)", "Condorcet (pairwise)"),
    "sheet_awards": Text("Khen thưởng theo phương pháp", "Awards by method"),
    "sheet_margins": Text("Khoảng cách tới ngưỡng", "Cut-off margins"),
    "sheet_uncertainty": Text("Trọng số không chắc chắn", "Uncertain weights"),
    "sheet_voters": Text("Khoảng cách phiếu", "Ballot distances"),
    "sheet_self_votes": Text("Phiếu tự bầu", "Self-votes"),
    "sheet_blocs": Text("Nhóm bầu cho nhau", "Voting blocs"),
    "sheet_params": Text("Tham số", "Parameters"),
    "analysis": Text("Phân tích", "Analysis"),
    "parameter": Text("Tham số", "Parameter"),
    "export_all": Text("Xuất tất cả", "Export all"),
    "export_all_help": Text("«Xuất tất cả» ghi mọi biểu đồ đã tính (PNG, SVG và PDF) và một tệp "
                            "xlsx gồm mọi bảng cùng trang «Tham số» (tham số và hạt giống của "
                            "từng phân tích) vào một thư mục mới trong thư mục lưu — đủ cả hoặc "
                            "không có gì.",
                            "«Export all» writes every chart computed so far (PNG, SVG and PDF) "
                            "and one xlsx of every table with a «Tham số» (parameters) sheet "
                            "listing each analysis' parameters and seeds, as one new folder "
                            "inside the output folder — all of it or nothing."),
    "what_export_all": Text("xuất tất cả, {n} tệp", "export all, {n} files"),
    "export_stopped": Text("Đã dừng «Xuất tất cả» sau {done}/{n} tệp: không có tệp nào được "
                           "ghi vào {folder}.", "Stopped «Export all» after {done} of {n} "
                                                "files: nothing was written to {folder}."),
    "export_failed": Text("«Xuất tất cả» không xong: không có tệp nào được ghi vào {folder}.",
                          "«Export all» failed: nothing was written to {folder}."),
    "info_meeting": Text("Cuộc họp", "Meeting"),
    "info_folder": Text("Thư mục", "Folder"),
    "info_round": Text("Vòng bỏ phiếu", "Ballot round"),
}
PARAM_LABELS = {"round": Text("vòng", "round"), "method": Text("phương pháp", "method"),
                "samples": Text("số lần lấy mẫu", "samples"), "seed": Text("hạt giống", "seed"),
                "top": Text("k (nhóm dẫn đầu)", "top k"), "spread": Text("dao động", "spread"),
                "winners": Text("đứng đầu", "first"),
                "winner": Text("người thắng Condorcet", "Condorcet winner"),
                "loser": Text("người thua Condorcet", "Condorcet loser"),
                "max_ballots": Text("giới hạn tìm kiếm (phiếu)", "search bound (ballots)"),
                "concentration": Text("độ tập trung", "concentration"),
                "consensus": Text("thứ tự chung", "consensus order"),
                "voters_known": Text("số phiếu biết đơn vị bầu", "ballots with known voter"),
                "statistic": Text("thống kê", "statistic"),
                "permutations": Text("số lần hoán vị", "permutations"),
                "max_size": Text("nhóm lớn nhất", "largest group")}
"""An analysis parameter as the workbook's first sheet names it."""
COLUMN_LABELS = {"unit": Text("Đơn vị", "Unit"), "rank": Text("Hạng", "Place"),
                 "spread": Text("Chênh lệch", "Spread"), "method": Text("Phương pháp", "Method"),
                 "p_first": Text("Tỷ lệ đứng đầu", "Share first"),
                 "p_top": Text("Tỷ lệ trong nhóm dẫn đầu", "Share in the top group"),
                 "mean_rank": Text("Hạng trung bình", "Mean place"),
                 "rank_low": Text("Hạng tốt (phân vị 5%)", "Place, 5th percentile"),
                 "rank_high": Text("Hạng kém (phân vị 95%)", "Place, 95th percentile"),
                 "p_same": Text("Tỷ lệ giữ nguyên hạng", "Share keeping its place"),
                 "best_rank": Text("Hạng tốt nhất", "Best place"),
                 "worst_rank": Text("Hạng kém nhất", "Worst place"),
                 "ballot": Text("Phiếu", "Ballot"), "count": Text("Số lượng", "Count"),
                 "winners_without": Text("Đứng đầu nếu bỏ phiếu này",
                                         "First without this ballot"),
                 "opponent": Text("Đối thủ", "Opponent"), "support": Text("Ủng hộ", "For"),
                 "against": Text("Phản đối", "Against"), "margin": Text("Chênh lệch", "Margin"),
                 "configured": Text("Phương pháp của hội nghị", "The meeting's method"),
                 "place": Text("Hạng", "Place"), "tier": Text("Hình thức", "Tier"),
                 "tier_label": Text("Tên hình thức", "Tier name"),
                 "changed": Text("Khác phương pháp của hội nghị",
                                 "Differs from the meeting's method"),
                 "direction": Text("Vị trí (out: được khen; in: chưa)",
                                   "Side (out: awarded; in: not)"),
                 "score_gap": Text("Chênh lệch điểm", "Score gap"),
                 "ballots": Text("Số phiếu cần sửa", "Ballots to change"),
                 "ballots_low": Text("Cận dưới (phiếu)", "Lower bound (ballots)"),
                 "exact": Text("Chính xác", "Exact"),
                 "weight_change": Text("Đổi trọng số", "Weight change"),
                 "search": Text("Cách tìm", "Search"), "edit_vi": Text("Cách sửa", "Edit (vi)"),
                 "edit_en": Text("Cách sửa (tiếng Anh)", "Edit"),
                 "mean_place": Text("Hạng trung bình", "Mean place"),
                 "place_low": Text("Hạng tốt (phân vị 5%)", "Place, 5th percentile"),
                 "place_high": Text("Hạng kém (phân vị 95%)", "Place, 95th percentile"),
                 "voter": Text("Đơn vị bầu", "Voter"),
                 "distance": Text("Khoảng cách", "Distance"),
                 "outlier": Text("Khác thường", "Outlier"),
                 "rank_without": Text("Hạng khi bỏ tự bầu", "Place without self-votes"),
                 "change": Text("Thay đổi", "Change"),
                 "change_possible": Text("Có thể đổi", "Could change"),
                 "bounded": Text("Có giới hạn", "Bounded"),
                 "group": Text("Nhóm", "Group"), "size": Text("Số đơn vị", "Size"),
                 "strength": Text("Độ mạnh", "Strength"), "p_value": Text("p", "p"),
                 "voters": Text("Đơn vị bầu mang mẫu hình", "Voters carrying it"),
                 "significant": Text("Có ý nghĩa", "Significant")}
"""A column of an analysis table as the workbook heads it (method ids stay as they are)."""


class ExportSection(Section):
    """Save what the other sections computed; the paths written are listed on the page."""

    def _build_export(self) -> w.VBox:
        self.written: list[Path] = []
        self.written_folder: Path | None = None
        wide = {"description_width": "initial"}
        self.out_input = w.Text(style=wide, layout=w.Layout(width="46em"))
        self.out_input.add_class("tr-analyst-out")
        self.label(self.out_input, "out")
        self.chart_format = w.ToggleButtons(options=[(f.upper(), f) for f in CHART_FORMATS],
                                            value="png", style={"button_width": "60px",
                                                                **wide})
        self.chart_format.add_class("tr-analyst-chart-format")
        self.label(self.chart_format, "format")
        self.export_charts_button = self.analysis_button(
            "export_charts", "tr-analyst-export-charts", self.export_charts, "")
        self.export_tables_button = self.analysis_button(
            "export_tables", "tr-analyst-export-tables", self.export_tables, "")
        self.export_all_button = self.analysis_button(
            "export_all", "tr-analyst-export-all", self.export_all)
        self.export_bar = self.task_bar("export")
        self.export_note = w.HTML()
        self.export_note.add_class("tr-analyst-export-note")
        self._export_stopped: tuple[Meeting | None, int, int, Path] | None = None
        self._export_failed: tuple[Meeting | None, Path] | None = None
        self.written_out = w.HTML()
        self.written_out.add_class("tr-analyst-written")
        return w.VBox([self.text("sec_export", "", "h3"), self.out_input, self.chart_format,
                       w.HBox([self.export_charts_button, self.export_tables_button]),
                       self.text("export_all_help"), self.export_all_button,
                       self.export_bar.box, self.export_note, self.written_out])

    def _render_written(self) -> None:
        self._render_export_note()
        if not self.written:
            self.written_out.value = ""
            return
        folder = self.written_folder
        shown = [p.name if folder is not None else p for p in self.written]
        items = "".join(f"<li><code>{esc(p)}</code></li>" for p in shown)
        head = (self.t("written_in", n=len(self.written), folder=folder) if folder is not None
                else self.t("written", n=len(self.written)))
        self.written_out.value = (f"<div class='tr-msg tr-msg-ok tr-written'>{esc(head)}"
                                  f"<ul>{items}</ul></div>")

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
        if compare is not None and compare.table.width > 3:
            names.append(("spearman", f"{stem}-{self.round_select.value}-dong-thuan-spearman"))
        if "condorcet" in self.results:
            names.append(("condorcet", f"{stem}-{self.round_select.value}-tung-cap"))
        for name, suffix in (("awards", "khen-thuong-theo-phuong-phap"),
                             ("margins", "khoang-cach-nguong"),
                             ("uncertainty", "trong-so-khong-chac-chan")):
            if name in self.results and not (name == "margins"
                                             and self.results[name].table.is_empty()):
                names.append((name, f"{stem}-{suffix}"))
        if "voters" in self.results:
            names.append(("voters", f"{stem}-{self.round_select.value}-khoang-cach-phieu"))
        if "blocs" in self.results:
            names.append(("blocs", f"{stem}-{self.round_select.value}-nhom-bau"))
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
                shown = ", ".join(value) if isinstance(value, list) else value
                label = PARAM_LABELS[key].get(self.lang) if key in PARAM_LABELS else key
                info.append([f"{self.t('sheet_' + name)}: {label}", shown])
        sheets.append((self.t("sheet_info"), [self.t("item"), self.t("value")], info))
        sheets += [self._table_sheet(name) for name in self.results]
        return sheets

    def params_sheet(self) -> tuple[str, list[str], list[list[Any]]]:
        """The "Tham số" sheet: the meeting and round, then one row per parameter (and seed)
        of every analysis computed so far."""
        rows: list[list[Any]] = []
        if self.meeting is not None:
            m = self.meeting.config.meeting
            rows += [["", self.t("info_meeting"),
                      f"{m.bloc}, {self.t('year', year=m.year_reviewed)}"],
                     ["", self.t("info_folder"), str(self.source)]]
        if self.round_select.value is not None:
            rows.append(["", self.t("info_round"), self._round_label(self.round_select.value)])
        for name, found in self.results.items():
            for key, value in found.params.items():
                shown = ", ".join(value) if isinstance(value, list) else value
                label = PARAM_LABELS[key].get(self.lang) if key in PARAM_LABELS else key
                rows.append([self.t("sheet_" + name), label, shown])
        return (self.t("sheet_params"), [self.t("analysis"), self.t("parameter"),
                                         self.t("value")], rows)

    def _table_sheet(self, name: str) -> tuple[str, list[str], list[list[Any]]]:
        table = self.results[name].table
        lists = [c for c, t in table.schema.items() if isinstance(t, pl.List)]
        if lists:
            table = table.with_columns(pl.col(c).list.join(", ") for c in lists)
        header = [COLUMN_LABELS[c].get(self.lang) if c in COLUMN_LABELS else c
                  for c in table.columns]  # method ids and p_place_k stay as they are
        return (self.t("sheet_" + name), header, [list(r) for r in table.rows()])

    def export_all(self) -> bool:
        """Write every chart computed so far (PNG, SVG and PDF) and one workbook of every
        table with the "Tham số" sheet, as one new folder inside the output folder, in the
        worker thread (progress per file, "Dừng" between files): the whole folder appears at
        once when every file is ready, or nothing does. ``True`` when the export started; the
        folder is then :attr:`written_folder` once it is written."""
        from thidua_rank.report.xlsx import tables_xlsx

        out = self._out_dir()
        if out is None:
            return False
        if not self.results:
            self.status.value = message(self.t("nothing"), "error")
            return False
        round_part = f"-{self.round_select.value}" if self.round_select.value else ""
        book = f"{self._stem()}{round_part}-phan-tich.xlsx"
        target = out / f"{self._stem()}-tat-ca"
        n = 2
        while target.exists():
            target = out / f"{self._stem()}-tat-ca-{n}"
            n += 1
        charts = self._charts_to_save()
        sheets = [self.params_sheet(), *[self._table_sheet(k) for k in self.results]]
        names = [f"{stem}.{fmt}" for _, stem in charts for fmt in CHART_FORMATS] + [book]
        meeting, rid = self.meeting, self.round_select.value
        done_files = [0]

        def valid() -> bool:
            return self.meeting is meeting and self.round_select.value == rid

        def work(progress: Progress, cancel: Cancel) -> Path:
            from thidua_rank.io.atomic import atomic_write_folder

            files: dict[str, bytes] = {}

            def step() -> None:  # between two files: report, then honour "Dừng"
                done_files[0] = len(files)
                progress(len(files), len(names))
                if cancel() or not valid():
                    raise AnalysisCancelled

            self._export_stopped = self._export_failed = None
            self._render_export_note()
            try:
                step()
                for name, stem in charts:
                    chart = self.chart(name)
                    for fmt in CHART_FORMATS:
                        files[f"{stem}.{fmt}"] = chart_bytes(chart, fmt)
                        step()
                files[book] = tables_xlsx(sheets)
                step()
                return atomic_write_folder(target, files)
            except AnalysisCancelled:
                self._export_stopped = (meeting, done_files[0], len(names), out)
                self._render_export_note()
                raise
            except Exception:
                self._export_failed = (meeting, out)
                self._render_export_note()
                raise

        def done(folder: Path) -> None:
            self.written = [folder / name for name in names]
            self.written_folder = folder
            self._render_written()

        self.written, self.written_folder = [], None
        self._render_written()
        return self._background(self.export_all_button, "export_all",
                                self.t("what_export_all", n=len(names)), self.export_bar,
                                work, done, valid)

    def _render_export_note(self) -> None:
        """Say beside the button that the last "Xuất tất cả" was stopped or failed, and that
        nothing was written."""
        stopped, failed = self._export_stopped, self._export_failed
        if stopped is not None and stopped[0] is self.meeting:
            _, done, n, folder = stopped
            self.export_note.value = message(self.t("export_stopped", done=done, n=n,
                                                    folder=folder), "info")
        elif failed is not None and failed[0] is self.meeting:
            self.export_note.value = message(self.t("export_failed", folder=failed[1]),
                                             "error")
        else:
            self.export_note.value = ""

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
                written: list[Path], folder: Path | None = None) -> list[Path]:
        self._compute(button, key, self.t(key).lower(), action, "saving")
        self.written = list(written)  # what was written before a failure is listed too
        self.written_folder = folder if written else None
        self._render_written()
        return self.written
