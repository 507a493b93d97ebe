"""``approval``: count đồng ý marks, with exact percentages of a chosen denominator."""

from __future__ import annotations

from fractions import Fraction
from typing import Literal

from thidua_rank.engine.ballots import Ballots
from thidua_rank.engine.registry import register
from thidua_rank.engine.result import RankResult, build_result
from thidua_rank.errors import MethodError
from thidua_rank.text import format_percent

__all__ = ["approval"]


@register("approval", name_vi="Bỏ phiếu tán thành (đồng ý)", name_en="Approval voting",
          inputs=("approval", "choose"), complexity="O(m·n)")
def approval(ballots: Ballots, *,
             denominator: int | Literal["valid", "returned"] = "valid") -> RankResult:
    """Approval count: the number of ballots marking each unit (đồng ý / chọn).

    Parameters
    ----------
    denominator
        What the percentages in ``details["share"]`` are of: ``valid`` ballots, ``returned``
        ballots (valid + invalid), or an explicit count such as ballots issued or all members.
        Percentages are exact fractions (8 of 10 is exactly 4/5).

    Examples
    --------
    >>> b = Ballots.from_ranks([[1, 1, 0]] * 8 + [[1, 0, 0]] * 2, units=["A", "B", "C"],
    ...                        kind="approval")
    >>> r = approval(b)
    >>> r.exact["B"], r.details["share"]["B"]
    (8, Fraction(4, 5))
    >>> r.explanations["B"]["vi"]
    'B được 8/10 phiếu đồng ý (80,00%); xếp thứ 2.'
    """
    if isinstance(denominator, str):
        if denominator not in ("valid", "returned"):
            raise MethodError("mẫu số phải là 'valid', 'returned' hoặc một số",
                              "denominator must be 'valid', 'returned' or a whole number",
                              value=denominator)
        den = ballots.n_ballots if denominator == "valid" else \
            ballots.n_ballots + ballots.n_invalid
    else:
        if isinstance(denominator, bool) or denominator < ballots.n_ballots:
            raise MethodError("mẫu số không được nhỏ hơn số phiếu hợp lệ",
                              f"denominator must be at least the {ballots.n_ballots} valid ballots",
                              value=denominator)
        den = int(denominator)
    votes = [int(v) for v in ballots.counts @ (ballots.ranks > 0)]
    share = {u: Fraction(v, den) if den else Fraction(0)
             for u, v in zip(ballots.units, votes, strict=True)}

    def explain(unit: str, value: int, rank: int) -> tuple[str, str]:
        pct = format_percent(share[unit])
        return (f"{unit} được {value}/{den} phiếu đồng ý ({pct}); xếp thứ {rank}.",
                f"{unit} received {value} of {den} approvals ({float(share[unit]) * 100:.2f}%); "
                f"rank {rank}.")

    return build_result("approval", ballots.units, votes, explain=explain,
                        options={"denominator": denominator},
                        details={"share": share, "denominator": den,
                                 "max_score": Fraction(den)})
