"""Every analyst notebook runs top to bottom, and its outputs show what the package computes.

Each notebook is executed with nbclient in its own folder. Every code cell must produce an
output and none may be an error; then the figures a reader sees are checked against the same
figures computed here, directly from the package.
"""

from __future__ import annotations

import ast
import base64
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


def _png(nb: nbformat.NotebookNode, code: str) -> bytes:
    """The PNG image stored below the one code cell whose source contains *code*."""
    cells = [c for c in nb.cells if c.cell_type == "code" and code in c.source]
    assert len(cells) == 1, code
    images = [o["data"]["image/png"] for o in cells[0].get("outputs", [])
              if "image/png" in o.get("data", {})]
    assert len(images) == 1, code
    return base64.b64decode(images[0])


def _shows_chart(nb: nbformat.NotebookNode, code: str, chart: object, fresh: bool) -> None:
    """The notebook shows the package's chart as a PNG rendered offline (no CDN renderer):
    when just executed here, byte for byte the PNG the package renders now (stored outputs
    were rendered elsewhere, with possibly other fonts, so only their format is checked)."""
    from thidua_rank.charts import chart_png

    png = _png(nb, code)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    if fresh:
        assert png == chart_png(chart, scale=1.5)  # type: ignore[arg-type]


def _no_cdn(nb: nbformat.NotebookNode) -> None:
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not any("application/vnd.vegalite" in mime for o in outputs
                   for mime in o.get("data", {}))
    assert "cdn.jsdelivr" not in nbformat.writes(nb)


def _sample(name: str) -> tr.Meeting:
    return tr.load_meeting(ROOT / "sample_data" / name)


def _check_quick_start(nb: nbformat.NotebookNode, fresh: bool) -> None:
    from thidua_rank.charts import result_chart
    from thidua_rank.report.minutes import counting_minutes

    meeting = _sample("ninh-binh-co-quan-dang-2022")
    outcome = tr.run_meeting(meeting)
    assert (f"{len(meeting.units)} đơn vị, {len(meeting.members)} thành viên, "
            f"phương pháp xếp hạng: {meeting.config.ranking.method}") in _cell(nb, "load_meeting")
    shown = _cell(nb, "outcome.ranking.table")
    assert f"shape: ({len(meeting.units)}, 4)" in shown
    assert outcome.ranking.table["unit"][0][:20] in shown  # polars shortens long cells
    awards = [x for x in _cell(nb, "for award in outcome.awards:").splitlines() if x]
    assert awards == [f"{a.tier.label}: {', '.join(u.unit for u in a.units)}"
                      for a in outcome.awards]
    winner = outcome.ranking.winners[0]
    assert outcome.ranking.explanations[winner]["vi"][:20] in _cell(nb, 'explain("vi")')
    awarded = {u.unit for a in outcome.awards for u in a.units}
    _shows_chart(nb, "chart_image(result_chart", result_chart(
        outcome.ranking, title="Điểm Borda — Borda points", awarded=awarded), fresh)
    headings = [b.text for b in counting_minutes(outcome) if b.kind == "heading"]
    assert ast.literal_eval(_cell(nb, "counting_minutes(outcome)").strip()) == headings


def _check_compare_and_awards(nb: nbformat.NotebookNode, fresh: bool) -> None:
    from thidua_rank.analysis import agreement, awards_by_method, compare, condorcet
    from thidua_rank.charts import bump_chart, pairwise_chart

    meeting = _sample("ninh-binh-co-quan-dang-2022")
    ballots = meeting.ballots[meeting.config.ranking.vote_round]
    assert f"{ballots.n_ballots} phiếu, {ballots.n_units} đơn vị" in _cell(nb, "n_ballots")
    table = compare(ballots)
    shown = _cell(nb, "methods_table = compare(ballots)")
    assert f"shape: {table.shape}" in shown
    assert all(f"<th>{column}</th>" in shown for column in table.columns[:3])
    rho = agreement(table, statistic="spearman")
    assert f"shape: {rho.shape}" in _cell(nb, 'statistic="spearman"')
    result = condorcet(ballots)
    shown = _cell(nb, "result = condorcet(ballots)")
    assert f"Thắng Condorcet — Condorcet winner: {result.winner}" in shown
    assert f"Thua Condorcet — Condorcet loser: {result.loser}" in shown
    assert f"shape: {result.evidence(str(result.winner)).shape}" in shown
    _shows_chart(nb, "chart_image(pairwise_chart(ballots))", pairwise_chart(ballots), fresh)
    awards = awards_by_method(meeting)
    changed = awards.filter(awards["changed"])
    shown = _cell(nb, "awards = awards_by_method(meeting)")
    assert f"Số lần đổi danh hiệu — tier changes: {changed.height}" in shown
    assert f"shape: {changed.shape}" in shown
    assert all(unit[:20] in shown for unit in changed["unit"])
    _shows_chart(nb, "chart_image(bump_chart(awards))", bump_chart(awards), fresh)
    lines = []
    for folder in sorted((ROOT / "sample_data").iterdir()):
        sample = tr.load_meeting(folder)
        if sample.config.ranking.combine == "score":
            lines.append(f"{folder.name}: xếp hạng theo điểm — ranked by score")
            continue
        t = awards_by_method(sample)
        lines.append(f"{folder.name}: {t['method'].n_unique()} phương pháp — methods, "
                     f"{t['changed'].sum()} lần đổi danh hiệu — tier changes")
    assert [x for x in _cell(nb, "for folder in sorted").splitlines() if x] == lines


