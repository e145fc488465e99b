from __future__ import annotations

import docx
import pytest

from clirun import doithoai


def test_report_ketqua_for_a_session(sample_copy, tmp_path):
    ran = doithoai("report", sample_copy, "--kind", "ketqua", "--session", "HN-2024-06", "--out", tmp_path)
    assert ran.code == 0, ran.text
    made = tmp_path / "bao-cao-ket-qua-HN-2024-06.docx"
    assert f"Đã tạo: {made}" in ran.out
    document = docx.Document(made)
    text = "\n".join([p.text for p in document.paragraphs]
                     + [c.text for t in document.tables for row in t.rows for c in row.cells])
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_report_unknown_session_lists_valid_codes(sample_copy, tmp_path):
    ran = doithoai("report", sample_copy, "--kind", "ketqua", "--session", "HN-2099", "--out", tmp_path)
    assert ran.code == 2
    assert "HN-2024-06" in ran.err and "--session" in ran.err


def test_report_phieuchuyen_for_one_department(sample_copy, tmp_path):
    ran = doithoai("report", sample_copy, "--kind", "phieuchuyen", "--department", "DC", "--out", tmp_path)
    assert ran.code == 0, ran.text
    assert [p.name for p in tmp_path.glob("*.docx")] == ["phieu-chuyen-DC.docx"]


def test_export_month_makes_xlsx_and_docx(sample_copy, tmp_path):
    ran = doithoai("export", sample_copy, "--month", "2024-06", "--out", tmp_path)
    assert ran.code == 0, ran.text
    assert (tmp_path / "tong-hop-thang-2024-06.xlsx").exists()
    assert (tmp_path / "bao-cao-thang-2024-06.docx").exists()


def test_export_bad_month_says_the_format(sample_copy, tmp_path):
    ran = doithoai("export", sample_copy, "--month", "6/2024", "--out", tmp_path)
    assert ran.code == 2
    assert "YYYY-MM" in ran.err


@pytest.mark.libreoffice
@pytest.mark.slow
def test_export_pdf_makes_the_month_report_as_pdf_too(sample_copy, tmp_path):
    import subprocess

    from conftest import need_program

    need_program("soffice")
    pdftotext = need_program("pdftotext")
    ran = doithoai("export", sample_copy, "--month", "2024-06", "--pdf", "--out", tmp_path)
    assert ran.code == 0, ran.text
    pdf = tmp_path / "bao-cao-thang-2024-06.pdf"
    assert f"Đã tạo: {pdf}" in ran.out
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "tháng 06/2024" in text or "THÁNG 6" in text.upper()
