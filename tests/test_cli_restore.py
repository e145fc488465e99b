"""`doithoai restore`: a backup put back through the safe write, refused while the workbook
is open, itself journalled; `--list` says when, who and what changed."""

from __future__ import annotations

import hashlib
import sqlite3

import openpyxl
import pytest

from clirun import doithoai
from toolkit.pipeline import passes
from toolkit.starter import sample
from toolkit.core import schema
from toolkit.xlsx import writeback

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def two_versions(sample_copy):
    """A first pass, then a save that deletes 40 petitions (pinned), then its pass."""
    passes.run(sample_copy, today=TODAY)
    wb = openpyxl.load_workbook(sample_copy)
    wb[KN.name].delete_rows(2, 40)
    wb.save(sample_copy)
    passes.run(sample_copy, today=TODAY)
    return sample_copy


def petitions(path) -> int:
    ws = openpyxl.load_workbook(path)[KN.name]
    return sum(1 for r in ws.iter_rows(min_row=2) if any(c.value is not None for c in r[:8]))


def test_list_shows_time_who_and_a_summary(two_versions):
    ran = doithoai("restore", two_versions, "--list")
    assert ran.code == 0, ran.text
    lines = ran.out.splitlines()
    assert any("giữ lại sau khi xóa nhiều dòng" in line and "bắt đầu theo dõi" in line for line in lines), lines
    assert any("xóa 40 dòng" in line for line in lines), lines


def test_restore_round_trip_by_backup_name(two_versions):
    path = two_versions
    assert petitions(path) == 40
    pinned = next(p.name for p in writeback.backup_folder(path).iterdir() if "giu-lai" in p.name)
    ran = doithoai("restore", path, "--backup", pinned)
    assert ran.code == 0, ran.text
    assert f"Đã khôi phục {path.name} từ bản {pinned}" in ran.out and "thêm 40 dòng" in ran.out
    assert sha(path) == sha(writeback.backup_folder(path) / pinned)
    assert petitions(path) == 80
    # journalled as a restore, and the version it replaced is kept, so the restore can be undone
    db = sqlite3.connect(str(path.parent / "ket-qua" / path.stem / "nhat-ky.sqlite"))
    (source, note), = db.execute("SELECT source, note FROM saves WHERE source='restore'").fetchall()
    db.close()
    assert pinned in note
    previous = note.split("bản trước khi khôi phục: ")[1]
    assert (writeback.backup_folder(path) / previous).exists()
    undo = doithoai("restore", path, "--backup", previous)
    assert undo.code == 0, undo.text
    assert petitions(path) == 40
    # the next pass sees no staff save in the restored version
    passes.run(path, today=TODAY)


def test_restore_at_a_time_picks_the_version_saved_before_it(two_versions):
    path = two_versions
    ran = doithoai("restore", path, "--at", "01/01/2000 00:00")
    assert ran.code == 2 and "Không có bản sao lưu nào từ 01/01/2000 00:00 trở về trước" in ran.err
    from toolkit.pipeline import restore

    newest = restore.list_backups(path)[0]
    ran = doithoai("restore", path, "--at", "31/12/2099 23:59")
    assert ran.code == 0, ran.text
    assert f"từ bản {newest.name}" in ran.out
    assert sha(path) == sha(newest.path)


def test_restore_is_refused_while_the_workbook_is_open(two_versions):
    path = two_versions
    before = sha(path)
    lock = path.parent / f".~lock.{path.name}#"
    lock.write_text("Trần Thị Bình,binh,pc2,02.12.2026 09:15,file:///p;", encoding="utf-8")
    pinned = next(p.name for p in writeback.backup_folder(path).iterdir() if "giu-lai" in p.name)
    ran = doithoai("restore", path, "--backup", pinned)
    assert ran.code == 2
    assert "đang mở trong LibreOffice (Trần Thị Bình)" in ran.err and "đóng sổ" in ran.err
    assert sha(path) == before


@pytest.mark.parametrize("args, says", [
    ((), "Chọn đúng một trong --at, --backup hoặc --list"),
    (("--backup", "khong-co.xlsx"), "Không có bản sao lưu tên khong-co.xlsx"),
    (("--at", "ngày mai"), "Không hiểu thời gian 'ngày mai' của --at"),
])
def test_restore_bad_requests_say_what_to_do(two_versions, args, says):
    before = sha(two_versions)
    ran = doithoai("restore", two_versions, *args)
    assert ran.code == 2 and says in ran.err, ran.text
    assert sha(two_versions) == before


def test_restore_help_is_vietnamese():
    ran = doithoai("restore", "--help")
    assert ran.code == 0 and "--list" in ran.out
