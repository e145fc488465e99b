"""What must stop an in-place write-back (DESIGN.md §2 "Write back").

- ``lock_files(path)``: the owner/lock files Excel and LibreOffice create while
  a workbook is open.
- ``unsupported_parts(data)``: Vietnamese descriptions of what openpyxl would
  drop if it saved this workbook, found cheaply from the zip part names and a
  string scan of the XML (no full parse of the sheets).

Checked against the Excel-made fixtures (tests/test_writeback_fixtures.py) and,
for features without an Excel fixture, against files made by XlsxWriter
(tests/test_writeback.py). What openpyxl 3.1 keeps (verified by round trip):
cell values, styles, number formats, data validations, conditional formatting
(classic rules), comments, hyperlinks, defined names, tables, autofilters,
sheet protection, merged cells, rich text (``rich_text=True``), charts,
pictures (Pillow needed), and with ``keep_vba=True`` the VBA project and the
legacy VML form buttons of .xlsm files. What it drops is listed in
``_PART_RULES``/``_SHEET_RULES``/``_DRAWING_RULES`` below.

Not refused: external links (openpyxl keeps them, keep_links=True), custom XML
(SharePoint metadata, not workbook content) and printer settings (a driver
blob; the page setup itself is in the sheet and kept). Refused although
openpyxl claims to keep them: pivot tables (its round trip of pivot caches is
lossy and no Excel-made fixture proves otherwise; a conservative choice).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from defusedxml import ElementTree as ET

_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# Cap on how much of one XML part is scanned (a sheet's extLst is at its end,
# so very large parts are scanned whole up to this cap, which is far above
# any ward workbook).
_SCAN_CAP = 200 * 1024 * 1024


def lock_files(path: Path | str) -> list[Path]:
    """Existing lock files of the workbook at ``path``.

    Excel: ``~$NAME.xlsx``; for long names Excel replaces the first characters
    of the name with ``~$`` (``~$i-thoai-2024.xlsx`` for ``doi-thoai-2024.xlsx``),
    so the one- and two-character truncations are accepted too.
    LibreOffice: ``.~lock.NAME.xlsx#``.
    """
    path = Path(path)
    name = path.name
    folder = path.parent
    candidates = [f"~${name}", f"~${name[2:]}", f"~${name[1:]}", f".~lock.{name}#"]
    found: list[Path] = []
    seen: set[str] = set()
    for candidate in candidates:
        if candidate in seen or candidate in ("~$", ".~lock.#"):
            continue
        seen.add(candidate)
        lock = folder / candidate
        if lock.exists():
            found.append(lock)
    return found


def lock_owner(lock: Path) -> str:
    """'LibreOffice' or 'Excel', from the lock file's name."""
    return "LibreOffice" if lock.name.startswith(".~lock.") else "Excel"


# --- package index ----------------------------------------------------------


