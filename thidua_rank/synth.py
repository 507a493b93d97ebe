"""Synthetic meetings: realistic, reproducible meeting folders for tests, demos and benchmarks.

A synthetic bloc has a hidden *quality* per unit (standard normal). Criteria scores (self and
verified, on the 100-point scale with a bonus and a deduction line) rise with it, and the peer
ballots are drawn from a Mallows model centred on the quality order, optionally distorted by a
voting bloc: a group of units whose members rank each other first.

The Mallows model with dispersion ``phi`` in [0, 1] gives a ranking at Kendall distance *d* from
the reference order a probability proportional to ``phi ** d``: ``phi = 0`` always returns the
reference order, ``phi = 1`` is uniform. It is sampled with the repeated insertion method
(Doignon, Pekeč & Regenwetter 2004; Lu & Boutilier 2014): the *i*-th unit of the reference order
is inserted among the *i − 1* placed before it, at the end with weight 1 and *k* places higher
with weight ``phi ** k``.

>>> import numpy as np
>>> mallows_orders([2, 0, 1], 2, 0.0, np.random.default_rng(1)).tolist()
[[2, 0, 1], [2, 0, 1]]
>>> round(phi_for_noise(0.3, 12), 4)
0.5206
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from thidua_rank.errors import InputError
from thidua_rank.io.atomic import atomic_write_folder
from thidua_rank.io.template import DEFAULT_CRITERIA

if TYPE_CHECKING:
    from thidua_rank.engine.ballots import Ballots

__all__ = [
    "DEFAULT_CRITERIA",
    "BlocBallots",
    "SynthMeeting",
    "SynthOptions",
    "bloc_ballots",
    "expected_kendall",
    "mallows_orders",
    "phi_for_noise",
    "synth_files",
    "synth_meeting",
]

UNIT_NAMES: tuple[tuple[str, str], ...] = (
    ("Văn phòng UBND tỉnh", "VP UBND tỉnh"),
    ("Sở Nội vụ", "SNV"),
    ("Sở Tài chính", "STC"),
    ("Sở Kế hoạch và Đầu tư", "Sở KH&ĐT"),
    ("Sở Tư pháp", "STP"),
    ("Sở Công Thương", "SCT"),
    ("Sở Nông nghiệp và Phát triển nông thôn", "Sở NN&PTNT"),
    ("Sở Giao thông vận tải", "Sở GTVT"),
    ("Sở Xây dựng", "SXD"),
    ("Sở Tài nguyên và Môi trường", "Sở TN&MT"),
    ("Sở Thông tin và Truyền thông", "Sở TT&TT"),
    ("Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH"),
    ("Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL"),
    ("Sở Khoa học và Công nghệ", "Sở KH&CN"),
    ("Sở Giáo dục và Đào tạo", "Sở GD&ĐT"),
    ("Sở Y tế", "SYT"),
    ("Thanh tra tỉnh", "TTr tỉnh"),
    ("Ban Dân tộc tỉnh", "BDT"),
    ("Sở Ngoại vụ", "SNgV"),
    ("Ban Quản lý các khu công nghiệp", "BQL KCN"),
    ("Đài Phát thanh và Truyền hình tỉnh", "Đài PT-TH"),
    ("Trường Chính trị tỉnh", "TCT"),
    ("Liên minh Hợp tác xã tỉnh", "LMHTX"),
    ("Ban Quản lý dự án đầu tư xây dựng tỉnh", "BQLDA"),
    ("Quỹ Đầu tư phát triển tỉnh", "Quỹ ĐTPT"),
    ("Trung tâm Xúc tiến đầu tư, Thương mại và Du lịch", "TT XTĐT-TM-DL"),
    ("Cục Thuế tỉnh", "Cục Thuế"),
    ("Kho bạc Nhà nước tỉnh", "KBNN"),
    ("Cục Thống kê tỉnh", "Cục TK"),
    ("Bảo hiểm xã hội tỉnh", "BHXH"),
    ("Cục Hải quan tỉnh", "Cục HQ"),
    ("Ngân hàng Nhà nước chi nhánh tỉnh", "NHNN"),
)
"""Provincial departments in protocol order; units past the list are "Đơn vị số k"."""

BONUS_CAP = 10
HEAD_CANDIDATES = 3


# ---------------------------------------------------------------------- Mallows model
def _generator(rng: np.random.Generator | int | None) -> np.random.Generator:
    return rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)


def mallows_orders(
    ref_order: Sequence[int] | np.ndarray,
    m: int,
    phi: float,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """Draw *m* rankings from a Mallows model around *ref_order* (repeated insertion method).

    Parameters
    ----------
    ref_order
        The reference ranking: unit indices (or any integer labels) best → worst.
    m
        Number of rankings.
    phi
        Dispersion in [0, 1]: 0 returns the reference order, 1 is uniformly random.
    rng
        A NumPy :class:`~numpy.random.Generator` (or a seed for one).

    Returns
    -------
    numpy.ndarray
        ``(m, n)`` integer array, one ranking per row, best first — the input of
        :meth:`thidua_rank.Ballots.from_orders`. All *m* rankings are built together: one
        vectorised insertion step per unit, O(m·n²) work.

    Examples
    --------
    >>> import numpy as np
    >>> orders = mallows_orders(range(5), 1000, 0.2, np.random.default_rng(0))
    >>> orders.shape, bool((orders[:, 0] == 0).mean() > 0.7)
    ((1000, 5), True)
    >>> sorted(mallows_orders([3, 1, 2], 1, 1.0, 7)[0].tolist())
    [1, 2, 3]
    """
    ref = np.asarray(ref_order, dtype=np.int64).ravel()
    if not 0.0 <= float(phi) <= 1.0 or math.isnan(float(phi)):
        raise InputError("phi phải nằm trong [0, 1]", "phi must lie in [0, 1]", value=phi)
    if m < 0:
        raise InputError("số phiếu không được âm", "m must not be negative", value=m)
    if len(set(ref.tolist())) != ref.size:
        raise InputError("thứ tự tham chiếu có phần tử lặp", "ref_order repeats a unit",
                         value=ref.tolist())
    gen = _generator(rng)
    n = ref.size
    out = np.empty((m, n), dtype=np.int64)
    if n == 0 or m == 0:
        return out
    out[:, 0] = ref[0]
    for i in range(1, n):
        # position j in 0..i among the i placed units; weight phi**(i - j) (end = weight 1)
        weights = float(phi) ** np.arange(i, -1, -1, dtype=np.float64)
        cdf = np.cumsum(weights)
        cdf /= cdf[-1]
        pos = np.minimum(np.searchsorted(cdf, gen.random(m), side="right"), i)[:, None]
        cols = np.arange(i + 1)[None, :]
        src = np.where(cols < pos, cols, np.maximum(cols - 1, 0))
        moved = np.take_along_axis(out[:, :i], np.minimum(src, i - 1), axis=1)
        out[:, : i + 1] = np.where(cols == pos, ref[i], moved)
    return out


def expected_kendall(n: int, phi: float) -> float:
    """Expected Kendall tau distance of a Mallows(*phi*) ranking of *n* units from the centre.

    Step *i* of the insertion adds *k* inversions (k = 0..i) with weight ``phi ** k``; the
    expectation is the sum over steps (stable for every phi in [0, 1]).

    >>> expected_kendall(4, 1.0), expected_kendall(4, 0.0), round(expected_kendall(2, 0.5), 4)
    (3.0, 0.0, 0.3333)
    """
    total = 0.0
    for i in range(1, n):
        k = np.arange(i + 1, dtype=np.float64)
        w = float(phi) ** k
        total += float((k * w).sum() / w.sum())
    return total


def phi_for_noise(noise: float, n: int) -> float:
    """The dispersion phi at which ballots are, on average, *noise* × as far from the reference
    order as uniformly random ballots (Kendall distance): 0 = everyone agrees, 1 = random.

    The scale does not depend on the number of units, so ``noise=0.3`` means the same
    amount of disagreement in a bloc of 6 and of 16.

    >>> phi_for_noise(0.0, 10), phi_for_noise(1.0, 10)
    (0.0, 1.0)
    >>> round(phi_for_noise(0.5, 2), 4)  # two units: P(swap) = phi / (1 + phi) = 1/4
    0.3333
    """
    if not 0.0 <= float(noise) <= 1.0 or math.isnan(float(noise)):
        raise InputError("noise phải nằm trong [0, 1]", "noise must lie in [0, 1]", value=noise)
    if noise in (0.0, 1.0) or n < 2:
        return float(noise)
    target = float(noise) * n * (n - 1) / 4
    lo, hi = 0.0, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if expected_kendall(n, mid) < target:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def _bloc_first(orders: np.ndarray, bloc: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Move the *bloc* units to the front of the selected *rows*, keeping relative order."""
    out = orders.copy()
    if rows.size == 0 or bloc.size == 0:
        return out
    sub = orders[rows]
    key = ~np.isin(sub, bloc)
    perm = np.argsort(key, axis=1, kind="stable")
    out[rows] = np.take_along_axis(sub, perm, axis=1)
    return out


