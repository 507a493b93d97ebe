"""The method registry: ``@register`` records metadata and returns the function unchanged.

The registry is filled by explicit imports in :mod:`thidua_rank.methods`, imported on the first
lookup; :func:`rank` looks a method up by id and calls it.

>>> import thidua_rank as tr
>>> "borda" in tr.methods().get_column("id").to_list()
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from thidua_rank.errors import MethodError

if TYPE_CHECKING:
    import polars as pl

__all__ = ["MethodInfo", "get_method", "method_info", "methods", "rank", "register"]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class MethodInfo:
    """Metadata of a registered method."""

    id: str
    name_vi: str
    name_en: str
    inputs: tuple[str, ...]
    """Ballot kinds accepted (``ranked``, ``approval``, ``choose``), or ``scores`` / ``results``."""
    complexity: str
    condorcet: bool = False
    """True when a Condorcet winner, if one exists, always ranks first."""
    description: str = ""


_REGISTRY: dict[str, tuple[MethodInfo, Callable[..., Any]]] = {}


def register(
    id: str,
    *,
    name_vi: str,
    name_en: str,
    inputs: tuple[str, ...],
    complexity: str,
    condorcet: bool = False,
) -> Callable[[F], F]:
    """Register a ranking method under *id*; the decorated function is returned unchanged."""

    def decorator(func: F) -> F:
        if id in _REGISTRY:
            raise MethodError(f"phương pháp '{id}' đã được đăng ký",
                              f"method id '{id}' is registered twice", value=id)
        doc = (func.__doc__ or "").strip().splitlines()
        info = MethodInfo(id=id, name_vi=name_vi, name_en=name_en, inputs=inputs,
                          complexity=complexity, condorcet=condorcet,
                          description=doc[0] if doc else "")
        _REGISTRY[id] = (info, func)
        return func

    return decorator


def _load_methods() -> None:
    """Import the method modules (they register themselves); cheap after the first call."""
    import thidua_rank.methods  # noqa: F401


def get_method(id: str) -> Callable[..., Any]:
    """The function registered under *id*."""
    _load_methods()
    try:
        return _REGISTRY[id][1]
    except KeyError:
        raise MethodError(f"không có phương pháp '{id}'",
                          f"unknown method '{id}'; expected one of {sorted(_REGISTRY)}",
                          value=id) from None


def method_info(id: str) -> MethodInfo:
    """Metadata of the method registered under *id*."""
    get_method(id)
    return _REGISTRY[id][0]


def methods() -> pl.DataFrame:
    """Table of registered methods: id, names, inputs, complexity, Condorcet-consistency."""
    import polars as pl

    _load_methods()
    rows = [
        {"id": i.id, "name_vi": i.name_vi, "name_en": i.name_en, "inputs": ", ".join(i.inputs),
         "complexity": i.complexity, "condorcet": i.condorcet, "description": i.description}
        for i, _ in _REGISTRY.values()
    ]
    return pl.DataFrame(rows).sort("id")


def rank(data: Any, method: str = "borda", **options: Any) -> Any:
    """Rank *data* (usually :class:`~thidua_rank.Ballots`) with the method registered as *method*.

    Options are passed to the method as keyword arguments.
    """
    _load_methods()
    info, func = _REGISTRY.get(method, (None, None))
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
