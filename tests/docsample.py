"""A small ward dataset built from model records, shared by the document tests."""

from __future__ import annotations

import datetime as dt

from docx import Document

from toolkit.core import defaults, model

TODAY = dt.date(2024, 7, 20)
CONF = "HN-2024-06"
TRICKY = "Xin hỏi {{ 7*7 }} và {% if true %}X{% endif %} <b>đậm</b> & Công ty A&B"
PHONE = "0912345678"
PETITIONER_PHONE = "0987654321"


def dataset() -> model.Dataset:
    cfg = model.Config(
        ten_don_vi="UBND phường Hà Cầu", co_quan_cap_tren="UBND quận Hà Đông", dia_danh="Hà Cầu",
        chu_tich="Dương Thế Vinh", thu_ky="Nguyễn Thị Thu", ky_hieu_bao_cao="BC-UBND",
        noi_nhan_bao_cao=["Thường trực HĐND quận", "UBND quận", "Chủ tịch UBND quận", "Tổ đại biểu HĐND quận",
                          "TT ĐU - UBND phường", "Lưu: VT"])
    confs = [
        model.Conference(2, CONF, "Hội nghị đối thoại 6 tháng đầu năm 2024", dt.date(2024, 6, 15), dt.time(8, 0),
                         "Hội trường tầng 3, Trụ sở Đảng ủy - UBND phường", "Dương Thế Vinh", "Nguyễn Thị Thu",
                         dt.date(2024, 6, 5)),
        model.Conference(3, "HN-2024-11", "Hội nghị đối thoại cuối năm 2024", dt.date(2024, 11, 20), dt.time(14, 0),
                         "Hội trường tầng 3, Trụ sở Đảng ủy - UBND phường", "Dương Thế Vinh", "Nguyễn Thị Thu"),
    ]
    groups = [model.Group(2, "TDP01", "Tổ dân phố 1"), model.Group(3, "TDP02", "Tổ dân phố 2"),
              model.Group(4, "TDP03", "Tổ dân phố 3", toi_thieu=3, toi_da=5)]
    depts = [model.Department(i + 2, code, name) for i, (code, name) in enumerate(defaults.DEPARTMENTS)]
    D = model.Delegate
    people = "Đại diện Nhân dân"
    delegates = [
        D(2, "Lê Văn Bình", gioi_tinh="Nam", thanh_phan="Lãnh đạo UBND phường", chuc_vu="Phó Chủ tịch UBND phường",
          hoi_nghi=CONF, duoc_moi=True, co_mat=True),
        D(3, "Trần Thị Ánh", gioi_tinh="Nữ", thanh_phan="MTTQ và các đoàn thể", chuc_vu="Chủ tịch UBMTTQ phường",
          hoi_nghi=CONF, duoc_moi=True, co_mat=True),
        D(4, "Phạm Văn Đức", gioi_tinh="Nam", thanh_phan="Công an, Quân sự", chuc_vu="Trưởng Công an phường",
          hoi_nghi=CONF, duoc_moi=True, co_mat=False),
        D(5, "Nguyễn Văn An", gioi_tinh="Nam", thanh_phan=people, to_dan_pho="TDP01", dien_thoai=PETITIONER_PHONE,
          hoi_nghi=CONF, duoc_moi=True, co_mat=True),
        D(6, "Đỗ Thị Hoa", gioi_tinh="Nữ", thanh_phan=people, to_dan_pho="TDP01", dien_thoai=PHONE,
          hoi_nghi=CONF, duoc_moi=True, co_mat=True),
        D(7, "Vũ Văn Ân", gioi_tinh="Nam", thanh_phan=people, to_dan_pho="Tổ dân phố 2", hoi_nghi=CONF,
          duoc_moi=True, co_mat=False),
        D(8, "Hoàng Thị Ấn", gioi_tinh="Nữ", thanh_phan=people, to_dan_pho="TDP02", hoi_nghi=CONF,
          duoc_moi=True, co_mat=True),
        D(9, "Bùi Minh Châu", gioi_tinh="", thanh_phan=people, to_dan_pho="TDP03", hoi_nghi=CONF,
          duoc_moi=True, co_mat=True),
        D(10, "Ngô Văn Bảo", gioi_tinh="Nam", thanh_phan=people, to_dan_pho="TDP03", hoi_nghi=CONF,
          duoc_moi=False, co_mat=False),
        D(11, "Lý Thị Lan", gioi_tinh="Nữ", thanh_phan=people, to_dan_pho="TDP02", hoi_nghi="HN-2024-11",
          duoc_moi=True),
    ]
    P = model.Petition
    petitions = [
        P(2, "KN-2024-06-001", CONF, dt.date(2024, 6, 15), "Nguyễn Văn An", "TDP01", "Đất đai",
          "Đề nghị cấp giấy chứng nhận quyền sử dụng đất cho các hộ ngõ 5.", "Trả lời bằng văn bản", "DC",
          han=dt.date(2024, 7, 5), trang_thai="Đang xử lý"),
        P(3, "KN-2024-06-002", CONF, dt.date(2024, 6, 15), "Đỗ Thị Hoa", "TDP01", "Môi trường - Vệ sinh",
          f"Rác thải tồn đọng ở đầu ngõ, liên hệ {PHONE} để phối hợp.", "Trả lời tại hội nghị", "DC",
          han=dt.date(2024, 7, 1), trang_thai="Đã trả lời tại hội nghị", ngay_tra_loi=dt.date(2024, 6, 15),
          ket_qua="Đã giải thích tại hội nghị"),
        P(4, "KN-2024-06-003", CONF, dt.date(2024, 6, 15), "Hoàng Thị Ấn", "TDP02", "Quy hoạch - Bồi thường",
          "Kiến nghị về bồi thường giải phóng mặt bằng đường Lê Hồng Phong.", "Chuyển cấp trên", "CT",
          han=dt.date(2024, 6, 28), trang_thai="Đã chuyển cấp trên"),
        P(5, "KN-2024-06-004", CONF, dt.date(2024, 6, 15), "Bùi Minh Châu", "TDP03", "An ninh trật tự",
          TRICKY, "Trả lời bằng văn bản", "CA", han=dt.date(2024, 8, 30), trang_thai="Mới tiếp nhận"),
        P(6, "KN-2024-06-005", CONF, dt.date(2024, 6, 15), "Nguyễn Văn An", "TDP01", "Đất đai",
          "Xin trích lục bản đồ địa chính thửa đất số 12.\nĐã nộp hồ sơ từ tháng 3.", "Trả lời bằng văn bản", "DC",
          han=dt.date(2024, 7, 20), trang_thai="Đã trả lời bằng văn bản", ngay_tra_loi=dt.date(2024, 7, 2),
          ket_qua="Đã trả lời"),
        P(7, "KN-2024-06-006", CONF, dt.date(2024, 6, 15), "Vũ Văn Ân", "TDP02", "",
          "Đề nghị lắp thêm đèn chiếu sáng ngõ 7.", "", "DC", han=dt.date(2024, 7, 10), trang_thai="Mới tiếp nhận"),
    ]
    return model.Dataset(config=cfg, conferences=confs, groups=groups, departments=depts, delegates=delegates,
                         petitions=petitions)


def docx_content(path) -> dict:
    """Paragraph texts and table cell texts, in document order (header tables included)."""
    doc = Document(str(path))
    body = doc.element.body
    paragraphs, tables = [], []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.strip():
                paragraphs.append(text)
        elif tag == "tbl":
            rows = []
            for tr in child.iter():
                if not tr.tag.endswith("}tr"):
                    continue
                cells = []
                for tc in tr.iterchildren():
                    if not tc.tag.endswith("}tc"):
                        continue
                    parts = []
                    for p in tc.iter():
                        if p.tag.endswith("}p"):
                            parts.append(_p_text(p))
                    cells.append("\n".join(x for x in parts if x))
                rows.append(cells)
            tables.append(rows)
    return {"paragraphs": paragraphs, "tables": tables}


def _p_text(p) -> str:
    out = []
    for el in p.iter():
        name = el.tag.rsplit("}", 1)[-1]
        if name == "t":
            out.append(el.text or "")
        elif name == "br" and el.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}type") is None:
            out.append("\n")
    return "".join(out)


def all_text(path) -> str:
    c = docx_content(path)
    return "\n".join(c["paragraphs"] + ["\t".join(row) for t in c["tables"] for row in t])
