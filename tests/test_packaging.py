"""A wheel (plain ``pip install .``, not the editable install) carries the Word
templates and the dashboard template, and the installed package finds them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def _run(args, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, encoding="utf-8", timeout=300, **kw)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The package built as a wheel from a copy of the sources and installed into a folder."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "toolkit", src / "toolkit", ignore=ignore)
    shutil.copytree(ROOT / "templates", src / "templates", ignore=ignore)
    dist = base / "dist"
    dist.mkdir()
    # Built in-process with the test environment's setuptools (no download needed).
    built = _run([sys.executable, "-c", "import sys; from setuptools import build_meta as b; "
                  "print(b.build_wheel(sys.argv[1]))", str(dist)], cwd=src)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = dist / built.stdout.strip().splitlines()[-1]
    target = base / "site"
    done = _run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", str(target),
                 str(wheel)])
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def _env(site: Path) -> dict:
    # The installed copy comes first on the path, ahead of the editable checkout.
    return dict(os.environ, PYTHONPATH=str(site))


def test_wheel_finds_its_own_templates(installed):
    got = _run([sys.executable, "-c", "from toolkit.outputs import documents, render; "
                "print(documents.TEMPLATE_DIR); print(render.TEMPLATES_DIR); print(documents.__file__)"],
               env=_env(installed), cwd=installed.parent)
    assert got.returncode == 0, got.stderr
    template_dir, render_dir, module = got.stdout.splitlines()
    assert Path(module).is_relative_to(installed)
    assert Path(template_dir) == Path(render_dir) == installed / "toolkit" / "templates"
    assert sorted(p.name for p in Path(template_dir).iterdir()) == sorted(
        p.name for p in (ROOT / "templates").iterdir())            # every .docx and the dashboard's .j2


def test_every_subpackage_is_in_the_wheel(installed):
    # pyproject.toml names the packages one by one (templates/ is mapped in): none may be forgotten
    here = sorted(str(p.relative_to(ROOT).parent) for p in (ROOT / "toolkit").rglob("__init__.py"))
    there = sorted(str(p.relative_to(installed).parent) for p in (installed / "toolkit").rglob("__init__.py"))
    assert there == here


def test_installed_wheel_makes_documents_and_dashboard(installed, sample_copy, tmp_path):
    out = tmp_path / "ket-qua"
    got = _run([sys.executable, "-m", "toolkit", "run", str(sample_copy), "--out", str(out)],
               env=_env(installed), cwd=tmp_path)
    assert got.returncode in (0, 1), got.stdout + got.stderr
    assert "Traceback" not in got.stderr
    assert "<svg" in (out / "index.html").read_text(encoding="utf-8")   # the dashboard, from its .j2 template
    assert any(out.rglob("bao-cao-ket-qua-*.docx")), sorted(p.name for p in out.rglob("*"))


def test_installed_wheel_rolls_up_a_province_with_its_dashboard(installed, tmp_path):
    assert (installed / "toolkit" / "templates" / "tong-hop-tinh.html.j2").is_file()
    assert (installed / "toolkit" / "templates" / "bao-cao-tong-hop-tinh.docx").is_file()
    folder = tmp_path / "tinh"
    made = _run([sys.executable, "-m", "toolkit", "init", "--sample-province", str(folder), "3"], env=_env(installed))
    assert made.returncode == 0, made.stderr[-2000:]
    done = _run([sys.executable, "-m", "toolkit", "rollup", str(folder)], env=_env(installed), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "<svg" in (folder / "tong-hop-cap-tren" / "index.html").read_text(encoding="utf-8")
    assert (folder / "tong-hop-cap-tren" / "bao-cao-tong-hop.docx").is_file()