@dataclass(frozen=True)
class BlocBallots:
    """Ranked ballots with a planted voting bloc (:func:`bloc_ballots`), and the truth."""

    ballots: Ballots
    """Named ballots (:attr:`~thidua_rank.Ballots.voters` set); ``secret`` drops the names."""
    bloc: tuple[str, ...]
    """The bloc's units in official order (empty when none was planted)."""
    reference: tuple[str, ...]
    """The centre of the Mallows model, best → worst."""

    @property
    def secret(self) -> Ballots:
        """The same ballots without their voters."""
        return dataclasses.replace(self.ballots, voters=())


def bloc_ballots(units: int, *, voters: int | None = None, bloc: int = 0, noise: float = 0.3,
                 loyalty: float = 1.0, seed: int = 0) -> BlocBallots:
    """Ranked ballots of a synthetic meeting with a planted voting bloc, in memory.

    Ballots follow a Mallows model around a random order of the units (*noise* as in
    :class:`SynthOptions`); voter *j* belongs to unit ``j mod units``. The *bloc* random units'
    voters each move the bloc's units to the top of their ballot (keeping their own order of
    them, so the bloc's internal order varies), each ballot with probability *loyalty* (a
    partly loyal bloc is harder to see). ``thidua-rank synth --bloc K`` plants the same
    pattern with full loyalty.

    Examples
    --------
    >>> made = bloc_ballots(8, voters=16, bloc=3, seed=2)
    >>> made.bloc
    ('Sở Nội vụ', 'Sở Tài chính', 'Sở Kế hoạch và Đầu tư')
    >>> first = made.ballots.ranks[made.ballots.voters.index(made.bloc[0])]
    >>> sorted(first[[1, 2, 3]].tolist()), made.secret.voters
    ([1, 2, 3], ())
    """
    from thidua_rank.engine.ballots import Ballots

    n = _check_int("units", units, 3)
    m = n if voters is None else _check_int("voters", voters, 1)
    k = _check_int("bloc", bloc, 0)
    if k > n:
        raise InputError("nhóm bỏ phiếu theo khối lớn hơn số đơn vị",
                         f"the voting bloc ({k}) is larger than the {n} units", value=k)
    if not 0.0 <= float(loyalty) <= 1.0:
        raise InputError("loyalty phải nằm trong [0, 1]", "loyalty must lie in [0, 1]",
                         value=loyalty)
    rng_order, rng_ballots, rng_bloc, rng_loyal = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4))
    names = [name for _, name, _ in _unit_names(n)]
    reference = rng_order.permutation(n)
    orders = mallows_orders(reference, m, phi_for_noise(noise, n), rng_ballots)
    members = np.sort(rng_bloc.choice(n, size=k, replace=False)) if k else np.zeros(0, np.int64)
    voter_unit = np.arange(m) % n
    loyal = rng_loyal.random(m) < float(loyalty)
    orders = _bloc_first(orders, members, np.flatnonzero(np.isin(voter_unit, members) & loyal))
    ballots = Ballots.from_orders(orders, units=names)
    named = dataclasses.replace(ballots, voters=tuple(names[v] for v in voter_unit))
    return BlocBallots(ballots=named, bloc=tuple(names[i] for i in members),
                       reference=tuple(names[i] for i in reference))


