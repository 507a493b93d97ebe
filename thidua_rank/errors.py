"""One exception hierarchy for the package.

Every error a person may read carries a Vietnamese and an English sentence. Messages name the
file, row, column and the bad value, and say what was expected.

>>> err = InputError("giá trị sai", "bad value", file="scores.csv", row=3, column="A1", value="x")
>>> print(err)
scores.csv, dòng/row 3, cột/column 'A1': giá trị sai — bad value (got 'x')
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "ConfigError",
    "InputError",
    "MethodError",
    "ThiduaRankError",
    "UnknownUnitError",
]


class ThiduaRankError(Exception):
    """Base class of every error raised by thidua_rank.

    Parameters
    ----------
    vi, en
        The message in Vietnamese and in English.
    file, row, column, sheet
        Where the bad value sits (rows are 1-based as a spreadsheet shows them, header = row 1).
    value
        The offending value, echoed back.
    """

    def __init__(
        self,
        vi: str,
        en: str | None = None,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        self.vi = vi
        self.en = en if en is not None else vi
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.sheet:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"dòng/row {self.row}")
        if self.column is not None:
            where.append(f"cột/column '{self.column}'")
        prefix = ", ".join(where)
        text = self.vi if self.vi == self.en else f"{self.vi} — {self.en}"
        if self.value is not None:
            text += f" (got {self.value!r})"
        return f"{prefix}: {text}" if prefix else text

    def located(self, **where: Any) -> ThiduaRankError:
        """Return a copy of this error with missing location fields filled in."""
        fields = {k: getattr(self, k) for k in ("file", "sheet", "row", "column", "value")}
        for key, val in where.items():
            if fields.get(key) is None:
                fields[key] = val
        return type(self)(self.vi, self.en, **fields)


class InputError(ThiduaRankError, ValueError):
    """A data file or argument holds a value that cannot be used."""


class ConfigError(ThiduaRankError, ValueError):
    """``meeting.toml`` (or an options object) is malformed or inconsistent."""


class UnknownUnitError(ThiduaRankError, KeyError):
    """A unit name, short name, alias or id does not match any member of the bloc."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return self._render()


class MethodError(ThiduaRankError, ValueError):
    """A ranking method was asked for something it cannot do (unknown id, wrong ballot kind)."""
