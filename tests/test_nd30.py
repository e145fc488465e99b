"""NĐ 30/2020/NĐ-CP Phụ lục I on every kind of document (issue 24, point 3), read from the .docx XML:
page size and margins, fonts and sizes per element, the header table, Số/ký hiệu per Phụ lục III,
place and date in italics, tên loại and trích yếu bold with a rule sized to the line above, body
justified 13–14 pt with ≥ 6 pt between paragraphs (list items too), "Nơi nhận:" 12 pt bold italic and
its list 11 pt, "- Lưu: VT, <unit>.", page numbers from page 2 (PAGE field, different first page),
table rows kept whole and header rows repeated, no path of this machine; on the 2024 sample and on
a fresh register made by init for a ward of the two-level government, made by `run` and by `report`."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

import freshward
from toolkit.outputs.documents import layout
from toolkit.pipeline import passes
from toolkit.starter import sample

SAMPLE_TODAY = sample.SAMPLE_TODAY
TITLES = {"bao-cao-ket-qua": "BÁO CÁO", "bao-cao-thang": "BÁO CÁO", "giay-moi": "GIẤY MỜI",
          "phieu-chuyen": "PHIẾU CHUYỂN", "thong-bao": "THÔNG BÁO", "ke-hoach": "KẾ HOẠCH", "giay-don-doc": None}
SYMBOL = {"bao-cao-ket-qua": r"BC-UBND", "bao-cao-thang": r"BC-UBND", "giay-moi": r"GM-UBND",
          "phieu-chuyen": r"PC-UBND", "thong-bao": r"TB-UBND", "ke-hoach": r"KH-UBND", "giay-don-doc": r"UBND-VP"}
TWIPS_PER_PT = 20


def kind_of(path: Path) -> str:
    return next(k for k in sorted(TITLES, key=len, reverse=True) if path.name.startswith(k))


def _size(run, default: float) -> float:
    return run.font.size.pt if run.font.size is not None else default


def _space(p, normal) -> tuple[float, float]:
    pf, nf = p.paragraph_format, normal.paragraph_format
    after = pf.space_after if pf.space_after is not None else nf.space_after
    before = pf.space_before if pf.space_before is not None else nf.space_before
    return (after.pt if after is not None else 0), (before.pt if before is not None else 0)


def problems(path: Path, forbidden: tuple[str, ...] = ()) -> list[str]:
    """Every Phụ lục I rule this document breaks (empty: none)."""
    kind = kind_of(path)
    doc = Document(str(path))
    bad = []

    def need(ok, what):
        if not ok:
            bad.append(what)

    # A4 and margins
    for sec in doc.sections:
        mm = {k: round(getattr(sec, k).mm, 1) for k in ("page_width", "page_height", "top_margin",
                                                        "bottom_margin", "left_margin", "right_margin")}
        need((mm["page_width"], mm["page_height"]) == (210, 297), f"A4: {mm}")
        need(20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25, f"top/bottom margins: {mm}")
        need(30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20, f"left/right margins: {mm}")
        # page numbers from page 2: a PAGE field centred in the header, none on the first page
        need(sec._sectPr.find(qn("w:titlePg")) is not None, "no different first page (w:titlePg)")
        head = sec.header._element.xml
        need(re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", head) is not None, "no PAGE field in header")
        need(sec.header.paragraphs[0].alignment == 1, "page number not centred")
        need("PAGE" not in sec.first_page_header._element.xml, "page number on page 1")
    # Times New Roman everywhere
    normal = doc.styles["Normal"]
    need(normal.font.name == "Times New Roman", "Normal font")
    body_pt = normal.font.size.pt
    need(13 <= body_pt <= 14, f"body size {body_pt}")
    xml = doc.element.xml
    fonts = set(re.findall(r'w:ascii="([^"]+)"', xml)) | set(re.findall(r'w:hAnsi="([^"]+)"', xml))
    need(fonts <= {"Times New Roman"}, f"fonts {fonts}")

    # the header table: issuing body, Số/ký hiệu (| trích yếu of a công văn) | Quốc hiệu, tiêu ngữ, place and date
    header = doc.tables[0]
    need(len(header.columns) == 2, "header table has two columns")
    left = [p for p in header.rows[0].cells[0].paragraphs if p.text.strip()]
    right = [p for p in header.rows[0].cells[1].paragraphs if p.text.strip()]
    number = next((p.text for p in left if p.text.startswith("Số:")), "")
    need(re.fullmatch(r"Số:\s+/" + SYMBOL[kind], number), f"Số/ký hiệu {number!r} for {kind}")
    unit = [p for p in left if p.text.isupper() and not p.text.startswith("Số")]
    # a People's Committee names no body above it: its name is the first line of the header
    need(left and left[0].text.startswith("ỦY BAN NHÂN DÂN\n") and len(unit) == 1,
         f"issuing body {[p.text for p in left[:2]]}")
    need(unit and all(r.bold for r in unit[-1].runs if r.text.strip()), "issuing body bold")
    if kind == "giay-don-doc":
        after = left[left.index(next(p for p in left if p.text.startswith("Số:"))) + 1:]
        need(after and after[0].text.startswith("V/v "), "công văn: trích yếu V/v under the Số")
    texts = [p.text for p in right]
    need(texts[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"], f"Quốc hiệu {texts}")
    need(all(r.bold for p in right[:2] for r in p.runs), "Quốc hiệu, tiêu ngữ bold")
    need(12 <= _size(right[0].runs[0], body_pt) <= 13 and 13 <= _size(right[1].runs[0], body_pt) <= 14,
         "Quốc hiệu 12-13, tiêu ngữ 13-14")
    need(re.fullmatch(r".+, ngày (\d\d|……) tháng (\d{1,2}|……) năm (\d{4}|……)", texts[-1]), f"date {texts[-1]!r}")
    need(all(r.italic for r in right[-1].runs if r.text.strip()), "place and date in italics")

    # tên loại and trích yếu bold, centred, a rule under them sized to 1/3 - 1/2 of the line above
    paras = doc.paragraphs
    if TITLES[kind]:
        first = next(i for i, p in enumerate(paras) if p.text.strip())
        need(paras[first].text == TITLES[kind], f"tên loại {paras[first].text!r}")
        lines = []
        i = first
        while paras[i].text.strip():
            lines.append(paras[i])
            i += 1
        need(all(r.bold for p in lines for r in p.runs) and all(p.alignment == 1 for p in lines),
             "tên loại and trích yếu bold, centred")
        rule = paras[i]
        need(rule._p.find(qn("w:pPr") + "/" + qn("w:pBdr")) is not None, "no rule under the trích yếu")
        ind = rule._p.find(qn("w:pPr") + "/" + qn("w:ind"))
        width = layout.TEXT_WIDTH_MM - 2 * int(ind.get(qn("w:left"))) / 1440 * 25.4
        above = layout.last_line_mm(lines[-1].text, _size(lines[-1].runs[0], body_pt), True, layout.TEXT_WIDTH_MM)
        need(above / 3 - 1 <= width <= above / 2 + 1, f"rule {width:.0f} mm under a line of {above:.0f} mm")
    else:
        need(not any(p.text.isupper() and len(p.text) > 4 for p in paras[:3]), "a công văn has no tên loại")

    # body: justified, 13-14 pt, at least 6 pt between paragraphs (list items too)
    for p in paras:
        text = p.text.strip()
        if not text or p.alignment == 1 or (TITLES[kind] and text == TITLES[kind]):
            continue
        need(p.alignment == 3, f"not justified: {text[:40]!r}")
        need(all(13 <= _size(r, body_pt) <= 14 for r in p.runs if r.text.strip()), f"size: {text[:40]!r}")
        after, before = _space(p, normal)
        need(max(after, before) >= 6, f"{after} pt after: {text[:40]!r}")

    # tables: rows never split across pages, the header row repeats
    for t in doc.tables:
        if t._tbl.tblPr.find(qn("w:tblStyle")) is None:     # the borderless layout tables
            continue
        for i, row in enumerate(t.rows):
            trpr = row._tr.trPr
            need(trpr is not None and trpr.find(qn("w:cantSplit")) is not None, "table row may split")
            if i == 0:
                need(trpr is not None and trpr.find(qn("w:tblHeader")) is not None, "header row does not repeat")

    # Nơi nhận (bold italic 12; its list 11; "- Lưu: VT, <unit>.") beside the signer
    sign = doc.tables[-1].rows[0].cells
    nn = [p for p in sign[0].paragraphs if p.text.strip()]
    need(nn[0].text == "Nơi nhận:" and all(r.bold and r.italic and _size(r, body_pt) == 12 for r in nn[0].runs),
         "Nơi nhận: bold italic 12")
    need(all(_size(r, body_pt) == 11 for p in nn[1:] for r in p.runs), "Nơi nhận list 11 pt")
    need(re.fullmatch(r"- Lưu: VT, [A-ZĐ]+\.", nn[-1].text), f"Lưu {nn[-1].text!r}")
    signer = [p.text for p in sign[1].paragraphs if p.text.strip()]
    need(signer[:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], f"signer {signer}")
    if kind == "giay-don-doc":    # signed by the Chủ tịch: not sent to the Chủ tịch "để b/c"
        need(not any("Chủ tịch" in p.text or "b/c" in p.text for p in nn), "sent to its own signer")

    everything = all_text(path)
    for word in forbidden:
        need(word not in everything, f"{word!r} in the document")
    for addressed in re.findall(r"Kính gửi: ([^\n]+)", everything):
        need(re.match(r"(Bộ phận|Văn phòng|Phòng|Công an|Ban|UBND|Ủy ban|MTTQ|Trung tâm|Sở|Công chức)\b", addressed),
             f"Kính gửi {addressed!r}: not a body or post")
    return bad


def all_text(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        parts = [zf.read(n).decode("utf-8") for n in zf.namelist()
                 if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", n)]
    out = []
    for xml in parts:
        for p in re.findall(r"<w:p[ >].*?</w:p>", xml, re.S):
            out.append("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)))
    return "\n".join(out)


def made_documents(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docx"))


@pytest.fixture(scope="module")
def sample_outputs(tmp_path_factory):
    import shutil

    from conftest import SAMPLE, need_path

    need_path(SAMPLE, "the committed sample workbook")
    root = tmp_path_factory.mktemp("mau")
    book = root / SAMPLE.name
    shutil.copyfile(SAMPLE, book)
    passes.run(book, out_dir=root / "run", today=SAMPLE_TODAY)
    return book, root


@pytest.fixture(scope="module")
def fresh_outputs(tmp_path_factory):
    return freshward.passed(tmp_path_factory.mktemp("moi"))


def test_every_kind_is_made_by_a_pass_on_both_registers(sample_outputs, fresh_outputs):
    for root in (sample_outputs[1], fresh_outputs[1]):
        assert {kind_of(p) for p in made_documents(root / "run")} == set(TITLES)


def test_sample_documents_keep_every_rule_of_phu_luc_i(sample_outputs):
    book, root = sample_outputs
    docs = made_documents(root / "run")
    got = {p.name: problems(p, forbidden=("phan-hoi", ".xlsx", str(root))) for p in docs}
    assert got == {p.name: [] for p in docs}


def test_fresh_register_documents_keep_every_rule_of_phu_luc_i(fresh_outputs):
    book, root, today = fresh_outputs
    docs = made_documents(root / "run")
    got = {p.name: problems(p, forbidden=("phan-hoi", ".xlsx", str(root))) for p in docs}
    assert got == {p.name: [] for p in docs}
    for p in docs:      # what Cấu hình says is there to sign: place, date and the signer's name
        text = all_text(p)
        assert re.search(freshward.PLACE + r", ngày \d\d tháng \d{1,2} năm 2026", text) and freshward.CHAIR in text


@pytest.mark.parametrize("kind", ["ketqua", "giaymoi", "phieuchuyen", "thongbao", "thang", "dondoc", "kehoach"])
def test_report_command_keeps_them_too(fresh_outputs, kind):
    book, root, today = fresh_outputs
    code, _day = freshward.first_conference(book)
    session = code if kind in ("ketqua", "giaymoi", "thongbao") else None
    made = passes.make_report(book, kind=kind, session=session, out_dir=root / f"report-{kind}", today=today)
    docs = [p for p in made if p.suffix == ".docx"]
    assert docs
    assert {p.name: problems(p) for p in docs} == {p.name: [] for p in docs}


@pytest.mark.parametrize("title", ["Ngắn", "Kết quả hội nghị đối thoại giữa Chủ tịch UBND phường Hà Cầu với Nhân"])
def test_the_rule_under_a_title_follows_its_length(tmp_path, title):
    from docx import Document as New

    from conftest import build_tool

    new_document, short_rule = build_tool("maketemplates").new_document, build_tool("maketemplates").short_rule

    doc = new_document()
    doc.add_paragraph().add_run(title).bold = True
    short_rule(doc, 62)
    path = tmp_path / "t.docx"
    doc.save(str(path))
    made = New(str(path))
    layout.size_rules(made)
    ind = made.paragraphs[1]._p.find(qn("w:pPr") + "/" + qn("w:ind"))
    width = layout.TEXT_WIDTH_MM - 2 * int(ind.get(qn("w:left"))) / 1440 * 25.4
    # the title's printed width, from its characters: about half an em each at 14 pt (Times New Roman)
    line = len(title) * 0.5 * 14 * 25.4 / 72
    assert line / 3 * 0.8 <= width <= line / 2 * 1.2
