"""Exact thresholds and quotas (thidua_rank.engine.thresholds)."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua_rank.engine.thresholds import Quota, Threshold, parse_fraction, parse_points
from thidua_rank.errors import ConfigError, InputError


def test_eight_of_ten_passes_eighty_percent() -> None:
    rule = Threshold.parse("80%")
    assert rule.passes(8, 10)
    assert not rule.passes(7, 10)
    assert not Threshold.parse("80%", comparison=">").passes(8, 10)


def test_two_thirds_is_not_rounded() -> None:
    assert Threshold.parse("2/3").passes(2, 3)
    assert not Threshold.parse("66.67%").passes(2, 3)
    assert Threshold.parse("66.66%").passes(2, 3)


def test_threshold_table_form_and_errors() -> None:
    rule = Threshold.parse({"share": "50%", "denominator": "valid", "comparison": ">"})
    assert rule.denominator == "valid"
    assert rule.passes(6, 10) and not rule.passes(5, 10)
    with pytest.raises(ConfigError, match="unknown keys"):
        Threshold.parse({"share": "50%", "mau_so": "valid"})
    with pytest.raises(ConfigError, match="denominator must be one of"):
        Threshold.parse("50%", denominator="voters")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="must be within 0–100%"):
        Threshold.parse("120%")
    assert not rule.passes(0, 0)


@given(st.integers(1, 60), st.fractions(0, 1), st.sampled_from([">=", ">"]))
def test_minimum_votes_is_the_boundary(den: int, share: Fraction, cmp: str) -> None:
    rule = Threshold(share, "members", cmp)  # type: ignore[arg-type]
    need = rule.minimum_votes(den)
    if need <= den:
        assert rule.passes(need, den)
    if need >= 1:
        assert not rule.passes(need - 1, den)


@pytest.mark.parametrize(
    ("text", "base", "expected"),
    [(2, "fixed", 2), ("50% remaining", "remaining", 7), ("50% còn lại", "remaining", 7),
     ("20% eligible", "eligible", 1), ("25%", "members", 4), ("3", "fixed", 3)],
)
def test_quota_forms(text: object, base: str, expected: int) -> None:
    quota = Quota.parse(text)
    assert quota.base == base
    assert quota.size(members=16, remaining=14, eligible=9) == expected


def test_quota_rounding() -> None:
    assert Quota.parse("50% remaining", rounding="floor").size(members=10, remaining=9,
                                                                eligible=9) == 4
    assert Quota.parse("50% remaining", rounding="ceil").size(members=10, remaining=9,
                                                               eligible=9) == 5
    assert Quota.parse("50% remaining", rounding="round").size(members=10, remaining=9,
                                                                eligible=9) == 5


def test_bad_quota_names_the_value() -> None:
    with pytest.raises(ConfigError, match="'quota' must be a whole number or a percentage") as e:
        Quota.parse("1,5 đơn vị")
    assert e.value.value == "1,5 đơn vị"
    with pytest.raises(ConfigError, match="must not be negative"):
        Quota.parse(-1)


def test_parse_points_exact() -> None:
    assert parse_points("94,5") == Fraction(189, 2)
    assert parse_points(0.1) == Fraction(1, 10)
    with pytest.raises(InputError, match="more than 3 decimal places"):
        parse_points("1.23456")
    with pytest.raises(InputError, match="not a number"):
        parse_points(float("nan"))
    assert parse_fraction("66,5%") == Fraction(133, 200)
