"""A reply-conflict in Lỗi nhập liệu links to both cells (issue 14, point 2): the register's cell, and
the department file's cell, as a link to another file written as Excel writes one (a relative path in
the sheet's own relationships part, TargetMode External, the cell in the hyperlink's location)."""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
import urllib.parse
import zipfile
from pathlib import Path, PureWindowsPath

import openpyxl
import pytest
from lxml import etree

from conftest import OPC_XSD
from packagecheck import owned_changes_only, validate
from test_reading import write_workbook
from test_replies import answers, register_rows, run, type_answer
from test_sheets import book, load, with_part  # noqa: F401 - book: the fixture
from toolkit.core import schema
from toolkit.outputs import department_files
from toolkit.pipeline.applier import Generated
from toolkit.xlsx import patch as xlsxpatch
from toolkit.xlsx.sheetpatch import external_target

REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OPC = OPC_XSD
ANSWER = "Đã đo đạc lại ranh giới ngày 02/07/2024, hai hộ thống nhất mốc giới mới."
PRINTER = ('<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'printerSettings" Target="../printerSettings/printerSettings1.bin"/>')


def rels_name(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def sheet_rels(data: bytes, title: str = schema.LOI_NHAP.name) -> list[dict]:
    """The relationships of a sheet's own .rels part, each checked against the OPC schema."""
    part = xlsxpatch.sheet_parts(data)[title]
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        if rels_name(part) not in zf.namelist():
            return []
        raw, types = zf.read(rels_name(part)), zf.read("[Content_Types].xml")
    for xml, xsd in ((raw, "opc-relationships.xsd"), (types, "opc-contentTypes.xsd")):
        schema_ = etree.XMLSchema(etree.parse(str(OPC / xsd)))
        assert schema_.validate(etree.fromstring(xml)), schema_.error_log
    assert b'Extension="rels"' in types
    return [dict(rel.attrib) for rel in etree.fromstring(raw).iter(f"{REL_NS}Relationship")]


def hyperlinks(data: bytes, title: str = schema.LOI_NHAP.name) -> dict[str, tuple]:
    ws = load(data)[title]
    return {c.coordinate: (c.hyperlink.target, c.hyperlink.location) for row in ws.iter_rows() for c in row
            if c.hyperlink}


@pytest.mark.parametrize("path, exp", [
    ("phan-hoi/doi-thoai-2024/DC.xlsx", r"phan-hoi\doi-thoai-2024\DC.xlsx"),
    ("phan-hoi/Sổ đối thoại 2025/ĐC.xlsx", r"phan-hoi\Sổ%20đối%20thoại%202025\ĐC.xlsx"),     # letters stay
    ("phan-hoi/so #2 [100%]/DC.xlsx", r"phan-hoi\so%20%232%20%5b100%25%5d\DC.xlsx"),
])
def test_a_path_beside_the_workbook_becomes_the_target_excel_writes(path, exp):
    got = external_target(path)
    assert got == exp
    # and the path comes back from it (what a program opening the link does)
    assert PureWindowsPath(urllib.parse.unquote(got)).as_posix() == path


def grid(*rows):
    return [["Tiêu đề"], ["STT", "Ô", "Tệp trả lời"]] + [list(r) for r in rows]


def errors(links: dict, rows=((1, "Kiến nghị!N3", "DC.xlsx: Trả lời!K4"), (2, "Kiến nghị!N4", "VP.xlsx: Trả lời!K5"))):
    return Generated(schema.LOI_NHAP, grid(*rows), {(3, 2): "'Kiến nghị'!N3"}, (6, 16, 22), {2}, {1},
                     external=links)


def test_generated_sheet_links_to_cells_in_other_files_and_replaces_its_own_links(book, tmp_path):  # noqa: F811
    one = {(3, 3): ("phan-hoi/Sổ 2024/DC.xlsx", "'Trả lời'!K4")}
    data = xlsxpatch.patch(book, generated=[errors(one).patch()])
    (tmp_path / "a.xlsx").write_bytes(data)
    validate(tmp_path / "a.xlsx")
    rels = sheet_rels(data)
    assert rels == [{"Id": "rId1", "Type": xlsxpatch._HYPERLINK_TYPE, "Target": r"phan-hoi\Sổ%202024\DC.xlsx",
                     "TargetMode": "External"}]
    assert hyperlinks(data) == {"B3": (None, "'Kiến nghị'!N3"), "C3": (rels[0]["Target"], "'Trả lời'!K4")}
    assert xlsxpatch.patch(data, generated=[errors(one).patch()]) is None       # the same: nothing written

    two = {(3, 3): ("phan-hoi/Sổ 2024/DC.xlsx", "'Trả lời'!K4"), (4, 3): ("phan-hoi/Sổ 2024/VP.xlsx", "'Trả lời'!K5")}
    before, data = data, xlsxpatch.patch(data, generated=[errors(two).patch()])
    owned_changes_only(before, data, patched={}, generated={schema.LOI_NHAP.name})   # the sheet and its .rels only
    assert [r["Target"] for r in sheet_rels(data)] == [r"phan-hoi\Sổ%202024\DC.xlsx", r"phan-hoi\Sổ%202024\VP.xlsx"]
    assert hyperlinks(data)["C4"] == (r"phan-hoi\Sổ%202024\VP.xlsx", "'Trả lời'!K5")
    again = xlsxpatch.patch(data, generated=[errors(one).patch()])            # replaced, never added to
    assert [r["Target"] for r in sheet_rels(again)] == [r"phan-hoi\Sổ%202024\DC.xlsx"]
    none = xlsxpatch.patch(again, generated=[errors({}).patch()])
    assert sheet_rels(none) == [] and set(hyperlinks(none)) == {"B3"}
    (tmp_path / "b.xlsx").write_bytes(none)
    validate(tmp_path / "b.xlsx")


def test_other_relationships_of_the_sheet_are_kept_and_staff_objects_still_refuse(book):  # noqa: F811
    one = {(3, 3): ("phan-hoi/so/DC.xlsx", "'Trả lời'!K4")}
    data = xlsxpatch.patch(book, generated=[errors(one).patch()])
    rels = rels_name(xlsxpatch.sheet_parts(data)[schema.LOI_NHAP.name])
    # printer settings, as Excel adds them, next to the toolkit's link
    printed = with_part(data, rels, lambda x: x.replace(b"</Relationships>", PRINTER.encode() + b"</Relationships>")
                        .replace(b'Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                                 b'hyperlink"', b'Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/'
                                 b'2006/relationships/hyperlink"'))
    out = xlsxpatch.patch(printed, generated=[errors(one, ((9, "x", "y"),)).patch()])
    got = [(r["Id"], r["Type"].rsplit("/", 1)[-1]) for r in sheet_rels(out)]
    assert got == [("rId1", "printerSettings"), ("rId2", "hyperlink")]
    assert hyperlinks(out)["C3"][0] == r"phan-hoi\so\DC.xlsx"
    # a drawing of staff on the sheet the toolkit rewrites still stops the write
    drawn = with_part(data, rels, lambda x: x.replace(b"</Relationships>", PRINTER.replace(
        "printerSettings\" Target=\"../printerSettings/printerSettings1.bin", "drawing\" Target=\"../drawings/d.xml")
        .replace("rId1", "rId5").encode() + b"</Relationships>"))
    with pytest.raises(xlsxpatch.PatchRefused, match="hình vẽ"):
        xlsxpatch.patch(drawn, generated=[errors(one, ((9, "x", "y"),)).patch()])


@pytest.fixture
def conflict(tmp_path) -> Path:
    """A register in a folder with Vietnamese letters and spaces; DC's answer differs from the clerk's."""
    path = tmp_path / "Văn phòng UBND" / "Sổ đối thoại 2024.xlsx"
    path.parent.mkdir()
    write_workbook(path, register_rows())
    run(path)
    type_answer(department_files.file_for(path, "DC"), "KN-2024-06-002", **answers(ket_qua=ANSWER))
    return path


def conflict_row(path: Path) -> tuple[int, dict]:
    ws = openpyxl.load_workbook(path)[schema.LOI_NHAP.name]
    head = [c.value for c in ws[2]]
    for row in ws.iter_rows(min_row=3):
        values = dict(zip(head, (c.value for c in row)))
        if values["Mã lỗi"] == "reply-conflict":
            return row[0].row, {h: c for h, c in zip(head, row)}
    raise AssertionError("no reply-conflict row")


def test_reply_conflict_links_to_the_department_file_cell(conflict):
    result = run(conflict)
    assert result.written and [f.code for f in result.report].count("reply-conflict") == 1
    validate(conflict)
    _row, cells = conflict_row(conflict)
    assert cells["Ô"].hyperlink.location == "'Kiến nghị'!N3"                        # the register's cell
    link = cells["Tệp trả lời"]
    assert link.value == f"DC.xlsx: {department_files.SHEET}!K4" and link.font.underline == "single"
    target = link.hyperlink.target
    assert target == r"phan-hoi\Sổ%20đối%20thoại%202024\DC.xlsx"                   # relative: the folder can move
    dc = conflict.parent / PureWindowsPath(urllib.parse.unquote(target)).as_posix()
    assert dc == department_files.file_for(conflict, "DC") and dc.exists()
    assert link.hyperlink.location == f"'{department_files.SHEET}'!K4"
    assert openpyxl.load_workbook(dc)[department_files.SHEET]["K4"].value == ANSWER          # the department's answer

    digest = hashlib.sha256(conflict.read_bytes()).hexdigest()
    again = run(conflict)                                                           # a pass twice in a row
    assert not again.written and again.write_reason_code == "unchanged"
    assert hashlib.sha256(conflict.read_bytes()).hexdigest() == digest
    data = conflict.read_bytes()
    assert len(sheet_rels(data)) == 1


def test_a_resolved_conflict_leaves_no_link_behind(conflict):
    run(conflict)
    type_answer(department_files.file_for(conflict, "DC"), "KN-2024-06-002",
                **answers(ket_qua="Văn phòng đã hòa giải xong."))                  # now agrees with the register
    result = run(conflict)
    assert "reply-conflict" not in [f.code for f in result.report]
    validate(conflict)
    data = conflict.read_bytes()
    assert sheet_rels(data) == []
    assert all(target is None for target, _loc in hyperlinks(data).values())
    assert run(conflict).written is False


def test_the_link_is_written_as_xlsxwriter_writes_it_after_excel(book, tmp_path):  # noqa: F811
    """XlsxWriter's hyperlink tests compare its files with files Excel saved: the same relationship
    and the same hyperlink element as it writes for a relative file link with a cell."""
    import xlsxwriter

    path, location = "phan-hoi/Sổ đối thoại 2024/DC.xlsx", "'Trả lời'!K4"
    ref = tmp_path / "xlsxwriter.xlsx"
    wb = xlsxwriter.Workbook(str(ref))
    wb.add_worksheet().write_url("C3", "external:" + path.replace("/", "\\") + "#" + location, string="x")
    wb.close()
    ours = xlsxpatch.patch(book, generated=[errors({(3, 3): (path, location)}).patch()])
    exp, got = sheet_rels(ref.read_bytes(), "Sheet1"), sheet_rels(ours)
    assert [{k: r[k] for k in ("Type", "Target", "TargetMode")} for r in got] == \
        [{k: r[k] for k in ("Type", "Target", "TargetMode")} for r in exp]
    tag = re.compile(rb'<hyperlink ref="C3" r:id="rId1" location="[^"]*"/>')
    with zipfile.ZipFile(ref) as a, zipfile.ZipFile(io.BytesIO(ours)) as b:
        theirs = tag.search(a.read("xl/worksheets/sheet1.xml")).group(0)
        mine = tag.search(b.read(xlsxpatch.sheet_parts(ours)[schema.LOI_NHAP.name])).group(0)
    assert mine == theirs
