"""Injection: staff text that looks like a formula, markup or a template stays
literal text everywhere a pass puts it: the workbook's generated sheets,
tong-hop.xlsx, the dashboard and every .docx document.
"""

from __future__ import annotations

import copy
import json
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

import badfiles as B
from toolkit.core import schema

S = schema

# Payload -> what it must never turn into.
SCRIPT = "<script>alert(1)</script>"
PAYLOADS = [
    "=HYPERLINK(\"http://x.invalid\",\"bấm\")",
    "=1+1",
    "+84 912 345 678 =2*3",
    "-2+3",
    "@SUM(A1:A2)",
    f"Ý kiến {SCRIPT}",
    "Mẫu {{ 7*7 }} mẫu",
    "Điều kiện {% if true %}X{% endif %} hết",
]
JINJA_RENDERED = ["Mẫu 49 mẫu", "Điều kiện X hết"]


def injected_rows() -> tuple[dict, dict]:
    """Rows and Cấu hình with a payload in each staff text field that reaches an output."""
    rows = copy.deepcopy(B.base_rows())
    rows["hoi_nghi"][0]["ten"] = "Hội nghị {{ 7*7 }} " + SCRIPT
    rows["hoi_nghi"][0]["ghi_chu"] = "=1+1"
    for i, d in enumerate(rows["dai_bieu"]):
        d["ho_ten"] = f"{PAYLOADS[i % len(PAYLOADS)]} người {i}"
        d["ghi_chu"] = PAYLOADS[(i + 3) % len(PAYLOADS)]
    base = rows["kien_nghi"][1]
    petitions = []
    for i, payload in enumerate(PAYLOADS):
        p = dict(base, noi_dung=payload, nguoi_kien_nghi=PAYLOADS[(i + 1) % len(PAYLOADS)],
                 ghi_chu=PAYLOADS[(i + 2) % len(PAYLOADS)], ket_qua=PAYLOADS[(i + 5) % len(PAYLOADS)])
        if i % 2:   # open petitions reach the follow-up slips and the tracking sheet
            p.update(trang_thai="Đang xử lý", ngay_tra_loi=None, ket_qua=None, hinh_thuc="Trả lời bằng văn bản",
                     ghi_chu=payload)
        petitions.append(p)
    petitions[0]["linh_vuc"] = "=SUM(1;2)"   # not in the list: the offending value reaches Lỗi nhập liệu
    rows["kien_nghi"] = petitions
    return rows, {"ten_don_vi": "UBND phường {{ 7*7 }} " + SCRIPT}


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> tuple[Path, dict]:
    folder = tmp_path_factory.mktemp("tiem")
    rows, config = injected_rows()
    path = B.save(folder, B.build_workbook(rows, config))
    proc = B.run_cli("run", str(path), "--format", "json", cwd=folder)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    result = json.loads(proc.stdout)
    assert result["written"], result["write_reason"]
    return path, result


def _payload_in(value) -> bool:
    return isinstance(value, str) and any(p in value for p in PAYLOADS + ["{{ 7*7 }}", SCRIPT, "=SUM(1;2)"])


def _cells_with_payloads(ws):
    return [c for c in list(ws._cells.values()) if _payload_in(c.value)]


def test_staff_and_generated_sheets_keep_text(ran):
    path, _result = ran
    wb = openpyxl.load_workbook(path)
    seen = {}
    for ws in wb.worksheets:
        cells = _cells_with_payloads(ws)
        seen[ws.title] = len(cells)
        bad = [(c.coordinate, c.value, c.data_type) for c in cells if c.data_type != "s"]
        assert not bad, f"{ws.title}: payload cells not text: {bad}"
    rows, _cfg = injected_rows()
    ws = wb[S.KIEN_NGHI.name]
    col = B.header_col(ws, "Nội dung")
    assert [ws.cell(2 + i, col).value for i in range(len(PAYLOADS))] == PAYLOADS
    for generated in (S.THEO_DOI.name, S.TONG_HOP.name):
        assert generated in wb.sheetnames
    # What the toolkit writes keeps Excel's quote prefix, so editing the cell in Excel
    # (F2, Enter) does not turn it into a formula either.
    for ws in (wb[S.THEO_DOI.name], wb[S.LOI_NHAP.name]):
        formula_like = [c for c in _cells_with_payloads(ws) if str(c.value)[:1] in "=+-@"]
        assert formula_like and all(c.quotePrefix for c in formula_like), ws.title
    assert seen[S.THEO_DOI.name] > 0, "open petitions' text should reach Theo dõi xử lý"
    assert seen[S.LOI_NHAP.name] > 0, "the offending value should reach Lỗi nhập liệu"


