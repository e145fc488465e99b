"""Official documents (issue 4, points 4 and 6): content against reviewed golden files,
figures against the Dataset, NĐ 30 layout, safety of typed text, phone numbers, PDF."""

from __future__ import annotations

import collections
import dataclasses
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

import docsample as S
from conftest import need_program
from toolkit.outputs import documents, summaries
from toolkit.core.errors import UsageError
from toolkit.core.text import person_sort_key

GOLDEN = Path(__file__).parent / "golden" / "documents"
UPDATE = os.environ.get("DOITHOAI_UPDATE_GOLDEN") == "1"
# Lines that may differ between runs and are not compared (none while `today` is fixed).
NOISE: tuple[str, ...] = ()

CASES = [  # (kind, options, file name)
    ("ketqua", {"session": S.CONF}, "bao-cao-ket-qua-HN-2024-06.docx"),
    ("giaymoi", {"session": S.CONF}, "giay-moi-HN-2024-06.docx"),
    ("phieuchuyen", {"department": "DC"}, "phieu-chuyen-DC.docx"),
    ("thongbao", {"session": "HN-2024-11"}, "thong-bao-HN-2024-11.docx"),
    ("thang", {"month": (2024, 7)}, "bao-cao-thang-2024-07.docx"),
]


def render(kind, tmp_path, dataset=None, **kw):
    ds = dataset or S.dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    return documents.render_report(kind, ds, summary, tmp_path, today=S.TODAY, **kw)


def content(path) -> dict:
    c = S.docx_content(path)
    c["paragraphs"] = [p for p in c["paragraphs"] if not any(n in p for n in NOISE)]
    return c


@pytest.mark.parametrize("kind,opts,name", CASES)
def test_document_matches_reviewed_golden(kind, opts, name, tmp_path):
    out = render(kind, tmp_path, **opts)
    assert [p.name for p in out] == [name]
    got = content(out[0])
    ref = GOLDEN / (Path(name).stem + ".json")
    if UPDATE or not ref.exists():
        ref.parent.mkdir(parents=True, exist_ok=True)
        ref.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {ref.name} was missing and has been written; review it and re-run")
    exp = json.loads(ref.read_text(encoding="utf-8"))
    assert got["paragraphs"] == exp["paragraphs"]
    assert got["tables"] == exp["tables"]


# --- figures checked against the Dataset ----------------------------------------

def _table_with(doc_content, header: str):
    for t in doc_content["tables"]:
        if t and header in t[0]:
            return t
    raise AssertionError(f"no table with header {header!r}")


def test_result_report_figures_match_the_dataset(tmp_path):
    ds = S.dataset()
    c = content(render("ketqua", tmp_path, ds, session=S.CONF)[0])
    petitions = [p for p in ds.petitions if p.hoi_nghi == S.CONF]

    by_field = _table_with(c, "Lĩnh vực")
    got = {row[1]: int(row[2]) for row in by_field[1:-1]}
    exp = collections.Counter(p.linh_vuc or summaries.NO_FIELD for p in petitions)
    assert got == dict(exp)
    assert by_field[-1][2] == str(len(petitions))

    listed = _table_with(c, "Nội dung kiến nghị")
    assert len(listed) - 1 == len(petitions)

    built = summaries.build(ds, None, today=S.TODAY)
    fig = built.conferences[S.CONF]
    by_cat = _table_with(c, "Thành phần")
    assert by_cat[-1][2:] == [str(fig.invited), str(fig.present)]
    assert {r[1]: (int(r[2]), int(r[3])) for r in by_cat[1:-1]} == {
        r[1]: (r[2], r[3]) for r in built.attendance.rows if r[0] == S.CONF}
    text = "\n".join(c["paragraphs"])
    assert (f"trả lời trực tiếp tại hội nghị {fig.at_conference}; tiếp thu, trả lời bằng văn bản {fig.written}; "
            f"chuyển cấp trên giải quyết {fig.forwarded}") in text
    by_group = _table_with(c, "Tổ dân phố")
    assert {r[1]: (int(r[2]), int(r[3])) for r in by_group[1:-1] if int(r[2])} == {
        r[1]: (r[2], r[3]) for r in built.quota.rows if r[0] == S.CONF and r[2]}


