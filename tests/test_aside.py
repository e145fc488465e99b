"""toolkit.core.aside: a call made by a forked process hands back its answer, its error, or says it died."""

from __future__ import annotations

import os
import threading

import pytest

from toolkit.core import aside

pytestmark = pytest.mark.skipif(not aside.FORKS, reason="forking (Linux)")


def _square_and_pid(n):
    return n * n, os.getpid()


def _fails(message):
    raise ValueError(message)


def _dies():
    os._exit(9)


def test_the_answer_comes_back_from_another_process():
    wait = aside.start(_square_and_pid, 12)
    square, pid = wait()
    assert square == 144 and pid != os.getpid()


def test_the_error_it_raised_is_raised_here():
    wait = aside.start(_fails, "hỏng")
    with pytest.raises(ValueError, match="hỏng"):
        wait()


def test_a_process_that_dies_says_so_in_vietnamese():
    wait = aside.start(_dies, stopped="tiến trình ghi tong-hop.xlsx dừng giữa chừng")
    with pytest.raises(aside.Stopped, match="tong-hop.xlsx dừng giữa chừng"):
        wait()


def test_every_process_is_waited_for_before_the_first_error_is_raised(tmp_path):
    marker = tmp_path / "done"
    waits = [aside.start(_fails, "first"), aside.start(marker.write_text, "written")]
    with pytest.raises(ValueError, match="first"):
        aside.wait_all(waits)
    assert marker.read_text() == "written"


def test_not_available_while_another_thread_runs():
    assert aside.available() is (threading.active_count() == 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert aside.available() is False
    finally:
        stop.set()
        other.join()
