"""Reading Vega-Lite specs in tests: every text size a chart spec writes down."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def font_sizes(spec: Any) -> Iterator[Any]:
    """Every ``…fontSize`` value anywhere in a Vega-Lite spec (config, marks, titles, axes,
    legends), as written: a value that is not a number (an expression) is yielded too, so
    that ``min()`` over it fails loudly.

    >>> spec = {"config": {"axis": {"labelFontSize": 24, "titleFontSize": 30}},
    ...         "layer": [{"mark": {"type": "text", "fontSize": 12}}], "title": {"text": "x"}}
    >>> sorted(font_sizes(spec))
    [12, 24, 30]
    """
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key.lower().endswith("fontsize"):
                yield value
            else:
                yield from font_sizes(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from font_sizes(item)