def _rels_path(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _relations(zf: zipfile.ZipFile, names: set[str], part: str) -> list[tuple[str, str, str]]:
    """(id, type suffix, target part) of ``part``'s relationships."""
    rels = _rels_path(part)
    if rels not in names:
        return []
    root = ET.fromstring(zf.read(rels))
    out = []
    for rel in root.iter(f"{_REL_NS}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        out.append((rel.get("Id", ""), kind, _resolve(part, rel.get("Target", ""))))
    return out


def _sheets(zf: zipfile.ZipFile, names: set[str], workbook: str) -> list[tuple[str, str]]:
    """(sheet title, sheet part) in workbook order."""
    targets = {rid: target for rid, _kind, target in _relations(zf, names, workbook)}
    root = ET.fromstring(zf.read(workbook))
    out = []
    for sheet in root.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_R_NS}id", ""))
        if target:
            out.append((sheet.get("name", ""), target))
    return out


def workbook_part(zf: zipfile.ZipFile) -> str | None:
    names = set(zf.namelist())
    for _rid, kind, target in _relations(zf, names, ""):
        if kind == "officeDocument":
            return target if target in names else None
    return "xl/workbook.xml" if "xl/workbook.xml" in names else None


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: sheet XML part} (worksheets and chartsheets)."""
    wb = workbook_part(zf)
    if wb is None:
        return {}
    return dict(_sheets(zf, set(zf.namelist()), wb))


# --- rules ------------------------------------------------------------------

# Workbook-level parts openpyxl does not write back: (prefix, description).
_PART_RULES: list[tuple[str, str]] = [
    ("xl/featurePropertyBag/", "ô đánh dấu (checkbox) trong ô"),
    ("xl/richData/", "ảnh hoặc kiểu dữ liệu đặt trong ô (Place in Cell)"),
    ("xl/slicers/", "bộ lọc slicer"),
    ("xl/slicerCaches/", "bộ lọc slicer"),
    ("xl/timelines/", "bộ lọc thời gian (timeline)"),
    ("xl/timelineCaches/", "bộ lọc thời gian (timeline)"),
    ("xl/threadedComments/", "chú thích dạng hội thoại (threaded comment)"),
    ("xl/pivotTables/", "bảng tổng hợp (PivotTable)"),
    ("xl/macrosheets/", "trang macro Excel 4.0"),
    ("xl/dialogsheets/", "trang hộp thoại Excel 5.0"),
    ("xl/webextensions/", "phần bổ trợ Office (add-in)"),
    ("xl/model/", "mô hình dữ liệu (Power Pivot)"),
    ("xl/queryTables/", "bảng truy vấn dữ liệu ngoài (Power Query)"),
    ("xl/connections.xml", "kết nối dữ liệu ngoài (Power Query)"),
    ("xl/diagrams/", "sơ đồ SmartArt"),
    ("xl/charts/chartEx", "biểu đồ kiểu mới (thác nước, cây, phễu...)"),
]

# Form controls are kept only through the VBA cache (keep_vba) and even then
# the sheet's <controls> list is not written: refused always.
_ALWAYS_PART_RULES: list[tuple[str, str]] = [
    ("xl/ctrlProps/", "nút điều khiển biểu mẫu (form control)"),
    ("xl/activeX/", "điều khiển ActiveX"),
]

# Byte strings in a sheet's XML: (needle, description).
_SHEET_RULES: list[tuple[bytes, str]] = [
    (b"sparklineGroups", "biểu đồ thu nhỏ trong ô (sparkline)"),
    (b"x14:dataValidations", "danh sách thả xuống kiểu mở rộng (tham chiếu trang khác)"),
    (b"x14:conditionalFormattings", "định dạng có điều kiện kiểu mở rộng (thanh dữ liệu, bộ biểu tượng)"),
    (b"<controls", "nút điều khiển biểu mẫu (form control)"),
    (b"slicerList", "bộ lọc slicer"),
    (b"timelineRefs", "bộ lọc thời gian (timeline)"),
    (b' vm="', "ảnh hoặc kiểu dữ liệu đặt trong ô (Place in Cell)"),
    (b' cm="', "công thức mảng động (dynamic array)"),
    (b"<legacyDrawingHF", "ảnh trong đầu trang/chân trang"),
    (b"<picture ", "ảnh nền trang tính"),
]

# Sheet extensions (<extLst><ext uri=...>) openpyxl reads but drops on save:
# every one is refused; these URIs are already named by _SHEET_RULES.
_KNOWN_EXT_URIS = {
    "{78C0D931-6437-407D-A8EE-F0AAD7539E65}",  # x14:conditionalFormattings
    "{B025F937-C7B1-47D3-B67F-A62EFF666E3E}",  # x14:id link inside a cfRule
    "{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}",  # x14:dataValidations
    "{05C60535-1F16-4FD2-B633-F4F36F0B64E0}",  # x14:sparklineGroups
    "{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}",  # x14:slicerList
    "{3A4CF648-6AED-40F4-86FF-DC5316D8AED3}",  # x15:slicerList (table slicers)
    "{7E03D99C-DC04-49D9-9315-930204A7B6E9}",  # x15:timelineRefs
}
_EXT_URI = re.compile(rb'<(?:\w+:)?ext\b[^>]*?\buri="([^"]+)"')

# Byte strings in a drawing part: (needle, description).
_DRAWING_RULES: list[tuple[re.Pattern[bytes], str]] = [
    (re.compile(rb"<(?:\w+:)?sp[\s>]"), "hình vẽ hoặc hộp văn bản (shape)"),
    (re.compile(rb"<(?:\w+:)?grpSp[\s>]"), "nhóm hình vẽ"),
    (re.compile(rb"<(?:\w+:)?cxnSp[\s>]"), "đường nối (connector)"),
    (re.compile(rb"AlternateContent"), "đối tượng vẽ kiểu mới (slicer, biểu đồ kiểu mới, điều khiển...)"),
    (re.compile(rb"drawingml/2006/diagram"), "sơ đồ SmartArt"),
    (re.compile(rb"r:link="), "ảnh liên kết ra tệp ngoài"),
]


def _pillow() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


def _scan(zf: zipfile.ZipFile, part: str) -> bytes:
    with zf.open(part) as handle:
        return handle.read(_SCAN_CAP)


def unsupported_parts(data: bytes, *, keep_vba: bool | None = None) -> list[str]:
    """Vietnamese descriptions of what openpyxl would drop on save ([] = safe).

    ``keep_vba`` defaults to "the workbook has a VBA project" (how write_back
    loads it). Each description is listed once, in a stable order.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["tệp không phải sổ Excel .xlsx/.xlsm (hoặc sổ có đặt mật khẩu mở)"]
    with zf:
        names = set(zf.namelist())
        workbook = workbook_part(zf)
        if workbook is None:
            return ["tệp không có phần sổ tính Excel (có thể là .xlsb hoặc tệp hỏng)"]
        if keep_vba is None:
            keep_vba = any(n.startswith("xl/vbaProject") for n in names)
        found: list[str] = []

        def add(text: str) -> None:
            if text not in found:
                found.append(text)

        for prefix, text in _ALWAYS_PART_RULES + _PART_RULES:
            if any(n.startswith(prefix) for n in names):
                add(text)
        if "xl/metadata.xml" in names:
            meta = _scan(zf, "xl/metadata.xml")
            if b"XLRICHVALUE" in meta or b"rvb" in meta:
                add("ảnh hoặc kiểu dữ liệu đặt trong ô (Place in Cell)")
            if b"XLDAPR" in meta:
                add("công thức mảng động (dynamic array)")
        for title, sheet in _sheets(zf, names, workbook):
            if sheet not in names:
                continue
            where = f" trên trang «{title}»"
            xml = _scan(zf, sheet)
            for needle, text in _SHEET_RULES:
                if needle in xml:
                    add(text + where)
            for uri in _EXT_URI.findall(xml):
                if uri.decode("ascii", "replace").upper() not in _KNOWN_EXT_URIS:
                    add("phần mở rộng của Excel mà toolkit chưa ghi lại được" + where)
            for _rid, kind, target in _relations(zf, names, sheet):
                if target not in names:
                    continue
                if kind == "drawing":
                    _check_drawing(zf, names, target, where, add)
                elif kind == "vmlDrawing" and not keep_vba:
                    vml = _scan(zf, target)
                    if _vml_has_controls(vml):
                        add("nút điều khiển biểu mẫu (form control)" + where)
        # A workbook-level entry is redundant when a sheet names the same thing.
        return [t for t in found if not any(o.startswith(t + " trên trang") for o in found)]


def _vml_has_controls(vml: bytes) -> bool:
    """A VML drawing holding anything but comment boxes (ObjectType Note)."""
    index = 0
    while True:
        index = vml.find(b"ObjectType=", index)
        if index < 0:
            return False
        value = vml[index + 12 : index + 30]
        if not value.startswith(b"Note"):
            return True
        index += 12


def _check_drawing(zf, names, drawing: str, where: str, add) -> None:
    xml = _scan(zf, drawing)
    for pattern, text in _DRAWING_RULES:
        if pattern.search(xml):
            add(text + where)
    for _rid, kind, target in _relations(zf, names, drawing):
        if kind == "image":
            suffix = target.rsplit(".", 1)[-1].lower()
            if not _pillow():
                add("ảnh chèn trong trang (máy chưa cài Pillow)" + where)
            elif suffix in ("wmf", "emf"):
                add("ảnh định dạng WMF/EMF" + where)
        elif kind == "chart" and target in names:
            chart = _scan(zf, target)
            if b"userShapes" in chart:
                add("hình vẽ bên trong biểu đồ" + where)
