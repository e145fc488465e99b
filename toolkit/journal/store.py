"""The journal database: every save of a watched workbook, cell by cell (docs/ARCHITECTURE.md, "The journal").

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
- ``versions``, ``version_sheets``, ``version_rows``: per workbook, the last version
  seen, one row per staff-sheet row (``toolkit.journal.versions``; schema 1 kept
  one compressed blob instead, migrated when a v1 file is opened).

The journal never blocks a pass: a damaged file is moved aside
(``nhat-ky.sqlite.hong-<time>``) and started again; while another program keeps
the file locked, saves go to a side journal beside it and are merged on a later pass
(``toolkit.journal.side``). Both are told in Vietnamese in ``notes``.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.journal import side as sides
from toolkit.journal import snapshot as snap
from toolkit.journal import versions

DB_NAME = "nhat-ky.sqlite"
SCHEMA_VERSION = 2
DOITHOAI = "doithoai"
STAFF, TOOLKIT, RESTORE, BASELINE = "staff", "doithoai", "restore", "baseline"
SOURCE_LABEL = {STAFF: "Lưu sổ", TOOLKIT: "doithoai ghi kết quả", RESTORE: "Khôi phục bản cũ",
                BASELINE: "Bắt đầu theo dõi"}
BUSY_TIMEOUT_S = 3.0
_LOCKED = object()

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
CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY, save_id INTEGER NOT NULL REFERENCES saves(id),
    sheet TEXT NOT NULL, deleted INTEGER NOT NULL, before INTEGER NOT NULL, pinned TEXT);
CREATE INDEX IF NOT EXISTS changes_save ON changes(save_id);
CREATE INDEX IF NOT EXISTS changes_key ON changes(row_key);
CREATE INDEX IF NOT EXISTS saves_at ON saves(workbook, at);
""" + versions.TABLES


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

    @property
    def where(self) -> str:
        """The sheet as staff should read it: a department's file (``phan-hoi/<sổ>/<mã>.xlsx``,
        toolkit.journal.files) is named before its sheet."""
        return f"{self.save.workbook} › {self.sheet}" if "/" in self.save.workbook else self.sheet

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
    for a locked or damaged database (``ok`` False: nothing was recorded this time).

    While another program keeps the file locked (``main_locked``), saves go to a side journal
    beside it (``side_path``) and the last version is read from there when it has one; opening
    the file when it is free merges every side journal into it first (``toolkit.journal.side``)."""

    path: Path
    notes: list[str] = field(default_factory=list)
    ok: bool = True
    is_side: bool = False
    merging: bool = True        # opening the file merges the side journals waiting beside it
    main_locked: bool = False
    side_path: Path | None = None
    merged: int = 0
    _db: sqlite3.Connection | None = None
    _side: "Journal | None" = None

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
            try:       # a journal already set up is only read here (it may be locked for writing)
                row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            except sqlite3.OperationalError as err:
                if _locked(err) or "no such table" not in str(err):
                    raise
                row = None
            if row is None:
                db.executescript(_SCHEMA)
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            elif int(row[0]) > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema {row[0]} mới hơn bản doithoai này")
            elif int(row[0]) < SCHEMA_VERSION:
                self._migrate(db)
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """An older journal brought to this schema in one transaction (v1: blobs become rows)."""
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            versions.migrate_v1(db)
            db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

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
        if self._db is not None or self.main_locked:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._connect()
        except sqlite3.Error as err:
            return self._trouble(err, retry=True)
        except (OSError, ValueError) as err:
            self.ok = False
            self.notes.append(f"Không mở được nhật ký {self.path} ({err}); lượt này không ghi nhật ký.")
            return None
        if self.merging and not self.is_side:
            self._merge_sides()
        return self._db

    def _merge_sides(self) -> None:
        """Every side journal into this one, oldest first; stops at the first lock."""
        for path in sides.pending(self.path):
            try:
                n = sides.merge(self._db, path)
            except sqlite3.Error as err:
                if _locked(err):      # still readable (WAL); saves go to the side journal
                    self.main_locked = True
                    return
                self.notes.append(f"Chưa gộp được nhật ký tạm {path.name} vào {self.path.name} ({err}); tệp đó "
                                  "được giữ nguyên, lượt sau sẽ thử lại.")
                continue
            if n is None:
                continue
            self.merged += n
            self.notes.append(f"Đã gộp nhật ký tạm {path.name} ({n} lần lưu) vào {self.path.name}: không mất "
                              "lần lưu nào trong lúc nhật ký bị khóa.")

    def _trouble(self, err: sqlite3.Error, *, retry: bool) -> sqlite3.Connection | None:
        """A locked database: saves go to a side journal (the file is still read when it can be).
        A damaged one: set it aside and start a new one."""
        if _locked(err):
            self.main_locked = True
            return self._db
        self.close()
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
        if self._side is not None:
            self._side.close()

    def _run(self, work, default=None, *, writing: bool = False):
        """``work(db)`` once; on a damaged database, once more on a fresh one. A locked database
        gives ``default`` (``_LOCKED`` when ``writing``: the caller records in a side journal)."""
        for attempt in (0, 1):
            db = self.open()
            if db is None:
                if self.main_locked and not writing:
                    self._unread_note()
                return _LOCKED if writing and self.main_locked else default
            try:
                return work(db)
            except sqlite3.Error as err:
                if db.in_transaction:
                    try:
                        db.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if _locked(err):
                    self._trouble(err, retry=False)
                    if not writing:
                        self._unread_note()
                    return _LOCKED if writing else default
                if attempt:
                    self._trouble(err, retry=False)
                    return default
                self._trouble(err, retry=True)
        return default

    # --- side journals --------------------------------------------------------------

    def _side_journal(self, *, create: bool) -> "Journal | None":
        """The side journal this process records in while the file is locked (the newest waiting
        one, else a new one when ``create``)."""
        if self._side is None:
            waiting = sides.pending(self.path)
            if not waiting and not create:
                return None
            self.side_path = waiting[-1] if waiting else sides.new_path(self.path)
            self._side = Journal(self.side_path, is_side=True)
        return self._side

    def _unread_note(self) -> None:
        note = (f"Nhật ký {self.path.name} đang bị chương trình khác khóa nên chưa đọc được. Đóng chương trình "
                "đang mở tệp nhật ký rồi thử lại.")
        if note not in self.notes:
            self.notes.append(note)

    def _locked_note(self) -> None:
        note = (f"Nhật ký {self.path.name} đang bị chương trình khác khóa (ví dụ một chương trình xem cơ sở "
                f"dữ liệu đang mở nó). Lượt này được ghi tạm vào {self.side_path.name} bên cạnh; khi tệp được "
                "giải phóng, lượt sau sẽ tự gộp vào nhật ký chính, không mất gì. Hãy đóng chương trình đang mở "
                "tệp nhật ký.")
        if note not in self.notes:
            self.notes.append(note)

    # --- writing --------------------------------------------------------------------

    def last(self, workbook: str, *, unless_sha256: str | None = None) -> tuple[str, snap.Snapshot | None] | None:
        """(SHA-256, last version) of ``workbook`` as the journal saw it: each sheet gives its rows'
        keys and fetches cells when asked (``versions.StoredSheet``). When that version's hash is
        ``unless_sha256`` it is not loaded (None). While the file is locked, a side journal that
        has a version of ``workbook`` is read instead."""
        self.open()
        if self.main_locked:
            side = self._side_journal(create=False)
            if side is not None:
                found = side._run(lambda db: versions.load(db, workbook, unless_sha256=unless_sha256))
                self.notes.extend(side.notes)
                side.notes.clear()
                if found is not None:
                    return found
        return self._run(lambda db: versions.load(db, workbook, unless_sha256=unless_sha256))

    def record(self, workbook: str, *, at: dt.datetime, who: str, source: str, sha256: str,
               snapshot: snap.Snapshot, changes: list[snap.Change], backup: str | None = None,
               note: str | None = None, alerts: list[tuple[str, int, int, str | None]] = (),
               base: snap.Snapshot | None = None, base_sha256: str | None = None) -> int | None:
        """One save in one transaction (the save, its changes, the new version). Returns its id."""
        ids = self.record_all(workbook, [NewSave(at, who, source, sha256, changes, backup, note, list(alerts))],
                              snapshot, base=base, base_sha256=base_sha256)
        return ids[0] if ids else None

    def record_all(self, workbook: str, saves: list["NewSave"], snapshot: snap.Snapshot, *,
                   base: snap.Snapshot | None = None, base_sha256: str | None = None) -> list[int] | None:
        """Saves seen by one pass (a staff save and the toolkit's write-back after it) in one
        transaction; ``snapshot`` is the last one's version. ``base`` is the version the journal
        held (hash ``base_sha256``), from ``last``: only the rows that differ from it are written."""
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
            versions.write(db, workbook, saves[-1].sha256, ids[-1], snapshot, base, base_sha256)
            db.execute("COMMIT")
            return ids

        if not self.main_locked:
            ids = self._run(work, writing=True)
            if ids is not _LOCKED:
                return ids
        side = self._side_journal(create=True)
        ids = side._run(work)
        self.notes.extend(side.notes)
        side.notes.clear()
        if ids is not None:
            self._locked_note()
        else:
            self.ok = False
            self.notes.append(f"Nhật ký {self.path.name} đang bị chương trình khác khóa và không ghi tạm được; "
                              "lượt này chưa ghi nhật ký. Sổ không bị ảnh hưởng.")
        return ids

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


    def entries_for(self, workbook: str | None, row_keys: list[str]) -> list[Entry]:
        """Journal lines of these rows (petition codes), newest save first; ``workbook`` None: of
        every workbook in this journal (the register and its departments' files)."""
        if not row_keys:
            return []
        marks = ",".join("?" * len(row_keys))
        where, args = _where(workbook=workbook)
        return self._entries(f"{self._ENTRY_SELECT} WHERE c.row_key IN ({marks}){where} "
                             "ORDER BY s.at DESC, s.id DESC, c.id", [*row_keys, *args])

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
