from __future__ import annotations

import hashlib

import openpyxl

from clirun import doithoai
from toolkit.core import schema


def test_run_text_is_one_vietnamese_summary_line_and_the_dashboard_path(sample_copy):
    ran = doithoai("run", sample_copy)
    assert ran.code == 1   # the sample has deliberate errors
    lines = [line for line in ran.out.splitlines() if line.strip()]
    assert len(lines) == 2
    assert "80 kiến nghị" in lines[0] and "Đã ghi kết quả vào sổ" in lines[0]
    index = (sample_copy.parent / "ket-qua" / sample_copy.stem / "index.html").resolve()
    assert index.exists()
    assert lines[1] == f"Trang theo dõi (mở bằng trình duyệt): {index}"


def test_run_json_reports_counts_write_and_outputs(sample_copy, tmp_path):
    out = tmp_path / "ra"
    data = doithoai("run", sample_copy, "--format", "json", "--out", out).json()
    assert data["findings"]["error"] == 5
    assert data["written"] is True and data["write_reason"] is None
    assert data["rows"] == {"dai_bieu": 271, "kien_nghi": 80}
    names = {p.split("/")[-1] for p in data["outputs"]}
    assert {"tong-hop.xlsx", "index.html", "bao-cao-ket-qua-HN-2024-06.docx"} <= names
    assert set(data["rebuilt"]) == set(data["outputs"])
    again = doithoai("run", sample_copy, "--format", "json", "--out", out).json()
    assert again["written"] is False and again["write_reason"]["code"] == "unchanged"
    assert again["rebuilt"] == []


def test_run_while_open_in_excel_does_not_write(sample_copy):
    (sample_copy.parent / f"~${sample_copy.name}").write_text("x")
    before = hashlib.sha256(sample_copy.read_bytes()).hexdigest()
    ran = doithoai("run", sample_copy)
    assert "chưa ghi vào sổ" in ran.out
    assert hashlib.sha256(sample_copy.read_bytes()).hexdigest() == before


def test_run_fills_departments(sample_copy):
    doithoai("run", sample_copy)
    ws = openpyxl.load_workbook(sample_copy)[schema.KIEN_NGHI.name]
    header = {c.value: c.column for c in ws[1]}
    leads = [ws.cell(r, header[schema.KIEN_NGHI.col("chu_tri")]).value for r in range(2, 82)]
    assert all(leads)
