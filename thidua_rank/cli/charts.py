"""Sub-command ``charts``: a meeting's charts for a report (PNG, SVG, PDF) or the projector.

``thidua-rank charts MEETING --out DIR [--format png,svg,pdf] [--medium report|projector]``
writes ``ket-qua`` (the ranking by award tier), ``bau-truong-khoi`` / ``bau-pho-truong-khoi``
(one per head or deputies round; a re-vote adds ``-lan-2``) and ``tieu-chi`` (points per
criterion, when the meeting has a score sheet) in each format. Every file is rendered before
any is written, and each is written atomically: a bad argument or input writes nothing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from thidua_rank.charts.render import CHART_FORMATS
from thidua_rank.cli.base import command
from thidua_rank.errors import ThiduaRankError


def _formats(text: str) -> list[str]:
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    if not formats:
        raise ThiduaRankError("--format trống (png, svg, pdf)",
                              "--format is empty; use png, svg and/or pdf", value=text)
    for fmt in formats:
        if fmt not in CHART_FORMATS:
            raise ThiduaRankError(f"định dạng biểu đồ '{fmt}' không được hỗ trợ (png, svg, pdf)",
                                  f"chart format '{fmt}' is not supported; use png, svg and/or "
                                  "pdf", value=fmt)
    return formats


def _cmd_charts(args: argparse.Namespace) -> int:
    import thidua_rank as tr
    from thidua_rank.charts import report_charts
    from thidua_rank.charts.render import chart_bytes
    from thidua_rank.charts.style import medium_size
    from thidua_rank.io.atomic import atomic_write

    formats = _formats(args.format)
    medium_size(args.medium)  # an unknown medium is a bilingual error before any work
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ThiduaRankError(f"--out phải là một thư mục, nhưng '{out}' là một tệp",
                              f"--out must be a folder, but '{out}' is a file", value=str(out))
    outcome = tr.run_meeting(tr.load_meeting(args.folder))
    charts = report_charts(outcome, lang=args.lang, medium=args.medium)
    rendered = [(f"{stem}.{fmt}", chart_bytes(chart, fmt))  # all, before any is written
                for stem, chart in charts.items() for fmt in formats]
    for name, data in rendered:
        print(f"Đã ghi / written: {atomic_write(out / name, data)}")
    return 0


@command("charts", "write the meeting's charts (.png, .svg, .pdf) / ghi biểu đồ kết quả hội nghị")
def _setup_charts(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="meeting folder or .xlsx workbook")
    p.add_argument("--out", required=True, help="output folder (created when missing)")
    p.add_argument("--format", default="png,svg,pdf", help="png,svg,pdf (default: all three)")
    p.add_argument("--medium", default="report",
                   help="report (680 px wide: no text under 8 pt at an A4 text width of 16 cm, "
                        "default) or projector (1 700 px wide, text of 24 px and more)")
    p.set_defaults(handler=_cmd_charts)
