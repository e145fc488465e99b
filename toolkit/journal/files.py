"""The journal of the departments' own files (docs/ARCHITECTURE.md, "Department files" and "The journal").

Each department answers in ``phan-hoi/<sổ>/<mã>.xlsx``; a pass reads every one of them
(``pipeline.answers.read_files``) and refreshes or creates them (``outputs.department_files.sync``).
Here each file the pass read and found in a new version is journalled like the register:
its cells against the last version the journal saw, who saved it (the lock file while it
was open, else the file's owner), a backup of that version in the department folder's
``sao-luu``; what the pass itself wrote into a file, or a file it created, is journalled as
"doithoai". The entries go to the register's journal under the file's name
``phan-hoi/<sổ>/<mã>.xlsx``, so ``history`` and the dashboard show them beside the register's.

A file whose version the journal already holds, and that the pass did not write, costs one
query: it is not read again. Nothing here raises; trouble is a Vietnamese note.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from toolkit.journal import record, snapshot as snap, store as jr
from toolkit.xlsx.names import REPLY_FOLDER

# Sheets of a department file the toolkit rebuilds whole each pass (its lists, the rows no longer
# assigned): not what the department typed.
SKIP_SHEETS = ("Danh mục", "Không còn giao")


def label(register: Path, path: Path) -> str:
    """The name a department file has in the register's journal."""
    return f"{REPLY_FOLDER}/{Path(register).stem}/{Path(path).name}"


def _snapshot(data: bytes) -> snap.Snapshot:
    return snap.from_workbook(data, skip_sheets=SKIP_SHEETS)


def _written_version(path: Path, sha256: str | None) -> tuple[bytes, snap.Snapshot] | None:
    """The file as the pass wrote it, when it is still that version."""
    if not sha256:
        return None
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != sha256:
        return None      # saved again meanwhile: the next pass sees it as a staff save
    return data, _snapshot(data)


def journal_files(register: Path, files: dict, synced, out_dir: Path) -> list[str]:
    """Journal the department files a pass read (``files``: code -> ``replies.DepartmentFile``)
    and what ``synced`` (``replies.SyncResult``) says it wrote or created. Returns notes."""
    notes: list[str] = []
    journal = jr.Journal(jr.journal_path(out_dir))
    try:
        for f in files.values():
            name = label(register, f.path)
            wrote = synced.hashes.get(f.path) if synced is not None and f.path in synced.written else None
            try:
                last = journal.last(name, unless_sha256=f.sha256)
                if not journal.ok:
                    break
                if last is not None and last[0] == f.sha256 and wrote is None:
                    continue                       # the version the journal holds, untouched by the pass
                w = record.begin(f.path, f.data, f.sha256, _snapshot(f.data), journal, label=name)
                after = _written_version(f.path, wrote)
                notes += record.finish(w, written=after is not None, backup=None,
                                       sha256_after=wrote if after else None,
                                       snapshot_after=after[1] if after else None)
            except Exception as exc:   # noqa: BLE001 - the journal never stops a pass
                notes.append(f"Không ghi được nhật ký của {name} ({type(exc).__name__}). Tệp không bị ảnh hưởng.")
        for path in (synced.created if synced is not None else ()):
            name = label(register, path)
            made = _written_version(path, synced.hashes.get(path))
            if made is None:
                continue
            try:
                w = record.begin(path, made[0], synced.hashes[path], made[1], journal, label=name)
                if w.new:
                    w.who = jr.DOITHOAI
                notes += record.finish(w, written=False, backup=None, sha256_after=None, snapshot_after=None)
            except Exception as exc:   # noqa: BLE001
                notes.append(f"Không ghi được nhật ký của {name} ({type(exc).__name__}). Tệp không bị ảnh hưởng.")
    finally:
        notes += journal.notes
        journal.notes.clear()
        journal.close()
    return list(dict.fromkeys(notes))
