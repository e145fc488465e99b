"""Which file names are what: workbooks the watcher reacts to, the lock, owner and temp files
of Excel, LibreOffice and editors, the departments' answer files and a register's output
folder (docs/ARCHITECTURE.md, "The watcher" and "Department files")."""

from __future__ import annotations

from pathlib import Path

from toolkit.core import text

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REPLY_FOLDER = "phan-hoi"     # phan-hoi/<register stem>/<Mã bộ phận>.xlsx beside the register
OUTPUT_FOLDER = "ket-qua"     # ket-qua/<register stem>/ beside the register: the toolkit's files


def output_dir(workbook: Path) -> Path:
    """The toolkit's own folder for ``workbook``: ``ket-qua/<its name>/`` beside it."""
    workbook = Path(workbook)
    return workbook.resolve().parent / OUTPUT_FOLDER / workbook.stem


def is_workbook_name(name: str) -> bool:
    """A name the watcher reacts to: a real .xlsx/.xlsm, not a lock or temp."""
    if is_ignored_name(name):
        return False
    return name.lower().endswith(WORKBOOK_SUFFIXES)


def is_ignored_name(name: str) -> bool:
    """Lock, owner and temp files written by Excel, LibreOffice and editors."""
    low = name.lower()
    if name.startswith(("~$", ".", "~")):  # owner files, .~lock.*#, dotfiles, ~temp
        return True
    if low.endswith((".tmp", ".osl-tmp", "#", "~", ".bak", ".part")):
        return True
    stem, dot, _ = name.partition(".")
    if not dot and len(name) == 8:  # Excel's temp file, e.g. "A1B2C3D4"
        return True
    return False


def safe_code(code: str) -> str:
    """A department code as a file name on Windows and POSIX."""
    bad = '<>:"/\\|?*'
    out = "".join("_" if ch in bad or ord(ch) < 32 else ch for ch in text.clean(str(code), multiline=False))
    return out.strip(" .") or "_"
