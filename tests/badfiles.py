"""Builders of bad workbooks, in code (no stored blobs), for the hardening suites.

``base_bytes()`` is a small, clean workbook made by the real ``init`` builder
(``toolkit.starter.create.build_workbook``) with a few rows of data. Every builder
here takes a folder and returns the path of the file it wrote there, named
``so.xlsx`` unless the case is about the name. ``run_cli`` runs the command
line in a child process under a time and memory bound.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import types
import unicodedata
import uuid
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Callable

import openpyxl

from conftest import ROOT
from toolkit.starter import create
from toolkit.core import schema

NAME = "so.xlsx"
TIME_LIMIT_S = 120                # a hang guard, not a timing test
MEMORY_LIMIT = 2 << 30            # address space of the child process

PEOPLE = schema.CATEGORY_PEOPLE
TCVN3_NAME = "NguyÔn V¨n Hßa"     # "Nguyễn Văn Hòa" typed with a TCVN3 font


# --- The clean base workbook -------------------------------------------------------------

def base_rows() -> dict[str, list[dict]]:
    """A few rows per sheet (column keys as in schema.py); no errors when checked."""
    delegates = [
        {"stt": 1, "ho_ten": "Trần Văn Cường", "gioi_tinh": "Nam", "nam_sinh": 1960, "thanh_phan": PEOPLE,
         "to_dan_pho": "TDP01", "hoi_nghi": "HN-2024-06", "dien_thoai": "0912345678",
         "duoc_moi": "x", "co_mat": "x"},
        {"stt": 2, "ho_ten": "Nguyễn Thị Dung", "gioi_tinh": "Nữ", "nam_sinh": 1975, "thanh_phan": PEOPLE,
         "to_dan_pho": "TDP01", "hoi_nghi": "HN-2024-06", "duoc_moi": "x", "co_mat": "x"},
        {"stt": 3, "ho_ten": "Lê Văn Hùng", "gioi_tinh": "Nam", "nam_sinh": 1968, "thanh_phan": PEOPLE,
         "to_dan_pho": "TDP02", "hoi_nghi": "HN-2024-06", "duoc_moi": "x"},
        {"stt": 4, "ho_ten": "Phạm Thu Hà", "gioi_tinh": "Nữ", "nam_sinh": 1982, "thanh_phan": PEOPLE,
         "to_dan_pho": "TDP02", "hoi_nghi": "HN-2024-06", "duoc_moi": "x", "co_mat": "x"},
        {"stt": 5, "ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nam", "nam_sinh": 1970,
         "thanh_phan": "Lãnh đạo UBND phường", "chuc_vu": "Chủ tịch", "hoi_nghi": "HN-2024-06",
         "duoc_moi": "x", "co_mat": "x", "ghi_chu": "Chủ trì"},
    ]
    petitions = [
        {"ma": "KN-2024-06-001", "hoi_nghi": "HN-2024-06", "ngay_tiep_nhan": dt.date(2024, 6, 20),
         "nguoi_kien_nghi": "Trần Văn Cường", "to_dan_pho": "TDP01", "linh_vuc": "Đất đai",
         "noi_dung": "Đề nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho các hộ ngõ 5.",
         "hinh_thuc": "Trả lời bằng văn bản", "trang_thai": "Đã trả lời bằng văn bản",
         "ngay_tra_loi": dt.date(2024, 7, 2), "ket_qua": "Đã có văn bản trả lời số 12/UBND."},
        {"hoi_nghi": "HN-2024-06", "ngay_tiep_nhan": dt.date(2024, 6, 20), "nguoi_kien_nghi": "Phạm Thu Hà",
         "to_dan_pho": "TDP02", "linh_vuc": "Môi trường - Vệ sinh",
         "noi_dung": "Rác thải tập kết ở đầu ngõ gây ô nhiễm.", "hinh_thuc": "Trả lời tại hội nghị",
         "trang_thai": "Đã trả lời tại hội nghị", "ngay_tra_loi": dt.date(2024, 6, 20),
         "ket_qua": "Phường đã bố trí thu gom hằng ngày."},
    ]
    return {
        "hoi_nghi": [
            {"ma": "HN-2024-06", "ten": "Hội nghị đối thoại 6 tháng đầu năm 2024", "ngay": dt.date(2024, 6, 20),
             "gio": dt.time(8, 0), "dia_diem": "Hội trường UBND phường", "chu_tri": "Nguyễn Văn An",
             "thu_ky": "Lê Thị Mai", "ngay_thong_bao": dt.date(2024, 6, 5)},
        ],
        "to_dan_pho": [
            {"ma": "TDP01", "ten": "Tổ dân phố số 1", "to_truong": "Lê Thị Hoa", "dien_thoai": "0912345679",
             "toi_thieu": 1, "toi_da": 3},
            {"ma": "TDP02", "ten": "Tổ dân phố số 2", "to_truong": "Phạm Văn Bình", "dien_thoai": "0987654321",
             "toi_thieu": 1, "toi_da": 3},
        ],
        "dai_bieu": delegates,
        "kien_nghi": petitions,
    }


def build_workbook(rows: dict[str, list[dict]] | None = None,
                   config: dict[str, object] | None = None) -> openpyxl.Workbook:
    """The init workbook (Hướng dẫn, dropdowns, default departments and rules) holding ``rows``."""
    cfg = {"ten_don_vi": "UBND phường Hà Cầu", "co_quan_cap_tren": "UBND quận Hà Đông", "dia_danh": "Hà Cầu",
           "chu_tich": "Nguyễn Văn An", "thu_ky": "Lê Thị Mai"}
    cfg.update(config or {})
    data = types.SimpleNamespace(config=cfg, departments={}, rows=base_rows() if rows is None else rows)
    return create.build_workbook(data, today=dt.date(2024, 12, 31))


@lru_cache(maxsize=1)
def base_bytes() -> bytes:
    buf = io.BytesIO()
    build_workbook().save(buf)
    return buf.getvalue()


def base_workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(base_bytes()))


def write(folder: Path, data: bytes, name: str = NAME) -> Path:
    path = Path(folder) / name
    path.write_bytes(data)
    return path


def save(folder: Path, wb: openpyxl.Workbook, name: str = NAME) -> Path:
    path = Path(folder) / name
    wb.save(path)
    return path


def edited(change: Callable[[openpyxl.Workbook], None]) -> Callable[[Path], Path]:
    """A builder: the base workbook with ``change`` applied, saved by openpyxl."""
    def build(folder: Path) -> Path:
        wb = base_workbook()
        change(wb)
        return save(folder, wb)
    build.__name__ = getattr(change, "__name__", "edited")
    return build


def header_col(ws, header: str, header_row: int = 1) -> int:
    for cell in ws[header_row]:
        if cell.value == header:
            return cell.column
    raise KeyError(header)


def set_by_header(ws, row: int, header: str, value, header_row: int = 1):
    """Set a cell by its column header; text starting with '#' stays text (openpyxl would make it an error)."""
    cell = ws.cell(row, header_col(ws, header, header_row))
    cell.value = value
    if isinstance(value, str) and value.startswith("#"):
        cell.data_type = "s"
    return cell


# --- Zip-level surgery ---------------------------------------------------------------------

def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


def sheet_part(data: bytes, sheet_name: str) -> str:
    """Zip member of the sheet called ``sheet_name``."""
    from toolkit.xlsx import patch as xlsxpatch

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return xlsxpatch.sheet_parts(zf)[sheet_name]


def replace_text(data: bytes, old: str, new_xml: str) -> bytes:
    """Replace a string (as stored in sharedStrings.xml or inline) by raw XML text."""
    parts = members(data)
    hits = 0
    for name, content in parts.items():
        if name.endswith(".xml") and old.encode() in content:
            parts[name] = content.replace(old.encode(), new_xml.encode())
            hits += 1
    assert hits, f"{old!r} not found"
    return rezip(parts)


# --- File-level cases ------------------------------------------------------------------------

def empty_file(folder: Path) -> Path:
    return write(folder, b"")


def not_a_zip(folder: Path) -> Path:
    return write(folder, bytes(range(256)) * 64)


def truncated_zip(folder: Path) -> Path:
    data = base_bytes()
    return write(folder, data[: len(data) // 2])


def zip_bomb(folder: Path) -> Path:
    """A real workbook whose first sheet inflates to 300 MB of spaces (< 1 MB on disk)."""
    parts = members(base_bytes())
    part = sheet_part(base_bytes(), schema.DAI_BIEU.name)
    xml = parts[part]
    parts[part] = xml.replace(b"<sheetData>", b"<sheetData>" + b" " * (300 << 20), 1)
    return write(folder, rezip(parts))


def xml_bomb(folder: Path) -> Path:
    """Billion laughs in a sheet part."""
    data = base_bytes()
    part = sheet_part(data, schema.KIEN_NGHI.name)
    parts = members(data)
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    doctype = f"<!DOCTYPE worksheet [{entities}]>".encode()
    xml = parts[part]
    head, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
    xml = (head + b"?>" if head else b"") + doctype + rest
    parts[part] = xml.replace(b"</sheetData>", b'<row r="999"><c r="A999" t="inlineStr"><is><t>&lol9;</t>'
                                               b"</is></c></row></sheetData>", 1)
    return write(folder, rezip(parts))


def encrypted(folder: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(base_bytes())).encrypt("matkhau123", out)
    return write(folder, out.getvalue())


def csv_renamed(folder: Path) -> Path:
    text = "STT,Họ và tên,Năm sinh\n1,Trần Văn Cường,1960\n2,Nguyễn Thị Dung,1975\n"
    return write(folder, text.encode("utf-8"))


def soffice_converted(fmt: str) -> Callable[[Path], Path]:
    """The base workbook converted by real headless LibreOffice, then named .xlsx."""
    def build(folder: Path) -> Path:
        soffice = shutil.which("soffice")
        assert soffice, "LibreOffice (soffice) is not installed"
        work = Path(folder) / f"lo-{fmt}"
        work.mkdir()
        src = write(work, base_bytes(), "nguon.xlsx")
        profile = Path("/tmp") / f"doithoai-h9-{uuid.uuid4().hex}"
        try:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                            "--convert-to", fmt, "--outdir", str(work), str(src)],
                           check=True, capture_output=True, timeout=180)
        finally:
            shutil.rmtree(profile, ignore_errors=True)
        out = work / f"nguon.{fmt}"
        assert out.exists(), f"LibreOffice made no {out}"
        return write(folder, out.read_bytes())
    build.__name__ = f"converted_{fmt}"
    return build


# --- Sheet- and header-level cases ----------------------------------------------------------------

def missing_sheet(sheet: schema.Sheet) -> Callable[[Path], Path]:
    def change(wb):
        del wb[sheet.name]
    change.__name__ = f"missing_{sheet.key}"
    return edited(change)


def english_headers(wb):
    ws = wb[schema.DAI_BIEU.name]
    english = ["No.", "Full name", "Gender", "Year of birth", "Category", "Position", "Group", "Address",
               "Phone", "Conference", "Invited", "Present", "Notes", "Check"]
    for j, header in enumerate(english, start=1):
        ws.cell(1, j).value = header


def misspelt_headers(wb):
    ws = wb[schema.KIEN_NGHI.name]
    ws.cell(1, header_col(ws, "Nội dung")).value = "Nội dug"
    ws.cell(1, header_col(ws, "Người kiến nghị")).value = "Ngươi kiến nghi"   # typo, tolerated? no: missing
    ws2 = wb[schema.DAI_BIEU.name]
    ws2.cell(1, header_col(ws2, "Họ và tên")).value = "ho va ten"            # no diacritics: tolerated


def title_row(wb):
    for sheet in (schema.DAI_BIEU, schema.KIEN_NGHI):
        ws = wb[sheet.name]
        ws.insert_rows(1, 2)
        ws["A1"] = f"DANH SÁCH {sheet.name.upper()} NĂM 2024"
        ws.merge_cells("A1:F1")


def merged_header(wb):
    ws = wb[schema.KIEN_NGHI.name]
    ws.insert_rows(1)
    ws["A1"] = "Thông tin kiến nghị"
    ws.merge_cells("A1:G1")
    col = header_col(ws, "Ngày trả lời", 2)
    ws.cell(1, col).value = "Trả lời"
    ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + 1)
    # And a header merged across two columns: the second one's header is lost.
    ws2 = wb[schema.DAI_BIEU.name]
    ws2.merge_cells(start_row=1, start_column=header_col(ws2, "Được mời"), end_row=1,
                    end_column=header_col(ws2, "Được mời") + 1)


def duplicated_header(wb):
    ws = wb[schema.KIEN_NGHI.name]
    col = ws.max_column + 1
    ws.cell(1, col).value = "Nội dung"
    ws.cell(2, col).value = "Nội dung thứ hai"


def formulas_and_errors(wb):
    ws = wb[schema.KIEN_NGHI.name]
    set_by_header(ws, 2, "Kết quả trả lời", '=CONCATENATE("Đã ", "trả lời")')   # no cached value
    ws.cell(3, header_col(ws, "Lĩnh vực")).value = "#N/A"
    ws.cell(3, header_col(ws, "Lĩnh vực")).data_type = "e"
    ws.cell(2, header_col(ws, "Tổ dân phố")).value = "#REF!"
    ws.cell(2, header_col(ws, "Tổ dân phố")).data_type = "e"
    wd = wb[schema.DAI_BIEU.name]
    set_by_header(wd, 2, "Năm sinh", "=1900+60")


TEXT_DATES = ["20/06/2024", "20-06-2024", "20.06.2024", "2024-06-20", "20/6/2024", "20/06/24",
              "ngày 20 tháng 6 năm 2024", "20 / 06 / 2024", "31/02/2024"]


def dates_as_text(wb):
    ws = wb[schema.KIEN_NGHI.name]
    base = [ws.cell(2, c).value for c in range(1, ws.max_column + 1)]
    for i, text in enumerate(TEXT_DATES):
        row = 2 + i
        for c, v in enumerate(base, start=1):
            if ws.cell(row, c).value is None and v is not None:
                ws.cell(row, c).value = v
        ws.cell(row, header_col(ws, "Mã kiến nghị")).value = None
        ws.cell(row, header_col(ws, "Ngày trả lời")).value = None
        ws.cell(row, header_col(ws, "Trạng thái")).value = "Đang xử lý"
        cell = ws.cell(row, header_col(ws, "Ngày tiếp nhận"))
        cell.value, cell.data_type, cell.number_format = text, "s", "@"


def numbers_as_text(wb):
    ws = wb[schema.DAI_BIEU.name]
    for row in range(2, 7):
        c = ws.cell(row, header_col(ws, "Năm sinh"))
        c.value = f"{c.value}"
        c.number_format = "@"
    wt = wb[schema.TO_DAN_PHO.name]
    wt.cell(2, header_col(wt, "Số đại biểu tối thiểu")).value = "1"
    wt.cell(2, header_col(wt, "Số đại biểu tối đa")).value = " 3 "
    wp = wb[schema.PHAN_CONG.name]
    wp.cell(2, header_col(wp, "Ưu tiên")).value = "10"


def phones_as_numbers(wb):
    ws = wb[schema.DAI_BIEU.name]
    ws.cell(2, header_col(ws, "Điện thoại")).value = 912345678          # leading 0 lost
    ws.cell(3, header_col(ws, "Điện thoại")).value = 84912345678        # +84 as a number
    ws.cell(4, header_col(ws, "Điện thoại")).value = 9.12345678e8       # a float
    wt = wb[schema.TO_DAN_PHO.name]
    wt.cell(2, header_col(wt, "Điện thoại")).value = 2433821234         # landline without 0


LONG_TEXT = ("Đề nghị sửa đường ngõ 7. " * 1700)[:40_000]


def long_cell(wb):
    ws = wb[schema.KIEN_NGHI.name]
    ws.cell(3, header_col(ws, "Nội dung")).value = LONG_TEXT


CONTROL_MARKS = {"CTRLA": "_x0008_ _x001F_", "CTRLB": "_x000B__x0002_"}


def control_chars(folder: Path) -> Path:
    """Control characters as Excel stores them (_xHHHH_ escapes) in a petition and a name."""
    wb = base_workbook()
    wk, wd = wb[schema.KIEN_NGHI.name], wb[schema.DAI_BIEU.name]
    wk.cell(3, header_col(wk, "Nội dung")).value = "Rác thải CTRLA tập kết ở đầu ngõ."
    wd.cell(4, header_col(wd, "Họ và tên")).value = "Lê Văn CTRLB Hùng"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    for mark, xml in CONTROL_MARKS.items():
        data = replace_text(data, mark, xml)
    return write(folder, data)


def nfd_text(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and not cell.value.startswith("="):
                    cell.value = unicodedata.normalize("NFD", cell.value)


def tcvn3_text(wb):
    ws = wb[schema.DAI_BIEU.name]
    ws.cell(3, header_col(ws, "Họ và tên")).value = TCVN3_NAME
    wk = wb[schema.KIEN_NGHI.name]
    wk.cell(3, header_col(wk, "Nội dung")).value = "§Ò nghÞ söa ®­êng ngâ 7"


def formatted_empty_rows(wb):
    from openpyxl.styles import Border, PatternFill, Side

    ws = wb[schema.DAI_BIEU.name]
    fill = PatternFill("solid", fgColor="FFF2CC")
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in range(7, 10_007):
        for col in (1, 2, 5, 10):
            cell = ws.cell(row, col)
            cell.fill, cell.border = fill, border


def hidden_rows_and_sheets(wb):
    ws = wb[schema.DAI_BIEU.name]
    ws.row_dimensions[3].hidden = True
    wb[schema.DANH_MUC.name].sheet_state = "hidden"
    wb[schema.PHAN_CONG.name].sheet_state = "hidden"
    ws.column_dimensions["H"].hidden = True


def spaced_sheet_name(wb):
    wb[schema.KIEN_NGHI.name].title = f"  {schema.KIEN_NGHI.name} "
    wb[schema.DAI_BIEU.name].title = f" {schema.DAI_BIEU.name}"


def far_cell(wb):
    wb[schema.KIEN_NGHI.name]["XFD1048576"] = "ô cuối cùng"


def config_value(wb, label: str, value) -> None:
    ws = wb[schema.CAU_HINH.name]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == label:
            row[1].value = value
            return
    raise KeyError(label)


def impossible_config(wb):
    config_value(wb, "Số đại biểu tối thiểu mỗi tổ", 9)
    config_value(wb, "Số đại biểu tối đa mỗi tổ", 2)            # min > max
    config_value(wb, "Hạn xử lý mặc định (ngày làm việc)", -5)  # negative
    config_value(wb, "Thông báo trước hội nghị (ngày)", "bảy")  # text in a number
    config_value(wb, "Hạn báo cáo kết quả (ngày)", 10**9)       # absurd
    config_value(wb, "Ngày làm bù", "30/02/2024; hôm qua")


def empty_assignment(wb):
    ws = wb[schema.PHAN_CONG.name]
    ws.delete_rows(2, ws.max_row)


def blank_assignment_sheet(wb):
    ws = wb[schema.PHAN_CONG.name]
    ws.delete_rows(1, ws.max_row + 1)


def excel_lock(folder: Path) -> Path:
    path = write(folder, base_bytes())
    (Path(folder) / f"~${NAME}").write_bytes(b"\x0bNguyen Van A" + b" " * 40)
    return path


def libreoffice_lock(folder: Path) -> Path:
    path = write(folder, base_bytes())
    (Path(folder) / f".~lock.{NAME}#").write_text("Nguyen Van A,may-tinh,may-tinh,01.07.2024 08:00,file:///x;\n")
    return path


def output_parent_is_file(folder: Path) -> Path:
    """The default output folder ket-qua/ is a regular file: no one, not even root, can write under it."""
    path = write(folder, base_bytes())
    (Path(folder) / "ket-qua").write_text("không phải thư mục")
    return path


def missing_file(folder: Path) -> Path:
    return Path(folder) / "khong-co.xlsx"


# --- Running the command line -------------------------------------------------------------------

def _limit_memory() -> None:   # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m toolkit ARGS`` in a child process, time- and memory-bounded."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=TIME_LIMIT_S,
                          preexec_fn=_limit_memory if os.name == "posix" else None)


def staff_values(path: Path) -> dict[tuple[str, str], object]:
    """(sheet, cell) -> value of every non-empty cell of the staff-owned sheets."""
    wb = openpyxl.load_workbook(path)
    staff = {s.match_key for s in schema.DATA_SHEETS}
    from toolkit.core.text import header_key

    out = {}
    try:
        for ws in wb.worksheets:
            if header_key(ws.title) not in staff:
                continue
            # The cells that exist (iter_rows would create 16,384 x 1,048,576 of them for XFD1048576).
            for cell in list(ws._cells.values()):
                if cell.value is not None:
                    out[(ws.title, cell.coordinate)] = cell.value
    finally:
        wb.close()
    return out
