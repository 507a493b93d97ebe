"""The analyst's dashboard driven in Python (no browser): buttons pressed through their
handlers, tables checked against :mod:`thidua_rank.analysis` on the same ballots."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import polars as pl
import pytest

from thidua_rank import analysis
from thidua_rank.cli import main
from thidua_rank.io.load import load_meeting
from thidua_rank.server.analyst import (
    ENV_CWD,
    ENV_FOLDERS,
    analyst_env,
    analyst_notebook,
    folders_from_env,
    sample_meetings,
    voila_command,
)
from thidua_rank.server.meeting import dashboards_dir
from thidua_rank.ui.analyst.page import AnalystPage

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"

ONLY_BALLOTS = """
[meeting]
id = "chi-phieu"
bloc = "Khối thi đua thử nghiệm"
year_reviewed = 2024
[ranking]
combine = "vote"
vote_round = "xep-hang"
[[rounds]]
id = "xep-hang"
title = "Xếp hạng"
decides = "ranking"
ballots = "xep-hang.csv"
"""


@pytest.fixture(scope="module")
def meeting():
    return load_meeting(SAMPLE)


@pytest.fixture
def page() -> AnalystPage:
    return AnalystPage([SAMPLE])


def body_rows(html: str) -> int:
    return html.split("<tbody>", 1)[1].count("<tr")


def test_compare_shows_what_the_analysis_computes(page, meeting) -> None:
    assert page.meeting is not None and page.round_select.value == "xep-hang"
    page.compare_button.click()  # the table at once; the charts follow from the worker
    expected = analysis.compare(meeting.ballots["xep-hang"])
    assert page.results["compare"].table.equals(expected)
    assert page.results["agreement"].table.equals(analysis.agreement(expected))
    html = page.compare_out.value
    assert page.wait(60)
    assert body_rows(html) == len(meeting.units)
    assert all(unit in html for unit in meeting.units)
    assert html.count('class="tr-differs"') == expected.filter(pl.col("spread") > 0).height
    assert "borda ★" in html  # the round's own method is marked
    assert page.agreement_out.value.startswith("<img alt='Mức thống nhất")
    assert "data:image/png;base64," in page.agreement_out.value
    assert "tr-msg-ok" in page.status.value and "Xong: biểu đồ so sánh 9 phương pháp" in \
        page.status.value


def test_buttons_show_the_busy_state_and_sliders_compute_nothing(page, monkeypatch) -> None:
    seen: list[tuple[str, bool, str]] = []
    calls = {"n": 0}
    real = analysis.bootstrap

    def spy(*args, **kwargs):
        calls["n"] += 1
        seen.append((page.bootstrap_button.description, page.bootstrap_button.disabled,
                     page.status.value))
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "bootstrap", spy)
    page.samples.value = 1000
    page.seed.value = 11
    page.top.value = 2
    page.method_select.value = "copeland"
    assert calls["n"] == 0 and "bootstrap" not in page.results
    page.samples.value = 50
    page.bootstrap_button.click()  # runs in the worker thread: the kernel stays free
    assert page.wait(60)
    assert calls["n"] == 1
    description, disabled, status = seen[0]
    assert description == "Đang tính…" and disabled and "Đang tính… bootstrap copeland" in status
    assert page.bootstrap_button.description == "Chạy bootstrap"
    assert not page.bootstrap_button.disabled


def test_bootstrap_uses_the_chosen_method_and_parameters(page, meeting) -> None:
    page.method_select.value = "schulze"
    page.samples.value = 60
    page.seed.value = 5
    page.top.value = 2
    page.bootstrap_button.click()
    assert page.wait(60)
    expected = analysis.bootstrap(meeting.ballots["xep-hang"], "schulze", samples=60, seed=5,
                                  top=2)
    assert page.results["bootstrap"].table.equals(expected)
    html = page.bootstrap_out.value
    assert "Schulze (đường mạnh nhất) · 60 lần lấy mẫu · hạt giống 5" in html
    assert "Trong 2 hạng đầu" in html and body_rows(html) == len(meeting.units)
    assert "data:image/png;base64," in page.bootstrap_chart.value


def test_critical_ballots(page, meeting) -> None:
    page.loo_button.click()  # ranking round, Borda: no single ballot decides the winner
    assert page.results["loo"].table.is_empty()
    assert "Không có phiếu nào" in page.loo_out.value
    assert "Đứng đầu theo Đếm điểm Borda: Ban Bảo vệ chăm sóc sức khỏe cán bộ tỉnh" in \
        page.loo_out.value
    page.round_select.value = "pho-truong-khoi"  # choose two deputies: two ballots decide
    assert page.method_select.value == "approval" and "loo" not in page.results
    page.loo_button.click()
    expected = analysis.leave_one_out(meeting.ballots["pho-truong-khoi"], "approval")
    assert page.results["loo"].table.equals(expected)
    html = page.loo_out.value
    assert body_rows(html) == expected.height == 2
    assert "<td>3</td>" in html and "<td>8</td>" in html


def test_weight_sensitivity(page, meeting) -> None:
    page.spread.value = 0.3
    page.weight_samples.value = 50
    page.weight_seed.value = 9
    page.weights_button.click()
    assert page.wait(60)
    expected = analysis.weight_sensitivity(meeting.scores, spread=0.3, samples=50, seed=9)
    assert page.results["weights"].table.equals(expected)
    assert "Dao động ±30% · 50 lần · hạt giống 9" in page.weights_out.value
    assert "data:image/png;base64," in page.weights_chart.value


def test_a_round_change_drops_that_rounds_results_only(page) -> None:
    page.samples.value = 50
    page.weight_samples.value = 50
    for button in (page.compare_button, page.bootstrap_button, page.weights_button):
        button.click()
        assert page.wait(60)  # one computation at a time
    page.round_select.value = "truong-khoi"
    assert set(page.results) == {"weights"}
    assert page.compare_out.value == page.bootstrap_out.value == ""
    assert page.weights_out.value != ""
    assert page.method_select.value == "instant_runoff"  # the round's configured method


def test_meeting_without_score_sheet(make_meeting) -> None:
    folder = make_meeting(ONLY_BALLOTS, members=[("a", "Sở A", 1), ("b", "Sở B", 1),
                                                 ("c", "Sở C", 1)],
                          ballots={"xep-hang.csv": (["Sở A", "Sở B", "Sở C"],
                                                    [[1, 2, 3], [2, 1, 3], [1, 3, 2]])})
    page = AnalystPage([folder])
    assert page.meeting is not None and page.meeting.scores is None
    assert page.weights_button.disabled
    assert "không có bảng điểm" in page.weights_note.value
    assert page.run_weights() is False and "không có bảng điểm" in page.status.value
    page.compare_button.click()
    assert page.results["compare"].table.height == 3
    assert page.wait(60)


def test_bad_folder_shows_the_bilingual_error(tmp_path) -> None:
    page = AnalystPage([tmp_path / "khong-co", SAMPLE])
    status = page.status.value
    assert "tr-msg-error" in status
    assert "không tìm thấy thư mục hội nghị — meeting folder not found" in status
    assert "Traceback" not in status and page.meeting is None
    assert page.round_select.options == ()
    assert page.compare_button.disabled and page.bootstrap_button.disabled
    page.compare_button.click()  # nothing to compare: told so, nothing raised
    assert "Chọn một cuộc họp" in page.status.value and "compare" not in page.results
    page.meeting_select.value = str(SAMPLE)
    assert page.meeting is not None and "Đã mở" in page.status.value


def test_bad_file_names_file_row_and_column(tmp_path) -> None:
    folder = tmp_path / "hop"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
    scores = folder / "scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",29,", ",hai chín,", 1)
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = AnalystPage([SAMPLE])
    page.compare_button.click()
    page.path_input.value = str(folder)
    assert page.open_path() is False
    status = page.status.value
    assert "scores.csv" in status and "dòng/row 2" in status and "hai chín" in status
    assert " — " in status and "Traceback" not in status
    assert page.meeting is None and page.results == {} and page.compare_out.value == ""
    assert page.meeting_select.value is None  # the drop-down does not claim a meeting is open


def test_open_a_typed_path_adds_it_to_the_list(tmp_path) -> None:
    page = AnalystPage([], base=tmp_path)
    assert page.meeting is None and page.compare_button.disabled
    assert page.open_path() is False and "Hãy nhập đường dẫn" in page.status.value
    folder = tmp_path / "hop"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".thidua"))
    page.path_input.value = "hop"  # relative to where `thidua-rank analyst` was started
    assert page.open_path() is True and not page.compare_button.disabled
    assert page.meeting_select.value == str(folder)
    assert page.out_input.value == str(folder / ".thidua" / "phan-tich")
    page.path_input.value = str(SAMPLE)  # an absolute path stays as typed
    assert page.open_path() is True and page.source == SAMPLE


def test_a_workbook_opens_like_its_folder(meeting, tmp_path) -> None:
    book = tmp_path / "hop.xlsx"
    assert main(["template", str(book), "--meeting", str(SAMPLE)]) == 0
    page = AnalystPage([book])
    assert page.meeting is not None and page.round_select.value == "xep-hang"
    assert page.out_input.value == str(tmp_path / ".thidua" / "phan-tich")
    page.compare_button.click()
    assert page.results["compare"].table.equals(analysis.compare(meeting.ballots["xep-hang"]))


def test_exports_write_readable_files(page, meeting, tmp_path) -> None:
    out = tmp_path / "ket-qua"
    page.out_input.value = str(out)
    assert page.export_tables() == [] and "Chưa có kết quả" in page.status.value
    page.samples.value = 50
    page.weight_samples.value = 50
    for button in (page.compare_button, page.bootstrap_button, page.weights_button):
        button.click()
        assert page.wait(60)
    magic = {"png": b"\x89PNG", "svg": b"<svg", "pdf": b"%PDF"}
    for fmt, head in magic.items():
        page.chart_format.value = fmt
        page.export_charts_button.click()
        written = page.written
        assert [p.suffix for p in written] == [f".{fmt}"] * 5  # τ-b, ρ, pairwise, 2 more
        assert all(p.read_bytes().startswith(head) for p in written)
        assert all(str(p) in page.written_out.value for p in written)
    page.export_tables_button.click()
    [book] = page.written
    assert book == out / "ninh-binh-co-quan-dang-2022-xep-hang-phan-tich.xlsx"
    sheets = pl.read_excel(book, sheet_id=0)
    assert list(sheets) == ["Thông tin", "So sánh phương pháp", "Thống nhất (tau-b)",
                            "Thống nhất (Spearman rho)", "Condorcet (từng cặp)", "Bootstrap",
                            "Độ nhạy trọng số"]
    expected = analysis.compare(meeting.ballots["xep-hang"])
    assert sheets["So sánh phương pháp"].columns == ["Đơn vị", *expected.columns[1:-1],
                                                      "Chênh lệch"]
    assert sheets["So sánh phương pháp"].rows() == expected.rows()
    assert sheets["Bootstrap"].columns[:3] == ["Đơn vị", "Hạng", "Tỷ lệ đứng đầu"]
    info = dict(sheets["Thông tin"].rows())
    assert info["Bootstrap: hạt giống"] == "2022" and info["Bootstrap: số lần lấy mẫu"] == "50"
    assert info["Độ nhạy trọng số: dao động"] == "0.2"
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temporary files left


def test_export_errors_are_shown_not_raised(page, tmp_path) -> None:
    blocker = tmp_path / "tep"
    blocker.write_text("not a folder", encoding="utf-8")
    page.compare_button.click()
    page.out_input.value = str(blocker / "con")
    assert page.export_tables() == []
    assert "Không đọc hoặc ghi được tệp — Could not read or write a file" in page.status.value
    assert page.written_out.value == ""
    page.out_input.value = "  "
    assert page.export_charts() == [] and "Hãy nhập thư mục lưu" in page.status.value


def test_english_toggle_relabels_and_keeps_the_results(page) -> None:
    page.method_select.value = "schulze"
    page.compare_button.click()
    assert page.wait(60)
    page.lang_toggle.value = "en"  # the English charts are drawn in the worker
    assert page.wait(60)
    assert page.compare_button.description == "Compare"
    assert "<h1>Ranking analysis</h1>" in page.header.value
    assert "<th>Unit</th>" in page.compare_out.value and "Spread" in page.compare_out.value
    assert page.round_select.label == "Ranking ballot, 2022 (xep-hang)"
    assert page.method_select.value == "schulze" and "compare" in page.results
    assert page.agreement_out.value.startswith("<img alt='Agreement between methods")
    page.lang_toggle.value = "vi"
    assert page.compare_button.description == "So sánh"


def test_the_page_reads_its_folders_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(ENV_FOLDERS, str(SAMPLE))
    monkeypatch.setenv(ENV_CWD, str(SAMPLE.parent))
    page = AnalystPage.from_env()
    assert [v for _, v in page.meeting_select.options] == [str(SAMPLE)]
    assert page.base == SAMPLE.parent
    monkeypatch.delenv(ENV_FOLDERS)
    assert folders_from_env() == []
    page = AnalystPage.from_env()
    assert len(page.meeting_select.options) == len(sample_meetings()) == 5


def test_the_command_serves_the_analyst_notebook_alone(tmp_path, capsys) -> None:
    notebook = analyst_notebook()
    assert notebook.parent.name == "analyst"
    assert dashboards_dir() not in notebook.parents  # never on the meeting-room network
    assert not (dashboards_dir() / notebook.name).exists()
    cmd = voila_command(8867, "127.0.0.1")
    assert cmd[3] == str(notebook) and "--no-browser" in cmd and "--theme=light" in cmd
    assert "--no-browser" not in voila_command(8867, "127.0.0.1", browser=True)
    env = analyst_env([SAMPLE], {"PATH": "/usr/bin"})
    assert env == {"PATH": "/usr/bin", ENV_FOLDERS: str(SAMPLE.resolve()),
                   ENV_CWD: str(Path.cwd())}
    assert main(["analyst", str(tmp_path / "khong-co")]) == 2
    assert "meeting folder not found" in capsys.readouterr().err


def test_the_dashboard_notebook_is_thin() -> None:
    nb = json.loads(analyst_notebook().read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert len(code) == 1 and nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "AnalystPage.from_env().show()" in "".join(code[0]["source"])


def _held_chart_png(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Hold the first chart PNG rendered until the test lets it go (deterministic: the test
    sees the comparison's table with its charts still being drawn)."""
    from thidua_rank import charts

    reported, resume = threading.Event(), threading.Event()
    real = charts.chart_png

    def held(*args, **kwargs):
        if not reported.is_set():
            reported.set()
            assert resume.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "chart_png", held)
    return reported, resume


