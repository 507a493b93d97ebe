"""Would another ranking method have given the same awards?

:func:`awards_by_method` re-runs the whole meeting — ranking, tie-breaks, tiers with their
quotas, standards and cut-off policy — once per ranking method, by replacing only
``ranking.method`` in the meeting's configuration.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING

import polars as pl

from thidua_rank.analysis.comparison import ballot_methods, vote_ballots
from thidua_rank.analysis.progress import Cancel, Progress, Ticker
from thidua_rank.errors import InputError

if TYPE_CHECKING:
    from thidua_rank.meeting.model import Meeting

__all__ = ["awards_by_method", "meeting_with_method"]


def meeting_with_method(meeting: Meeting, method: str) -> Meeting:
    """The same meeting with its ranking vote counted by *method* (nothing else changes)."""
    cfg = meeting.config
    ranking = dataclasses.replace(cfg.ranking, method=method)
    return dataclasses.replace(meeting, config=dataclasses.replace(cfg, ranking=ranking))


def awards_by_method(meeting: Meeting, methods: Sequence[str] | None = None, *,
                     progress: Progress | None = None, cancel: Cancel | None = None
                     ) -> pl.DataFrame:
    """Place and award tier of every unit under each ranking method.

    Each method re-runs :func:`~thidua_rank.run_meeting` on the meeting with only
    ``ranking.method`` replaced, so tiers, quotas, standards, tie-breaks and the cut-off policy
    are applied exactly as configured.

    Parameters
    ----------
    meeting
        A meeting ranked (at least in part) by a vote: ``ranking.combine`` is ``vote``,
        ``weighted`` or ``score_gate_vote``.
    methods
        Method ids; default: every registered method that accepts the ranking round's ballots.
        The configured method is always included.
    progress, cancel
        Optional callbacks (:mod:`~thidua_rank.analysis.progress`), once per method.

    Returns
    -------
    polars.DataFrame
        One row per unit × method, units in official order: ``unit, method, configured``
        (this is the meeting's method), ``place`` (final place after tie-breaks), ``tier``
        (tier id or ``None``), ``tier_label``, ``changed`` (the tier differs from the one the
        configured method gives).

    Examples
    --------
    >>> import thidua_rank as tr
    >>> from thidua_rank.resources import data_folder
    >>> m = tr.load_meeting(data_folder("sample_data") / "ninh-binh-co-quan-dang-2022")
    >>> t = awards_by_method(m, ["borda", "plurality"])
    >>> t.filter(pl.col("method") == "borda", pl.col("tier").is_not_null()).height
    4
    """
    cfg = meeting.config
    if cfg.ranking.combine == "score":
        raise InputError("hội nghị xếp hạng theo điểm, không theo phiếu bầu",
                         "the meeting is ranked by the score alone: no voting method to vary",
                         column="ranking.combine", value=cfg.ranking.combine)
    from thidua_rank.meeting.pipeline import run_meeting

    ids = list(methods) if methods is not None else ballot_methods(vote_ballots(meeting))
    if cfg.ranking.method not in ids:
        ids.insert(0, cfg.ranking.method)
    ticker = Ticker(len(ids), progress=progress, cancel=cancel)
    outcomes = {}
    for mid in ids:
        ticker.check()
        outcomes[mid] = run_meeting(meeting_with_method(meeting, mid))
        ticker.step()
    labels = {t.id: t.label for t in cfg.tiers}
    base = outcomes[cfg.ranking.method]
    rows = []
    for unit in meeting.units:
        configured_tier = base.award_of(unit)
        for mid in ids:
            out = outcomes[mid]
            tier = out.award_of(unit)
            rows.append({"unit": unit, "method": mid, "configured": mid == cfg.ranking.method,
                         "place": int(out.ranking.rank_of(unit)),
                         "tier": tier, "tier_label": labels.get(tier) if tier else None,
                         "changed": tier != configured_tier})
    return pl.DataFrame(rows, schema={"unit": pl.String, "method": pl.String,
                                      "configured": pl.Boolean, "place": pl.Int64,
                                      "tier": pl.String, "tier_label": pl.String,
                                      "changed": pl.Boolean})

