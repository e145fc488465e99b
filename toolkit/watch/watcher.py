"""The watcher: one pass per save, for every workbook in the watched folders.

docs/ARCHITECTURE.md, "The watcher". Two layers:

* :class:`Scheduler` is a pure state machine: change notices and lock activity
  go in (with the time from an injectable clock), "run the pass for X now"
  decisions come out. It touches the file system only through a small probe
  (stat, hash, lock present) that tests replace with a fake.
* :func:`watch` is the plumbing: a watchdog observer per folder (or polling,
  for network shares), a queue, a worker thread for passes, a periodic
  re-check, and a clean stop.

The pass itself is injected (``run_pass(path) -> PassOutcome``).
"""

from __future__ import annotations

import hashlib
import os
import queue
import signal
import sys
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

from toolkit.core.errors import DoithoaiError
from toolkit.xlsx.locks import is_locked, lock_gone, lock_owner_of, remember_user
from toolkit.xlsx.names import WORKBOOK_SUFFIXES, is_ignored_name, is_workbook_name  # noqa: F401 - public here too
from toolkit.watch.department_folders import REPLY_FOLDER, ReplyWatch  # noqa: F401 - REPLY_FOLDER: public here too



@dataclass(frozen=True)
class PassOutcome:
    """What one pass reports back to the watcher."""

    written: bool
    """The pass wrote the workbook back."""
    waiting_for_lock: bool
    """The write-back was skipped only because a lock/owner file exists."""
    sha256_after: str | None
    """Hash of the workbook after the pass (so its own write is ignored)."""
    line: str
    """The one Vietnamese line to log."""
    reply_hashes: tuple = ()
    """(path, sha256) of the department files the pass wrote, so their events are not taken for saves."""


# --------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------


# --------------------------------------------------------------------------
# The pure state machine
# --------------------------------------------------------------------------


class Probe(Protocol):
    def stat(self, path: Path) -> tuple[int, int] | None: ...  # (size, mtime_ns)
    def sha256(self, path: Path) -> str | None: ...
    def lock_present(self, path: Path) -> bool: ...


class RealProbe:
    """The probe on the real file system."""

    def stat(self, path: Path) -> tuple[int, int] | None:
        try:
            st = path.stat()
        except OSError:
            return None
        return (st.st_size, st.st_mtime_ns)

    def sha256(self, path: Path) -> str | None:
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:  # vanished, or held exclusively for a moment (Windows)
            return None

    def lock_present(self, path: Path) -> bool:
        return is_locked(path)


@dataclass
class _Book:
    pending: bool = False
    force: bool = False  # run even if the content hash is unchanged
    due_at: float = 0.0
    seen_sig: tuple[int, int] | None = None
    seen_at: float = 0.0
    running: bool = False
    last_hash: str | None = None  # content the last pass saw or left behind
    known_sig: tuple[int, int] | None = None  # (size, mtime) matching last_hash
    waiting_lock: bool = False
    lock_absent_since: float | None = None
    next_lock_check: float = 0.0
    reason: str = "change"


