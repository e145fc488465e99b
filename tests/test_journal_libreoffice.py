"""Replay real LibreOffice saves (a window under Xvfb, so LibreOffice writes its lock file)
by two clerks with different user names, and check what the journal says of each save.

Each clerk is a LibreOffice with its own profile whose user name (Tools ▸ Options ▸
User Data) is set; LibreOffice writes that name first in ``.~lock.NAME.xlsx#``. A
pass runs after each Ctrl+S while the document is still open (so the workbook is
not written), and once more after it is closed (the toolkit writes its fills).
"""

from __future__ import annotations

import sqlite3

import openpyxl
import pytest

import test_watching_libreoffice as lo
from conftest import need_program, need_uno
from toolkit.journal import store as jr
from toolkit.xlsx import locks
from toolkit.pipeline import passes
from toolkit.starter import sample
from toolkit.core import schema

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI


def profile_with_user(given: str, family: str) -> str:
    data = "/org.openoffice.UserProfile/Data"
    extra = (f'<item oor:path="{data}"><prop oor:name="givenname" oor:op="fuse"><value>{given}</value></prop></item>'
             f'<item oor:path="{data}"><prop oor:name="sn" oor:op="fuse"><value>{family}</value></prop></item>\n')
    return lo.NO_TIPS.replace("</oor:items>", extra + "</oor:items>")


def office_for(monkeypatch, given: str, family: str) -> lo.Office:
    monkeypatch.setattr(lo, "NO_TIPS", profile_with_user(given, family))
    return lo.Office().start()


def journal_rows(out, since_id: int = 0, *, register: bool = True):
    """The saves and changes after ``since_id``: the register's (``register``), else the department files'."""
    where = "workbook NOT LIKE 'phan-hoi/%'" if register else "workbook LIKE 'phan-hoi/%'"
    db = sqlite3.connect(str(out / jr.DB_NAME))
    try:
        saves = db.execute("SELECT id, who, source, added, changed, deleted, moved FROM saves "
                           f"WHERE id>? AND {where} ORDER BY id", (since_id,)).fetchall()
        changes = db.execute("SELECT s.id, c.kind, c.row_key, c.col, c.old_value, c.new_value FROM changes c "
                             f"JOIN saves s ON s.id=c.save_id WHERE s.id>? AND s.{where} ORDER BY c.id",
                             (since_id,)).fetchall()
        return saves, changes
    finally:
        db.close()


def last_id(out) -> int:
    db = sqlite3.connect(str(out / jr.DB_NAME))
    try:
        return db.execute("SELECT max(id) FROM saves").fetchone()[0] or 0
    finally:
        db.close()


