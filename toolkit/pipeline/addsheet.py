"""`doithoai init --add-sheet "Công việc" FILE`: add an optional sheet to a workbook in use.

A workbook made before the Công việc sheet existed keeps working without it.
This adds it safely, like every write to a staff workbook: through
``writeback.write_back`` (lock files, the hash of what was read, a backup,
the atomic replace) with a patch of the package (``xlsxpatch``: one new
worksheet part, its entries in workbook.xml, its rels and the content types,
styles appended) — never a re-save. Every other part keeps its bytes.

The new sheet holds the header (staff columns dark blue, toolkit columns grey,
frozen), the plan's tasks for each conference already in Hội nghị
(``tasks.seed_rows``, departments named as in the workbook's Bộ phận when
their code is there), dropdowns pointing at the workbook's own Hội nghị and
Bộ phận columns, and dates shown dd/mm/yyyy. Ngày đến hạn and Kiểm tra are
filled by the next pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from toolkit.core import a1, schema

from toolkit.pipeline import loading
from toolkit.xlsx import looks, writeback, patch as xlsxpatch

from toolkit.rules import tasks
from toolkit.core.errors import UsageError
from toolkit.core.text import header_key
from toolkit.xlsx.styles import Look

ADDABLE = {schema.CONG_VIEC.match_key: schema.CONG_VIEC}
DATA_LAST_ROW = 5000
REF_LAST_ROW = 500


@dataclass
class AddResult:
    path: Path
    sheet: str
    rows: int                 # task rows seeded
    written: bool
    reason: str | None        # why not written (Vietnamese), when not


def addable(name: str) -> schema.Sheet:
    sheet = ADDABLE.get(header_key(name))
    if sheet is None:
        names = ", ".join(f"«{s.name}»" for s in ADDABLE.values())
        raise UsageError(f"doithoai chỉ thêm được các sheet: {names}. Ví dụ: doithoai init --add-sheet "
                         f"\"{schema.CONG_VIEC.name}\" so.xlsx", code="add-sheet-unknown")
    return sheet


def _source(ds, sheet: schema.Sheet, key: str) -> str | None:
    table = ds.tables.get(sheet.key)
    if table is None or key not in table.columns:
        return None
    letter = a1.col_letter(table.columns[key])
    first = table.header_row + 1
    return f"{a1.quote_sheet(table.title)}!${letter}${first}:${letter}${max(REF_LAST_ROW, first)}"


def task_sheet(ds) -> tuple[xlsxpatch.GeneratedSheet, int]:
    """The Công việc sheet for this workbook, as a part the patcher adds; and its number of tasks."""
    sheet = schema.CONG_VIEC
    by_code = {d.ma.strip().upper(): d.ten for d in ds.departments if d.ma and d.ten}
    codes = [c.ma for c in ds.conferences if c.ma]
    rows = tasks.seed_rows(codes, ds.config, lambda code: by_code.get(code))
    grid = [[c.header for c in sheet.columns]] + [[row.get(c.key) for c in sheet.columns] for row in rows]
    cell_looks = {(1, i): looks.header_look(c.owner) for i, c in enumerate(sheet.columns, start=1)}
    col_looks = {i: Look(date=True) for i, c in enumerate(sheet.columns, start=1) if c.type == schema.DATE}
    validations = []
    for i, c in enumerate(sheet.columns, start=1):
        if c.source in (schema.HOI_NGHI.key, schema.BO_PHAN.key):
            target = schema.sheet(c.source)
            src = _source(ds, target, "ma" if target is schema.HOI_NGHI else "ten")
            if src:
                letter = a1.col_letter(i)
                validations.append((f"{letter}2:{letter}{DATA_LAST_ROW}", src))
    gen = xlsxpatch.GeneratedSheet(
        sheet.name, grid, plain=Look(wrap=True), widths=tuple(c.width for c in sheet.columns), freeze_row=2,
        tab_color=sheet.tab_color, cell_looks=cell_looks, col_looks=col_looks, validations=tuple(validations))
    return gen, len(rows)


def add_sheet(path: Path, name: str) -> AddResult:
    """Add the optional sheet ``name`` to the workbook at ``path``, through the safe write-back."""
    sheet = addable(name)
    path = Path(path)
    loaded = loading.load(path)
    ds = loaded.dataset
    if any(header_key(n) == sheet.match_key for n in ds.sheet_names):
        raise UsageError(f"Sổ {path.name} đã có sheet «{sheet.name}»: không cần thêm.", code="add-sheet-exists")
    if not any(header_key(n) == schema.HOI_NGHI.match_key for n in ds.sheet_names):
        raise UsageError(f"Sổ {path.name} không có sheet «{schema.HOI_NGHI.name}» (có lẽ không phải sổ đối thoại): "
                         "không thêm sheet nào. Tạo sổ đúng mẫu bằng lệnh doithoai init.", code="add-sheet-not-doithoai")
    gen, count = task_sheet(ds)
    result = writeback.write_back(path, expected_sha256=loaded.sha256, data=loaded.data,
                                  apply=lambda data: xlsxpatch.patch(data, generated=[gen]))
    return AddResult(path, sheet.name, count, result.written, None if result.written else result.reason)
