"""Finding a TrueType font with Vietnamese glyphs on this computer (for PDF slips and charts).

DejaVu Sans or Liberation Sans from the system, else the copy matplotlib ships. Nothing here
imports a rendering library.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["FONT_CANDIDATES", "find_font"]

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
)


def find_font() -> Path | None:
    """A TrueType font with Vietnamese glyphs, or ``None``."""
    for candidate in FONT_CANDIDATES:
        if Path(candidate).exists():
            return Path(candidate)
    try:
        import matplotlib

        bundled = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
        return bundled if bundled.exists() else None
    except ImportError:
        return None
