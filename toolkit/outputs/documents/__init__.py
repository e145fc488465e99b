"""Official documents from the Word templates, one module per kind (ketqua, giaymoi,
phieuchuyen, thongbao, thang); what they share (dates, NĐ 30 fields, phone masking,
template rendering, PDF conversion) is in ``common``. See ``common`` for the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import model
from toolkit.core.errors import UsageError
from toolkit.outputs import summaries
from toolkit.outputs.documents.common import (  # noqa: F401  (the names callers use, re-exported)
    KINDS, PHONE_MASK, TEMPLATE_DIR, TEMPLATES, PhoneBook, Rendered, find_soffice, mask_phones, to_pdf,
    department_petitions, usable_dataset, working_calendar,
)
from toolkit.outputs.documents.giaymoi import giaymoi_context, render_giaymoi  # noqa: F401
from toolkit.outputs.documents.ketqua import ketqua_context, render_ketqua  # noqa: F401
from toolkit.outputs.documents.dondoc import render_dondoc
from toolkit.outputs.documents.phieuchuyen import phieuchuyen_context, render_phieuchuyen  # noqa: F401
from toolkit.outputs.documents.thang import active_months, render_thang, thang_context  # noqa: F401
from toolkit.outputs.documents.thongbao import render_thongbao, thongbao_context  # noqa: F401


# --- dispatch -------------------------------------------------------------------------

def render_report(kind: str, dataset: model.Dataset, summary: summaries.Summary | None, out_dir, *, today: dt.date,
                  session: str | None = None, department: str | None = None, month=None, pdf: bool = False,
                  include_phones: bool = False, calendar=None, templates_dir: Path | None = None,
                  context: dict | None = None) -> Rendered:
    """Render one kind of document into out_dir; ``pdf=True`` adds PDFs when LibreOffice is installed.
    ``context``: the template context already made for this very document (one session, department
    or month), so a pass that fingerprinted it does not make it twice."""
    if kind not in TEMPLATES:
        raise UsageError(f"Không có loại văn bản '{kind}'. Chọn một trong: {', '.join(KINDS)}.", code="unknown-kind")
    calendar = calendar or working_calendar(dataset)   # days are working days in every document
    if summary is None:
        summary = summaries.build(dataset, None, today=today, calendar=calendar)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if kind == "ketqua":
        out = render_ketqua(dataset, summary, out_dir, today=today, session=session, include_phones=include_phones,
                            templates_dir=templates_dir, context=context)
    elif kind == "giaymoi":
        out = render_giaymoi(dataset, summary, out_dir, today=today, session=session, templates_dir=templates_dir,
                             context=context)
    elif kind == "phieuchuyen":
        out = render_phieuchuyen(dataset, summary, out_dir, today=today, department=department,
                                 calendar=calendar, templates_dir=templates_dir, context=context)
    elif kind == "thongbao":
        out = render_thongbao(dataset, summary, out_dir, today=today, session=session, templates_dir=templates_dir,
                              context=context)
    elif kind == "thang":
        out = render_thang(dataset, summary, out_dir, today=today, month=month, calendar=calendar,
                                  include_phones=include_phones, templates_dir=templates_dir, context=context)
    elif kind == "dondoc":
        out = render_dondoc(dataset, summary, out_dir, today=today, department=department, calendar=calendar,
                            templates_dir=templates_dir)
    else:
        raise UsageError(f"Loại văn bản '{kind}' chưa được nạp.", code="unknown-kind")
    if pdf:
        out.add(to_pdf([p for p in out if p.suffix == ".docx"]))
    return out
