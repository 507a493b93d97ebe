"""The package's layers, checked on the source: no import cycle, no upward import, and files
written only through the atomic-write helper.

Every module of ``thidua_rank`` is parsed with :mod:`ast`; every import counts, also one inside
a function (a lazy import still ties the two modules together) and one under
``if TYPE_CHECKING:`` for the layer order (a type from a higher layer is still a dependency on
it). Type-only imports do not run, so they are left out of the cycle check.

Layer order (a module may import its own layer and the layers below it)::

    base (errors, text, _typing, fonts, resources, i18n) < engine < methods < meeting < io
    < {synth, charts} < {report, analysis, live} < ui < server < cli

Modules in braces are siblings that must not import each other (report may import charts,
which sits one layer lower anyway). ``thidua_rank/__init__.py`` is the public façade: it loads
its exports lazily by name and is not part of any layer.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "thidua_rank"

LAYERS: dict[str, int] = {
    **dict.fromkeys(("errors", "text", "_typing", "fonts", "resources", "i18n"), 0),
    "engine": 1, "methods": 2, "meeting": 3, "io": 4,
    "synth": 5, "charts": 5,
    "report": 6, "analysis": 6, "live": 6,
    "ui": 7, "server": 8, "cli": 9,
}
SIBLINGS = {5, 6}
"""Layers whose groups must not import each other."""

WRITERS = {"thidua_rank.io.atomic"}
"""The only modules that write bytes to files."""
WRITE_ALLOWED = {
    # The ballot box's own SQLite file (and its WAL/lock beside it) is written by SQLite,
    # not by Python file calls; nothing to allow today, listed here when one is needed.
}
WRITE_AREAS = ("thidua_rank.io.", "thidua_rank.report.", "thidua_rank.live.")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))
                            if "__pycache__" not in p.parts}


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    type_only: bool


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _walk(node: ast.AST, type_only: bool = False) -> Iterator[tuple[ast.AST, bool]]:
    """Every node under *node*, with whether it sits under ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        inner = type_only or (isinstance(child, ast.If) and _is_type_checking(child))
        if isinstance(child, ast.If) and _is_type_checking(child):
            for stmt in child.body:
                yield stmt, True
                yield from _walk(stmt, True)
            for stmt in child.orelse:
                yield stmt, type_only
                yield from _walk(stmt, type_only)
            continue
        yield child, inner
        yield from _walk(child, inner)


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else \
        module.split(".")[:-1]
    base = package[: len(package) - node.level + 1]
    return ".".join([*base, *([node.module] if node.module else [])])


