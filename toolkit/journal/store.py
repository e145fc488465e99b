"""The journal database: every save of a watched workbook, cell by cell (DESIGN.md §8).

``ket-qua/<name>/nhat-ky.sqlite`` (standard-library sqlite3, WAL mode). One
transaction per save: the save's row, its changed cells and the new snapshot
(``toolkit.journal.snapshot``) go in together or not at all, so a process killed at
any moment leaves either the whole save or none of it.

Tables (``meta.schema_version`` says which layout the file has):

- ``saves``: one row per save seen: workbook (file name), time of the save,
  who, source (``staff``, ``doithoai`` for the toolkit's own write-back,
  ``restore``, ``baseline`` for the first version seen), the file's SHA-256,
  its backup in sao-luu, counts, a note;
- ``changes``: one row per changed cell (kind added / changed / deleted) or
  moved row, with sheet, the row's identity, rows before and after, column,
  old and new value;
- ``snapshots``: per workbook, the last version seen (compressed).

The journal never blocks a pass: a damaged file is moved aside
(``nhat-ky.sqlite.hong-<time>``) and started again; a file another program
keeps locked is skipped for this pass (the next pass compares with the last
snapshot, so nothing is lost). Both are told in Vietnamese in ``notes``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.journal import snapshot as snap

DB_NAME = "nhat-ky.sqlite"
SCHEMA_VERSION = 1
DOITHOAI = "doithoai"
STAFF, TOOLKIT, RESTORE, BASELINE = "staff", "doithoai", "restore", "baseline"
SOURCE_LABEL = {STAFF: "Lưu sổ", TOOLKIT: "doithoai ghi kết quả", RESTORE: "Khôi phục bản cũ",
                BASELINE: "Bắt đầu theo dõi"}
BUSY_TIMEOUT_S = 3.0
# The snapshot each (journal, workbook) last stored in this process, with its hash: the watcher's
# next pass compares with it without reading it back (used only while the file says the same hash).
_KEPT: dict[tuple[Path, str], tuple[str, snap.Snapshot]] = {}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS saves (
    id INTEGER PRIMARY KEY, workbook TEXT NOT NULL, at TEXT NOT NULL, who TEXT NOT NULL,
    source TEXT NOT NULL, sha256 TEXT NOT NULL, backup TEXT, added INTEGER NOT NULL DEFAULT 0,
    changed INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0, moved INTEGER NOT NULL DEFAULT 0,
    note TEXT);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY, save_id INTEGER NOT NULL REFERENCES saves(id), sheet TEXT NOT NULL,
    kind TEXT NOT NULL, row_key TEXT NOT NULL, row INTEGER, old_row INTEGER, col TEXT,
    old_value TEXT, new_value TEXT);
CREATE TABLE IF NOT EXISTS snapshots (workbook TEXT PRIMARY KEY, sha256 TEXT NOT NULL, save_id INTEGER,
    data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY, save_id INTEGER NOT NULL REFERENCES saves(id),
    sheet TEXT NOT NULL, deleted INTEGER NOT NULL, before INTEGER NOT NULL, pinned TEXT);
CREATE INDEX IF NOT EXISTS changes_save ON changes(save_id);
CREATE INDEX IF NOT EXISTS changes_key ON changes(row_key);
CREATE INDEX IF NOT EXISTS saves_at ON saves(workbook, at);
"""


@dataclass
class Save:
    id: int
    workbook: str
    at: dt.datetime
    who: str
    source: str
    sha256: str
    backup: str | None
    added: int
    changed: int
    deleted: int
    moved: int
    note: str | None

    def summary(self) -> str:
        """One Vietnamese line: what this save changed."""
        parts = []
        if self.added:
            parts.append(f"thêm {self.added} dòng")
        if self.deleted:
            parts.append(f"xóa {self.deleted} dòng")
        if self.changed:
            parts.append(f"sửa {self.changed} ô")
        if self.moved:
            parts.append(f"chuyển chỗ {self.moved} dòng")
        if not parts:
            parts.append("bắt đầu theo dõi" if self.source == BASELINE else "không đổi dữ liệu")
        return ", ".join(parts)


