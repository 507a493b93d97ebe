"""Section 5 of the analyst page: save the charts (PNG, SVG or PDF) and the tables (one xlsx
workbook, after a sheet recording the meeting, round and every analysis' parameters)
atomically into an output folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w
import polars as pl

from thidua_rank.i18n import Text
from thidua_rank.ui.analyst.section import Section
from thidua_rank.ui.base import esc, message

__all__ = ["CHART_FORMATS", "COLUMN_LABELS", "EXPORT_LABELS", "PARAM_LABELS", "ExportSection"]

CHART_FORMATS = ("png", "svg", "pdf")
EXPORT_LABELS: dict[str, Text] = {
    "sec_export": Text("5. Lưu kết quả", "5. Save the results"),
    "out": Text("Thư mục lưu", "Output folder"),
    "format": Text("Biểu đồ", "Charts"),
    "export_charts": Text("Lưu biểu đồ", "Save charts"),
    "export_tables": Text("Lưu bảng (xlsx)", "Save tables (xlsx)"),
    "written": Text("Đã ghi {n} tệp:", "Wrote {n} files:"),
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
    "info_meeting": Text("Cuộc họp", "Meeting"),
    "info_folder": Text("Thư mục", "Folder"),
    "info_round": Text("Vòng bỏ phiếu", "Ballot round"),
}
PARAM_LABELS = {"round": Text("vòng", "round"), "method": Text("phương pháp", "method"),
                "samples": Text("số lần lấy mẫu", "samples"), "seed": Text("hạt giống", "seed"),
                "top": Text("k (nhóm dẫn đầu)", "top k"), "spread": Text("dao động", "spread"),
                "winners": Text("đứng đầu", "first")}
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
                                         "First without this ballot")}
"""A column of an analysis table as the workbook heads it (method ids stay as they are)."""


class ExportSection(Section):
    """Save what the other sections computed; the paths written are listed on the page."""

    def _build_export(self) -> w.VBox:
        self.written: list[Path] = []
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
        self.written_out = w.HTML()
        self.written_out.add_class("tr-analyst-written")
        return w.VBox([self.text("sec_export", "", "h3"), self.out_input, self.chart_format,
                       w.HBox([self.export_charts_button, self.export_tables_button]),
                       self.written_out])

    def _render_written(self) -> None:
        if not self.written:
            self.written_out.value = ""
            return
        items = "".join(f"<li><code>{esc(p)}</code></li>" for p in self.written)
        self.written_out.value = (f"<div class='tr-msg tr-msg-ok tr-written'>"
                                  f"{esc(self.t('written', n=len(self.written)))}"
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
                info.append([f"{self.t('sheet_' + name)}: {PARAM_LABELS[key].get(self.lang)}",
                             shown])
        sheets.append((self.t("sheet_info"), [self.t("item"), self.t("value")], info))
        for name, found in self.results.items():
            table = found.table
            if name == "loo":
                table = table.with_columns(pl.col("winners_without").list.join(", "))
            header = [COLUMN_LABELS[c].get(self.lang) if c in COLUMN_LABELS else c
                      for c in table.columns]  # method ids stay as they are
            sheets.append((self.t("sheet_" + name), header, [list(r) for r in table.rows()]))
        return sheets

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
