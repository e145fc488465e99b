"""End to end: the watcher with real LibreOffice (a real window under Xvfb) as the editor.

Observed with LibreOffice 7.4.7 (inotify, this test's EventLog), as docs/ARCHITECTURE.md, "The watcher" says:
opening creates ``.~lock.NAME#`` (also with Hidden=True, as long as there is a
display); each store() deletes the lock, creates ``luXXXX.tmp``, re-creates the
lock, writes the temp file and renames it onto NAME.xlsx; close() deletes the
lock. LibreOffice also opens NAME.xlsx for writing when it loads it (an
IN_CLOSE_WRITE "closed" event with unchanged bytes), which the content hash absorbs.

LibreOffice is driven through UNO by tests/uno_driver.py, run with Debian's
/usr/bin/python3 (python3-uno). Two tests share one LibreOffice:

* the REAL pass (watch_passes.watch_forever on a copy of the sample workbook):
  a petition added and saved while the document stays open reaches the
  dashboard and tong-hop.xlsx, the workbook is not written while LibreOffice
  holds it, and its department is written in once the document is closed;
* an injected pass (test_watching.Recorder) that records what LibreOffice does
  to the folder and checks that the lock flicker of a second Ctrl+S is not
  taken for closing the document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import select
import threading
import time
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import need_program, need_uno
from test_watch_real import DC, LIGHTING, TODAY, petition_row, sample_into, wait_until
from test_watching import Recorder, make_workbook_bytes, run_watcher
from toolkit.core import schema
from toolkit.watch import runner as watch_passes
from toolkit.xlsx.locks import lock_paths

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

SYSTEM_PYTHON = "/usr/bin/python3"
DRIVER = Path(__file__).with_name("uno_driver.py")

NO_TIPS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="ShowTipOfTheDay" oor:op="fuse">\
<value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse">\
<value>false</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">\
<value>true</value></prop></item>
</oor:items>
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop_group(proc: subprocess.Popen | None) -> None:
    """Stop a process we started (in its own session) and all it spawned."""
    if proc is None:
        return
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
            # the group may outlive its leader (soffice.bin under oosplash)
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        except subprocess.TimeoutExpired:
            continue


class Office:
    """Xvfb + soffice + the UNO driver; every process is stopped in close()."""

    def __init__(self) -> None:
        self.xvfb = self.soffice = self.driver = None
        self.profile = Path(tempfile.mkdtemp(prefix="doithoai-lo-"))

    def start(self) -> "Office":
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, start_new_session=True)
        display = self.xvfb.stdout.readline().strip()
        if not display:
            raise RuntimeError("Xvfb did not start")
        user = self.profile / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(NO_TIPS, encoding="utf-8")
        port = _free_port()
        env = dict(os.environ, DISPLAY=f":{display}")
        env.pop("WAYLAND_DISPLAY", None)
        self.soffice = subprocess.Popen(
            ["soffice", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
             f"--accept=socket,host=127.0.0.1,port={port};urp;",
             f"-env:UserInstallation={self.profile.as_uri()}"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        self.driver = subprocess.Popen(
            [SYSTEM_PYTHON, str(DRIVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", start_new_session=True)
        self.call("connect", port=port, timeout=90)
        return self

    def call(self, cmd: str, hang: float | None = None, **args) -> dict:
        """One JSON command to uno_driver and its reply; ``hang``: seconds to wait for it (None: no limit)."""
        self.driver.stdin.write(json.dumps({"cmd": cmd, **args}, ensure_ascii=False) + "\n")
        self.driver.stdin.flush()
        if hang is not None:
            ready, _, _ = select.select([self.driver.stdout], [], [], hang)
            if not ready:
                raise RuntimeError(f"LibreOffice did not answer {cmd} within {hang} s")
        line = self.driver.stdout.readline()
        if not line:
            raise RuntimeError(f"uno_driver died during {cmd}")
        reply = json.loads(line)
        if not reply.get("ok"):
            raise RuntimeError(f"{cmd}: {reply.get('error')}\n{reply.get('trace', '')}")
        return reply

    def close(self) -> None:
        if self.driver is not None and self.driver.poll() is None:
            try:
                self.call("terminate")
                self.call("quit")
                self.driver.wait(timeout=5)
            except Exception:
                pass
        for proc in (self.driver, self.soffice, self.xvfb):
            if proc is not None:
                _stop_group(proc)
        shutil.rmtree(self.profile, ignore_errors=True)


@pytest.fixture(scope="module")
def office():
    need_program("soffice")
    need_program("Xvfb")
    need_uno()
    off = Office()
    try:
        off.start()
        yield off
    finally:
        off.close()


class EventLog:
    """Every file event in a folder, in order, to check what LibreOffice does."""

    def __init__(self, folder: Path) -> None:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer

        self.events: list[tuple[str, str, str]] = []
        log = self.events

        class H(FileSystemEventHandler):
            def on_any_event(self, ev):
                if ev.event_type in ("opened", "closed_no_write"):
                    return
                dest = Path(os.fsdecode(ev.dest_path)).name if ev.dest_path else ""
                log.append((ev.event_type, Path(os.fsdecode(ev.src_path)).name, dest))

        self.obs = Observer()
        self.obs.schedule(H(), str(folder), recursive=False)

    def __enter__(self):
        self.obs.start()
        return self

    def __exit__(self, *exc):
        self.obs.stop()
        self.obs.join(timeout=5)


def make_pass(folder: Path):
    """The injected pass of the folder-events test."""
    return Recorder()


def test_libreoffice_save_while_open_then_close(office, tmp_path):
    folder = tmp_path / "so-lieu"
    folder.mkdir()
    book = folder / "so.xlsx"
    book.write_bytes(make_workbook_bytes(["Hộ 1", "Hộ 2"]))
    lo_lock = folder / f".~lock.{book.name}#"
    rec = make_pass(folder)

    with EventLog(folder) as seen, run_watcher(folder, rec, debounce_ms=300, stable_ms=300,
                                               lock_poll_ms=300):
        assert rec.wait_for(lambda c: len(c) == 1), rec.log_lines  # the pass at start
        assert rec.calls[0].reason_rows == 2 and not rec.calls[0].locked

        office.call("open", path=str(book), hidden=False)
        assert lo_lock.exists(), "LibreOffice with a display holds a .~lock file"
        office.call("append_row", sheet="Kiến nghị", values=[3, "Hộ 3", "Sửa đèn đường"])
        office.call("store")  # Ctrl+S, document stays open
        assert rec.wait_for(lambda c: any(x.reason_rows == 3 for x in c), timeout=30), rec.log_lines
        saved = next(x for x in rec.calls if x.reason_rows == 3)
        assert saved.locked, "the pass must see the lock (so a real pass would not write)"
        assert lo_lock.exists()

        # A second Ctrl+S: LibreOffice deletes and re-creates its lock again;
        # that flicker must not be taken for closing the document.
        office.call("append_row", sheet="Kiến nghị", values=[4, "Hộ 4", "Nạo vét cống"])
        office.call("store")
        assert rec.wait_for(lambda c: any(x.reason_rows == 4 for x in c), timeout=30), rec.log_lines
        assert all(x.locked for x in rec.calls[1:]), rec.calls
        assert not any("đã được đóng" in line for line in rec.log_lines), rec.log_lines
        n_after_save = len(rec.calls)

        office.call("close")  # the lock goes away for good
        assert rec.wait_for(lambda c: len(c) > n_after_save, timeout=30), rec.log_lines
        last = rec.calls[-1]
        assert last.reason_rows == 4 and not last.locked
        assert not any(p.exists() for p in lock_paths(book))
        assert any("đã được đóng" in line for line in rec.log_lines)

    # What LibreOffice did to the folder (docs/ARCHITECTURE.md, "The watcher"): a temp file renamed
    # onto the workbook, and the lock deleted and re-created during the save.
    names = [e[1] for e in seen.events] + [e[2] for e in seen.events]
    moved = [e for e in seen.events if e[0] == "moved" and e[2] == book.name]
    print("LibreOffice events:", seen.events, file=sys.stderr)
    assert moved, f"expected a temp file renamed onto {book.name}: {seen.events}"
    assert lo_lock.name in names


# --------------------------------------------------------------------------
# The real pass
# --------------------------------------------------------------------------

CARD = re.compile(r'<div class="v">([^<]*)</div><div class="l">Số kiến nghị</div>')


def dashboard_count(out: Path) -> int | None:
    """'Số kiến nghị' on the dashboard (index.html), None while it is not there."""
    try:
        m = CARD.search((out / "index.html").read_text(encoding="utf-8"))
    except OSError:
        return None
    return int(m.group(1).replace(".", "")) if m else None


def tonghop_count(out: Path) -> int | None:
    """'Số kiến nghị' in the 'Tổng quan' sheet of tong-hop.xlsx."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(out / "tong-hop.xlsx", read_only=True)
    except Exception:  # absent, or being replaced
        return None
    try:
        for row in wb["Tổng quan"].iter_rows(values_only=True):
            if row and row[0] == "Số kiến nghị":
                return int(row[1])
        return None
    finally:
        wb.close()


