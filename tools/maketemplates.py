"""Build the default Word templates in templates/ (NĐ 30/2020/NĐ-CP layout) with python-docx.

A build-time tool, not part of the installed package: run ``python tools/maketemplates.py``
from a checkout to regenerate them (``python tools/maketemplates.py DIR`` writes elsewhere;
tests/test_wordtemplates.py checks the committed templates are what it builds). The templates are
plain Word documents: fixed wording is ordinary text staff may change in Word;
``{{ field }}`` marks a value filled from the workbook (names and places come
from the Cấu hình sheet, never from here); ``{%p for ... %}`` / ``{%tr for ... %}``
paragraphs and table rows repeat once per item. documents.py lists the fields.

Layout (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4; margins top/bottom 20 mm,
left 30 mm, right 15 mm; Times New Roman; body 14 pt justified, 6 pt between
paragraphs (list items too); a borderless two-column header (issuing body and
Số/ký hiệu, and for a công văn its "V/v" trích yếu | Quốc hiệu, tiêu ngữ, place
and date in italics); tên loại and trích yếu bold centred with a short rule
under them sized to the line above (``documents.layout``); page numbers from
page 2, centred in the top margin (a PAGE field in the header, a different first
page); table rows never split across pages, header rows repeat; "Nơi nhận:"
bold italic 12 pt and its list 11 pt beside the signature block.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from toolkit.outputs import wordtemplates
from toolkit.outputs.documents.layout import RULE_FULL, RULE_SHORT
from plantexts import PROGRAMME, PURPOSE, REQUIREMENTS     # tools/plantexts.py, beside this file


TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"     # the checkout's templates/

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
NOI_NHAN_PT = 11
PARAGRAPH_GAP_PT = 6       # at least 6 pt between paragraphs (Phụ lục I)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH_MM = 210 - MARGINS_MM["left"] - MARGINS_MM["right"]   # 165 mm
HEADER_COLS_MM = (62, TEXT_WIDTH_MM - 62)

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY

# --- low-level helpers ---------------------------------------------------------

def _set_fonts(rpr_parent, size_pt: float | None = None) -> None:
    """Times New Roman for every script on an rPr-carrying element (style or docDefaults)."""
    rpr = rpr_parent.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        rpr_parent.append(rpr)
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")
    if size_pt is not None:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size_pt * 2)))


def new_document(*, body_pt: int = BODY_PT, space_after_pt: float = 6, line_spacing: float = 1.0):
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    _set_fonts(defaults, body_pt)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(body_pt)
    _set_fonts(normal.element, body_pt)
    pf = normal.paragraph_format
    pf.alignment = JUSTIFY
    pf.space_before = Pt(0)
    pf.space_after = Pt(space_after_pt)
    pf.line_spacing = line_spacing
    for name in ("Table Grid",):
        _set_fonts(doc.styles[name].element)
    for name in (RULE_SHORT, RULE_FULL):
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.hidden = False
    # The default template ends with an empty paragraph: drop it.
    for p in list(doc.paragraphs):
        p._p.getparent().remove(p._p)
    page_numbers(section, body_pt)
    return doc


def page_numbers(section, size_pt: float) -> None:
    """Page numbers from page 2, centred in the top margin: a PAGE field in the header, and an empty
    header on a different first page (w:titlePg)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    p.paragraph_format.space_after = Pt(0)
    p.paragraph_format.first_line_indent = Mm(0)

    def run(child=None, text=None):
        r = p.add_run(text)
        r.font.size = Pt(size_pt)
        if child is not None:
            r._r.append(child)
        return r

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run(sep)
    run(text="2")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run(end)
    first = section.first_page_header
    first.is_linked_to_previous = False


def para(container, text: str = "", *, bold=False, italic=False, size=None, align=None,
         indent_first_mm: float | None = None, space_after=None, space_before=None, keep_next=False,
         underline=False):
    """Add one paragraph with one run (so {{ }} fields are never split across runs)."""
    p = container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None
        if size:
            run.font.size = Pt(size)
    f = p.paragraph_format
    if align is not None:
        f.alignment = align
    if indent_first_mm is not None:
        f.first_line_indent = Mm(indent_first_mm)
    if space_after is not None:
        f.space_after = Pt(space_after)
    if space_before is not None:
        f.space_before = Pt(space_before)
    if keep_next:
        f.keep_with_next = True
    return p


