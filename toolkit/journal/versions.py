"""The last version of each workbook the journal saw, kept as rows in SQLite (schema 2).

One row per staff-sheet row: the sheet, its Excel row, the row's identity, a stable
digest of its cells (``snapshot.digest``) and the cells as text (``snapshot.encode``).
A pass loads only (row, identity, digest) of the last version (:func:`load`), asks
for the cells of the few rows whose digest differs (:class:`StoredSheet`), and
updates only the rows that changed (:func:`write`), inside the transaction that
records the save. A version-1 journal kept one compressed blob per workbook instead:
:func:`migrate_v1` turns it into rows once.
"""

from __future__ import annotations

import json
import operator
import sqlite3

from toolkit.journal import snapshot as snap

TABLES = """
CREATE TABLE IF NOT EXISTS versions (workbook TEXT PRIMARY KEY, sha256 TEXT NOT NULL, save_id INTEGER);
CREATE TABLE IF NOT EXISTS version_sheets (id INTEGER PRIMARY KEY, workbook TEXT NOT NULL, name TEXT NOT NULL,
    pos INTEGER NOT NULL, columns TEXT NOT NULL, UNIQUE (workbook, name));
CREATE TABLE IF NOT EXISTS version_rows (id INTEGER PRIMARY KEY, sheet_id INTEGER NOT NULL, row INTEGER NOT NULL,
    ident TEXT, digest BLOB NOT NULL, cells TEXT NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS version_rows_at ON version_rows(sheet_id, row);
"""
BATCH = 2000       # rows whose cells are built and written at a time
_IN = 500          # rows asked for in one "IN (...)"
_by_row = operator.itemgetter(0)


class StoredSheet:
    """A sheet of the journal's last version: every row's key in memory, cells fetched when asked."""

    def __init__(self, db: sqlite3.Connection, sheet_id: int, columns: list[str], keys: list[snap.Key]):
        self._db, self.sheet_id, self.columns, self._keys = db, sheet_id, columns, keys

    def keys(self) -> list[snap.Key]:
        return self._keys

    def cells(self, indices) -> dict[int, tuple]:
        at = {self._keys[i][0]: i for i in indices}
        rows = list(at)
        out: dict[int, tuple] = {}
        for start in range(0, len(rows), _IN):
            chunk = rows[start:start + _IN]
            sql = f"SELECT row, cells FROM version_rows WHERE sheet_id=? AND row IN ({','.join('?' * len(chunk))})"
            for row, cells in self._db.execute(sql, [self.sheet_id, *chunk]):
                out[at[row]] = snap.decode(cells)
        if len(out) != len(at):
            raise sqlite3.DatabaseError("nhật ký thiếu dòng của phiên bản trước")
        return out

    def __len__(self) -> int:
        return len(self._keys)


def load(db: sqlite3.Connection, workbook: str, *, unless_sha256: str | None = None
         ) -> tuple[str, snap.Snapshot | None] | None:
    """(SHA-256, last version) of ``workbook``; the version is not loaded (None) when its hash
    is ``unless_sha256``; None when the journal has no version of it."""
    row = db.execute("SELECT sha256 FROM versions WHERE workbook=?", (workbook,)).fetchone()
    if row is None or row[0] == unless_sha256:
        return None if row is None else (row[0], None)
    out: snap.Snapshot = {}
    for sheet_id, name, columns in db.execute(
            "SELECT id, name, columns FROM version_sheets WHERE workbook=? ORDER BY pos", (workbook,)).fetchall():
        keys = db.execute("SELECT row, ident, digest FROM version_rows WHERE sheet_id=?", (sheet_id,)).fetchall()
        keys.sort(key=_by_row)
        out[name] = StoredSheet(db, sheet_id, json.loads(columns), keys)
    return row[0], out


def _changed_rows(old: list[snap.Key] | None, new: list[snap.Key]) -> tuple[list[int], list[int]]:
    """Indices of ``new`` rows to write and Excel rows of ``old`` to delete (matched by Excel row)."""
    if old is None:
        return list(range(len(new))), []
    old_at = {r: (k, d) for r, k, d in old}
    write = []
    for i, (r, k, d) in enumerate(new):
        if old_at.pop(r, None) != (k, d):
            write.append(i)
    return write, list(old_at)