def test_one_invitation_page_per_invited_delegate_in_vietnamese_order(tmp_path):
    ds = S.dataset()
    path = render("giaymoi", tmp_path, ds, session=S.CONF)[0]
    invited = [d for d in ds.delegates if d.hoi_nghi == S.CONF and d.duoc_moi]
    doc = Document(str(path))
    xml = doc.element.body.xml
    # each invitation a section of its own (a new page, numbered from 1, none on its first page)
    assert xml.count("<w:sectPr") == len(invited) and xml.count('<w:pgNumType w:start="1"/>') == len(invited) - 1
    titles = [p.text for p in doc.paragraphs if p.text == "GIẤY MỜI"]
    assert len(titles) == len(invited)
    names = [p.text.split(" ", 1)[1] for p in doc.paragraphs if p.text.startswith(("Ông ", "Bà ", "Ông/Bà "))]
    assert names == sorted((d.ho_ten for d in invited), key=person_sort_key)
    assert "Bà Đỗ Thị Hoa" in [p.text for p in doc.paragraphs]
    assert "Ông/Bà Bùi Minh Châu" in [p.text for p in doc.paragraphs]
    text = S.all_text(path)
    assert "08 giờ 00, thứ Bảy ngày 15/06/2024" in text
    assert "Hội trường tầng 3, Trụ sở Đảng ủy - UBND phường" in text
    assert text.count("Thông qua chương trình đối thoại.") == len(invited)


def test_follow_up_slip_lists_open_petitions_overdue_first(tmp_path):
    out = render("phieuchuyen", tmp_path)
    assert sorted(p.name for p in out) == ["phieu-chuyen-CA.docx", "phieu-chuyen-DC.docx"]
    c = content(tmp_path / "phieu-chuyen-DC.docx")
    rows = _table_with(c, "Tình trạng")[1:]
    assert [r[1] for r in rows] == ["KN-2024-06-001", "KN-2024-06-006"]   # closed ones left out
    assert [r[5] for r in rows] == ["Quá hạn 10 ngày làm việc", "Quá hạn 7 ngày làm việc"]   # working days, as in check
    assert S.PETITIONER_PHONE in rows[0][2]                                # internal: phone to call back
    assert "Bộ phận DC: 2 kiến nghị quá hạn." in out.messages


def test_deadlines_are_stated_and_late_ones_warned(tmp_path):
    out = render("ketqua", tmp_path, session=S.CONF)
    assert any("chậm nhất ngày 25/06/2024 (10 ngày sau hội nghị)" in m for m in out.messages)
    assert any(m.startswith("Cảnh báo: đã quá hạn gửi báo cáo") and "25 ngày" in m for m in out.messages)
    out = render("thongbao", tmp_path, session=S.CONF)
    assert any("chậm nhất ngày 08/06/2024 (7 ngày trước hội nghị)" in m for m in out.messages)
    assert not any("Cảnh báo" in m for m in out.messages)          # announced on 05/06: in time
    ds = S.dataset()
    ds.conferences[0].ngay_thong_bao = ds.conferences[0].ngay_thong_bao.replace(day=10)
    late = render("thongbao", tmp_path, ds, session=S.CONF).messages
    assert any(m.startswith("Cảnh báo: ngày thông báo 10/06/2024 muộn hơn hạn 08/06/2024") for m in late)


# --- layout: NĐ 30/2020 ---------------------------------------------------------

@pytest.mark.parametrize("kind,opts,name", CASES)
def test_nd30_layout(kind, opts, name, tmp_path):
    path = render(kind, tmp_path, **opts)[0]
    doc = Document(str(path))
    for sec in doc.sections:
        mm = {k: round(getattr(sec, k).mm, 1) for k in ("page_width", "page_height", "top_margin",
                                                        "bottom_margin", "left_margin", "right_margin")}
        assert (mm["page_width"], mm["page_height"]) == (210, 297)
        assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
        assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert 13 <= normal.font.size.pt <= 14
    header = doc.tables[0]
    left, right = (header.rows[0].cells[i] for i in (0, 1))
    assert [p.text for p in left.paragraphs if p.text] == ["ỦY BAN NHÂN DÂN\nPHƯỜNG HÀ CẦU",
                                                           "Số:       /" + {"ketqua": "BC", "thang": "BC",
                                                                            "giaymoi": "GM", "thongbao": "TB",
                                                                            "phieuchuyen": "PC"}[kind] + "-UBND"]
    rtexts = [p for p in right.paragraphs if p.text]
    dated = {"giaymoi": "ngày 05 tháng 6 năm 2024",     # the conference's Ngày thông báo
             "thongbao": "ngày 13 tháng 11 năm 2024",   # 7 days (Thông báo trước hội nghị) before 20/11
             "ketqua": "ngày 25 tháng 6 năm 2024",      # made late (20/07): dated on its due day, 10 days after
             "phieuchuyen": "ngày 15 tháng 6 năm 2024",  # the day its petitions came in
             "thang": "ngày 31 tháng 7 năm 2024"}        # the month's end
    assert [p.text for p in rtexts] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                                        "Hà Cầu, " + dated[kind]]
    assert all(r.bold for p in rtexts[:2] for r in p.runs) and all(r.italic for r in rtexts[2].runs)
    sign = doc.tables[-1]
    nn = sign.rows[0].cells[0].paragraphs
    assert nn[0].text == "Nơi nhận:" and nn[0].runs[0].bold and nn[0].runs[0].italic
    assert nn[0].runs[0].font.size.pt == 12
    assert all(r.font.size.pt == 11 for p in nn[1:] for r in p.runs)
    sig = [p.text for p in sign.rows[0].cells[1].paragraphs if p.text]
    assert sig == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Dương Thế Vinh"]


