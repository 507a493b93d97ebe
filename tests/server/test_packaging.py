"""Packaging: the wheel's package list, the shipped folders, ``thidua-rank sample``."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import thidua_rank
from thidua_rank.cli import main
from thidua_rank.cli.samples import copy_sample
from thidua_rank.errors import InputError
from thidua_rank.resources import data_folder, sample_meetings
from thidua_rank.server.voila import TEMPLATE
from thidua_rank.server.voila_app import JUPYTER_DATA

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "ninh-binh-co-quan-dang-2022"


def test_every_sub_package_is_in_the_wheel() -> None:
    """``pyproject.toml`` lists packages (a found package cannot be mapped to another folder):
    a new sub-package missing there would be missing from the wheel."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"]
    package = Path(thidua_rank.__file__).parent
    on_disk = {".".join(("thidua_rank", *p.parent.relative_to(package).parts))
               for p in package.glob("**/__init__.py")}
    assert set(config["packages"]) == on_disk | {"thidua_rank.dashboards",
                                                 "thidua_rank.sample_data"}
    assert config["package-dir"] == {"thidua_rank.dashboards": "dashboards",
                                     "thidua_rank.sample_data": "sample_data"}
    assert "assets/*" not in config["package-data"]["thidua_rank"]


def test_shipped_folders_are_found_in_a_checkout() -> None:
    assert data_folder("dashboards") == ROOT / "dashboards"
    assert [p.name for p in sample_meetings()] == sorted(
        p.name for p in (ROOT / "sample_data").iterdir() if (p / "meeting.toml").exists())


def test_the_page_template_links_nothing_outside_the_laptop() -> None:
    folder = JUPYTER_DATA / "voila" / "templates" / TEMPLATE
    text = "".join(p.read_text(encoding="utf-8") for p in folder.iterdir())
    assert "://" not in text and "super.super()" in text
    assert (folder / "conf.json").read_text(encoding="utf-8").count('"lab"') == 1


def test_sample_copies_a_meeting_out_of_the_package(tmp_path: Path, capsys) -> None:
    target = tmp_path / "hop"
    assert main(["sample", SAMPLE, str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    source = data_folder("sample_data") / SAMPLE
    expected = sorted(p.relative_to(source).as_posix() for p in source.rglob("*")
                      if ".thidua" not in p.parts)
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == expected
    assert (target / "meeting.toml").read_bytes() == (source / "meeting.toml").read_bytes()


def test_sample_refuses_an_unknown_name_and_lists_the_samples(tmp_path: Path, capsys) -> None:
    assert main(["sample", "ha-noi-2030", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "không có cuộc họp mẫu này" in err and "no such sample meeting" in err
    assert all(p.name in err for p in sample_meetings()) and "'ha-noi-2030'" in err
    assert not (tmp_path / "x").exists()


def test_sample_refuses_a_folder_with_files_unless_forced(tmp_path: Path, capsys) -> None:
    target = tmp_path / "hop"
    target.mkdir()
    (target / "ghi-chu.txt").write_text("của tôi", encoding="utf-8")
    (target / "meeting.toml").write_text("cũ", encoding="utf-8")
    assert main(["sample", SAMPLE, str(target)]) == 2
    err = capsys.readouterr().err
    assert "thư mục đích đã có dữ liệu" in err and "--force" in err
    assert (target / "meeting.toml").read_text(encoding="utf-8") == "cũ"
    assert main(["sample", SAMPLE, str(target), "--force"]) == 0
    assert (target / "ghi-chu.txt").read_text(encoding="utf-8") == "của tôi"
    assert "[meeting]" in (target / "meeting.toml").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="the output exists and is not a folder"):
        copy_sample(SAMPLE, target / "ghi-chu.txt")
