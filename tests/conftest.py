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