def test_nd30_date_line_zero_pads_small_days_and_months(tmp_path):
    ds = S.dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    out = documents.render_report("phieuchuyen", ds, summary, tmp_path, today=S.TODAY.replace(month=2, day=3),
                                  department="DC")
    assert "Hà Cầu, ngày 03 tháng 02 năm 2024" in S.all_text(out[0])


def test_names_and_places_come_from_configuration(tmp_path):
    ds = S.dataset()
    ds.config = dataclasses.replace(ds.config, ten_don_vi="UBND phường Vạn Phúc", co_quan_cap_tren="UBND thành phố Hà Nội",
                                    dia_danh="Vạn Phúc", chu_tich="Trần Văn Nam", noi_nhan_bao_cao=["UBND thành phố",
                                                                                                    "Lưu: VT"])
    text = S.all_text(render("ketqua", tmp_path, ds, session=S.CONF)[0])
    assert "ỦY BAN NHÂN DÂN\nPHƯỜNG VẠN PHÚC" in text
    assert "UBND THÀNH PHỐ HÀ NỘI" not in text        # no body above a People's Committee in its header
    assert "Vạn Phúc, ngày 25 tháng 6 năm 2024" in text and "Trần Văn Nam" in text
    assert "- UBND thành phố;\n- Lưu: VT, VP." in text
    assert "Hà Cầu" not in text and "Hà Đông" not in text and "quận" not in text.replace("Thường trực", "")


def test_typed_template_syntax_and_markup_appear_literally(tmp_path):
    ds = S.dataset()
    ds.config.chu_tich = "{{ 7*7 }} <i>Vinh</i>"
    ds.conferences[0].dia_diem = "{% for x in range(3) %}Hội trường{% endfor %} & <b>sân</b>"
    for kind, opts in (("ketqua", {"session": S.CONF}), ("phieuchuyen", {"department": "CA"}),
                       ("giaymoi", {"session": S.CONF}), ("thang", {"month": (2024, 6)})):
        out = render(kind, tmp_path, ds, **opts)
        text = S.all_text(out[0])
        assert "{{ 7*7 }} <i>Vinh</i>" in text and "49" not in text.split("Vinh")[0][-10:]
        if kind != "thang":
            assert "{% for x in range(3) %}Hội trường{% endfor %} & <b>sân</b>" in text or kind == "phieuchuyen"
        if kind in ("ketqua", "phieuchuyen"):
            assert S.TRICKY in text


@pytest.mark.parametrize("kind,opts", [("ketqua", {"session": S.CONF}), ("phieuchuyen", {}),
                                       ("giaymoi", {"session": S.CONF}), ("thongbao", {"session": S.CONF}),
                                       ("thang", {"month": (2024, 6)})])
def test_our_shortcuts_render_the_same_xml_as_docxtpl(kind, opts, tmp_path, monkeypatch):
    # documents.common._Template passes over paragraphs without tab/new-line characters in
    # docxtpl's resolve_listing, and over the table grid repair when the template has no {%tc %}
    # tag; the result must be byte-for-byte docxtpl's own.
    import zipfile

    from docxtpl import DocxTemplate

    ds = S.dataset()
    ds.petitions[0].noi_dung = "Dòng một\nDòng hai\tcột\n" + S.TRICKY
    ours = render(kind, tmp_path / "ours", dataset=ds, **opts)[0]
    from toolkit.outputs.documents import common

    monkeypatch.setattr(common, "_Template", DocxTemplate)
    theirs = render(kind, tmp_path / "theirs", dataset=ds, **opts)[0]

    def body(path):
        with zipfile.ZipFile(path) as zf:
            return zf.read("word/document.xml")

    assert body(ours) == body(theirs)
    if kind in ("ketqua", "phieuchuyen"):
        assert b"<w:br/>" in body(ours)