def _check_robustness(nb: nbformat.NotebookNode, fresh: bool) -> None:
    from thidua_rank.analysis import (
        bootstrap,
        cutoff_margins,
        leave_one_out,
        weight_perturbation,
    )
    from thidua_rank.charts import bootstrap_chart, cutoff_margin_chart, rank_probability_chart
    from thidua_rank.text import format_percent

    meeting = _sample("ninh-binh-co-quan-dang-2022")
    ballots = meeting.ballots[meeting.config.ranking.vote_round]
    assert _cell(nb, "tier_labels = {").splitlines()[:len(meeting.config.tiers)] == [
        f"{t.id}: {t.label}" for t in meeting.config.tiers]
    stability = bootstrap(ballots, "borda", samples=300, seed=2022, top=3)
    shown = _cell(nb, "stability = bootstrap(")
    assert f"shape: {stability.shape}" in shown and "p_first" in shown
    _shows_chart(nb, "chart_image(bootstrap_chart", bootstrap_chart(
        stability, title="Lấy mẫu lại phiếu — Bootstrap"), fresh)
    critical = leave_one_out(ballots, "borda")
    assert (f"Số phiếu mà nếu bỏ đi sẽ đổi đơn vị đứng đầu — critical ballots: {critical.height}"
            in _cell(nb, "critical = leave_one_out"))
    score_meeting = _sample("gia-lai-so-nganh-tong-hop-2023")
    perturbation = weight_perturbation(score_meeting, samples=100_000, concentration=200,
                                       seed=2023)
    first = perturbation.row(0, named=True)
    shown = _cell(nb, "perturbation = weight_perturbation(")
    assert (f"{first['unit']} giữ hạng 1 — keeps first place: {format_percent(first['p_same'])}"
            in shown)
    assert f"shape: ({perturbation.height}, 6)" in shown
    _shows_chart(nb, "chart_image(rank_probability_chart(perturbation))",
                 rank_probability_chart(perturbation), fresh)
    margins = cutoff_margins(meeting)
    shown = _cell(nb, "margins = cutoff_margins(meeting)")
    assert f"shape: ({margins.height}, 7)" in shown
    labels = {t.id: t.label for t in meeting.config.tiers}
    _shows_chart(nb, "chart_image(cutoff_margin_chart(margins",
                 cutoff_margin_chart(margins, tier_labels=labels), fresh)
    score_margins = cutoff_margins(score_meeting)
    assert _cell(nb, "for row in score_margins").splitlines()[:score_margins.height] == [
        f"{r['unit']} ({r['tier']}, {r['direction']}): {r['edit_vi']}"
        for r in score_margins.iter_rows(named=True)]
    _shows_chart(nb, "score_margins, tier_labels", cutoff_margin_chart(
        score_margins, tier_labels={t.id: t.label for t in score_meeting.config.tiers}), fresh)


