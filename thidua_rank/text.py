"""Vietnamese text: Unicode normalisation, name matching keys, collation and number formats.

Names arrive precomposed (NFC) or decomposed (NFD), and with the old or new tone placement
("Uỷ" / "Ủy", "hoà" / "hòa"). :func:`nfc` is what we store and show; :func:`fold` is the key we
match names with; :func:`collation_key` sorts in Vietnamese alphabetical order (a ă â b c d đ …),
which Python's ``sorted()`` does not.

>>> fold("Ủy ban Kiểm tra Tỉnh ủy") == fold("Uỷ ban  kiểm tra tỉnh uỷ")
True
>>> sorted(["Đảng ủy", "Ban Tổ chức", "Văn phòng", "Ăn uống"], key=collation_key)
['Ăn uống', 'Ban Tổ chức', 'Đảng ủy', 'Văn phòng']
>>> format_number(1000), format_number(66.666, 2), format_percent(Fraction(2, 3))
('1.000', '66,67', '66,67%')
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

__all__ = [
    "collation_key",
    "fold",
    "format_date",
    "format_number",
    "format_percent",
    "nfc",
    "place_name",
    "sort_vietnamese",
]

_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
"""Tone marks in the conventional order: (level), huyền, hỏi, ngã, sắc, nặng."""

_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
_SPACE = re.compile(r"\s+")
_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " "})


def nfc(text: str) -> str:
    """Return *text* in NFC with surrounding white space removed and inner runs collapsed.

    >>> nfc("  Sở  Y\\u0301 tế ") == "Sở Ý tế"
    True
    """
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text.translate(_DASHES))).strip()


def _syllables(text: str) -> list[tuple[str, int]]:
    """Split NFC *text* into words, each as (letters without tone, tone number)."""
    out: list[tuple[str, int]] = []
    for word in nfc(text).casefold().split(" "):
        tone = 0
        letters = []
        for ch in unicodedata.normalize("NFD", word):
            if ch in _TONES:
                tone = _TONES[ch]
            else:
                letters.append(ch)
        out.append((unicodedata.normalize("NFC", "".join(letters)), tone))
    return out


def fold(text: str) -> str:
    """Key for matching names: case-folded, NFC, tone mark moved to the end of each word.

    Different tones stay different ("Sở" is not "Số"); only their placement and letter case are
    ignored.

    >>> fold("Hoà Bình") == fold("hòa bình"), fold("Sở") == fold("Số")
    (True, False)
    """
    return " ".join(f"{letters}{tone}" for letters, tone in _syllables(text))


def collation_key(text: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Sort key for Vietnamese alphabetical order: letters first, then tones word by word.

    Characters outside the alphabet (digits, punctuation) sort before letters by code point.

    >>> sorted(["bà", "ba", "bá", "bả", "bạ", "bã"], key=collation_key)
    ['ba', 'bà', 'bả', 'bã', 'bá', 'bạ']
    """
    primary: list[int] = []
    tones: list[int] = []
    for letters, tone in _syllables(text):
        for ch in letters:
            rank = _LETTER_RANK.get(ch)
            primary.append(1000 + rank if rank is not None else ord(ch) % 1000)
        primary.append(0)  # word boundary sorts before any letter
        tones.append(tone)
    return tuple(primary), tuple(tones)


def sort_vietnamese(names: list[str]) -> list[str]:
    """Return *names* sorted in Vietnamese alphabetical order."""
    return sorted(names, key=collation_key)


def _to_decimal(value: float | int | Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def format_number(value: float | int | Fraction | Decimal, decimals: int = 0, *,
                  lang: str = "vi") -> str:
    """Format a number the Vietnamese way: thousands dot, decimal comma, half-up rounding
    (``lang="en"``: thousands comma, decimal point).

    >>> format_number(1234567.891, 1), format_number(Fraction(1, 2), 2), format_number(-3)
    ('1.234.567,9', '0,50', '-3')
    >>> format_number(1234.5, 2, lang="en")
    '1,234.50'
    """
    quantum = Decimal(1).scaleb(-decimals)
    dec = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{dec:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def format_percent(value: float | Fraction, decimals: int = 2) -> str:
    """Format a fraction in [0, 1] as a Vietnamese percentage (exact input, rounded for display).

    >>> format_percent(Fraction(8, 10)), format_percent(0.5, 0)
    ('80,00%', '50%')
    """
    return format_number(_to_decimal(value) * 100, decimals) + "%"


def format_date(day: dt.date) -> str:
    """Format a date as dd/mm/yyyy.

    >>> format_date(dt.date(2022, 12, 9))
    '09/12/2022'
    """
    return day.strftime("%d/%m/%Y")


_ORDINALS = {1: "nhất", 2: "nhì", 3: "ba", 4: "tư"}


def place_name(place: int, *, joint: bool = False, lang: str = "vi") -> str:
    """A place as the minutes write it.

    >>> place_name(1), place_name(3, joint=True), place_name(5)
    ('Thứ nhất', 'Đồng hạng ba', 'Thứ 5')
    >>> place_name(3, joint=True, lang="en")
    'Joint 3rd'
    """
    if lang == "en":
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(place if place < 20 else place % 10, "th")
        return f"{'Joint ' if joint else ''}{place}{suffix}"
    word = _ORDINALS.get(place, str(place))
    if joint:
        return f"Đồng hạng {word}"
    return f"Thứ {word}"
