"""`report --kind kehoach --year YYYY`: the year's Kế hoạch from the workbook, with the seed
plan's structure (its section headings in order) and the workbook's facts; PDF by LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest

from clirun import doithoai
from conftest import SEED_PLAN, need_program
from toolkit.pipeline import passes
from toolkit.core import schema
from toolkit.core.text import ascii_fold

SEED = SEED_PLAN
TODAY = dt.date(2024, 5, 6)
_HEADING = re.compile(r"^(I{1,3}|[1-9])\.\s+(.*)$")


def _fold(text: str) -> str:
    return " ".join(ascii_fold(text).replace("đ", "d").split())


def seed_outline() -> tuple[list[str], list[str], list[str]]:
    """(the seed plan's headings up to III, its department headings in III, its programme items)."""
    text = SEED.read_text(encoding="utf-8")
    headings, departments, programme = [], [], []
    section = None
    in_programme = False
    for raw in text.splitlines():
        bold = re.match(r"^[#\s]*\*\*(.+?)\*\*", raw)     # a heading is the bold start of its line
        line = (bold.group(1) if bold else raw).replace("*", "").replace("#", "").strip()
        m = _HEADING.match(line)
        if m:
            title = m.group(2).split(":")[0].strip()
            if not bold and not raw.startswith("#"):     # a heading is bold, or a markdown heading
                continue
            in_programme = False
            if m.group(1) in ("I", "II", "III"):
                section = m.group(1)
                headings.append(f"{m.group(1)}. {title}")
            elif section == "III":
                departments.append(title)
            else:
                headings.append(f"{m.group(1)}. {title}")
                in_programme = title.startswith("Chương trình")
        elif in_programme and line.startswith("- "):
            programme.append(line[2:])
    return headings, departments, programme


def doc_text(path: Path) -> list[str]:
    return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]


@pytest.fixture
def plan(sample_copy, tmp_path) -> Path:
    made = passes.make_report(sample_copy, kind="kehoach", year=2024, out_dir=tmp_path / "out", today=TODAY)
    assert [p.name for p in made] == ["ke-hoach-2024.docx"]
    return made[0]


def test_headings_follow_the_seed_plan_in_order(plan):
    exp, seed_departments, _ = seed_outline()
    assert exp[0] == "I. MỤC ĐÍCH, YÊU CẦU" and exp[-1] == "III. TỔ CHỨC THỰC HIỆN" and len(exp) == 11
    lines = doc_text(plan)
    got = [line for line in lines if _HEADING.match(line) and len(line) < 80]
    got_top = got[:got.index("III. TỔ CHỨC THỰC HIỆN") + 1]
    assert [_fold(h) for h in got_top] == [_fold(h) for h in exp]
    # III: one heading per department of the plan, named as in the workbook's Bộ phận.
    departments = got[len(got_top):]
    assert len(departments) == len(seed_departments) == 5
    for seed_name, words in zip(seed_departments, ("van phong", "van hoa - thong tin", "tai chinh - ke toan",
                                                   "cong an", "mttq")):
        assert words in _fold(seed_name) or (words == "mttq" and "mat tran to quoc" in _fold(seed_name))
        assert any(words in _fold(d) for d in departments), (words, departments)


def test_facts_come_from_the_workbook(plan, sample_copy):
    _, _, programme = seed_outline()
    lines = doc_text(plan)
    text = "\n".join(lines)
    folded = _fold(text)
    # title and signature block, NĐ 30 header
    assert lines[:3] == ["KẾ HOẠCH", "Đối thoại giữa Chủ tịch UBND phường Hà Cầu",
                         "với Nhân dân trên địa bàn năm 2024"]
    tables = docx.Document(str(plan)).tables
    header = " ".join(c.text for c in tables[0].rows[0].cells)
    assert header.startswith("ỦY BAN NHÂN DÂN\nPHƯỜNG HÀ CẦU") and "Số:" in header and "/KH-UBND" in header
    assert "QUẬN" not in header                    # no body above a People's Committee (NĐ 30 Phụ lục I)
    # dated 30 days before its first conference (21/06/2024), the due day of its own task, not the day it is made
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "Hà Cầu, ngày 22 tháng 5 năm 2024" in header
    signature = [c.text for c in tables[-1].rows[0].cells]
    assert "CHỦ TỊCH" in signature[1] and "Phạm Quang Huy" in signature[1]
    noi_nhan = [line for line in signature[0].split("\n") if line.startswith("- ")]
    assert noi_nhan[0] == "- UBND quận;" and noi_nhan[-1] == "- Lưu: VT, VP." and len(noi_nhan) == 7
    # legal basis from Cấu hình
    assert "Căn cứ Điều 12 Nghị định số 32/2021/NĐ-CP" in text
    # conferences with their dates and place
    assert "thứ Sáu ngày 21/06/2024" in text and "thứ Sáu ngày 22/11/2024" in text
    assert "Địa điểm: Hội trường tầng 3" in text
    # participants by category with the per-group quota
    people = next(line for line in lines if line.startswith("- Đại diện Nhân dân"))
    assert "20 tổ dân phố" in people and "từ 5 đến 7 đại biểu" in people
    from toolkit.starter.sample import THANH_PHAN_2024      # the 2024 sample keeps its district (history)

    for category in THANH_PHAN_2024:
        assert any(line.startswith(f"- {category}") for line in lines), category
    # the plan's programme, item by item
    for item in programme:
        assert _fold(item) in folded, item
    # each department's tasks from Công việc, with their Hạn
    assert "- Thông báo trên đài truyền thanh về chương trình, nội dung, thời gian và địa điểm đối thoại " \
           "(hạn: 7 ngày trước hội nghị)." in lines
    assert "- Báo cáo kết quả hội nghị đối thoại gửi cấp trên (hạn: 10 ngày sau hội nghị)." in lines