@dataclass
class NewSave:
    """A save to record."""

    at: dt.datetime
    who: str
    source: str
    sha256: str
    changes: list[snap.Change]
    backup: str | None = None
    note: str | None = None
    alerts: list[tuple[str, int, int, str | None]] = field(default_factory=list)


@dataclass
class Entry:
    """One journal line: a change and the save it belongs to."""

    save: Save
    sheet: str
    kind: str
    row_key: str
    row: int | None
    old_row: int | None
    column: str | None
    old: str | None
    new: str | None

    def as_dict(self) -> dict:
        return {"thoi_gian": self.save.at.isoformat(timespec="seconds"), "nguoi": self.save.who,
                "nguon": self.save.source, "so": self.save.workbook, "sheet": self.sheet, "loai": self.kind,
                "dong": self.row_key, "dong_so": self.row, "dong_cu": self.old_row, "cot": self.column,
                "gia_tri_cu": self.old, "gia_tri_moi": self.new}


def _locked(err: sqlite3.Error) -> bool:
    text = str(err).lower()
    return isinstance(err, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


@dataclass
class Journal:
    """One journal file. Every method turns SQLite trouble into ``notes``; it never raises
    for a locked or damaged database (``ok`` False: nothing was recorded this time)."""

    path: Path
    notes: list[str] = field(default_factory=list)
    ok: bool = True
    _db: sqlite3.Connection | None = None

    # --- opening --------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            try:
                mode = db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            except sqlite3.OperationalError as err:
                if _locked(err):
                    raise
                mode = "delete"   # a file system without shared memory (some network shares)
            db.execute("PRAGMA synchronous=" + ("NORMAL" if str(mode).lower() == "wal" else "FULL"))
            db.executescript(_SCHEMA)
            row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if row is None:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema {row[0]} mới hơn bản doithoai này")
        except BaseException:
            db.close()
            raise
        return db

    def _set_aside(self) -> Path | None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.hong-{stamp}")
        moved = None
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(self.path) + suffix)
            if not part.exists():
                continue
            try:
                os.replace(part, Path(str(aside) + suffix))
                moved = moved or aside
            except OSError:
                try:
                    part.unlink()
                except OSError:
                    return None
        return moved or aside

    def open(self) -> sqlite3.Connection | None:
        if self._db is not None:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
            return self._db
        except sqlite3.Error as err:
            return self._trouble(err, retry=True)
        except (OSError, ValueError) as err:
            self.ok = False
            self.notes.append(f"Không mở được nhật ký {self.path} ({err}); lượt này không ghi nhật ký.")
            return None

    def _trouble(self, err: sqlite3.Error, *, retry: bool) -> sqlite3.Connection | None:
        """A locked database: skip this pass. A damaged one: set it aside and start a new one."""
        self.close()
        if _locked(err):
            self.ok = False
            self.notes.append(f"Nhật ký {self.path.name} đang bị chương trình khác khóa; lượt này chưa ghi nhật ký, "
                              "lượt sau sẽ ghi bù. Đóng chương trình đang mở tệp nhật ký nếu có.")
            return None
        aside = self._set_aside()
        if aside is None or not retry:
            self.ok = False
            self.notes.append(f"Nhật ký {self.path} bị hỏng ({err}) và không làm lại được; lượt này không ghi "
                              "nhật ký. Sổ không bị ảnh hưởng.")
            return None
        self.notes.append(f"Nhật ký {self.path.name} bị hỏng ({err}): đã để riêng thành {aside.name} và bắt đầu "
                          "nhật ký mới. Sổ không bị ảnh hưởng; các bản sao lưu trong sao-luu vẫn còn.")
        try:
            self._db = self._connect()
            return self._db
        except sqlite3.Error as again:
            self.ok = False
            self.notes.append(f"Không tạo lại được nhật ký ({again}); lượt này không ghi nhật ký.")
            return None

    def close(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    def _run(self, work, default=None):
        """``work(db)`` once; on a damaged database, once more on a fresh one."""
        for attempt in (0, 1):
            db = self.open()
            if db is None:
                return default
            try:
                return work(db)
            except sqlite3.Error as err:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if _locked(err) or attempt:
                    self._trouble(err, retry=False)
                    return default
                self._trouble(err, retry=True)
        return default

    # --- writing --------------------------------------------------------------------

    def last(self, workbook: str, *, unless_sha256: str | None = None) -> tuple[str, snap.Snapshot | None] | None:
        """(SHA-256, snapshot) of the last version of ``workbook`` the journal saw; when that
        version's hash is ``unless_sha256`` the snapshot is not loaded (None). The watcher's
        process keeps the snapshot it last stored, so it is not read back from the file."""
        def work(db):
            row = db.execute("SELECT sha256 FROM snapshots WHERE workbook=?", (workbook,)).fetchone()
            if row is None or row[0] == unless_sha256:
                return None if row is None else (row[0], None)
            kept = _KEPT.get((self.path, workbook))
            if kept is not None and kept[0] == row[0]:
                return kept
            blob = db.execute("SELECT data FROM snapshots WHERE workbook=?", (workbook,)).fetchone()
            return row[0], snap.loads(blob[0]) if blob else None
        return self._run(work)

    def record(self, workbook: str, *, at: dt.datetime, who: str, source: str, sha256: str,
               snapshot: snap.Snapshot, changes: list[snap.Change], backup: str | None = None,
               note: str | None = None, alerts: list[tuple[str, int, int, str | None]] = ()) -> int | None:
        """One save in one transaction (the save, its changes, the new snapshot). Returns its id."""
        ids = self.record_all(workbook, [NewSave(at, who, source, sha256, changes, backup, note, list(alerts))],
                              snapshot)
        return ids[0] if ids else None

    def record_all(self, workbook: str, saves: list["NewSave"], snapshot: snap.Snapshot) -> list[int] | None:
        """Saves seen by one pass (a staff save and the toolkit's write-back after it) in one
        transaction; ``snapshot`` is the last one's."""
        blob = snap.dumps(snapshot)

        def work(db):
            db.execute("BEGIN IMMEDIATE")
            ids = []
            for s in saves:
                c = snap.counts(s.changes)
                cur = db.execute(
                    "INSERT INTO saves (workbook, at, who, source, sha256, backup, added, changed, deleted, moved,"
                    " note) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (workbook, s.at.isoformat(timespec="seconds"), s.who, s.source, s.sha256, s.backup,
                     c[snap.ADDED], c[snap.CHANGED], c[snap.DELETED], c[snap.MOVED], s.note))
                save_id = cur.lastrowid
                ids.append(save_id)
                db.executemany(
                    "INSERT INTO changes (save_id, sheet, kind, row_key, row, old_row, col, old_value, new_value)"
                    " VALUES (?,?,?,?,?,?,?,?,?)",
                    [(save_id, ch.sheet, ch.kind, ch.row_key, ch.row, ch.old_row, ch.column, ch.old, ch.new)
                     for ch in s.changes])
                db.executemany("INSERT INTO alerts (save_id, sheet, deleted, before, pinned) VALUES (?,?,?,?,?)",
                               [(save_id, *a) for a in s.alerts])
            db.execute("INSERT OR REPLACE INTO snapshots (workbook, sha256, save_id, data) VALUES (?,?,?,?)",
                       (workbook, saves[-1].sha256, ids[-1], blob))
            db.execute("COMMIT")
            _KEPT[(self.path, workbook)] = (saves[-1].sha256, snapshot)
            return ids
        return self._run(work)

    def set_note(self, save_id: int, note: str) -> None:
        def work(db):
            db.execute("UPDATE saves SET note = coalesce(note || ' ', '') || ? WHERE id=?", (note, save_id))
        self._run(work)

    def set_backup(self, save_id: int, backup: str) -> None:
        self._run(lambda db: db.execute("UPDATE saves SET backup=? WHERE id=?", (backup, save_id)))

    def alerts(self, workbook: str, *, since: dt.datetime) -> list[tuple[Save, str, int, int, str | None]]:
        """Mass deletions recorded since ``since``: (save, sheet, rows deleted, rows before, pinned backup)."""
        sql = (f"SELECT {self._SAVE_COLS}, a.sheet, a.deleted, a.before, a.pinned FROM alerts a "
               "JOIN saves s ON s.id = a.save_id WHERE s.workbook=? AND s.at>=? ORDER BY s.at DESC, a.id")
        args = (workbook, since.isoformat(timespec="seconds"))
        return self._run(lambda db: [(self._save(r[:12]), *r[12:]) for r in db.execute(sql, args)], [])

    def last_backup(self, workbook: str) -> tuple[int, str] | None:
        """(save id, backup name) of the newest save that has a backup."""
        sql = "SELECT id, backup FROM saves WHERE workbook=? AND backup IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1"
        return self._run(lambda db: db.execute(sql, (workbook,)).fetchone())

    def rename_backup(self, old: str, new: str) -> None:
        self._run(lambda db: db.execute("UPDATE saves SET backup=? WHERE backup=?", (new, old)))

    # --- reading --------------------------------------------------------------------

    _SAVE_COLS = "s.id, s.workbook, s.at, s.who, s.source, s.sha256, s.backup, s.added, s.changed, s.deleted, " \
                 "s.moved, s.note"
    _ENTRY_SELECT = (f"SELECT {_SAVE_COLS}, c.sheet, c.kind, c.row_key, c.row, c.old_row, c.col, c.old_value, "
                     "c.new_value FROM changes c JOIN saves s ON s.id = c.save_id")

    @staticmethod
    def _save(row) -> Save:
        return Save(row[0], row[1], dt.datetime.fromisoformat(row[2]), *row[3:12])

    def saves(self, workbook: str | None = None, *, since: dt.datetime | None = None,
              limit: int | None = None, newest_first: bool = True) -> list[Save]:
        where, args = _where(workbook=workbook, since=since)
        sql = f"SELECT {self._SAVE_COLS} FROM saves s WHERE 1=1{where}"
        sql += " ORDER BY s.at DESC, s.id DESC" if newest_first else " ORDER BY s.at, s.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._run(lambda db: [self._save(r) for r in db.execute(sql, args)], [])

    def entries(self, workbook: str | None = None, *, row_key: str | None = None,
                since: dt.datetime | None = None, save_id: int | None = None,
                limit: int | None = None) -> list[Entry]:
        """Journal lines, newest save first (within a save in the order they were found)."""
        where, args = _where(workbook=workbook, row_key=row_key, since=since, save_id=save_id)
        sql = f"{self._ENTRY_SELECT} WHERE 1=1{where} ORDER BY s.at DESC, s.id DESC, c.id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return self._entries(sql, args)


    def entries_for(self, workbook: str, row_keys: list[str]) -> list[Entry]:
        """Journal lines of these rows (petition codes), newest save first."""
        if not row_keys:
            return []
        marks = ",".join("?" * len(row_keys))
        return self._entries(f"{self._ENTRY_SELECT} WHERE s.workbook=? AND c.row_key IN ({marks}) "
                             "ORDER BY s.at DESC, s.id DESC, c.id", [workbook, *row_keys])

    def _entries(self, sql: str, args: list) -> list[Entry]:
        return self._run(lambda db: [Entry(self._save(r[:12]), *r[12:]) for r in db.execute(sql, args)], [])


def _where(*, workbook: str | None = None, row_key: str | None = None, since: dt.datetime | None = None,
           save_id: int | None = None) -> tuple[str, list]:
    """The " AND …" conditions of a journal query for the filters given, and their arguments."""
    clauses, args = [], []
    for clause, value in ((" AND s.workbook=?", workbook or None), (" AND c.row_key=?", row_key or None),
                          (" AND s.at>=?", since.isoformat(timespec="seconds") if since else None),
                          (" AND s.id=?", save_id)):
        if value is not None:
            clauses.append(clause)
            args.append(value)
    return "".join(clauses), args


def journal_path(out_dir: Path) -> Path:
    return Path(out_dir) / DB_NAME