@dataclass
class Scheduler:
    """Decides when to run the pass for each workbook. Times in seconds."""

    probe: Probe
    debounce: float = 0.8
    stable: float = 0.5
    lock_poll: float = 1.0
    lock_grace: float | None = None  # default 2 × lock_poll
    books: dict[Path, _Book] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.lock_grace is None:
            self.lock_grace = 2 * self.lock_poll

    def _book(self, path: Path) -> _Book:
        return self.books.setdefault(path, _Book())

    # ---- inputs ---------------------------------------------------------

    def notice(self, path: Path, now: float, *, immediate: bool = False,
               force: bool = False, reason: str = "change") -> None:
        """The workbook may have changed (an event, the start, a re-check)."""
        b = self._book(path)
        due = now if immediate else now + self.debounce
        if b.pending:
            b.due_at = min(b.due_at, due) if immediate else max(b.due_at, due)
        else:
            b.pending, b.due_at, b.reason = True, due, reason
        if force:
            b.force, b.reason = True, reason
        # Stability is measured from the moment the file was last seen to change: the size
        # and mtime now, confirmed unchanged at least ``stable`` seconds later (after the
        # debounce). The two waits overlap instead of adding up.
        sig = self.probe.stat(path)
        if sig is None or sig != b.seen_sig:
            b.seen_sig, b.seen_at = sig, now

    def lock_activity(self, path: Path, now: float) -> None:
        """A lock/owner file of this workbook was created or deleted."""
        b = self.books.get(path)
        if b is not None and b.waiting_lock:
            b.lock_absent_since = None  # a flicker (LibreOffice's save) is not a close
            b.next_lock_check = min(b.next_lock_check, now + self.lock_poll)

    def forget(self, path: Path) -> None:
        b = self.books.get(path)
        if b is not None and not b.running:
            del self.books[path]

    def recheck(self, present: Iterable[Path], now: float) -> list[Path]:
        """The periodic source of truth: (size, mtime) differs → notice."""
        noticed = []
        present = list(present)
        for p in present:
            b = self.books.get(p)
            if b is None:
                self.notice(p, now, immediate=True, reason="recheck")
                noticed.append(p)
                continue
            if b.running or b.pending:
                continue
            sig = self.probe.stat(p)
            if sig is not None and sig != b.known_sig:
                self.notice(p, now, immediate=True, reason="recheck")
                noticed.append(p)
        keep = set(present)
        for p in [p for p, b in self.books.items() if p not in keep and not b.running]:
            del self.books[p]
        return noticed

    # ---- decisions -------------------------------------------------------

    def due(self, now: float) -> list[tuple[Path, str]]:
        """(workbook, reason) whose pass should start now; each is marked running.

        reason: "start", "change", "recheck" or "unlocked" (lock gone for good).
        """
        out: list[tuple[Path, str]] = []
        for path, b in list(self.books.items()):
            if b.waiting_lock and not b.running and now >= b.next_lock_check:
                self._check_lock(path, b, now)
            if not b.pending or b.running or now < b.due_at:
                continue
            sig = self.probe.stat(path)
            if sig is None:  # gone (mid-save delete, or deleted): wait for an event
                b.pending, b.force = False, False
                continue
            if sig != b.seen_sig:
                b.seen_sig, b.seen_at = sig, now
                b.due_at = now + self.stable
                continue
            if now - b.seen_at < self.stable:
                b.due_at = b.seen_at + self.stable
                continue
            digest = self.probe.sha256(path)
            if digest is None:  # unreadable for a moment: try again shortly
                b.seen_sig, b.due_at = None, now + self.stable
                continue
            if digest == b.last_hash and not b.force:  # own write, or no change
                b.pending = False
                b.known_sig = sig
                continue
            b.pending, b.force, b.running = False, False, True
            b.last_hash, b.known_sig = digest, sig
            out.append((path, b.reason))
            b.reason = "change"
        return out

    def _check_lock(self, path: Path, b: _Book, now: float) -> None:
        b.next_lock_check = now + self.lock_poll
        if self.probe.lock_present(path):
            b.lock_absent_since = None
            return
        if b.lock_absent_since is None:
            b.lock_absent_since = now
            b.next_lock_check = now + min(self.lock_poll, self.lock_grace)
            return
        if now - b.lock_absent_since >= self.lock_grace:
            b.waiting_lock = False
            b.lock_absent_since = None
            self.notice(path, now, immediate=True, force=True, reason="unlocked")

    def finished(self, path: Path, outcome: PassOutcome | None, now: float) -> None:
        """The pass ended (``outcome`` None when it raised)."""
        b = self._book(path)
        b.running = False
        if outcome is None:
            b.waiting_lock = False
            return
        if outcome.sha256_after:
            b.last_hash = outcome.sha256_after
            if outcome.written:
                b.known_sig = self.probe.stat(path)
        b.waiting_lock = outcome.waiting_for_lock
        b.lock_absent_since = None
        b.next_lock_check = now + self.lock_poll

    def next_deadline(self) -> float | None:
        times = []
        for b in self.books.values():
            if b.pending and not b.running:
                times.append(b.due_at)
            if b.waiting_lock and not b.running:
                times.append(b.next_lock_check)
        return min(times) if times else None


