"""The journal of saves (docs/ARCHITECTURE.md, "The journal"): what a pass records after each staff save."""

from __future__ import annotations

import datetime as dt
import sqlite3

import openpyxl
import pytest

from toolkit.journal import store as jr
from toolkit.xlsx import locks
from toolkit.pipeline import passes
from toolkit.starter import sample
from toolkit.core import schema
from toolkit.journal import blob
from toolkit.journal import snapshot as snap

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI


# --- the diff, on snapshots ------------------------------------------------------------

COLS = ["Mã kiến nghị", "Nội dung", "Trạng thái"]


def sheet(*rows) -> snap.Snapshot:
    """Rows given as (code, content, status) from Excel row 2 on."""
    return {KN.name: snap.SheetSnap(list(COLS), [(i + 2, r[0], tuple(r)) for i, r in enumerate(rows)])}


A = ("KN-1", "Đường hỏng", "Mới tiếp nhận")
B = ("KN-2", "Đèn tắt", "Đang xử lý")
C = ("KN-3", "Rác thải", "Đang xử lý")
D = ("KN-4", "Ngập úng", "Mới tiếp nhận")


def kinds(changes):
    return sorted((c.kind, c.row_key, c.column) for c in changes)


@pytest.mark.parametrize("name, old, new, exp", [
    ("nothing", sheet(A, B), sheet(A, B), []),
    ("status changed", sheet(A, B), sheet(A, ("KN-2", "Đèn tắt", "Đã giải quyết xong")),
     [("changed", "KN-2", "Trạng thái")]),
    ("row inserted at the top: one added row, no move",
     sheet(A, B, C), sheet(D, A, B, C),
     [("added", "KN-4", "Mã kiến nghị"), ("added", "KN-4", "Nội dung"), ("added", "KN-4", "Trạng thái")]),
    ("row deleted in the middle: the rows below are not moved",
     sheet(A, B, C), sheet(A, C),
     [("deleted", "KN-2", "Mã kiến nghị"), ("deleted", "KN-2", "Nội dung"), ("deleted", "KN-2", "Trạng thái")]),
    ("two rows swapped: one move", sheet(A, B, C), sheet(A, C, B), [("moved", "KN-2", None)]),
    ("reversed by a sort: moves only, no changed cell", sheet(A, B, C, D), sheet(D, C, B, A),
     [("moved", "KN-1", None), ("moved", "KN-2", None), ("moved", "KN-3", None)]),
    ("sorted and edited", sheet(A, B), sheet(("KN-2", "Đèn tắt", "Xong"), A),
     [("changed", "KN-2", "Trạng thái"), ("moved", "KN-1", None)]),
])
def test_diff_by_row_identity(name, old, new, exp):
    got = kinds(snap.diff(old, new))
    assert got == sorted(exp), name


NEW = ("", "Cây đổ", "")          # typed below the others, its Mã not given yet
E = ("KN-5", "Ồn ào", "Mới tiếp nhận")


@pytest.mark.parametrize("name, old, new", [
    ("a new petition typed below", sheet(A, B), sheet(A, B, NEW)),
    ("two below, one with its Mã", sheet(A, B), sheet(A, B, NEW, E)),
    ("below and an edit above", sheet(A, B), sheet(A, ("KN-2", "Đèn tắt", "Xong"), E)),
    ("below, a Mã that was already there", sheet(A, B), sheet(A, B, A)),
    ("a row copied below, then the row above edited", sheet(A, B), sheet(("KN-1", "Đường hỏng", "Xong"), B, A)),
    ("below, the same Mã twice", sheet(A, B), sheet(A, B, E, E)),
    ("below, the same content as a row above", sheet(A, B), sheet(A, B, ("", "Đường hỏng", "Mới tiếp nhận"))),
])
def test_rows_typed_below_are_found_as_the_full_pairing_finds_them(monkeypatch, name, old, new):
    # exp: rows paired by identity, content and row number, whatever the save; got: the diff as it runs
    got = kinds(snap.diff(old, new))
    monkeypatch.setattr(snap, "_same_places", lambda old, new: False)
    exp = kinds(snap.diff(old, new))
    assert got == exp and got, name


def test_rows_without_identity_are_matched_by_content_then_row_number():
    cols = ["Tên", "Ghi chú"]
    old = {"Phân công": snap.SheetSnap(cols, [(2, None, ("a", "1")), (3, None, ("b", "2")), (4, None, ("c", "3"))])}
    new = {"Phân công": snap.SheetSnap(cols, [(2, None, ("c", "3")), (3, None, ("a", "1")), (4, None, ("b", "9"))])}
    got = [(c.kind, c.row_key, c.column, c.old, c.new) for c in snap.diff(old, new)]
    # a and c are found by their content: one of them is out of order (a sort of two rows)
    assert [g[0] for g in got if g[0] == "moved"] == ["moved"]
    # b went from row 3 to row 4 and was edited: no identity, no same content, no same row
    assert sorted(g[:3] for g in got if g[0] != "moved") == [
        ("added", "dòng 4", "Ghi chú"), ("added", "dòng 4", "Tên"),
        ("deleted", "dòng 3", "Ghi chú"), ("deleted", "dòng 3", "Tên")]