def _cli(help: str, type: type = int, metavar: str | None = None) -> dict[str, Any]:
    """Field metadata: the ``thidua-rank synth`` option of this field."""
    return {"help": help, "type": type, "metavar": metavar}


@dataclass(frozen=True)
class SynthOptions:
    """What a synthetic meeting is made of: the one declaration of the options of
    :func:`synth_files`, :func:`synth_meeting` and ``thidua-rank synth`` (a field whose
    metadata holds a ``help`` is a command-line option ``--field-name``).

    Attributes
    ----------
    units, voters
        Member units (2 or more) and ballots per round (default: one per unit). Voter *j*
        belongs to unit ``j mod units``.
    seed
        Seed of every random draw (quality, scores, ballots, bloc, roles use separate streams).
    noise
        Disagreement among voters in [0, 1]: the mean Kendall distance of a ballot from the
        quality order, as a share of that of a random ballot (see :func:`phi_for_noise`).
    phi
        The Mallows dispersion itself (overrides *noise*).
    bloc
        Size *k* of a voting bloc: *k* random units whose voters rank the bloc's units first.
    score_noise
        Spread of the criteria scores around what the quality predicts.
    invalid_rate
        Share of ballots the counting committee marks invalid (with a reason).
    year
        The year reviewed.

    >>> SynthOptions(units=5).voters is None, SynthOptions().noise
    (True, 0.3)
    """

    units: int = field(default=12, metadata=_cli("member units (default: 12)"))
    voters: int | None = field(default=None, metadata=_cli(
        "ballots per round (default: one per unit)"))
    seed: int = field(default=0, metadata=_cli("random seed (default: 0)"))
    noise: float = field(default=0.3, metadata=_cli(
        "voter disagreement in [0, 1]: 0 = all ballots follow the hidden quality order, "
        "1 = random (default: 0.3)", float))
    phi: float | None = field(default=None, metadata=_cli(
        "the Mallows dispersion itself, in [0, 1] (overrides --noise)", float))
    bloc: int | None = field(default=None, metadata=_cli(
        "a voting bloc of K units that rank each other first", int, "K"))
    score_noise: float = 0.4
    invalid_rate: float = field(default=0.0, metadata=_cli(
        "share of ballots marked invalid by the counting committee", float))
    year: int = field(default=2024, metadata=_cli("year reviewed (default: 2024)"))


