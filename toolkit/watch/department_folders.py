"""The watcher and the departments' own files (docs/ARCHITECTURE.md, "Department files"): ``<folder>/phan-hoi/<stem>/<code>.xlsx``.

A save of a department file (or its lock file going away: the file was closed) runs the pass of the
register ``<folder>/<stem>.xlsx``. The pass's own writes of department files start no pass: their
hashes come back in ``PassOutcome.reply_hashes``, and an event that arrives while the register's pass
runs is judged once it has finished. ``ReplyWatch`` is the part of ``watching._Watch`` that does this.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from toolkit.xlsx.names import REPLY_FOLDER



class ReplyWatch:
    """Mixed into ``watching._Watch``: uses its ``targets``, ``observer``, ``handler``, ``running``,
    ``sched``, ``accepted`` and ``is_workbook_name``."""

    def init_replies(self) -> None:
        self.reply_dirs: set[Path] = set()
        self.reply_hashes: dict[Path, str] = {}
        self.reply_deferred: dict[Path, set[Path]] = {}

    def watch_replies(self) -> None:
        """Watch each folder's phan-hoi/ (with its subfolders) once it exists."""
        if self.observer is None or self.handler is None:
            return
        for folder in self.targets:
            replies = folder / REPLY_FOLDER
            if replies in self.reply_dirs or not replies.is_dir():
                continue
            try:
                self.observer.schedule(self.handler, str(replies), recursive=True)
                self.reply_dirs.add(replies)
            except OSError:
                continue

    def reply_register(self, path: Path) -> Path | None:
        """The register whose department file (or its lock file) ``path`` is."""
        if len(path.parts) < 3 or path.parent.parent.name != REPLY_FOLDER:
            return None
        folder = path.parent.parent.parent
        if folder not in self.targets:
            return None
        for suffix in (".xlsx", ".xlsm"):
            register = folder / (path.parent.name + suffix)
            if self.accepted(register) and register.is_file():
                return register
        return None

    def reply_event(self, path: Path, register: Path, kind: str, now: float) -> None:
        """A department file saved (or closed: its lock file gone): run the register's pass."""
        if self.is_workbook_name(path.name):
            if kind == "deleted":
                return
            if register in self.running:     # maybe the pass's own write: judged when it has finished
                self.reply_deferred.setdefault(register, set()).add(path)
                return
            if self.reply_hashes.get(path) is not None:
                try:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    digest = None
                if digest == self.reply_hashes[path]:
                    return          # the pass's own write
        elif kind != "deleted" or not path.name.startswith((".~lock.", "~$")):
            return                  # a lock file appearing, a temp file, or something else in the folder
        self.sched.notice(register, now, force=True, reason="reply")

    def replies_finished(self, register: Path, result, now: float | None) -> None:
        """After the register's pass: remember the department files it wrote, judge deferred events."""
        for reply, digest in getattr(result, "reply_hashes", ()) or ():
            self.reply_hashes[Path(reply)] = digest
        if now is not None:
            self.watch_replies()     # the pass may have made phan-hoi/ just now
            for reply in sorted(self.reply_deferred.pop(register, ())):
                self.reply_event(reply, register, "modified", now)
