"""Every Excel-made fixture either keeps its feature through a write-back or is
refused with a Vietnamese reason naming the feature, left byte-identical."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from toolkit.safety import unsupported_parts
from toolkit.writeback import set_cell_text, sha256_bytes, temp_files, write_back

FIXTURES = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "excel-made"
if not FIXTURES.is_dir():
    FIXTURES = Path("/work/shared/fixtures/excel-made")

try:
    import PIL  # noqa: F401

    HAVE_PILLOW = True
except ImportError:
    HAVE_PILLOW = False


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
    return [[c.value for c in row] for row in wb.active.iter_rows()]


# fixture -> (expected outcome, check or words the refusal must contain)
CASES = {
    "autofilter01.xlsx": ("kept", _autofilter),
    "button07.xlsm": ("kept", _vba),
    "chart_bar01.xlsx": ("kept", _chart),
    "checkbox01.xlsx": ("refused", "checkbox"),
    "comment01.xlsx": ("kept", _comments),
    "cond_format01.xlsx": ("kept", _cond_format),
    "data_validation01.xlsx": ("kept", _validation),
    "defined_name01.xlsx": ("kept", _defined_names),
    "embed_image01.xlsx": ("refused", "ảnh"),
    "hyperlink01.xlsx": ("kept", _hyperlinks),
    "image01.xlsx": ("kept", _images) if HAVE_PILLOW else ("refused", "ảnh"),
    "merge_range01.xlsx": ("kept", _merged),
    "protect01.xlsx": ("kept", _protection),
    "rich_string01.xlsx": ("kept", _rich),
    "table01.xlsx": ("kept", _tables),
    "textbox01.xlsx": ("refused", "hộp văn bản"),
    "utf8_01.xlsx": ("kept", _text),
}


def test_every_fixture_has_a_row():
    names = {p.name for p in FIXTURES.iterdir() if p.suffix in (".xlsx", ".xlsm")}
    assert names == set(CASES)


def _add_summary_sheet(wb) -> bool:
    ws = wb.create_sheet("Tổng hợp")
    set_cell_text(ws, 1, 1, "Lĩnh vực")
    set_cell_text(ws, 1, 2, "Số kiến nghị")
    set_cell_text(ws, 2, 1, "=cmd|' /C calc'!A0")
    set_cell_text(ws, 2, 2, 3)
    return True


def _calamine_values(path: Path) -> dict[str, list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _values(wb) -> dict[str, list]:
    return {
        ws.title: [[str(c.value) if c.value is not None else None for c in row] for row in ws.iter_rows()]
        for ws in wb.worksheets
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_write_back(tmp_path, name):
    outcome, check = CASES[name]
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    before = path.read_bytes()

    result = write_back(path, expected_sha256=sha256_bytes(before), apply=_add_summary_sheet)

    assert temp_files(tmp_path) == []
    if outcome == "refused":
        assert (result.written, result.reason_code) == (False, "unsupported")
        assert check in result.reason, result.reason
        assert "Chưa ghi vào sổ" in result.reason
        assert path.read_bytes() == before
        assert check in " ".join(unsupported_parts(before))
        return

    assert result.written, result.reason
    assert result.sha256 == sha256_bytes(path.read_bytes())
    assert result.backup is not None and result.backup.read_bytes() == before
    old, new = _load(FIXTURES / name), _load(path)
    exp, got = check(old, FIXTURES / name), check(new, path)
    assert got == exp
    assert exp not in (None, [], {}, (0, 0)), "the check must see the feature"
    # every staff value is intact, for openpyxl and for the next pass (calamine)
    assert {k: v for k, v in _values(new).items() if k != "Tổng hợp"} == _values(old)
    old_cal, new_cal = _calamine_values(FIXTURES / name), _calamine_values(path)
    assert {k: v for k, v in new_cal.items() if k != "Tổng hợp"} == old_cal
    # the toolkit's own sheet is there, staff-derived text stays text
    assert new["Tổng hợp"]["A2"].value == "=cmd|' /C calc'!A0"
    assert new["Tổng hợp"]["A2"].data_type == "s"
    assert new_cal["Tổng hợp"][1] == ["=cmd|' /C calc'!A0", 3]


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixture_second_pass_without_changes_is_byte_identical(tmp_path, name):
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    first = write_back(path, expected_sha256=sha256_bytes(path.read_bytes()), apply=_add_summary_sheet)
    after_first = path.read_bytes()
    second = write_back(path, expected_sha256=sha256_bytes(after_first), apply=lambda wb: False)
    assert second.written is False
    assert second.reason_code == ("unchanged" if first.written else "unsupported")
    assert path.read_bytes() == after_first


def test_written_workbook_loads_in_openpyxl_again_and_writes_again(tmp_path):
    # A workbook written once is itself supported: a later pass can write again.
    for name, (outcome, _check) in CASES.items():
        if outcome != "kept":
            continue
        path = tmp_path / name
        shutil.copyfile(FIXTURES / name, path)
        write_back(path, expected_sha256=sha256_bytes(path.read_bytes()), apply=_add_summary_sheet)
        data = path.read_bytes()
        assert unsupported_parts(data) == [], name

        def touch(wb):
            wb["Tổng hợp"]["B2"] = 4
            return True

        result = write_back(path, expected_sha256=sha256_bytes(data), apply=touch)
        assert result.written, (name, result.reason)
        assert openpyxl.load_workbook(io.BytesIO(path.read_bytes()))["Tổng hợp"]["B2"].value == 4