def _options(options: SynthOptions | None, changes: Mapping[str, Any]) -> SynthOptions:
    """*options* (default: all defaults) with the keyword *changes* applied."""
    base = SynthOptions() if options is None else options
    try:
        return dataclasses.replace(base, **changes)
    except TypeError:
        unknown = sorted(set(changes) - {f.name for f in dataclasses.fields(SynthOptions)})
        raise InputError(f"tùy chọn không hợp lệ {unknown}", f"unknown options {unknown}",
                         value=unknown) from None


# ---------------------------------------------------------------------- the meeting folder
@dataclass(frozen=True)
class SynthMeeting:
    """What :func:`synth_meeting` wrote, with the hidden truth behind it."""

    path: Path | None
    units: tuple[str, ...]
    quality: tuple[float, ...]
    reference: tuple[str, ...]
    """Units best → worst by hidden quality (the centre of the Mallows model)."""
    bloc: tuple[str, ...]
    phi: float
    files: Mapping[str, bytes]


def _unit_names(n: int) -> list[tuple[str, str, str]]:
    out = []
    for i in range(n):
        if i < len(UNIT_NAMES):
            name, short = UNIT_NAMES[i]
        else:
            name, short = f"Đơn vị số {i + 1}", f"ĐV{i + 1}"
        out.append((f"u{i + 1:02d}", name, short))
    return out


