"""Shared fixtures and the one skip policy.

Every path a test needs is derived here (ROOT, SAMPLE, and the fixtures kept in
the repository: EXCEL_MADE, the workbooks Excel saved; VALIDATE, the OOXML checker
with its schemas; SEED_PLAN, the ward's plan). A test needing something outside the
repository (LibreOffice, Chromium, Xvfb, Debian's python3-uno) asks
``need_program`` / ``need_path`` / ``need_uno``: under CI (.ci/run sets CI=true and
installs everything) a missing one fails the test; elsewhere the test is skipped
with the reason. Nothing a test needs lives outside the checkout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
EXCEL_MADE = FIXTURES / "excel-made"            # saved by Microsoft Excel (XlsxWriter's references)
SEED_PLAN = FIXTURES / "seed" / "000_f40287878e4ffa28.txt"
OOXML = ROOT / "tests" / "ooxml"
VALIDATE = OOXML / "validate.py"                # ECMA-376 sml.xsd and Excel's ordering rules
OPC_XSD = OOXML / "xsd" / "opc-xsd"
TEMPLATES = ROOT / "templates"          # the default Word templates and the dashboard's page template
TOOLS = ROOT / "tools"                  # build-time tools (maketemplates.py), not in the package


def build_tool(name: str):
    """A build-time module from tools/ (it imports its neighbours there by name)."""
    import importlib
    import sys

    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module(name)


SAMPLE = ROOT / "workbooks" / "mau" / "doi-thoai-2024.xlsx"


def missing(what: str) -> NoReturn:
    """Fail under CI, skip elsewhere: ``what`` is not available on this machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not available: .ci/run must provide it")
    pytest.skip(f"{what} is not available here")


def need_program(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    missing(f"{name} (program)")


def need_path(path: Path, what: str | None = None) -> Path:
    if Path(path).exists():
        return Path(path)
    missing(what or str(path))


def have_uno() -> bool:
    """Debian's python3-uno, for the system Python that drives LibreOffice."""
    python = shutil.which("python3", path="/usr/bin")
    if not python:
        return False
    return subprocess.run([python, "-c", "import uno"], capture_output=True).returncode == 0


def need_uno() -> None:
    if not have_uno():
        missing("Debian's python3-uno")


# --- markers: the fast run (-m "not slow and not libreoffice and not chromium") starts no real program

# A program a test may start only when it carries one of these markers.
REAL_PROGRAMS = {"soffice": {"libreoffice"}, "libreoffice": {"libreoffice"}, "soffice.bin": {"libreoffice"},
                 "chromium": {"chromium"}, "chromium-browser": {"chromium"}, "google-chrome": {"chromium"},
                 "Xvfb": {"libreoffice", "chromium"}}
SLOW_SECONDS = 5.0        # an unmarked test slower than this is listed at the end of the run


def _program(args, shell: bool) -> str:
    first = args if isinstance(args, (str, bytes, os.PathLike)) else (list(args) or [""])[0]
    first = os.fsdecode(first)
    if shell:
        first = (first.split() or [""])[0]
    return Path(first).name


@pytest.fixture(autouse=True)
def _real_programs_need_their_marker(request, monkeypatch):
    """Fail a test that starts LibreOffice, Chromium or Xvfb from this process without the
    marker that keeps it out of the fast run. (A program started by a child process, e.g.
    `doithoai report --pdf` run by clirun, is not seen: mark those tests by hand.)"""
    started: list[str] = []
    real_init = subprocess.Popen.__init__

    def init(self, args, *a, **kw):
        name = _program(args, kw.get("shell", False))
        if name in REAL_PROGRAMS:
            started.append(name)
        real_init(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", init)
    yield
    marks = {m.name for m in request.node.iter_markers()}
    unmarked = sorted({name for name in started if not REAL_PROGRAMS[name] & marks})
    if unmarked:
        pytest.fail(f"{request.node.nodeid} starts {', '.join(unmarked)} but is not marked "
                    f"{' or '.join(sorted(set().union(*(REAL_PROGRAMS[n] for n in unmarked))))}")


def pytest_terminal_summary(terminalreporter):
    """Name every passed test slower than SLOW_SECONDS that is not marked slow, so the fast run stays fast."""
    slow = []
    for report in terminalreporter.stats.get("passed", []):
        if report.when == "call" and report.duration > SLOW_SECONDS and "slow" not in report.keywords:
            slow.append((report.duration, report.nodeid))
    if slow:
        terminalreporter.write_sep("-", f"tests slower than {SLOW_SECONDS:g} s not marked slow")
        for duration, nodeid in sorted(slow, reverse=True):
            terminalreporter.write_line(f"{duration:6.1f} s  {nodeid}")


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the committed sample workbook."""
    need_path(SAMPLE, "the committed sample workbook")
    target = tmp_path / "wb" / SAMPLE.name
    target.parent.mkdir()
    shutil.copy2(SAMPLE, target)
    return target


@pytest.fixture
def watched(sample_copy, tmp_path) -> tuple[Path, Path]:
    """The sample after a first pass (its journal holds the baseline and the toolkit's fills):
    (workbook, out folder)."""
    from toolkit.pipeline import passes
    from toolkit.starter import sample

    out = tmp_path / "out"
    passes.run(sample_copy, out_dir=out, today=sample.SAMPLE_TODAY)
    return sample_copy, out


@pytest.fixture
def excel_made_dir() -> Path:
    return EXCEL_MADE


def soffice_convert(src: Path, outdir: Path, fmt: str = "xlsx", timeout: int = 180) -> Path:
    """Convert with real headless LibreOffice, a private profile per call."""
    soffice = need_program("soffice")
    profile = Path("/tmp") / f"doithoai-lo-{uuid.uuid4().hex}"
    outdir.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", fmt, "--outdir", str(outdir), str(src)],
                       check=True, capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    out = outdir / (src.stem + "." + fmt.split(":")[0])
    assert out.exists(), f"LibreOffice made no {out}"
    return out
