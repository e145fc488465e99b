"""The watcher: scheduling state machine (fake clock) and real-folder runs."""

from __future__ import annotations

import hashlib
import io
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from toolkit.watch.watcher import (
    PassOutcome,
    Scheduler,
    install_signal_handlers,
    is_workbook_name,
    make_logger,
    watch,
)
from toolkit.xlsx.locks import lock_owner_of, lock_paths


# --------------------------------------------------------------------------
# Helpers (also used by test_watching_libreoffice.py)
# --------------------------------------------------------------------------

SHEET = "Kiến nghị"


def make_workbook_bytes(rows: list[str]) -> bytes:
    """A small workbook: sheet 'Kiến nghị' with a header and one row per item."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["STT", "Người kiến nghị", "Nội dung"])
    for i, who in enumerate(rows, 1):
        ws.append([i, who, f"Kiến nghị số {i}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def count_rows(data: bytes) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        return sum(1 for r in wb[SHEET].iter_rows(min_row=2, values_only=True) if any(r))
    finally:
        wb.close()


@dataclass
class Call:
    path: Path
    reason_rows: int | None = None  # data rows of 'Kiến nghị' the pass saw
    locked: bool = False  # a lock/owner file existed when the pass ran
    error: str | None = None
    wrote: bool = False


class Recorder:
    """An injected pass: reads the workbook, notes what it saw, may write back."""

    def __init__(self, *, write_back: bool = False, fail_first: bool = False) -> None:
        self.calls: list[Call] = []
        self.log_lines: list[str] = []
        self.done = 0
        self.cond = threading.Condition()
        self.write_back = write_back
        self.fail_first = fail_first

    def log(self, line: str) -> None:
        with self.cond:
            self.log_lines.append(line)
            self.cond.notify_all()

    def __call__(self, path: Path) -> PassOutcome:
        call = Call(path, locked=any(p.exists() for p in lock_paths(path)))
        try:
            if self.fail_first and not self.calls:
                call.error = "RuntimeError"
                raise RuntimeError("hỏng giả lập")
            data = path.read_bytes()
            try:
                call.reason_rows = count_rows(data)
            except Exception as exc:
                call.error = repr(exc)
                raise
            digest = hashlib.sha256(data).hexdigest()
            if self.write_back and not call.locked:
                import openpyxl

                wb = openpyxl.load_workbook(io.BytesIO(data))
                wb[SHEET]["E1"] = "Phòng ban"
                tmp = path.with_name(path.name + ".tmp")
                wb.save(tmp)
                os.replace(tmp, path)
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                call.wrote = True
            return PassOutcome(written=call.wrote, waiting_for_lock=call.locked,
                               sha256_after=digest, line=f"Sổ {path.name}: {call.reason_rows} kiến nghị.")
        finally:
            with self.cond:  # a call is recorded once it has finished
                self.calls.append(call)
                self.done += 1
                self.cond.notify_all()

    def wait_for(self, pred, timeout: float = 20.0) -> bool:
        with self.cond:
            return self.cond.wait_for(lambda: pred(self.calls), timeout=timeout)


@contextmanager
def run_watcher(path: Path, rec: Recorder, **kw):
    """Run watch() on a thread with short timings; stop it (and check) on exit."""
    opts = dict(debounce_ms=50, stable_ms=50, lock_poll_ms=50, recheck_interval_ms=60000)
    opts.update(kw)
    stop = threading.Event()
    t = threading.Thread(target=watch, args=([path],),
                         kwargs=dict(run_pass=rec, stop_event=stop, log=rec.log, **opts), daemon=True)
    t.start()
    try:
        yield stop
    finally:
        stop.set()
        t.join(timeout=10)
        assert not t.is_alive(), "the watcher did not stop"


# --------------------------------------------------------------------------
# State machine with a fake clock and a fake file system
# --------------------------------------------------------------------------


class FakeProbe:
    def __init__(self) -> None:
        self.files: dict[Path, bytes] = {}
        self.mtimes: dict[Path, int] = {}
        self.locks: set[Path] = set()
        self._tick = 0

    def write(self, path: Path, data: bytes) -> None:
        self._tick += 1
        self.files[path] = data
        self.mtimes[path] = self._tick

    def stat(self, path):
        if path not in self.files:
            return None
        return (len(self.files[path]), self.mtimes[path])

    def sha256(self, path):
        data = self.files.get(path)
        return None if data is None else hashlib.sha256(data).hexdigest()

    def lock_present(self, path):
        return path in self.locks


BOOK = Path("/wb/so.xlsx")
OTHER = Path("/wb/khac.xlsx")


class Sim:
    """Drives a Scheduler the way watch() does, on a fake clock."""

    def __init__(self, **kw) -> None:
        self.fs = FakeProbe()
        self.now = 0.0
        self.s = Scheduler(self.fs, debounce=0.8, stable=0.5, lock_poll=1.0, **kw)
        self.passes: list[tuple[Path, str]] = []

    def advance(self, seconds: float, outcome=None, step: float = 0.05) -> list[tuple[Path, str]]:
        """Let time pass; each started pass finishes at once with outcome(path)."""
        started = []
        end = self.now + seconds
        while self.now < end - 1e-9:
            self.now = round(self.now + step, 6)
            for path, reason in self.s.due(self.now):
                started.append((path, reason))
                result = outcome(path) if outcome else self.plain(path)
                self.s.finished(path, result, self.now)
        self.passes += started
        return started

    def plain(self, path: Path, *, waiting: bool | None = None) -> PassOutcome:
        if waiting is None:
            waiting = self.fs.lock_present(path)
        return PassOutcome(written=False, waiting_for_lock=waiting,
                           sha256_after=self.fs.sha256(path), line="ok")


def test_start_runs_one_pass_per_workbook_present():
    sim = Sim()
    sim.fs.write(BOOK, b"a")
    sim.fs.write(OTHER, b"b")
    for p in (BOOK, OTHER):
        sim.s.notice(p, sim.now, immediate=True, force=True, reason="start")
    got = sim.advance(2)
    assert sorted(got) == sorted([(BOOK, "start"), (OTHER, "start")])


def test_burst_of_events_gives_one_pass():
    sim = Sim()
    for i in range(10):  # a save shows up as many created/modified/moved events
        sim.fs.write(BOOK, b"x" * (i + 1))
        sim.s.notice(BOOK, sim.now)
        sim.advance(0.1)
    assert sim.passes == []
    got = sim.advance(3)
    assert got == [(BOOK, "change")]


def test_unstable_size_delays_the_pass():
    sim = Sim()
    sim.fs.write(BOOK, b"x")
    sim.s.notice(BOOK, sim.now)
    for i in range(8):  # the file keeps growing, with no more events (a slow save, a network share)
        sim.fs.write(BOOK, b"x" * (i + 2))
        assert sim.advance(0.3) == []
    assert sim.advance(1.0) == [(BOOK, "change")]


def test_stability_and_debounce_overlap():
    # the file has not changed since the event: the pass starts when the debounce ends,
    # not a further stability wait later (save-to-write-back latency)
    sim = Sim()
    sim.fs.write(BOOK, b"saved")
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(0.75) == []
    assert sim.advance(0.1) == [(BOOK, "change")]


def test_a_change_seen_late_still_waits_for_stability():
    # the size changed after the event without another event: stability counts from when
    # the change was seen, never from the event
    sim = Sim()
    sim.fs.write(BOOK, b"x")
    sim.s.notice(BOOK, sim.now)
    sim.advance(0.5)
    sim.fs.write(BOOK, b"xx")
    assert sim.advance(0.7) == []            # seen changed at 0.8; stable only from 1.3
    assert sim.advance(0.2) == [(BOOK, "change")]


def test_own_write_is_ignored_but_a_real_change_is_not():
    sim = Sim()
    sim.fs.write(BOOK, b"user")

    def write_back(path):
        sim.fs.write(path, b"user+departments")  # the pass writes the workbook
        sim.s.notice(path, sim.now)  # ...and the folder reports it
        return PassOutcome(True, False, sim.fs.sha256(path), "ghi lại")

    sim.s.notice(BOOK, sim.now)
    assert sim.advance(3, outcome=write_back) == [(BOOK, "change")]
    assert sim.advance(5) == []  # the event from its own write ran no pass
    sim.fs.write(BOOK, b"user+departments+new row")
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(3) == [(BOOK, "change")]


def test_unchanged_content_runs_no_pass():
    sim = Sim()
    sim.fs.write(BOOK, b"same")
    sim.s.notice(BOOK, sim.now)
    sim.advance(3)
    sim.fs.write(BOOK, b"same")  # touched, same bytes
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(3) == []


def lock_then_waiting(sim: Sim) -> None:
    sim.fs.write(BOOK, b"v1")
    sim.fs.locks.add(BOOK)
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(3) == [(BOOK, "change")]
    assert sim.s.books[BOOK].waiting_lock


def test_libreoffice_save_lock_flicker_is_not_a_close():
    sim = Sim()
    lock_then_waiting(sim)
    for _ in range(5):  # each Ctrl+S: delete the lock, write, re-create it
        sim.advance(0.9)
        sim.fs.locks.discard(BOOK)
        sim.s.lock_activity(BOOK, sim.now)
        sim.advance(1.1)  # the poll sees it missing...
        sim.fs.locks.add(BOOK)  # ...but it is back within the grace period
        sim.s.lock_activity(BOOK, sim.now)
    assert sim.advance(10) == []
    assert sim.passes == [(BOOK, "change")]


def test_libreoffice_save_with_new_content_gives_one_pass_and_no_extra_write():
    sim = Sim()
    lock_then_waiting(sim)
    sim.fs.locks.discard(BOOK)
    sim.s.lock_activity(BOOK, sim.now)
    sim.advance(0.2)
    sim.fs.locks.add(BOOK)
    sim.s.lock_activity(BOOK, sim.now)
    sim.fs.write(BOOK, b"v2")
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(10) == [(BOOK, "change")]  # the save; not an "unlocked" retry
    assert sim.s.books[BOOK].waiting_lock


def test_lock_gone_for_good_reruns_the_pass_once():
    sim = Sim()
    lock_then_waiting(sim)
    sim.advance(2)
    sim.fs.locks.discard(BOOK)  # the document was closed; content unchanged
    sim.s.lock_activity(BOOK, sim.now)
    assert sim.advance(1.5) == []  # not yet: inside the grace period
    assert sim.advance(3) == [(BOOK, "unlocked")]
    assert sim.advance(30) == []


def test_lost_events_are_caught_by_the_recheck():
    sim = Sim()
    sim.fs.write(BOOK, b"v1")
    sim.s.recheck([BOOK], sim.now)  # first sight of a workbook
    assert sim.advance(2) == [(BOOK, "recheck")]
    sim.s.recheck([BOOK], sim.now)
    assert sim.advance(2) == []  # nothing changed
    sim.fs.write(BOOK, b"v2")  # saved, but no event reached us
    sim.s.recheck([BOOK], sim.now)
    assert sim.advance(2) == [(BOOK, "recheck")]


def test_event_during_a_pass_gives_one_more_pass_after():
    sim = Sim()
    sim.fs.write(BOOK, b"v1")
    sim.s.notice(BOOK, sim.now)
    sim.now = 0.5
    assert sim.s.due(sim.now) == []                  # debouncing
    sim.now = 2.0
    assert sim.s.due(sim.now) == [(BOOK, "change")]  # running now
    for i in range(3):  # saves while the pass runs
        sim.fs.write(BOOK, b"v2" * (i + 1))
        sim.s.notice(BOOK, sim.now)
        sim.now += 0.5
        assert sim.s.due(sim.now) == []  # never two passes of one workbook
    sim.s.finished(BOOK, PassOutcome(False, False, hashlib.sha256(b"v1").hexdigest(), ""), sim.now)
    assert sim.advance(3) == [(BOOK, "change")]


def test_a_failed_pass_does_not_block_the_next_event():
    sim = Sim()
    sim.fs.write(BOOK, b"broken")
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(3, outcome=lambda p: None) == [(BOOK, "change")]  # raised
    sim.fs.write(BOOK, b"fixed")
    sim.s.notice(BOOK, sim.now)
    assert sim.advance(3) == [(BOOK, "change")]


def test_each_workbook_is_debounced_on_its_own():
    sim = Sim()
    sim.fs.write(BOOK, b"a")
    sim.fs.write(OTHER, b"b")
    sim.s.notice(OTHER, sim.now)
    got = []
    for _ in range(20):  # BOOK is saved again and again
        sim.fs.write(BOOK, sim.fs.files[BOOK] + b"a")
        sim.s.notice(BOOK, sim.now)
        got += sim.advance(0.2)
    assert got == [(OTHER, "change")]


@pytest.mark.parametrize("name, exp", [
    ("so.xlsx", True),
    ("SO KIEN NGHI.XLSM", True),
    ("Sổ kiến nghị 2025.xlsx", True),
    ("so.xls", False),
    ("so.csv", False),
    ("~$so.xlsx", False),  # Excel owner file
    (".~lock.so.xlsx#", False),  # LibreOffice lock
    ("lu12345abcd.tmp", False),  # LibreOffice temp
    ("so.xlsx.osl-tmp", False),
    ("A1B2C3D4", False),  # Excel temp: 8 characters, no extension
    ("~WRL0001.tmp", False),
    (".so.xlsx", False),  # dotfile
    ("so.xlsx~", False),
    ("ket-qua", False),
])
def test_which_names_are_workbooks(name, exp):
    assert is_workbook_name(name) == exp


@pytest.mark.parametrize("lock, folder, exp", [
    (".~lock.so.xlsx#", [], "so.xlsx"),
    ("~$so.xlsx", [], "so.xlsx"),
    ("~$ kien nghi 2025.xlsx", ["So kien nghi 2025.xlsx"], "So kien nghi 2025.xlsx"),
    ("so.xlsx", [], None),
    ("lu1234.tmp", [], None),
])
def test_lock_file_owner(lock, folder, exp):
    assert lock_owner_of(lock, folder) == exp


def test_lock_paths_cover_excel_and_libreoffice(tmp_path):
    names = [p.name for p in lock_paths(tmp_path / "so.xlsx")]
    assert "~$so.xlsx" in names and ".~lock.so.xlsx#" in names


# --------------------------------------------------------------------------
# Logger and signals
# --------------------------------------------------------------------------


def test_logger_writes_console_and_utf8_file_with_time(tmp_path, capsys):
    log_file = tmp_path / "ket-qua" / "nhat-ky.txt"
    log = make_logger(log_file)
    log("Sổ so.xlsx: 3 lỗi, đã cập nhật bảng tổng hợp.")
    log("dòng thứ hai")
    lines = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("Sổ so.xlsx: 3 lỗi, đã cập nhật bảng tổng hợp.")
    import re
    assert re.match(r"^\d\d:\d\d:\d\d \d\d/\d\d/\d{4} ", lines[0])
    assert "Sổ so.xlsx" in capsys.readouterr().out


def test_sigint_sets_the_stop_event():
    import signal
    stop = threading.Event()
    old = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    try:
        assert install_signal_handlers(stop)
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
    finally:
        signal.signal(signal.SIGINT, old[0])
        signal.signal(signal.SIGTERM, old[1])


# --------------------------------------------------------------------------
# Real folders, real watchdog
# --------------------------------------------------------------------------


def test_start_pass_then_a_save_gives_a_pass(tmp_path):
    book = tmp_path / "so.xlsx"
    book.write_bytes(make_workbook_bytes(["Hộ 1"]))
    rec = Recorder()
    with run_watcher(tmp_path, rec):
        assert rec.wait_for(lambda c: len(c) == 1)
        assert rec.calls[0].reason_rows == 1
        book.write_bytes(make_workbook_bytes(["Hộ 1", "Hộ 2"]))
        assert rec.wait_for(lambda c: any(x.reason_rows == 2 for x in c))


def test_excel_save_pattern_gives_one_pass_that_sees_the_owner_file(tmp_path):
    book = tmp_path / "so.xlsx"
    book.write_bytes(make_workbook_bytes(["Hộ 1"]))
    rec = Recorder()
    with run_watcher(tmp_path, rec):
        assert rec.wait_for(lambda c: len(c) == 1)
        owner = tmp_path / "~$so.xlsx"  # Excel opened the workbook
        owner.write_bytes(b"\x08Nguyen Van A" + b" " * 40)
        temp = tmp_path / "A1B2C3D4"  # Ctrl+S: write a temp, delete, rename
        temp.write_bytes(make_workbook_bytes(["Hộ 1", "Hộ 2"]))
        book.unlink()
        temp.rename(book)
        assert rec.wait_for(lambda c: len(c) >= 2)
        assert rec.calls[1].reason_rows == 2 and rec.calls[1].locked
        owner.unlink()  # Excel closed the workbook: the write-back is retried
        assert rec.wait_for(lambda c: len(c) >= 3)
    assert [c.locked for c in rec.calls] == [False, True, False]
    assert [c.reason_rows for c in rec.calls] == [1, 2, 2]


def test_truncated_save_is_logged_and_retried(tmp_path):
    book = tmp_path / "so.xlsx"
    data = make_workbook_bytes(["Hộ 1", "Hộ 2", "Hộ 3"])
    rec = Recorder()
    with run_watcher(tmp_path, rec):
        with open(book, "wb") as fh:  # a save that stops half-way
            fh.write(data[: len(data) // 2])
        assert rec.wait_for(lambda c: len(c) >= 1)
        with open(book, "ab") as fh:
            fh.write(data[len(data) // 2:])
        assert rec.wait_for(lambda c: any(x.reason_rows == 3 for x in c))
    assert rec.calls[0].error
    assert any(line.startswith("Lỗi khi xử lý sổ so.xlsx") for line in rec.log_lines)


def test_poll_mode_sees_saves(tmp_path):
    book = tmp_path / "so.xlsx"
    book.write_bytes(make_workbook_bytes(["Hộ 1"]))
    rec = Recorder()
    with run_watcher(tmp_path, rec, poll=True, poll_interval_ms=100):
        assert rec.wait_for(lambda c: len(c) == 1)
        book.write_bytes(make_workbook_bytes(["Hộ 1", "Hộ 2"]))
        assert rec.wait_for(lambda c: any(x.reason_rows == 2 for x in c))


def test_file_argument_watches_only_that_file_and_skips_subfolders(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.write_bytes(make_workbook_bytes(["1"]))
    b.write_bytes(make_workbook_bytes(["1"]))
    (tmp_path / "ket-qua").mkdir()
    rec = Recorder()
    with run_watcher(a, rec):
        assert rec.wait_for(lambda c: len(c) == 1)
        b.write_bytes(make_workbook_bytes(["1", "2"]))
        (tmp_path / "ket-qua" / "tong-hop.xlsx").write_bytes(make_workbook_bytes(["x"]))
        a.write_bytes(make_workbook_bytes(["1", "2", "3"]))
        assert rec.wait_for(lambda c: any(x.reason_rows == 3 for x in c))
    assert {c.path.name for c in rec.calls} == {"a.xlsx"}


def test_own_write_back_runs_no_second_pass(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    a.write_bytes(make_workbook_bytes(["1"]))
    rec = Recorder(write_back=True)
    with run_watcher(tmp_path, rec):
        assert rec.wait_for(lambda c: len(c) == 1 and rec.done == 1)
        b.write_bytes(make_workbook_bytes(["1"]))  # a later, unrelated save
        assert rec.wait_for(lambda c: any(x.path == b for x in c))
    assert [c.path.name for c in rec.calls] == ["a.xlsx", "b.xlsx"]
    assert rec.calls[0].wrote


def test_a_raising_pass_is_logged_and_the_next_save_still_runs(tmp_path):
    book = tmp_path / "so.xlsx"
    book.write_bytes(make_workbook_bytes(["1"]))
    rec = Recorder(fail_first=True)
    with run_watcher(tmp_path, rec):
        assert rec.wait_for(lambda c: len(c) == 1)
        book.write_bytes(make_workbook_bytes(["1", "2"]))
        assert rec.wait_for(lambda c: len(c) == 2 and rec.done == 2)
    assert any("RuntimeError" in line and "vẫn chạy" in line for line in rec.log_lines)


def test_stop_event_stops_the_watcher_promptly(tmp_path):
    (tmp_path / "so.xlsx").write_bytes(make_workbook_bytes(["1"]))
    rec = Recorder()
    stop = threading.Event()
    t = threading.Thread(target=watch, args=([tmp_path],),
                         kwargs=dict(run_pass=rec, stop_event=stop, log=rec.log,
                                     debounce_ms=50, stable_ms=50), daemon=True)
    t.start()
    assert rec.wait_for(lambda c: len(c) == 1)
    stop.set()
    t.join(timeout=5)
    assert not t.is_alive()
    assert rec.log_lines[-1] == "Đã dừng theo dõi."


def test_missing_folder_is_a_clear_error(tmp_path):
    from toolkit.watch.watcher import WatchPathMissing
    with pytest.raises(WatchPathMissing) as err:
        watch([tmp_path / "khong-co" / "so.xlsx"], run_pass=Recorder(), stop_event=threading.Event())
    assert "Không tìm thấy thư mục" in err.value.message


def test_mistyped_folder_is_a_clear_error(tmp_path):
    from toolkit.watch.watcher import WatchPathMissing
    with pytest.raises(WatchPathMissing) as err:
        watch([tmp_path / "so-lieu"], run_pass=Recorder(), stop_event=threading.Event())
    assert f"Không tìm thấy thư mục {tmp_path / 'so-lieu'}" in err.value.message