def test_a_staff_template_with_column_tags_gets_its_table_grid_mended(tmp_path):
    # A template in mau-van-ban/ may loop over columns ({%tc for %}); its table grid must then be
    # mended as docxtpl does (one <w:gridCol> per rendered column).
    import re
    import zipfile

    from toolkit.outputs.documents import common

    doc = Document()
    table = doc.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, ["Mã", "{%tc for c in cot %}", "{{ c }}", "{%tc endfor %}"]):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["KN", "x", "y", "z"]):
        cell.text = text
    source = tmp_path / "mau.docx"
    doc.save(source)
    tpl = common._Template(str(source))
    tpl.render({"cot": ["A", "B", "C", "D"]}, autoescape=True)
    out = tmp_path / "ra.docx"
    tpl.save(out)
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("word/document.xml").decode("utf-8")
    first_row = xml.split("<w:tr")[1]
    assert len(re.findall(r"<w:gridCol\b", xml)) == first_row.count("<w:tc>") == 5


# --- phone numbers -----------------------------------------------------------------

def test_phone_numbers_stay_out_of_documents_sent_outside(tmp_path):
    ketqua = S.all_text(render("ketqua", tmp_path, session=S.CONF)[0])
    thang = S.all_text(render("thang", tmp_path, month=(2024, 6))[0])
    for text in (ketqua, thang):
        assert S.PHONE not in text and S.PETITIONER_PHONE not in text
    assert documents.PHONE_MASK in ketqua
    asked = S.all_text(render("ketqua", tmp_path / "asked", session=S.CONF, include_phones=True)[0])
    assert S.PHONE in asked and S.PETITIONER_PHONE in asked


def _delegate(name, conf, phone):
    from toolkit.core.model import Delegate
    return Delegate(row=2, ho_ten=name, hoi_nghi=conf, dien_thoai=phone)


@pytest.mark.parametrize("name,conf,exp", [
    ("Nguyễn Văn An", "HN-2", "0912000002"),        # same name at the same conference first
    ("nguyễn  văn an", "hn-2", "0912000002"),       # names and codes folded
    ("Nguyễn Văn An", "HN-9", "0912000001"),        # else the first with that name anywhere
    ("Trần Thị Bình", "HN-1", None),                # nobody with a phone
    ("Lê Hoà", "HN-1", "0912000004"),               # old/new tone placement
])
def test_phone_book_prefers_the_same_conference(name, conf, exp):
    from toolkit.core.model import Petition
    book = documents.PhoneBook([
        _delegate("Nguyễn Văn An", "HN-1", "0912000001"),
        _delegate("Nguyễn Văn An", "HN-2", "0912000002"),
        _delegate("Nguyễn Văn An", "HN-2", "0912000003"),
        _delegate("Trần Thị Bình", "HN-1", ""),
        _delegate("Lê Hòa", "HN-1", "0912000004"),
    ])
    got = book.get(Petition(row=2, nguoi_kien_nghi=name, hoi_nghi=conf))
    assert got == exp


@pytest.mark.parametrize("text,exp", [
    ("gọi 0912345678 nhé", "gọi [số điện thoại đã ẩn] nhé"),
    ("gọi 0912 345 678", "gọi [số điện thoại đã ẩn]"),
    ("+84912345678", "[số điện thoại đã ẩn]"),
    ("tổng đài 02433824567, số nhà 12345678", "tổng đài 02433824567, số nhà 12345678"),
    ("mã 10912345678", "mã 10912345678"),
])
def test_mask_phones(text, exp):
    assert documents.mask_phones(text) == exp


# --- choices and errors --------------------------------------------------------------

