"""Exact numbers and pass rules: parsing "80%", "2/3", "94,5"; thresholds; quotas.

Everything that decides who passes is exact (:class:`fractions.Fraction`): 8 of 10 passes
"≥ 80%", and 2/3 is never rounded to 66.67%.

>>> Threshold.parse("80%").passes(8, 10), Threshold.parse("80%", comparison=">").passes(8, 10)
(True, False)
>>> Threshold.parse("2/3").passes(2, 3), Threshold.parse("66.67%").passes(2, 3)
(True, False)
>>> Quota.parse("50% remaining").size(members=16, remaining=14, eligible=14)
7
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from thidua_rank._typing import Comparison, Denominator, QuotaBase, Rounding
from thidua_rank.errors import ConfigError, InputError

__all__ = ["Quota", "Threshold", "parse_fraction", "parse_points"]

_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")


def parse_points(value: Any, *, decimals: int = 3) -> Fraction:
    """Parse a score cell exactly: ``94.5``, ``94,5`` (decimal comma), ``95``.

    At most *decimals* decimal places (a declared precision); floats from spreadsheets are
    read through their shortest decimal form.

    >>> parse_points("94,5"), parse_points(7.25), parse_points(" 10 ")
    (Fraction(189, 2), Fraction(29, 4), Fraction(10, 1))
    >>> parse_points("9,5 điểm")
    Traceback (most recent call last):
    ...
    thidua_rank.errors.InputError: không phải là số — not a number (got '9,5 điểm')
    """
    if isinstance(value, bool):
        raise InputError("không phải là số", "not a number", value=value)
    if isinstance(value, int):
        return Fraction(value)
    text = repr(value) if isinstance(value, float) else str(value).strip()
    if isinstance(value, float) and not math.isfinite(value):
        raise InputError("không phải là số", "not a number", value=value)
    if not _NUMBER.match(text):
        raise InputError("không phải là số", "not a number", value=value)
    text = text.replace(",", ".")
    frac = Fraction(text)
    if "." in text and len(text.split(".")[1].rstrip("0")) > decimals:
        raise InputError(f"quá {decimals} chữ số thập phân",
                         f"more than {decimals} decimal places", value=value)
    return frac


def parse_fraction(value: Any, *, what: str = "value") -> Fraction:
    """Parse a share: ``"80%"``, ``"66,5%"``, ``"2/3"``, ``0.8`` or ``Fraction``; in [0, 1].

    >>> parse_fraction("80%"), parse_fraction("2/3"), parse_fraction(0.5)
    (Fraction(4, 5), Fraction(2, 3), Fraction(1, 2))
    """
    if isinstance(value, Fraction):
        frac = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        frac = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    elif isinstance(value, str):
        text = value.strip().replace(" ", "")
        try:
            if text.endswith("%"):
                frac = parse_points(text[:-1], decimals=6) / 100
            elif "/" in text:
                num, den = text.split("/", 1)
                frac = Fraction(int(num), int(den))
            else:
                frac = parse_points(text, decimals=6)
        except (ValueError, ZeroDivisionError, InputError):
            raise ConfigError(f"'{what}' phải là tỷ lệ như '80%' hoặc '2/3'",
                              f"'{what}' must be a share such as '80%' or '2/3'",
                              value=value) from None
    else:
        raise ConfigError(f"'{what}' phải là tỷ lệ như '80%' hoặc '2/3'",
                          f"'{what}' must be a share such as '80%' or '2/3'", value=value)
    if not 0 <= frac <= 1:
        raise ConfigError(f"'{what}' phải nằm trong 0–100%", f"'{what}' must be within 0–100%",
                          value=value)
    return frac


@dataclass(frozen=True)
class Threshold:
    """A pass rule: *votes / denominator* compared with *share* (exactly).

    Attributes
    ----------
    share
        The required share, e.g. ``Fraction(4, 5)``.
    denominator
        What the share is of: ``members`` (all bloc members), ``present``, ``issued`` (ballots
        issued) or ``valid`` (valid ballots).
    comparison
        ``>=`` (reach) or ``>`` (exceed).
    """

    share: Fraction
    denominator: Denominator = "members"
    comparison: Comparison = ">="

    @classmethod
    def parse(
        cls, value: Any, *, denominator: Denominator = "members", comparison: Comparison = ">="
    ) -> Threshold:
        """Build from ``"80%"``, ``"2/3"``, ``0.8`` or a TOML table with those keys."""
        if isinstance(value, dict):
            unknown = set(value) - {"share", "denominator", "comparison"}
            if unknown:
                raise ConfigError("ngưỡng có khóa không hợp lệ",
                                  f"threshold has unknown keys {sorted(unknown)}; expected "
                                  "share, denominator, comparison", value=value)
            if "share" not in value:
                raise ConfigError("ngưỡng thiếu 'share'", "threshold needs 'share'", value=value)
            return cls.parse(value["share"], denominator=value.get("denominator", denominator),
                             comparison=value.get("comparison", comparison))
        if denominator not in ("members", "present", "issued", "valid"):
            raise ConfigError("mẫu số không hợp lệ", "denominator must be one of members, "
                              "present, issued, valid", value=denominator)
        if comparison not in (">=", ">"):
            raise ConfigError("phép so sánh không hợp lệ", "comparison must be '>=' or '>'",
                              value=comparison)
        return cls(parse_fraction(value, what="threshold"), denominator, comparison)

    def passes(self, votes: int | Fraction, denominator: int) -> bool:
        """Whether *votes* out of *denominator* meets the rule (False when denominator is 0)."""
        if denominator <= 0:
            return False
        ratio = Fraction(votes) / denominator
        return ratio >= self.share if self.comparison == ">=" else ratio > self.share

    def minimum_votes(self, denominator: int) -> int:
        """The fewest whole votes that pass out of *denominator*.

        >>> Threshold.parse("80%").minimum_votes(16)
        13
        >>> Threshold.parse("50%", comparison=">").minimum_votes(10)
        6
        """
        need = self.share * denominator
        whole = math.ceil(need)
        return whole + 1 if self.comparison == ">" and whole == need else whole

    def describe(self) -> tuple[str, str]:
        """The rule as a Vietnamese and an English phrase."""
        pct = f"{float(self.share * 100):g}%".replace(".", ",")
        if self.share.denominator not in (1, 2, 4, 5, 10, 20, 25, 50, 100):
            pct = f"{self.share.numerator}/{self.share.denominator}"
        den_vi = {"members": "tổng số thành viên", "present": "số thành viên có mặt",
                  "issued": "số phiếu phát ra", "valid": "số phiếu hợp lệ"}[self.denominator]
        den_en = {"members": "all members", "present": "members present",
                  "issued": "ballots issued", "valid": "valid ballots"}[self.denominator]
        cmp_vi = "từ" if self.comparison == ">=" else "trên"
        cmp_en = "at least" if self.comparison == ">=" else "more than"
        return f"{cmp_vi} {pct} {den_vi}", f"{cmp_en} {pct} of {den_en}"


@dataclass(frozen=True)
class Quota:
    """How many units a tier may take: a fixed count or a share of some base, rounded.

    Written in ``meeting.toml`` as ``1`` (fixed), ``"50%"`` (of members), ``"50% remaining"``
    (of units not awarded a higher tier, Quảng Ninh style), ``"20% eligible"`` (of units
    meeting the tier's standard) — Vietnamese words ``còn lại`` and ``đạt chuẩn`` work too.

    >>> Quota.parse("50% còn lại").base, Quota.parse(3).count
    ('remaining', 3)
    >>> Quota.parse("20% eligible", rounding="ceil").size(members=12, remaining=10, eligible=7)
    2
    """

    base: QuotaBase
    count: int | None = None
    share: Fraction | None = None
    rounding: Rounding = "floor"

    @classmethod
    def parse(cls, value: Any, *, rounding: Rounding = "floor") -> Quota:
        """Parse a quota written in ``meeting.toml``."""
        if rounding not in ("floor", "ceil", "round"):
            raise ConfigError("cách làm tròn không hợp lệ",
                              "rounding must be floor, ceil or round", value=rounding)
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                raise ConfigError("hạn mức không được âm", "quota must not be negative",
                                  value=value)
            return cls(base="fixed", count=value, rounding=rounding)
        if isinstance(value, str):
            text = value.strip()
            words = {"remaining": "remaining", "còn lại": "remaining", "eligible": "eligible",
                     "đạt chuẩn": "eligible", "members": "members", "thành viên": "members"}
            base: QuotaBase = "members"
            for word, kind in words.items():
                if text.lower().endswith(word):
                    base = kind  # type: ignore[assignment]
                    text = text[: -len(word)].strip()
                    break
            if text.isdigit() and base == "members" and "%" not in value:
                return cls(base="fixed", count=int(text), rounding=rounding)
            if text.endswith("%") or "/" in text:
                return cls(base=base, share=parse_fraction(text, what="quota"), rounding=rounding)
        raise ConfigError(
            "'quota' phải là số nguyên hoặc tỷ lệ như '50% còn lại'",
            "'quota' must be a whole number or a percentage such as '50%', '50% remaining' or "
            "'20% eligible'", value=value)

    def size(self, *, members: int, remaining: int, eligible: int) -> int:
        """The number of places for a bloc with these counts."""
        if self.base == "fixed":
            assert self.count is not None
            return self.count
        assert self.share is not None
        of = {"members": members, "remaining": remaining, "eligible": eligible}[self.base]
        raw = self.share * of
        if self.rounding == "floor":
            return math.floor(raw)
        if self.rounding == "ceil":
            return math.ceil(raw)
        return math.floor(raw + Fraction(1, 2))

    def describe(self) -> tuple[str, str]:
        """The quota as a Vietnamese and an English phrase."""
        if self.base == "fixed":
            return f"tối đa {self.count} đơn vị", f"at most {self.count} units"
        assert self.share is not None
        pct = f"{float(self.share * 100):g}%".replace(".", ",")
        of_vi = {"members": "tổng số thành viên", "remaining": "số đơn vị còn lại",
                 "eligible": "số đơn vị đạt chuẩn"}[self.base]
        of_en = {"members": "all members", "remaining": "the remaining units",
                 "eligible": "the units meeting the standard"}[self.base]
        return f"tối đa {pct} {of_vi}", f"at most {pct} of {of_en}"
