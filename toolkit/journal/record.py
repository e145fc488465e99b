"""What a pass records in the journal, and the mass-deletion guard (docs/ARCHITECTURE.md, "The journal").

``begin`` (before the write-back): compare the version the pass read with
the last one the journal saw; if it is new, the changes are staff's, saved by
whoever had the workbook open (``locks.editor_of``). A save that deletes more
rows of Kiến nghị or Đại biểu than Cấu hình allows (number or share) is a
mass deletion: the backup of the version before it is pinned in sao-luu
(renamed ``…-giu-lai.xlsx``, so rotation never removes it), and a warning
goes to the console line, the dashboard and Lỗi nhập liệu (for
``ALERT_DAYS`` days).

``finish`` (after the write-back): record the staff save, with a backup of
that version in sao-luu (the write-back's own, or one made here), and the
toolkit's write-back as a save by "doithoai".

Works for any watched workbook: ``begin`` takes the workbook's snapshot
(``snapshot.from_dataset`` for the register, ``snapshot.from_workbook`` for
any other file) and the journal to write to. Nothing here raises: trouble
becomes a Vietnamese note; the pass goes on.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.journal import store as jr
from toolkit.xlsx import locks
from toolkit.core import schema
from toolkit.journal import snapshot as snap
from toolkit.core.findings import Finding

ALERT_DAYS = 7
PIN_MARK = "-giu-lai"
GUARDED = (schema.KIEN_NGHI.name, schema.DAI_BIEU.name)
SHARE_MIN_ROWS = 3


@dataclass
class Watch:
    path: Path
    journal: jr.Journal
    data: bytes
    sha256: str
    snapshot: snap.Snapshot
    new: bool = False
    baseline: bool = False
    changes: list[snap.Change] = field(default_factory=list)
    who: str = ""
    at: dt.datetime | None = None
    alerts: list[tuple[str, int, int, str | None]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed: bool = False        # the journal could not be read: this pass records nothing
    base: snap.Snapshot | None = None     # the journal's last version, when it was loaded
    base_sha256: str | None = None
    label: str = ""             # the name the journal keeps it under (a department file: phan-hoi/<sổ>/<mã>.xlsx)

    @property
    def workbook(self) -> str:
        return self.label or self.path.name


def saved_at(path: Path) -> dt.datetime:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return dt.datetime.now().replace(microsecond=0)


def is_mass_deletion(deleted: int, before: int, *, most: int, share: int) -> bool:
    """More rows deleted than ``most``, or more than ``share`` per cent of them (from SHARE_MIN_ROWS rows)."""
    if deleted <= 0:
        return False
    return deleted > most or (deleted >= SHARE_MIN_ROWS and deleted * 100 > share * max(before, 1))


def _pin(path: Path, journal: jr.Journal) -> str | None:
    """Pin the backup of the last version before this save; returns its new name."""
    from toolkit.xlsx import writeback

    folder = writeback.backup_folder(path)
    last = journal.last_backup(path.name)
    candidates = []
    if last:
        candidates.append(folder / last[1])
    kept = writeback.backups(path)
    if kept:
        candidates.append(kept[-1])
    for backup in candidates:
        if backup.stem.endswith(PIN_MARK) and backup.exists():
            return backup.name
        if not backup.exists():
            continue
        pinned = backup.with_name(backup.stem + PIN_MARK + backup.suffix)
        try:
            os.replace(backup, pinned)
        except OSError:
            continue
        journal.rename_backup(backup.name, pinned.name)
        return pinned.name
    return None


def _finding(save_at: dt.datetime, who: str, sheet: str, deleted: int, before: int, pinned: str | None) -> Finding:
    return Finding("mass-deletion", sheet=sheet, value=pinned or "(không có bản sao lưu trước đó)",
                   extra={"when": save_at.strftime("%d/%m/%Y %H:%M"), "who": who, "count": deleted, "other": before})


def begin(path: Path, data: bytes, sha256: str, snapshot: snap.Snapshot, journal: jr.Journal, *,
          config=None, label: str = "") -> Watch:
    """Compare the version just read with the last one seen; guard against mass deletions."""
    path = Path(path)
    w = Watch(path, journal, data, sha256, snapshot, label=label)
    try:
        last = journal.last(w.workbook, unless_sha256=sha256)
        if journal.ok:
            if last is None or (last[0] != sha256 and last[1] is None):
                w.new, w.baseline = True, True
            elif last[0] != sha256:
                w.new = True
                w.changes = snap.diff(last[1], snapshot)
                w.base_sha256, w.base = last
            else:                # the journal holds this very version: a write-back updates its rows
                w.base, w.base_sha256 = snapshot, sha256
            if w.new:
                w.who = locks.editor_of(path) or "không rõ"
                w.at = saved_at(path)
                if not w.baseline:
                    _guard(w, last[1], config)
            since = dt.datetime.now() - dt.timedelta(days=ALERT_DAYS)
            for save, sheet, deleted, before, pinned in journal.alerts(w.workbook, since=since):
                w.findings.append(_finding(save.at, save.who, sheet, deleted, before, pinned))
    except Exception as exc:   # noqa: BLE001 - the journal never stops a pass
        w.new, w.failed = False, True
        w.notes.append(f"Không ghi được nhật ký lượt này ({type(exc).__name__}: {exc}). Sổ không bị ảnh hưởng.")
    w.failed = w.failed or not journal.ok
    w.notes.extend(journal.notes)
    journal.notes.clear()
    return w


def _guard(w: Watch, old: snap.Snapshot, config) -> None:
    most = getattr(config, "xoa_nhieu_so_dong", schema.CONFIG_BY_KEY["xoa_nhieu_so_dong"].default)
    share = getattr(config, "xoa_nhieu_ty_le", schema.CONFIG_BY_KEY["xoa_nhieu_ty_le"].default)
    pinned: str | None = None
    for sheet in GUARDED:
        deleted = snap.deleted_rows(w.changes, sheet)
        before = snap.row_count(old, sheet)
        if not is_mass_deletion(deleted, before, most=most, share=share):
            continue
        if pinned is None:
            pinned = _pin(w.path, w.journal) or ""
        w.alerts.append((sheet, deleted, before, pinned or None))
        w.findings.append(_finding(w.at, w.who, sheet, deleted, before, pinned or None))
        kept = (f"Bản trước đó được giữ lại trong sao-luu: {pinned}; khôi phục bằng lệnh doithoai restore "
                f"\"{w.path}\" --backup {pinned}" if pinned else "Không tìm thấy bản sao lưu trước đó")
        w.notes.append(f"CẢNH BÁO: lần lưu lúc {w.at:%d/%m/%Y %H:%M} ({w.who}) đã xóa {deleted} trong {before} "
                       f"dòng ở sheet '{sheet}'. Nếu xóa nhầm: {kept}.")


def finish(w: Watch, *, written: bool, backup: Path | None, sha256_after: str | None,
           snapshot_after: snap.Snapshot | None) -> list[str]:
    """Record the staff save (when the version was new) and the toolkit's write-back. Returns notes."""
    from toolkit.xlsx import writeback

    try:
        saves: list[jr.NewSave] = []
        last_snapshot = w.snapshot
        if w.new:
            if backup is None:
                try:
                    backup = writeback.keep_copy(w.path, w.data)
                except OSError as err:
                    w.notes.append(f"Không sao lưu được bản vừa lưu vào sao-luu ({err}).")
            saves.append(jr.NewSave(w.at or saved_at(w.path), w.who, jr.BASELINE if w.baseline else jr.STAFF,
                                    w.sha256, w.changes, backup.name if backup else None, alerts=w.alerts))
        if written and sha256_after and snapshot_after is not None and w.journal.ok and not w.failed:
            saves.append(jr.NewSave(dt.datetime.now().replace(microsecond=0), jr.DOITHOAI, jr.TOOLKIT, sha256_after,
                                    snap.diff(w.snapshot, snapshot_after)))
            last_snapshot = snapshot_after
        if saves:   # one transaction: the staff save and the toolkit's write-back that followed it
            w.journal.record_all(w.workbook, saves, last_snapshot, base=w.base, base_sha256=w.base_sha256)
    except Exception as exc:   # noqa: BLE001 - the journal never stops a pass
        w.notes.append(f"Không ghi được nhật ký lượt này ({type(exc).__name__}: {exc}). Sổ không bị ảnh hưởng.")
    finally:
        w.notes.extend(w.journal.notes)
        w.journal.notes.clear()
        w.journal.close()
    return w.notes


