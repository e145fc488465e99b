"""README's two commands in either order, in a fresh clone: the quick start's watcher
works on a copy of the sample (workbooks/, ignored), so the checkout stays clean and
the sample tests still pass afterwards."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")]

README = (ROOT / "README.md").read_text(encoding="utf-8")


def git(*args, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout


def fresh_clone(tmp_path: Path) -> Path:
    """`git clone` of this checkout, with the working tree's current files on top
    (so uncommitted work is what is tested), committed in the clone."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    clone = tmp_path / "doithoai"
    git("clone", "-q", "--no-hardlinks", str(ROOT), str(clone), cwd=tmp_path)
    wanted = set(git("ls-files", "-co", "--exclude-standard", "-z", cwd=ROOT).split("\0")) - {""}
    wanted = {f for f in wanted if (ROOT / f).is_file()}
    for f in set(git("ls-files", "-z", cwd=clone).split("\0")) - {""} - wanted:
        (clone / f).unlink()
    for f in wanted:
        (clone / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / f, clone / f)
    git("add", "-A", cwd=clone)
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "working tree",
        cwd=clone)
    assert git("status", "--porcelain", cwd=clone) == ""
    return clone


def quick_start_watch_args() -> list[str]:
    """The doithoai part of README's quick start 1 (setup = venv + pip install -e ., already done here)."""
    block = re.search(r"## Bắt đầu nhanh.*?```bash\n(.+?)\n```", README, re.S).group(1)
    command = block.strip().split("&&")[-1].split()
    assert command[0].endswith("doithoai"), command
    return command[1:]


def run_quick_start(clone: Path) -> list[str]:
    """Start the watcher as README says, wait for its first pass, stop it (Ctrl+C)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(clone))
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", *quick_start_watch_args()], cwd=clone, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                            start_new_session=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(l.rstrip("\n") for l in proc.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 240
        while not any("index.html" in l for l in lines) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert any("index.html" in l for l in lines), "\n".join(lines)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 0, "\n".join(lines)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    reader.join(timeout=5)
    return lines


def sample_tests(clone: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(clone))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_sample.py", "tests/test_readme.py"],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=600)


def test_quick_start_then_tests_leaves_the_clone_clean(tmp_path):
    clone = fresh_clone(tmp_path)
    lines = run_quick_start(clone)
    text = "\n".join(lines)

    # It worked on a copy, and said so; the dashboard's full path was printed.
    copy = clone / "workbooks" / "doi-thoai-2024.xlsx"
    assert copy.is_file() and "đã chép sổ mẫu" in text
    index = (clone / "workbooks" / "ket-qua" / "doi-thoai-2024" / "index.html").resolve()
    assert index.is_file() and str(index) in text
    assert (clone / "workbooks" / "ket-qua" / "nhat-ky.log").is_file()
    assert copy.read_bytes() != (clone / "workbooks" / "mau" / "doi-thoai-2024.xlsx").read_bytes()   # written back

    assert git("status", "--porcelain", "--untracked-files=all", cwd=clone) == ""
    ran = sample_tests(clone)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert git("status", "--porcelain", "--untracked-files=all", cwd=clone) == ""


def test_tests_then_quick_start_twice(tmp_path):
    clone = fresh_clone(tmp_path)
    ran = sample_tests(clone)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    run_quick_start(clone)
    again = "\n".join(run_quick_start(clone))   # the second start keeps the copy staff have been working on
    assert "đã chép sổ mẫu" not in again
    assert git("status", "--porcelain", "--untracked-files=all", cwd=clone) == ""
