"""The watcher with the REAL pass (toolkit.pipeline.passes.run through watch_passes), no LibreOffice.

Excel's save pattern, a truncated save, a bad file beside a good one, and the
watcher's own write-back, all on a private copy of the sample workbook. Every
wait is a wait on a condition with a timeout; the only fixed waits are the
"nothing more happens" windows after the debounce (a negative can only be
observed by waiting).

The helpers here are also used by test_watching_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SAMPLE
from toolkit.xlsx import locks
from toolkit.core import schema
from toolkit.watch import runner as watch_passes, watcher as watching

pytestmark = pytest.mark.slow

TODAY = dt.date(2024, 12, 16)  # after HN-2024-11, so the sample's deadlines mean something
TIMINGS = dict(debounce_ms=200, stable_ms=200, lock_poll_ms=200, recheck_interval_ms=60_000)
QUIET = 2.5  # seconds after a write-back in which no new pass may start (≫ debounce + stable)
LIGHTING = "Đề nghị sửa đèn chiếu sáng hỏng ở ngõ 12"
DC = "Địa chính - Xây dựng - Đô thị - Môi trường"  # the department of the lighting rule


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def wait_until(pred, timeout: float = 60.0, every: float = 0.2) -> bool:
    """Poll ``pred`` every ``every`` seconds until it is true or ``timeout`` passes."""
    end = time.monotonic() + timeout
    while True:
        if pred():
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(every)


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sample_into(folder: Path) -> Path:
    """A private copy of the sample workbook in ``folder`` (never the committed file)."""
    if not SAMPLE.exists():
        pytest.skip("sample workbook not generated yet")
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(SAMPLE, folder / SAMPLE.name))


def _headers(ws) -> dict[str, int]:
    """Vietnamese header → 1-based column in the sheet's first row."""
    return {str(c.value).strip(): c.column for c in ws[1] if c.value is not None}


def petition_row(path: Path, content: str) -> dict[str, object] | None:
    """The 'Kiến nghị' row whose Nội dung is ``content``, as {header: value}."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[schema.KIEN_NGHI.name]
        rows = ws.iter_rows(values_only=True)
        head = [str(h).strip() if h is not None else "" for h in next(rows)]
        i = head.index(schema.KIEN_NGHI.col("noi_dung"))
        for r in rows:
            if len(r) > i and r[i] == content:
                return dict(zip(head, r))
        return None
    finally:
        wb.close()


def assigned_petition(path: Path, content: str = LIGHTING) -> dict[str, object] | None:
    """The petition, once the toolkit has written its department and reason."""
    try:
        row = petition_row(path, content)
    except Exception:  # mid-save: try again at the next poll
        return None
    if row and row.get(schema.KIEN_NGHI.col("chu_tri")) and row.get(schema.KIEN_NGHI.col("can_cu")):
        return row
    return None


def with_new_petition(path: Path, content: str = LIGHTING) -> bytes:
    """The workbook at ``path`` plus one petition typed by staff (department left blank)."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb[schema.KIEN_NGHI.name]
    cols = _headers(ws)
    k = schema.KIEN_NGHI
    who = cols[k.col("nguoi_kien_nghi")]
    row = 2
    while ws.cell(row, who).value not in (None, ""):
        row += 1
    for key, value in (("hoi_nghi", "HN-2024-11"), ("ngay_tiep_nhan", dt.datetime(2024, 11, 22)),
                       ("nguoi_kien_nghi", "Nguyễn Văn Thử"), ("to_dan_pho", "Tổ dân phố số 7"),
                       ("noi_dung", content)):
        cell = ws.cell(row, cols[k.col(key)], value)
        if key == "ngay_tiep_nhan":
            cell.number_format = schema.DATE_FORMAT
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@dataclass
class Started:
    path: Path
    locked: bool  # an owner/lock file existed when the pass started


class CountingPass:
    """The real pass (watch_passes.make_run_pass), counting starts and outcomes."""

    def __init__(self, out_dir: Path | None = None, today: dt.date = TODAY) -> None:
        self.inner = watch_passes.make_run_pass(out_dir, today=today)
        self.starts: list[Started] = []
        self.outcomes: list[tuple[Path, watching.PassOutcome, float]] = []
        self.lock = threading.Lock()

    def __call__(self, path: Path) -> watching.PassOutcome:
        with self.lock:
            self.starts.append(Started(path, any(p.exists() for p in locks.lock_paths(path))))
        outcome = self.inner(path)
        with self.lock:
            self.outcomes.append((path, outcome, time.monotonic()))
        return outcome

    def of(self, name: str) -> list[watching.PassOutcome]:
        with self.lock:
            return [o for p, o, _ in self.outcomes if p.name == name]

    def starts_of(self, name: str) -> list[Started]:
        with self.lock:
            return [s for s in self.starts if s.path.name == name]