def version(out: Path) -> str | None:
    try:
        return json.loads((out / "version.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None


def pass_lines(log_file: Path, name: str) -> list[str]:
    try:
        text = log_file.read_text(encoding="utf-8")
    except OSError:
        return []
    return [line for line in text.splitlines() if f" {name}: " in line]


def test_real_pass_libreoffice_save_while_open_then_close(office, tmp_path):
    book = sample_into(tmp_path / "so-lieu")
    out = book.parent / "ket-qua" / book.stem
    log_file = book.parent / "ket-qua" / watch_passes.LOG_NAME
    lo_lock = book.with_name(f".~lock.{book.name}#")
    k = schema.KIEN_NGHI
    stop = threading.Event()
    errors: list[BaseException] = []

    def run():
        try:
            watch_passes.watch_forever([book.parent], debounce_ms=200, stop_event=stop, today=TODAY,
                                       stable_ms=200, lock_poll_ms=200, recheck_interval_ms=60_000)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    watcher = threading.Thread(target=run, daemon=True)
    watcher.start()
    try:
        # The pass at start: dashboard made, departments and reasons written into the workbook.
        assert wait_until(lambda: len(pass_lines(log_file, book.name)) == 1, 120), errors
        assert "Đã ghi kết quả vào sổ" in pass_lines(log_file, book.name)[0]
        assert (out / "index.html").exists()
        rows = list(_kien_nghi_rows(book))
        assert sum(1 for r in rows if r.get(k.col("can_cu"))) > 50
        before, before_th, before_v = dashboard_count(out), tonghop_count(out), version(out)
        assert before is not None and before == before_th, (before, before_th)

        office.call("open", path=str(book), hidden=False)
        assert lo_lock.exists(), "LibreOffice with a display holds a .~lock file"
        office.call("add_record", sheet=k.name, key=k.col("nguoi_kien_nghi"),
                    values={k.col("hoi_nghi"): "HN-2024-11", k.col("nguoi_kien_nghi"): "Nguyễn Văn Thử",
                            k.col("to_dan_pho"): "Tổ dân phố số 7", k.col("noi_dung"): LIGHTING},
                    dates={k.col("ngay_tiep_nhan"): "2024-11-22"})
        office.call("store")  # Ctrl+S; the document stays open
        saved_at = time.monotonic()
        saved = hashlib.sha256(book.read_bytes()).hexdigest()
        row = petition_row(book, LIGHTING)
        assert row is not None and not row.get(k.col("chu_tri")), row  # what staff saved

        assert wait_until(lambda: dashboard_count(out) == before + 1, 60, every=0.1), \
            (dashboard_count(out), pass_lines(log_file, book.name))
        dashboard_s = time.monotonic() - saved_at
        assert wait_until(lambda: tonghop_count(out) == before + 1, 60, every=0.1), tonghop_count(out)
        tonghop_s = time.monotonic() - saved_at
        assert version(out) != before_v
        assert wait_until(lambda: len(pass_lines(log_file, book.name)) == 2, 60), \
            pass_lines(log_file, book.name)
        line = pass_lines(log_file, book.name)[1]
        assert "chưa ghi vào sổ" in line and "LibreOffice" in line and "sẽ ghi" in line, line
        # Not written while LibreOffice holds it: exactly the bytes LibreOffice saved.
        assert lo_lock.exists()
        assert hashlib.sha256(book.read_bytes()).hexdigest() == saved
        print(f"\nsave → dashboard {dashboard_s:.1f} s, save → tong-hop.xlsx {tonghop_s:.1f} s",
              file=sys.stderr)

        office.call("close")  # the lock goes away for good → the write-back happens
        closed_at = time.monotonic()
        assert wait_until(lambda: _chu_tri(book) == DC, 60), pass_lines(log_file, book.name)
        written_s = time.monotonic() - closed_at
        print(f"close → department in the workbook {written_s:.1f} s", file=sys.stderr)
        assert not lo_lock.exists()
        assert wait_until(lambda: len(pass_lines(log_file, book.name)) == 3, 60)
        lines = pass_lines(log_file, book.name)
        assert "Đã ghi kết quả vào sổ" in lines[2], lines[2]
        assert "đã được đóng" in log_file.read_text(encoding="utf-8")
        row = petition_row(book, LIGHTING)
        assert row[k.col("can_cu")] and row[k.col("ma")].startswith("KN-2024-11-"), row
        assert isinstance(row[k.col("ngay_tiep_nhan")], dt.datetime), row  # LibreOffice saved a date
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive(), "the watcher did not stop"
    assert not errors, errors
    assert log_file.read_text(encoding="utf-8").rstrip().endswith("Đã dừng theo dõi.")


def _kien_nghi_rows(book: Path):
    import openpyxl

    wb = openpyxl.load_workbook(book, read_only=True)
    try:
        it = wb[schema.KIEN_NGHI.name].iter_rows(values_only=True)
        head = [str(h) if h is not None else "" for h in next(it)]
        for r in it:
            yield dict(zip(head, r))
    finally:
        wb.close()


def _chu_tri(book: Path):
    try:
        row = petition_row(book, LIGHTING)
    except Exception:  # mid-write: try again at the next poll
        return None
    return row.get(schema.KIEN_NGHI.col("chu_tri")) if row else None