def test_two_clerks_saving_in_libreoffice(sample_copy, tmp_path, monkeypatch):
    need_program("soffice")
    need_program("Xvfb")
    need_uno()
    book, out = sample_copy, tmp_path / "ket-qua"
    passes.run(book, out_dir=out, today=TODAY)                 # baseline + the toolkit's fills
    ws = openpyxl.load_workbook(book)[KN.name]
    cols = {c.value: c.column_letter for c in ws[1]}
    n_rows, last_col = ws.max_row, ws.max_column
    code2 = ws[f"{cols[KN.col('ma')]}2"].value
    status2 = ws[f"{cols[KN.col('trang_thai')]}2"].value
    locks._remembered.clear()

    # --- clerk 1: closes a petition, then adds one --------------------------------------
    an = office_for(monkeypatch, "Nguyễn Văn", "An")
    try:
        an.call("open", path=str(book), hidden=False)
        assert locks.lock_user(book.parent / f".~lock.{book.name}#") == "Nguyễn Văn An"
        mark = last_id(out)
        an.call("set_cells", sheet=KN.name, cells={f"{cols[KN.col('trang_thai')]}2": "Đã giải quyết xong"})
        an.call("store")
        result = passes.run(book, out_dir=out, today=TODAY)
        assert result.write_reason_code == "locked"             # open in LibreOffice: not written
        saves, changes = journal_rows(out, mark)
        assert [(s[1], s[2], s[4]) for s in saves] == [("Nguyễn Văn An", "staff", 1)]
        assert [c[1:] for c in changes] == [("changed", code2, KN.col("trang_thai"), status2, "Đã giải quyết xong")]

        mark = last_id(out)
        an.call("add_record", sheet=KN.name, key=KN.col("nguoi_kien_nghi"),
                values={KN.col("hoi_nghi"): "HN-2024-06", KN.col("nguoi_kien_nghi"): "Hoàng Văn Mới",
                        KN.col("noi_dung"): "Đề nghị lắp thêm đèn chiếu sáng ngõ 5."},
                dates={KN.col("ngay_tiep_nhan"): "2024-06-20"})
        an.call("store")
        passes.run(book, out_dir=out, today=TODAY)
        saves, changes = journal_rows(out, mark)
        assert [(s[1], s[2], s[3]) for s in saves] == [("Nguyễn Văn An", "staff", 1)]
        added = {c[3]: c[5] for c in changes if c[1] == "added"}
        assert added[KN.col("nguoi_kien_nghi")] == "Hoàng Văn Mới" and added[KN.col("ngay_tiep_nhan")] == "20/06/2024"
        assert {c[1] for c in changes} == {"added"}
        an.call("close")
    finally:
        an.close()
    mark = last_id(out)
    closed = passes.run(book, out_dir=out, today=TODAY)        # closed: the toolkit writes its fills
    assert closed.written
    saves, changes = journal_rows(out, mark)
    assert [(s[1], s[2]) for s in saves] == [("doithoai", "doithoai")]
    assert any(c[1] == "changed" and c[3] == KN.col("ma") and c[4] is None for c in changes)   # the new code
    files, _ = journal_rows(out, mark, register=False)   # the departments' files the pass wrote or made
    assert files and {(s[1], s[2]) for s in files} == {("doithoai", "doithoai")}

    # --- clerk 2: sorts the register, then deletes many rows ------------------------------
    binh = office_for(monkeypatch, "Trần Thị", "Bình")
    try:
        binh.call("open", path=str(book), hidden=False)
        mark = last_id(out)
        last_letter = openpyxl.utils.get_column_letter(last_col)
        binh.call("sort", sheet=KN.name, range=f"A2:{last_letter}{n_rows + 1}",
                  by=openpyxl.utils.column_index_from_string(cols[KN.col("noi_dung")]) - 1)
        binh.call("store")
        passes.run(book, out_dir=out, today=TODAY)
        saves, changes = journal_rows(out, mark)
        assert [(s[1], s[2]) for s in saves] == [("Trần Thị Bình", "staff")]
        assert {c[1] for c in changes} == {"moved"}, [c for c in changes if c[1] != "moved"][:5]
        assert saves[0][6] > 10 and saves[0][4] == 0              # many rows moved, no cell changed

        mark = last_id(out)   # a row inserted near the top: one added row, the rows below are not "moved"
        binh.call("insert_rows", sheet=KN.name, row=3, count=1)
        binh.call("set_cells", sheet=KN.name, cells={
            f"{cols[KN.col('hoi_nghi')]}3": "HN-2024-06", f"{cols[KN.col('nguoi_kien_nghi')]}3": "Vũ Thị Chèn",
            f"{cols[KN.col('noi_dung')]}3": "Đề nghị nạo vét rãnh thoát nước tổ 4."})
        binh.call("store")
        passes.run(book, out_dir=out, today=TODAY)
        saves, changes = journal_rows(out, mark)
        assert [(s[1], s[3], s[4], s[6]) for s in saves] == [("Trần Thị Bình", 1, 0, 0)]
        assert {c[1] for c in changes} == {"added"}
        assert ("added", "dòng 3", KN.col("nguoi_kien_nghi"), None, "Vũ Thị Chèn") in [c[1:] for c in changes]

        mark = last_id(out)
        binh.call("delete_rows", sheet=KN.name, row=2, count=30)
        binh.call("store")
        result = passes.run(book, out_dir=out, today=TODAY)
        saves, _changes = journal_rows(out, mark)
        assert [(s[1], s[2], s[5]) for s in saves] == [("Trần Thị Bình", "staff", 30)]   # the inserted row too
        assert "CẢNH BÁO" in result.line() and "(Trần Thị Bình)" in result.line()
        binh.call("close")
    finally:
        binh.close()
