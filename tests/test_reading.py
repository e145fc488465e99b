"""Reading a workbook: bytes, sniffing, tolerant headers, rows as Excel numbers them.

Also home of the small test-workbook builder the other check tests import
(``valid_rows``, ``write_workbook``, ``load_findings``): it writes a workbook
with openpyxl straight from schema.py, so these tests do not depend on
``toolkit.starter.create``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import os
import time
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from toolkit.pipeline import loading
from toolkit.xlsx import reading

from toolkit.core import schema
from toolkit.core.errors import WorkbookUnreadable

TODAY = dt.date(2025, 1, 15)
S = schema


# --- Builder -----------------------------------------------------------------------------

# What a register needs before its documents can be signed (a warning while blank: checks.check_signing).
SIGNING = {"ten_don_vi": "UBND phường Hà Cầu", "co_quan_cap_tren": "UBND thành phố Hà Nội", "dia_danh": "Hà Cầu",
           "chu_tich": "Nguyễn Văn An"}


def valid_rows() -> dict[str, list[dict]]:
    """A small workbook's worth of valid data, by sheet key and column key."""
    people = S.CATEGORY_PEOPLE
    return {
        "cau_hinh": [{"muc": item.label, "gia_tri": SIGNING.get(item.key, item.default)} for item in S.CONFIG_ITEMS],
        "danh_muc": [
            {key: values[i] if i < len(values) else None for key, (_h, values) in S.LISTS.items()}
            for i in range(max(len(v) for _h, v in S.LISTS.values()))
        ],
        "hoi_nghi": [
            {"ma": "HN-2024-06", "ten": "Hội nghị đối thoại 6 tháng đầu năm 2024", "ngay": dt.date(2024, 6, 20),
             "gio": dt.time(8, 0), "dia_diem": "Hội trường UBND phường", "chu_tri": "Nguyễn Văn An",
             "ngay_thong_bao": dt.date(2024, 6, 5)},
            {"ma": "HN-2024-11", "ten": "Hội nghị đối thoại 6 tháng cuối năm 2024", "ngay": dt.date(2024, 11, 20),
             "gio": "14:00", "ngay_thong_bao": "01/11/2024"},
        ],
        "to_dan_pho": [
            {"ma": "TDP01", "ten": "Tổ dân phố số 1", "to_truong": "Lê Thị Hoa", "dien_thoai": 912345678,
             "toi_thieu": 1, "toi_da": 3},
            {"ma": "TDP02", "ten": "Tổ dân phố số 2", "to_truong": "Phạm Văn Bình", "dien_thoai": "0987 654 321",
             "toi_thieu": 1, "toi_da": 3},
        ],
        "bo_phan": [
            {"ma": "VP", "ten": "Văn phòng - Thống kê", "email": "vp@phuong.gov.vn"},
            {"ma": "DC", "ten": "Địa chính - Xây dựng - Đô thị - Môi trường", "dien_thoai": "+84 24 3382 1234"},
        ],
        "phan_cong": [
            {"uu_tien": 1, "linh_vuc": "Đất đai", "tu_khoa": "đất; sổ đỏ", "chu_tri": "DC", "phoi_hop": "VP",
             "han": 10},
        ],
        "dai_bieu": [
            {"stt": 1, "ho_ten": "Trần Văn Cường", "gioi_tinh": "Nam", "nam_sinh": 1960, "thanh_phan": people,
             "to_dan_pho": "TDP01", "hoi_nghi": "HN-2024-06", "duoc_moi": "x", "co_mat": "x"},
            {"stt": 2, "ho_ten": "Nguyễn Thị Dung", "gioi_tinh": "Nữ", "nam_sinh": 1975, "thanh_phan": people,
             "to_dan_pho": "Tổ dân phố số 2", "hoi_nghi": "HN-2024-06", "dien_thoai": "0912 111 222",
             "duoc_moi": "có"},
            {"stt": 3, "ho_ten": "Nguyễn Văn An", "thanh_phan": "Lãnh đạo UBND phường", "chuc_vu": "Chủ tịch",
             "hoi_nghi": "HN-2024-06", "nam_sinh": "1970"},
            {"stt": 4, "ho_ten": "Đỗ Thu Hà", "gioi_tinh": "Nữ", "nam_sinh": 1982, "thanh_phan": people,
             "to_dan_pho": "TDP01", "hoi_nghi": "HN-2024-06"},
            {"stt": 5, "ho_ten": "Vũ Quang Minh", "gioi_tinh": "Nam", "nam_sinh": 1958, "thanh_phan": people,
             "to_dan_pho": "tdp02", "hoi_nghi": "HN-2024-06", "co_mat": "không"},
        ],
        "kien_nghi": [
            {"ma": "KN-2024-06-001", "hoi_nghi": "HN-2024-06", "ngay_tiep_nhan": dt.date(2024, 6, 20),
             "nguoi_kien_nghi": "Trần Văn Cường", "to_dan_pho": "TDP01", "linh_vuc": "Đất đai",
             "noi_dung": "Đề nghị sớm cấp sổ đỏ cho các hộ ngõ 5.", "hinh_thuc": "Trả lời bằng văn bản",
             "chu_tri": "DC", "phoi_hop": "VP", "han": dt.date(2024, 7, 4), "trang_thai": "Đã trả lời bằng văn bản",
             "ngay_tra_loi": "02/07/2024", "ket_qua": "Đã có văn bản trả lời số 12/UBND."},
            {"ma": "", "hoi_nghi": "HN-2024-06", "ngay_tiep_nhan": "20/06/2024",
             "nguoi_kien_nghi": "Nguyễn Thị Dung", "linh_vuc": "Môi trường - Vệ sinh",
             "noi_dung": "Rác thải tập kết ở đầu ngõ gây ô nhiễm.", "trang_thai": "Đang xử lý"},
        ],
    }


