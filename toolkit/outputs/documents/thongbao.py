"""The thông báo: the public announcement of one conference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import model, schema

from toolkit.outputs.documents.common import (
    Rendered, slug, fmt_date, noi_nhan_lines, document_date, common_context, pick_conference, conference_context, render_template,
)


# --- thongbao: announcement ------------------------------------------------------

def thongbao_context(dataset: model.Dataset, conf: model.Conference, *, today: dt.date) -> dict:
    ctx = common_context(dataset, today, "TB", signed=document_date("thongbao", conf, dataset.config, today))
    ctx["hn"] = conference_context(conf)
    ctx["thanh_phan"] = [x[2:] for x in noi_nhan_lines(dataset.lists.get("thanh_phan") or schema.LISTS["thanh_phan"][1])]
    ctx["noi_nhan"] = noi_nhan_lines(["Đài truyền thanh phường (để phát)", "Các tổ dân phố (để niêm yết)",
                                 "Cổng thông tin điện tử phường", "Lưu: VT"], dataset.config)
    return ctx


def render_thongbao(dataset, summary, out_dir, *, today: dt.date, session: str | None = None,
                    templates_dir: Path | None = None, context: dict | None = None) -> Rendered:
    out = Rendered()
    conf = pick_conference(dataset, session, "thongbao", today, out.messages)
    ctx = context or thongbao_context(dataset, conf, today=today)
    out.append(render_template("thongbao", ctx, Path(out_dir) / f"thong-bao-{slug(conf.ma)}.docx", templates_dir))
    days = dataset.config.thong_bao_truoc
    if conf.ngay:
        due = conf.ngay - dt.timedelta(days=days)
        out.messages.append(f"Thông báo hội nghị {conf.ma} cần phát trên đài truyền thanh và niêm yết chậm nhất "
                            f"ngày {fmt_date(due)} ({days} ngày trước hội nghị).")
        sent = conf.ngay_thong_bao
        if sent and sent > due:
            out.messages.append(f"Cảnh báo: ngày thông báo {fmt_date(sent)} muộn hơn hạn {fmt_date(due)}. "
                                "Thông báo sớm hơn hoặc lùi ngày hội nghị.")
        elif not sent and due < today <= conf.ngay:
            out.messages.append(f"Cảnh báo: đã qua hạn thông báo ({fmt_date(due)}). Phát thông báo ngay.")
    return out
