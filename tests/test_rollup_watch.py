"""`doithoai watch` on a province folder: the scheduler on a fake clock, then the real loop on a real folder."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
import time

import pytest

from toolkit.starter.province import make_province, make_ward
from toolkit.watch.province import ProvinceScheduler, fingerprint, is_province_folder, watch_province

A = (("a/so.xlsx", 100, 1),)
B = (("a/so.xlsx", 200, 2),)


def test_start_rolls_up_once_the_folder_is_still():
    s = ProvinceScheduler(debounce=0.8, stable=0.5)
    assert not s.due(A, 0.0)          # first look: the fingerprint starts its stability wait
    assert not s.due(A, 0.3)
    assert s.due(A, 0.6)
    s.started(A)
    assert not s.due(A, 10.0)         # nothing changed since


def test_a_burst_of_events_gives_one_roll_up_after_the_debounce():
    s = ProvinceScheduler(debounce=0.8, stable=0.0)
    s.started(A)
    for t in (1.0, 1.2, 1.5):
        s.event(t)
        assert not s.due(B, t)
    assert not s.due(B, 2.2)          # 0.7 s after the last event
    assert s.due(B, 2.31)
    s.started(B)
    assert not s.due(B, 5.0)


def test_a_file_still_growing_delays_the_roll_up():
    s = ProvinceScheduler(debounce=0.2, stable=0.5)
    s.started(A)
    s.event(1.0)
    growing = [(("a/so.xlsx", n, n),) for n in (10, 20, 30)]
    assert not s.due(growing[0], 1.3)
    assert not s.due(growing[1], 1.6)
    assert not s.due(growing[2], 1.9)
    assert not s.due(growing[2], 2.3)
    assert s.due(growing[2], 2.41)


def test_a_lost_event_is_caught_by_the_recheck():
    s = ProvinceScheduler(debounce=0.1, stable=0.0)
    s.started(A)
    s.recheck(A, 30.0)
    assert not s.dirty
    s.recheck(B, 60.0)                # a file changed on a network share, no event came
    assert s.dirty and s.due(B, 60.2)


def test_a_failed_roll_up_is_tried_again_at_the_recheck():
    s = ProvinceScheduler(debounce=0.1, stable=0.0)
    s.started(A)
    s.failed()                        # e.g. another roll-up held the store
    s.recheck(A, 30.0)                # nothing changed, yet it runs again
    assert s.due(A, 30.2)


def test_an_event_during_a_roll_up_gives_one_more_after():
    s = ProvinceScheduler(debounce=0.1, stable=0.0)
    s.started(A)                      # roll-up running from A
    s.event(5.0)                      # a ward saved meanwhile
    assert s.due(B, 5.2)


# --- the real loop ------------------------------------------------------------------------------

AS_OF = dt.date(2025, 12, 1)


@pytest.fixture
def province(tmp_path):
    return make_province(tmp_path / "tinh", 3, today=AS_OF)


def _totals(out):
    import duckdb

    con = duckdb.connect(str(out / "du-lieu.duckdb"), read_only=True)
    try:
        return dict(con.execute("SELECT file, count(*) FROM petitions GROUP BY file").fetchall())
    finally:
        con.close()


class Runs:
    def __init__(self, folder, out):
        from toolkit.watch.province import make_run_rollup

        self.real = make_run_rollup(folder, out, AS_OF)
        self.lines: list[str] = []
        self.cond = threading.Condition()

    def __call__(self) -> str:
        line = self.real()
        with self.cond:
            self.lines.append(line)
            self.cond.notify_all()
        return line

    def wait(self, n: int, timeout: float = 60.0) -> None:
        end = time.monotonic() + timeout
        with self.cond:
            while len(self.lines) < n:
                left = end - time.monotonic()
                assert left > 0, f"only {len(self.lines)} roll-ups: {self.lines}"
                self.cond.wait(left)


@pytest.mark.slow
def test_the_watcher_rolls_up_when_a_ward_appears_changes_or_goes(province, tmp_path):
    folder = province.folder
    out = folder / "tong-hop-cap-tren"
    runs = Runs(folder, out)
    stop = threading.Event()
    log: list[str] = []
    thread = threading.Thread(target=watch_province, kwargs=dict(
        folder=folder, run=runs, debounce_ms=150, stable_ms=150, recheck_interval_ms=60_000,
        stop_event=stop, log=log.append), daemon=True)
    thread.start()
    try:
        runs.wait(1)                                             # on start
        assert is_province_folder(folder)
        assert len(_totals(out)) == 3

        extra = make_ward(folder / "phuong-moi" / "so.xlsx", 7, AS_OF)   # a ward appears
        runs.wait(2)
        assert _totals(out)["phuong-moi/so.xlsx"] == len(extra.petitions)
        assert "đọc lại 1 tệp" in runs.lines[-1]

        changed = make_ward(folder / "phuong-moi" / "so.xlsx", 7, AS_OF, seed=4242)   # saved again
        runs.wait(3)
        assert _totals(out)["phuong-moi/so.xlsx"] == len(changed.petitions)

        shutil.rmtree(folder / "phuong-moi")                      # it goes
        runs.wait(4)
        assert "phuong-moi/so.xlsx" not in _totals(out)
        assert "bỏ 1 tệp đã xóa" in runs.lines[-1]

        (out / "ghi-chu.xlsx").write_bytes(b"")                   # the roll-up's own folder: no roll-up
        time.sleep(1.0)
        assert len(runs.lines) == 4
    finally:
        stop.set()
        thread.join(timeout=30)
    assert not thread.is_alive()
    assert log[0].startswith("Đang theo dõi thư mục tổng hợp") and log[-1] == "Đã dừng theo dõi."
    assert fingerprint(folder, out) == fingerprint(folder)


def test_watch_help_names_the_rollup_mode():
    from clirun import doithoai

    ran = doithoai("watch", "--help")
    assert ran.code == 0 and "--rollup" in ran.out and "tong-hop-cap-tren" in ran.out
    assert json.dumps(ran.out)  # printable
