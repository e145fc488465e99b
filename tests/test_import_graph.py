"""The package's import graph has no cycles: every import, at module level or inside
a function, points from a module to one below it."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = "toolkit"


def module_name(path, root=ROOT) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root=ROOT) -> dict[str, set[str]]:
    """Module -> the package modules it imports, for the package under ``root``."""
    modules = {module_name(p, root): p for p in (root / PACKAGE).rglob("*.py")}
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
# The modules directly in toolkit/ (cli.py, vietnamese_click.py, __main__.py) are the command line, on top.
# A new subpackage must be added here (and to docs/DEVELOPING.md's list), or the test below fails.
LAYERS = ["core", "xlsx", "rules", "starter", "journal", "outputs", "rollup", "pipeline", "watch", "cli"]


class UnknownLayer(LookupError):
    """A module in a subpackage this test does not place in a layer."""


def layer(module: str, root=ROOT) -> int:
    parts = module.split(".")
    if len(parts) == 1:          # toolkit/__init__.py: lazy names only, checked below
        return len(LAYERS)
    if parts[1] in LAYERS:
        return LAYERS.index(parts[1])
    if len(parts) == 2 and not (root / PACKAGE / parts[1]).is_dir():
        return LAYERS.index("cli")     # a module directly in toolkit/: the command line
    raise UnknownLayer(f"{module}: toolkit/{parts[1]}/ is in no layer; add it to LAYERS in tests/test_import_graph.py")


def layer_problems(root=ROOT) -> list[str]:
    """Every import that points up the layers, and every module in a subpackage no layer names."""
    graph = import_graph(root)
    problems = []
    for module in sorted(graph):
        try:
            layer(module, root)
        except UnknownLayer as e:
            problems.append(str(e))
    if problems:
        return problems
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets
                  if b != PACKAGE and layer(b, root) > layer(a, root))


def test_every_import_points_down_the_layers():
    assert layer_problems() == []


def test_every_module_is_in_a_layer():
    for module in import_graph():
        assert layer(module) <= len(LAYERS), module


def test_a_file_in_a_subpackage_no_layer_names_fails_the_check(tmp_path):
    import shutil

    shutil.copytree(ROOT / PACKAGE, tmp_path / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    assert layer_problems(tmp_path) == []
    (tmp_path / PACKAGE / "newpkg").mkdir()
    (tmp_path / PACKAGE / "newpkg" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / PACKAGE / "newpkg" / "x.py").write_text("from toolkit.core import schema\n", encoding="utf-8")
    exp = ["toolkit.newpkg: toolkit/newpkg/ is in no layer; add it to LAYERS in tests/test_import_graph.py",
           "toolkit.newpkg.x: toolkit/newpkg/ is in no layer; add it to LAYERS in tests/test_import_graph.py"]
    assert layer_problems(tmp_path) == exp


def test_an_upward_import_fails_the_check(tmp_path):
    import shutil

    shutil.copytree(ROOT / PACKAGE, tmp_path / PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / PACKAGE / "core" / "upward.py").write_text("from toolkit.pipeline import passes\n",
                                                           encoding="utf-8")
    exp = ["toolkit.core.upward -> toolkit.pipeline", "toolkit.core.upward -> toolkit.pipeline.passes"]
    assert layer_problems(tmp_path) == exp


def test_developing_md_names_the_layers_in_this_order():
    import re

    text = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")
    line = text.split("<!-- layers:start -->", 1)[1].split("<!-- layers:end -->", 1)[0]
    assert re.findall(r"`(\w+)`", line) == LAYERS
    # every subpackage on disk is a layer (a new one must be added to both)
    subpackages = {p.parent.name for p in (ROOT / PACKAGE).glob("*/__init__.py")}
    assert subpackages <= set(LAYERS), subpackages - set(LAYERS)


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
