"""Where the files that ship with the package are: the dashboards and the sample meetings.

In a source checkout they are the top-level ``dashboards/`` and ``sample_data/`` folders; an
installed wheel carries them inside the package (``thidua_rank/dashboards``,
``thidua_rank/sample_data``: ``pyproject.toml`` maps the folders in). This is the one place that
knows both layouts.

>>> (data_folder("dashboards") / "meeting" / "delegate.ipynb").exists()
True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

__all__ = ["data_folder", "sample_meetings"]

DataFolder = Literal["dashboards", "sample_data"]


def data_folder(name: DataFolder) -> Path:
    """The shipped folder *name*: inside the installed package, else beside the package."""
    package = Path(str(resources.files("thidua_rank")))
    for candidate in (package / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"{name}/ not found in or next to the thidua_rank package")


def sample_meetings() -> list[Path]:
    """The bundled sample meeting folders, by name (empty when none are shipped)."""
    try:
        folder = data_folder("sample_data")
    except FileNotFoundError:
        return []
    return sorted(p for p in folder.iterdir() if (p / "meeting.toml").exists())