class Lines:
    """The watcher's log lines (also printed, so pytest shows them on failure)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, line: str) -> None:
        print(line, flush=True)
        self.lines.append(line)

    def about(self, name: str) -> list[str]:
        return [line for line in list(self.lines) if name in line]


@contextmanager
def real_watcher(folder: Path, passes: CountingPass, log: Lines, **kw):
    """watching.watch with the real pass on a thread; stopped (and checked) on exit."""
    opts = dict(TIMINGS, **kw)
    stop = threading.Event()
    errors: list[BaseException] = []

    def target():
        try:
            watching.watch([folder], run_pass=passes, stop_event=stop, log=log, **opts)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)

    t = threading.Thread(target=target, daemon=True)
    t.start()
    try:
        yield stop
    finally:
        stop.set()
        t.join(timeout=60)  # a pass in progress finishes first
        assert not t.is_alive(), "the watcher did not stop"
        assert not errors, errors
        assert log.lines and log.lines[-1].endswith("Đã dừng theo dõi.")


def excel_save(book: Path, data: bytes, temp_name: str = "A1B2C3D4") -> None:
    """How Excel saves: an 8-character extension-less temp file, delete, rename."""
    temp = book.with_name(temp_name)
    temp.write_bytes(data)
    book.unlink()
    temp.rename(book)


def wait_outcomes(passes: CountingPass, name: str, n: int, timeout: float = 90) -> list[watching.PassOutcome]:
    assert wait_until(lambda: len(passes.of(name)) >= n, timeout), \
        f"expected {n} passes of {name}, saw {len(passes.of(name))}"
    return passes.of(name)


# --------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------


def test_own_write_back_starts_no_second_pass(tmp_path):
    book = sample_into(tmp_path / "so")
    passes, log = CountingPass(), Lines()
    with real_watcher(book.parent, passes, log):
        first = wait_outcomes(passes, book.name, 1)[0]
        assert first.written, first.line
        assert (book.parent / "ket-qua" / book.stem / "index.html").exists()
        written = sha(book)
        assert written == first.sha256_after
        assert not wait_until(lambda: len(passes.starts) > 1, timeout=QUIET), log.lines
        assert sha(book) == written


def test_excel_save_pattern_one_pass_no_write_while_owner_file_then_write_back(tmp_path):
    book = sample_into(tmp_path / "so")
    owner = book.with_name("~$" + book.name)
    passes, log = CountingPass(), Lines()
    with real_watcher(book.parent, passes, log):
        assert wait_outcomes(passes, book.name, 1)[0].written  # the start pass

        owner.write_bytes(b"\x0bNguyen Van A" + b"\x00" * 40)  # Excel opens the workbook
        saved = with_new_petition(book)
        excel_save(book, saved)
        second = wait_outcomes(passes, book.name, 2)[1]
        assert "81 kiến nghị" in second.line, second.line  # the pass saw the new petition
        assert not second.written and second.waiting_for_lock, second.line
        assert passes.starts[1].locked
        assert "đang mở trong Excel" in second.line and "sẽ ghi" in second.line, second.line
        # Exactly one pass for the whole save, and no write while Excel holds the file.
        assert not wait_until(lambda: len(passes.starts) > 2, timeout=QUIET), log.lines
        assert sha(book) == hashlib.sha256(saved).hexdigest()
        assert petition_row(book, LIGHTING)[schema.KIEN_NGHI.col("chu_tri")] in (None, "")

        owner.unlink()  # Excel closes the workbook → the write-back happens
        third = wait_outcomes(passes, book.name, 3)[2]
        assert third.written, third.line
        row = assigned_petition(book)
        assert row is not None and row[schema.KIEN_NGHI.col("chu_tri")] == DC, row
        assert any("đã được đóng" in line for line in log.about(book.name)), log.lines
        assert sha(book) == third.sha256_after
        # The watcher's own write-back starts no further pass.
        assert not wait_until(lambda: len(passes.starts) > 3, timeout=QUIET), log.lines
    assert not list(book.parent.glob("A1B2C3D4*"))


def test_truncated_save_is_logged_and_retried(tmp_path):
    book = sample_into(tmp_path / "so")
    passes, log = CountingPass(), Lines()
    with real_watcher(book.parent, passes, log):
        assert wait_outcomes(passes, book.name, 1)[0].written
        full = with_new_petition(book)

        book.write_bytes(full[: len(full) // 2])  # a save cut short
        cut = wait_outcomes(passes, book.name, 2)[1]
        assert not cut.written
        assert cut.line.startswith(book.name) and "cắt cụt" in cut.line, cut.line
        assert "Traceback" not in "\n".join(log.lines)

        book.write_bytes(full)  # the save completes (or staff save again)
        retry = wait_outcomes(passes, book.name, 3)[2]
        assert retry.written, retry.line
        assert "81 kiến nghị" in retry.line, retry.line
        assert assigned_petition(book)[schema.KIEN_NGHI.col("chu_tri")] == DC


def test_bad_file_beside_good_workbook_gives_one_line_and_the_good_one_is_processed(tmp_path):
    book = sample_into(tmp_path / "so")
    bad = book.with_name("hong.xlsx")
    bad.write_bytes(b"day khong phai tep Excel\n")
    passes, log = CountingPass(), Lines()
    with real_watcher(book.parent, passes, log):
        assert wait_outcomes(passes, book.name, 1)[0].written
        assert wait_outcomes(passes, bad.name, 1)
        bad_lines = log.about(bad.name)
        assert len(bad_lines) == 1, bad_lines
        assert "không phải sổ Excel" in bad_lines[0], bad_lines
        assert (book.parent / "ket-qua" / book.stem / "index.html").exists()
        assert not (book.parent / "ket-qua" / bad.stem / "index.html").exists()

        # The watcher goes on: the next save of the good workbook is processed.
        excel_save(book, with_new_petition(book))
        assert wait_outcomes(passes, book.name, 2)[1].written
        assert assigned_petition(book)[schema.KIEN_NGHI.col("chu_tri")] == DC
        assert len(log.about(bad.name)) == 1, log.lines
