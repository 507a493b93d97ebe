"""The method registry: ``@register`` records metadata and returns the function unchanged.

The registry is filled by the explicit imports of :mod:`thidua_rank.methods`, which also holds
the lookups (:func:`~thidua_rank.methods.rank`, :func:`~thidua_rank.methods.methods`): this
module stays below the methods and never imports them.

>>> @register("demo", name_vi="Thử", name_en="Demo", inputs=("ranked",), complexity="O(1)")
... def demo(ballots):
...     "A demo method."
>>> registered()["demo"][0].description
'A demo method.'
>>> _ = _REGISTRY.pop("demo")
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar

from thidua_rank.errors import MethodError

__all__ = ["MethodInfo", "register", "registered"]

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


def registered() -> Mapping[str, tuple[MethodInfo, Callable[..., Any]]]:
    """A live read-only view of the methods registered so far, by id (the catalogue in
    :mod:`thidua_rank.methods` imports the method modules, which fills it)."""
    return MappingProxyType(_REGISTRY)
