"""What a register beside this one teaches the learning router, kept on disk (rules.learning).

Reading a neighbour register for its confirmed petitions takes about a second at M
(20,000 petitions), and every one-shot ``doithoai check`` / ``run`` is a fresh process.
So the examples a neighbour contributes are kept in ``ket-qua/<its name>/.hoc-dinh-tuyen.json``,
in the neighbour's own toolkit folder beside it (xlsx.names.output_dir): one small file per
register, next to that register's outputs and journal, written by whichever pass read it.
One file per neighbour rather than one per folder: the watcher runs the registers of a
folder in turn and each may refresh a neighbour, so no two of them rewrite the same
file's other entries, and deleting a register's ket-qua folder deletes its cache.

A cache is valid for one version of the neighbour (its name, size and mtime_ns) and one
version of what is learnt from it (:data:`FORMAT` and the learning version the caller
gives). It is only an optimisation: a missing, damaged, unreadable or unwritable cache
(a read-only share) is ignored and the workbook is read as before. Writes are atomic
(xlsx.atomic); nothing is ever written into a workbook, and :func:`forget` removes the
cache of a file that turned out not to be a register.

Contents: each Nội dung and department is stored once (a register repeats Nội dung once
per delegate who raised it), the examples as [content index, department index, Mã].
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterable

from toolkit.xlsx.atomic import atomic_write
from toolkit.xlsx.names import output_dir

CACHE_NAME = ".hoc-dinh-tuyen.json"
FORMAT = 1

Row = tuple[str, str, str]          # (Nội dung, department, Mã or where the petition is)


def cache_file(workbook: Path) -> Path:
    return output_dir(workbook) / CACHE_NAME


def _stamp(workbook: Path, st: os.stat_result, version: str) -> dict:
    return {"format": FORMAT, "version": version, "name": Path(workbook).name,
            "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def load(workbook: Path, st: os.stat_result, version: str) -> list[Row] | None:
    """The examples cached for this version of ``workbook`` (``st``: its stat); None when
    there is no valid cache for it."""
    try:
        saved = json.loads(cache_file(workbook).read_bytes())
        if not isinstance(saved, dict) or saved.get("stamp") != _stamp(workbook, st, version):
            return None
        contents, departments, examples = saved["contents"], saved["departments"], saved["examples"]
        if not (isinstance(contents, list) and isinstance(departments, list) and isinstance(examples, list)
                and all(isinstance(s, str) for s in contents) and all(isinstance(s, str) for s in departments)):
            return None
        out = []
        for c, d, ident in examples:
            if type(c) is not int or type(d) is not int or c < 0 or d < 0 or not isinstance(ident, str):
                return None
            out.append((contents[c], departments[d], ident))
        return out
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def store(workbook: Path, st: os.stat_result, version: str, rows: Iterable[Row]) -> bool:
    """Keep ``rows``, read from ``workbook`` as it was at ``st``; False when it could not
    (folder not writable, or the workbook changed while it was read: the next pass reads it again)."""
    contents: dict[str, int] = {}
    departments: dict[str, int] = {}
    examples = [[contents.setdefault(c, len(contents)), departments.setdefault(d, len(departments)), ident]
                for c, d, ident in rows]
    saved = {"stamp": _stamp(workbook, st, version), "contents": list(contents),
             "departments": list(departments), "examples": examples}
    try:
        now = Path(workbook).stat()
        if (now.st_size, now.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
            return False
        data = json.dumps(saved, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        atomic_write(cache_file(workbook), data, attempts=2)
    except (OSError, ValueError):
        return False
    return True


def forget(workbook: Path) -> None:
    """Remove the cache of a file that is not (or no longer) a register, and its folder if
    nothing else is in it."""
    try:
        target = cache_file(workbook)
        if not target.is_file():
            return
        target.unlink()
        target.parent.rmdir()
    except OSError:
        pass