def test_compare_shows_the_table_at_once_and_draws_the_charts_in_the_worker(
        page, meeting, monkeypatch) -> None:
    reported, resume = _held_chart_png(monkeypatch)
    assert page.compare_bar.box.layout.display == "none"
    assert page.run_compare() is True  # returns with the table shown, the charts pending
    assert body_rows(page.compare_out.value) == len(meeting.units)
    assert "Người thắng Condorcet" in page.condorcet_out.value
    assert reported.wait(30)
    assert page.busy and page.compare_button.disabled
    assert page.compare_button.description == "Đang tính…"
    assert page.compare_bar.box.layout.display == ""
    assert (page.compare_bar.progress.value, page.compare_bar.progress.max) == (0, 3)
    for out, title in ((page.agreement_out, "Mức thống nhất giữa các phương pháp (Kendall τ-b)"),
                       (page.spearman_out, "Mức thống nhất giữa các phương pháp (Spearman ρ)"),
                       (page.pairwise_out, "Chênh lệch từng cặp (số phiếu)")):
        assert out.value == ("<div class='tr-note tr-analyst-chart-pending' style='margin: "
                             f"0.4em 2em 0.4em 0'>{title}: Đang vẽ biểu đồ…</div>")
    assert "Đang tính… biểu đồ so sánh 9 phương pháp" in page.status.value
    page.compare_bar.cancel.click()  # "Dừng": the chart being drawn is the last one
    resume.set()
    assert page.wait(10)
    assert page.agreement_out.value.startswith("<img alt='Mức thống nhất giữa các phương pháp "
                                               "(Kendall τ-b)'")
    stopped = "Đã dừng trước khi vẽ xong biểu đồ; bấm «So sánh» để vẽ lại."
    assert stopped in page.spearman_out.value and stopped in page.pairwise_out.value
    assert "Đã dừng: biểu đồ so sánh 9 phương pháp" in page.status.value
    assert page.compare_bar.progress.value == 1
    assert page.compare_bar.box.layout.display == "none"
    assert not page.compare_button.disabled and page.compare_button.description == "So sánh"
    assert "compare" in page.results  # the table stays
    page.lang_toggle.value = "en"  # a stopped drawing is not started again by itself
    assert not page.busy
    assert "Stopped before the charts were drawn" in page.pairwise_out.value
    page.lang_toggle.value = "vi"
    assert page.run_compare() is True and page.wait(60)
    assert all(out.value.startswith("<img") for out in (page.agreement_out, page.spearman_out,
                                                        page.pairwise_out))
    assert page.compare_bar.progress.value == page.compare_bar.progress.max == 3
    assert "Xong: biểu đồ so sánh 9 phương pháp" in page.status.value


def test_a_language_change_while_the_charts_are_drawn(page, monkeypatch) -> None:
    reported, resume = _held_chart_png(monkeypatch)
    assert page.run_compare() is True
    assert reported.wait(30)
    page.lang_toggle.value = "en"  # the kernel answers: the table is relabelled now
    assert "<th>Unit</th>" in page.compare_out.value
    assert "Drawing the chart…" in page.pairwise_out.value
    resume.set()
    assert page.wait(60)
    assert page.agreement_out.value.startswith("<img alt='Agreement between methods "
                                               "(Kendall τ-b)'")  # the Vietnamese one dropped
    assert page.pairwise_out.value.startswith("<img alt='Pairwise margins (ballots)'")
    assert ("agreement", "vi") not in page._pngs


def test_a_round_change_while_the_charts_are_drawn(page, monkeypatch) -> None:
    reported, resume = _held_chart_png(monkeypatch)
    assert page.run_compare() is True
    assert reported.wait(30)
    page.round_select.value = "truong-khoi"
    resume.set()
    assert page.wait(60)
    assert "compare" not in page.results and page._pngs == {}
    assert page.compare_out.value == page.agreement_out.value == page.pairwise_out.value == ""