def test_legal_basis_and_tasks_are_editable_in_the_workbook(sample_copy, tmp_path):
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[schema.CAU_HINH.name]
    for row in ws.iter_rows(min_row=2):
        if row[0].value == "Căn cứ ban hành Kế hoạch":
            row[1].value = "Luật Thực hiện dân chủ ở cơ sở năm 2022; Căn cứ Quyết định số 1/QĐ-UBND"
    tasks = wb[schema.CONG_VIEC.name]
    tasks.cell(2, 2).value = "Xây dựng Kế hoạch năm, <trình> ký & ban hành"
    tasks.cell(2, 4).value = "01/04/2024"
    wb.save(sample_copy)
    plan = passes.make_report(sample_copy, kind="kehoach", year=2024, out_dir=tmp_path, today=TODAY)[0]
    lines = doc_text(plan)
    assert lines[3:5] == ["Căn cứ Luật Thực hiện dân chủ ở cơ sở năm 2022;", "Căn cứ Quyết định số 1/QĐ-UBND."]
    assert "- Xây dựng Kế hoạch năm, <trình> ký & ban hành (hạn: hội nghị HN-2024-06: 01/04/2024)." in lines


def test_cli_year_without_conferences_says_so_and_still_makes_the_plan(sample_copy, tmp_path):
    ran = doithoai("report", sample_copy, "--kind", "kehoach", "--year", "2030", "--out", tmp_path)
    assert ran.code == 0, ran.text
    assert "ke-hoach-2030.docx" in ran.out and "chưa có hội nghị nào năm 2030" in ran.out
    lines = doc_text(tmp_path / "ke-hoach-2030.docx")
    assert "với Nhân dân trên địa bàn năm 2030" in lines
    bad = doithoai("report", sample_copy, "--kind", "kehoach", "--year", "24")
    assert bad.code == 2


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_renders_with_libreoffice(sample_copy, tmp_path):
    need_program("soffice")
    pdftotext = need_program("pdftotext")
    ran = doithoai("report", sample_copy, "--kind", "kehoach", "--year", "2024", "--pdf", "--out", tmp_path)
    assert ran.code == 0, ran.text
    pdf = tmp_path / "ke-hoach-2024.pdf"
    assert pdf.is_file(), ran.text
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    for must in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG", "III. TỔ CHỨC THỰC HIỆN", "Nơi nhận:",
                 "CHỦ TỊCH", "Phạm Quang Huy"):
        assert must in text, must
    assert shutil.which("pdfinfo") is None or "A4" in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True).stdout


def test_a_pass_keeps_the_years_plan_beside_the_other_documents(sample_copy, tmp_path):
    out = tmp_path / "ket-qua"
    first = passes.run(sample_copy, out_dir=out, today=dt.date(2024, 12, 10), write=False)
    assert out / "ke-hoach-2024.docx" in first.rebuilt, first.output_errors
    again = passes.run(sample_copy, out_dir=out, today=dt.date(2024, 12, 10), write=False)
    assert out / "ke-hoach-2024.docx" not in again.rebuilt               # nothing changed: not remade
    # A workbook without the Công việc sheet gets no plan from a pass (the command still makes one).
    wb = openpyxl.load_workbook(sample_copy)
    del wb[schema.CONG_VIEC.name]
    wb.save(sample_copy)
    old = passes.run(sample_copy, out_dir=tmp_path / "cu", today=dt.date(2024, 12, 10), write=False)
    assert not [p for p in old.outputs if p.name.startswith("ke-hoach")]
    plan = passes.make_report(sample_copy, kind="kehoach", year=2024, out_dir=tmp_path / "cu", today=TODAY)[0]
    assert "- Phát hành giấy mời đại biểu (hạn: 7 ngày trước hội nghị)." in doc_text(plan)
