"""Every module the package imports is declared in pyproject.toml, and nothing declared goes unused."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import ROOT


def _imported_top_modules() -> set[str]:
    found = set()
    for path in (ROOT / "toolkit").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "toolkit"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {_norm(re.split(r"[<>=!~ \[;]", d, maxsplit=1)[0]) for d in project["dependencies"]}


def test_every_import_of_the_package_is_a_declared_dependency():
    owners = packages_distributions()
    used = {_norm(owners[m][0]) for m in _imported_top_modules()}
    assert used <= _declared(), sorted(used - _declared())


def test_every_declared_dependency_is_imported():
    owners = packages_distributions()
    used = {_norm(owners[m][0]) for m in _imported_top_modules()}
    assert _declared() <= used, sorted(_declared() - used)