def test_counts_and_snapshot_round_trip():
    old, new = sheet(A, B, C), sheet(("KN-1", "Đường hỏng", "Xong"), C, D)
    changes = snap.diff(old, new)
    assert snap.counts(changes) == {"added": 1, "changed": 1, "deleted": 1, "moved": 0}
    assert blob.loads(blob.dumps(new)) == new
    assert blob.loads(b"not a snapshot") is None


# --- passes on a real workbook ----------------------------------------------------------


def db_rows(out_dir, sql, args=()):
    db = sqlite3.connect(str(out_dir / jr.DB_NAME))
    try:
        return db.execute(sql, args).fetchall()
    finally:
        db.close()


def staff_edit(path, edit) -> None:
    """A staff save (Excel stands in for openpyxl here: the file is staff's)."""
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)


def kn_col(ws, header: str) -> int:
    return next(c.column for c in ws[1] if c.value == header)


def test_first_pass_is_a_baseline_then_the_toolkit_fills(watched):
    path, out = watched
    saves = db_rows(out, "SELECT source, who FROM saves WHERE workbook NOT LIKE 'phan-hoi/%' ORDER BY id")
    assert saves[0][0] == "baseline"
    assert saves[1:] == [("doithoai", "doithoai")]
    # the toolkit's fills are journalled as its own: codes, departments, deadlines, statuses
    filled = {r[0] for r in db_rows(out, "SELECT c.col FROM changes c JOIN saves s ON s.id=c.save_id "
                                         "WHERE s.source='doithoai'")}
    assert KN.col("ma") in filled and KN.col("chu_tri") in filled
    assert db_rows(out, "SELECT value FROM meta WHERE key='schema_version'") == [(str(jr.SCHEMA_VERSION),)]
    assert db_rows(out, "PRAGMA journal_mode") == [("wal",)]


def test_a_pass_without_a_new_version_records_nothing(watched):
    path, out = watched
    before = db_rows(out, "SELECT count(*) FROM saves")
    passes.run(path, out_dir=out, today=TODAY)
    assert db_rows(out, "SELECT count(*) FROM saves") == before


def test_a_staff_edit_is_one_changed_cell_with_who_and_old_value(watched):
    path, out = watched
    code = {}

    def edit(wb):
        ws = wb[KN.name]
        code["ma"] = ws.cell(2, kn_col(ws, KN.col("ma"))).value
        code["old"] = ws.cell(2, kn_col(ws, KN.col("ghi_chu"))).value
        ws.cell(2, kn_col(ws, KN.col("ghi_chu"))).value = "Đã gọi điện cho công dân"
    staff_edit(path, edit)
    (path.parent / f".~lock.{path.name}#").write_text("Trần Thị Bình,binh,ubnd-pc2,02.12.2026 09:15,file:///x;",
                                                       encoding="utf-8")
    passes.run(path, out_dir=out, today=TODAY)
    rows = db_rows(out, "SELECT s.who, s.source, c.sheet, c.kind, c.row_key, c.col, c.old_value, c.new_value "
                        "FROM changes c JOIN saves s ON s.id=c.save_id WHERE s.source='staff'")
    assert rows == [("Trần Thị Bình", "staff", KN.name, "changed", code["ma"], KN.col("ghi_chu"),
                     code["old"], "Đã gọi điện cho công dân")]


def test_who_is_remembered_after_the_lock_is_gone(watched):
    path, out = watched
    lock = path.parent / f".~lock.{path.name}#"
    lock.write_text("Lê Văn Cường,cuong,pc3,02.12.2026 10:00,file:///x;", encoding="utf-8")
    assert locks.remember_user(path) == "Lê Văn Cường"
    lock.unlink()
    staff_edit(path, lambda wb: wb[KN.name].cell(3, kn_col(wb[KN.name], KN.col("ghi_chu"))).__setattr__(
        "value", "Sửa sau khi đóng"))
    passes.run(path, out_dir=out, today=TODAY)
    assert db_rows(out, "SELECT who FROM saves WHERE source='staff'") == [("Lê Văn Cường",)]


@pytest.mark.parametrize("content, exp", [
    # as LibreOffice 7.4 writes it: name from Tools > Options > User Data, account, host, time, profile
    ("Nguyễn Văn An,annguyen,pc1,02.12.2026 08:00,file:///p;", "Nguyễn Văn An"),
    (",annguyen,pc1,02.12.2026 08:00,file:///p;", "annguyen"),
    ("", None),
])
def test_libreoffice_lock_user(tmp_path, content, exp):
    lock = tmp_path / ".~lock.so.xlsx#"
    lock.write_bytes(content.encode("utf-8"))
    assert locks.lock_user(lock) == exp