def _csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if c is None else c for c in r] for r in rows)
    return buf.getvalue().encode("utf-8")


def _half(x: np.ndarray) -> np.ndarray:
    return np.round(x * 2) / 2


def _num(x: float) -> str:
    return f"{x:g}"


def _q(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def _check_int(name: str, value: int, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise InputError(f"'{name}' phải là số nguyên ≥ {minimum}",
                         f"'{name}' must be a whole number ≥ {minimum}", value=value)
    return int(value)


def synth_files(options: SynthOptions | None = None, /, **changes: Any) -> SynthMeeting:
    """Build a synthetic meeting in memory (file name → bytes); see :func:`synth_meeting`.

    >>> s = synth_files(units=5, voters=7, seed=3)
    >>> sorted(s.files)[:3], len(s.units)
    (['ballots/truong-khoi.csv', 'ballots/xep-hang.csv', 'criteria.csv'], 5)
    >>> s.files == synth_files(SynthOptions(units=5, voters=7, seed=3)).files
    True
    """
    opts = _options(options, changes)
    units, voters, seed, noise, phi = opts.units, opts.voters, opts.seed, opts.noise, opts.phi
    bloc, score_noise, invalid_rate, year = (opts.bloc, opts.score_noise, opts.invalid_rate,
                                             opts.year)
    n = _check_int("units", units, 2)
    m = n if voters is None else _check_int("voters", voters, 1)
    seed = _check_int("seed", seed, 0)
    year = _check_int("year", year, 1945)
    if bloc is not None:
        bloc = _check_int("bloc", bloc, 1)
        if bloc > n:
            raise InputError("nhóm bỏ phiếu theo khối lớn hơn số đơn vị",
                             f"the voting bloc ({bloc}) is larger than the bloc's {n} units",
                             value=bloc)
    if not 0.0 <= float(invalid_rate) <= 1.0:
        raise InputError("invalid_rate phải nằm trong [0, 1]", "invalid_rate must lie in [0, 1]",
                         value=invalid_rate)
    if float(score_noise) < 0 or math.isnan(float(score_noise)):
        raise InputError("score_noise không được âm", "score_noise must not be negative",
                         value=score_noise)
    dispersion = phi_for_noise(noise, n) if phi is None else float(phi)

    # independent streams: changing the voters does not change the scores, and so on
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    rng_quality, rng_scores, rng_ballots, rng_bloc, rng_invalid, rng_roles = streams

    members = _unit_names(n)
    names = [name for _, name, _ in members]
    quality = rng_quality.standard_normal(n)
    reference = np.argsort(-quality, kind="stable")

    # ---- criteria scores: verified, and self scores a little higher
    items = [c for c in DEFAULT_CRITERIA if c[4] == "tiêu chí"]
    maxes = np.array([c[3] for c in items], dtype=np.float64)
    logit = 2.2 + 0.8 * quality[:, None] + score_noise * rng_scores.standard_normal((n, len(items)))
    verified = np.minimum(_half(maxes / (1 + np.exp(-logit))), maxes)
    inflation = _half(np.abs(rng_scores.standard_normal((n, len(items)))) * 0.03 * maxes)
    self_pts = np.minimum(verified + inflation, maxes)
    bonus_v = np.clip(np.round(rng_scores.normal(2 + 2 * quality, 1.5)), 0, BONUS_CAP)
    bonus_s = np.minimum(bonus_v + rng_scores.integers(0, 2, n), BONUS_CAP)
    p_deduct = 1 / (1 + np.exp(2 + quality))
    deduct_v = np.where(rng_scores.random(n) < p_deduct, rng_scores.integers(1, 6, n), 0)
    deduct_s = np.where(rng_scores.random(n) < 0.5, deduct_v, 0)
    score_rows: list[list[object]] = []
    for i, name in enumerate(names):
        score_rows.append([name, "tự chấm", "", *map(_num, self_pts[i]), _num(bonus_s[i]),
                           _num(deduct_s[i])])
        score_rows.append([name, "thẩm định", "", *map(_num, verified[i]), _num(bonus_v[i]),
                           _num(deduct_v[i])])

    # ---- ranked ballots: Mallows around the quality order, then the voting bloc
    orders = mallows_orders(reference, m, dispersion, rng_ballots)
    bloc_units = np.sort(rng_bloc.choice(n, size=bloc, replace=False)) if bloc else \
        np.zeros(0, np.int64)
    voter_unit = np.arange(m) % n
    bloc_rows = np.flatnonzero(np.isin(voter_unit, bloc_units))
    orders = _bloc_first(orders, bloc_units, bloc_rows)
    ranks = np.empty_like(orders)
    np.put_along_axis(ranks, orders, np.arange(1, n + 1)[None, :], axis=1)
    invalid = rng_invalid.random(m) < float(invalid_rate)
    reasons = ("không có dấu của Ban kiểm phiếu", "phiếu gạch xóa, ghi thêm nội dung")
    reason_pick = rng_invalid.integers(0, len(reasons), m)
    with_invalid = invalid_rate > 0
    rank_rows = [[j + 1, *ranks[j].tolist(), *([reasons[reason_pick[j]] if invalid[j] else ""]
                                               if with_invalid else [])] for j in range(m)]
    rank_header = ["phiếu", *names, *(["không hợp lệ"] if with_invalid else [])]

    # ---- head round: each voter marks the shortlisted unit they ranked highest
    shortlist = np.sort(reference[: min(HEAD_CANDIDATES, n)])
    position = np.argsort(orders, axis=1)  # position[j, unit]
    choice = shortlist[np.argmin(position[:, shortlist], axis=1)]
    head_rows = [[j + 1, *["x" if u == choice[j] else "" for u in shortlist]] for j in range(m)]
    head_header = ["phiếu", *[names[u] for u in shortlist]]

    # ---- roles: outgoing head and deputy (random), for the minutes
    head, deputy = (rng_roles.choice(n, size=2, replace=False).tolist())

    toml = "\n".join([
        f"# Hội nghị tổng hợp (synthetic) — thidua-rank synth --units {n} --voters {m} "
        f"--seed {seed} --noise {noise:g}" + (f" --bloc {bloc}" if bloc else ""),
        f"# Mallows phi = {dispersion:.6f}; the hidden quality order is in truth.csv",
        "",
        "[meeting]",
        f'id = "synth-{seed}"',
        f"bloc = {_q(f'Khối thi đua tổng hợp số {seed}')}",
        'province = "Tỉnh Mẫu"',
        f"year_reviewed = {year}",
        f"meeting_date = {year}-12-15",
        f"title = {_q(f'Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}')}",
        f"outgoing_head = {_q(names[head])}",
        f"outgoing_deputies = [{_q(names[deputy])}]",
        'quorum = "2/3"',
        "",
        "[scoring]",
        'rule = "verified_over_self"',
        f"bonus_cap = {BONUS_CAP}",
        "decimals = 1",
        "",
        "[ranking]",
        'combine = "weighted"',
        'vote_round = "xep-hang"',
        'method = "borda"',
        'weight = "1/2"',
        "",
        "[[tiers]]",
        'id = "co-thi-dua-chinh-phu"',
        'label = "Cờ thi đua của Chính phủ"',
        'label_en = "Government emulation flag"',
        'wording = "đề nghị Thủ tướng Chính phủ tặng Cờ thi đua"',
        "quota = 1",
        "min_score = 95",
        "",
        "[[tiers]]",
        'id = "co-thi-dua-tinh"',
        'label = "Cờ thi đua của UBND tỉnh"',
        'label_en = "Provincial emulation flag"',
        'wording = "đề nghị UBND tỉnh tặng Cờ thi đua"',
        "quota = 1",
        "min_score = 90",
        "",
        "[[tiers]]",
        'id = "bang-khen"',
        'label = "Bằng khen của Chủ tịch UBND tỉnh"',
        'label_en = "Certificate of merit of the provincial chairman"',
        'wording = "đề nghị Chủ tịch UBND tỉnh tặng Bằng khen"',
        'quota = "50% remaining"',
        "",
        "[[rounds]]",
        'id = "xep-hang"',
        f"title = {_q(f'Bỏ phiếu xếp hạng thi đua năm {year}')}",
        'decides = "ranking"',
        'kind = "ranked"',
        'ballots = "ballots/xep-hang.csv"',
        f"issued = {m}",
        "",
        "[[rounds]]",
        'id = "truong-khoi"',
        f"title = {_q(f'Bầu Trưởng khối năm {year + 1}')}",
        'decides = "head"',
        'kind = "choose"',
        "max_choices = 1",
        'ballots = "ballots/truong-khoi.csv"',
        f"issued = {m}",
        f"candidates = [{', '.join(_q(names[u]) for u in shortlist)}]",
        "",
        "[tie_break]",
        'chain = ["score", "head_to_head", "first_places", "joint"]',
        "",
    ])
    truth_rank = np.empty(n, np.int64)
    truth_rank[reference] = np.arange(1, n + 1)
    files = {
        "meeting.toml": toml.encode("utf-8"),
        "members.csv": _csv(["mã", "tên đơn vị", "tên viết tắt", "có mặt"],
                            [[i, name, short, "có"] for i, name, short in members]),
        "criteria.csv": _csv(["mã", "nhóm", "nội dung", "điểm tối đa", "loại"],
                             [list(c) for c in DEFAULT_CRITERIA]),
        "scores.csv": _csv(["đơn vị", "nguồn", "đơn vị chấm",
                            *[c[0] for c in DEFAULT_CRITERIA]], score_rows),
        "ballots/xep-hang.csv": _csv(rank_header, rank_rows),
        "ballots/truong-khoi.csv": _csv(head_header, head_rows),
        "truth.csv": _csv(["đơn vị", "chất lượng ẩn", "thứ tự tham chiếu", "nhóm bỏ phiếu"],
                          [[names[i], f"{quality[i]:.6f}", int(truth_rank[i]),
                            "có" if i in set(bloc_units.tolist()) else ""] for i in range(n)]),
    }
    return SynthMeeting(path=None, units=tuple(names),
                        quality=tuple(float(q) for q in quality),
                        reference=tuple(names[i] for i in reference),
                        bloc=tuple(names[i] for i in bloc_units), phi=dispersion, files=files)


def synth_meeting(out: str | Path, options: SynthOptions | None = None, /, *,
                  overwrite: bool = False, **changes: Any) -> SynthMeeting:
    """Write a synthetic meeting folder that :func:`thidua_rank.load_meeting` reads.

    The folder holds ``meeting.toml`` (three award tiers with quotas, a ranking round combined
    half-and-half with the criteria score, a head round), ``members.csv``, ``criteria.csv``,
    ``scores.csv`` (self and verified rows), ``ballots/xep-hang.csv`` (ranked),
    ``ballots/truong-khoi.csv`` (choose one of three) and ``truth.csv`` (the hidden quality,
    the reference order and the bloc members, for checking methods against the truth).
    The same options always give the same bytes.

    Parameters
    ----------
    out
        The folder to create. An existing non-empty folder is an error unless *overwrite*.
    options, **changes
        A :class:`SynthOptions` (default: all defaults) and/or its fields as keywords
        (``units=6, seed=1`` …), which override it.

    Examples
    --------
    >>> import tempfile, thidua_rank as tr
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     s = synth_meeting(f"{tmp}/m", units=6, voters=6, seed=1, bloc=2)
    ...     outcome = tr.run_meeting(tr.load_meeting(s.path))
    >>> len(outcome.ranking.units), len(s.bloc)
    (6, 2)
    """
    data = synth_files(_options(options, changes))
    target = atomic_write_folder(out, data.files, overwrite=overwrite)
    return dataclasses.replace(data, path=target)
