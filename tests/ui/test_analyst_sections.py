"""The analyst page's new sections driven in Python: awards under every method, cut-off
margins, uncertain weights (with progress and cancel), ballots far from the consensus and
self-votes, Spearman ρ and Condorcet, the workbook upload and "Xuất tất cả"."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from thidua_rank import analysis
from thidua_rank.cli import main
from thidua_rank.io.load import load_meeting
from thidua_rank.io.upload import round_voters
from thidua_rank.ui.analyst import export as export_module
from thidua_rank.ui.analyst.page import AnalystPage

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"
GIA_LAI = ROOT / "sample_data" / "gia-lai-so-nganh-tong-hop-2023"


@pytest.fixture(scope="module")
def meeting():
    return load_meeting(SAMPLE)


@pytest.fixture(scope="module")
def gia_lai():
    return load_meeting(GIA_LAI)


@pytest.fixture
def page() -> AnalystPage:
    return AnalystPage([SAMPLE, GIA_LAI])


def body_rows(html: str) -> int:
    return html.split("<tbody>", 1)[1].count("<tr")


def run(page: AnalystPage, start) -> None:
    """Start a background computation and wait for it (it must finish within a minute)."""
    assert start() is True
    assert page.wait(60), "the computation did not finish"


def test_compare_adds_spearman_and_condorcet(page, meeting) -> None:
    page.compare_button.click()
    assert page.wait(60)
    ballots = meeting.ballots["xep-hang"]
    table = analysis.compare(ballots)
    assert page.results["spearman"].table.equals(analysis.agreement(table, "spearman"))
    found = analysis.condorcet(ballots)
    assert page.results["condorcet"].table.equals(found.pairwise)
    assert f"Người thắng Condorcet: {found.winner}" in page.condorcet_out.value
    assert f"Người thua Condorcet: {found.loser}" in page.condorcet_out.value
    assert page.spearman_out.value.startswith("<img alt='Mức thống nhất giữa các phương pháp "
                                              "(Spearman ρ)")
    assert page.pairwise_out.value.startswith("<img alt='Chênh lệch từng cặp")


def test_awards_under_every_method(page, meeting) -> None:
    run(page, page.run_awards)
    expected = analysis.awards_by_method(meeting)
    assert page.results["awards"].table.equals(expected)
    html = page.awards_out.value
    assert body_rows(html) == len(meeting.units)
    differs = expected.group_by("unit").agg(pl.col("changed").any()).get_column("changed").sum()
    assert html.count('class="tr-differs"') == differs
    assert html.count('class="tr-spread-cell"') == expected.get_column("changed").sum()
    assert f"{differs} đơn vị được khen khác đi" in html
    assert "borda ★" in html and "① Cờ thi đua của Chính phủ" in html
    assert page.awards_chart.value.startswith("<img alt='Hạng của từng đơn vị")
    assert "Xong: khen thưởng theo 9 phương pháp" in page.status.value
    assert page.awards_bar.box.layout.display == "none"  # hidden again
    assert page.awards_bar.progress.value == page.awards_bar.progress.max == 9


def test_awards_refused_for_a_score_ranked_meeting(page) -> None:
    page.meeting_select.value = str(GIA_LAI)
    assert page.awards_button.disabled and "xếp hạng theo điểm" in page.awards_note.value
    assert page.run_awards() is False and "awards" not in page.results


def test_cutoff_margins_of_a_vote(page, meeting) -> None:
    page.max_ballots.value = 3
    run(page, page.run_margins)
    expected = analysis.cutoff_margins(meeting, max_ballots=3)
    assert page.results["margins"].table.equals(expected)
    html = page.margins_out.value
    assert body_rows(html) == expected.height > 0
    assert "Giới hạn tìm kiếm: 3 phiếu mỗi đối thủ" in html
    exact = expected.get_column("exact").sum()
    assert html.count(">chính xác<") == exact
    assert html.count(">tìm kiếm có giới hạn<") == expected.filter(
        ~pl.col("exact") & pl.col("search").str.starts_with("bounded")).height > 0
    assert html.count(">tìm được; cận dưới ") == expected.filter(
        ~pl.col("exact") & pl.col("search").str.starts_with("exact")).height
    assert all(edit in html for edit in expected.get_column("edit_vi").to_list())
    assert page.margins_chart.value.startswith("<img alt='Khoảng cách tới ngưỡng")


def test_cutoff_margins_of_a_score_meeting_give_weights(page, gia_lai) -> None:
    page.meeting_select.value = str(GIA_LAI)
    run(page, page.run_margins)
    expected = analysis.cutoff_margins(gia_lai)
    assert page.results["margins"].table.equals(expected)
    html = page.margins_out.value
    assert "<th>Đổi trọng số</th>" in html and "Giới hạn tìm kiếm" not in html
    assert "2,58%" in html  # 0.025773 of the weights, in Vietnamese


def test_uncertain_weights_with_tiers(page, gia_lai) -> None:
    page.meeting_select.value = str(GIA_LAI)
    assert page.dirichlet_seed.value == 2023
    page.dirichlet_samples.value = 30_000
    page.concentration.value = 80
    page.dirichlet_seed.value = 4
    run(page, page.run_uncertainty)
    expected = analysis.weight_perturbation(gia_lai, samples=30_000, concentration=80.0, seed=4)
    assert page.results["uncertainty"].table.equals(expected)
    html = page.uncertainty_out.value
    assert "30.000 lần lấy mẫu · độ tập trung 80 · hạt giống 4" in html
    assert "<th>Cờ thi đua của UBND tỉnh</th>" in html and "<th>Không khen</th>" in html
    assert body_rows(html) == expected.height
    assert page.uncertainty_chart.value.startswith("<img alt='Xác suất từng hạng")
    assert page.uncertainty_bar.progress.value == page.uncertainty_bar.progress.max == 2


def test_cancel_stops_a_long_weight_run(page) -> None:
    page.dirichlet_samples.value = 10_000_000  # 400 batches: about a minute here
    started = time.perf_counter()
    assert page.run_uncertainty() is True
    assert page.uncertainty_button.disabled and page.uncertainty_button.description == \
        "Đang tính…"
    assert page.uncertainty_bar.box.layout.display == ""
    deadline = time.time() + 30
    while page.uncertainty_bar.progress.value < 1:  # the first batch reported
        assert time.time() < deadline and page.busy
        time.sleep(0.05)
    assert page.run_margins() is False  # one computation at a time
    assert "hãy chờ hoặc bấm «Dừng»" in page.status.value
    page.uncertainty_bar.cancel.click()
    assert page.wait(10), "cancel did not stop the computation"
    elapsed = time.perf_counter() - started
    assert elapsed < 20
    assert page.uncertainty_bar.progress.value < page.uncertainty_bar.progress.max == 400
    assert "uncertainty" not in page.results and page.uncertainty_out.value == ""
    assert "Đã dừng: trọng số không chắc chắn, 10.000.000 lần" in page.status.value
    assert not page.uncertainty_button.disabled
    assert page.uncertainty_button.description == "Chạy phân tích trọng số không chắc chắn"
    assert page.uncertainty_bar.box.layout.display == "none"


def test_a_new_meeting_cancels_the_running_computation(page) -> None:
    page.dirichlet_samples.value = 10_000_000
    assert page.run_uncertainty() is True
    page.meeting_select.value = str(GIA_LAI)
    assert page.wait(10) and "uncertainty" not in page.results


def test_ballot_distances_and_secret_self_votes(page, meeting) -> None:
    page.consensus.value = "kemeny"
    page.voters_button.click()
    ballots = meeting.ballots["xep-hang"]
    expected = analysis.voter_analysis(ballots, consensus="kemeny")
    assert page.results["voters"].table.equals(expected)
    assert body_rows(page.voters_out.value) == expected.height
    assert "Thứ tự chung: kemeny" in page.voters_out.value
    assert page.voters_chart.value.startswith("<img alt='Khoảng cách của từng phiếu")
    effect = analysis.self_vote_effect(meeting, "xep-hang")
    assert page.results["self_votes"].table.equals(effect)
    html = page.self_votes_out.value
    assert "Phiếu kín" in html and "<th>Hạng kém nhất</th>" in html
    assert html.count('class="tr-differs"') == effect.get_column("change_possible").sum()


def test_self_votes_with_known_voters(page, gia_lai) -> None:
    page.meeting_select.value = str(GIA_LAI)
    page.round_select.value = "truong-khoi"  # its ballots file names the voters
    page.voters_button.click()
    voters = round_voters(GIA_LAI, gia_lai)["truong-khoi"]
    expected = analysis.self_vote_effect(gia_lai, "truong-khoi", voters=voters)
    assert page.results["self_votes"].table.equals(expected)
    assert "rank_without" in expected.columns
    html = page.self_votes_out.value
    assert "Biết đơn vị bầu của 11 phiếu" in html and "<th>Hạng khi bỏ tự bầu</th>" in html
    assert "voters" not in page.results  # choose-one ballots: no distances
    assert "chỉ tính cho phiếu xếp hạng" in page.voters_out.value


def test_upload_a_workbook(meeting, tmp_path) -> None:
    book = tmp_path / "hop.xlsx"
    assert main(["template", str(book), "--meeting", str(SAMPLE)]) == 0
    page = AnalystPage([], base=tmp_path)
    page.upload.value = ({"name": "hop.xlsx", "type": "", "size": book.stat().st_size,
                          "content": memoryview(book.read_bytes()),
                          "last_modified": datetime.now(UTC)},)
    assert page.meeting is not None and page.round_select.value == "xep-hang"
    assert "Đã mở: hop.xlsx" in page.status.value and page.upload.value == ()
    assert page.out_input.value == str(tmp_path / ".thidua" / "phan-tich")
    page.compare_button.click()
    assert page.results["compare"].table.equals(analysis.compare(meeting.ballots["xep-hang"]))


def test_upload_a_bad_workbook_holds_nothing(meeting, tmp_path) -> None:
    page = AnalystPage([SAMPLE])
    page.compare_button.click()
    assert page.upload_workbook(b"not a zip file", "hop.xlsx") is False
    status = page.status.value
    assert "tr-msg-error" in status and "hop.xlsx" in status
    assert "không đọc được tệp Excel — cannot read the workbook" in status
    assert page.meeting is None and page.results == {} and page.compare_out.value == ""
    assert page.upload_workbook(b"x", "hop.ods") is False
    assert "only Excel workbooks (.xlsx) can be uploaded" in page.status.value


def test_upload_a_workbook_with_a_bad_cell_names_it(tmp_path) -> None:
    book = tmp_path / "hop.xlsx"
    assert main(["template", str(book), "--meeting", str(SAMPLE)]) == 0
    frames = pl.read_excel(book, sheet_id=0, has_header=False, infer_schema_length=0)
    bad = tmp_path / "sai.xlsx"
    copy = xlsxwriter.Workbook(str(bad), {"strings_to_numbers": False})
    for name, frame in frames.items():
        sheet = copy.add_worksheet(name)
        for r, cells in enumerate(frame.rows()):
            for c, cell in enumerate(cells):
                value = "hai chín" if (name, r, c) == ("Chấm điểm", 1, 3) else cell
                if value is not None:
                    sheet.write_string(r, c, str(value))
    copy.close()
    page = AnalystPage([SAMPLE])
    assert page.upload_workbook(bad.read_bytes(), "sai.xlsx") is False
    status = page.status.value
    assert "sai.xlsx" in status and "Chấm điểm" in status and "dòng/row 2" in status
    assert "hai chín" in status and "không phải là số — not a number" in status
    assert page.meeting is None and page.round_select.options == ()


def test_export_all_writes_every_chart_and_one_workbook(page, meeting, tmp_path) -> None:
    out = tmp_path / "ket-qua"
    page.out_input.value = str(out)
    assert page.export_all() is False and "Chưa có kết quả" in page.status.value
    page.compare_button.click()
    assert page.wait(60)
    run(page, page.run_awards)
    page.dirichlet_samples.value = 5_000
    run(page, page.run_uncertainty)
    run(page, page.export_all)
    folder = page.written_folder
    assert folder == out / "ninh-binh-co-quan-dang-2022-tat-ca"
    stems = ["xep-hang-dong-thuan", "xep-hang-dong-thuan-spearman", "xep-hang-tung-cap",
             "khen-thuong-theo-phuong-phap", "trong-so-khong-chac-chan"]
    expected = sorted([f"ninh-binh-co-quan-dang-2022-{s}.{f}" for s in stems
                       for f in ("pdf", "png", "svg")]
                      + ["ninh-binh-co-quan-dang-2022-xep-hang-phan-tich.xlsx"])
    assert sorted(p.name for p in folder.iterdir()) == expected
    magic = {".png": b"\x89PNG", ".svg": b"<svg", ".pdf": b"%PDF"}
    for p in folder.iterdir():
        if p.suffix in magic:
            assert p.read_bytes().startswith(magic[p.suffix]), p
    assert len(page.written) == len(expected)
    assert f"Đã ghi {len(expected)} tệp vào {folder}:" in page.written_out.value
    assert page.written_out.value.count("<li>") == len(expected)
    sheets = pl.read_excel(folder / "ninh-binh-co-quan-dang-2022-xep-hang-phan-tich.xlsx",
                           sheet_id=0)
    assert next(iter(sheets)) == "Tham số"
    assert "Khen thưởng theo phương pháp" in sheets and "Trọng số không chắc chắn" in sheets
    params = {(a, p): v for a, p, v in sheets["Tham số"].rows()}
    assert params[("Trọng số không chắc chắn", "hạt giống")] == "2022"
    assert params[("Trọng số không chắc chắn", "số lần lấy mẫu")] == "5000"
    assert params[("Condorcet (từng cặp)", "người thắng Condorcet")] == \
        analysis.condorcet(meeting).winner
    assert sheets["Trọng số không chắc chắn"].height == len(meeting.units)
    assert page.export_bar.progress.value == page.export_bar.progress.max == len(expected)
    assert page.export_bar.box.layout.display == "none"
    assert f"Xong: xuất tất cả, {len(expected)} tệp" in page.status.value
    run(page, page.export_all)  # never overwrites an earlier export
    assert page.written_folder == out / "ninh-binh-co-quan-dang-2022-tat-ca-2"


def test_export_all_leaves_nothing_on_failure(page, tmp_path, monkeypatch) -> None:
    out = tmp_path / "ket-qua"
    page.out_input.value = str(out)
    page.compare_button.click()
    assert page.wait(60)

    def broken(sheets):
        raise OSError("đĩa đầy")

    import thidua_rank.report.xlsx as xlsx

    monkeypatch.setattr(xlsx, "tables_xlsx", broken)
    run(page, page.export_all)
    assert "Không đọc hoặc ghi được tệp" in page.status.value and "đĩa đầy" in page.status.value
    assert not out.exists() or list(out.iterdir()) == []
    assert page.written == [] and page.written_folder is None and page.written_out.value == ""
    assert page.export_note.value == (f'<div class="tr-msg tr-msg-error">«Xuất tất cả» không '
                                      f"xong: không có tệp nào được ghi vào {out}.</div>")
    assert export_module.CHART_FORMATS == ("png", "svg", "pdf")  # from charts.render


def test_new_sections_follow_the_language_toggle(page) -> None:
    run(page, page.run_awards)
    page.voters_button.click()
    page.lang_toggle.value = "en"
    assert page.awards_button.description == "Apply the awards under every method"
    assert "① Government emulation flag" in page.awards_out.value
    assert "Units whose award differs under at least one method: 1." in page.awards_out.value
    assert "Secret ballots" in page.self_votes_out.value
    assert page.uncertainty_bar.cancel.description == "Stop"
    assert page.awards_chart.value.startswith("<img alt='Places of each unit by method")


def test_voting_blocs(page, meeting, tmp_path) -> None:
    page.permutations.value = 199
    page.bloc_size.value = 3
    assert page.bloc_seed.value == 2022
    run(page, page.run_blocs)
    expected = analysis.blocs(meeting.ballots["xep-hang"], max_size=3, permutations=199,
                              seed=2022)
    assert page.results["blocs"].table.equals(expected)
    html = page.blocs_out.value
    assert "199 lần hoán vị · nhóm tối đa 3 · hạt giống 2022" in html
    assert body_rows(html) == expected.height > 0
    assert html.count('class="tr-differs"') == expected.get_column("significant").sum()
    assert " · ".join(expected.get_column("group")[0]) in html
    assert page.blocs_chart.value.startswith("<img alt='Số phiếu xếp cả hai đơn vị")
    page.out_input.value = str(tmp_path)
    run(page, page.export_all)
    folder = page.written_folder
    assert folder is not None and {p.name for p in folder.iterdir()} >= {
        f"ninh-binh-co-quan-dang-2022-xep-hang-nhom-bau.{f}" for f in ("png", "svg", "pdf")}


def _held_bootstrap(monkeypatch) -> threading.Event:
    """Make the page's bootstrap wait, in its worker thread, until the returned event is set."""
    release = threading.Event()
    real = analysis.bootstrap

    def held(*args, **kwargs):
        assert release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(analysis, "bootstrap", held)
    return release


