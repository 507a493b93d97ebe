"""The ranking methods, one module per family, and the lookups over them.

Importing this package imports every method module (each registers its methods with
:func:`thidua_rank.engine.registry.register`); the list below is explicit, never a scan of file
names. :func:`rank` looks a method up by id and calls it.

>>> import thidua_rank as tr
>>> "borda" in tr.methods().get_column("id").to_list()
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from thidua_rank.engine.registry import MethodInfo, registered
from thidua_rank.errors import MethodError
from thidua_rank.methods.approval import approval
from thidua_rank.methods.combined import combined
from thidua_rank.methods.condorcet import copeland, minimax, ranked_pairs, schulze
from thidua_rank.methods.criteria import weighted_sum
from thidua_rank.methods.irv import instant_runoff
from thidua_rank.methods.kemeny import kemeny
from thidua_rank.methods.positional import borda, dowdall, plurality

if TYPE_CHECKING:
    from collections.abc import Callable

    import polars as pl

__all__ = [
    "approval",
    "borda",
    "combined",
    "copeland",
    "dowdall",
    "get_method",
    "instant_runoff",
    "kemeny",
    "method_info",
    "methods",
    "minimax",
    "plurality",
    "rank",
    "ranked_pairs",
    "schulze",
    "weighted_sum",
]

_registry = registered()


def get_method(id: str) -> Callable[..., Any]:
    """The function registered under *id*."""
    try:
        return _registry[id][1]
    except KeyError:
        raise MethodError(f"không có phương pháp '{id}'",
                          f"unknown method '{id}'; expected one of {sorted(_registry)}",
                          value=id) from None


def method_info(id: str) -> MethodInfo:
    """Metadata of the method registered under *id*."""
    get_method(id)
    return _registry[id][0]


def methods() -> pl.DataFrame:
    """Table of registered methods: id, names, inputs, complexity, Condorcet-consistency."""
    import polars as pl

    rows = [
        {"id": i.id, "name_vi": i.name_vi, "name_en": i.name_en, "inputs": ", ".join(i.inputs),
         "complexity": i.complexity, "condorcet": i.condorcet, "description": i.description}
        for i, _ in _registry.values()
    ]
    return pl.DataFrame(rows).sort("id")


def rank(data: Any, method: str = "borda", **options: Any) -> Any:
    """Rank *data* (usually :class:`~thidua_rank.Ballots`) with the method registered as *method*.

    Options are passed to the method as keyword arguments.
    """
    info, func = _registry.get(method, (None, None))
    if func is None:
        get_method(method)  # raises the clear error
    assert info is not None and func is not None
    kind = getattr(data, "kind", None)
    if kind is not None and kind not in info.inputs:
        raise MethodError(
            f"phương pháp '{method}' không dùng được cho phiếu loại '{kind}'",
            f"method '{method}' takes {list(info.inputs)} input, got '{kind}' ballots",
            value=kind)
    return func(data, **options)