# --------------------------------------------------------------------------
# Logging and signals
# --------------------------------------------------------------------------


def make_logger(log_file: Path) -> Callable[[str], None]:
    """Print each line to the console and append it to ``log_file`` (UTF-8).

    Each line starts with the time as ``HH:MM:SS dd/mm/yyyy``.
    """
    log_file = Path(log_file)
    lock = threading.Lock()

    def log(message: str) -> None:
        line = f"{datetime.now():%H:%M:%S %d/%m/%Y} {message}"
        with lock:
            try:
                print(line, flush=True)
            except UnicodeEncodeError:  # an old Windows console code page
                enc = getattr(sys.stdout, "encoding", None) or "ascii"
                print(line.encode(enc, "replace").decode(enc), flush=True)
            try:
                log_file.parent.mkdir(parents=True, exist_ok=True)
                with open(log_file, "a", encoding="utf-8", newline="\n") as fh:
                    fh.write(line + "\n")
            except OSError as exc:
                print(f"(Không ghi được nhật ký vào {log_file}: {exc})", flush=True)

    return log


def install_signal_handlers(stop_event: threading.Event) -> bool:
    """Ctrl+C (SIGINT), SIGTERM and, on Windows, Ctrl+Break set ``stop_event``.

    Returns False when not called from the main thread (Python allows signal
    handlers only there).
    """
    if threading.current_thread() is not threading.main_thread():
        return False

    def handler(signum, frame):  # noqa: ARG001
        stop_event.set()

    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            try:
                signal.signal(sig, handler)
            except (OSError, ValueError):
                pass
    return True


# --------------------------------------------------------------------------
# The plumbing
# --------------------------------------------------------------------------


class WatchPathMissing(DoithoaiError):
    """A folder or workbook given to the watcher does not exist."""


def _targets(paths: Sequence[Path]) -> dict[Path, set[str] | None]:
    """folder → the workbook names to watch there (None: every workbook)."""
    out: dict[Path, set[str] | None] = {}
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            out[p.resolve()] = None
            continue
        folder = p.parent.resolve()
        if not folder.is_dir() or (not p.exists() and not p.name.lower().endswith(WORKBOOK_SUFFIXES)):
            raise WatchPathMissing(
                f"Không tìm thấy thư mục {p if not p.suffix else p.parent}. "
                "Hãy kiểm tra lại đường dẫn rồi chạy lại lệnh.",
                code="khong-tim-thay-thu-muc",
            )
        if not p.name.lower().endswith(WORKBOOK_SUFFIXES):
            raise WatchPathMissing(
                f"{p} không phải thư mục hay sổ Excel (.xlsx, .xlsm). Hãy chỉ đến thư mục chứa sổ "
                "hoặc đến chính tệp sổ.",
                code="khong-phai-so",
            )
        if folder in out and out[folder] is None:
            continue
        out.setdefault(folder, set()).add(p.name)  # type: ignore[union-attr]
    return out


class _Handler:
    """A watchdog handler that only queues events (no work on its thread)."""

    def __init__(self, q: queue.Queue) -> None:
        self.q = q

    def dispatch(self, event) -> None:
        if event.event_type in ("created", "modified", "moved", "deleted", "closed"):
            self.q.put(("fs", event))


def _make_observer(poll: bool, poll_interval: float):
    if poll:
        from watchdog.observers.polling import PollingObserver

        return PollingObserver(timeout=poll_interval)
    from watchdog.observers import Observer

    return Observer()


