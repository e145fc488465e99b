"""Side journals: where a pass records while another program keeps the journal locked.

A DB browser holding a write transaction on ``nhat-ky.sqlite`` longer than the busy
timeout must not cost a save its entry (nor give it a later pass's time and person).
The pass records into a fresh journal beside it, ``nhat-ky.cho-<time>.sqlite``, same
schema; while the main journal stays locked, later passes add to that side journal
and compare with its last version. The first time the main journal is free again,
:func:`merge` copies every side journal into it — saves with their own time and
person, their changes and alerts, the last version's rows — in one transaction that
also marks the side journal merged, and only then removes the file. A side journal
that was not merged is never removed.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from toolkit.journal import versions

_MARK = "merged:"
_SAVE_COLS = "workbook, at, who, source, sha256, backup, added, changed, deleted, moved, note"
_CHANGE_COLS = "sheet, kind, row_key, row, old_row, col, old_value, new_value"


def pending(main: Path) -> list[Path]:
    """Side journals of ``main``, oldest first."""
    main = Path(main)
    try:
        return sorted(main.parent.glob(f"{main.stem}.cho-*{main.suffix}"))
    except OSError:
        return []


def new_path(main: Path) -> Path:
    main = Path(main)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return main.with_name(f"{main.stem}.cho-{stamp}{main.suffix}")


def remove(side: Path) -> bool:
    """Delete a merged side journal and its -wal/-shm files; False when it could not be removed."""
    ok = True
    for suffix in ("-wal", "-shm", ""):
        try:
            Path(str(side) + suffix).unlink(missing_ok=True)
        except OSError:
            ok = False
    return ok


def merge(db: sqlite3.Connection, side: Path) -> int | None:
    """Copy the side journal ``side`` into the journal open as ``db``, in one transaction, then
    remove it. Returns the number of saves merged (None: it had been merged already). Raises sqlite3.Error (nothing merged, the
    side journal kept) when either database is locked or unreadable."""
    mark = _MARK + side.name
    if db.execute("SELECT 1 FROM meta WHERE key=?", (mark,)).fetchone():
        remove(side)            # merged before; only its removal failed
        return None
    db.execute("ATTACH DATABASE ? AS side", (str(side),))
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            saved = {}
            for (old_id,) in db.execute("SELECT id FROM side.saves ORDER BY id").fetchall():
                new_id = db.execute(f"INSERT INTO main.saves ({_SAVE_COLS}) SELECT {_SAVE_COLS} FROM side.saves "
                                    "WHERE id=?", (old_id,)).lastrowid
                saved[old_id] = new_id
                db.execute(f"INSERT INTO main.changes (save_id, {_CHANGE_COLS}) SELECT ?, {_CHANGE_COLS} "
                           "FROM side.changes WHERE save_id=? ORDER BY id", (new_id, old_id))
                db.execute("INSERT INTO main.alerts (save_id, sheet, deleted, before, pinned) SELECT ?, sheet, "
                           "deleted, before, pinned FROM side.alerts WHERE save_id=? ORDER BY id", (new_id, old_id))
            for workbook, save_id in db.execute("SELECT workbook, save_id FROM side.versions").fetchall():
                versions.copy_from(db, "side", workbook, saved.get(save_id))
            db.execute("INSERT OR REPLACE INTO main.meta (key, value) VALUES (?, ?)",
                       (mark, dt.datetime.now().isoformat(timespec="seconds")))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    finally:
        db.execute("DETACH DATABASE side")
    remove(side)
    return len(saved)
