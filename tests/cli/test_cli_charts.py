"""``thidua-rank charts``: every chart of a meeting as PNG, SVG and PDF, through the command line;
bad arguments and inputs are bilingual errors (exit status 2) that write nothing."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from meeting_fixtures import HEAD, MEMBERS, RANKED, TIERS, UNITS

import thidua_rank as tr
from thidua_rank.cli import main
from thidua_rank.meeting.elections import elections

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted(p.name for p in (ROOT / "sample_data").iterdir() if p.is_dir())
STEMS = {
    "dien-bien-noi-chinh-2022": ["ket-qua", "bau-truong-khoi", "tieu-chi"],
    "gia-lai-so-nganh-tong-hop-2023": ["ket-qua", "bau-truong-khoi", "bau-pho-truong-khoi",
                                       "tieu-chi"],
    "nam-dinh-co-quan-dang-2021": ["ket-qua", "bau-truong-khoi", "tieu-chi"],
    "ninh-binh-co-quan-dang-2022": ["ket-qua", "bau-truong-khoi", "bau-pho-truong-khoi",
                                    "tieu-chi"],
    "phu-tho-van-hoa-xa-hoi-2020": ["ket-qua", "bau-truong-khoi", "tieu-chi"],
}
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "svg": b"<svg", "pdf": b"%PDF-"}


def _written(out: str) -> list[Path]:
    return [Path(line.split(": ", 1)[1]) for line in out.splitlines()
            if line.startswith("Đã ghi / written: ")]


def _svg_text(path: Path) -> str:
    svg = path.read_text(encoding="utf-8")
    return " ".join(html.unescape(t) for t in re.findall(r">([^<]+)<", svg))


def test_every_sample_has_its_expected_charts() -> None:
    assert sorted(STEMS) == SAMPLES


@pytest.mark.parametrize("sample", SAMPLES)
def test_charts_of_each_sample_in_three_formats(sample: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / "bieu-do"
    assert main(["charts", str(ROOT / "sample_data" / sample), "--out", str(out)]) == 0
    written = _written(capsys.readouterr().out)
    expected = [out / f"{stem}.{fmt}" for stem in STEMS[sample] for fmt in ("png", "svg", "pdf")]
    assert written == expected
    assert sorted(out.iterdir()) == sorted(expected)  # no temporary file left behind
    for path in written:
        data = path.read_bytes()
        assert data.startswith(MAGIC[path.suffix[1:]]), path
        assert len(data) > 5_000, path
    outcome = tr.run_meeting(tr.load_meeting(ROOT / "sample_data" / sample))
    ranking = _svg_text(out / "ket-qua.svg")
    assert all(unit in ranking for unit in outcome.ranking.units)
    assert outcome.meeting.config.meeting.bloc in ranking
    criteria = _svg_text(out / "tieu-chi.svg")
    assert all(unit in criteria for unit in outcome.ranking.units)  # two-line names joined
    for election in elections(outcome):
        stem = {"head": "bau-truong-khoi", "deputies": "bau-pho-truong-khoi"}[election.decides]
        text = _svg_text(out / f"{stem}.svg")
        assert all(c.unit in text for c in election.candidates) and "trúng cử" in text
    assert b"/FontFile" in (out / "ket-qua.pdf").read_bytes()  # fonts embedded


def test_charts_from_a_workbook_in_english_for_the_projector(tmp_path: Path, capsys) -> None:
    book = tmp_path / "gia-lai.xlsx"
    assert main(["template", str(book), "--meeting",
                 str(ROOT / "sample_data" / "gia-lai-so-nganh-tong-hop-2023")]) == 0
    capsys.readouterr()
    out = tmp_path / "out"
    assert main(["charts", str(book), "--out", str(out), "--format", "svg",
                 "--medium", "projector", "--lang", "en"]) == 0
    written = _written(capsys.readouterr().out)
    assert [p.name for p in written] == ["ket-qua.svg", "bau-truong-khoi.svg",
                                         "bau-pho-truong-khoi.svg", "tieu-chi.svg"]
    svg = (out / "ket-qua.svg").read_text(encoding="utf-8")
    width, height = (float(x) for x in re.search(
        r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg).groups())
    assert 1600 <= width <= 1840 and height <= 860
    assert "Emulation ranking 2023" in _svg_text(out / "ket-qua.svg")
    assert 'font-size="24px"' in svg and 'font-size="12px"' not in svg


def test_a_meeting_without_scores_has_no_criteria_chart(make_meeting, tmp_path: Path,
                                                         capsys) -> None:
    toml = HEAD + TIERS.format(bk_quota="2", cutoff="include")
    folder = make_meeting(toml, members=MEMBERS, ballots={"xep-hang.csv": (UNITS, RANKED)})
    out = tmp_path / "out"
    assert main(["charts", str(folder), "--out", str(out), "--format", "png,svg"]) == 0
    assert [p.name for p in _written(capsys.readouterr().out)] == ["ket-qua.png", "ket-qua.svg"]
    assert "Đơn vị J" in _svg_text(out / "ket-qua.svg")


@pytest.mark.parametrize(("args", "vi", "en"), [
    (["--format", "png,jpg"], "định dạng biểu đồ 'jpg' không được hỗ trợ",
     "chart format 'jpg' is not supported"),
    (["--format", " , "], "--format trống", "--format is empty"),
    (["--medium", "poster"], "medium phải là 'report'", "medium must be 'report'"),
])
def test_bad_arguments_write_nothing(args: list[str], vi: str, en: str, tmp_path: Path,
                                     capsys) -> None:
    out = tmp_path / "out"
    folder = ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022"
    assert main(["charts", str(folder), "--out", str(out), *args]) == 2
    err = capsys.readouterr()
    assert vi in err.err and en in err.err and err.out == ""
    assert not out.exists()


def test_bad_inputs_write_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["charts", str(tmp_path / "khong-co"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "không tìm thấy thư mục hội nghị" in err and "meeting folder not found" in err
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"not a workbook")
    assert main(["charts", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "không đọc được tệp Excel" in err and "cannot read the workbook" in err
    assert not out.exists()
    taken = tmp_path / "a-file"
    taken.write_text("x")
    assert main(["charts", str(ROOT / "sample_data" / "nam-dinh-co-quan-dang-2021"),
                 "--out", str(taken)]) == 2
    err = capsys.readouterr().err
    assert "--out phải là một thư mục" in err and "--out must be a folder" in err
    assert taken.read_text() == "x"


def test_a_failure_while_rendering_writes_nothing(tmp_path: Path, capsys, monkeypatch) -> None:
    from thidua_rank.charts import render
    from thidua_rank.errors import InputError

    real = render.chart_bytes
    calls = []

    def fail_on_the_fourth(chart, fmt):
        calls.append(fmt)
        if len(calls) == 4:
            raise InputError("hỏng khi vẽ", "broken while rendering")
        return real(chart, fmt)

    monkeypatch.setattr(render, "chart_bytes", fail_on_the_fourth)
    folder = tmp_path / "meeting"
    shutil.copytree(ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022", folder)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ket-qua.svg").write_text("old")
    assert main(["charts", str(folder), "--out", str(out), "--format", "svg"]) == 2
    assert calls == ["svg"] * 4  # the ranking, both elections, then the criteria chart
    assert "broken while rendering" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["ket-qua.svg"]
    assert (out / "ket-qua.svg").read_text() == "old"  # the earlier file is left as it was