def _check_voting_blocs(nb: nbformat.NotebookNode, fresh: bool) -> None:
    from thidua_rank.analysis import blocs
    from thidua_rank.charts import bloc_chart
    from thidua_rank.synth import bloc_ballots

    made = bloc_ballots(12, voters=24, bloc=3, noise=0.3, seed=2024)
    shown = _cell(nb, "made = bloc_ballots(")
    assert "24 phiếu, 12 đơn vị — ballots, units" in shown
    assert f"Nhóm cài sẵn — planted bloc: {', '.join(made.bloc)}" in shown
    named = blocs(made.ballots, seed=1)
    assert f"shape: ({named.height}, 6)" in _cell(nb, "named = blocs(made.ballots")
    best = named.row(0, named=True)
    assert best["group"] == list(made.bloc) and best["significant"]
    assert _cell(nb, "best = named.row(0").splitlines()[:4] == [
        f"Nhóm mạnh nhất — strongest group: {', '.join(made.bloc)}",
        f"p = {best['p_value']:.3f}; có ý nghĩa — significant: True",
        "Đúng nhóm cài sẵn — is the planted bloc: True",
        f"Phiếu mang dấu hiệu — ballots carrying it: {', '.join(best['ballots'])}"]
    secret = blocs(made.secret, seed=1)
    assert secret.row(0, named=True)["group"] == list(made.bloc)
    shown = _cell(nb, "secret = blocs(made.secret")
    assert f"shape: ({secret.height}, 6)" in shown and made.bloc[0][:20] in shown
    _shows_chart(nb, "chart_image(bloc_chart(made.secret, secret))",
                 bloc_chart(made.secret, secret), fresh)
    plain = bloc_ballots(12, voters=24, noise=0.3, seed=2025)
    quiet = {"named": blocs(plain.ballots, seed=1), "secret": blocs(plain.secret, seed=1)}
    assert not any(t["significant"].any() for t in quiet.values())
    assert _cell(nb, "plain = bloc_ballots(").splitlines()[:2] == [
        f"{mode}: nhóm có ý nghĩa — significant groups: 0, "
        f"p nhỏ nhất — smallest p: {t['p_value'].min():.3f}" for mode, t in quiet.items()]
    _shows_chart(nb, 'bloc_chart(plain.ballots, quiet["named"], lang="en")',
                 bloc_chart(plain.ballots, quiet["named"], lang="en"), fresh)


def _check_report_charts(nb: nbformat.NotebookNode, fresh: bool) -> None:
    from thidua_rank.analysis import awards_by_method, voter_analysis
    from thidua_rank.charts import bump_chart, distance_chart

    meeting = _sample("ninh-binh-co-quan-dang-2022")
    ballots = meeting.ballots[meeting.config.ranking.vote_round]
    distances = voter_analysis(ballots)
    assert (f"Phiếu khác thường — outlier ballots: {distances['outlier'].sum()} / "
            f"{distances.height}") in _cell(nb, "distances = voter_analysis(ballots)")
    _shows_chart(nb, "chart_image(distance_chart(distances))", distance_chart(distances), fresh)
    awards = awards_by_method(meeting, ["borda", "schulze", "dowdall", "plurality"])
    _shows_chart(nb, 'bump_chart(awards, lang="en"', bump_chart(
        awards, lang="en", title="Places by method — Ninh Bình 2022"), fresh)
    magic = {"png": "b'\\x89PNG'", "svg": "b'<svg'", "pdf": "b'%PDF'"}
    assert _cell(nb, "save_chart(chart").splitlines()[:9] == [
        f"{name}.{ext}: {magic[ext]}"
        for name in ("hieu-so-cap", "hang-theo-phuong-phap", "khoang-cach-phieu")
        for ext in ("png", "svg", "pdf")]
    from thidua_rank.charts import criteria_chart, election_chart, outcome_chart, report_charts
    from thidua_rank.meeting.elections import elections

    outcome = tr.run_meeting(meeting)
    _head, deputies = elections(outcome)
    info = meeting.config.meeting
    _shows_chart(nb, "chart_image(outcome_chart(outcome))", outcome_chart(outcome), fresh)
    _shows_chart(nb, "chart_image(election_chart(deputies", election_chart(
        deputies, bloc=info.bloc, year=info.year_reviewed), fresh)
    _shows_chart(nb, "chart_image(criteria_chart(outcome))", criteria_chart(outcome), fresh)
    assert [x for x in _cell(nb, "in report_charts(outcome).items()").splitlines() if x] == [
        f"{stem}.pdf: b'%PDF'" for stem in report_charts(outcome)]


CHECKS: dict[str, Callable[[nbformat.NotebookNode, bool], None]] = {
    "01-quick-start.ipynb": _check_quick_start,
    "02-compare-methods-and-awards.ipynb": _check_compare_and_awards,
    "03-robustness.ipynb": _check_robustness,
    "04-voting-blocs.ipynb": _check_voting_blocs,
    "05-charts-for-a-report.ipynb": _check_report_charts,
}


def test_every_notebook_has_its_checks() -> None:
    assert NOTEBOOKS and sorted(p.name for p in NOTEBOOKS) == sorted(CHECKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_stored_outputs_show_the_package_figures(path: Path) -> None:
    """What a reader sees on a file viewer (the outputs saved in the repository) is current."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.source[:60] for c in code if not c.get("outputs")] == []
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    _no_cdn(nb)
    CHECKS[path.name](nb, False)


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
    _no_cdn(nb)
    CHECKS[path.name](nb, True)