def test_summary_workbooks_keep_text_and_have_no_formula_from_staff(ran):
    """tong-hop.xlsx (and the monthly tong-hop-thang-*.xlsx)."""
    path, result = ran
    outputs = [Path(p) for p in result["outputs"] if p.endswith(".xlsx")]
    assert "tong-hop.xlsx" in {p.name for p in outputs}
    for out in outputs:
        wb = openpyxl.load_workbook(out)
        found = 0
        for ws in wb.worksheets:
            for c in _cells_with_payloads(ws):
                found += 1
                assert c.data_type == "s" and isinstance(c.value, str), (out.name, ws.title, c.coordinate, c.value)
        if out.name == "tong-hop.xlsx":
            assert found, "staff text should reach tong-hop.xlsx"
        with zipfile.ZipFile(out) as zf:
            names = zf.namelist()
            shared = zf.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in names else ""
            for name in names:
                if not name.startswith("xl/worksheets/") or not name.endswith(".xml"):
                    continue
                xml = zf.read(name).decode()
                has_formula = "<f>" in xml or "<f " in xml
                assert not (has_formula and _sheet_has_staff_text(xml, shared)), f"{out.name}:{name}"


def _sheet_has_staff_text(xml: str, shared: str) -> bool:
    strings = re.findall(r"<si>(.*?)</si>", shared, re.S)
    idx = {int(v) for v in re.findall(r'<c [^>]*t="s"[^>]*><v>(\d+)</v>', xml)}
    texts = [strings[i] for i in idx if i < len(strings)] + re.findall(r"<t[^>]*>(.*?)</t>", xml, re.S)
    plain = [re.sub(r"<[^>]+>", "", t).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
             .replace("&quot;", '"') for t in texts]
    return any(_payload_in(t) for t in plain)


def test_dashboard_escapes_markup(ran):
    _path, result = ran
    html = (Path(result["out_dir"]) / "index.html").read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html and "Mẫu 49 mẫu" not in html
    assert "{% if true %}X{% endif %}" in html and "Điều kiện X hết" not in html


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in d.sections:
        parts.extend(p.text for p in section.header.paragraphs)
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def test_documents_keep_literal_text(ran):
    _path, result = ran
    documents = [Path(p) for p in result["outputs"] if p.endswith(".docx")]
    kinds = {re.sub(r"-(HN|\d{4}).*|-[A-Z]+\.docx$", "", p.name) for p in documents}
    assert {"bao-cao-ket-qua", "giay-moi", "thong-bao", "phieu-chuyen"} <= kinds, kinds
    for doc in documents:
        text = _docx_text(doc)
        assert "{{ 7*7 }}" in text, f"{doc.name}: Tên đơn vị/Tên hội nghị should appear literally"
        for rendered in JINJA_RENDERED + ["Hội nghị 49", "phường 49"]:
            assert rendered not in text, f"{doc.name}: template ran: {rendered}"
        if SCRIPT.split(">")[0] in text:
            assert SCRIPT in text, doc.name
    slips = [d for d in documents if d.name.startswith("phieu-chuyen")]
    slip_text = "\n".join(_docx_text(d) for d in slips)
    for i, payload in enumerate(PAYLOADS):
        if i % 2:
            assert payload in slip_text, f"open petition's Nội dung missing from follow-up slips: {payload}"
