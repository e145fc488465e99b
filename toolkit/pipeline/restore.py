"""`doithoai restore`: put a backup from sao-luu back, through the same safe write.

The backup is checked like any workbook (``reading.sniff``), the workbook
must not be open in Excel or LibreOffice (refused, never forced), and it is
written by ``writeback.write_back``: the version it replaces is itself backed
up first, so a restore can be undone by another restore. The restore is
journalled (source "restore", who ran it, what it changed).
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.journal import store as jr
from toolkit.journal import record as journaling
from toolkit.xlsx import locks, writeback
from toolkit.journal import snapshot as snap
from toolkit.core.errors import DoithoaiError, UsageError, WorkbookUnreadable
from toolkit.outputs.folder import default_out_dir


@dataclass
class Backup:
    path: Path
    at: dt.datetime               # when that version was saved (the journal's time, else the backup's)
    who: str | None
    summary: str
    pinned: bool

    @property
    def name(self) -> str:
        return self.path.name

    def line(self) -> str:
        who = self.who or "không rõ người lưu"
        pin = " [giữ lại sau khi xóa nhiều dòng]" if self.pinned else ""
        return f"{self.at:%d/%m/%Y %H:%M}  {self.name}  {who}: {self.summary}{pin}"


@dataclass
class Restored:
    backup: Path
    previous: Path | None          # where the version it replaced was kept
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def line(self, workbook: Path) -> str:
        c = self.counts
        what = (f"thêm {c.get('added', 0)} dòng, xóa {c.get('deleted', 0)} dòng, sửa {c.get('changed', 0)} ô"
                if c else "")
        kept = f" Bản đang có trước khi khôi phục được giữ ở sao-luu: {self.previous.name}." if self.previous else ""
        return (f"Đã khôi phục {workbook.name} từ bản {self.backup.name}" + (f" ({what})" if what else "") + "."
                + kept + (" " + " ".join(self.notes) if self.notes else ""))


def _stamp(path: Path, workbook: Path) -> dt.datetime | None:
    m = re.match(re.escape(workbook.stem) + r"-(\d{8}-\d{6})-\d{6}", path.name)
    return dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S") if m else None


def list_backups(path: Path, out_dir: Path | None = None) -> list[Backup]:
    """Every backup of ``path`` in sao-luu, newest first, with what the journal knows of it."""
    path = Path(path)
    folder = writeback.backup_folder(path)
    pattern = re.compile(re.escape(path.stem) + r"-\d{8}-\d{6}-\d{6}(" + re.escape(journaling.PIN_MARK) + r")?"
                         + re.escape(path.suffix) + "$")
    try:
        files = [p for p in folder.iterdir() if pattern.match(p.name)]
    except OSError:
        files = []
    known: dict[str, jr.Save] = {}
    db = jr.journal_path(Path(out_dir) if out_dir else default_out_dir(path))
    if db.exists():
        journal = jr.Journal(db)
        for save in journal.saves(path.name, newest_first=False):
            if save.backup:
                known.setdefault(save.backup, save)   # the save that made it (a restore reuses it later)
        journal.close()
    out = []
    for f in files:
        save = known.get(f.name)
        at = save.at if save else (_stamp(f, path) or dt.datetime.fromtimestamp(f.stat().st_mtime))
        summary = save.summary() if save else "chưa có trong nhật ký"
        out.append(Backup(f, at, save.who if save else None, summary, journaling.PIN_MARK in f.name))
    return sorted(out, key=lambda b: (b.at, b.name), reverse=True)


def choose(path: Path, *, at: dt.datetime | None = None, backup: str | None = None,
           out_dir: Path | None = None) -> Path:
    found = list_backups(path, out_dir)
    if not found:
        raise UsageError(f"Chưa có bản sao lưu nào của {Path(path).name} trong {writeback.backup_folder(Path(path))}.",
                         code="no-backup")
    if backup:
        wanted = Path(backup).name
        for b in found:
            if b.name == wanted:
                return b.path
        names = ", ".join(b.name for b in found[:5])
        raise UsageError(f"Không có bản sao lưu tên {wanted}. Các bản mới nhất: {names}. Xem đủ danh sách: "
                         f"doithoai restore \"{path}\" --list", code="no-backup")
    assert at is not None
    for b in found:
        if b.at <= at:
            return b.path
    raise UsageError(f"Không có bản sao lưu nào từ {at:%d/%m/%Y %H:%M} trở về trước; bản cũ nhất lưu lúc "
                     f"{found[-1].at:%d/%m/%Y %H:%M}. Xem danh sách: doithoai restore \"{path}\" --list",
                     code="no-backup")


def restore(path: Path, *, at: dt.datetime | None = None, backup: str | None = None,
            out_dir: Path | None = None) -> Restored:
    from toolkit.xlsx import reading

    path = Path(path)
    if not path.is_file():
        raise UsageError(f"Không thấy sổ {path}. Ghi đúng đường dẫn của sổ cần khôi phục.", code="file-not-found")
    source = choose(path, at=at, backup=backup, out_dir=out_dir)
    open_in = locks.lock_files(path)
    if open_in:
        raise UsageError(f"Sổ {path.name} đang mở trong {locks.lock_owner(open_in[0])} "
                         f"({locks.lock_user(open_in[0]) or 'không rõ người mở'}): không khôi phục khi sổ đang mở. "
                         "Lưu và đóng sổ ở mọi máy rồi chạy lại lệnh.", code="locked")
    data = source.read_bytes()
    try:
        reading.sniff(data, name=source.name)
    except WorkbookUnreadable as err:
        raise UsageError(f"Bản sao lưu {source.name} không dùng được: {err.message}", code="bad-backup") from None
    current = path.read_bytes()
    if current == data:
        raise UsageError(f"Sổ {path.name} đã giống hệt bản {source.name}: không cần khôi phục.", code="unchanged")
    result = writeback.write_back(path, expected_sha256=writeback.sha256_bytes(current), data=current,
                                  apply=lambda _old: data)
    if not result.written:
        raise DoithoaiError(f"Chưa khôi phục được: {result.reason}", code=result.reason_code or "not-written")
    done = Restored(source, result.backup)
    _journal(path, data, source, result.backup, out_dir, done)
    return done


def _journal(path: Path, data: bytes, source: Path, previous: Path | None, out_dir: Path | None,
             done: Restored) -> None:
    """Record the restore; trouble with the journal is a note, the restore has happened."""
    from toolkit.pipeline import loading

    journal = jr.Journal(jr.journal_path(Path(out_dir) if out_dir else default_out_dir(path)))
    try:
        new = snap.from_dataset(loading.load(path).dataset)
        last = journal.last(path.name)
        changes = snap.diff(last[1], new) if last and last[1] is not None else []
        done.counts = snap.counts(changes)
        who = getpass.getuser() if _can_getuser() else "không rõ"
        journal.record(path.name, at=dt.datetime.now().replace(microsecond=0), who=who, source=jr.RESTORE,
                       sha256=writeback.sha256_bytes(data), snapshot=new, changes=changes,
                       backup=source.name, note=f"khôi phục từ {source.name}"
                       + (f"; bản trước khi khôi phục: {previous.name}" if previous else ""),
                       base=last[1] if last else None, base_sha256=last[0] if last else None)
    except Exception as exc:   # noqa: BLE001 - the workbook is restored whatever the journal says
        done.notes.append(f"Không ghi được nhật ký của lần khôi phục ({type(exc).__name__}).")
    finally:
        done.notes.extend(journal.notes)
        journal.close()


def _can_getuser() -> bool:
    try:
        getpass.getuser()
        return True
    except Exception:   # noqa: BLE001 - no user name in the environment (a service account)
        return False
