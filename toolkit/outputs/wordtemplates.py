"""The Word templates: which file each kind of document uses, and where it is read from.

The defaults ship inside the package (``toolkit/outputs/templates/``, package data,
rebuilt by ``python -m toolkit.outputs.maketemplates``). Staff may adapt a template:
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
PACKAGED_DIR = Path(__file__).resolve().parent / "templates"
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
