"""The giấy mời: invitations to one conference, one per invited delegate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import model, references, schema

from toolkit.core.text import fold

from toolkit.outputs.documents.common import (
    Rendered, slug, noi_nhan_lines, document_date, common_context, usable_dataset, invited_delegates, pick_conference, conference_context, Lookup, render_template,
)


# --- giaymoi: invitations -------------------------------------------------------

def _salutation(d: model.Delegate) -> str:
    g = fold(d.gioi_tinh)
    return "Ông" if g == fold("Nam") else "Bà" if g == fold("Nữ") else "Ông/Bà"


def giaymoi_context(dataset, summary, conf: model.Conference, *, today: dt.date) -> dict | None:
    """The invitations' context; None when nobody is invited to the conference."""
    data = usable_dataset(dataset, summary)
    groups = Lookup(references.group_names(data))
    invited = invited_delegates(data, conf.ma)
    if not invited:
        return None
    ctx = common_context(data, today, "GM", signed=document_date("giaymoi", conf, data.config, today))
    ctx["hn"] = conference_context(conf)
    ctx["noi_nhan"] = noi_nhan_lines(["Như trên", "Lưu: VT"], data.config)
    rows = []
    for d in invited:
        xh = _salutation(d)
        grp = groups.name(d.to_dan_pho)
        if fold(d.thanh_phan) == fold(schema.CATEGORY_PEOPLE):
            desc = f"{schema.CATEGORY_PEOPLE} {grp}".strip() if not d.chuc_vu else f"{d.chuc_vu} - {grp}".strip(" -")
        else:
            desc = d.chuc_vu or d.thanh_phan
        rows.append({"ho_ten": d.ho_ten, "xung_ho": xh, "xung_ho_thuong": xh.lower(),
                     "mo_ta": desc})
    ctx["dai_bieu"] = rows
    return ctx


def render_giaymoi(dataset, summary, out_dir, *, today: dt.date, session: str | None = None,
                   templates_dir: Path | None = None, context: dict | None = None) -> Rendered:
    out = Rendered()
    conf = pick_conference(usable_dataset(dataset, summary), session, "giaymoi", today, out.messages)
    ctx = context or giaymoi_context(dataset, summary, conf, today=today)
    if ctx is None:
        out.messages.append(f"Hội nghị {conf.ma} chưa có đại biểu được mời nên chưa làm giấy mời. Đánh dấu cột "
                            "Được mời trong sheet Đại biểu rồi chạy lại.")
        return out
    out.append(render_template("giaymoi", ctx, Path(out_dir) / f"giay-moi-{slug(conf.ma)}.docx", templates_dir))
    out.messages.append(f"Đã làm {len(ctx['dai_bieu'])} giấy mời cho hội nghị {conf.ma} (mỗi đại biểu một trang).")
    return out