def _internal(name: str) -> str | None:
    """The module of the package that *name* refers to (longest known prefix)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in MODULES:
            return candidate
        parts.pop()
    return None


def imports(module: str) -> list[Import]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out: list[Import] = []
    for node, type_only in _walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, node)
            # ``from pkg import sub`` imports the submodule when there is one
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base
                     for a in node.names]
        for name in names:
            target = _internal(name) if name.startswith("thidua_rank") else None
            if target is not None and target != module and target != "thidua_rank":
                out.append(Import(module, target, node.lineno, type_only))  # type: ignore[attr-defined]
    return out


ALL_IMPORTS = [imp for module in MODULES for imp in imports(module)]


def group(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def layer(module: str) -> int | None:
    key = group(module)
    return None if key is None else LAYERS.get(key)


def _where(imp: Import) -> str:
    return f"{MODULES[imp.source].relative_to(ROOT.parent)}:{imp.line}"


def test_every_module_has_a_layer() -> None:
    assert len(MODULES) > 50
    assert [m for m in MODULES if m != "thidua_rank" and layer(m) is None] == []


def test_imports_are_found_also_inside_functions() -> None:
    found = {(i.source, i.target) for i in ALL_IMPORTS}
    # the template writer imports the dispatcher at module level; the CLI imports lazily
    assert ("thidua_rank.io.template", "thidua_rank.io.load") in found
    assert ("thidua_rank.cli.engine", "thidua_rank.io.load") in found
    assert ("thidua_rank.synth", "thidua_rank.io.template") in found


def _cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in ALL_IMPORTS:
        if not imp.type_only:
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles() -> None:
    assert _cycles() == []


def layer_violations(found: list[Import]) -> list[str]:
    """The imports of *found* that go up the layer order or across siblings."""
    bad = []
    for imp in found:
        lo, hi = layer(imp.source), layer(imp.target)
        if lo is None or hi is None:
            continue
        if hi > lo or (hi == lo and lo in SIBLINGS and group(imp.source) != group(imp.target)):
            bad.append(f"{_where(imp)}: {imp.source} imports {imp.target}")
    return bad


def test_the_layer_rule() -> None:
    def imp(source: str, target: str) -> Import:
        return Import(source, target, 1, False)

    assert layer_violations([
        imp("thidua_rank.engine.result", "thidua_rank.errors"),  # down: fine
        imp("thidua_rank.report.docx", "thidua_rank.charts"),  # down one layer: fine
        imp("thidua_rank.io.folder", "thidua_rank.io.tables"),  # same group: fine
        imp("thidua_rank.errors", "thidua_rank.text"),  # base modules share a layer
        imp("thidua_rank.engine.scores", "thidua_rank.methods.criteria"),  # up
        imp("thidua_rank.charts.results", "thidua_rank.synth"),  # siblings
        imp("thidua_rank.live.slips", "thidua_rank.report.docx"),  # siblings
        imp("thidua_rank.ui.base", "thidua_rank.server.voila"),  # up
    ]) == [
        "thidua_rank/engine/scores.py:1: thidua_rank.engine.scores imports "
        "thidua_rank.methods.criteria",
        "thidua_rank/charts/results.py:1: thidua_rank.charts.results imports thidua_rank.synth",
        "thidua_rank/live/slips.py:1: thidua_rank.live.slips imports thidua_rank.report.docx",
        "thidua_rank/ui/base.py:1: thidua_rank.ui.base imports thidua_rank.server.voila",
    ]


def test_no_upward_or_sibling_imports() -> None:
    assert layer_violations(ALL_IMPORTS) == []


# ---------------------------------------------------------------------- file writes
_WRITE_METHODS = {"write_text", "write_bytes"}
_WRITE_FUNCS = {("os", "replace"), ("os", "rename"), ("tempfile", "mkstemp"),
                ("shutil", "copy"), ("shutil", "copy2"), ("shutil", "copyfile"),
                ("shutil", "copytree"), ("shutil", "move")}


def _write_mode(call: ast.Call, position: int) -> bool:
    mode: ast.expr | None = call.args[position] if len(call.args) > position else None
    for kw in call.keywords:
        if kw.arg == "mode":
            mode = kw.value
    return isinstance(mode, ast.Constant) and isinstance(mode.value, str) and any(
        c in mode.value for c in "wax+")


def file_writes(module: str) -> list[str]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        what = None
        if isinstance(func, ast.Name) and func.id == "open" and _write_mode(node, 1):
            what = "open(..., write mode)"
        elif isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            if func.attr in _WRITE_METHODS:
                what = f".{func.attr}()"
            elif func.attr == "open" and owner not in ("os", "io") and _write_mode(node, 0):
                what = ".open(write mode)"
            elif func.attr == "fdopen" and owner == "os" and _write_mode(node, 1):
                what = "os.fdopen(..., write mode)"
            elif (owner, func.attr) in _WRITE_FUNCS or (owner == "shutil"
                                                        and func.attr.startswith("copy")):
                what = f"{owner}.{func.attr}()"
        if what is not None and (module, what) not in WRITE_ALLOWED:
            out.append(f"{MODULES[module].relative_to(ROOT.parent)}:{node.lineno}: {what}")
    return out


def test_the_write_scanner_sees_writes() -> None:
    found = sorted(w.split(": ", 1)[1] for w in file_writes("thidua_rank.io.atomic"))
    assert found == ["os.fdopen(..., write mode)", "os.replace()", "os.replace()",
                     "tempfile.mkstemp()"]
    assert all(w.startswith("thidua_rank/io/atomic.py:") for w in
               file_writes("thidua_rank.io.atomic"))


def test_files_are_written_only_in_io_report_and_live() -> None:
    bad = [w for m in MODULES if not m.startswith(WRITE_AREAS) for w in file_writes(m)]
    assert bad == []


@pytest.mark.parametrize("area", ["io", "report", "live"])
def test_only_the_atomic_helper_writes_bytes(area: str) -> None:
    bad = [w for m in MODULES if m.startswith(f"thidua_rank.{area}.") and m not in WRITERS
           for w in file_writes(m)]
    assert bad == []
