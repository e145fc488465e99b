"""The package patcher on hand-made packages: exactly which bytes change, table-driven."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest

from packagecheck import validate
from toolkit.xlsx import patch as xlsxpatch, sheetpatch
from toolkit.xlsx.patch import GeneratedSheet, PatchRefused, StaffEdit, Write
from toolkit.xlsx.styles import Look

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1"/></xf>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)


def package(sheet_data: str, *, head: str = "", tail: str = "", prefix: str = "", workbook_pr: str = "",
            extra_parts: dict[str, str] | None = None, sheet_rels: str | None = None,
            titles=("Kiến nghị",)) -> bytes:
    p = prefix + ":" if prefix else ""
    ns = f'xmlns:{prefix}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    sheets = "".join(f'<sheet name="{t}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(titles, start=1))
    wb_rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                      for i in range(1, len(titles) + 1))
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxml'
            'formats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxml'
                      f'formats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(titles) + 1))
            + "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f'{workbook_pr}<sheets>{sheets}</sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{wb_rels}<Relationship Id="rId99" '
            f'Type="{REL}/styles" Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": STYLES,
    }
    for i in range(1, len(titles) + 1):
        body = sheet_data if i == 1 else ""
        parts[f"xl/worksheets/sheet{i}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns} xmlns:r="{REL}">'
            f'{head}<{p}sheetData>{body}</{p}sheetData>{tail}</{p}worksheet>')
    if sheet_rels is not None:
        parts["xl/worksheets/_rels/sheet1.xml.rels"] = sheet_rels
    parts.update(extra_parts or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return out.getvalue()


def part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name).decode("utf-8")


def sheet_data(data: bytes) -> str:
    xml = part(data, "xl/worksheets/sheet1.xml")
    m = re.search(r"<(?:\w+:)?sheetData>(.*)</(?:\w+:)?sheetData>", xml, re.S)
    return m.group(1)


def edit(cells: dict[tuple[int, int], object], title="Kiến nghị") -> list[StaffEdit]:
    return [StaffEdit(title, {rc: v if isinstance(v, Write) else Write(v) for rc, v in cells.items()})]


X = '<c r="{r}" t="inlineStr"><is><t>{t}</t></is></c>'

CASES = [
    # name, sheetData, writes, expected sheetData
    ("before the first cell", '<row r="1"><c r="B1"><v>1</v></c></row>', {(1, 1): "x"},
     '<row r="1">' + X.format(r="A1", t="x") + '<c r="B1"><v>1</v></c></row>'),
    ("between cells", '<row r="1"><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row>', {(1, 2): "x"},
     '<row r="1"><c r="A1"><v>1</v></c>' + X.format(r="B1", t="x") + '<c r="C1"><v>3</v></c></row>'),
    ("after the last cell", '<row r="1" spans="1:1" ht="30" customHeight="1"><c r="A1"><v>1</v></c></row>',
     {(1, 30): "x"},
     '<row r="1" spans="1:1" ht="30" customHeight="1"><c r="A1"><v>1</v></c>' + X.format(r="AD1", t="x")
     + "</row>"),
    ("replace keeps the cell's style", '<row r="2"><c r="A2" s="2" t="s"><v>0</v></c></row>', {(2, 1): "✓"},
     '<row r="2"><c r="A2" s="2" t="inlineStr"><is><t>✓</t></is></c></row>'),
    ("clear keeps the style", '<row r="2"><c r="A2" s="2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row>',
     {(2, 1): None}, '<row r="2"><c r="A2" s="2"/><c r="B2"><v>1</v></c></row>'),
    ("clear of an absent cell writes nothing", '<row r="2"><c r="B2"><v>1</v></c></row>', {(2, 1): None},
     '<row r="2"><c r="B2"><v>1</v></c></row>'),
    ("a formula is never touched", '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>', {(2, 1): "x"},
     '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row>'),
    ("new row between rows", '<row r="1"><c r="A1"><v>1</v></c></row><row r="5"><c r="A5"><v>5</v></c></row>',
     {(3, 2): 7},
     '<row r="1"><c r="A1"><v>1</v></c></row><row r="3"><c r="B3"><v>7</v></c></row>'
     '<row r="5"><c r="A5"><v>5</v></c></row>'),
    ("new rows before and after", '<row r="4"><c r="A4"><v>4</v></c></row>', {(1, 1): 1, (9, 1): 9},
     '<row r="1"><c r="A1"><v>1</v></c></row><row r="4"><c r="A4"><v>4</v></c></row>'
     '<row r="9"><c r="A9"><v>9</v></c></row>'),
    ("an empty row gets its cell", '<row r="3" ht="40" customHeight="1"/>', {(3, 2): "x"},
     '<row r="3" ht="40" customHeight="1">' + X.format(r="B3", t="x") + "</row>"),
    ("a number replaces text", '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', {(2, 1): 2.5},
     '<row r="2"><c r="A2"><v>2.5</v></c></row>'),
    ("text is escaped and kept literal",
     '<row r="1"/>', {(1, 1): "<a> & _x0041_ \u0007"},
     '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">&lt;a&gt; &amp; _x005F_x0041_ </t></is></c>'
     "</row>"),
    ("line breaks and edge spaces are preserved", '<row r="1"/>', {(1, 1): " a\nb"},
     '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> a\nb</t></is></c></row>'),
    ("a date keeps a date style", '<row r="2"><c r="A2" s="1"><v>1</v></c></row>', {(2, 1): dt.date(2024, 6, 21)},
     '<row r="2"><c r="A2" s="1"><v>45464</v></c></row>'),
    ("a boolean", '<row r="1"/>', {(1, 1): True}, '<row r="1"><c r="A1" t="b"><v>1</v></c></row>'),
]


@pytest.mark.parametrize("name, before, writes, exp", CASES, ids=[c[0] for c in CASES])
def test_cells_written_and_everything_else_kept(tmp_path, name, before, writes, exp):
    data = package(before)
    new = xlsxpatch.patch(data, staff=edit(writes))
    got = sheet_data(new) if new is not None else before
    assert got == exp
    if new is not None:
        (tmp_path / "out.xlsx").write_bytes(new)
        validate(tmp_path / "out.xlsx")


def _long_sheet(unnumbered: set[int] = frozenset(), gap_after: int | None = None) -> str:
    """3,000 rows (about 200 KB: long enough for the patch to bisect to its rows), some without a
    row number, one gap of missing rows."""
    rows = []
    for r in range(1, 3001):
        n = r + 100 if gap_after is not None and r > gap_after else r
        attr = "" if r in unnumbered else f' r="{n}" spans="1:3"'
        cells = f'<c r="A{n}" t="inlineStr"><is><t>dòng {n}</t></is></c><c r="C{n}"><v>{n}</v></c>'
        rows.append(f"<row{attr}>{cells}</row>")
    return "".join(rows)


@pytest.mark.parametrize("name, body, writes", [
    ("first row", _long_sheet(), {(1, 2): "x"}),
    ("last row", _long_sheet(), {(3000, 2): "x"}),
    ("a new row at the end", _long_sheet(), {(3001, 2): "x", (3001, 1): "KN-1"}),
    ("rows here and there", _long_sheet(), {(2, 2): "a", (1500, 2): "b", (2999, 2): "c", (5000, 1): "d"}),
    ("into a gap", _long_sheet(gap_after=2000), {(2050, 2): "x"}),
    ("after rows without a number", _long_sheet(unnumbered={1000, 1001, 2500}), {(2501, 2): "x"}),
    ("a row without a number", _long_sheet(unnumbered={2500}), {(2500, 2): "x", (2600, 2): "y"}),
])
def test_a_long_sheet_is_patched_as_a_row_by_row_scan_would(monkeypatch, name, body, writes):
    # exp: every row tag read from the top (no bisection); got: the patch as it runs
    data = package(body)
    got = xlsxpatch.patch(data, staff=edit(writes))
    monkeypatch.setattr(sheetpatch, "_BISECT_ENOUGH", 1 << 40)
    exp = xlsxpatch.patch(data, staff=edit(writes))
    assert sheet_data(got) == sheet_data(exp)
    assert sheet_data(got) != body


def test_nothing_to_change_gives_none():
    data = package('<row r="2"><c r="A2" s="2" t="inlineStr"><is><t>✓</t></is></c></row>')
    assert xlsxpatch.patch(data, staff=edit({(2, 1): "✓"})) is None
    assert xlsxpatch.patch(data, staff=[]) is None


def test_a_prefixed_sheet_is_written_in_its_own_prefix(tmp_path):
    data = package('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>', prefix="x")
    new = xlsxpatch.patch(data, staff=edit({(1, 2): "y", (2, 1): 3}))
    assert sheet_data(new) == ('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1" t="inlineStr"><x:is>'
                               '<x:t>y</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>3</x:v></x:c></x:row>')
    (tmp_path / "p.xlsx").write_bytes(new)
    validate(tmp_path / "p.xlsx")


def test_a_new_cell_takes_its_column_style_and_a_date_gets_a_date_format():
    data = package('<row r="2"><c r="A2"><v>1</v></c></row>', head='<cols><col min="3" max="3" width="12" '
                   'style="3" customWidth="1"/></cols>')
    new = xlsxpatch.patch(data, staff=edit({(2, 3): "x", (2, 2): dt.date(2024, 1, 2)}))
    cells = dict(re.findall(r'<c r="([A-Z]+2)"([^>]*)>', sheet_data(new)))
    assert 's="3"' in cells["C2"]                             # the column's style, as Excel gives a typed cell
    date_style = int(re.search(r's="(\d+)"', cells["B2"]).group(1))
    styles = part(new, "xl/styles.xml")
    for kept in ("fonts", "fills", "borders", "cellStyleXfs", "cellStyles"):     # existing entries untouched
        assert re.search(f"<{kept} .*?</{kept}>", STYLES).group(0) in styles
    assert '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>' in styles
    xfs = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", styles[styles.index("<cellXfs"):], re.S)
    assert xfs[:4] == re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", STYLES[STYLES.index("<cellXfs"):], re.S)
    assert date_style == 4 and 'numFmtId="164"' in xfs[4]
    assert re.search(r'<cellXfs count="5">', styles)
    # a second pass finds the appended entries instead of appending again
    again = xlsxpatch.patch(new, staff=edit({(3, 2): dt.date(2024, 1, 3)}))
    assert part(again, "xl/styles.xml") == styles


def test_text_that_looks_like_a_formula_gets_the_quote_prefix_and_loses_it_again():
    data = package('<row r="2"><c r="A2" s="2"><v>1</v></c></row>')
    new = xlsxpatch.patch(data, staff=edit({(2, 1): "=1+1"}))
    style = int(re.search(r'<c r="A2" s="(\d+)"', sheet_data(new)).group(1))
    xf = re.findall(r"<xf [^>]*?(?:/>|>.*?</xf>)", part(new, "xl/styles.xml").split("<cellXfs")[1], re.S)[style]
    assert 'quotePrefix="1"' in xf and "wrapText" in xf              # the cell's own look, plus the prefix
    plain = xlsxpatch.patch(new, staff=edit({(2, 1): "1+1"}))
    assert '<c r="A2" s="2"' in sheet_data(plain)


def test_dimension_grows_to_cover_written_cells():
    data = package('<row r="1"><c r="A1"><v>1</v></c></row>', head='<dimension ref="A1"/>')
    new = xlsxpatch.patch(data, staff=edit({(5, 3): "x"}))
    assert '<dimension ref="A1:C5"/>' in part(new, "xl/worksheets/sheet1.xml")


def test_dates_follow_the_1904_date_system():
    data = package('<row r="1"/>', workbook_pr='<workbookPr date1904="1"/>')
    new = xlsxpatch.patch(data, staff=edit({(1, 1): dt.date(2024, 6, 21)}))
    assert "<v>44002</v>" in sheet_data(new)


@pytest.mark.parametrize("tail, words", [
    ('<mergeCells count="1"><mergeCell ref="A1:B3"/></mergeCells>', "ô gộp"),
])
def test_a_toolkit_cell_in_a_merged_range_is_refused(tail, words):
    data = package('<row r="1"><c r="A1"><v>1</v></c></row>', tail=tail)
    with pytest.raises(PatchRefused) as refused:
        xlsxpatch.patch(data, staff=edit({(2, 2): "x"}))
    assert words in refused.value.message and "B2" in refused.value.message
    assert xlsxpatch.patch(data, staff=edit({(2, 3): "x"})) is not None      # beside it is fine


def test_a_toolkit_cell_in_an_array_formula_is_refused():
    data = package('<row r="1"><c r="A1"><f t="array" ref="A1:A3">ROW(A1:A3)</f><v>1</v></c></row>')
    with pytest.raises(PatchRefused) as refused:
        xlsxpatch.patch(data, staff=edit({(3, 1): "x"}))
    assert "công thức mảng" in refused.value.message


def test_strict_ooxml_is_refused():
    data = package('<row r="1"/>')
    strict = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(strict, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/workbook.xml":
                body = body.replace(MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            dst.writestr(info, body)
    with pytest.raises(PatchRefused) as refused:
        xlsxpatch.patch(strict.getvalue(), staff=edit({(1, 1): "x"}))
    assert "Strict" in refused.value.message


def test_generated_sheet_is_added_and_rewritten_whole(tmp_path):
    data = package('<row r="1"/>')
    gen = GeneratedSheet("Tổng hợp", [["Lĩnh vực", "Số"], ["Đất đai", 3]], looks={1: Look(wrap=True)},
                         tab_color="6A1B9A", freeze_row=2)
    new = xlsxpatch.patch(data, generated=[gen])
    wb = part(new, "xl/workbook.xml")
    assert '<sheet name="Tổng hợp" sheetId="2"' in wb
    assert 'Target="worksheets/sheet2.xml"' in part(new, "xl/_rels/workbook.xml.rels")
    assert "/xl/worksheets/sheet2.xml" in part(new, "[Content_Types].xml")
    (tmp_path / "g.xlsx").write_bytes(new)
    validate(tmp_path / "g.xlsx")
    assert xlsxpatch.patch(new, generated=[gen]) is None
    shorter = GeneratedSheet("Tổng hợp", [["Lĩnh vực", "Số"]])
    third = xlsxpatch.patch(new, generated=[shorter])
    assert "Đất đai" not in part(third, "xl/worksheets/sheet2.xml")
    assert part(third, "xl/workbook.xml") == wb


def test_a_staff_chart_on_a_generated_sheet_is_refused():
    rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/drawing" '
            'Target="../drawings/drawing1.xml"/></Relationships>')
    data = package("", sheet_rels=rels, titles=("Tổng hợp", "Kiến nghị"))
    with pytest.raises(PatchRefused) as refused:
        xlsxpatch.patch(data, generated=[GeneratedSheet("Tổng hợp", [["x"]])])
    assert "Tổng hợp" in refused.value.message and "sang trang khác" in refused.value.message


def _with_calc_chain(cells: str) -> bytes:
    chain = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             f'<calcChain xmlns="{MAIN}">{cells}</calcChain>')
    data = package('<row r="1"><c r="A1"><f>1</f><v>1</v></c><c r="B1"><f>2</f><v>2</v></c></row>',
                   titles=("Tổng hợp", "Kiến nghị"), extra_parts={"xl/calcChain.xml": chain})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", f'<Relationship Id="rId50" Type="{REL}/calcChain" Target="calcChain.xml"/>'
                             f"</Relationships>".encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-'
                     b'officedocument.spreadsheetml.calcChain+xml"/></Types>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    return out.getvalue()


def test_calc_chain_forgets_the_cells_of_a_rewritten_generated_sheet():
    data = _with_calc_chain('<c r="A1" i="1"/><c r="B1"/><c r="A2" i="2"/>')
    new = xlsxpatch.patch(data, generated=[GeneratedSheet("Tổng hợp", [["x"]])])
    assert part(new, "xl/calcChain.xml").endswith('<c r="A2" i="2"/></calcChain>')
    assert b"calcChain" in part(new, "[Content_Types].xml").encode()


def test_a_calc_chain_left_empty_is_removed_with_its_relationship_and_content_type(tmp_path):
    # every entry points at the generated sheet: an empty <calcChain/> is invalid (Excel repairs the file)
    data = _with_calc_chain('<c r="A1" i="1"/><c r="B1"/>')
    new = xlsxpatch.patch(data, generated=[GeneratedSheet("Tổng hợp", [["x"]])])
    with zipfile.ZipFile(io.BytesIO(new)) as zf:
        names = zf.namelist()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
        types = zf.read("[Content_Types].xml").decode()
    assert "xl/calcChain.xml" not in names
    assert "calcChain" not in rels and "calcChain" not in types
    assert zipfile.ZipFile(io.BytesIO(new)).testzip() is None
    (tmp_path / "so.xlsx").write_bytes(new)
    validate(tmp_path / "so.xlsx")             # the checker that fails an empty calcChain


@pytest.mark.parametrize("value, exp", [
    ("Đất đai", "<t>Đất đai</t>"),
    ("a", "<t>a</t>"),
    (" lề trái", '<t xml:space="preserve"> lề trái</t>'),
    ("lề phải\u00a0", '<t xml:space="preserve">lề phải\u00a0</t>'),
    ("hai\ndòng", '<t xml:space="preserve">hai\ndòng</t>'),
    ("A & B <c>", "<t>A &amp; B &lt;c&gt;</t>"),
    ("_x0041_", "<t>_x005F_x0041_</t>"),
    ("chữ\x01lạ", "<t>chữlạ</t>"),
    ("x" * 40_000, "<t>" + "x" * 32_767 + "</t>"),
])
def test_text_of_a_generated_sheet_is_written_as_excel_reads_it(value, exp):
    data = package('<row r="1"/>')
    new = xlsxpatch.patch(data, generated=[GeneratedSheet("Tổng hợp", [["Nội dung"], [value]])])
    xml = part(new, "xl/worksheets/sheet2.xml")
    got = re.search(r'<c r="A2"[^>]*t="inlineStr"><is>(.*?)</is></c>', xml, re.S).group(1)
    assert got == exp