def test_bootstrap_runs_off_the_kernel_thread(page, monkeypatch) -> None:
    release = _held_bootstrap(monkeypatch)
    page.samples.value = 50
    page.bootstrap_button.click()  # returns while the bootstrap waits
    assert page.busy and page.bootstrap_button.description == "Đang tính…"
    page.lang_toggle.value = "en"  # the kernel still handles the page meanwhile
    assert page.compare_button.description == "Compare"
    release.set()
    assert page.wait(60) and "bootstrap" in page.results
    assert page.bootstrap_button.description == "Run bootstrap"


def _held_at_first_report(monkeypatch, name: str) -> tuple[threading.Event, threading.Event]:
    """Wrap ``analysis.<name>`` so that its first progress report waits for the test: the
    test sees the run in progress, presses "Dừng", then lets it go on (deterministic, no
    race with a fast machine)."""
    reported, resume = threading.Event(), threading.Event()
    real = getattr(analysis, name)

    def held(*args, progress, cancel, **kwargs):
        def slow(done: int, total: int) -> None:
            progress(done, total)
            if not reported.is_set():
                reported.set()
                assert resume.wait(30)

        return real(*args, progress=slow, cancel=cancel, **kwargs)

    monkeypatch.setattr(analysis, name, held)
    return reported, resume


