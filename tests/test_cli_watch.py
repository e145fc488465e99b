"""`python -m toolkit watch` as staff start it: a real subprocess, a real pass, SIGTERM to stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from test_watch_real import excel_save, sample_into, wait_until, with_new_petition

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")]

LINE_TIME = re.compile(r"^\d\d:\d\d:\d\d \d\d/\d\d/\d{4} ")


class Watcher:
    """`python -m toolkit watch ...` in its own session; output collected by reader threads."""

    def __init__(self, *args: str, cwd: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen([sys.executable, "-m", "toolkit", "watch", *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     encoding="utf-8", errors="replace", start_new_session=True)
        self.out: list[str] = []
        self.err: list[str] = []
        self.readers = [threading.Thread(target=self._read, args=(s, b), daemon=True)
                        for s, b in ((self.proc.stdout, self.out), (self.proc.stderr, self.err))]
        for t in self.readers:
            t.start()

    @staticmethod
    def _read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line.rstrip("\n"))

    def stop(self, timeout: float = 90) -> int:
        """SIGTERM, then wait for a clean exit; returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        rc = self.proc.wait(timeout=timeout)
        for t in self.readers:
            t.join(timeout=5)
        return rc

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


@pytest.fixture
def watcher_proc():
    started: list[Watcher] = []

    def start(*args: str, cwd: Path) -> Watcher:
        w = Watcher(*args, cwd=cwd)
        started.append(w)
        return w

    yield start
    for w in started:  # never leave a watcher running, whatever the test did
        w.kill()


def pass_lines(log_file: Path, name: str) -> list[str]:
    if not log_file.exists():
        return []
    return [line for line in log_file.read_text(encoding="utf-8").splitlines() if f" {name}: " in line]


def test_watch_runs_a_pass_per_save_logs_it_and_stops_cleanly_on_sigterm(tmp_path, watcher_proc):
    book = sample_into(tmp_path / "so")
    log_file = book.parent / "ket-qua" / "nhat-ky.log"
    w = watcher_proc(str(book.parent), "--debounce-ms", "200", cwd=tmp_path)

    assert wait_until(lambda: any("Đang theo dõi" in line for line in w.out), 60), (w.out, w.err)
    start = next(line for line in w.out if "Đang theo dõi" in line)
    assert LINE_TIME.match(start) and "Ctrl+C" in start, start
    assert wait_until(lambda: len(pass_lines(log_file, book.name)) == 1, 90), (w.out, w.err)
    assert (book.parent / "ket-qua" / book.stem / "index.html").exists()
    assert "Đã ghi kết quả vào sổ" in pass_lines(log_file, book.name)[0]

    excel_save(book, with_new_petition(book))  # staff save once
    assert wait_until(lambda: len(pass_lines(log_file, book.name)) == 2, 90), (w.out, w.err)

    rc = w.stop()
    assert rc == 0, (rc, w.out, w.err)
    assert w.out[-1].endswith("Đã dừng theo dõi."), w.out
    assert not any("Traceback" in line for line in w.out + w.err), w.err
    lines = pass_lines(log_file, book.name)
    assert len(lines) == 2, lines  # one line per pass: the start and the one save
    assert all(LINE_TIME.match(line) for line in lines), lines
    assert "81 kiến nghị" in lines[1], lines[1]
    # The console shows the same lines as the log file.
    assert [line for line in w.out if f" {book.name}: " in line] == lines


def test_sigterm_during_a_pass_lets_it_finish_and_logs_it(tmp_path, watcher_proc):
    import openpyxl

    book = sample_into(tmp_path / "so")
    log_file = book.parent / "ket-qua" / "nhat-ky.log"
    w = watcher_proc(str(book.parent), "--debounce-ms", "200", cwd=tmp_path)
    assert wait_until(lambda: any("Đang theo dõi" in line for line in w.out), 60), (w.out, w.err)

    # The write-back keeps a backup in sao-luu/ before it writes: the pass is under way.
    assert wait_until(lambda: (book.parent / "sao-luu").exists(), 60, every=0.05), (w.out, w.err)
    rc = w.stop()
    assert rc == 0, (rc, w.out, w.err)
    assert w.out[-1].endswith("Đã dừng theo dõi."), w.out
    assert not any("Traceback" in line for line in w.out + w.err), w.err
    # The pass was not cut off: its line is logged and the workbook is whole and written.
    assert len(pass_lines(log_file, book.name)) == 1, w.out
    assert "Đã ghi kết quả vào sổ" in pass_lines(log_file, book.name)[0]
    openpyxl.load_workbook(book, read_only=True).close()


@pytest.mark.parametrize("arg", ["khong-co-thu-muc", "khong-co/so.xlsx"])
def test_watch_missing_folder_exits_2_with_a_vietnamese_message(tmp_path, watcher_proc, arg):
    w = watcher_proc(arg, cwd=tmp_path)
    rc = w.proc.wait(timeout=60)
    for t in w.readers:
        t.join(timeout=5)
    err = "\n".join(w.err)
    assert rc == 2, (rc, w.out, w.err)
    assert "Không tìm thấy thư mục" in err and "kiểm tra lại đường dẫn" in err, err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == [], "a mistyped path must not create folders"