def body(container, text: str, **kw):
    kw.setdefault("indent_first_mm", 12.7)
    kw.setdefault("align", JUSTIFY)
    return para(container, text, **kw)


def heading(container, text: str):
    return para(container, text, bold=True, align=JUSTIFY, indent_first_mm=12.7, keep_next=True)


def tag(container, text: str):
    """A paragraph holding only a {%p ... %} tag (removed when rendered)."""
    return para(container, text, space_after=0)


def short_rule(container, indent_mm: float, style: str = RULE_SHORT):
    """A short centred horizontal rule: an empty paragraph with a bottom border; its indents are set
    again at rendering from the line above (``documents.layout``), ``indent_mm`` is only the template's."""
    p = container.add_paragraph(style=style)
    f = p.paragraph_format
    f.left_indent = Mm(indent_mm)
    f.right_indent = Mm(indent_mm)
    f.space_before = Pt(0)
    f.space_after = Pt(4)
    f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    f.line_spacing = Pt(2)
    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    # pBdr must come before spacing/ind/jc in CT_PPr order.
    anchor = ppr.find(qn("w:spacing"))
    if anchor is not None:
        anchor.addprevious(bdr)
    else:
        ppr.append(bdr)
    return p


def section_break(doc):
    """A new section on a new page whose page numbers start again at 1 (so one letter among many, as
    the invitations, is numbered as a letter of its own, and its first page carries no number)."""
    import copy

    body_sect = doc.sections[0]._sectPr
    sect = copy.deepcopy(body_sect)
    for old in sect.findall(qn("w:pgNumType")):
        sect.remove(old)
    start = OxmlElement("w:pgNumType")
    start.set(qn("w:start"), "1")
    anchor = next((sect.find(qn(t)) for t in ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                               "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid")
                   if sect.find(qn(t)) is not None), None)
    if anchor is not None:
        anchor.addprevious(start)
    else:
        sect.append(start)
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(0)
    p._p.get_or_add_pPr().append(sect)
    return p


def _no_borders(table):
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _widths(table, widths_mm):
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, w in enumerate(widths_mm):
        table.columns[i].width = Mm(w)
        for cell in table.columns[i].cells:
            cell.width = Mm(w)


def _cell_first(cell):
    """The empty paragraph every new cell has; reuse it for the first line."""
    return cell.paragraphs[0]


def _fill(p, text, *, bold=False, italic=False, size=None, align=CENTER, space_after=0):
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        run.italic = italic or None
        if size:
            run.font.size = Pt(size)
    p.paragraph_format.alignment = align
    p.paragraph_format.space_after = Pt(space_after)
    p.paragraph_format.first_line_indent = Mm(0)
    return p


def layout_table(doc, widths_mm):
    table = doc.add_table(rows=1, cols=len(widths_mm))
    _no_borders(table)
    _widths(table, widths_mm)
    return table


# --- NĐ 30 building blocks -----------------------------------------------------

