"""The journal keeps the last version as rows (schema 2), migrates a version-1 journal, and
records into a side journal while another program keeps it locked (docs/ARCHITECTURE.md, "The journal", issue 15)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl

from toolkit.core import schema
from toolkit.journal import side as sides
from toolkit.journal import snapshot as snap
from toolkit.journal import store as jr
from toolkit.pipeline import history, passes
from toolkit.starter import sample

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI
V1 = Path(__file__).parent / "data" / "nhat-ky-v1.sqlite"   # made by the schema-1 code: a first pass of the sample


def db_rows(db_path, sql, args=()):
    db = sqlite3.connect(str(db_path))
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def set_note(path, row: int, value: str, *, who: str | None = None, at: dt.datetime | None = None) -> None:
    """A staff save of one Ghi chú cell, by ``who`` (LibreOffice's lock file) at ``at``."""
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    col = next(c.column for c in ws[1] if c.value == KN.col("ghi_chu"))
    ws.cell(row, col).value = value
    wb.save(path)
    if who:
        (path.parent / f".~lock.{path.name}#").write_text(f"{who},x,pc,02.12.2026 09:00,file:///x;", encoding="utf-8")
    if at:
        os.utime(path, (at.timestamp(), at.timestamp()))


def stored_version(db_path, workbook):
    db = sqlite3.connect(str(db_path))
    try:
        found = jr.versions.load(db, workbook)
        return found[0], snap.full(found[1])
    finally:
        db.close()


def test_a_one_cell_save_rewrites_one_stored_row_and_the_version_is_what_a_read_gives(watched):
    path, out = watched
    db = out / jr.DB_NAME
    probe = sqlite3.connect(str(db))      # counts every row the journal writes into its last version
    probe.executescript("""CREATE TABLE probe (n INTEGER); INSERT INTO probe VALUES (0);
        CREATE TRIGGER probe_i AFTER INSERT ON version_rows BEGIN UPDATE probe SET n = n + 1; END;
        CREATE TRIGGER probe_u AFTER UPDATE ON version_rows BEGIN UPDATE probe SET n = n + 1; END;
        CREATE TRIGGER probe_d AFTER DELETE ON version_rows BEGIN UPDATE probe SET n = n + 1; END;""")
    probe.close()
    before = dict(((r[0], r[1]), r[2]) for r in db_rows(db, "SELECT sheet_id, row, cells FROM version_rows"))
    set_note(path, 5, "Một ô sửa")
    result = passes.run(path, out_dir=out, today=TODAY)
    assert not result.written
    after = dict(((r[0], r[1]), r[2]) for r in db_rows(db, "SELECT sheet_id, row, cells FROM version_rows"))
    assert after.keys() == before.keys()
    assert len([k for k in after if after[k] != before[k]]) == 1
    assert db_rows(db, "SELECT n FROM probe") == [(1,)]     # one row written, not the whole version
    # what the journal keeps is exactly what reading the workbook gives (digests and cells)
    sha, kept = stored_version(db, path.name)
    reread = snap.full(snap.from_dataset(passes.check(path, today=TODAY).dataset))
    assert kept == reread
    assert sha == db_rows(db, "SELECT sha256 FROM saves ORDER BY id DESC LIMIT 1")[0][0]


def test_a_version_1_journal_is_migrated_and_its_snapshot_becomes_rows(sample_copy, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copy2(V1, out / jr.DB_NAME)
    assert db_rows(out / jr.DB_NAME, "SELECT value FROM meta WHERE key='schema_version'") == [("1",)]
    set_note(sample_copy, 3, "Sau khi nâng cấp", who="Trần Thị Bình")
    result = passes.run(sample_copy, out_dir=out, today=TODAY, render=True)
    assert result.journal_notes == []
    db = out / jr.DB_NAME
    assert db_rows(db, "SELECT value FROM meta WHERE key='schema_version'") == [("2",)]
    assert db_rows(db, "SELECT name FROM sqlite_master WHERE name='snapshots'") == []
    # the v1 baseline is still there, and the staff save is one changed cell: the blob's rows were the base
    saves = db_rows(db, "SELECT id, source FROM saves ORDER BY id")
    assert saves[0] == (1, "baseline") and saves[1][1] == "staff"
    # (the v1 journal was made from an earlier sample: its other sheets' evolution since is journalled
    # too, so the edit is looked for on Kiến nghị, where the sample's staff cells have not changed)
    staff = db_rows(db, "SELECT c.kind, c.col, c.new_value, s.who FROM changes c JOIN saves s ON s.id=c.save_id "
                        f"WHERE s.source='staff' AND c.sheet='{KN.name}'")
    assert staff == [("changed", KN.col("ghi_chu"), "Sau khi nâng cấp", "Trần Thị Bình")]
    assert [e.new for e in history.entries(sample_copy, out_dir=out)
            if e.save.source == "staff" and e.where == KN.name] == ["Sau khi nâng cấp"]


HOLDER = r"""
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
if len(sys.argv) > 2:
    db.execute("PRAGMA locking_mode=EXCLUSIVE")
db.execute("BEGIN EXCLUSIVE")
if len(sys.argv) > 2:
    db.execute("INSERT INTO meta VALUES ('giữ', '1')")
print("held", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
db.close()
"""


class Holder:
    """Another program (a DB browser) holding a write transaction on the journal."""

    def __init__(self, db: Path, *, exclusive: bool = False):
        args = [sys.executable, "-c", HOLDER, str(db)] + (["exclusive"] if exclusive else [])
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout.readline().strip() == "held"

    def release(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.write("\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=30)


def test_a_locked_journal_records_into_a_side_journal_merged_later(watched, monkeypatch):
    path, out = watched
    monkeypatch.setattr(jr, "BUSY_TIMEOUT_S", 0.3)
    db = out / jr.DB_NAME
    saves_before = db_rows(db, "SELECT count(*) FROM saves")[0][0]
    first, second = dt.datetime(2026, 12, 2, 9, 15), dt.datetime(2026, 12, 2, 10, 40)
    holder = Holder(db)
    try:
        set_note(path, 2, "Khi nhật ký bị khóa", who="Trần Thị Bình", at=first)
        started = dt.datetime.now()
        result = passes.run(path, out_dir=out, today=TODAY)
        assert (dt.datetime.now() - started).total_seconds() < 60
        assert any("ghi tạm" in n and "tự gộp" in n for n in result.journal_notes), result.journal_notes
        assert "ghi tạm" in result.line()
        assert (out / "index.html").exists()
        waiting = sides.pending(db)
        assert len(waiting) == 1
        # the workbook is read as usual: the journal's trouble never touched it
        assert passes.check(path, today=TODAY).report is not None
        # a second save while still locked goes to the same side journal, compared with its last version
        (path.parent / f".~lock.{path.name}#").unlink()
        set_note(path, 3, "Vẫn còn khóa", who="Lê Văn Cường", at=second)
        passes.run(path, out_dir=out, today=TODAY)
        assert sides.pending(db) == waiting
        side_staff = db_rows(waiting[0], "SELECT s.who, c.new_value FROM changes c JOIN saves s ON s.id=c.save_id "
                                         "WHERE s.source='staff' ORDER BY c.id")
        assert side_staff == [("Trần Thị Bình", "Khi nhật ký bị khóa"), ("Lê Văn Cường", "Vẫn còn khóa")]
        assert db_rows(db, "SELECT count(*) FROM saves")[0][0] == saves_before
    finally:
        holder.release()
    # released: the next pass merges the side journal (nothing new in the workbook) and removes it
    result = passes.run(path, out_dir=out, today=TODAY)
    assert any("Đã gộp" in n for n in result.journal_notes), result.journal_notes
    assert sides.pending(db) == []
    got = [(e.save.who, e.save.at, e.new) for e in history.entries(path, out_dir=out) if e.save.source == "staff"]
    assert sorted(got, key=lambda g: g[1]) == [("Trần Thị Bình", first, "Khi nhật ký bị khóa"),
                                               ("Lê Văn Cường", second, "Vẫn còn khóa")]
    # the merged last version is the base of the next save: one changed cell, nothing blamed twice
    set_note(path, 4, "Sau khi gộp", who="Trần Thị Bình")
    passes.run(path, out_dir=out, today=TODAY)
    last_staff = db_rows(db, "SELECT c.new_value FROM changes c WHERE c.save_id = (SELECT max(id) FROM saves "
                             "WHERE source='staff')")
    assert last_staff == [("Sau khi gộp",)]
    assert stored_version(db, path.name)[1] == snap.full(snap.from_dataset(passes.check(path, today=TODAY).dataset))


def test_a_journal_that_cannot_even_be_read_starts_a_baseline_in_the_side_journal(watched, monkeypatch):
    path, out = watched
    monkeypatch.setattr(jr, "BUSY_TIMEOUT_S", 0.3)
    db = out / jr.DB_NAME
    holder = Holder(db, exclusive=True)
    try:
        set_note(path, 2, "Không đọc được nhật ký", who="Trần Thị Bình")
        result = passes.run(path, out_dir=out, today=TODAY)
        assert any("ghi tạm" in n for n in result.journal_notes), result.journal_notes
        (waiting,) = sides.pending(db)
        assert db_rows(waiting, "SELECT source, who FROM saves ORDER BY id")[0] == ("baseline", "Trần Thị Bình")
    finally:
        holder.release()
    passes.run(path, out_dir=out, today=TODAY)
    assert sides.pending(db) == []
    assert ("baseline", "Trần Thị Bình") in db_rows(db, "SELECT source, who FROM saves")


def test_a_side_journal_that_cannot_be_merged_is_kept(watched):
    path, out = watched
    broken = out / "nhat-ky.cho-20261202-090000-000000.sqlite"
    broken.write_bytes(b"not a database" * 50)
    set_note(path, 2, "Một lần lưu")
    result = passes.run(path, out_dir=out, today=TODAY)
    assert broken.exists()
    assert any("Chưa gộp được" in n and broken.name in n for n in result.journal_notes), result.journal_notes
    # the save itself went into the main journal
    assert ("Một lần lưu",) in db_rows(out / jr.DB_NAME, "SELECT new_value FROM changes")


def test_a_side_journal_merged_but_not_removed_is_never_merged_twice(watched, monkeypatch):
    """A pass killed between the merge's commit and the removal of the side journal: the journal
    knows the file was merged, so the next pass only removes it."""
    path, out = watched
    monkeypatch.setattr(jr, "BUSY_TIMEOUT_S", 0.3)
    db = out / jr.DB_NAME
    holder = Holder(db)
    try:
        set_note(path, 2, "Ghi tạm một lần", who="Trần Thị Bình")
        passes.run(path, out_dir=out, today=TODAY)
    finally:
        holder.release()
    (waiting,) = sides.pending(db)
    kept = waiting.read_bytes()
    passes.run(path, out_dir=out, today=TODAY)          # merged and removed
    assert not waiting.exists()
    merged = db_rows(db, "SELECT count(*) FROM saves")
    waiting.write_bytes(kept)                            # as if the removal had not happened
    result = passes.run(path, out_dir=out, today=TODAY)
    assert not waiting.exists()
    assert db_rows(db, "SELECT count(*) FROM saves") == merged
    assert not any("Đã gộp" in n for n in result.journal_notes)