@pytest.mark.parametrize("kind,opts,needle", [
    ("ketqua", {"session": "HN-2099"}, "HN-2024-06, HN-2024-11"),
    ("giaymoi", {"session": "x"}, "--session"),
    ("phieuchuyen", {"department": "ZZ"}, "VP, DC, TC"),
    ("thang", {"month": (2023, 1)}, "2024-06, 2024-07"),
    ("thang", {"month": "2024-13"}, "YYYY-MM"),
    ("bienban", {}, "ketqua, giaymoi, phieuchuyen, thongbao, thang"),
])
def test_unknown_choice_is_a_usage_error_listing_valid_values(kind, opts, needle, tmp_path):
    with pytest.raises(UsageError) as err:
        render(kind, tmp_path, **opts)
    assert needle in err.value.message


def test_no_session_picks_the_relevant_conference(tmp_path):
    out = render("ketqua", tmp_path)
    assert [p.name for p in out] == ["bao-cao-ket-qua-HN-2024-06.docx"]      # the one held
    out = render("giaymoi", tmp_path)
    assert [p.name for p in out] == ["giay-moi-HN-2024-11.docx"]            # the next one
    assert any("--session" in m for m in out.messages)


def test_rows_with_errors_are_left_out_like_in_the_summary(tmp_path):
    from toolkit.core import findings
    ds = S.dataset()
    report = findings.Report([findings.Finding("required-missing", "Kiến nghị", 7, "Lĩnh vực", 6)])
    summary = summaries.build(ds, report, today=S.TODAY)
    out = documents.render_report("ketqua", ds, summary, tmp_path, today=S.TODAY, session=S.CONF)
    listed = _table_with(content(out[0]), "Nội dung kiến nghị")
    assert len(listed) - 1 == summary.conferences[S.CONF].petitions == 5


def test_template_broken_in_word_gives_a_vietnamese_error(tmp_path):
    from docx import Document as D
    from toolkit.core.errors import OutputError
    broken = tmp_path / "mau"
    broken.mkdir()
    for name in documents.TEMPLATES.values():
        shutil.copy(documents.TEMPLATE_DIR / name, broken / name)
    doc = D(str(broken / "thong-bao.docx"))
    doc.add_paragraph("{{ hn.ten ")          # a staff edit that lost its closing braces
    doc.save(str(broken / "thong-bao.docx"))
    with pytest.raises(OutputError) as err:
        render("thongbao", tmp_path / "out", session=S.CONF, templates_dir=broken)
    assert "Mẫu văn bản thong-bao.docx bị lỗi" in err.value.message


def test_writes_leave_no_temporary_files(tmp_path):
    for kind, opts, _name in CASES:
        render(kind, tmp_path, **opts)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx"] * 5


def test_pdf_without_libreoffice_is_a_message_not_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = render("thongbao", tmp_path, session=S.CONF, pdf=True)
    assert [p.suffix for p in out] == [".docx"]
    assert any("Không tìm thấy LibreOffice" in m for m in out.messages)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_pdf_by_libreoffice_has_the_national_header_and_one_page_per_invitation(tmp_path):
    need_program("soffice")
    ds = S.dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    docs = [documents.render_report(k, ds, summary, tmp_path, today=S.TODAY, session=S.CONF)[0]
            for k in ("ketqua", "giaymoi")]
    pdfs = documents.to_pdf(docs)
    assert [p.name for p in pdfs] == ["bao-cao-ket-qua-HN-2024-06.pdf", "giay-moi-HN-2024-06.pdf"], pdfs.messages
    text = subprocess.run(["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for needle in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                   "PHƯỜNG HÀ CẦU", "Hà Cầu, ngày 25 tháng 6 năm 2024", "BÁO CÁO", "Dương Thế Vinh"):
        assert needle in text
    info = subprocess.run(["pdfinfo", str(pdfs[1])], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == sum(1 for d in ds.delegates if d.hoi_nghi == S.CONF and d.duoc_moi)
    # a page number from page 2 of the report, none on an invitation (each a letter of one page)
    pages_text = subprocess.run(["pdftotext", "-layout", str(pdfs[0]), "-"], capture_output=True, text=True,
                                check=True).stdout.split("\f")
    assert pages_text[1].strip().splitlines()[0].strip() == "2"
    assert not any(line.strip().isdigit() for line in subprocess.run(
        ["pdftotext", "-layout", str(pdfs[1]), "-"], capture_output=True, text=True, check=True).stdout.splitlines())


def test_soffice_is_found_where_the_windows_installer_puts_it(tmp_path, monkeypatch):
    from toolkit.outputs import documents

    program = tmp_path / "LibreOffice" / "program"
    program.mkdir(parents=True)
    (program / "soffice.exe").write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))      # not on PATH, as on Windows
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    assert documents.find_soffice() == str(program / "soffice.exe")
