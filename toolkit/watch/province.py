"""`doithoai watch` on a province folder: the roll-up made again when a ward file appears, changes or goes.

A folder is a province folder when it holds ``tong-hop-cap-tren/`` (made by the
first `doithoai rollup`), or when `watch --rollup` says so. Then the whole
folder is one unit: any ward file under it (recursively, the same files the
roll-up reads, ``toolkit.rollup.discover``) that is created, saved, renamed or
deleted marks the folder changed; once no event came for the debounce time and
the folder's fingerprint (every candidate file's path, size and modification
time) held still for the stability time, one roll-up runs. The rules are the
ward watcher's (DESIGN.md §3): debounce; wait until sizes and times are
stable, so a save in progress (a lock file, a temp file renamed onto the
register) is never read half written; a periodic re-check of the fingerprint
as the source of truth when events are lost (network shares, ``--poll``); a
roll-up on start; one Vietnamese line per roll-up; a bad file never stops it.
The roll-up only reads ward files, so a ward open in Excel is read as last saved.

:class:`ProvinceScheduler` is the pure state machine (fake clock in tests);
:func:`watch_province` is the plumbing.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from toolkit.core.errors import DoithoaiError
from toolkit.rollup import discover
from toolkit.xlsx import names

LOG_NAME = "nhat-ky.log"
Fingerprint = tuple


def is_province_folder(folder: Path) -> bool:
    return (Path(folder) / discover.OUTPUT_FOLDER).is_dir()


def fingerprint(folder: Path, out_dir: Path | None = None) -> Fingerprint:
    """(relative path, size, mtime_ns) of every candidate ward file: what a roll-up would see."""
    out = []
    for path in discover.ward_files(folder, out_dir=out_dir):
        try:
            st = path.stat()
        except OSError:
            continue
        out.append((discover.relative(path, folder), st.st_size, st.st_mtime_ns))
    return tuple(out)


@dataclass
class ProvinceScheduler:
    """When to roll up: after the last event plus ``debounce`` seconds, once the fingerprint
    has not moved for ``stable`` seconds; a fingerprint unlike the last rolled-up one is a change."""

    debounce: float
    stable: float
    dirty: bool = True                     # a roll-up on start
    last_event: float = float("-inf")
    done: Fingerprint | None = None        # the fingerprint the last roll-up started from
    seen: Fingerprint | None = None
    seen_at: float = 0.0

    def event(self, now: float) -> None:
        self.dirty = True
        self.last_event = now

    def recheck(self, fp: Fingerprint, now: float) -> None:
        if fp != self.done and not self.dirty:
            self.event(now)

    def due(self, fp: Fingerprint, now: float) -> bool:
        if not self.dirty or now - self.last_event < self.debounce:
            return False
        if fp != self.seen:
            self.seen, self.seen_at = fp, now
        return now - self.seen_at >= self.stable

    def started(self, fp: Fingerprint) -> None:
        """A roll-up starts from ``fp``: later events make the folder changed again."""
        self.dirty = False
        self.done = fp

    def failed(self) -> None:
        """The roll-up could not be made (its store busy, a disk full): the next re-check runs it again."""
        self.done = None

    def next_wait(self, now: float) -> float:
        if not self.dirty:
            return 0.2
        return min(0.2, max(0.01, self.last_event + self.debounce - now, self.seen_at + self.stable - now))


class Failed(str):
    """The line of a roll-up that could not be made: the watcher tries again at its next re-check."""


def make_run_rollup(folder: Path, out_dir: Path | None, as_of: dt.date | None = None) -> Callable[[], str]:
    """One roll-up, as one Vietnamese line (a :class:`Failed` one when it could not be made); never raises."""
    from toolkit.rollup.run import rollup

    def run() -> str:
        try:
            result = rollup(folder, out_dir=out_dir, as_of=as_of or dt.date.today())
        except DoithoaiError as err:
            return Failed(f"Chưa tổng hợp được: {err.message} Sẽ thử lại sau ít phút.")
        except Exception as exc:   # noqa: BLE001 - a bad file must never stop the watcher
            return Failed(f"Lỗi không mong đợi khi tổng hợp ({type(exc).__name__}: {exc}). Trình theo dõi vẫn chạy "
                          "và sẽ thử lại; nếu lỗi lặp lại, gửi thư mục tong-hop-cap-tren cho người hỗ trợ.")
        t = result.as_json()["totals"]
        line = (f"Đã tổng hợp {t['wards']} đơn vị (đọc lại {len(result.store.read)} tệp, bỏ {len(result.store.removed)} "
                f"tệp đã xóa): {t['petitions']} kiến nghị, quá hạn {t['overdue']}.")
        if result.skipped:
            line += f" {len(result.skipped)} tệp chưa tổng hợp được, xem {result.out_dir / 'index.html'}."
        return line

    return run


class _Events:
    """A watchdog handler: a file event under the folder that may concern a ward file (or its lock) is queued."""

    def __init__(self, q: queue.Queue, folder: Path, out_dir: Path):
        self.q, self.folder, self.out_dir = q, folder, out_dir

    def dispatch(self, event) -> None:
        if event.is_directory or event.event_type not in ("created", "modified", "moved", "deleted", "closed"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "") or ""):
            if raw and self.concerns(Path(os.fsdecode(raw))):
                self.q.put(event.event_type)
                return

    def concerns(self, path: Path) -> bool:
        try:
            rel = path.resolve().relative_to(self.folder)
        except (ValueError, OSError):
            return False
        if self.out_dir in path.resolve().parents:
            return False
        if any(p.lower() in discover.SKIPPED_FOLDERS for p in rel.parts[:-1]):
            return False
        name = path.name
        return names.is_workbook_name(name) or name.lower().endswith(names.WORKBOOK_SUFFIXES + ("#",))


def watch_province(folder: Path, *, out_dir: Path | None = None, run: Callable[[], str] | None = None,
                   debounce_ms: int = 800, stable_ms: int = 500, poll: bool = False, poll_interval_ms: int = 1000,
                   recheck_interval_ms: int = 30000, stop_event: threading.Event | None = None,
                   log: Callable[[str], None] = print, clock: Callable[[], float] = time.monotonic) -> None:
    """Watch ``folder`` and roll it up after each change; blocks until ``stop_event`` is set."""
    folder = Path(folder).resolve()
    out = Path(out_dir).resolve() if out_dir is not None else folder / discover.OUTPUT_FOLDER
    run = run or make_run_rollup(folder, out)
    stop = stop_event or threading.Event()
    sched = ProvinceScheduler(debounce_ms / 1000, stable_ms / 1000)
    q: queue.Queue = queue.Queue()
    if poll:
        from watchdog.observers.polling import PollingObserver as Observer
        observer = Observer(timeout=poll_interval_ms / 1000)
    else:
        from watchdog.observers import Observer
        observer = Observer()
    observer.schedule(_Events(q, folder, out), str(folder), recursive=True)
    observer.start()
    log(f"Đang theo dõi thư mục tổng hợp {folder}: mỗi khi sổ của một đơn vị được lưu, thêm hay xóa, "
        f"kết quả trong {out} được làm lại. Nhấn Ctrl+C để dừng.")
    next_recheck = clock() + recheck_interval_ms / 1000
    try:
        while not stop.is_set():
            now = clock()
            while True:
                try:
                    q.get_nowait()
                except queue.Empty:
                    break
                sched.event(now)
            if now >= next_recheck:
                sched.recheck(fingerprint(folder, out), now)
                next_recheck = now + recheck_interval_ms / 1000
            if sched.dirty and now - sched.last_event >= sched.debounce:
                fp = fingerprint(folder, out)
                if sched.due(fp, now):
                    sched.started(fp)
                    line = run()
                    if isinstance(line, Failed):
                        sched.failed()
                    log(line)
                    continue
            try:
                q.get(timeout=sched.next_wait(clock()))
                sched.event(clock())
            except queue.Empty:
                pass
    finally:
        observer.stop()
        try:
            observer.join(timeout=5)
        except RuntimeError:
            pass
    log("Đã dừng theo dõi.")


def watch_province_forever(folder: Path, *, out_dir: Path | None = None, poll: bool = False,
                           debounce_ms: int = 800, stop_event: threading.Event | None = None, **kwargs) -> None:
    """The command's entry: a log file DIR/nhat-ky.log beside the outputs, Ctrl+C to stop."""
    from toolkit.watch import watcher

    folder = Path(folder)
    if not folder.is_dir():
        raise watcher.WatchPathMissing(f"Không tìm thấy thư mục {folder}. Hãy kiểm tra lại đường dẫn rồi chạy lại lệnh.",
                                       code="khong-tim-thay-thu-muc")
    out = Path(out_dir) if out_dir is not None else folder / discover.OUTPUT_FOLDER
    stop = stop_event or threading.Event()
    if stop_event is None:
        watcher.install_signal_handlers(stop)
    watch_province(folder, out_dir=out, poll=poll, debounce_ms=debounce_ms, stop_event=stop,
                   log=watcher.make_logger(out / LOG_NAME), **kwargs)
