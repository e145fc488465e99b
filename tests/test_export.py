"""Monthly export (issue 4, point 5): .xlsx with charts and the .docx monthly report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import openpyxl
import pytest
from docx import Document

import docsample as S
from toolkit.outputs import export
from toolkit.core import model
from toolkit.core.errors import UsageError


def _expected(ds: model.Dataset, year: int, month: int) -> dict:
    """Figures computed straight from the records (independently of summaries)."""
    first = dt.date(year, month, 1)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    ref = min(last, S.TODAY)
    closed = ("Đã trả lời tại hội nghị", "Đã trả lời bằng văn bản", "Đã giải quyết xong")

    def overdue(p):
        if p.trang_thai == "Đã chuyển cấp trên" or not p.han or p.han >= ref:
            return False
        return p.trang_thai not in closed or (p.ngay_tra_loi and p.ngay_tra_loi > ref)

    return {
        "received": sum(1 for p in ds.petitions if first <= p.ngay_tiep_nhan <= last),
        "answered": sum(1 for p in ds.petitions if p.trang_thai in closed and p.ngay_tra_loi
                        and first <= p.ngay_tra_loi <= last),
        "overdue": sum(1 for p in ds.petitions if overdue(p)),
    }


def _key_numbers(path) -> list[int]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[:2] == ("Chỉ tiêu", "Số lượng"))
    return [rows[start + k][1] for k in (1, 2, 3)]


@pytest.mark.parametrize("month,exp", [
    (6, {"received": 6, "answered": 1, "overdue": 0}),
    (7, {"received": 0, "answered": 1, "overdue": 2}),
])
def test_export_month_writes_workbook_with_charts_and_report(month, exp, tmp_path):
    ds = S.dataset()
    assert _expected(ds, 2024, month) == exp
    out = export.export_month(ds, None, tmp_path, year=2024, month=month, today=S.TODAY)
    names = sorted(p.name for p in out)
    assert names == [f"bao-cao-thang-2024-{month:02d}.docx", f"tong-hop-thang-2024-{month:02d}.xlsx"]
    xlsx = tmp_path / f"tong-hop-thang-2024-{month:02d}.xlsx"
    assert _key_numbers(xlsx) == [exp["received"], exp["answered"], exp["overdue"]]
    with zipfile.ZipFile(xlsx) as z:
        assert any(n.startswith("xl/charts/chart") for n in z.namelist())
    text = S.all_text(tmp_path / f"bao-cao-thang-2024-{month:02d}.docx")
    assert (f"Trong tháng tiếp nhận {exp['received']} kiến nghị; đã trả lời, giải quyết {exp['answered']} "
            "kiến nghị") in text
    assert f"trong đó {exp['overdue']} kiến nghị quá hạn." in text
    assert sorted(p.name for p in tmp_path.iterdir()) == names     # no temporary files left


def test_typed_formula_text_stays_text_in_the_export(tmp_path):
    ds = S.dataset()
    ds.petitions[0].noi_dung = "=HYPERLINK(\"http://x\",\"bấm\")"
    ds.petitions[0].nguoi_kien_nghi = "@Nguyễn Văn An"
    export.export_month(ds, None, tmp_path, year=2024, month=7, today=S.TODAY)
    ws = openpyxl.load_workbook(tmp_path / "tong-hop-thang-2024-07.xlsx").worksheets[0]
    cells = {c.value: c.data_type for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells['=HYPERLINK("http://x","bấm")'] == "s"
    assert "@Nguyễn Văn An" not in cells            # no citizen's name in the summary workbook (privacy)
    assert '=HYPERLINK("http://x","bấm")' in S.all_text(tmp_path / "bao-cao-thang-2024-07.docx")


def test_month_without_data_is_a_usage_error_and_writes_nothing(tmp_path):
    with pytest.raises(UsageError) as err:
        export.export_month(S.dataset(), None, tmp_path, year=2023, month=12, today=S.TODAY)
    assert "2024-06, 2024-07" in err.value.message and "--month" in err.value.message
    assert list(tmp_path.iterdir()) == []


def test_monthly_report_without_month_takes_the_latest_active_month(tmp_path):
    from toolkit.outputs import documents
    ds = S.dataset()
    out = documents.render_report("thang", ds, None, tmp_path, today=dt.date(2024, 9, 3))
    assert [p.name for p in out] == ["bao-cao-thang-2024-07.docx"]
    # Any month with data, and today's month, can be asked for.
    assert documents.active_months(ds, dt.date(2024, 9, 3)) == [(2024, 6), (2024, 7), (2024, 9), (2024, 11)]


def test_month_report_names_the_longest_overdue_and_the_workbook_lists_them_all(tmp_path):
    """A ward far behind: the report the Chairman signs gives the count and the 30 petitions overdue
    the longest (docs/ARCHITECTURE.md, *One pass*); the month's workbook sent with it lists all 45."""
    ds = S.dataset()
    first = ds.petitions[0]           # open, Hạn xử lý 05/07/2024: overdue at the month's end
    late = [dataclasses.replace(first, row=100 + i, ma=f"KN-2024-06-{100 + i:03d}",
                                han=dt.date(2024, 6, 1) + dt.timedelta(days=i), noi_dung=f"Kiến nghị số {i}.")
            for i in range(45)]
    ds = dataclasses.replace(ds, petitions=ds.petitions + late)
    export.export_month(ds, None, tmp_path, year=2024, month=7, today=S.TODAY)
    doc = Document(str(tmp_path / "bao-cao-thang-2024-07.docx"))
    listed = [r.cells[1].text for t in doc.tables for r in t.rows if r.cells[1].text.startswith("KN-")]
    exp = [f"KN-2024-06-{100 + i:03d}" for i in range(30)]      # the earliest deadlines are the longest overdue
    assert listed == exp
    text = S.all_text(tmp_path / "bao-cao-thang-2024-07.docx")
    assert ("có 47 kiến nghị quá hạn xử lý; dưới đây là 30 kiến nghị quá hạn lâu nhất, danh sách đầy đủ tại "
            "biểu tổng hợp kèm theo:") in text
    ws = openpyxl.load_workbook(tmp_path / "tong-hop-thang-2024-07.xlsx").worksheets[0]
    codes = {c.value for row in ws.iter_rows() for c in row if str(c.value or "").startswith("KN-2024-06-1")}
    assert codes >= {f"KN-2024-06-{100 + i:03d}" for i in range(45)}


