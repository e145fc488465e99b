"""`doithoai init`: the workbook created from the schema."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import uuid
from pathlib import Path

import openpyxl
import pytest

from conftest import need_program
from toolkit.core import a1, defaults, schema
from toolkit.starter import create
from toolkit.core.errors import UsageError, WorkbookExists


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    """Every cell value of every sheet, for content comparisons."""
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def validations_by_column(ws) -> dict[str, list]:
    """Column letter -> the data validations whose ranges start in that column."""
    out: dict[str, list] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out.setdefault(a1.col_letter(rng.min_col), []).append((dv, rng))
    return out


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("init") / "so-moi.xlsx"
    create.create_workbook(path, today=dt.date(2025, 1, 6))
    return path


@pytest.fixture(scope="module")
def wb(blank):
    return openpyxl.load_workbook(blank)


def test_sheets_in_order(wb):
    exp = [s.name for s in (schema.HUONG_DAN,) + schema.DATA_SHEETS]
    assert wb.sheetnames == exp
    # Literal cross-check of what staff see.
    assert wb.sheetnames[:3] == ["Hướng dẫn", "Cấu hình", "Danh mục"]
    assert wb.sheetnames[-2:] == ["Kiến nghị", "Công việc"]


@pytest.mark.parametrize("sheet", schema.DATA_SHEETS, ids=lambda s: s.key)
def test_header_row_frozen_and_sized(wb, sheet):
    ws = wb[sheet.name]
    got = [c.value for c in ws[create.HEADER_ROW]]
    assert got == [c.header for c in sheet.columns]
    assert ws.freeze_panes == "A2"
    for i, col in enumerate(sheet.columns, start=1):
        cell = ws.cell(create.HEADER_ROW, i)
        assert cell.font.bold and cell.alignment.wrap_text and cell.border.bottom.style == "thin"
        assert ws.column_dimensions[a1.col_letter(i)].width == col.width
    assert ws.sheet_properties.tabColor.rgb.endswith(sheet.tab_color)


def test_toolkit_columns_have_grey_header(wb):
    exp = {c.header for s in schema.DATA_SHEETS for c in s.toolkit_columns}
    got = set()
    for sh in schema.DATA_SHEETS:
        ws = wb[sh.name]
        for cell in ws[create.HEADER_ROW]:
            if cell.fill.fgColor.rgb.endswith(create.FILL_TOOLKIT):
                got.add(cell.value)
    assert got == exp and {"Kiểm tra", "Căn cứ phân công"} <= got


def test_date_columns_formatted(wb):
    dated = [(s, i, c) for s in schema.DATA_SHEETS for i, c in enumerate(s.columns, 1) if c.type == schema.DATE]
    assert len(dated) >= 5
    for sh, i, col in dated:
        assert wb[sh.name].column_dimensions[a1.col_letter(i)].number_format == "dd/mm/yyyy", (sh.name, col.header)


def test_header_comments_from_notes(wb):
    ws = wb[schema.KIEN_NGHI.name]
    i = [c.key for c in schema.KIEN_NGHI.columns].index("ma") + 1
    assert "KN-2024-06-001" in ws.cell(1, i).comment.text


def test_autofilter_on_data_sheets(wb):
    for sh in create.FILTER_SHEETS:
        ref = wb[sh.name].auto_filter.ref
        assert ref and ref.startswith("A1:" + a1.col_letter(len(sh.columns))), sh.name


@pytest.mark.parametrize("sheet", [s for s in schema.DATA_SHEETS if any(c.source for c in s.columns)],
                         ids=lambda s: s.key)
def test_dropdowns_on_sourced_columns(wb, sheet):
    ws = wb[sheet.name]
    by_col = validations_by_column(ws)
    for i, col in enumerate(sheet.columns, start=1):
        if not col.source:
            continue
        found = by_col.get(a1.col_letter(i), [])
        assert len(found) == 1, col.header
        dv, rng = found[0]
        assert dv.type == "list" and dv.formula1 == "=" + create.source_range(col.source)
        assert (rng.min_row, rng.max_row) == (create.FIRST_DATA_ROW, create.DATA_LAST_ROW)


def test_dropdown_ranges_point_at_the_right_cells():
    # exp/got in the terms staff see in Excel.
    table = [
        ("danh_muc.linh_vuc", "'Danh mục'!$B$2:$B$200"),
        ("danh_muc.gioi_tinh", "'Danh mục'!$E$2:$E$200"),
        ("hoi_nghi", "'Hội nghị'!$A$2:$A$500"),
        ("to_dan_pho", "'Tổ dân phố'!$B$2:$B$500"),
        ("bo_phan", "'Bộ phận'!$B$2:$B$500"),
    ]
    for source, exp in table:
        assert create.source_range(source) == exp, source


def test_yes_no_columns_offer_x(wb):
    ws = wb[schema.DAI_BIEU.name]
    by_col = validations_by_column(ws)
    for key in ("duoc_moi", "co_mat"):
        letter = a1.col_letter([c.key for c in schema.DAI_BIEU.columns].index(key) + 1)
        (dv, _rng), = by_col[letter]
        assert dv.formula1 == '"x"'


def test_config_defaults(wb):
    ws = wb[schema.CAU_HINH.name]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    # every default from schema.CONFIG_ITEMS; the office for unclear petitions named as the structure calls it
    office = defaults.structure_for(dt.date(2025, 1, 6)).default_department_name     # the fixture's day
    exp = [(i.label, office if i.key == "bo_phan_chua_ro" else i.default if i.default != "" else None, i.note)
           for i in schema.CONFIG_ITEMS]
    assert rows == exp
    assert ("Số đại biểu tối thiểu mỗi tổ", 5) in [r[:2] for r in rows]


def test_lists_departments_and_rules(wb):
    ws = wb[schema.DANH_MUC.name]
    for ci, (header, values) in enumerate(schema.LISTS.values(), start=1):
        got = [ws.cell(r, ci).value for r in range(2, 2 + len(values))]
        assert ws.cell(1, ci).value == header and got == list(values)
        assert ws.cell(2 + len(values), ci).value is None

    got = [r for r in wb[schema.BO_PHAN.name].iter_rows(min_row=2, max_col=2, values_only=True)]
    assert got == list(defaults.DEPARTMENTS)

    names = dict(defaults.DEPARTMENTS)
    rules = list(wb[schema.PHAN_CONG.name].iter_rows(min_row=2, values_only=True))
    assert len(rules) == len(defaults.RULES)
    cols = [c.key for c in schema.PHAN_CONG.columns]
    for rule, row in zip(sorted(defaults.RULES, key=lambda r: r.priority), rules):
        got = dict(zip(cols, row))
        assert got["uu_tien"] == rule.priority
        assert got["chu_tri"] == names[rule.lead]
        assert (got["phoi_hop"] or "") == "; ".join(names[c] for c in rule.coordinators)
        assert (got["tu_khoa"] or "") == "; ".join(rule.keywords)


def test_guide_explains_the_workbook(wb):
    ws = wb[schema.HUONG_DAN.name]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    for must in [s.name for s in schema.DATA_SHEETS + schema.GENERATED_SHEETS] + [
            "Kiểm tra", "Căn cứ phân công", "dd/mm/yyyy", "doithoai watch", "ket-qua/", "thả xuống", "06/01/2025"]:
        assert must in text, must


def test_refuses_to_overwrite(tmp_path):
    path = tmp_path / "so.xlsx"
    path.write_bytes(b"du lieu cua can bo")
    with pytest.raises(WorkbookExists) as err:
        create.create_workbook(path)
    assert "--force" in err.value.message and "tên tệp khác" in err.value.message
    assert path.read_bytes() == b"du lieu cua can bo"
    create.create_workbook(path, overwrite=True)
    assert openpyxl.load_workbook(path).sheetnames[0] == schema.HUONG_DAN.name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["so.xlsx"]   # no temp file left


def test_rejects_a_name_without_xlsx(tmp_path):
    with pytest.raises(UsageError):
        create.create_workbook(tmp_path / "so.xls")
    assert list(tmp_path.iterdir()) == []


def test_creates_missing_folder(tmp_path):
    path = create.create_workbook(tmp_path / "nam-2025" / "so.xlsx")
    assert path.is_file()


def test_blank_workbook_checks_clean(blank):
    from toolkit.pipeline import passes

    result = passes.check(blank, today=dt.date(2025, 1, 6))
    assert result.report.errors == []


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_the_workbook(tmp_path):
    soffice = need_program("soffice")
    src = create.create_workbook(tmp_path / "so-mau.xlsx", sample=True)
    out = tmp_path / "out"
    profile = tmp_path / f"lo-profile-{uuid.uuid4().hex}"
    proc = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(src)],
        capture_output=True, text=True, timeout=240, env={**os.environ, "HOME": str(tmp_path)})
    converted = out / "so-mau.xlsx"
    assert proc.returncode == 0 and converted.is_file(), proc.stderr
    wb = openpyxl.load_workbook(converted)
    assert wb.sheetnames == [s.name for s in (schema.HUONG_DAN,) + schema.DATA_SHEETS]
    for sh in schema.DATA_SHEETS:
        assert [c.value for c in wb[sh.name][1]][:len(sh.columns)] == [c.header for c in sh.columns]
    ws = wb[schema.KIEN_NGHI.name]
    formulas = {dv.formula1.lstrip("=").replace("$", "") for dv in ws.data_validations.dataValidation}
    assert "'Danh mục'!B2:B200" in formulas
    ngay = [c.key for c in schema.KIEN_NGHI.columns].index("ngay_tiep_nhan") + 1
    assert ws.cell(2, ngay).value.date() == dt.date(2024, 6, 21)
    assert ws.cell(2, ngay).number_format.lower().startswith("dd/mm/yy")


def test_kiem_tra_header_a_pass_adds_looks_like_the_one_init_made(sample_copy):
    """Staff deleted Kiểm tra from Kiến nghị; the pass adds it back with init's look (toolkit.xlsx.looks)."""
    from toolkit.pipeline import passes
    from toolkit.starter import sample

    book = openpyxl.load_workbook(sample_copy)
    ws = book[schema.KIEN_NGHI.name]
    col = next(c.column for c in ws[create.HEADER_ROW] if c.value == schema.KIEN_NGHI.col("kiem_tra"))
    ws.delete_cols(col)
    book.save(sample_copy)
    passes.run(sample_copy, today=sample.SAMPLE_TODAY, render=False)

    def look(cell):
        return (cell.fill.fill_type, cell.fill.fgColor.rgb[-6:], cell.font.bold, cell.font.color.rgb[-6:],
                cell.alignment.horizontal, cell.alignment.vertical, bool(cell.alignment.wrap_text),
                cell.border.bottom.style, cell.border.bottom.color.rgb[-6:])

    book = openpyxl.load_workbook(sample_copy)
    made = {}
    for sheet in (schema.KIEN_NGHI, schema.DAI_BIEU):
        ws = book[sheet.name]
        made[sheet.name] = next(look(c) for c in ws[create.HEADER_ROW] if c.value == sheet.col("kiem_tra"))
    assert made[schema.KIEN_NGHI.name] == made[schema.DAI_BIEU.name]
    assert made[schema.DAI_BIEU.name][1] == create.FILL_TOOLKIT
