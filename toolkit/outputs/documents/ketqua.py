"""The báo cáo kết quả: the result report of one conference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import model, references, schema

from toolkit.outputs import privacy, summaries
from toolkit.core.text import fold

from toolkit.outputs.documents.common import (
    Rendered, slug, fmt_date, staff_text, office_name, upper_body, is_forwarding, document_date, common_context, usable_dataset, conference_petitions, invited_delegates, pick_conference, conference_context, Lookup, PhoneBook, petitioner_text, render_template,
)


# --- ketqua: result report per conference ---------------------------------------

def _route_counts(ps) -> dict:
    routes = [summaries.answer_route(p) for p in ps]
    return {"tong": len(ps), "tai_hoi_nghi": routes.count("at_conference"),
            "van_ban": routes.count("written"), "cap_tren": routes.count("forwarded")}


def ketqua_context(dataset: model.Dataset, summary: summaries.Summary | None, conf: model.Conference, *,
                   today: dt.date, include_phones: bool = False) -> dict:
    data = usable_dataset(dataset, summary)
    cfg = data.config
    groups, depts = Lookup(references.group_names(data)), Lookup(references.department_names(data))
    invited = invited_delegates(data, conf.ma, attending=True)
    ctx = common_context(data, today, "BC", signed=document_date("ketqua", conf, cfg, today))
    ctx["hn"] = conference_context(conf)

    categories = list(data.lists.get("thanh_phan") or schema.LISTS["thanh_phan"][1])
    by_cat: dict[str, list] = {}
    for d in invited:
        by_cat.setdefault(d.thanh_phan or "(Chưa ghi thành phần)", []).append(d)
    order = [c for c in categories if c in by_cat] + sorted(c for c in by_cat if c not in categories)
    ctx["theo_thanh_phan"] = [{"stt": i, "ten": c, "moi": len(by_cat[c]),
                               "co_mat": sum(1 for d in by_cat[c] if d.co_mat)} for i, c in enumerate(order, 1)]
    people = fold(schema.CATEGORY_PEOPLE)
    reps = [d for d in invited if fold(d.thanh_phan) == people]
    rows = []
    group_of = {id(d): groups.get(d.to_dan_pho) for d in reps}
    by_group: dict[int, list] = {}
    for d in reps:
        by_group.setdefault(id(group_of[id(d)]), []).append(d)
    for g in data.groups:
        mine = by_group.get(id(g), [])
        lo = g.toi_thieu if g.toi_thieu is not None else cfg.so_dai_bieu_toi_thieu
        hi = g.toi_da if g.toi_da is not None else cfg.so_dai_bieu_toi_da
        rows.append({"ten": g.ten or g.ma, "moi": len(mine), "co_mat": sum(1 for d in mine if d.co_mat),
                         "dinh_muc": f"{lo}-{hi}"})
    loose = [d for d in reps if group_of[id(d)] is None]
    if loose:
        rows.append({"ten": summaries.NO_GROUP, "moi": len(loose), "co_mat": sum(1 for d in loose if d.co_mat),
                     "dinh_muc": ""})
    for i, r in enumerate(rows, 1):
        r["stt"] = i
    ctx["theo_to"] = rows
    ctx["tong"] = {
        "moi": len(invited), "co_mat": sum(1 for d in invited if d.co_mat),
        "nhan_dan_moi": len(reps), "nhan_dan_co_mat": sum(1 for d in reps if d.co_mat),
        "so_to": len({id(group_of[id(d)]) for d in reps if d.co_mat and group_of[id(d)] is not None}),
    }

    ps = sorted(conference_petitions(data, conf.ma), key=lambda p: (p.ma or "~", p.row))
    kn = _route_counts(ps)
    unclassified = sum(1 for p in ps if not (p.linh_vuc or "").strip())
    kn["chua_phan_loai_text"] = (f" Trong tổng số {kn['tong']} kiến nghị, có {unclassified} kiến nghị chưa được "
                                 "phân loại lĩnh vực." if unclassified else "")
    ctx["kn"] = kn
    fields = list(data.lists.get("linh_vuc") or schema.LISTS["linh_vuc"][1])
    by_field: dict[str, list] = {}
    for p in ps:
        by_field.setdefault((p.linh_vuc or "").strip() or summaries.NO_FIELD, []).append(p)
    forder = [f for f in fields if f in by_field] + sorted(f for f in by_field if f not in fields and f != summaries.NO_FIELD)
    forder += [summaries.NO_FIELD] if summaries.NO_FIELD in by_field else []
    ctx["theo_linh_vuc"] = [{"stt": i, "ten": f, **_route_counts(by_field[f])} for i, f in enumerate(forder, 1)]

    rule = privacy.policy("ketqua", with_phones=include_phones)

    def clean(text):
        return staff_text(rule.text(text))

    phones = PhoneBook(data.delegates) if rule.may(privacy.PHONE) else None
    route_label = {"at_conference": "Trả lời tại hội nghị", "written": "Trả lời bằng văn bản",
                   "forwarded": "Chuyển cấp trên"}
    def handler(p) -> str:
        """Who handles it: the department, or for a forwarded one the body that receives it (Cơ quan cấp trên)."""
        dept = depts.get(p.chu_tri)
        return upper_body(cfg) if dept is not None and is_forwarding(dept) else depts.name(p.chu_tri, summaries.NO_DEPARTMENT)

    ctx["kien_nghi"] = [{
        "stt": i, "ma": p.ma, "nguoi": clean(petitioner_text(p, groups, phones, rule)),
        "noi_dung": clean(p.noi_dung), "linh_vuc": p.linh_vuc or summaries.NO_FIELD,
        "chu_tri": handler(p), "han": fmt_date(p.han),
        "hinh_thuc": route_label[summaries.answer_route(p)],
    } for i, p in enumerate(ps, 1)]

    proposals = []
    if kn["cap_tren"]:
        proposals.append(f"Đề nghị {ctx['co_quan_cap_tren_thuong']} xem xét, giải quyết {kn['cap_tren']} kiến nghị "
                         "vượt thẩm quyền của phường (chi tiết tại Mục II.2).")
    if kn["van_ban"]:
        proposals.append(f"Giao các bộ phận chuyên môn trả lời bằng văn bản {kn['van_ban']} kiến nghị trước hạn "
                         f"xử lý; {office_name(data)} theo dõi, đôn đốc và tổng hợp kết quả.")
    if not proposals:
        proposals.append("Các kiến nghị của Nhân dân đã được trả lời trực tiếp tại hội nghị.")
    ctx["de_xuat"] = proposals
    return ctx


def render_ketqua(dataset, summary, out_dir, *, today: dt.date, session: str | None = None,
                  include_phones: bool = False, templates_dir: Path | None = None,
                  context: dict | None = None) -> Rendered:
    """``context``: the one ``ketqua_context`` already made for this conference (a pass makes it
    once, for the fingerprint and the document)."""
    out = Rendered()
    conf = pick_conference(dataset, session, "ketqua", today, out.messages)
    ctx = context or ketqua_context(dataset, summary, conf, today=today, include_phones=include_phones)
    out.append(render_template("ketqua", ctx, Path(out_dir) / f"bao-cao-ket-qua-{slug(conf.ma)}.docx", templates_dir))
    days = dataset.config.han_bao_cao
    if conf.ngay:
        due = conf.ngay + dt.timedelta(days=days)
        out.messages.append(f"Báo cáo kết quả hội nghị {conf.ma} phải gửi {ctx['co_quan_cap_tren_thuong']} chậm "
                            f"nhất ngày {fmt_date(due)} ({days} ngày sau hội nghị).")
        if conf.ngay > today:
            out.messages.append(f"Hội nghị {conf.ma} chưa diễn ra (ngày {fmt_date(conf.ngay)}); báo cáo mới là bản "
                                "nháp, số liệu sẽ đầy đủ sau hội nghị.")
        elif today > due:
            out.messages.append(f"Cảnh báo: đã quá hạn gửi báo cáo kết quả hội nghị {conf.ma} "
                                f"{(today - due).days} ngày (hạn {fmt_date(due)}). Trình ký và gửi ngay.")
    return out