def write_workbook(path: Path, rows: dict[str, list[dict]] | None = None, *, header_row: int = 1,
                   start_col: int = 1, names: dict[str, str] | None = None, omit_sheets=(),
                   omit_columns: dict[str, set] | None = None, headers: dict[tuple[str, str], str] | None = None,
                   extra_columns: dict[str, list[str]] | None = None, nfd: bool = False,
                   reverse_columns: bool = False) -> Path:
    """Write ``rows`` as a workbook laid out by the schema (the knobs move things around)."""
    rows = valid_rows() if rows is None else rows
    names = names or {}
    omit_columns = omit_columns or {}
    headers = headers or {}
    extra_columns = extra_columns or {}

    def t(v):
        return unicodedata.normalize("NFD", v) if nfd and isinstance(v, str) else v

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for sheet in S.DATA_SHEETS:
        if sheet.key in omit_sheets:
            continue
        ws = wb.create_sheet(t(names.get(sheet.key, sheet.name)))
        cols = [c for c in sheet.columns if c.key not in omit_columns.get(sheet.key, set())]
        if reverse_columns:
            cols = cols[::-1]
        if header_row > 1:
            ws.cell(1, start_col, t("DANH SÁCH " + sheet.name.upper()))
        for j, c in enumerate(cols):
            ws.cell(header_row, start_col + j, t(headers.get((sheet.key, c.key), c.header)))
        for k, extra in enumerate(extra_columns.get(sheet.key, [])):
            ws.cell(header_row, start_col + len(cols) + k, t(extra))
        for i, record in enumerate(rows.get(sheet.key, [])):
            for j, c in enumerate(cols):
                v = record.get(c.key)
                if v is not None and v != "":
                    cell = ws.cell(header_row + 1 + i, start_col + j, t(v))
                    if isinstance(v, str) and v.startswith("="):
                        pass
                    elif isinstance(v, str):
                        cell.data_type = "s" if not v.startswith("#") else cell.data_type
            for k, _extra in enumerate(extra_columns.get(sheet.key, [])):
                ws.cell(header_row + 1 + i, start_col + len(cols) + k, "ghi chú riêng")
    wb.save(path)
    return path