def test_the_pass_hands_its_month_summary_to_the_report_and_the_report_is_the_same(tmp_path):
    """A pass builds the month's summary once (of the whole register with its findings, for the
    workbook) and the monthly report's context reads it: the same context as the report made alone
    from the usable rows, on the sample whose rows with errors are left out."""
    from pathlib import Path

    from toolkit.outputs import summaries
    from toolkit.outputs.documents import common, thang
    from toolkit.pipeline import loading

    loaded = loading.load(Path(__file__).resolve().parents[1] / "workbooks" / "mau" / "doi-thoai-2024.xlsx")
    ds, report = loaded.dataset, loaded.report
    today = dt.date(2024, 7, 20)
    cal = common.working_calendar(ds)
    summary = summaries.build(ds, report, today=today, calendar=cal)
    assert summary.left_out is not None and summary.left_out.rows     # the sample has rows left out
    months = thang.active_months(ds, today)
    assert months
    for year, month in months:
        alone = thang.thang_context(ds, summary, year, month, today=today, calendar=cal)
        handed = thang.thang_context(ds, summary, year, month, today=today, calendar=cal,
                                     month_summary=summaries.month_summary(ds, year, month, today=today,
                                                                           calendar=cal, report=report))
        assert _plain(handed) == _plain(alone), (year, month)


def _plain(value):
    """A context with docxtpl's Listing (compared by identity) as its text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return getattr(value, "xml", value)
