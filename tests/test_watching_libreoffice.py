"""End to end: the watcher with real LibreOffice (a real window under Xvfb) as the editor.

Observed with LibreOffice 7.4.7 (inotify, this test's EventLog), as DESIGN.md §3 says:
opening creates ``.~lock.NAME#`` (also with Hidden=True, as long as there is a
display); each store() deletes the lock, creates ``luXXXX.tmp``, re-creates the
lock, writes the temp file and renames it onto NAME.xlsx; close() deletes the
lock. LibreOffice also opens NAME.xlsx for writing when it loads it (an
IN_CLOSE_WRITE "closed" event with unchanged bytes), which the content hash absorbs.

LibreOffice is driven through UNO by tests/uno_driver.py, run with Debian's
/usr/bin/python3 (python3-uno). The pass is injected (see test_watching.Recorder);
the lead points ``make_pass`` at the real pass.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import need_program
from test_watching import Recorder, make_workbook_bytes, run_watcher
from toolkit.watching import lock_paths

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


def _have_uno() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


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

    def call(self, cmd: str, **args) -> dict:
        self.driver.stdin.write(json.dumps({"cmd": cmd, **args}, ensure_ascii=False) + "\n")
        self.driver.stdin.flush()
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


@pytest.fixture
def office():
    need_program("soffice")
    need_program("Xvfb")
    if not _have_uno():
        if os.environ.get("CI"):
            pytest.fail("Debian's python3-uno is not installed: .ci/run must install it")
        pytest.skip("Debian's python3-uno is not installed here")
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
    """The pass under test (the lead replaces this with the real pass)."""
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

    # What LibreOffice did to the folder (DESIGN.md §3): a temp file renamed
    # onto the workbook, and the lock deleted and re-created during the save.
    names = [e[1] for e in seen.events] + [e[2] for e in seen.events]
    moved = [e for e in seen.events if e[0] == "moved" and e[2] == book.name]
    print("LibreOffice events:", seen.events, file=sys.stderr)
    assert moved, f"expected a temp file renamed onto {book.name}: {seen.events}"
    assert lo_lock.name in names