def load_findings(path: Path, today: dt.date = TODAY) -> list[tuple]:
    """(code, sheet, row, column) of every finding, sorted."""
    loaded = loading.load(path, today=today)
    return sorted((f.code, f.sheet, f.row, f.column) for f in loaded.report)


def mutate(rows: dict, sheet_key: str, index: int, **changes) -> dict:
    out = copy.deepcopy(rows)
    out[sheet_key][index].update(changes)
    return out


def row_of(sheet_key: str, index: int, header_row: int = 1) -> int:
    """Excel row of the index-th data row."""
    return header_row + 1 + index


# --- Tests: the valid workbook -------------------------------------------------------------

def test_valid_workbook_has_no_findings(tmp_path):
    assert load_findings(write_workbook(tmp_path / "a.xlsx")) == []


def test_valid_workbook_is_read_into_typed_records(tmp_path):
    loaded = loading.load(write_workbook(tmp_path / "a.xlsx"), today=TODAY)
    ds = loaded.dataset
    assert [c.ma for c in ds.conferences] == ["HN-2024-06", "HN-2024-11"]
    assert ds.conferences[1].gio == dt.time(14, 0)
    assert ds.conferences[1].ngay_thong_bao == dt.date(2024, 11, 1)
    assert ds.groups[0].dien_thoai == "0912345678"
    assert ds.departments[1].dien_thoai == "02433821234"
    assert ds.rules[0].tu_khoa == ["đất", "sổ đỏ"]
    assert ds.delegates[0].duoc_moi is True and ds.delegates[0].row == 2
    assert ds.delegates[2].nam_sinh == 1970
    assert ds.petitions[0].ngay_tra_loi == dt.date(2024, 7, 2)
    assert ds.petitions[1].ma == "" and ds.petitions[1].row == 3
    assert ds.config.so_dai_bieu_toi_thieu == 5
    assert ds.config.noi_nhan_bao_cao[0] == "UBND tỉnh/thành phố"       # two-level: the province, no district
    assert ds.lists["gioi_tinh"] == ["Nam", "Nữ"]
    assert loaded.sha256 and loaded.data.startswith(b"PK")


def test_title_row_offset_and_columns_found_anywhere(tmp_path):
    """Header on row 3 under a title, data starting in column B: rows and cells keep Excel's numbers."""
    rows = mutate(valid_rows(), "kien_nghi", 1, ngay_tiep_nhan="31/02/2024")
    path = write_workbook(tmp_path / "a.xlsx", rows, header_row=3, start_col=2)
    loaded = loading.load(path, today=TODAY)
    table = loaded.dataset.tables["kien_nghi"]
    assert table.header_row == 3
    assert table.columns["ma"] == 2
    (f,) = list(loaded.report)
    assert (f.code, f.row, f.cell, f.ref) == ("date-invalid", 5, "D5", "Kiến nghị!D5")


def test_headers_tolerant_of_case_spaces_diacritics_and_order(tmp_path):
    headers = {("kien_nghi", "ngay_tiep_nhan"): "  NGAY TIEP NHAN ", ("dai_bieu", "ho_ten"): "họ và TÊN",
               ("kien_nghi", "noi_dung"): unicodedata.normalize("NFD", "Nội dung")}
    path = write_workbook(tmp_path / "a.xlsx", headers=headers, reverse_columns=True,
                          names={"kien_nghi": " kien nghi ", "dai_bieu": "ĐẠI BIỂU"},
                          extra_columns={"kien_nghi": ["Ghi chú của chị Lan"]})
    loaded = loading.load(path, today=TODAY)
    assert list(loaded.report) == []
    table = loaded.dataset.tables["kien_nghi"]
    assert table.title == " kien nghi "
    assert list(table.extra_headers.values()) == ["Ghi chú của chị Lan"]
    assert loaded.dataset.petitions[0].ngay_tiep_nhan == dt.date(2024, 6, 20)