def national_header(doc, ky_hieu_field: str = "{{ ky_hieu }}", trich_yeu: str | None = None):
    """Issuing body + Số (left; for a công văn its "V/v" trích yếu under the Số) | Quốc hiệu, tiêu ngữ,
    place and date (right)."""
    table = layout_table(doc, HEADER_COLS_MM)
    left, right = table.rows[0].cells
    # NĐ 30 Phụ lục I: a People's Committee names no body above it (it is not "chủ quản" of the
    # ward): "ỦY BAN NHÂN DÂN" / "PHƯỜNG …", bold, one paragraph with a line break.
    _fill(_cell_first(left), "{{ ten_co_quan }}", bold=True, size=13)
    short_rule(left, 19)
    _fill(left.add_paragraph(), "Số:       /" + ky_hieu_field, size=13)
    if trich_yeu:
        _fill(left.add_paragraph(), trich_yeu, size=12, space_after=0)

    _fill(_cell_first(right), "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
    _fill(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
    short_rule(right, 22, RULE_FULL)
    _fill(right.add_paragraph(), "{{ dia_danh }}, ngày {{ ky.ngay }} tháng {{ ky.thang }} năm {{ ky.nam }}",
          italic=True, size=13)
    para(doc, "", space_after=6)
    return table


def title(doc, *lines: str):
    for i, line in enumerate(lines):
        para(doc, line, bold=True, align=CENTER, space_after=0 if i < len(lines) - 1 else 4, keep_next=True)
    short_rule(doc, 62)


def signature(doc, noi_nhan_field: str = "noi_nhan", *, title_lines=("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
              signer: str = "{{ chu_tich }}"):
    """Nơi nhận ("Nơi nhận:" bold italic 12 pt, its list 11 pt; left) beside the signature block (right)."""
    para(doc, "", space_after=0)
    table = layout_table(doc, (80, TEXT_WIDTH_MM - 80))
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    _fill(_cell_first(left), "Nơi nhận:", bold=True, italic=True, size=12, align=LEFT)
    tag(left, f"{{%p for n in {noi_nhan_field} %}}")
    _fill(left.add_paragraph(), "{{ n }}", size=NOI_NHAN_PT, align=LEFT)
    tag(left, "{%p endfor %}")

    _fill(_cell_first(right), title_lines[0], bold=True, size=14)
    for line in title_lines[1:]:
        _fill(right.add_paragraph(), line, bold=True, size=14)
    for _ in range(4):
        _fill(right.add_paragraph(), "", size=14)
    _fill(right.add_paragraph(), signer, bold=True, size=14)
    return table


def data_table(doc, headers, fields, widths_mm, *, loop: str, size=TABLE_PT, total=None):
    """A bordered table: bold header row, one {%tr for %} row per item, optional total row."""
    rows = 4 + (1 if total else 0)
    table = doc.add_table(rows=rows, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    _widths(table, widths_mm)
    for i, h in enumerate(headers):
        _fill(_cell_first(table.rows[0].cells[i]), h, bold=True, size=size)
    _fill(_cell_first(table.rows[1].cells[0]), f"{{%tr for r in {loop} %}}", size=size)
    for i, f in enumerate(fields):
        align = LEFT if f.startswith("~") else CENTER
        _fill(_cell_first(table.rows[2].cells[i]), "{{ " + f.lstrip("~") + " }}", size=size, align=align)
    _fill(_cell_first(table.rows[3].cells[0]), "{%tr endfor %}", size=size)
    if total:
        for i, f in enumerate(total):
            _fill(_cell_first(table.rows[4].cells[i]), f, bold=True, size=size)
    # No row split across pages; the header row repeats on each page.
    for row in table.rows:
        _cant_split(row)
    trpr = table.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    trpr.append(hdr)
    para(doc, "", space_after=0)
    return table


def _cant_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    if trpr.find(qn("w:cantSplit")) is None:
        trpr.insert(0, OxmlElement("w:cantSplit"))


def bullet_loop(doc, loop: str, text: str = "- {{ x }}"):
    tag(doc, f"{{%p for x in {loop} %}}")
    body(doc, text, space_after=PARAGRAPH_GAP_PT)
    tag(doc, "{%p endfor %}")


def save(doc, path: Path) -> Path:
    """Save with fixed zip timestamps, so a rebuild with no change is byte-identical."""
    raw = io.BytesIO()
    doc.save(raw)
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(fixed.getvalue())
    tmp.replace(path)
    return path


# --- the five templates --------------------------------------------------------

def build_ketqua() -> "Document":
    doc = new_document()
    national_header(doc)
    title(doc, "BÁO CÁO", "Kết quả hội nghị đối thoại giữa Chủ tịch {{ don_vi }}",
          "với Nhân dân trên địa bàn{{ hn.dot }}")
    body(doc, "Thực hiện Kế hoạch tổ chức đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân trên địa bàn "
              "năm {{ hn.nam }}, {{ don_vi_day_du }} báo cáo kết quả hội nghị đối thoại như sau:")
    heading(doc, "I. CÔNG TÁC TỔ CHỨC")
    heading(doc, "1. Thời gian, địa điểm")
    body(doc, "Hội nghị được tổ chức vào hồi {{ hn.gio }}, {{ hn.thu }} ngày {{ hn.ngay }} tại {{ hn.dia_diem }}.")
    body(doc, "Chủ trì: {{ hn.chu_tri }}. Thư ký hội nghị: {{ hn.thu_ky }}.")
    body(doc, "Chương trình, nội dung, thời gian và địa điểm hội nghị được thông báo trên hệ thống đài "
              "truyền thanh phường {{ hn.thong_bao }}.")
    heading(doc, "2. Thành phần tham dự")
    body(doc, "Tổng số đại biểu được mời: {{ tong.moi }}; có mặt: {{ tong.co_mat }} đại biểu, trong đó đại diện "
              "Nhân dân {{ tong.nhan_dan_co_mat }} người thuộc {{ tong.so_to }} tổ dân phố.")
    body(doc, "a) Theo thành phần:", keep_next=True)
    data_table(doc, ["STT", "Thành phần", "Được mời", "Có mặt"],
               ["r.stt", "~r.ten", "r.moi", "r.co_mat"], (14, 91, 30, 30), loop="theo_thanh_phan",
               total=["", "Tổng cộng", "{{ tong.moi }}", "{{ tong.co_mat }}"])
    body(doc, "b) Đại diện Nhân dân theo tổ dân phố:", keep_next=True)
    data_table(doc, ["STT", "Tổ dân phố", "Được mời", "Có mặt", "Định mức"],
               ["r.stt", "~r.ten", "r.moi", "r.co_mat", "r.dinh_muc"], (14, 71, 27, 26, 27), loop="theo_to",
               total=["", "Tổng cộng", "{{ tong.nhan_dan_moi }}", "{{ tong.nhan_dan_co_mat }}", ""])
    heading(doc, "II. KẾT QUẢ ĐỐI THOẠI")
    heading(doc, "1. Tổng hợp ý kiến, kiến nghị")
    body(doc, "Tại hội nghị có {{ kn.tong }} ý kiến, kiến nghị của Nhân dân, trong đó: trả lời trực tiếp tại "
              "hội nghị {{ kn.tai_hoi_nghi }}; tiếp thu, trả lời bằng văn bản {{ kn.van_ban }}; chuyển cấp trên "
              "giải quyết {{ kn.cap_tren }}.{{ kn.chua_phan_loai_text }}")
    body(doc, "Theo lĩnh vực:", keep_next=True)
    data_table(doc, ["STT", "Lĩnh vực", "Số kiến nghị", "Tại hội nghị", "Bằng văn bản", "Chuyển cấp trên"],
               ["r.stt", "~r.ten", "r.tong", "r.tai_hoi_nghi", "r.van_ban", "r.cap_tren"],
               (12, 57, 24, 24, 24, 24), loop="theo_linh_vuc",
               total=["", "Tổng cộng", "{{ kn.tong }}", "{{ kn.tai_hoi_nghi }}", "{{ kn.van_ban }}",
                      "{{ kn.cap_tren }}"])
    heading(doc, "2. Danh sách kiến nghị và phân công xử lý")
    data_table(doc, ["STT", "Tổ dân phố", "Nội dung kiến nghị", "Lĩnh vực", "Bộ phận chủ trì",
                     "Hạn xử lý", "Hình thức trả lời"],
               ["r.stt", "~r.nguoi", "~r.noi_dung", "~r.linh_vuc", "~r.chu_tri", "r.han", "~r.hinh_thuc"],
               (13, 26, 41, 22, 21, 23, 19), loop="kien_nghi", size=11)
    heading(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ")
    bullet_loop(doc, "de_xuat")
    body(doc, "Trên đây là báo cáo kết quả hội nghị đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân "
              "trên địa bàn, {{ don_vi_day_du }} kính báo cáo {{ co_quan_cap_tren_thuong }} xem xét, chỉ đạo./.")
    signature(doc)
    return doc


def build_giaymoi() -> "Document":
    doc = new_document(body_pt=13, space_after_pt=PARAGRAPH_GAP_PT)
    tag(doc, "{%p for d in dai_bieu %}")
    national_header(doc)
    title(doc, "GIẤY MỜI", "Dự hội nghị đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân")
    body(doc, "{{ don_vi_day_du }} trân trọng kính mời:", indent_first_mm=12.7)
    para(doc, "{{ d.xung_ho }} {{ d.ho_ten }}", bold=True, align=CENTER, space_after=0)
    para(doc, "{{ d.mo_ta }}", italic=True, align=CENTER)
    body(doc, "Tới dự hội nghị đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân trên địa bàn{{ hn.dot }}.")
    body(doc, "Thời gian: {{ hn.gio }}, {{ hn.thu }} ngày {{ hn.ngay }}.", bold=True)
    body(doc, "Địa điểm: {{ hn.dia_diem }}.", bold=True)
    body(doc, "Chương trình hội nghị:", keep_next=True)
    for item in PROGRAMME:
        body(doc, "- " + item, space_after=PARAGRAPH_GAP_PT)
    body(doc, "Rất mong {{ d.xung_ho_thuong }} đến dự đúng giờ để hội nghị thành công./.")
    signature(doc, "noi_nhan")
    tag(doc, "{%p if not loop.last %}")
    section_break(doc)      # each invitation a letter of its own: its own page, numbered from 1
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    return doc


def build_phieuchuyen() -> "Document":
    doc = new_document()
    national_header(doc)
    title(doc, "PHIẾU CHUYỂN", "Kiến nghị của Nhân dân tại hội nghị đối thoại")
    para(doc, "Kính gửi: {{ bp.kinh_gui }}.", align=CENTER, space_after=8)
    tag(doc, "{%p if bp.cap_tren %}")
    body(doc, "Thực hiện Kế hoạch tổ chức đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân, {{ don_vi_day_du }} "
              "chuyển đến {{ bp.kinh_gui }} {{ so_kien_nghi }} kiến nghị của Nhân dân vượt thẩm quyền giải quyết "
              "của phường (danh sách kèm theo).")
    body(doc, "Đề nghị {{ bp.kinh_gui }} xem xét, giải quyết theo thẩm quyền và thông báo kết quả cho "
              "{{ don_vi_day_du }} để trả lời Nhân dân.")
    tag(doc, "{%p else %}")
    body(doc, "Thực hiện Kế hoạch tổ chức đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân, {{ don_vi_day_du }} "
              "chuyển đến {{ bp.kinh_gui }} {{ so_kien_nghi }} kiến nghị của Nhân dân chưa được giải quyết xong "
              "(danh sách kèm theo), trong đó {{ so_qua_han }} kiến nghị đã quá hạn xử lý.")
    body(doc, "Đề nghị {{ bp.kinh_gui }} nghiên cứu, tham mưu trả lời bằng văn bản trước hạn xử lý ghi trong bảng; "
              "đối với kiến nghị đã quá hạn, khẩn trương trả lời và báo cáo kết quả về {{ van_phong }} để tổng hợp.")
    tag(doc, "{%p endif %}")
    data_table(doc, ["STT", "Mã kiến nghị", "Người kiến nghị", "Nội dung kiến nghị", "Hạn xử lý", "Tình trạng"],
               ["r.stt", "r.ma", "~r.nguoi", "~r.noi_dung", "r.han", "~r.tinh_trang"],
               (13, 31, 30, 40, 23, 28), loop="kien_nghi", size=11)
    body(doc, "Tình trạng tính đến ngày {{ ngay_lap }}.", italic=True)
    signature(doc, "noi_nhan")
    return doc


def build_thongbao() -> "Document":
    doc = new_document()
    national_header(doc)
    title(doc, "THÔNG BÁO", "Về việc tổ chức hội nghị đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân")
    body(doc, "Thực hiện Kế hoạch tổ chức đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân trên địa bàn "
              "năm {{ hn.nam }}, {{ don_vi_day_du }} thông báo tới toàn thể Nhân dân như sau:")
    heading(doc, "1. Thời gian")
    body(doc, "{{ hn.gio }}, {{ hn.thu }} ngày {{ hn.ngay }}.")
    heading(doc, "2. Địa điểm")
    body(doc, "{{ hn.dia_diem }}.")
    heading(doc, "3. Thành phần tham dự")
    bullet_loop(doc, "thanh_phan")
    heading(doc, "4. Nội dung")
    body(doc, "Lắng nghe ý kiến của Nhân dân về tình hình kinh tế - xã hội, an ninh quốc phòng và các vấn đề "
              "khác của địa phương; trả lời, giải thích, tiếp thu các ý kiến, kiến nghị của Nhân dân.")
    heading(doc, "5. Chương trình hội nghị")
    for item in PROGRAMME:
        body(doc, "- " + item, space_after=PARAGRAPH_GAP_PT)
    body(doc, "{{ don_vi_day_du }} trân trọng thông báo để Nhân dân được biết và tham gia, gửi ý kiến, kiến "
              "nghị qua tổ trưởng tổ dân phố hoặc trực tiếp tại hội nghị./.")
    signature(doc, "noi_nhan")
    return doc


def build_thang() -> "Document":
    doc = new_document()
    national_header(doc)
    title(doc, "BÁO CÁO", "Tình hình tiếp nhận, giải quyết kiến nghị của Nhân dân",
          "tháng {{ thang.thang }} năm {{ thang.nam }}")
    body(doc, "{{ don_vi_day_du }} báo cáo tình hình tiếp nhận, giải quyết kiến nghị của Nhân dân qua hội nghị "
              "đối thoại trong tháng {{ thang.thang }}/{{ thang.nam }} (từ ngày {{ thang.tu }} đến ngày "
              "{{ thang.den }}) như sau:")
    heading(doc, "I. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT")
    body(doc, "Trong tháng tiếp nhận {{ so.tiep_nhan }} kiến nghị; đã trả lời, giải quyết {{ so.tra_loi }} "
              "kiến nghị; chuyển cấp trên {{ so.cap_tren }} kiến nghị.")
    body(doc, "Đến hết ngày {{ thang.moc }}: còn {{ so.dang_xu_ly }} kiến nghị đang xử lý, trong đó "
              "{{ so.qua_han }} kiến nghị quá hạn.")
    heading(doc, "1. Theo lĩnh vực")
    data_table(doc, ["STT", "Lĩnh vực", "Tiếp nhận", "Đã trả lời", "Quá hạn"],
               ["r.stt", "~r.ten", "r.tiep_nhan", "r.tra_loi", "r.qua_han"], (12, 81, 24, 24, 24),
               loop="theo_linh_vuc",
               total=["", "Tổng cộng", "{{ so.tiep_nhan }}", "{{ so.tra_loi }}", "{{ so.qua_han }}"])
    heading(doc, "2. Theo bộ phận chủ trì")
    data_table(doc, ["STT", "Bộ phận", "Tiếp nhận", "Đã trả lời", "Đang xử lý", "Quá hạn"],
               ["r.stt", "~r.ten", "r.tiep_nhan", "r.tra_loi", "r.dang_xu_ly", "r.qua_han"],
               (12, 65, 22, 22, 22, 22), loop="theo_bo_phan")
    heading(doc, "II. KIẾN NGHỊ QUÁ HẠN")
    body(doc, "{{ qua_han_text }}")
    data_table(doc, ["STT", "Mã kiến nghị", "Nội dung kiến nghị", "Bộ phận chủ trì", "Hạn xử lý", "Quá hạn (ngày làm việc)"],
               ["r.stt", "r.ma", "~r.noi_dung", "~r.chu_tri", "r.han", "r.so_ngay"],
               (13, 31, 47, 29, 23, 22), loop="qua_han", size=11)
    heading(doc, "III. ĐỀ XUẤT")
    bullet_loop(doc, "de_xuat")
    body(doc, "Trên đây là báo cáo tháng {{ thang.thang }}/{{ thang.nam }}, {{ don_vi_day_du }} kính báo cáo "
              "{{ co_quan_cap_tren_thuong }}./.")
    signature(doc)
    return doc


def build_dondoc() -> "Document":
    """A công văn (Phụ lục III: no tên loại; ký hiệu UBND-<đơn vị soạn thảo>; "V/v" trích yếu under the Số)
    of the UBND, signed by its Chủ tịch, urging a department to answer its overdue petitions."""
    doc = new_document()
    national_header(doc, trich_yeu="V/v đôn đốc trả lời kiến nghị của Nhân dân đã quá hạn xử lý")
    para(doc, "Kính gửi: {{ bp.kinh_gui }}.", align=CENTER, space_after=8, space_before=6)
    body(doc, "Thực hiện Kế hoạch tổ chức đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân, đến ngày "
              "{{ ngay_lap }}, {{ bp.kinh_gui }} còn {{ so_qua_han }} kiến nghị của Nhân dân đã quá hạn xử lý "
              "nhưng chưa có văn bản trả lời (danh sách dưới đây; số ngày quá hạn tính theo ngày làm việc).")
    data_table(doc, ["STT", "Mã kiến nghị", "Tổ dân phố", "Nội dung kiến nghị", "Hạn xử lý",
                     "Quá hạn (ngày làm việc)"],
               ["r.stt", "r.ma", "~r.nguoi", "~r.noi_dung", "r.han", "r.so_ngay"],
               (13, 31, 26, 49, 23, 23), loop="kien_nghi", size=11)
    body(doc, "{{ don_vi_day_du }} đề nghị {{ bp.kinh_gui }} khẩn trương tham mưu trả lời bằng văn bản các kiến "
              "nghị trên trước ngày {{ han_tra_loi }} ({{ so_ngay_han }} ngày làm việc); ghi ngày, hình thức, kết "
              "quả và số văn bản trả lời vào tệp trả lời của bộ phận để {{ van_phong }} tổng hợp, báo cáo Chủ tịch "
              "Ủy ban nhân dân phường./.")
    signature(doc, "noi_nhan")
    return doc


def build_kehoach() -> "Document":
    doc = new_document()
    national_header(doc)
    title(doc, "KẾ HOẠCH", "Đối thoại giữa Chủ tịch {{ don_vi }}", "với Nhân dân trên địa bàn năm {{ nam }}")
    tag(doc, "{%p for x in can_cu %}")
    body(doc, "{{ x }}", italic=True)      # căn cứ in italics (Phụ lục I)
    tag(doc, "{%p endfor %}")
    body(doc, "{{ don_vi_day_du }} ban hành Kế hoạch tổ chức đối thoại giữa Chủ tịch {{ don_vi }} với Nhân dân "
              "trên địa bàn năm {{ nam }} cụ thể như sau:")
    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    heading(doc, "1. Mục đích")
    for text in PURPOSE:
        body(doc, text)
    heading(doc, "2. Yêu cầu")
    for text in REQUIREMENTS:
        body(doc, text)
    heading(doc, "II. NỘI DUNG")
    heading(doc, "1. Đối tượng đối thoại")
    body(doc, "Đại diện Nhân dân trên địa bàn {{ dia_ban }}.")
    heading(doc, "2. Hình thức tổ chức, chủ trì và thư ký hội nghị đối thoại")
    body(doc, "Hình thức tổ chức: đối thoại trực tiếp giữa đồng chí Chủ tịch {{ don_vi }} với đại diện Nhân dân.")
    body(doc, "Chủ trì: {{ chu_tri }}.")
    body(doc, "Thư ký hội nghị: {{ thu_ky }}.")
    heading(doc, "3. Thời gian và địa điểm")
    tag(doc, "{%p for h in hoi_nghi %}")
    body(doc, "- {{ h.ten }}: {{ h.thoi_gian }}.")
    tag(doc, "{%p endfor %}")
    body(doc, "Địa điểm: {{ dia_diem }}.")
    heading(doc, "4. Thành phần tham dự")
    bullet_loop(doc, "thanh_phan", "{{ x }}")
    heading(doc, "5. Nội dung đối thoại")
    body(doc, "Lắng nghe ý kiến của Nhân dân về tình hình kinh tế - xã hội, an ninh quốc phòng và các vấn đề khác "
              "của địa phương.")
    heading(doc, "6. Chương trình hội nghị đối thoại")
    for item in PROGRAMME:
        body(doc, "- " + item, space_after=PARAGRAPH_GAP_PT)
    heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    tag(doc, "{%p for b in bo_phan %}")
    heading(doc, "{{ b.stt }}. {{ b.ten }}")
    tag(doc, "{%p for v in b.viec %}")
    body(doc, "- {{ v }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endfor %}")
    body(doc, "Trên đây là Kế hoạch tổ chức hội nghị đối thoại trực tiếp giữa đồng chí Chủ tịch {{ don_vi }} với "
              "Nhân dân trên địa bàn năm {{ nam }}, đề nghị các bộ phận căn cứ nội dung kế hoạch triển khai thực "
              "hiện nhiệm vụ được phân công./.")
    signature(doc)
    return doc


def build_tong_hop_tinh():
    """The province's report of the period (toolkit.rollup.report): the same NĐ 30 blocks."""
    mt = sys.modules[__name__]
    doc = mt.new_document()
    mt.national_header(doc, ky_hieu_field="BC-UBND")
    mt.title(doc, "BÁO CÁO", "Kết quả hội nghị đối thoại giữa Chủ tịch UBND cấp xã với Nhân dân",
             "của các phường, xã, tính đến ngày {{ moc }}")
    mt.body(doc, "Tổng hợp từ sổ đối thoại của {{ t.wards }} đơn vị: {{ t.conferences }} hội nghị đã tổ chức, "
                 "trong đó {{ t.deadlines_met }} hội nghị bảo đảm đủ thời hạn luật định (thông báo trước hội nghị, "
                 "báo cáo kết quả sau hội nghị) và {{ t.deadlines_missed }} hội nghị trễ hạn.")
    mt.body(doc, "Các đơn vị tiếp nhận {{ t.petitions }} kiến nghị của Nhân dân; đã trả lời, giải quyết "
                 "{{ t.answered }} kiến nghị ({{ ty_le }}); chuyển cấp trên {{ t.forwarded }} kiến nghị; "
                 "còn {{ t.overdue }} kiến nghị quá hạn xử lý.")
    mt.heading(doc, "I. KẾT QUẢ THEO ĐƠN VỊ")
    mt.data_table(doc, ["STT", "Đơn vị", "Hội nghị", "Kiến nghị", "Đã trả lời", "Quá hạn", "Chuyển cấp trên"],
                  ["r.stt", "~r.ward", "r.conferences", "r.petitions", "r.answered", "r.overdue", "r.forwarded"],
                  (11, 56, 18, 20, 20, 18, 22), loop="wards", size=11,
                  total=["", "Tổng cộng", "{{ t.conferences }}", "{{ t.petitions }}", "{{ t.answered }}",
                         "{{ t.overdue }}", "{{ t.forwarded }}"])
    mt.heading(doc, "II. LĨNH VỰC ĐƯỢC NÊU Ở NHIỀU ĐƠN VỊ")
    mt.body(doc, "{{ topics_text }}")
    mt.data_table(doc, ["STT", "Lĩnh vực", "Số đơn vị", "Kiến nghị", "Đã trả lời", "Quá hạn"],
                  ["r.stt", "~r.linh_vuc", "r.wards", "r.petitions", "r.answered", "r.overdue"],
                  (11, 70, 20, 22, 22, 20), loop="topics", size=11)
    mt.heading(doc, "III. ĐƠN VỊ TRỄ HẠN LUẬT ĐỊNH")
    mt.body(doc, "{{ missed_text }}")
    mt.bullet_loop(doc, "missed")
    mt.body(doc, "Trên đây là báo cáo tổng hợp kết quả hội nghị đối thoại của các đơn vị./.")
    mt.signature(doc, title_lines=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), signer="")
    return doc



BUILDERS = {
    "ketqua": build_ketqua,
    "giaymoi": build_giaymoi,
    "phieuchuyen": build_phieuchuyen,
    "thongbao": build_thongbao,
    "thang": build_thang,
    "dondoc": build_dondoc,
    "kehoach": build_kehoach,
}


# Templates that are not a ward document kind (staff cannot replace them in mau-van-ban/).
OTHERS = {"bao-cao-tong-hop-tinh.docx": build_tong_hop_tinh}


def build_all(out_dir: Path = TEMPLATE_DIR) -> list[Path]:
    return ([save(build(), Path(out_dir) / wordtemplates.TEMPLATES[kind]) for kind, build in BUILDERS.items()]
            + [save(build(), Path(out_dir) / name) for name, build in OTHERS.items()])


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_DIR
    for p in build_all(target):
        print(p)