def test_bootstrap_shows_progress(page, meeting) -> None:
    page.samples.value = 150
    page.seed.value = 3
    assert page.bootstrap_bar.box.layout.display == "none"
    run(page, page.run_bootstrap)
    expected = analysis.bootstrap(meeting.ballots["xep-hang"], "borda", samples=150, seed=3)
    assert page.results["bootstrap"].table.equals(expected)
    assert page.bootstrap_bar.progress.value == page.bootstrap_bar.progress.max == 150
    assert page.bootstrap_bar.box.layout.display == "none"  # hidden again
    assert "Xong: bootstrap borda, 150 lần" in page.status.value


def test_dung_stops_a_bootstrap_and_keeps_the_previous_result(page, monkeypatch) -> None:
    page.samples.value = 100
    run(page, page.run_bootstrap)
    before = page.bootstrap_out.value
    assert "100 lần lấy mẫu" in before
    reported, resume = _held_at_first_report(monkeypatch, "bootstrap")
    page.samples.value = 10_000
    assert page.run_bootstrap() is True
    assert reported.wait(30)
    assert page.busy and page.bootstrap_button.disabled
    assert page.bootstrap_button.description == "Đang tính…"
    assert page.bootstrap_bar.box.layout.display == ""
    assert (page.bootstrap_bar.progress.value, page.bootstrap_bar.progress.max) == (100, 10_000)
    assert page.run_weights() is False  # one computation at a time
    page.bootstrap_bar.cancel.click()
    resume.set()
    assert page.wait(10), "Dừng did not stop the bootstrap"
    assert page.bootstrap_bar.progress.value == 100  # stopped at the next sample
    assert "Đã dừng: bootstrap borda, 10.000 lần" in page.status.value
    assert page.results["bootstrap"].params["samples"] == 100
    assert page.bootstrap_out.value == before  # the previous result stays
    # … and the section says so, beside the button (the status line is at the page's top)
    assert page.bootstrap_note.value == (
        '<div class="tr-msg tr-msg-info">Đã dừng trước khi xong: bootstrap borda, 10.000 lần. '
        "Bảng và biểu đồ dưới đây là của lần chạy trước.</div>")
    assert not page.bootstrap_button.disabled
    assert page.bootstrap_button.description == "Chạy bootstrap"
    assert page.bootstrap_bar.box.layout.display == "none"
    page.lang_toggle.value = "en"
    assert "Stopped before it finished: bootstrap borda, 10,000 samples. The table and chart " \
        "below are from the previous run." in page.bootstrap_note.value
    page.round_select.value = "truong-khoi"  # another round: the note was about the old one
    assert page.bootstrap_note.value == ""
    page.round_select.value = "xep-hang"
    page.samples.value = 50
    run(page, page.run_bootstrap)  # a finished run clears it too
    assert page.bootstrap_note.value == "" and "bootstrap" in page.results


