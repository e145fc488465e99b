"""The package's import graph has no cycles: every import, at module level or inside
a function, points from a module to one below it."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = "toolkit"


def module_name(path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / PACKAGE).rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_package else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    mod = ".".join(base + ([node.module] if node.module else []))
                else:
                    mod = node.module or ""
                targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
            for target in targets:
                if target in modules and target != name:
                    graph[name].add(target)
                elif target.startswith(PACKAGE + ".") and target.rsplit(".", 1)[0] in modules:
                    parent = target.rsplit(".", 1)[0]
                    if parent != name and parent != PACKAGE:
                        graph[name].add(parent)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
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
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_package_has_no_import_cycle():
    graph = import_graph()
    assert len(graph) > 30
    assert cycles(graph) == []


# The layers of the package, lowest first: a module imports only from its own layer or a lower one.
LAYERS = ["core", "xlsx", "rules", "starter", "journal", "outputs", "rollup", "pipeline", "watch", "cli"]


def layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:          # toolkit/__init__.py: lazy names only, checked below
        return len(LAYERS)
    name = parts[1] if parts[1] in LAYERS else "cli"     # top-level modules: the command line, on top
    return LAYERS.index(name)


def test_every_import_points_down_the_layers():
    upward = sorted(f"{a} -> {b}" for a, targets in import_graph().items() for b in targets
                    if b != PACKAGE and layer(b) > layer(a))
    assert upward == []


def test_every_module_is_in_a_layer():
    for module in import_graph():
        assert layer(module) <= len(LAYERS), module


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_public_api_resolves_and_runs(sample_copy):
    import subprocess
    import sys

    import toolkit

    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None, name
    result = toolkit.check(sample_copy)
    assert result.report is not None
    # importing the package alone loads none of its modules
    code = "import sys, toolkit; print(sorted(m for m in sys.modules if m.startswith('toolkit.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
