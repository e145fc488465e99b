"""Workbooks decorated by real LibreOffice keep every decoration through a pass.

docs/ARCHITECTURE.md, "The write-back contract": the workbook belongs to staff; a pass changes only
the cells and sheets doithoai owns. A clerk decorates the register in
LibreOffice Calc (a real window under Xvfb, driven through UNO by
tests/uno_driver.py), saves it as .xlsx, and a pass
(``toolkit.pipeline.passes.run(path, render=False)``) writes its results back. Then a
fresh LibreOffice opens the result and reports what a clerk would see; every
decoration must read back exactly as it did from the file the clerk saved.

Three decorated workbooks keep LibreOffice start-ups few (two per workbook:
one decorates, saves and re-reads the saved file; a fresh one reads the
result of the pass):

* ``trang-tri``: how a sheet is dressed: comment shown on the sheet, header
  and footer (Kiến nghị, Tổ dân phố), conditional format, autofilter, a staff
  validation, merged cells on a staff column, a hidden column, print setup,
  frozen pane and zoom, automatic ("optimal") row heights. The clerk deleted
  two Mã kiến nghị and one Bộ phận chủ trì, so the pass has cells to fill.
* ``doi-tuong``: what a clerk adds: a staff sheet (Thống kê) with formulas
  over Kiến nghị (COUNTIF over the toolkit-filled department, COUNTA over a
  defined name of the Mã kiến nghị column), a hyperlink and a chart; a picture
  on Kiến nghị; Cấu hình protected; Kiến nghị rows sorted and one deleted; a
  new petition typed in.
* ``hop-van-ban``: a text box and a rectangle with text on Kiến nghị, and a new
  petition.

Each decoration is its own test (against one shared pass per workbook), so a
failure names the decoration. Every test first requires that the pass wrote:
comparing an unwritten file with itself would prove nothing.

Every workbook doithoai writes must also pass tests/ooxml/validate.py
(ECMA-376 sml.xsd and Excel's ordering rules).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import python_calamine

from conftest import SAMPLE, VALIDATE, need_program, need_uno
from toolkit.pipeline import passes
from toolkit.core import schema

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]

TODAY = dt.date(2024, 12, 16)
K = schema.KIEN_NGHI
LIGHTING = "Đề nghị sửa đèn chiếu sáng hỏng ở ngõ 12"
DC = "Địa chính - Xây dựng - Đô thị - Môi trường"  # the department of the lighting rule
HEADER_KN = "SỔ THEO DÕI KIẾN NGHỊ CỦA NHÂN DÂN - UBND PHƯỜNG HÀ CẦU"
FOOTER_KN = "Lưu hành nội bộ - Văn phòng UBND phường"
HEADER_TDP = "DANH SÁCH TỔ DÂN PHỐ"
FOOTER_TDP = "Cập nhật tháng 12/2024"
NOTE_KN = "Chủ tịch đã đọc, đề nghị trả lời trước Tết"
NOTE_TDP = "Tổ trưởng mới từ tháng 11"
TEXT_BOX = "Lưu ý: kiến nghị tổ 7 gửi lại bản giấy cho Văn phòng"
RECTANGLE = "Chờ họp giao ban"
KN_SHEETS = ["Kiến nghị", "Tổ dân phố", "Cấu hình", "Đại biểu"]


# --------------------------------------------------------------------------
# LibreOffice: a fresh instance (own profile, own Xvfb) per workbook
# --------------------------------------------------------------------------


def _office_class():
    from test_watching_libreoffice import Office

    need_program("soffice")
    need_program("Xvfb")
    need_uno()
    return Office


class LibreOffice:
    """One LibreOffice (Xvfb, own profile, UNO driver) for the life of a ``with`` block.

    ``Office.close`` stops only the process groups it started. ``open`` retries
    once, in a fresh instance, before failing. A command LibreOffice does not
    answer within HANG seconds (a dialog nobody can click) fails the test
    instead of hanging it; this is a guard, not a timing.
    """

    HANG = 300

    def __init__(self) -> None:
        self.office = None

    def __enter__(self) -> "LibreOffice":
        self.office = self._start()
        return self

    def __exit__(self, *exc) -> None:
        self.office.close()

    @staticmethod
    def _start():
        office = _office_class()()
        try:
            return office.start()
        except BaseException:
            office.close()
            raise

    def call(self, cmd: str, **args) -> dict:
        return self.office.call(cmd, hang=self.HANG, **args)

    def open(self, path: Path) -> None:
        try:
            self.call("open", path=str(path), hidden=False)
        except RuntimeError as first:
            print(f"LibreOffice could not open {path.name}, once more in a fresh instance: {first}",
                  file=sys.stderr)
            self.office.close()
            self.office = self._start()
            self.call("open", path=str(path), hidden=False)


def describe(lo: LibreOffice, path: Path, probes: dict) -> dict:
    lo.open(path)
    try:
        return lo.call("describe", sheets=KN_SHEETS + extra_sheets(probes), probes=probes,
                       view_sheets=["Kiến nghị"], recalc=True)
    finally:
        lo.call("close")


def extra_sheets(probes: dict) -> list[str]:
    return [s for s in probes if s not in KN_SHEETS]


# --------------------------------------------------------------------------
# The decorated workbooks
# --------------------------------------------------------------------------


@dataclass
class Outcome:
    path: Path
    result: passes.PassResult
    saved: dict      # what LibreOffice showed of the file the clerk saved
    after: dict      # what a fresh LibreOffice shows after the pass
    sha_saved: str


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def base_workbook(folder: Path) -> Path:
    """A copy of the sample register after a first pass (the state a clerk decorates)."""
    if not SAMPLE.exists():
        pytest.skip("sample workbook not generated yet")
    folder.mkdir(parents=True, exist_ok=True)
    base = Path(shutil.copy2(SAMPLE, folder / "goc.xlsx"))
    passes.run(base, today=TODAY, render=False)
    return base


def png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (64, 40), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.rectangle([2, 2, 61, 37], outline=(198, 40, 40), width=3)
    draw.ellipse([22, 10, 42, 30], fill=(255, 205, 0))
    img.save(path)
    return path


def decorate(folder: Path, name: str, steps: list[tuple[str, dict]], probes: dict) -> Outcome:
    """Decorate a copy of the base register in LibreOffice, save it as .xlsx, run a pass,
    and read the file back in LibreOffice before and after the pass."""
    base = base_workbook(folder / "goc")
    book = folder / f"{name}.xlsx"
    with LibreOffice() as lo:
        lo.open(base)
        for cmd, args in steps:
            lo.call(cmd, **args)
        lo.call("store_as", path=str(book))
        lo.call("close")
        saved = describe(lo, book, probes)
    assert not any(folder.glob(".~lock.*")), "LibreOffice left its lock"
    sha_saved = _sha(book)
    result = passes.run(book, today=TODAY, render=False)
    with LibreOffice() as lo:
        after = describe(lo, book, probes)
    return Outcome(book, result, saved, after, sha_saved)


def calamine(path: Path, sheet: str) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(sheet).to_python()


def column(rows: list[list], header: str) -> int:
    return [str(h).strip() for h in rows[0]].index(header)


def require_written(o: Outcome) -> None:
    assert o.result.written is True, (o.result.write_reason_code, o.result.write_reason)
    assert _sha(o.path) != o.sha_saved


def same(o: Outcome, *keys) -> None:
    """The value at ``keys`` (e.g. "per_sheet", "Kiến nghị", "notes") before and after the pass."""
    require_written(o)
    before, after = o.saved, o.after
    for k in keys:
        before, after = before[k], after[k]
    assert after == before


# -- trang-tri: how the sheets are dressed --------------------------------------------

TRANG_TRI = [
    ("clear", {"sheet": "Kiến nghị", "range": "A3:A4"}),        # two Mã kiến nghị deleted
    ("clear", {"sheet": "Kiến nghị", "range": "I5"}),           # one Bộ phận chủ trì deleted
    ("annotate", {"sheet": "Kiến nghị", "cell": "G3", "text": NOTE_KN, "visible": True}),
    ("annotate", {"sheet": "Tổ dân phố", "cell": "C2", "text": NOTE_TDP, "visible": True}),
    ("header_footer", {"sheet": "Kiến nghị", "header": HEADER_KN, "footer": FOOTER_KN}),
    ("header_footer", {"sheet": "Tổ dân phố", "header": HEADER_TDP, "footer": FOOTER_TDP}),
    ("conditional_format", {"sheet": "Kiến nghị", "range": "F2:F81", "operator": "EQUAL",
                            "formula1": '"Đất đai"', "style": "Bad"}),
    ("validation", {"sheet": "Kiến nghị", "range": "N2:N200", "type": "TEXT_LEN", "operator": "LESS_EQUAL",
                    "formula1": "500", "error": "Kết quả trả lời tối đa 500 ký tự"}),
    ("merge", {"sheet": "Kiến nghị", "range": "O5:O6"}),
    ("hide_column", {"sheet": "Kiến nghị", "column": "H"}),
    ("page_setup", {"sheet": "Kiến nghị", "landscape": True, "margins_mm": [15, 12, 20, 18],
                    "print_area": "A1:Q81", "title_rows": "A1:Q1"}),
    ("optimal_heights", {"sheet": "Kiến nghị"}),
    ("optimal_heights", {"sheet": "Tổ dân phố"}),
    ("optimal_heights", {"sheet": "Cấu hình"}),
    ("view", {"sheet": "Kiến nghị", "freeze": [2, 1], "zoom": 85}),
    # last: automatic row heights would show the rows the filter hides
    ("autofilter", {"sheet": "Kiến nghị", "range": "A1:Q81", "column": 1, "equals": "HN-2024-06"}),
]
TRANG_TRI_PROBES = {"Kiến nghị": ["N2", "N40", "F2", "B2", "E2"]}


@pytest.fixture(scope="module")
def trang_tri(tmp_path_factory) -> Outcome:
    return decorate(tmp_path_factory.mktemp("trang-tri"), "trang-tri", TRANG_TRI, TRANG_TRI_PROBES)


def test_dressed_pass_writes_the_blanked_cells(trang_tri):
    require_written(trang_tri)
    rows = calamine(trang_tri.path, K.name)
    ma, chu_tri = column(rows, K.col("ma")), column(rows, K.col("chu_tri"))
    for r in (3, 4):
        assert str(rows[r - 1][ma]).startswith("KN-2024-"), rows[r - 1]
    assert rows[4][chu_tri], rows[4]
    grid = trang_tri.after["per_sheet"][K.name]["grid"]
    assert grid[2][0].startswith("KN-2024-") and grid[3][0].startswith("KN-2024-")  # LibreOffice sees them


def test_dressed_comments_stay_shown(trang_tri):
    notes = trang_tri.saved["per_sheet"][K.name]["notes"]
    assert any(n["text"] == NOTE_KN and n["shown"] for n in notes), notes
    same(trang_tri, "per_sheet", K.name, "notes")
    same(trang_tri, "per_sheet", "Tổ dân phố", "notes")


def test_dressed_header_and_footer_kept(trang_tri):
    page = trang_tri.saved["per_sheet"][K.name]["page"]
    assert page["header"][1] == HEADER_KN and page["footer"][1] == FOOTER_KN, page
    assert trang_tri.saved["per_sheet"]["Tổ dân phố"]["page"]["header"][1] == HEADER_TDP
    require_written(trang_tri)
    for sheet in (K.name, "Tổ dân phố"):
        before, after = trang_tri.saved["per_sheet"][sheet]["page"], trang_tri.after["per_sheet"][sheet]["page"]
        assert (after["header"], after["footer"]) == (before["header"], before["footer"]), sheet


def test_dressed_conditional_format_kept(trang_tri):
    assert trang_tri.saved["per_sheet"][K.name]["conditional_formats"]
    same(trang_tri, "per_sheet", K.name, "conditional_formats")


def test_dressed_autofilter_kept(trang_tri):
    """The filter buttons and the filter the clerk applied (HN-2024-06 only): other rows stay hidden."""
    assert trang_tri.saved["autofilters"][K.name][1] == [[1, "EQUAL", "HN-2024-06"]], trang_tri.saved["autofilters"]
    same(trang_tri, "autofilters")
    hidden = [r[2] for r in trang_tri.saved["per_sheet"][K.name]["rows"]]
    assert not all(hidden)
    assert [r[2] for r in trang_tri.after["per_sheet"][K.name]["rows"]] == hidden


def test_dressed_staff_validation_kept(trang_tri):
    probe = trang_tri.saved["probes"][K.name]
    assert probe["N2"]["validation"]["type"] == "TEXT_LEN", probe["N2"]
    same(trang_tri, "probes", K.name)


def test_dressed_merged_cells_kept(trang_tri):
    assert "$'Kiến nghị'.$O$5:$O$6" in trang_tri.saved["per_sheet"][K.name]["merged"]
    same(trang_tri, "per_sheet", K.name, "merged")


def test_dressed_hidden_column_and_widths_kept(trang_tri):
    assert trang_tri.saved["per_sheet"][K.name]["columns"][7][1] is False  # H hidden
    same(trang_tri, "per_sheet", K.name, "columns")


def test_dressed_print_setup_kept(trang_tri):
    """Paper, orientation, margins, scaling, print area and rows repeated on each page."""
    sheet = trang_tri.saved["per_sheet"][K.name]
    assert sheet["page"]["IsLandscape"] and sheet["print_areas"] == ["$'Kiến nghị'.$A$1:$Q$81"], sheet["page"]
    require_written(trang_tri)
    for name in (K.name, "Tổ dân phố"):
        before, after = trang_tri.saved["per_sheet"][name]["page"], trang_tri.after["per_sheet"][name]["page"]
        setup = [k for k in before if k not in ("header", "footer")]   # header/footer: their own test
        assert {k: after[k] for k in setup} == {k: before[k] for k in setup}, name
    same(trang_tri, "per_sheet", K.name, "print_areas")
    same(trang_tri, "per_sheet", K.name, "title_rows")


def test_dressed_frozen_pane_and_zoom_kept(trang_tri):
    view = trang_tri.saved["views"][K.name]
    assert view["frozen"] and view["zoom"] == 85, view
    same(trang_tri, "views")
    same(trang_tri, "active_sheet")


def test_dressed_automatic_row_heights_kept(trang_tri):
    """Rows LibreOffice keeps at automatic height stay automatic; heights of other sheets unchanged."""
    saved = trang_tri.saved["per_sheet"]
    assert all(r[0] for r in saved["Tổ dân phố"]["rows"]), saved["Tổ dân phố"]["rows"]
    require_written(trang_tri)
    for sheet in KN_SHEETS:
        before = [r[0] for r in saved[sheet]["rows"]]
        after = [r[0] for r in trang_tri.after["per_sheet"][sheet]["rows"]]
        assert after[:len(before)] == before, sheet
    for sheet in ("Tổ dân phố", "Cấu hình"):
        same(trang_tri, "per_sheet", sheet, "rows")


def staff_columns_unchanged(outcome: Outcome) -> None:
    """Kiến nghị as LibreOffice shows it after the pass: every staff column the same, row by row."""
    owned = {i for i, c in enumerate(K.columns) if c.owner != schema.STAFF}
    before = outcome.saved["per_sheet"][K.name]["grid"]
    after = outcome.after["per_sheet"][K.name]["grid"]
    assert len(after) == len(before)
    for b, a in zip(before, after):
        assert [v for i, v in enumerate(a) if i not in owned] == [v for i, v in enumerate(b) if i not in owned]


def test_dressed_staff_cells_unchanged(trang_tri):
    require_written(trang_tri)
    staff_columns_unchanged(trang_tri)
    for sheet in ("Tổ dân phố", "Cấu hình"):
        same(trang_tri, "per_sheet", sheet, "grid")


def test_dressed_rows_nobody_edited_keep_every_toolkit_value(trang_tri):
    # settled decisions and one reading: decorating the sheet re-derives nothing; only the cells the
    # clerk cleared (rows 3-5) are filled again
    require_written(trang_tri)
    before = calamine(trang_tri.path.parent / "goc" / "goc.xlsx", "Kiến nghị")
    after = calamine(trang_tri.path, "Kiến nghị")
    keys = [column(before, h) for h in ("Mã kiến nghị", "Bộ phận chủ trì", "Bộ phận phối hợp", "Hạn xử lý",
                                        "Trạng thái", "Căn cứ phân công")]
    for r, (b, a) in enumerate(zip(before, after), start=1):
        if r not in (3, 4, 5):
            assert [a[k] for k in keys] == [b[k] for k in keys], r


def test_dressed_result_passes_the_ooxml_checker(trang_tri):
    require_written(trang_tri)
    assert_valid(trang_tri.path)


# -- doi-tuong: what a clerk adds ------------------------------------------------------

THONG_KE = "Thống kê"


def doi_tuong_steps(picture: Path) -> list[tuple[str, dict]]:
    departments = ["Văn phòng - Thống kê", "Tư pháp - Hộ tịch", DC, "Văn hóa - Xã hội", "Công an phường"]
    cells: dict[str, object] = {"A1": "Bộ phận", "B1": "Số kiến nghị", "D1": "Tổng số mã kiến nghị",
                                "E1": "=COUNTA(MaKienNghi)"}
    for i, dep in enumerate(departments, start=2):
        cells[f"A{i}"] = dep
        cells[f"B{i}"] = f"=COUNTIF($'Kiến nghị'.$I$2:$I$500;A{i})"
    return [
        ("sort", {"sheet": K.name, "range": "A2:Q81", "by": 3}),            # by Người kiến nghị
        ("delete_rows", {"sheet": K.name, "row": 10, "count": 1}),
        ("add_record", {"sheet": K.name, "key": K.col("nguoi_kien_nghi"),
                        "values": {K.col("hoi_nghi"): "HN-2024-11", K.col("nguoi_kien_nghi"): "Nguyễn Văn Thử",
                                   K.col("to_dan_pho"): "Tổ dân phố số 7", K.col("noi_dung"): LIGHTING},
                        "dates": {K.col("ngay_tiep_nhan"): "2024-11-22"}}),
        ("define_name", {"name": "MaKienNghi", "content": "$'Kiến nghị'.$A$2:$A$500"}),
        ("new_sheet", {"name": THONG_KE, "position": 9}),
        ("set_cells", {"sheet": THONG_KE, "cells": cells}),
        ("hyperlink", {"sheet": THONG_KE, "cell": "A10", "url": "https://dichvucong.gov.vn/",
                       "text": "Cổng Dịch vụ công quốc gia"}),
        ("chart", {"sheet": THONG_KE, "name": "KienNghiTheoBoPhan", "range": "A1:B6", "at": "D4",
                   "size_mm": [120, 70]}),
        ("picture", {"sheet": K.name, "path": str(picture), "at": "S2", "size_mm": [30, 19]}),
        ("protect", {"sheet": "Cấu hình", "password": "123"}),
    ]


DOI_TUONG_PROBES = {THONG_KE: ["A2", "B2", "B3", "B4", "E1", "A10"]}


@pytest.fixture(scope="module")
def doi_tuong(tmp_path_factory) -> Outcome:
    folder = tmp_path_factory.mktemp("doi-tuong")
    return decorate(folder, "doi-tuong", doi_tuong_steps(png(folder / "logo.png")), DOI_TUONG_PROBES)


def test_objects_pass_fills_the_new_petition(doi_tuong):
    require_written(doi_tuong)
    rows = calamine(doi_tuong.path, K.name)
    nd, ma, chu_tri = column(rows, K.col("noi_dung")), column(rows, K.col("ma")), column(rows, K.col("chu_tri"))
    row = next(r for r in rows if r[nd] == LIGHTING)
    assert str(row[ma]).startswith("KN-2024-11-") and row[chu_tri] == DC, row


def test_objects_sorted_rows_and_deleted_row_stay(doi_tuong):
    """The order the clerk sorted, minus the deleted row: staff columns unchanged row by row."""
    require_written(doi_tuong)
    staff_columns_unchanged(doi_tuong)


def test_objects_defined_name_kept(doi_tuong):
    assert "MaKienNghi" in doi_tuong.saved["names"], doi_tuong.saved["names"]
    same(doi_tuong, "names")


def test_objects_staff_formulas_kept_and_see_the_toolkit_values(doi_tuong):
    require_written(doi_tuong)
    before, after = doi_tuong.saved["probes"][THONG_KE], doi_tuong.after["probes"][THONG_KE]
    assert [after[c]["formula"] for c in after] == [before[c]["formula"] for c in before]
    assert before["B4"]["formula"].startswith("=COUNTIF(")
    # The new petition got its Mã kiến nghị and department from the pass: recalculated
    # (LibreOffice: Ctrl+Shift+F9), the clerk's counts include it ...
    was, now = doi_tuong.saved["recalculated"][THONG_KE], doi_tuong.after["recalculated"][THONG_KE]
    assert (now["E1"], now["B4"]) == (was["E1"] + 1, was["B4"] + 1), (was, now)
    # ... and Excel recalculates by itself on opening (LibreOffice 7.4, by default, shows the
    # cached values of an .xlsx until asked to recalculate, whatever calcPr says).
    with zipfile.ZipFile(doi_tuong.path) as zf:
        assert re.search(rb'<calcPr\b[^>]*\bfullCalcOnLoad="(1|true)"', zf.read("xl/workbook.xml"))


def test_objects_staff_sheet_and_hyperlink_kept(doi_tuong):
    assert THONG_KE in [s for s, _ in doi_tuong.saved["sheets"]]
    assert doi_tuong.saved["probes"][THONG_KE]["A10"]["links"] == [
        ["https://dichvucong.gov.vn/", "Cổng Dịch vụ công quốc gia"]]
    same(doi_tuong, "per_sheet", THONG_KE, "grid")
    same(doi_tuong, "probes", THONG_KE, "A10", "links")
    staff_sheets = [s for s in doi_tuong.saved["sheets"]]
    assert [s for s in doi_tuong.after["sheets"] if s in staff_sheets] == staff_sheets


def test_objects_chart_kept(doi_tuong):
    charts = doi_tuong.saved["per_sheet"][THONG_KE]["charts"]
    assert charts and charts[0]["ranges"], charts
    same(doi_tuong, "per_sheet", THONG_KE, "charts")
    same(doi_tuong, "per_sheet", THONG_KE, "shapes")   # the chart's frame: place and size


def drawn(outcome: Outcome, when: str, sheet: str) -> list[dict]:
    """Drawing objects on a sheet other than comment boxes (those are the comments' test)."""
    shapes = getattr(outcome, when)["per_sheet"][sheet]["shapes"]
    return [s for s in shapes if s["type"] != "com.sun.star.drawing.CaptionShape"]


def test_objects_picture_kept(doi_tuong):
    """The picture: same image (pixels), place, size and anchor cell."""
    shapes = drawn(doi_tuong, "saved", K.name)
    assert [s["type"] for s in shapes] == ["com.sun.star.drawing.GraphicObjectShape"], shapes
    assert shapes[0]["pixels"] == [64, 40] and shapes[0]["anchor"] == "$'Kiến nghị'.$S$2", shapes
    require_written(doi_tuong)
    assert drawn(doi_tuong, "after", K.name) == shapes


def test_objects_protection_kept(doi_tuong):
    assert doi_tuong.saved["per_sheet"]["Cấu hình"]["protected"] is True
    same(doi_tuong, "per_sheet", "Cấu hình", "protected")


def test_objects_result_passes_the_ooxml_checker(doi_tuong):
    require_written(doi_tuong)
    assert_valid(doi_tuong.path)


# -- hop-van-ban: a text box and a shape on Kiến nghị --------------------------------

HOP_VAN_BAN = [
    ("add_record", {"sheet": K.name, "key": K.col("nguoi_kien_nghi"),
                    "values": {K.col("hoi_nghi"): "HN-2024-11", K.col("nguoi_kien_nghi"): "Nguyễn Văn Thử",
                               K.col("to_dan_pho"): "Tổ dân phố số 7", K.col("noi_dung"): LIGHTING},
                    "dates": {K.col("ngay_tiep_nhan"): "2024-11-22"}}),
    ("text_box", {"sheet": K.name, "text": TEXT_BOX, "at": "S3", "size_mm": [70, 20]}),
    ("rectangle", {"sheet": K.name, "text": RECTANGLE, "at": "S10", "size_mm": [45, 15]}),
]


@pytest.fixture(scope="module")
def hop_van_ban(tmp_path_factory) -> Outcome:
    return decorate(tmp_path_factory.mktemp("hop-van-ban"), "hop-van-ban", HOP_VAN_BAN, {})


def test_text_box_and_shape_kept_and_petition_filled(hop_van_ban):
    shapes = drawn(hop_van_ban, "saved", K.name)
    assert {s.get("text") for s in shapes} == {TEXT_BOX, RECTANGLE}, shapes
    require_written(hop_van_ban)
    assert drawn(hop_van_ban, "after", K.name) == shapes
    rows = calamine(hop_van_ban.path, K.name)
    nd, chu_tri = column(rows, K.col("noi_dung")), column(rows, K.col("chu_tri"))
    assert next(r for r in rows if r[nd] == LIGHTING)[chu_tri] == DC


def test_text_box_result_passes_the_ooxml_checker(hop_van_ban):
    require_written(hop_van_ban)
    assert_valid(hop_van_ban.path)


def assert_valid(path: Path) -> None:
    proc = subprocess.run([sys.executable, str(VALIDATE), str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
