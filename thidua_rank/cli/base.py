"""What every sub-command module shares: the command table, the ``@command`` decorator and
the output helpers (JSON, plain tables)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

__all__ = ["COMMANDS", "command", "dump", "table"]

Handler = Callable[[argparse.Namespace], int]


def _json_default(value: Any) -> Any:
    if isinstance(value, Fraction):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_default))
    sys.stdout.write("\n")


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(lines)


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {}
"""Sub-command name → (help, setup); each setup adds its arguments and sets ``handler``."""


def command(name: str, help: str) -> Callable[[Callable[[argparse.ArgumentParser], None]],
                                              Callable[[argparse.ArgumentParser], None]]:
    """Register a sub-command: the decorated function adds its arguments and sets a handler."""

    def wrap(setup: Callable[[argparse.ArgumentParser], None]
             ) -> Callable[[argparse.ArgumentParser], None]:
        COMMANDS[name] = (help, setup)
        return setup

    return wrap


