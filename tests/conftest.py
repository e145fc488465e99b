"""Shared fixtures. Tests needing a real program (LibreOffice, Chromium) fail in
CI when it is missing (.ci/run installs it) and skip elsewhere with the reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXCEL_MADE = SHARED / "fixtures" / "excel-made"
SAMPLE = ROOT / "workbooks" / "mau" / "doi-thoai-2024.xlsx"


def need_program(name: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed: .ci/run must install it")
    pytest.skip(f"{name} is not installed here")


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the committed sample workbook."""
    if not SAMPLE.exists():
        pytest.skip("sample workbook not generated yet")
    target = tmp_path / "wb" / SAMPLE.name
    target.parent.mkdir()
    shutil.copy2(SAMPLE, target)
    return target


@pytest.fixture
def excel_made_dir() -> Path:
    if not EXCEL_MADE.is_dir():
        pytest.skip("shared/fixtures/excel-made not present")
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