def begin_pass(path: Path, checked, out_dir: Path) -> Watch:
    """``begin`` for a pass over the register (``passes.CheckResult``), journal in ``out_dir``."""
    journal = jr.Journal(jr.journal_path(out_dir))
    try:
        taken = snap.from_dataset(checked.dataset)
    except Exception as exc:   # noqa: BLE001 - the journal never stops a pass
        return Watch(Path(path), journal, checked.data, checked.sha256, {}, failed=True,
                     notes=[f"Không ghi được nhật ký lượt này ({type(exc).__name__}). Sổ không bị ảnh hưởng."])
    return begin(path, checked.data, checked.sha256, taken, journal, config=checked.dataset.config)


LATEST = 30
PER_PETITION = 20


def _shown(e: jr.Entry) -> dict:
    return {"at": e.save.at.strftime("%d/%m/%Y %H:%M"), "who": e.save.who,
            "source": jr.SOURCE_LABEL.get(e.save.source, e.save.source), "sheet": e.where, "row": e.row_key,
            "kind": snap.KIND_LABEL.get(e.kind, e.kind), "column": e.column or "", "old": e.old, "new": e.new}


def dashboard_view(w: Watch | None, codes: list[str]) -> dict | None:
    """What the dashboard shows of the journal: the latest changes and each listed petition's history
    (plain data, so it is part of the page's fingerprint). None when there is no journal to read."""
    if w is None or not w.journal.path.exists():
        return None
    journal = jr.Journal(w.journal.path, merging=False)   # side journals are merged by a pass's own begin
    try:
        # the register's journal also holds its departments' files (toolkit.journal.files)
        latest = [_shown(e) for e in journal.entries(None, limit=LATEST)]
        by_code: dict[str, list[dict]] = {}
        wanted = [c for c in dict.fromkeys(codes) if c]
        for start in range(0, len(wanted), 400):
            for e in journal.entries_for(None, wanted[start:start + 400]):
                rows = by_code.setdefault(e.row_key, [])
                if len(rows) < PER_PETITION:
                    rows.append(_shown(e))
        saves = journal.saves(w.workbook, limit=1)
        last = ({"at": saves[0].at.strftime("%d/%m/%Y %H:%M"), "who": saves[0].who,
                 "summary": saves[0].summary()} if saves else None)
        return {"latest": latest, "by_code": by_code, "last": last}
    except Exception:   # noqa: BLE001 - the page is made without the journal rather than not at all
        return None
    finally:
        journal.close()