def _describe(exc: BaseException) -> str:
    if isinstance(exc, DoithoaiError):
        return exc.message
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def watch(
    paths: Sequence[Path],
    *,
    run_pass: Callable[[Path], PassOutcome],
    debounce_ms: int = 800,
    stable_ms: int = 500,
    poll: bool = False,
    poll_interval_ms: int = 1000,
    recheck_interval_ms: int = 30000,
    lock_poll_ms: int = 1000,
    stop_event: threading.Event | None = None,
    log: Callable[[str], None] = print,
    watch_filter: Callable[[Path], bool] | None = None,
    clock: Callable[[], float] = time.monotonic,
    max_parallel: int = 1,
) -> None:
    """Watch folders (or single workbooks) and run ``run_pass`` after each save.

    Blocks until ``stop_event`` is set. A file path means "its folder, only
    this file". Passes run on a worker thread (``max_parallel`` of them), never
    two of one workbook at once.
    """
    w = _Watch(paths, run_pass=run_pass, log=log, watch_filter=watch_filter, clock=clock,
               sched=Scheduler(RealProbe(), debounce=debounce_ms / 1000, stable=stable_ms / 1000,
                               lock_poll=lock_poll_ms / 1000))
    stop = stop_event or threading.Event()
    w.start_observer(poll, poll_interval_ms / 1000)
    w.say(f"Đang theo dõi {w.where()}. Mỗi lần lưu sổ, kết quả sẽ được làm lại. Nhấn Ctrl+C để dừng.")
    w.notice_existing()
    with ThreadPoolExecutor(max_workers=max(1, max_parallel), thread_name_prefix="doithoai-pass") as pool:
        try:
            w.loop(pool, stop, recheck_interval_ms / 1000)
        finally:
            w.observer.stop()
            stop.set()
            if any(not f.done() for f in w.running.values()):
                w.say("Đang dừng: chờ lượt đang chạy xong...")
    # The pool has waited for running passes: log what they did, or a stop
    # during a pass would hide whether the workbook was written.
    w.report_finished_after_stop()
    try:
        w.observer.join(timeout=5)
    except RuntimeError:
        pass
    w.say("Đã dừng theo dõi.")


