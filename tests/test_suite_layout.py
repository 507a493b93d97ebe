"""The suite's own layout: pytest imports test modules by their base name (rootdir-relative
"prepend" import mode), so two test files or two conftest files with the same name in different
folders break collection on a fresh checkout."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_module_name_is_unique() -> None:
    names = Counter(p.name for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts)
    assert [n for n, k in names.items() if k > 1] == []


def test_there_is_one_conftest() -> None:
    assert [p.relative_to(TESTS).as_posix() for p in TESTS.rglob("conftest.py")] == [
        "conftest.py"]