def write(db: sqlite3.Connection, workbook: str, sha256: str, save_id: int | None, version: snap.Snapshot,
          base: snap.Snapshot | None = None, base_sha256: str | None = None) -> int:
    """Make ``version`` the journal's last version of ``workbook`` (inside the caller's transaction).
    ``base`` is the version the journal holds when its hash is ``base_sha256``: only rows that
    differ from it are written; otherwise every row is. Returns the number of rows written."""
    row = db.execute("SELECT sha256 FROM versions WHERE workbook=?", (workbook,)).fetchone()
    trusted = base is not None and row is not None and row[0] == base_sha256
    sheets = {name: (sid, cols) for sid, name, cols in db.execute(
        "SELECT id, name, columns FROM version_sheets WHERE workbook=?", (workbook,))}
    if not trusted:
        for sid, _cols in sheets.values():
            db.execute("DELETE FROM version_rows WHERE sheet_id=?", (sid,))
    written = 0
    for pos, (name, sheet) in enumerate(version.items()):
        columns = json.dumps(list(sheet.columns), ensure_ascii=False)
        if name in sheets:
            sid = sheets.pop(name)[0]
            db.execute("UPDATE version_sheets SET pos=?, columns=? WHERE id=?", (pos, columns, sid))
        else:
            sid = db.execute("INSERT INTO version_sheets (workbook, name, pos, columns) VALUES (?,?,?,?)",
                             (workbook, name, pos, columns)).lastrowid
        keys = sheet.keys()
        old = base[name].keys() if trusted and name in base else None
        if trusted and old is None:
            db.execute("DELETE FROM version_rows WHERE sheet_id=?", (sid,))
        todo, gone = _changed_rows(old, keys)
        db.executemany("DELETE FROM version_rows WHERE sheet_id=? AND row=?", [(sid, r) for r in gone])
        for start in range(0, len(todo), BATCH):
            chunk = todo[start:start + BATCH]
            cells = sheet.cells(chunk)
            db.executemany(
                "INSERT INTO version_rows (sheet_id, row, ident, digest, cells) VALUES (?,?,?,?,?) "
                "ON CONFLICT (sheet_id, row) DO UPDATE SET ident=excluded.ident, digest=excluded.digest, "
                "cells=excluded.cells",
                [(sid, keys[i][0], keys[i][1], keys[i][2], snap.encode(cells[i])) for i in chunk])
            del cells
        written += len(todo)
    for sid, _cols in sheets.values():     # sheets the workbook no longer has
        db.execute("DELETE FROM version_rows WHERE sheet_id=?", (sid,))
        db.execute("DELETE FROM version_sheets WHERE id=?", (sid,))
    db.execute("INSERT OR REPLACE INTO versions (workbook, sha256, save_id) VALUES (?,?,?)",
               (workbook, sha256, save_id))
    return written


def copy_from(db: sqlite3.Connection, schema: str, workbook: str, save_id: int | None) -> None:
    """Make the version of ``workbook`` in the attached database ``schema`` (a side journal) the
    journal's last one (inside the caller's transaction)."""
    found = db.execute(f"SELECT sha256 FROM {schema}.versions WHERE workbook=?", (workbook,)).fetchone()
    if found is None:
        return
    for (sid,) in db.execute("SELECT id FROM main.version_sheets WHERE workbook=?", (workbook,)).fetchall():
        db.execute("DELETE FROM main.version_rows WHERE sheet_id=?", (sid,))
    db.execute("DELETE FROM main.version_sheets WHERE workbook=?", (workbook,))
    for sid, name, pos, columns in db.execute(
            f"SELECT id, name, pos, columns FROM {schema}.version_sheets WHERE workbook=?", (workbook,)).fetchall():
        new = db.execute("INSERT INTO main.version_sheets (workbook, name, pos, columns) VALUES (?,?,?,?)",
                         (workbook, name, pos, columns)).lastrowid
        db.execute(f"INSERT INTO main.version_rows (sheet_id, row, ident, digest, cells) SELECT ?, row, ident, "
                   f"digest, cells FROM {schema}.version_rows WHERE sheet_id=? ORDER BY row", (new, sid))
    db.execute("INSERT OR REPLACE INTO main.versions (workbook, sha256, save_id) VALUES (?,?,?)",
               (workbook, found[0], save_id))


def migrate_v1(db: sqlite3.Connection) -> None:
    """A version-1 journal's snapshot blobs become rows (inside the caller's transaction). A blob
    this version cannot read is dropped: the next pass of that workbook starts a baseline."""
    from toolkit.journal import blob

    has = db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='snapshots'").fetchone()
    if not has:
        return
    for (workbook,) in db.execute("SELECT workbook FROM snapshots").fetchall():
        sha256, save_id, data = db.execute("SELECT sha256, save_id, data FROM snapshots WHERE workbook=?",
                                           (workbook,)).fetchone()
        old = blob.loads(data)
        del data
        if old is not None:
            write(db, workbook, sha256, save_id, old)
    db.execute("DROP TABLE snapshots")