def test_weights_show_progress(page, meeting) -> None:
    page.spread.value = 0.25
    page.weight_samples.value = 300
    page.weight_seed.value = 8
    run(page, page.run_weights)
    expected = analysis.weight_sensitivity(meeting.scores, spread=0.25, samples=300, seed=8)
    assert page.results["weights"].table.equals(expected)
    assert page.weights_bar.progress.value == page.weights_bar.progress.max == 300
    assert page.weights_bar.box.layout.display == "none"


def test_dung_stops_a_weight_run(page, monkeypatch) -> None:
    reported, resume = _held_at_first_report(monkeypatch, "weight_sensitivity")
    page.weight_samples.value = 1000
    assert page.run_weights() is True
    assert reported.wait(30)
    assert page.weights_button.disabled and page.weights_bar.box.layout.display == ""
    assert (page.weights_bar.progress.value, page.weights_bar.progress.max) == (10, 1000)
    page.weights_bar.cancel.click()
    resume.set()
    assert page.wait(10), "Dừng did not stop the weight run"
    assert "weights" not in page.results and page.weights_out.value == ""
    assert "Đã dừng: trọng số ±20%, 1.000 lần. Chưa có kết quả mới." in page.status.value
    assert page.weights_stop_note.value == ('<div class="tr-msg tr-msg-info">Đã dừng trước khi '
                                            "xong: trọng số ±20%, 1.000 lần.</div>")
    assert not page.weights_button.disabled
    assert page.weights_button.description == "Chạy phân tích trọng số"
    assert page.weights_bar.box.layout.display == "none"
    page.lang_toggle.value = "en"
    assert page.weights_bar.cancel.description == page.bootstrap_bar.cancel.description == "Stop"
    assert "Stopped before it finished: weights ±20%, 1,000 samples." in \
        page.weights_stop_note.value
    page.lang_toggle.value = "vi"
    page.weight_samples.value = 50
    run(page, page.run_weights)
    assert page.weights_stop_note.value == "" and "weights" in page.results