def test_excel_owner_file_user(tmp_path):
    """Excel's ~$ owner file: a length byte and the ANSI name, then at offset 54 the length and
    the UTF-16LE name (the form that keeps Vietnamese letters)."""
    name = "Phạm Thu Hà"
    ansi = name.encode("cp1252", errors="replace")
    data = bytes([len(ansi)]) + ansi.ljust(53, b" ") + len(name).to_bytes(2, "little") + name.encode("utf-16-le")
    data = data.ljust(165, b"\x00")
    owner = tmp_path / "~$so.xlsx"
    owner.write_bytes(data)
    assert locks.lock_user(owner) == "Phạm Thu Hà"
    owner.write_bytes(bytes([4]) + b"anhp" + b" " * 20)   # an old short form: the ANSI name
    assert locks.lock_user(owner) == "anhp"


def test_without_a_lock_the_file_owner_is_named(watched):
    path, out = watched
    staff_edit(path, lambda wb: wb[KN.name].cell(4, kn_col(wb[KN.name], KN.col("ghi_chu"))).__setattr__("value", "x"))
    locks._remembered.clear()
    passes.run(path, out_dir=out, today=TODAY)
    (who,), = db_rows(out, "SELECT who FROM saves WHERE source='staff'")
    assert who == (locks.file_owner(path) or "không rõ")


