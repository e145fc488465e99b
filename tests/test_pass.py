"""One pass on the real sample workbook: what staff see in the workbook after `run`."""

from __future__ import annotations

import hashlib
import shutil

import openpyxl
import pytest

from toolkit.pipeline import passes

from toolkit.starter import sample

from toolkit.core import schema
from toolkit.pipeline.applier import OK_MARK

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def headers(ws, header_row=1) -> dict[str, int]:
    return {str(c.value): c.column for c in ws[header_row] if c.value is not None}


def staff_values(path) -> dict:
    """Every staff-owned cell of every data sheet (toolkit-owned columns left out)."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for sheet in schema.DATA_SHEETS:
        ws = wb[sheet.name]
        cols = headers(ws)
        for column in sheet.columns:
            if column.owner != schema.STAFF or column.header not in cols:
                continue
            c = cols[column.header]
            for r in range(2, ws.max_row + 1):
                out[(sheet.name, r, column.header)] = ws.cell(r, c).value
    return out


def petition_rows(ws):
    cols = headers(ws)
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, cols[KN.col("noi_dung")]).value:
            yield r, {h: ws.cell(r, c).value for h, c in cols.items()}


def test_check_finds_exactly_the_deliberate_mistakes(sample_copy):
    result = passes.check(sample_copy, today=TODAY)
    got = sorted((f.sheet, f.row, f.column, f.code) for f in result.report if f.code != "petition-overdue")
    exp = sorted((schema.sheet(s).name, row, schema.sheet(s).col(col), code)
                 for s, row, col, code in sample.DELIBERATE_MISTAKES)
    assert got == exp


def test_run_fills_toolkit_columns_and_never_touches_staff_values(sample_copy):
    before = staff_values(sample_copy)
    result = passes.run(sample_copy, today=TODAY, render=False)
    assert result.written, result.write_reason
    after = staff_values(sample_copy)
    filled = {KN.col(k) for k in ("ma", "chu_tri", "phoi_hop", "han", "trang_thai")}
    for key, value in before.items():
        if key[2] in filled and value in (None, ""):
            continue  # blank toolkit-fillable cell: the toolkit may fill it
        assert after[key] == value, key

    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    ids = []
    for r, row in petition_rows(ws):
        assert row[KN.col("ma")], f"row {r} has no Mã kiến nghị"
        ids.append(row[KN.col("ma")])
        assert row[KN.col("chu_tri")], f"row {r} has no Bộ phận chủ trì"
        assert row[KN.col("can_cu")], f"row {r} has no Căn cứ phân công"
        assert row[KN.col("trang_thai")]
        assert row[KN.col("kiem_tra")]
        cols = headers(ws)
        han = ws.cell(r, cols[KN.col("han")])
        assert han.value is None or han.number_format.lower().startswith("dd/mm/yy"), (r, han.number_format)
        assert ws.cell(r, cols[KN.col("kiem_tra")]).alignment.wrap_text, r
    assert len(ids) == len(set(ids)) == 80


def test_run_writes_check_column_and_generated_sheets(sample_copy):
    passes.run(sample_copy, today=TODAY, render=False)
    wb = openpyxl.load_workbook(sample_copy)
    for sheet in schema.GENERATED_SHEETS:
        assert sheet.name in wb.sheetnames
    assert wb[schema.DA_DIEN.name].sheet_state == "veryHidden"

    ws = wb[KN.name]
    cols = headers(ws)
    # the deliberate bad date row says what is wrong; a clean row shows ✓
    mistakes = {(s, r): code for s, r, _c, code in sample.DELIBERATE_MISTAKES}
    bad_row = next(r for (s, r), code in mistakes.items() if s == "kien_nghi" and code == "date-invalid")
    assert "ngày" in ws.cell(bad_row, cols[KN.col("kiem_tra")]).value.lower()
    clean_rows = [r for r, row in petition_rows(ws) if ("kien_nghi", r) not in mistakes
                  and row[KN.col("trang_thai")] in schema.STATUS_CLOSED]
    assert clean_rows and all(ws.cell(r, cols[KN.col("kiem_tra")]).value == OK_MARK for r in clean_rows)

    errors = wb[schema.LOI_NHAP.name]
    links = [c.hyperlink.location for row in errors.iter_rows() for c in row if c.hyperlink]
    assert f"'{KN.name}'!M{bad_row}" in links


def test_second_pass_leaves_workbook_byte_identical_and_rebuilds_nothing(sample_copy):
    first = passes.run(sample_copy, today=TODAY)
    assert first.written and first.rebuilt
    digest = sha(sample_copy)
    second = passes.run(sample_copy, today=TODAY)
    assert sha(sample_copy) == digest
    assert not second.written and second.write_reason_code == "unchanged"
    assert second.rebuilt == []
    assert set(second.outputs) == set(first.outputs)


def test_only_outputs_whose_inputs_changed_are_rebuilt(sample_copy):
    passes.run(sample_copy, today=TODAY)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = headers(ws)
    row = next(r for r, v in petition_rows(ws)
               if v[KN.col("hoi_nghi")] == "HN-2024-11" and v[KN.col("linh_vuc")] != "Giáo dục")
    ws.cell(row, cols[KN.col("linh_vuc")]).value = "Giáo dục"
    wb.save(sample_copy)
    result = passes.run(sample_copy, today=TODAY)
    names = {p.name for p in result.rebuilt}
    assert {"index.html", "tong-hop.xlsx", "bao-cao-ket-qua-HN-2024-11.docx"} <= names
    assert "giay-moi-HN-2024-06.docx" not in names
    assert "thong-bao-HN-2024-06.docx" not in names
    assert "bao-cao-ket-qua-HN-2024-06.docx" not in names


def test_typed_department_is_never_overwritten_and_marked_manual(sample_copy):
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = headers(ws)
    row = next(r for r, v in petition_rows(ws) if not v[KN.col("chu_tri")])
    ws.cell(row, cols[KN.col("chu_tri")]).value = "Tư pháp - Hộ tịch"
    wb.save(sample_copy)
    passes.run(sample_copy, today=TODAY, render=False)
    ws = openpyxl.load_workbook(sample_copy)[KN.name]
    assert ws.cell(row, cols[KN.col("chu_tri")]).value == "Tư pháp - Hộ tịch"
    assert ws.cell(row, cols[KN.col("can_cu")]).value == schema.MANUAL_BASIS


def _pick_for_police(ws, *, settled: bool) -> int:
    return next(r for r, v in petition_rows(ws)
                if v[KN.col("chu_tri")] != "Công an phường" and v[KN.col("can_cu")] != schema.MANUAL_BASIS
                and v[KN.col("hinh_thuc")] != schema.FORM_FORWARD
                and (v[KN.col("trang_thai")] != schema.STATUS_NEW or bool(v[KN.col("ngay_tra_loi")])) == settled)


def test_toolkit_fill_follows_when_the_field_changes(sample_copy):
    passes.run(sample_copy, today=TODAY, render=False)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = headers(ws)
    row = _pick_for_police(ws, settled=False)          # still "Mới tiếp nhận": the toolkit's to re-derive
    ws.cell(row, cols[KN.col("linh_vuc")]).value = "An ninh trật tự"
    wb.save(sample_copy)
    passes.run(sample_copy, today=TODAY, render=False)
    ws = openpyxl.load_workbook(sample_copy)[KN.name]
    assert ws.cell(row, cols[KN.col("chu_tri")]).value == "Công an phường"
    assert "An ninh trật tự" in ws.cell(row, cols[KN.col("can_cu")]).value


def test_a_settled_petition_keeps_its_routing_when_the_field_changes(sample_copy):
    passes.run(sample_copy, today=TODAY, render=False)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = headers(ws)
    row = _pick_for_police(ws, settled=True)           # past "Mới tiếp nhận", or answered: history
    before = [ws.cell(row, cols[KN.col(k)]).value for k in ("chu_tri", "phoi_hop", "han", "can_cu")]
    ws.cell(row, cols[KN.col("linh_vuc")]).value = "An ninh trật tự"
    wb.save(sample_copy)
    passes.run(sample_copy, today=TODAY, render=False)
    ws = openpyxl.load_workbook(sample_copy)[KN.name]
    assert [ws.cell(row, cols[KN.col(k)]).value for k in ("chu_tri", "phoi_hop", "han", "can_cu")] == before


@pytest.mark.parametrize("lock_name", ["~${name}", ".~lock.{name}#"])
def test_open_workbook_is_not_written_but_outputs_are_made(sample_copy, lock_name):
    lock = sample_copy.parent / lock_name.format(name=sample_copy.name)
    lock.write_text("someone", encoding="utf-8")
    digest = sha(sample_copy)
    result = passes.run(sample_copy, today=TODAY)
    assert sha(sample_copy) == digest
    assert not result.written and result.write_reason_code == "locked"
    assert "đang mở" in result.write_reason or "mở" in result.write_reason
    assert (result.out_dir / "index.html").exists()
    lock.unlink()
    assert passes.run(sample_copy, today=TODAY, render=False).written


def test_staff_formatting_and_formulas_survive_a_pass(sample_copy):
    wb = openpyxl.load_workbook(sample_copy)
    groups = wb[schema.TO_DAN_PHO.name]
    gcols = headers(groups)
    groups.cell(2, gcols[schema.TO_DAN_PHO.col("toi_thieu")]).value = "=2+3"
    wb.save(sample_copy)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    before = (ws.freeze_panes, len(ws.data_validations.dataValidation),
              {k: d.width for k, d in ws.column_dimensions.items()})
    passes.run(sample_copy, today=TODAY, render=False)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    after = (ws.freeze_panes, len(ws.data_validations.dataValidation),
             {k: d.width for k, d in ws.column_dimensions.items() if k in before[2]})
    assert after == before
    assert wb[schema.TO_DAN_PHO.name].cell(2, gcols[schema.TO_DAN_PHO.col("toi_thieu")]).value == "=2+3"
    # the formula's value reads back (cached value kept): no false finding on the next check
    result = passes.check(sample_copy, today=TODAY)
    assert not [f for f in result.report if f.sheet == schema.TO_DAN_PHO.name and f.code == "number-invalid"]


@pytest.mark.libreoffice
@pytest.mark.slow
def test_workbook_saved_by_libreoffice_goes_through_a_pass_and_back(sample_copy, tmp_path):
    from conftest import soffice_convert

    lo_saved = soffice_convert(sample_copy, tmp_path / "lo1")
    work = tmp_path / "work" / sample_copy.name
    work.parent.mkdir()
    shutil.copy2(lo_saved, work)
    before = passes.check(work, today=TODAY).report.flatten(["sheet", "row", "column", "code"])
    result = passes.run(work, today=TODAY, render=False)
    assert result.written, result.write_reason
    back = soffice_convert(work, tmp_path / "lo2")
    wb = openpyxl.load_workbook(back)
    ws = wb[KN.name]
    assert all(v[KN.col("chu_tri")] for _r, v in petition_rows(ws))
    after = passes.check(back, today=TODAY).report.flatten(["sheet", "row", "column", "code"])
    assert sorted(map(tuple, after)) == sorted(map(tuple, before))


def test_a_workbook_that_is_not_a_dialogue_workbook_is_never_written(excel_made_dir, tmp_path):
    for source in sorted(excel_made_dir.glob("*.xls*")):
        target = tmp_path / source.name
        shutil.copy2(source, target)
        digest = sha(target)
        result = passes.run(target, today=TODAY, out_dir=tmp_path / "out" / source.stem)
        assert sha(target) == digest, source.name
        assert not result.written and result.write_reason_code == "not-doithoai", source.name
        assert "doithoai init" in result.write_reason
        assert (tmp_path / "out" / source.stem / "index.html").exists()   # findings still shown


def test_quick_check_agrees_with_the_full_applier(sample_copy):
    """The fast no-op check (package not opened) says 'write' exactly when the patch would change something."""
    from toolkit.xlsx import reading
    from toolkit.pipeline import applier
    from toolkit.outputs import summaries

    def judge(path):
        checked = passes.check(path, today=TODAY)
        summary = summaries.build(checked.dataset, checked.report, today=TODAY, calendar=checked.calendar)
        current = reading.read_grids(checked.data, [s.name for s in applier.GENERATED])
        writes = applier.Applier(checked.dataset, checked.plan, checked.report, summary, today=TODAY,
                                 current=current)
        return writes.needs_write(), writes(checked.data) is not None

    assert judge(sample_copy) == (True, True)            # fresh sample: everything to fill
    passes.run(sample_copy, today=TODAY, render=False)
    assert judge(sample_copy) == (False, False)          # nothing new
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = headers(ws)
    row = next(r for r, v in petition_rows(ws) if v[KN.col("trang_thai")] in schema.STATUS_CLOSED)
    ws.cell(row, cols[KN.col("ket_qua")]).value = None     # a closed petition loses its answer: a new error
    wb.save(sample_copy)
    assert judge(sample_copy) == (True, True)
    passes.run(sample_copy, today=TODAY, render=False)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    ws.cell(row, cols[KN.col("nguoi_kien_nghi")]).value = None  # a row emptied by staff leaves a stale Kiểm tra
    for key in ("hoi_nghi", "ngay_tiep_nhan", "noi_dung", "to_dan_pho", "linh_vuc", "hinh_thuc", "trang_thai",
                "ngay_tra_loi", "ket_qua", "ghi_chu", "ma", "chu_tri", "phoi_hop", "han"):
        if KN.col(key) in cols:
            ws.cell(row, cols[KN.col(key)]).value = None
    wb.save(sample_copy)
    assert judge(sample_copy) == (True, True)


def test_check_judges_dates_against_the_given_day(sample_copy):
    """'Date in the future' uses the pass's day, like deadlines and overdue counts do."""
    june = passes.check(sample_copy, today=sample.CONFERENCES[0][2])   # the June conference day
    assert any(f.code == "date-in-future" for f in june.report)       # November's dates lie ahead
    later = passes.check(sample_copy, today=TODAY)
    assert not any(f.code == "date-in-future" for f in later.report)


def test_a_generated_sheet_staff_renamed_in_capitals_is_still_that_sheet(sample_copy, tmp_path):
    # Excel compares sheet names ignoring case: a second "Tổng hợp" beside "TỔNG HỢP" is a clash
    import io
    import zipfile

    from packagecheck import validate

    passes.run(sample_copy, today=TODAY, render=False)
    src = zipfile.ZipFile(io.BytesIO(sample_copy.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace('name="Tổng hợp"'.encode(), 'name="TỔNG HỢP"'.encode())
            dst.writestr(info, data)
    sample_copy.write_bytes(out.getvalue())
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    ws.cell(ws.max_row + 1, headers(ws)[KN.col("noi_dung")], "Đề nghị sửa đèn đường ngõ 9")
    wb.save(sample_copy)
    result = passes.run(sample_copy, today=TODAY, render=False)
    assert result.written
    names = openpyxl.load_workbook(sample_copy, read_only=True).sheetnames
    assert [n for n in names if n.casefold() == "tổng hợp"] == ["TỔNG HỢP"]
    validate(sample_copy)