def test_uncertainty_button_comes_back_after_another_sections_run(page, monkeypatch) -> None:
    release = _held_bootstrap(monkeypatch)
    page.samples.value = 50
    assert page.run_bootstrap() is True
    page.lang_toggle.value = "en"  # every section re-renders while the bootstrap runs
    page.lang_toggle.value = "vi"
    assert page.run_uncertainty() is False  # a press meanwhile is told to wait
    assert "hãy chờ hoặc bấm «Dừng»" in page.status.value
    release.set()
    assert page.wait(60) and "bootstrap" in page.results
    assert not page.uncertainty_button.disabled
    page.dirichlet_samples.value = 1_000
    run(page, page.run_uncertainty)
    assert "uncertainty" in page.results


def _held_at_second_file(monkeypatch) -> tuple[threading.Event, threading.Event]:
    """Hold "Xuất tất cả" while it renders its second file (the first one is done and
    reported) until the test lets it go."""
    reported, resume = threading.Event(), threading.Event()
    real = export_module.chart_bytes
    calls = [0]

    def held(*args, **kwargs):
        calls[0] += 1
        if calls[0] == 2:
            reported.set()
            assert resume.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(export_module, "chart_bytes", held)
    return reported, resume


def test_export_all_shows_progress_and_dung_leaves_nothing(page, tmp_path, monkeypatch) -> None:
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the files are rendered
    out = tmp_path / "ket-qua"
    page.out_input.value = str(out)
    page.compare_button.click()
    assert page.wait(60)
    reported, resume = _held_at_second_file(monkeypatch)
    assert page.export_bar.box.layout.display == "none"
    assert page.export_all() is True  # returns at once: the files are rendered in the worker
    assert reported.wait(30)
    assert page.busy and page.export_all_button.disabled
    assert page.export_all_button.description == "Đang tính…"
    assert page.export_bar.box.layout.display == ""
    n = 3 * 3 + 1  # τ-b, ρ and pairwise charts in three formats, and the workbook
    assert (page.export_bar.progress.value, page.export_bar.progress.max) == (1, n)
    assert "Đang tính… xuất tất cả, 10 tệp" in page.status.value
    assert not out.exists()  # nothing in the output folder while it runs
    page.export_bar.cancel.click()
    resume.set()
    assert page.wait(10), "Dừng did not stop the export"
    assert not out.exists() and list(scratch.iterdir()) == []  # no partial output anywhere
    assert page.export_bar.progress.value == 2 and page.export_bar.box.layout.display == "none"
    assert "Đã dừng: xuất tất cả, 10 tệp. Chưa có kết quả mới." in page.status.value
    assert page.export_note.value == (
        f'<div class="tr-msg tr-msg-info">Đã dừng «Xuất tất cả» sau 2/10 tệp: không có tệp '
        f"nào được ghi vào {out}.</div>")
    assert page.written == [] and page.written_out.value == "" and page.written_folder is None
    assert not page.export_all_button.disabled
    assert page.export_all_button.description == "Xuất tất cả"
    page.lang_toggle.value = "en"
    assert "Stopped «Export all» after 2 of 10 files: nothing was written" in \
        page.export_note.value
    page.lang_toggle.value = "vi"
    assert page.wait(60)
    run(page, page.export_all)  # again, to the end: the note goes, the folder appears whole
    assert page.export_note.value == ""
    folder = out / "ninh-binh-co-quan-dang-2022-tat-ca"
    assert page.written_folder == folder and len(list(folder.iterdir())) == n
    assert sorted(out.iterdir()) == [folder] and list(scratch.iterdir()) == []
    assert f"Đã ghi {n} tệp vào {folder}:" in page.written_out.value


def test_a_new_meeting_stops_an_export(page, tmp_path, monkeypatch) -> None:
    out = tmp_path / "ket-qua"
    page.out_input.value = str(out)
    page.compare_button.click()
    assert page.wait(60)
    reported, resume = _held_at_second_file(monkeypatch)
    assert page.export_all() is True and reported.wait(30)
    page.meeting_select.value = str(GIA_LAI)  # stops the export: nothing is written
    resume.set()
    assert page.wait(10) and not out.exists()
    assert page.export_note.value == ""  # the note was about the other meeting
