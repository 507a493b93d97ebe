"""Every analyst notebook runs top to bottom, and its outputs show what the package computes.

Each notebook is executed with nbclient in its own folder. Every code cell must produce an
output and none may be an error; then the figures a reader sees are checked against the same
figures computed here, directly from the package.
"""

from __future__ import annotations

import ast
import html
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import thidua_rank as tr

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _texts(cell: nbformat.NotebookNode) -> str:
    """Everything a reader sees below *cell* (plain text and HTML)."""
    out = []
    for o in cell.get("outputs", []):
        out.append(o.get("text", ""))
        data = o.get("data", {})
        out += [data.get("text/plain", ""), html.unescape(data.get("text/html", ""))]
    return "\n".join(out)


def _cell(nb: nbformat.NotebookNode, code: str) -> str:
    """The outputs of the one code cell whose source contains *code*."""
    cells = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, code
    return _texts(cells[0])


def _check_compare_methods(nb: nbformat.NotebookNode) -> None:
    from thidua_rank.analysis import compare, leave_one_out
    from thidua_rank.report.minutes import counting_minutes

    meeting = tr.load_meeting(ROOT / "sample_data" / "ninh-binh-co-quan-dang-2022")
    outcome = tr.run_meeting(meeting)
    n = len(meeting.members)
    first = outcome.ranking.table["unit"][0][:20]  # polars shortens long cells
    assert f"shape: ({n}, 4)" in _cell(nb, "outcome.ranking.table") and first in _cell(
        nb, "outcome.ranking.table")
    ballots = meeting.ballots[meeting.config.ranking.vote_round or "xep-hang"]
    table = compare(ballots)
    shown = _cell(nb, "methods_table = compare(ballots)")
    assert f"shape: {table.shape}" in shown
    assert all(f"<th>{column}</th>" in shown for column in table.columns[:3])
    borda = tr.rank(ballots, method="borda")
    explained = _cell(nb, 'tr.rank(ballots, method="borda").explain("vi")')
    assert borda.explanations[borda.winners[0]]["vi"][:20] in explained
    critical = leave_one_out(ballots, "borda")
    assert (f"Số phiếu mà nếu bỏ đi sẽ đổi đơn vị đứng đầu: {critical.height}"
            in _cell(nb, "critical = leave_one_out"))
    headings = [b.text for b in counting_minutes(outcome) if b.kind == "heading"]
    assert ast.literal_eval(_cell(nb, "counting_minutes(outcome)").strip()) == headings
    assert "p_first" in _cell(nb, "bootstrap(ballots") and "p_same" in _cell(
        nb, "weight_sensitivity(")


CHECKS: dict[str, Callable[[nbformat.NotebookNode], None]] = {
    "01-compare-methods.ipynb": _check_compare_methods,
}


def test_every_notebook_has_its_checks() -> None:
    assert NOTEBOOKS and sorted(p.name for p in NOTEBOOKS) == sorted(CHECKS)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_and_shows_the_package_figures(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    code = [c for c in nb.cells if c.cell_type == "code"]
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    assert [c.source[:60] for c in code if not c.get("outputs")] == []
    CHECKS[path.name](nb)
