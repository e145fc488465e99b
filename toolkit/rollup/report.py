"""The province's Word report of the period (NĐ 30/2020 layout, DESIGN.md §11): ``bao-cao-tong-hop.docx``.

The template is built with the ward templates' own NĐ 30 building blocks
(``toolkit.outputs.maketemplates``: A4, margins, Times New Roman, the header
table, tên loại and trích yếu with a short rule, Nơi nhận, signer block) and
rendered by docxtpl with autoescape (as ``toolkit.outputs.documents.common`` does), so
a ward's name is text, never markup or a template. The issuing body is the
wards' "Cơ quan cấp trên" (the most common one); number, place and signer are
left for the văn thư to fill, as NĐ 30 wants them typed by the office. No
personal data: figures by ward and topic only.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

FILE_NAME = "bao-cao-tong-hop.docx"
NOI_NHAN = ("Thường trực Tỉnh ủy, Thành ủy", "Thường trực HĐND tỉnh, thành phố",
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh, thành phố", "Các sở, ban, ngành",
            "UBND các phường, xã, đặc khu", "Lưu: VT")


def _template() -> bytes:
    from toolkit.outputs import maketemplates as mt

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
    raw = io.BytesIO()
    doc.save(raw)
    return raw.getvalue()


def context(figures) -> dict:
    from toolkit.rollup import timeline

    t = figures.totals
    cap_tren = Counter(getattr(figures, "cap_tren", []) or []).most_common(1)
    issuer = cap_tren[0][0] if cap_tren else "ỦY BAN NHÂN DÂN TỈNH, THÀNH PHỐ"
    shared = figures.topics_shared
    missed = [f"{r.ward}, hội nghị {r.ma} ngày {r.ngay:%d/%m/%Y}: thông báo {timeline.LABEL[r.notice].lower()}, "
              f"báo cáo kết quả {timeline.LABEL[r.report].lower()}"
              for r in figures.conferences.itertuples() if r.held and r.status == timeline.MISSED]
    return {
        "co_quan_cap_tren": "", "don_vi_hoa": issuer.upper(), "dia_danh": "……", "ky": {"ngay": "……", "thang": "……",
                                                                                        "nam": str(figures.as_of.year)},
        "moc": f"{figures.as_of:%d/%m/%Y}", "t": t,
        "ty_le": f"{t['answered'] / t['petitions'] * 100:.1f}%".replace(".", ",") if t["petitions"] else "0%",
        "wards": [dict(stt=i, ward=r.ward, conferences=r.conferences, petitions=r.petitions, answered=r.answered,
                       overdue=r.overdue, forwarded=r.forwarded) for i, r in enumerate(figures.wards.itertuples(), 1)],
        "topics": [dict(stt=i, linh_vuc=r.linh_vuc, wards=r.wards, petitions=r.petitions, answered=r.answered,
                        overdue=r.overdue) for i, r in enumerate(shared.itertuples(), 1)],
        "topics_text": (f"{len(shared)} lĩnh vực được Nhân dân nêu ở từ 3 đơn vị trở lên:" if len(shared)
                        else "Chưa có lĩnh vực nào được nêu ở từ 3 đơn vị trở lên."),
        "missed_text": (f"{len(missed)} hội nghị trễ hạn luật định:" if missed
                        else "Không có hội nghị nào trễ hạn luật định."),
        "missed": missed,
        "noi_nhan": [f"- {n}{'.' if i == len(NOI_NHAN) - 1 else ';'}" for i, n in enumerate(NOI_NHAN)],
    }


def write(path: Path, figures) -> Path:
    import jinja2
    from docxtpl import DocxTemplate

    from toolkit.xlsx.atomic import atomic_write

    tpl = DocxTemplate(io.BytesIO(_template()))
    tpl.render(context(figures), jinja_env=jinja2.Environment(autoescape=True), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    atomic_write(path, buf.getvalue())
    return path
