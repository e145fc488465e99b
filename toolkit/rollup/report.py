"""The province's Word report of the period (NĐ 30/2020 layout, docs/ARCHITECTURE.md, "Documents"): ``bao-cao-tong-hop.docx``.

The template is ``templates/bao-cao-tong-hop-tinh.docx``, built with the ward templates'
own NĐ 30 building blocks (``tools/maketemplates.py``: A4, margins, Times New Roman, the
header table, tên loại and trích yếu with a short rule, Nơi nhận, signer block) and
rendered as the ward's documents are (``toolkit.outputs.documents.common.render_source``:
docxtpl with autoescape, the rule under the header fitted to its line, the long table of
wards spliced from the template's own row), so a ward's name is text, never markup or a
template. The issuing body is the wards' "Cơ quan cấp trên" (the most common one); number,
place and signer are left for the văn thư to fill, as NĐ 30 wants them typed by the office.
No personal data: figures by ward and topic only.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

FILE_NAME = "bao-cao-tong-hop.docx"
TEMPLATE = "bao-cao-tong-hop-tinh.docx"      # in templates/ (toolkit.outputs.wordtemplates.PACKAGED_DIR)
NOI_NHAN = ("Thường trực Tỉnh ủy, Thành ủy", "Thường trực HĐND tỉnh, thành phố",
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh, thành phố", "Các sở, ban, ngành",
            "UBND các phường, xã, đặc khu", "Lưu: VT")


def context(figures) -> dict:
    from toolkit.outputs.documents.common import issuing_body
    from toolkit.rollup import timeline

    t = figures.totals
    cap_tren = Counter(getattr(figures, "cap_tren", []) or []).most_common(1)
    issuer = cap_tren[0][0] if cap_tren else "ỦY BAN NHÂN DÂN TỈNH, THÀNH PHỐ"
    shared = figures.topics_shared
    missed = [f"{r.ward}, hội nghị {r.ma} ngày {r.ngay:%d/%m/%Y}: thông báo {timeline.LABEL[r.notice].lower()}, "
              f"báo cáo kết quả {timeline.LABEL[r.report].lower()}"
              for r in figures.conferences.itertuples() if r.held and r.status == timeline.MISSED]
    return {
        "co_quan_cap_tren": "", "don_vi_hoa": issuer.upper(), "ten_co_quan": issuing_body(issuer), "dia_danh": "……", "ky": {"ngay": "……", "thang": "……",
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
    from toolkit.outputs.documents.common import render_source
    from toolkit.outputs.wordtemplates import PACKAGED_DIR
    from toolkit.xlsx.atomic import atomic_write

    atomic_write(path, render_source(PACKAGED_DIR / TEMPLATE, context(figures)))
    return path