def test_a_damaged_journal_is_set_aside_and_rebuilt_never_the_workbook(watched):
    path, out = watched
    db = out / jr.DB_NAME
    for suffix in ("-wal", "-shm"):
        (out / (jr.DB_NAME + suffix)).unlink(missing_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    staff_edit(path, lambda wb: wb[KN.name].cell(2, kn_col(wb[KN.name], KN.col("ghi_chu"))).__setattr__("value", "y"))
    result = passes.run(path, out_dir=out, today=TODAY)
    assert any("bị hỏng" in n and "nhật ký mới" in n for n in result.journal_notes), result.journal_notes
    assert "bị hỏng" in result.line()
    assert list(out.glob(jr.DB_NAME + ".hong-*"))
    assert db_rows(out, "SELECT source FROM saves ORDER BY id")[0] == ("baseline",)


def test_a_deleted_journal_starts_again_with_a_baseline(watched):
    path, out = watched
    for p in out.glob(jr.DB_NAME + "*"):
        p.unlink()
    staff_edit(path, lambda wb: wb[KN.name].cell(2, kn_col(wb[KN.name], KN.col("ghi_chu"))).__setattr__("value", "z"))
    result = passes.run(path, out_dir=out, today=TODAY)
    assert result.journal_notes == []
    assert db_rows(out, "SELECT source FROM saves ORDER BY id")[0] == ("baseline",)


def test_a_locked_journal_is_reported_and_caught_up_next_pass(watched, monkeypatch):
    path, out = watched
    monkeypatch.setattr(jr, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(str(out / jr.DB_NAME), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    staff_edit(path, lambda wb: wb[KN.name].cell(2, kn_col(wb[KN.name], KN.col("ghi_chu"))).__setattr__(
        "value", "Khi nhật ký bị khóa"))
    try:
        result = passes.run(path, out_dir=out, today=TODAY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert any("đang bị chương trình khác khóa" in n for n in result.journal_notes), result.journal_notes
    assert result.out_dir is not None and (out / "index.html").exists()   # the pass went on
    staff_edit(path, lambda wb: wb[KN.name].cell(3, kn_col(wb[KN.name], KN.col("ghi_chu"))).__setattr__(
        "value", "Lần sau"))
    passes.run(path, out_dir=out, today=TODAY)
    got = {r[0] for r in db_rows(out, "SELECT c.new_value FROM changes c JOIN saves s ON s.id=c.save_id "
                                      "WHERE s.source='staff'")}
    assert {"Khi nhật ký bị khóa", "Lần sau"} <= got


def test_sort_of_the_register_is_journalled_as_moves(watched):
    path, out = watched

    def sort_rows(wb):
        ws = wb[KN.name]
        rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2, max_row=ws.max_row)]
        rows = [r for r in rows if any(v is not None for v in r)]
        rows.reverse()
        for i, r in enumerate(rows):
            for j, v in enumerate(r):
                ws.cell(i + 2, j + 1).value = v
    staff_edit(path, sort_rows)
    passes.run(path, out_dir=out, today=TODAY)
    kinds_seen = {r[0] for r in db_rows(out, "SELECT c.kind FROM changes c JOIN saves s ON s.id=c.save_id "
                                             "WHERE s.source='staff'")}
    assert kinds_seen == {"moved"}


def test_journal_api_for_any_workbook(tmp_path):
    """Department files (phan-hoi/…) go through the same API: a snapshot from the file's bytes."""
    from toolkit.journal import record as journaling

    book = tmp_path / "DC.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Trả lời"
    ws.append(["Mã kiến nghị", "Kết quả trả lời"])
    ws.append(["KN-1", None])
    wb.save(book)
    journal = jr.Journal(tmp_path / "out" / jr.DB_NAME)
    data = book.read_bytes()
    w = journaling.begin(book, data, "sha1", snap.from_workbook(data), journal)
    journaling.finish(w, written=False, backup=None, sha256_after=None, snapshot_after=None)
    ws["B2"] = "Đã sửa xong mặt đường"
    wb.save(book)
    data = book.read_bytes()
    journal = jr.Journal(tmp_path / "out" / jr.DB_NAME)
    w = journaling.begin(book, data, "sha2", snap.from_workbook(data), journal)
    journaling.finish(w, written=False, backup=None, sha256_after=None, snapshot_after=None)
    got = [(e.row_key, e.column, e.old, e.new) for e in jr.Journal(tmp_path / "out" / jr.DB_NAME).entries()]
    assert got == [("KN-1", "Kết quả trả lời", None, "Đã sửa xong mặt đường")]
    assert isinstance(w.at, dt.datetime)


def test_the_snapshot_after_a_write_back_is_what_the_next_read_gives(sample_copy):
    """The toolkit's own save is journalled from the plan (no second read of the file): the
    snapshot so made must be exactly what reading the written workbook gives, or the next
    staff save would be blamed for the toolkit's fills."""
    checked = passes.check(sample_copy, today=TODAY)
    staff = snap.from_dataset(checked.dataset)
    assert checked.plan.changes
    made = snap.with_fills(staff, checked.dataset, checked.plan)
    assert made == snap.from_dataset(checked.dataset, checked.plan)
    passes.run(sample_copy, out_dir=sample_copy.parent / "ra", today=TODAY)
    reread = snap.from_dataset(passes.check(sample_copy, today=TODAY).dataset)
    assert snap.diff(made, reread) == []


def test_a_save_long_after_the_lock_went_is_not_blamed_on_its_user(tmp_path):
    import os
    import time

    book = tmp_path / "so.xlsx"
    book.write_bytes(b"x")
    lock = tmp_path / f".~lock.{book.name}#"
    lock.write_text("Lê Văn Cường,cuong,pc3,02.12.2026 10:00,file:///x;", encoding="utf-8")
    locks.remember_user(book)
    lock.unlink()
    locks.lock_gone(book)
    assert locks.editor_of(book) == "Lê Văn Cường"          # saved, then closed: still his save
    later = time.time() + 3600
    os.utime(book, (later, later))                          # saved an hour after he closed it
    assert locks.editor_of(book) == (locks.file_owner(book))


def test_snapshot_storage_keeps_every_value_exactly():
    odd = {
        "Kiến nghị": snap.SheetSnap(COLS, [(2, "KN-1", ("KN-1", "Dòng 1\nDòng 2", "")), (9, None, ("", "", "x"))]),
        "Trống": snap.SheetSnap(["A"], []),
        "Lạ": snap.SheetSnap(["A", "B"], [(3, None, ("có \x1f dấu tách", "b"))]),   # stored as JSON instead
        "Rộng": snap.SheetSnap(["A"], [(4, None, ("a", "ngoài bảng"))]),
    }
    assert blob.loads(blob.dumps(odd)) == odd          # a version-1 journal's blob, read to migrate
    for sheet in odd.values():                         # a row as the journal keeps it now
        for _r, _k, cells in sheet.rows:
            assert snap.decode(snap.encode(cells)) == cells


def test_the_watcher_remembers_who_opened_the_workbook(tmp_path):
    """Excel may save and close (owner file gone) before the debounced pass runs: the watcher
    reads the name when the lock file appears, and the pass still names that clerk."""
    from toolkit.watch import watcher as watching

    book = tmp_path / "so.xlsx"
    book.write_bytes(b"x")
    w = watching._Watch([tmp_path], run_pass=lambda p: None, log=lambda m: None, watch_filter=None,
                        clock=lambda: 0.0, sched=watching.Scheduler(watching.RealProbe()))
    owner = tmp_path / "~$so.xlsx"
    name = "Đỗ Minh Châu"
    owner.write_bytes((bytes([3]) + b"dmc").ljust(54, b" ") + len(name).to_bytes(2, "little")
                      + name.encode("utf-16-le"))
    w.route(str(owner), "created", 0.0)
    owner.unlink()
    w.route(str(owner), "deleted", 0.0)
    assert locks.editor_of(book) == "Đỗ Minh Châu"