def test_nfd_workbook_reads_as_nfc(tmp_path):
    loaded = loading.load(write_workbook(tmp_path / "a.xlsx", nfd=True), today=TODAY)
    assert list(loaded.report) == []
    assert loaded.dataset.delegates[0].ho_ten == "Trần Văn Cường"


def test_structural_findings_do_not_hide_other_sheets(tmp_path):
    rows = mutate(valid_rows(), "dai_bieu", 0, nam_sinh="abc")
    path = write_workbook(tmp_path / "a.xlsx", rows, omit_sheets={"bo_phan"},
                          omit_columns={"kien_nghi": {"noi_dung"}},
                          headers={("hoi_nghi", "ten"): "Mã hội nghị"})
    got = load_findings(path)
    exp = [
        ("column-duplicate", "Hội nghị", 1, "Mã hội nghị"),
        ("column-missing", "Hội nghị", 1, "Tên hội nghị"),
        ("column-missing", "Kiến nghị", 1, "Nội dung"),
        ("number-invalid", "Đại biểu", 2, "Năm sinh"),
        ("sheet-missing", "Bộ phận", None, None),
    ]
    assert got == exp


def test_header_not_found(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Phân công"]
    ws.delete_rows(1, ws.max_row)
    ws["A1"] = "trống"
    wb.save(path)
    assert load_findings(path) == [("header-not-found", "Phân công", None, None)]


def test_empty_rows_skipped_and_row_numbers_kept(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Kiến nghị"]
    ws.insert_rows(3, 4)   # four empty rows between the two petitions
    wb.save(path)
    loaded = loading.load(path, today=TODAY)
    assert [p.row for p in loaded.dataset.petitions] == [2, 7]
    assert list(loaded.report) == []


def test_formula_without_cached_value_is_unknown_not_a_finding(tmp_path):
    rows = valid_rows()
    rows["kien_nghi"][0]["ngay_tra_loi"] = "=C2+12"          # openpyxl saves no cached value
    rows["kien_nghi"][1]["nguoi_kien_nghi"] = '=D2'           # required column, formula
    path = write_workbook(tmp_path / "a.xlsx", rows)
    loaded = loading.load(path, today=TODAY)
    assert list(loaded.report) == []
    raw = loaded.dataset.tables["kien_nghi"].rows[0]
    assert raw.unknown == {"ngay_tra_loi"}


def test_excel_error_values_are_found(tmp_path):
    rows = mutate(valid_rows(), "kien_nghi", 0, ngay_tra_loi="#REF!")
    rows = mutate(rows, "dai_bieu", 1, ho_ten="#N/A")
    path = write_workbook(tmp_path / "a.xlsx", rows)
    assert load_findings(path) == [
        ("excel-error-value", "Kiến nghị", 2, "Ngày trả lời"),
        ("excel-error-value", "Đại biểu", 3, "Họ và tên"),
    ]


def padded(rows: dict, n: int = 300) -> dict:
    """``rows`` plus ``n`` valid petitions (copies of the first), so that Kiến nghị is the largest sheet:
    calamine parses it on its own thread while the other sheets are read, typed and checked."""
    first = valid_rows()["kien_nghi"][0]
    rows["kien_nghi"] += [dict(first, ma=f"KN-2024-06-{100 + i:03d}", noi_dung=f"Kiến nghị số {i} về sổ đỏ.")
                          for i in range(1, n + 1)]
    return rows


def test_largest_sheet_read_ahead_keeps_formulas_errors_and_row_numbers(tmp_path):
    rows = padded(valid_rows(), 398)
    rows["kien_nghi"][10]["ngay_tra_loi"] = "=C2+12"          # formula without cached value
    rows["kien_nghi"][20]["ngay_tra_loi"] = "#REF!"
    rows["dai_bieu"][1]["ho_ten"] = "#N/A"
    path = write_workbook(tmp_path / "a.xlsx", rows)
    with zipfile.ZipFile(path) as zf:
        sizes = {i.filename: i.file_size for i in zf.infolist() if i.filename.startswith("xl/worksheets/")}
    assert max(sizes, key=sizes.get) == "xl/worksheets/sheet8.xml"      # Kiến nghị: read ahead

    loaded = loading.load(path, today=TODAY)
    petitions = loaded.dataset.petitions
    assert [p.row for p in petitions] == list(range(2, 402))
    assert petitions[399].noi_dung == "Kiến nghị số 398 về sổ đỏ."
    assert loaded.dataset.tables["kien_nghi"].rows[10].unknown == {"ngay_tra_loi"}
    assert sorted((f.code, f.sheet, f.row) for f in loaded.report) == [
        ("excel-error-value", "Kiến nghị", 22), ("excel-error-value", "Đại biểu", 3)]
    assert list(loaded.dataset.tables) == [s.key for s in S.DATA_SHEETS]     # schema order, as before


def test_meanwhile_sees_every_sheet_but_the_petitions(tmp_path):
    """load(meanwhile=...) runs while Kiến nghị is parsed: config, lists, delegates... are final then."""
    path = write_workbook(tmp_path / "a.xlsx", padded(valid_rows(), 398))
    seen = []

    def meanwhile(ds):
        seen.append((ds.config.so_dai_bieu_toi_thieu, len(ds.delegates), len(ds.departments), len(ds.petitions),
                     "kien_nghi" in ds.tables))

    loaded = loading.load(path, today=TODAY, meanwhile=meanwhile)
    assert seen == [(5, 5, 2, 0, False)]
    assert len(loaded.dataset.petitions) == 400 and "kien_nghi" in loaded.dataset.tables


def test_meanwhile_is_not_called_when_petitions_are_not_the_largest_sheet(tmp_path):
    seen = []
    loading.load(write_workbook(tmp_path / "a.xlsx"), today=TODAY, meanwhile=seen.append)
    assert seen == []


def test_a_bug_in_the_early_work_is_not_called_an_unreadable_file(tmp_path):
    def meanwhile(ds):
        raise ZeroDivisionError("bug")

    with pytest.raises(ZeroDivisionError):
        loading.load(write_workbook(tmp_path / "a.xlsx", padded(valid_rows(), 398)), today=TODAY, meanwhile=meanwhile)


def test_far_cell_in_a_small_sheet_while_the_largest_is_read_ahead(tmp_path):
    """Kiến nghị passes the far-cell scan and is parsed ahead; Bộ phận then needs the far-cell copy."""
    rows = padded(valid_rows(), 398)
    rows["kien_nghi"][10]["ngay_tra_loi"] = "=C2+12"
    path = write_workbook(tmp_path / "a.xlsx", rows)
    wb = openpyxl.load_workbook(path)
    wb[S.BO_PHAN.name]["XFD1048576"] = "ô cuối cùng"
    wb.save(path)
    before = path.read_bytes()

    loaded = loading.load(path, today=TODAY)
    assert [(f.code, f.sheet, f.ref) for f in loaded.report] == [("far-cell-ignored", "Bộ phận", "Bộ phận!XFD1048576")]
    assert len(loaded.dataset.petitions) == 400
    assert loaded.dataset.tables["kien_nghi"].rows[10].unknown == {"ngay_tra_loi"}
    assert [d.ma for d in loaded.dataset.departments] == ["VP", "DC"]
    assert path.read_bytes() == before


# --- Bytes and sniffing ----------------------------------------------------------------------

def test_read_file_bytes_retries_while_file_is_missing(tmp_path):
    target = tmp_path / "a.xlsx"
    write_workbook(tmp_path / "src.xlsx")
    sleeps = []

    def sleep(seconds):   # the save "finishes" during the second wait
        sleeps.append(seconds)
        if len(sleeps) == 2:
            (tmp_path / "src.xlsx").rename(target)

    data = reading.read_file_bytes(target, sleep=sleep)
    assert data.startswith(b"PK") and sleeps == [0.1, 0.2]


def test_read_file_bytes_gives_up_with_a_finding(tmp_path):
    sleeps = []
    with pytest.raises(WorkbookUnreadable) as err:
        reading.read_file_bytes(tmp_path / "missing.xlsx", attempts=4, sleep=sleeps.append)
    assert err.value.finding.code == "file-not-found"
    assert sleeps == [0.1, 0.2, 0.4]
    assert "Không tìm thấy" in err.value.message


def _quiet(folder):
    """A folder nothing has changed in for a minute (as a clerk's folder usually is)."""
    old = time.time() - 60
    os.utime(folder, (old, old))
    return folder


def test_a_missing_file_in_a_quiet_folder_is_reported_at_once(tmp_path):
    sleeps = []
    with pytest.raises(WorkbookUnreadable) as err:
        reading.read_file_bytes(_quiet(tmp_path) / "go-sai-ten.xlsx", sleep=sleeps.append)
    assert err.value.finding.code == "file-not-found" and sleeps == []
    with pytest.raises(WorkbookUnreadable):
        reading.read_file_bytes(tmp_path / "khong-co-thu-muc" / "a.xlsx", sleep=sleeps.append)
    assert sleeps == []


def test_a_missing_file_is_waited_for_while_its_editor_holds_a_lock(tmp_path):
    (tmp_path / ".~lock.a.xlsx#").write_text("x")
    sleeps = []
    with pytest.raises(WorkbookUnreadable):
        reading.read_file_bytes(_quiet(tmp_path) / "a.xlsx", attempts=3, sleep=sleeps.append)
    assert sleeps == [0.1, 0.2]


def test_a_folder_is_refused_at_once(tmp_path):
    sleeps = []
    with pytest.raises(WorkbookUnreadable) as err:
        reading.read_file_bytes(tmp_path, sleep=sleeps.append)
    assert "là thư mục" in err.value.message and sleeps == []


def test_truncated_zip_is_retried_then_refused(tmp_path):
    data = write_workbook(tmp_path / "a.xlsx").read_bytes()
    (tmp_path / "a.xlsx").write_bytes(data[: len(data) // 2])
    sleeps = []
    with pytest.raises(WorkbookUnreadable) as err:
        reading.read_file_bytes(tmp_path / "a.xlsx", attempts=3, sleep=sleeps.append)
    assert err.value.finding.code == "file-unreadable" and len(sleeps) == 2


def _sniff_code(data: bytes) -> str | None:
    try:
        reading.sniff(data, name="x.xlsx")
    except WorkbookUnreadable as exc:
        return exc.finding.code
    return None


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return buf.getvalue()


def test_sniff_refuses_what_is_not_a_safe_xlsx(tmp_path):
    good = write_workbook(tmp_path / "a.xlsx").read_bytes()
    csv = "Họ và tên;Năm sinh\nTrần Văn Cường;1960\n".encode("utf-8")
    cases = [
        ("valid", good, None),
        ("empty", b"", "file-unreadable"),
        ("csv renamed", csv, "file-not-xlsx"),
        ("csv utf-16", "a\tb\n".encode("utf-16"), "file-not-xlsx"),
        ("html renamed", b"<html><table><tr><td>1</td></tr></table></html>", "file-not-xlsx"),
        ("binary junk", bytes(range(256)) * 4, "file-unreadable"),
        ("truncated zip", good[:2000], "file-unreadable"),
        ("docx", _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "file-not-xlsx"),
        ("ods", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "file-old-format"),
    ]
    got = [(name, _sniff_code(data)) for name, data, _ in cases]
    assert got == [(name, exp) for name, _, exp in cases]


def test_zip_bomb_is_refused_without_decompressing(tmp_path):
    bomb = _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<" + b"a" * (50 << 20) + b"/>"})
    assert len(bomb) < 1 << 20
    assert _sniff_code(bomb) == "file-too-large"


def test_zip_total_size_cap(monkeypatch):
    monkeypatch.setattr(reading, "MAX_TOTAL_UNCOMPRESSED", 1000)
    data = _zip({"xl/workbook.xml": b"<workbook/>", "xl/a.bin": bytes(2000)}, zipfile.ZIP_STORED)
    assert _sniff_code(data) == "file-too-large"


def test_xml_bomb_is_refused(tmp_path):
    path = write_workbook(tmp_path / "a.xlsx")
    lol = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
           b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
           b"<si><t>&lol2;</t></si></sst>")
    src = zipfile.ZipFile(path)
    members = {i.filename: src.read(i) for i in src.infolist()}
    members["xl/sharedStrings.xml"] = lol
    data = _zip(members)
    assert _sniff_code(data) == "file-too-large"
    bad = tmp_path / "bomb.xlsx"
    bad.write_bytes(data)
    with pytest.raises(WorkbookUnreadable) as err:
        loading.load(bad)
    assert err.value.finding.code == "file-too-large"


_DTD = b'<!DOCTYPE sst [<!ENTITY lol "lol">]>'
_SST = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>a</t></si></sst>'


@pytest.mark.parametrize("name,part,exp", [
    ("a plain part", b'<?xml version="1.0"?>\n' + _SST, None),
    ("a byte order mark first", b'\xef\xbb\xbf<?xml version="1.0"?>' + _SST, None),
    ("a long comment before the root", b'<?xml version="1.0"?><!--' + b"x" * 5000 + b"-->" + _SST, None),
    ("a DOCTYPE after the declaration", b'<?xml version="1.0"?>' + _DTD + _SST, "file-too-large"),
    ("a DOCTYPE after a comment that looks like a root", b'<?xml version="1.0"?><!-- <a -->' + _DTD + _SST,
     "file-too-large"),
    ("a DOCTYPE after a comment longer than the first read", b'<?xml version="1.0"?><!--' + b"x" * 5000 + b"-->"
     + _DTD + _SST, "file-too-large"),
    ("a DOCTYPE after many processing instructions", b'<?xml version="1.0"?>' + b"<?p x?>" * 400 + _DTD + _SST,
     "file-too-large"),
])
def test_a_dtd_anywhere_in_a_parts_prolog_is_refused(name, part, exp, tmp_path):
    """Each XML part's head is read only up to its root element when the prolog ends early (issue 25:
    64 KB of every part was read), never less than the whole prolog."""
    path = write_workbook(tmp_path / "a.xlsx")
    with zipfile.ZipFile(path) as src:
        members = {i.filename: src.read(i) for i in src.infolist()}
    members["xl/sharedStrings.xml"] = part
    got = _sniff_code(_zip(members))
    assert got == exp, name


def test_encrypted_workbook_is_file_encrypted(tmp_path):
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = write_workbook(tmp_path / "a.xlsx")
    out = io.BytesIO()
    with open(plain, "rb") as fh:
        OOXMLFile(fh).encrypt("matkhau", out)
    assert out.getvalue().startswith(b"\xd0\xcf\x11\xe0")
    assert _sniff_code(out.getvalue()) == "file-encrypted"
    assert msoffcrypto is not None


def test_csv_renamed_via_load_is_unreadable_with_clear_message(tmp_path):
    path = tmp_path / "danh sach.xlsx"
    path.write_text("STT,Họ và tên\n1,Trần Văn Cường\n", encoding="utf-8")
    with pytest.raises(WorkbookUnreadable) as err:
        loading.load(path)
    assert err.value.finding.code == "file-not-xlsx"
    assert "Lưu thành" in err.value.message
