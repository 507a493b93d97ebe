"""One way to say a thing in Vietnamese or English.

Every page, report and message that a person reads picks its language here: a label is a
:class:`Text` (the Vietnamese and the English sentence side by side), and the page, the report
or the command line asks it for one language. English falls back to Vietnamese where a name has
no English form (a round title or an award tier written only in Vietnamese).

>>> year = Text("năm {year}", "year {year}")
>>> year("vi", year=2022), year("en", year=2022)
('năm 2022', 'year 2022')
>>> round_title("Bầu Trưởng khối", "", "en")
'Bầu Trưởng khối'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, get_args

from thidua_rank._typing import Language
from thidua_rank.errors import InputError, ThiduaRankError

__all__ = ["LANGUAGES", "Language", "Text", "message", "round_title"]

LANGUAGES: tuple[Language, ...] = get_args(Language)
"""The languages every text has, Vietnamese first (the default everywhere)."""


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence in Vietnamese and in English.

    Parameters
    ----------
    vi
        The Vietnamese sentence (what every page shows first).
    en
        The English sentence; ``None`` or empty falls back to the Vietnamese one.

    Examples
    --------
    >>> done = Text("Đã ghi {n} tệp", "Wrote {n} files")
    >>> done.get("en"), done("vi", n=2)
    ('Wrote {n} files', 'Đã ghi 2 tệp')
    >>> done.format(n=3)
    Text(vi='Đã ghi 3 tệp', en='Wrote 3 files')
    >>> print(Text("Mở", "Open"))
    Mở — Open
    >>> print(Text("Hạng nhất"))
    Hạng nhất
    """

    vi: str
    en: str | None = None

    def get(self, lang: Language) -> str:
        """The sentence in *lang* (English falls back to Vietnamese when it has none).

        >>> Text("Đơn vị", "Unit").get("en"), Text("Sở Y tế", "").get("en")
        ('Unit', 'Sở Y tế')
        >>> Text("Đơn vị", "Unit").get("fr")
        Traceback (most recent call last):
        ...
        thidua_rank.errors.InputError: ngôn ngữ phải là 'vi' hoặc 'en' — ... (got 'fr')
        """
        if lang == "vi":
            return self.vi
        if lang == "en":
            return self.en or self.vi
        msg_vi, msg_en = "ngôn ngữ phải là 'vi' hoặc 'en'", "language must be 'vi' or 'en'"
        raise InputError(msg_vi, msg_en, value=lang)

    def __call__(self, lang: Language, **fields: Any) -> str:
        """The sentence in *lang* with its ``{placeholders}`` filled from *fields*.

        >>> Text("Xong: {what}", "Done: {what}")("en", what="bootstrap")
        'Done: bootstrap'
        """
        return self.get(lang).format(**fields)

    def format(self, **fields: Any) -> Text:
        """Both sentences with their ``{placeholders}`` filled (still bilingual).

        >>> Text("{n} phiếu", "{n} ballots").format(n=8).get("vi")
        '8 phiếu'
        """
        return Text(self.vi.format(**fields), (self.en or self.vi).format(**fields))

    def __str__(self) -> str:
        """Both languages, as the command line and the error messages print them."""
        en = self.en or self.vi
        return self.vi if en == self.vi else f"{self.vi} — {en}"


def round_title(title: str, title_en: str | None, lang: Language) -> str:
    """A round's (or an award tier's) title in *lang*; English falls back to the Vietnamese
    title when ``meeting.toml`` gives none.

    >>> round_title("Phiếu xếp hạng", "Ranking ballot", "en")
    'Ranking ballot'
    >>> round_title("Phiếu xếp hạng", None, "en"), round_title("Phiếu xếp hạng", "Ranking", "vi")
    ('Phiếu xếp hạng', 'Phiếu xếp hạng')
    """
    return Text(title, title_en).get(lang)


_WHERE = {
    "sheet": Text("trang tính '{}'", "sheet '{}'"),
    "row": Text("dòng {}", "row {}"),
    "column": Text("cột '{}'", "column '{}'"),
    "value": Text("(giá trị {!r})", "(got {!r})"),
}


def message(err: ThiduaRankError, lang: Language) -> str:
    """An error's message in one language, after where it happened (file, sheet, row,
    column) and followed by the bad value, as the error carries them.

    ``str(err)`` says the same in both languages at once.

    >>> err = InputError("giá trị sai", "bad value", file="scores.csv", row=3, column="A1",
    ...                  value="x")
    >>> message(err, "vi")
    "scores.csv, dòng 3, cột 'A1': giá trị sai (giá trị 'x')"
    >>> message(err, "en")
    "scores.csv, row 3, column 'A1': bad value (got 'x')"
    >>> message(ThiduaRankError("Mã không đúng.", "Wrong code."), "en")
    'Wrong code.'
    """
    where = [str(err.file)] if err.file else []
    where += [_WHERE[key].get(lang).format(getattr(err, key))
              for key in ("sheet", "row", "column") if getattr(err, key) is not None]
    text = Text(err.vi, err.en).get(lang)
    if err.value is not None:
        text += " " + _WHERE["value"].get(lang).format(err.value)
    return f"{', '.join(where)}: {text}" if where else text
