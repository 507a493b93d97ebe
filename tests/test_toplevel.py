"""The curated top-level namespace: ``__all__`` is exactly the lazy exports, and each resolves."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import thidua_rank as tr


def test_all_is_the_lazy_exports() -> None:
    assert sorted(tr.__all__) == sorted(tr._EXPORTS)
    assert len(tr.__all__) == len(set(tr.__all__)) == 32


@pytest.mark.parametrize("name", sorted(tr._EXPORTS))
def test_every_export_resolves_from_its_module(name: str) -> None:
    value = getattr(tr, name)
    module = importlib.import_module(f"thidua_rank.{tr._EXPORTS[name]}")
    assert value is getattr(module, name)
    assert getattr(value, "__module__", "").startswith("thidua_rank")


def test_dir_lists_every_export() -> None:
    listed = dir(tr)
    assert set(tr.__all__) <= set(listed)
    assert listed == sorted(listed)


def test_methods_stays_the_function() -> None:
    importlib.import_module("thidua_rank.methods")
    assert callable(tr.methods) and "borda" in tr.methods()["id"].to_list()


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'nothing_here'"):
        tr.nothing_here  # noqa: B018


def test_import_is_light() -> None:
    """``import thidua_rank`` loads neither polars nor the engine until a name is used."""
    code = ("import sys, thidua_rank as tr; print('polars' in sys.modules, "
            "'thidua_rank.engine.result' in sys.modules); tr.load_meeting; "
            "print('thidua_rank.io.load' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "False", "True"]
