"""The Word templates: which file each kind of document uses, and where it is read from.

The defaults live in ``templates/`` at the top of the repository (the Word templates and
the dashboard's ``dashboard.html.j2``, rebuilt by ``python tools/maketemplates.py``); a
wheel carries them as ``toolkit/templates/`` (pyproject.toml maps the folder into the
package). Staff may adapt a template:
``doithoai mau-van-ban SỔ.xlsx`` copies the defaults into the folder
``mau-van-ban/`` beside the workbook; a template found there is used instead of
the default (one by one: a folder holding only the invitation changes only the
invitation), and its content is part of the documents' fingerprints, so saving
an edited template remakes the documents that use it.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

TEMPLATES = {
    "ketqua": "bao-cao-ket-qua.docx",
    "giaymoi": "giay-moi.docx",
    "phieuchuyen": "phieu-chuyen.docx",
    "thongbao": "thong-bao.docx",
    "thang": "bao-cao-thang.docx",
    "dondoc": "giay-don-doc.docx",
    "kehoach": "ke-hoach.docx",
}
KINDS = tuple(TEMPLATES)


def _packaged_dir() -> Path:
    """Where the default templates are: ``toolkit/templates`` in an installed wheel, else the
    checkout's (or editable install's) top-level ``templates/``. The wheel's is asked first, so
    an unrelated ``templates`` folder elsewhere never wins."""
    package = Path(__file__).resolve().parent.parent          # toolkit/
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent / "templates"


PACKAGED_DIR = _packaged_dir()
DASHBOARD_TEMPLATE = "dashboard.html.j2"
OVERRIDE_FOLDER = "mau-van-ban"


def override_dir(workbook: Path) -> Path:
    """The folder beside the workbook whose templates replace the defaults."""
    return Path(workbook).resolve().parent / OVERRIDE_FOLDER


def template_path(kind: str, templates_dir: Path | None = None) -> Path:
    """The template a document of ``kind`` is rendered from: ``templates_dir``'s when it has one, else the default."""
    name = TEMPLATES[kind]
    if templates_dir is not None:
        mine = Path(templates_dir) / name
        if mine.is_file():
            return mine
    return PACKAGED_DIR / name


def template_print(kind: str, templates_dir: Path | None = None) -> str:
    """A digest of the content of the template ``kind`` is rendered from (an unedited copy = the default)."""
    source = template_path(kind, templates_dir)
    h = hashlib.sha256()
    try:
        h.update(source.read_bytes())
    except OSError:
        h.update(b"missing")
    return h.hexdigest()


def copy_defaults(folder: Path, *, overwrite: bool = False) -> tuple[list[Path], list[Path]]:
    """Copy the default templates into ``folder``; returns (copied, kept because they exist)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    copied, kept = [], []
    for name in TEMPLATES.values():
        target = folder / name
        if target.exists() and not overwrite:
            kept.append(target)
            continue
        shutil.copyfile(PACKAGED_DIR / name, target)
        copied.append(target)
    return copied, kept
