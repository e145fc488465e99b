"""Atomic writes (toolkit.xlsx.atomic): the target is either the old file or the new one,
never a mix; no temp file is left behind; permissions are those of a normal file."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time

import pytest

from conftest import ROOT
from toolkit.xlsx import atomic


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_replaces_the_content_and_leaves_no_temp_file(tmp_path):
    target = tmp_path / "tong-hop.xlsx"
    target.write_bytes(b"old")
    atomic.atomic_write(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert atomic.temp_files(tmp_path) == []
    atomic.atomic_write(target, "chữ Việt")
    assert target.read_text(encoding="utf-8") == "chữ Việt"


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_new_file_gets_normal_permissions_and_a_rewritten_one_keeps_its_own(tmp_path):
    new = atomic.atomic_write(tmp_path / "moi.txt", b"x")
    umask = os.umask(0)
    os.umask(umask)
    assert mode(new) == 0o666 & ~umask                    # not mkstemp's 0600
    kept = tmp_path / "so.xlsx"
    kept.write_bytes(b"x")
    os.chmod(kept, 0o640)
    atomic.atomic_write(kept, b"y")
    assert mode(kept) == 0o640


def test_a_failing_writer_leaves_the_old_file_and_no_temp(tmp_path):
    target = tmp_path / "bao-cao.docx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic.atomic_output(target) as temp:
            temp.write_bytes(b"half writ")
            raise RuntimeError("the writer failed")
    assert target.read_bytes() == b"old"
    assert atomic.temp_files(tmp_path) == []


def test_a_killed_writer_leaves_the_old_file_and_the_next_run_removes_its_temp(tmp_path):
    """A real process killed while its temp file is written: the target is untouched."""
    target = tmp_path / "so.xlsx"
    target.write_bytes(b"old")
    child = (
        "import sys, os, signal\n"
        "from pathlib import Path\n"
        "from toolkit.xlsx import atomic\n"
        "with atomic.atomic_output(Path(sys.argv[1])) as temp:\n"
        "    temp.write_bytes(b'half')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run([sys.executable, "-c", child, str(target)], env=dict(os.environ, PYTHONPATH=str(ROOT)),
                          capture_output=True)
    assert done.returncode != 0
    assert target.read_bytes() == b"old"
    left = atomic.temp_files(tmp_path)
    assert len(left) == 1
    assert atomic.cleanup_temp_files(tmp_path) == left       # its process is gone
    assert atomic.temp_files(tmp_path) == []


def test_cleanup_keeps_a_running_writers_temp_and_removes_a_stale_one_from_another_machine(tmp_path):
    mine = tmp_path / f"{atomic.TEMP_PREFIX}{atomic._host_tag()}-{os.getpid()}-abc{atomic.TEMP_SUFFIX}"
    mine.write_bytes(b"in progress")
    other_fresh = tmp_path / f"{atomic.TEMP_PREFIX}may-khac-123-def{atomic.TEMP_SUFFIX}"
    other_fresh.write_bytes(b"x")
    other_stale = tmp_path / f"{atomic.TEMP_PREFIX}may-khac-456-ghi{atomic.TEMP_SUFFIX}"
    other_stale.write_bytes(b"x")
    old = time.time() - atomic.STALE_TEMP_SECONDS - 60
    os.utime(other_stale, (old, old))
    assert atomic.cleanup_temp_files(tmp_path) == [other_stale]
    assert mine.exists() and other_fresh.exists()