class _Watch(ReplyWatch):
    """The watcher's steps: which files count, routing file events to the scheduler,
    starting due passes, reporting finished ones (department files: ``department_folders.ReplyWatch``)."""

    def __init__(self, paths: Sequence[Path], *, run_pass: Callable[[Path], PassOutcome],
                 log: Callable[[str], None], watch_filter: Callable[[Path], bool] | None,
                 clock: Callable[[], float], sched: Scheduler):
        self.targets = _targets(paths)
        self.run_pass = run_pass
        self.log = log
        self.watch_filter = watch_filter
        self.clock = clock
        self.sched = sched
        self.q: queue.Queue = queue.Queue()
        self.held: list = []
        self.running: dict[Path, Future] = {}
        self.observer = None
        self.handler = None
        self.init_replies()

    # --- what is watched ---------------------------------------------------------

    def say(self, msg: str) -> None:
        try:
            self.log(msg)
        except Exception:  # a broken logger must not stop the watcher
            pass

    def where(self) -> str:
        return ", ".join(str(f) if n is None else ", ".join(str(f / x) for x in sorted(n))
                         for f, n in self.targets.items())

    def accepted(self, path: Path) -> bool:
        names = self.targets.get(path.parent)
        if path.parent not in self.targets or (names is not None and path.name not in names):
            return False
        if not is_workbook_name(path.name):
            return False
        return self.watch_filter(path) if self.watch_filter is not None else True

    def scan(self) -> list[Path]:
        found = []
        for folder in self.targets:
            try:
                entries = list(folder.iterdir())
            except OSError:
                continue
            found.extend(p for p in entries if self.accepted(p) and p.is_file())
        return sorted(found)

    def start_observer(self, poll: bool, interval: float) -> None:
        handler = _Handler(self.q)

        def start(polling: bool):
            observer = _make_observer(polling, interval)
            for folder in self.targets:
                observer.schedule(handler, str(folder), recursive=False)
            observer.start()
            return observer

        try:
            self.observer = start(poll)
        except OSError as exc:
            if poll:
                raise
            self.say(f"Không theo dõi được sự kiện thư mục ({exc}); chuyển sang chế độ quét định kỳ (--poll).")
            self.observer = start(True)
        self.handler = handler
        self.watch_replies()

    @staticmethod
    def is_workbook_name(name: str) -> bool:
        return is_workbook_name(name)

    def notice_existing(self) -> None:
        now = self.clock()
        for p in self.scan():
            self.sched.notice(p, now, immediate=True, force=True, reason="start")

    # --- events in -------------------------------------------------------------------

    def route(self, raw_path, kind: str, now: float) -> None:
        path = Path(os.fsdecode(raw_path))
        register = self.reply_register(path)
        if register is not None:
            self.reply_event(path, register, kind, now)
            return
        if path.parent not in self.targets:
            return  # a subfolder such as ket-qua/ or sao-luu/
        owner = lock_owner_of(path.name, [p.name for p in self.sched.books if p.parent == path.parent])
        if owner is not None:
            wb = path.parent / owner
            if self.accepted(wb):
                self.sched.lock_activity(wb, now)
                # who has it open: the lock may be gone when the pass runs (locks.editor_of)
                remember_user(wb) if kind != "deleted" else lock_gone(wb)
            return
        if not self.accepted(path):
            return
        if kind != "deleted":
            self.sched.notice(path, now)

    def file_event(self, ev, now: float) -> None:
        if ev.is_directory:
            return
        if ev.event_type == "moved":
            self.route(ev.src_path, "deleted", now)
            self.route(ev.dest_path, "created", now)
        else:
            self.route(ev.src_path, ev.event_type, now)

    def finished(self, path: Path, result, now: float | None) -> None:
        """Log what a pass did; ``now`` None: the watcher is stopping, nothing more to schedule."""
        self.running.pop(path, None)
        if isinstance(result, BaseException):
            more = " Trình theo dõi vẫn chạy; hãy sửa sổ rồi lưu lại để thử lại." if now is not None else ""
            self.say(f"Lỗi khi xử lý sổ {path.name}: {_describe(result)}.{more}")
            if now is not None:
                self.sched.finished(path, None, now)
            return
        if getattr(result, "line", ""):
            self.say(result.line)
        self.replies_finished(path, result, now)
        if now is not None:
            self.sched.finished(path, result, now)

    def next_item(self):
        if self.held:
            return self.held.pop()
        try:
            return self.q.get_nowait()
        except queue.Empty:
            return None

    def handle_queued(self, now: float) -> None:
        while (item := self.next_item()) is not None:
            if item[0] == "fs":
                self.file_event(item[1], now)
            elif item[0] == "done":
                self.finished(item[1], item[2], now)

    # --- passes out --------------------------------------------------------------------

    def execute(self, path: Path):
        try:
            return self.run_pass(path)
        except BaseException as exc:  # noqa: BLE001 - reported as one line
            return exc

    def start_due(self, pool: ThreadPoolExecutor, now: float) -> None:
        for path, reason in self.sched.due(now):
            if reason == "unlocked":
                self.say(f"Sổ {path.name} đã được đóng ở chương trình khác; "
                         "đang chạy lại để ghi kết quả vào sổ.")
            fut = pool.submit(self.execute, path)
            self.running[path] = fut
            fut.add_done_callback(lambda f, p=path: self.q.put(("done", p, f.result())))

    def wait_for_next(self) -> None:
        deadline = self.sched.next_deadline()
        wait = 0.2 if deadline is None else min(0.2, max(0.01, deadline - self.clock()))
        try:
            self.held.append(self.q.get(timeout=wait))  # handled first, at the top of the loop
        except queue.Empty:
            pass

    def loop(self, pool: ThreadPoolExecutor, stop: threading.Event, recheck_every: float) -> None:
        next_recheck = self.clock() + recheck_every
        while not stop.is_set():
            now = self.clock()
            self.handle_queued(now)
            if now >= next_recheck:
                self.watch_replies()
                self.sched.recheck(self.scan(), now)
                next_recheck = now + recheck_every
            self.start_due(pool, now)
            self.wait_for_next()

    def report_finished_after_stop(self) -> None:
        while (item := self.next_item()) is not None:
            if item[0] == "done":
                self.finished(item[1], item[2], None)
