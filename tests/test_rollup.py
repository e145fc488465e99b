"""`doithoai rollup` as a library call: figures known from what the generator typed, the store's
incremental reading, ward files only read, no personal data in DIR, bad inputs reported."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import shutil
import sys
import unicodedata
import zipfile
from pathlib import Path

import pytest

import badfiles
from toolkit.rollup.run import rollup
from toolkit.starter.province import make_province, make_ward

AS_OF = dt.date(2025, 12, 1)
# The rules of DESIGN.md §12, spelled here (not imported from the code under test).
CLOSED = {"Đã trả lời tại hội nghị", "Đã trả lời bằng văn bản", "Đã giải quyết xong"}
FORWARDED_STATUS = "Đã chuyển cấp trên"
FORWARD_DEPT = {"Chuyển cấp trên", "CT"}


def expected_ward(w, as_of: dt.date) -> dict:
    answered = forwarded = overdue = 0
    for p in w.petitions:
        a = p.get("trang_thai") in CLOSED
        f = not a and (p.get("trang_thai") == FORWARDED_STATUS or p.get("chu_tri") in FORWARD_DEPT)
        answered += a
        forwarded += f
        overdue += (not a and not f and p.get("han") is not None and p["han"] < as_of)
    held = [c for c in w.conferences if c["ngay"] <= as_of]
    return {"file": w.file.relative_to(w.file.parents[1]).as_posix(), "ward": w.ward, "conferences": len(held),
            "petitions": len(w.petitions), "answered": answered, "overdue": overdue, "forwarded": forwarded}


def report_deadline(day: dt.date) -> dt.date:
    import holidays

    off = holidays.country_holidays("VN", years=[day.year, day.year + 1])
    last = day + dt.timedelta(days=10)
    while last.weekday() >= 5 or last in off:
        last += dt.timedelta(days=1)
    return last


def expected_deadlines(w, as_of: dt.date) -> tuple[int, int]:
    """(met, missed) over held conferences, from the dates the generator typed."""
    met = missed = 0
    for c in w.conferences:
        if c["ngay"] > as_of:
            continue
        notice = c["ngay_thong_bao"]
        n = None if notice is None else (c["ngay"] - notice).days >= 7
        sent = [t.get("ngay_hoan_thanh") for t in w.tasks
                if t["hoi_nghi"] == c["ma"] and t["cong_viec"].startswith("Báo cáo kết quả")]
        last = report_deadline(c["ngay"])
        done = [d for d in sent if d is not None]
        r = (min(done) <= last) if done else (False if as_of > last else None)
        if n is False or r is False:
            missed += 1
        elif n and r:
            met += 1
    return met, missed


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return make_province(tmp_path_factory.mktemp("tinh") / "tinh", 7, today=AS_OF)


@pytest.fixture
def copy(province, tmp_path):
    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    return folder


def test_each_wards_figures_are_what_its_register_says(province, copy):
    result = rollup(copy, as_of=AS_OF)
    got = result.as_json()
    exp = sorted((expected_ward(w, AS_OF) for w in province.wards), key=lambda r: r["file"])
    assert sorted(got["wards"], key=lambda r: r["file"]) == exp
    assert got["skipped"] == []
    assert got["totals"] == {"wards": len(exp), **{k: sum(r[k] for r in exp) for k in
                                                   ("conferences", "petitions", "answered", "overdue", "forwarded")}}
    deadlines = {r.file: (r.deadlines_met, r.deadlines_missed) for r in result.figures.wards.itertuples()}
    for w in province.wards:
        assert deadlines[expected_ward(w, AS_OF)["file"]] == expected_deadlines(w, AS_OF), w.ward
    assert result.exit_code == 0
    # the generated province has both kinds of forwarded petitions and overdue ones
    assert got["totals"]["forwarded"] and got["totals"]["overdue"]
    assert any(m for m, _x in deadlines.values()) and any(x for _m, x in deadlines.values())


def test_an_earlier_as_of_day_counts_fewer_overdue(copy, province):
    early = dt.date(2025, 8, 1)
    got = rollup(copy, as_of=early, render=False).as_json()
    exp = sorted((expected_ward(w, early) for w in province.wards), key=lambda r: r["file"])
    assert [r["overdue"] for r in got["wards"]] == [r["overdue"] for r in exp]
    assert [r["conferences"] for r in got["wards"]] == [r["conferences"] for r in exp]


def _petitions_of(out: Path, file: str) -> int:
    import duckdb

    con = duckdb.connect(str(out / "du-lieu.duckdb"), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM petitions WHERE file = ?", [file]).fetchone()[0]
    finally:
        con.close()


def test_unchanged_files_are_not_read_again_a_changed_one_is_replaced_a_removed_one_goes(copy, province):
    first = rollup(copy, as_of=AS_OF, render=False)
    files = sorted(r.file for r in first.figures.wards.itertuples())
    assert sorted(first.store.read) == files and first.store.unchanged == []

    second = rollup(copy, as_of=AS_OF, render=False)
    assert second.store.read == [] and second.store.unchanged == files

    changed = province.wards[2]
    rel = files[[f.endswith(changed.file.relative_to(province.folder).as_posix()) for f in files].index(True)]
    new = make_ward(copy / rel, 2, AS_OF, seed=99)          # the same ward, saved again with other petitions
    assert len(new.petitions) != len(changed.petitions)
    third = rollup(copy, as_of=AS_OF, render=False)
    assert third.store.read == [rel]
    assert _petitions_of(copy / "tong-hop-cap-tren", rel) == len(new.petitions)
    got = {r["file"]: r for r in third.as_json()["wards"]}
    assert got[rel] == dict(expected_ward(new, AS_OF), file=rel)

    gone = files[0]
    (copy / gone).unlink()
    fourth = rollup(copy, as_of=AS_OF, render=False)
    assert fourth.store.removed == [gone] and fourth.store.read == []
    assert _petitions_of(copy / "tong-hop-cap-tren", gone) == 0
    assert gone not in {r["file"] for r in fourth.as_json()["wards"]}


def _tree(folder: Path, skip: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file() and skip not in p.parents}


def test_ward_files_are_only_read(copy):
    out = copy / "tong-hop-cap-tren"
    before = _tree(copy, out)
    dirs_before = sorted(p for p in copy.rglob("*") if p.is_dir() and out not in p.parents and p != out)
    rollup(copy, as_of=AS_OF, parquet=True)
    rollup(copy, as_of=AS_OF)
    assert _tree(copy, out) == before
    assert sorted(p for p in copy.rglob("*") if p.is_dir() and out not in p.parents and p != out) == dirs_before
    assert not list(copy.rglob("ket-qua"))


def _all_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return data + b"".join(zf.read(n) for n in zf.namelist())
    return data


def test_no_personal_data_anywhere_in_dir(copy, province):
    out = copy / "tong-hop-cap-tren"
    result = rollup(copy, as_of=AS_OF, parquet=True)
    files = [p for p in out.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"du-lieu.duckdb", "tong-hop.xlsx", "kien-nghi-chuyen-cap-tren.xlsx", "index.html",
            "bao-cao-tong-hop.docx", "co-quan-tiep-nhan.xlsx"} <= names
    assert len(province.names) > 200 and len(province.phones) > 50
    blob = b"\n".join(_all_bytes(p) for p in files)
    text = blob.decode("utf-8", errors="ignore")
    for name in set(province.names):
        assert unicodedata.normalize("NFC", name) not in text, name
    for phone in set(province.phones):
        assert phone.encode() not in blob, phone
        assert phone[1:].encode() not in blob, phone         # also without its leading 0 (a number cell)
    # the DuckDB file may compress its strings: ask every text column of every table too
    import duckdb

    result.outputs  # noqa: B018 - the roll-up above closed the store
    con = duckdb.connect(str(out / "du-lieu.duckdb"), read_only=True)
    try:
        stored = []
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
            stored += [str(v) for row in con.execute(f"SELECT * FROM {table}").fetchall() for v in row]
    finally:
        con.close()
    joined = "\n".join(stored)
    assert "UBND phường" in joined                          # the grep above is not blind
    for name in set(province.names):
        assert name not in joined, name
    for phone in set(province.phones):
        assert phone not in joined and phone[1:] not in joined, phone


def _other_workbook(path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Danh sách"
    wb.active.append(["Họ tên", "Số tiền"])
    wb.save(path)


def _make_bad(folder: Path) -> dict[str, str]:
    """Bad inputs beside the good wards; their names -> a word their reason must hold."""
    bad = folder / "tep-loi"
    bad.mkdir()
    (bad / "rong.xlsx").write_bytes(b"")
    data = badfiles.base_bytes()
    (bad / "hong.xlsx").write_bytes(data[: len(data) // 2])
    badfiles.encrypted(bad).rename(bad / "mat-khau.xlsx")
    (bad / "cu.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    _other_workbook(bad / "bang-tinh-khac.xlsx")
    (bad / "~$doi-thoai.xlsx").write_bytes(b"\x0bNguoi dung" + b"\0" * 100)       # Excel's lock file: ignored
    (bad / ".~lock.doi-thoai.xlsx#").write_text("x,y,z;", encoding="utf-8")        # LibreOffice's: ignored
    return {"tep-loi/rong.xlsx": "0 byte", "tep-loi/hong.xlsx": "zip", "tep-loi/mat-khau.xlsx": "mật khẩu",
            "tep-loi/cu.xlsx": "OLE", "tep-loi/bang-tinh-khac.xlsx": "Không phải sổ đối thoại"}


def test_bad_inputs_are_each_reported_and_the_rest_rolled_up(copy, province):
    expected = _make_bad(copy)
    # two files of the same ward: a copy of one ward elsewhere, saved earlier
    first = province.wards[0].file.relative_to(province.folder)
    dup = copy / "ban-sao" / "doi-thoai-cu.xlsx"
    dup.parent.mkdir()
    shutil.copyfile(copy / first, dup)
    os.utime(dup, (1_600_000_000, 1_600_000_000))
    # a register with an unreadable Hạn xử lý cell
    broken = province.wards[1].file.relative_to(province.folder)
    import openpyxl
    wb = openpyxl.load_workbook(copy / broken)
    ws = wb["Kiến nghị"]
    col = [c.value for c in ws[1]].index("Hạn xử lý") + 1
    ws.cell(3, col).value = "31/02/2025"
    wb.save(copy / broken)

    result = rollup(copy, as_of=AS_OF)
    got = result.as_json()
    reasons = {s["file"]: s["reason"] for s in got["skipped"]}
    for file, word in expected.items():
        assert word.lower() in reasons[file].lower(), (file, reasons.get(file))
    assert "ban-sao/doi-thoai-cu.xlsx" in reasons and first.as_posix() in reasons["ban-sao/doi-thoai-cu.xlsx"]
    from openpyxl.utils import get_column_letter
    assert f"{get_column_letter(col)}3" in reasons[broken.as_posix()] and "Hạn xử lý" in reasons[broken.as_posix()]
    assert not any("lock" in f or "~$" in f for f in reasons)
    assert len(got["wards"]) == len(province.wards)           # every good ward still rolled up
    rows = {r["file"]: r for r in got["wards"]}
    assert rows[broken.as_posix()]["petitions"] == len(province.wards[1].petitions) - 1
    assert result.exit_code == 1
    for reason in reasons.values():                               # Vietnamese, and says what to do
        assert any(w in reason for w in ("Mở", "mở", "Xóa", "xóa", "chuyển", "Đợi", "sửa", "Sửa", "Không xử lý"))
    # the dashboard and the error sheet list them
    html = (copy / "tong-hop-cap-tren" / "index.html").read_text(encoding="utf-8")
    import python_calamine as pc
    wb = pc.CalamineWorkbook.from_path(str(copy / "tong-hop-cap-tren" / "tong-hop.xlsx"))
    sheet = [r[0] for r in wb.get_sheet_by_name("Tệp chưa tổng hợp").to_python()]
    for file in reasons:
        assert file in html and file in sheet


def test_nothing_rolled_up_is_exit_2(tmp_path):
    folder = tmp_path / "tinh"
    folder.mkdir()
    (folder / "rong.xlsx").write_bytes(b"")
    result = rollup(folder, as_of=AS_OF)
    assert result.exit_code == 2
    assert result.as_json() == {"wards": [], "skipped": [{"file": "rong.xlsx", "reason": result.skipped[0].reason}],
                                "totals": {"wards": 0, "conferences": 0, "petitions": 0, "answered": 0,
                                           "overdue": 0, "forwarded": 0}}


def test_forwarded_petitions_go_to_the_body_the_office_typed(copy, province):
    import openpyxl
    import python_calamine as pc

    out = copy / "tong-hop-cap-tren"
    rollup(copy, as_of=AS_OF)
    table = out / "co-quan-tiep-nhan.xlsx"
    wb = openpyxl.load_workbook(table)
    ws = wb.active
    rows = {ws.cell(r, 1).value: r for r in range(2, ws.max_row + 1)}
    ws.cell(rows["Giao thông - Hạ tầng"], 2).value = "Sở Giao thông thử nghiệm"
    wb.save(table)
    rollup(copy, as_of=AS_OF)
    exp = sorted((w.ward, p["ma"]) for w in province.wards for p in w.petitions
                 if p["linh_vuc"] == "Giao thông - Hạ tầng" and p.get("trang_thai") not in CLOSED
                 and (p.get("trang_thai") == FORWARDED_STATUS or p.get("chu_tri") in FORWARD_DEPT))
    assert exp
    book = pc.CalamineWorkbook.from_path(str(out / "kien-nghi-chuyen-cap-tren.xlsx"))
    assert "Sở Giao thông thử nghiệm" in book.sheet_names
    grid = book.get_sheet_by_name("Sở Giao thông thử nghiệm").to_python()
    assert sorted((r[0], r[1]) for r in grid[3:]) == exp
    # the edited table is read back, never rewritten
    assert openpyxl.load_workbook(table).active.cell(rows["Giao thông - Hạ tầng"], 2).value == "Sở Giao thông thử nghiệm"


def test_parquet_is_partitioned_by_province_and_ward(copy, province):
    import duckdb

    rollup(copy, as_of=AS_OF, parquet=True)
    base = copy / "tong-hop-cap-tren" / "parquet" / "petitions"
    provinces = [p for p in base.iterdir() if p.is_dir()]
    assert len(provinces) == 1 and provinces[0].name.startswith("tinh=")
    parts = sorted(p.name for p in provinces[0].iterdir() if p.is_dir())
    assert len(parts) == len(province.wards) and all(p.startswith("ward=") for p in parts)
    con = duckdb.connect()
    got = dict(con.execute(f"SELECT ward, count(*) FROM read_parquet('{base.as_posix()}/*/*/*.parquet', "
                           "hive_partitioning=true) GROUP BY ward").fetchall())
    tinh = {r[0] for r in con.execute(f"SELECT DISTINCT tinh FROM read_parquet('{base.as_posix()}/*/*/*.parquet', "
                                       "hive_partitioning=true)").fetchall()}
    assert tinh == {w.config["co_quan_cap_tren"] for w in province.wards}
    assert got == {w.ward: len(w.petitions) for w in province.wards}


def test_a_damaged_store_is_rebuilt_from_the_ward_files(copy, province):
    first = rollup(copy, as_of=AS_OF, render=False).as_json()
    (copy / "tong-hop-cap-tren" / "du-lieu.duckdb").write_bytes(b"not a database" * 100)
    again = rollup(copy, as_of=AS_OF, render=False)
    assert again.store.rebuilt and len(again.store.read) == len(province.wards)
    assert again.as_json() == first


def test_a_blank_cell_still_counts_an_unreadable_one_does_not(copy, province):
    import openpyxl

    w = province.wards[3]
    rel = w.file.relative_to(province.folder)
    wb = openpyxl.load_workbook(copy / rel)
    ws = wb["Kiến nghị"]
    header = [c.value for c in ws[1]]
    ws.cell(2, header.index("Hạn xử lý") + 1).value = None              # blank: counts, never overdue
    ws.cell(3, header.index("Ngày trả lời") + 1).value = "#REF!"       # an error value typed: unreadable
    wb.save(copy / rel)
    got = {r["file"]: r for r in rollup(copy, as_of=AS_OF, render=False).as_json()["wards"]}[rel.as_posix()]
    kept = [dict(p) for p in w.petitions]
    kept[0]["han"] = None
    del kept[1]
    exp = expected_ward(type(w)(w.file, w.ward, w.config, w.conferences, w.tasks, kept, w.delegates), AS_OF)
    assert got == dict(exp, file=rel.as_posix())


def test_the_workbooks_have_native_charts_and_the_report_is_nd30(copy, province):
    import docx
    import python_calamine as pc

    out = copy / "tong-hop-cap-tren"
    rollup(copy, as_of=AS_OF)
    with zipfile.ZipFile(out / "tong-hop.xlsx") as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    book = pc.CalamineWorkbook.from_path(str(out / "tong-hop.xlsx"))
    assert book.sheet_names == ["Theo phường", "Theo lĩnh vực", "Hạn luật định", "Tệp chưa tổng hợp"]
    rows = book.get_sheet_by_name("Theo phường").to_python()
    wards = [r[1] for r in rows[3:] if r[1] and r[1] != "Tổng cộng"]
    assert sorted(wards) == sorted(w.ward for w in province.wards)
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[5] == sum(len(w.petitions) for w in province.wards)
    doc = docx.Document(str(out / "bao-cao-tong-hop.docx"))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 30 <= round(section.left_margin.mm) <= 35 and 15 <= round(section.right_margin.mm) <= 20
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "BÁO CÁO" in text and "Nơi nhận:" in "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "STT" and "Đơn vị" in t.rows[0].cells[1].text)
    assert sorted(r.cells[1].text for r in table.rows[1:-1]) == sorted(w.ward for w in province.wards)
    assert table.rows[-1].cells[1].text == "Tổng cộng"


@pytest.mark.slow
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_many_changed_wards_are_read_in_worker_processes_with_the_same_figures(tmp_path, method, monkeypatch):
    from toolkit.rollup import run

    if method not in __import__("multiprocessing").get_all_start_methods():
        pytest.skip(f"no {method} here")
    big = make_province(tmp_path / "tinh", 26, today=AS_OF)
    monkeypatch.setattr(run, "START_METHOD", method)
    monkeypatch.setattr(run.os, "cpu_count", lambda: 2)
    assert run._workers(26) == 2
    got = rollup(big.folder, as_of=AS_OF, render=False).as_json()
    exp = sorted((expected_ward(w, AS_OF) for w in big.wards), key=lambda r: r["file"])
    assert sorted(got["wards"], key=lambda r: r["file"]) == exp


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_one_changed_file_is_read_by_a_forked_worker_while_the_libraries_load(province):
    from toolkit.rollup import run

    ward = province.wards[2]
    job = (ward.file, ward.file.relative_to(province.folder).as_posix())
    ran = []
    got = run.read_changed([job], None, 0, 1, meanwhile=lambda: ran.append(os.getpid()))
    assert ran == [os.getpid()]                      # the imports ran here, once
    assert got == [run.read_file(*job)]              # the worker's read is this process's read
    digest, result = got[0]
    assert result.ward == ward.ward and len(result.petitions) == len(ward.petitions)


def test_a_ward_name_is_text_everywhere_never_a_formula_markup_or_template(copy, province):
    import docx
    import openpyxl

    rel = province.wards[0].file.relative_to(province.folder)
    name = '=HYPERLINK("http://x") {{ 7*7 }} <b>đậm</b>'
    wb = openpyxl.load_workbook(copy / rel)
    cell = next(r[1] for r in wb["Cấu hình"].iter_rows(min_row=2) if r[0].value == "Tên đơn vị")
    cell.value = name
    cell.data_type = "s"                      # typed text, not a formula (openpyxl would take "=" for one)
    wb.save(copy / rel)
    out = copy / "tong-hop-cap-tren"
    result = rollup(copy, as_of=AS_OF)
    with zipfile.ZipFile(out / "tong-hop.xlsx") as zf:
        sheets = b"".join(zf.read(n) for n in zf.namelist() if n.startswith("xl/worksheets/"))
        strings = zf.read("xl/sharedStrings.xml").decode("utf-8")
    assert b"<f>" not in sheets
    assert "=HYPERLINK(&quot;http://x&quot;) {{ 7*7 }} &lt;b&gt;đậm&lt;/b&gt;" in strings or \
        '=HYPERLINK("http://x") {{ 7*7 }} &lt;b&gt;đậm&lt;/b&gt;' in strings
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;đậm&lt;/b&gt;" in html and "<b>đậm</b>" not in html
    cells = [c.text for t in docx.Document(str(out / "bao-cao-tong-hop.docx")).tables for r in t.rows for c in r.cells]
    assert name in cells
    # the table of wards is spliced from the template's own row: the very XML docxtpl renders
    from toolkit.outputs.documents.common import render_source
    from toolkit.outputs.wordtemplates import PACKAGED_DIR
    from toolkit.rollup import report

    jinja = render_source(PACKAGED_DIR / report.TEMPLATE, report.context(result.figures), splice_rows=False)
    with zipfile.ZipFile(out / "bao-cao-tong-hop.docx") as got, zipfile.ZipFile(io.BytesIO(jinja)) as exp:
        assert got.read("word/document.xml") == exp.read("word/document.xml")


def test_the_toolkits_own_folders_and_lock_files_are_not_read(copy, province):
    ward_dir = province.wards[0].file.parent.relative_to(province.folder)
    for sub in ("ket-qua/so", "sao-luu/so", "phan-hoi/so", "mau-van-ban", "tinh-cu/tong-hop-cap-tren", ".an"):
        folder = copy / ward_dir / sub
        folder.mkdir(parents=True)
        _other_workbook(folder / "bang.xlsx")
    (copy / ward_dir / "~$doi-thoai-2025.xlsx").write_bytes(b"\x0bNguoi dung")
    (copy / ward_dir / ".~lock.doi-thoai-2025.xlsx#").write_text("x", encoding="utf-8")
    got = rollup(copy, as_of=AS_OF, render=False).as_json()
    assert got["skipped"] == [] and len(got["wards"]) == len(province.wards)


def test_each_wards_figures_equal_its_own_dashboard(copy, province):
    """DESIGN.md §12: a ward's figure in the roll-up equals that ward's own dashboard as of the same day."""
    pytest.importorskip("toolkit.core.status", reason="the ward's own predicates (core.status) are not here yet")
    from toolkit.outputs import summaries
    from toolkit.pipeline import loading

    got = {r["file"]: r for r in rollup(copy, as_of=AS_OF, render=False).as_json()["wards"]}
    for w in province.wards:
        rel = w.file.relative_to(province.folder).as_posix()
        loaded = loading.load(copy / rel, today=AS_OF)
        own = summaries.build(loaded.dataset, loaded.report, today=AS_OF).numbers
        assert {k: got[rel][k] for k in ("petitions", "answered", "forwarded", "overdue")} == \
            {k: own[k] for k in ("petitions", "answered", "forwarded", "overdue")}, w.ward


@pytest.mark.parametrize("as_of", [dt.date(2024, 12, 10), dt.date(2025, 3, 3)])
def test_a_register_with_rows_its_checks_reject_rolls_up_as_its_own_dashboard(sample_copy, as_of):
    """The committed sample holds deliberate errors (a Lĩnh vực not in the list, a date that is no date, an
    answered status without its answer): the ward's dashboard leaves those rows out, so does the roll-up."""
    import openpyxl

    from toolkit.outputs import summaries
    from toolkit.pipeline import loading

    before = sample_copy.read_bytes()
    got = rollup(sample_copy.parent, as_of=as_of, render=False).as_json()
    [ward] = got["wards"]
    loaded = loading.load(sample_copy, today=as_of)
    own = summaries.build(loaded.dataset, loaded.report, today=as_of).numbers
    keys = ("petitions", "answered", "forwarded", "overdue")
    assert {k: ward[k] for k in keys} == {k: own[k] for k in keys}
    ws = openpyxl.load_workbook(sample_copy, read_only=True)["Kiến nghị"]
    typed = sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(v is not None for v in row))
    assert ward["petitions"] < typed                      # some rows were left out, and said so
    [said] = got["skipped"]                                 # reported with the cells to fix, the ward still counted
    assert said["file"] == sample_copy.name and "3 dòng ở sheet Kiến nghị có lỗi" in said["reason"]
    assert sample_copy.read_bytes() == before
