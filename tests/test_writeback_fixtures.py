"""Every Excel-made fixture is written: its feature is kept, every part doithoai
does not own is byte-identical, every staff cell element too, and what doithoai
wrote passes the strict OOXML checker."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from packagecheck import WORKBOOK_PARTS, owned_changes_only, validate
from toolkit.xlsx import patch as xlsxpatch
from toolkit.xlsx.writeback import sha256_bytes, temp_files, write_back

from conftest import EXCEL_MADE as FIXTURES


def _load(path: Path):
    wb = openpyxl.load_workbook(path, rich_text=True, keep_vba=path.suffix == ".xlsm")
    # keep_vba makes openpyxl hold an open in-memory zip it never closes; left to the garbage
    # collector it may find its buffer closed first (a PytestUnraisableExceptionWarning in a
    # later test). These workbooks are only read here, so the zip is closed at once.
    if getattr(wb, "vba_archive", None) is not None:
        wb.vba_archive.close()
    return wb


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


# --- feature checks: (original workbook, written workbook, original path, written path) -> value


def _autofilter(wb, _p):
    return wb.active.auto_filter.ref


def _vba(wb, path):
    parts = _parts(path)
    rels = parts["xl/worksheets/_rels/sheet1.xml.rels"].decode()
    types = parts["[Content_Types].xml"].decode()
    return (
        sha256_bytes(parts["xl/vbaProject.bin"]),
        "vmlDrawing" in rels and "<legacyDrawing" in parts["xl/worksheets/sheet1.xml"].decode(),
        "macroEnabled" in types,
        # the button and the macro it runs
        re.findall(r"<x:FmlaMacro>([^<]*)<", parts[_vml_name(parts)].decode("utf-8", "replace")),
    )


def _vml_name(parts):
    return next(n for n in parts if n.endswith(".vml"))


def _chart(wb, path):
    refs = set()
    for name, data in _parts(path).items():
        if name.startswith("xl/charts/chart"):
            refs.update(re.findall(r"<(?:c:)?f>([^<]+)</(?:c:)?f>", data.decode()))
    return len(wb.active._charts), sorted(refs)


def _comments(wb, _p):
    return [(c.coordinate, c.comment.text) for row in wb.active.iter_rows() for c in row if c.comment]


def _cond_format(wb, _p):
    return [
        (str(cf.sqref), [(r.type, r.operator, r.formula) for r in cf.rules])
        for cf in wb.active.conditional_formatting
    ]


def _validation(wb, _p):
    return [(str(d.sqref), d.type, d.formula1) for d in wb.active.data_validations.dataValidation]


def _defined_names(wb, _p):
    names = {name: dn.attr_text for name, dn in wb.defined_names.items()}
    local = {
        ws.title: {n: dn.attr_text for n, dn in ws.defined_names.items()}
        for ws in wb.worksheets if ws.title != "Tổng hợp"
    }
    return names, local


def _hyperlinks(wb, _p):
    return [
        (c.coordinate, c.hyperlink.target, c.hyperlink.location)
        for row in wb.active.iter_rows() for c in row if c.hyperlink
    ]


def _images(wb, path):
    media = [n for n in _parts(path) if n.startswith("xl/media/")]
    return len(wb.active._images), len(media)


def _merged(wb, _p):
    return sorted(str(r) for r in wb.active.merged_cells.ranges)


def _protection(wb, _p):
    ws = wb.active
    return ws.protection.sheet, [(c.protection.locked, c.protection.hidden) for c in ws["A"]]


def _rich(wb, _p):
    value = wb.active["A3"].value
    return [(getattr(b, "text", b), getattr(getattr(b, "font", None), "b", None)) for b in value]


def _tables(wb, _p):
    return dict(wb.active.tables.items())  # {name: ref}


def _text(wb, _p):
    return [[c.value for c in row] for row in wb.active.iter_rows(max_col=1) if row[0].value is not None]


def _raw(*needles: bytes):
    """For features openpyxl cannot read: the parts that carry them, byte for byte."""
    def check(_wb, path):
        found = {n: d for n, d in _parts(path).items() if any(x in n.encode() or x in d for x in needles)
                 and not n.startswith("xl/worksheets/sheet") and n not in WORKBOOK_PARTS}
        return sorted((n, sha256_bytes(d)) for n, d in found.items())
    return check


# fixture -> the check that must read the feature back unchanged
CASES = {
    "autofilter01.xlsx": _autofilter,
    "button07.xlsm": _vba,
    "chart_bar01.xlsx": _chart,
    "checkbox01.xlsx": _raw(b"featurePropertyBag"),
    "comment01.xlsx": _comments,
    "cond_format01.xlsx": _cond_format,
    "data_validation01.xlsx": _validation,
    "defined_name01.xlsx": _defined_names,
    "embed_image01.xlsx": _raw(b"richData", b"xl/media/"),
    "hyperlink01.xlsx": _hyperlinks,
    "image01.xlsx": _images,
    "merge_range01.xlsx": _merged,
    "protect01.xlsx": _protection,
    "rich_string01.xlsx": _rich,
    "table01.xlsx": _tables,
    "textbox01.xlsx": _raw(b"xl/drawings/"),
    "utf8_01.xlsx": _text,
}

SUMMARY = "Tổng hợp"


def test_every_fixture_has_a_row():
    names = {p.name for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".xlsm")}
    assert names == set(CASES)


def _first_sheet(data: bytes) -> str:
    return next(iter(xlsxpatch.sheet_parts(data)))


WRITTEN = ("Z1", "Z2", "Z3")


def _apply(data: bytes, stamp: str = "✓") -> bytes | None:
    """What a pass does: cells in a staff sheet, and a generated sheet with staff-derived text."""
    title = _first_sheet(data)
    edit = xlsxpatch.StaffEdit(title, {(1, 26): xlsxpatch.Write("Kiểm tra"), (2, 26): xlsxpatch.Write(stamp),
                                       (3, 26): xlsxpatch.Write(dt.date(2024, 6, 21))})
    summary = xlsxpatch.GeneratedSheet(SUMMARY, [["Lĩnh vực", "Số kiến nghị"], ["=cmd|' /C calc'!A0", 3]])
    return xlsxpatch.patch(data, staff=[edit], generated=[summary])


def _calamine_values(path: Path) -> dict[str, list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def _without_z(grid: list) -> list:
    """A sheet's values without column Z (where the test writes), trailing blanks dropped."""
    rows = [list(row[:25]) for row in grid]
    for row in rows:
        while row and row[-1] in ("", None):
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_write_back(tmp_path, name):
    check = CASES[name]
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    before = path.read_bytes()

    result = write_back(path, expected_sha256=sha256_bytes(before), apply=_apply)

    assert temp_files(tmp_path) == []
    assert result.written, result.reason
    after = path.read_bytes()
    assert result.sha256 == sha256_bytes(after)
    assert result.backup is not None and result.backup.read_bytes() == before
    title = _first_sheet(before)
    owned_changes_only(before, after, patched={title: set(WRITTEN)}, generated={SUMMARY})
    validate(path)
    old, new = _load(FIXTURES / name), _load(path)
    exp, got = check(old, FIXTURES / name), check(new, path)
    assert got == exp
    assert exp not in (None, [], {}, (0, 0)), "the check must see the feature"
    # every staff value is intact for the next pass (calamine), and the toolkit's values arrived
    old_cal, new_cal = _calamine_values(FIXTURES / name), _calamine_values(path)
    assert {k: _without_z(v) for k, v in new_cal.items() if k != SUMMARY} == {
        k: _without_z(v) for k, v in old_cal.items()}
    assert [row[25] for row in new_cal[title][:3]] == ["Kiểm tra", "✓", dt.date(2024, 6, 21)]
    # the toolkit's own sheet is there, staff-derived text stays text
    assert new[SUMMARY]["A2"].value == "=cmd|' /C calc'!A0"
    assert new[SUMMARY]["A2"].data_type == "s"
    assert new_cal[SUMMARY][1] == ["=cmd|' /C calc'!A0", 3]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_second_pass_writes_only_what_changed(tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    assert write_back(path, expected_sha256=sha256_bytes(path.read_bytes()), apply=_apply).written
    after_first = path.read_bytes()
    second = write_back(path, expected_sha256=sha256_bytes(after_first), apply=_apply)
    assert (second.written, second.reason_code) == (False, "unchanged")
    assert path.read_bytes() == after_first
    third = write_back(path, expected_sha256=sha256_bytes(after_first), apply=lambda d: _apply(d, "✗ lỗi"))
    assert third.written
    third_bytes = path.read_bytes()
    title = _first_sheet(after_first)
    owned_changes_only(after_first, third_bytes, patched={title: {"Z2"}})
    # styles are found again, not appended again
    assert sha256_bytes(_parts(path)["xl/styles.xml"]) == sha256_bytes(
        zipfile.ZipFile(io.BytesIO(after_first)).read("xl/styles.xml"))
