"""Work set aside: a call made by a forked process while this one goes on (Linux).

A pass and a roll-up are CPU-bound Python; on two cores a second process halves
what can run beside the rest. A forked child shares this process's memory (its
pages are copied only when written), so nothing is pickled on the way in; what
it returns, or the error it raised, comes back through a pipe.

Forking is safe only where no other thread may hold a lock the child would
then wait for forever: :func:`available` says so (Linux, this thread alone).
Elsewhere — Windows, macOS, the watcher's pass threads — callers do the work
in this process, as before.
"""

from __future__ import annotations

import sys
import threading
from typing import Any, Callable

FORKS = sys.platform.startswith("linux")


class Stopped(OSError):
    """The forked process ended without an answer (killed, out of memory)."""


def available() -> bool:
    """True when a forked process may do work: Linux, and no other thread runs in this process."""
    return FORKS and threading.active_count() == 1


def start(fn: Callable[..., Any], *args, stopped: str = "tiến trình làm việc song song dừng giữa chừng"
          ) -> Callable[[], Any]:
    """Start ``fn(*args)`` in a forked process; returns ``wait``, which returns what ``fn`` returned
    or raises what it raised (:class:`Stopped` with the message ``stopped`` when the process ended
    without an answer). ``wait`` must be called once: it also reaps the process."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            answer = ("ok", fn(*args))
        except BaseException as exc:   # noqa: BLE001 - handed to the parent, which raises it
            answer = ("error", exc)
        try:
            send.send(answer)
        except Exception as exc:       # noqa: BLE001 - an answer that cannot be pickled
            send.send(("error", Stopped(f"{stopped} ({type(exc).__name__}: {exc})")))

    for stream in (sys.stdout, sys.stderr):    # the child must not write this process's pending output again
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    proc = ctx.Process(target=child, daemon=True)
    proc.start()
    send.close()

    def wait() -> Any:
        try:
            kind, value = receive.recv()
        except EOFError:
            kind, value = "error", Stopped(stopped)
        finally:
            receive.close()
            proc.join()
        if kind == "error":
            raise value
        return value
    return wait


def wait_all(waits: list[Callable[[], Any]]) -> list[Any]:
    """Wait for every process set aside, then raise the first error one of them raised."""
    results, errors = [], []
    for wait in waits:
        try:
            results.append(wait())
        except BaseException as exc:   # noqa: BLE001 - raised below, after every process has ended
            errors.append(exc)
    if errors:
        raise errors[0]
    return results
