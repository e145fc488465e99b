"""`report --kind kehoach --year YYYY`: the year's Kế hoạch đối thoại, from the workbook (NĐ 30 layout).

The structure is the seed plan's (tests/fixtures/seed/): Căn cứ; I. Mục đích, yêu cầu
(1. Mục đích, 2. Yêu cầu — template text staff may edit in mau-van-ban/);
II. Nội dung (1. Đối tượng, 2. Hình thức tổ chức, chủ trì và thư ký, 3. Thời
gian và địa điểm, 4. Thành phần tham dự, 5. Nội dung, 6. Chương trình); III.
Tổ chức thực hiện (each department's tasks); Nơi nhận; the signature block.

What comes from where:

- legal basis: Cấu hình › Căn cứ ban hành Kế hoạch (one item per ";") when typed, else
  by the date of the year's first conference (``legal.plan_bases``: from 1 July 2025 the
  Luật số 72/2025/QH15 and Cấu hình › Căn cứ của tỉnh/thành phố), each written "Căn cứ …;";
  Nơi nhận: Cấu hình › Nơi nhận Kế hoạch ("- Lưu: VT, <đơn vị soạn thảo>.");
- its date: Cấu hình › Ngày ban hành Kế hoạch, else 30 days before the year's first
  conference, never after its year (``legal.plan_date``);
- the year's conferences: those dated in ``year`` (or undated with the year in
  their code), in date order, with time and place; an undated one is "dự
  kiến" in the month its code names (HN-2025-06: tháng 6);
- chủ trì / thư ký: the first of the year's conferences that names them,
  otherwise "Chủ tịch UBND phường" and Cấu hình › Thư ký;
- participants: the Thành phần list (Danh mục), with the per-group quota from
  Cấu hình for "Đại diện Nhân dân" and the number of groups in Tổ dân phố;
- III: the tasks of Công việc for the year's conferences, grouped by
  department in the order of the Bộ phận sheet (unknown names after), the same
  task of several conferences said once, with its Hạn as a rule ("7 ngày
  trước hội nghị") or, for a fixed date, the dates; a workbook without the
  sheet gets the plan's tasks (``tasks.PLAN_TASKS``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import toolkit.outputs.documents.common as documents

from toolkit.core import model, references, schema

from toolkit.outputs.documents import legal
from toolkit.rules import tasks
from toolkit.core.duerules import Due, parse_due
from toolkit.core.errors import UsageError
from toolkit.core.text import ascii_fold, fold

KIND = "kehoach"


def _items(values, default_key: str) -> list[str]:
    items = values if isinstance(values, list) else str(values or "").split(";")
    items = [str(i).strip().strip(";,.").strip() for i in items if str(i).strip().strip(";,.")]
    if not items:
        items = [i.strip() for i in str(schema.CONFIG_BY_KEY[default_key].default).split(";") if i.strip()]
    return items


def conferences_of(dataset: model.Dataset, year: int) -> list[model.Conference]:
    def in_year(c: model.Conference) -> bool:
        return c.ngay.year == year if c.ngay else str(year) in (c.ma or "")

    return sorted((c for c in dataset.conferences if c.ma and in_year(c)),
                  key=lambda c: (c.ngay or dt.date(year, 12, 31), c.row))


def default_year(dataset: model.Dataset, today: dt.date) -> int:
    """The year of the next conference, else of the latest one, else this year."""
    dated = sorted(c.ngay for c in dataset.conferences if c.ngay)
    coming = [d for d in dated if d >= today]
    return (coming[0] if coming else dated[-1] if dated else today).year


def _when(c: model.Conference) -> str:
    if c.ngay:
        time = f"{documents.fmt_time(c.gio)}, " if c.gio else ""
        return f"{time}{documents.WEEKDAYS[c.ngay.weekday()]} ngày {documents.fmt_date(c.ngay)}"
    m = re.search(r"(\d{4})\D(\d{1,2})\b", c.ma or "")
    return f"dự kiến tháng {int(m.group(2))} năm {m.group(1)}" if m else "dự kiến (chưa có ngày)"


def _department_order(dataset: model.Dataset) -> dict[str, int]:
    return {fold(d.ten): i for i, d in enumerate(dataset.departments) if d.ten}


def _task_lines(dataset: model.Dataset, confs: list[model.Conference]) -> list[dict]:
    """III: [{stt, ten, viec: [text]}] by department."""
    codes = {id(c) for c in confs}
    rows = []
    if schema.CONG_VIEC.key in dataset.tables:
        for t in dataset.tasks:
            conf = references.resolve_conference(dataset, t.hoi_nghi) if t.hoi_nghi else None
            if conf is None or id(conf) not in codes:
                continue
            dept = references.resolve_department(dataset, t.bo_phan) if t.bo_phan else None
            due = t.han if isinstance(t.han, Due) else None
            rows.append(((dept.ten if dept else t.bo_phan) or tasks.NO_DEPARTMENT, t.cong_viec, due, conf,
                         t.ngay_den_han))
    else:
        names = {d.ma.upper(): d.ten for d in dataset.departments if d.ma and d.ten}
        from toolkit.core import defaults

        default_names = dict(defaults.DEPARTMENTS)
        for code, text, rule in tasks.PLAN_TASKS:
            rule = rule.format(notice=dataset.config.thong_bao_truoc, report=dataset.config.han_bao_cao,
                               invite=dataset.config.giay_moi_truoc)
            name = names.get(code) or names.get(defaults.SUCCESSOR.get(code, "")) or default_names[code]
            rows.append((name, text, parse_due(rule), None, None))
    groups: dict[str, dict[str, list]] = {}
    for dept, text, due, conf, day in rows:
        per_task = groups.setdefault(dept, {}).setdefault(text, [])
        per_task.append((due, conf, day))
    order = _department_order(dataset)
    out = []
    for i, dept in enumerate(sorted(groups, key=lambda d: (d == tasks.NO_DEPARTMENT, order.get(fold(d), 999), d)),
                            start=1):
        lines = []
        for text, occurrences in groups[dept].items():
            rules = {due.text() for due, _c, _d in occurrences if due is not None}
            if len(rules) == 1 and all(due is not None and due.relative for due, _c, _d in occurrences):
                when = rules.pop()
            else:
                when = ", ".join(f"hội nghị {c.ma}: {documents.fmt_date(d)}" if len(confs) > 1
                                 else documents.fmt_date(d) for _due, c, d in occurrences if c is not None and d)
            lines.append(text.rstrip(".") + (f" (hạn: {when})." if when else "."))
        out.append({"stt": i, "ten": dept, "viec": lines})
    return out


def kehoach_context(dataset: model.Dataset, year: int, *, today: dt.date) -> dict:
    cfg = dataset.config
    confs = conferences_of(dataset, year)
    first = min((c.ngay for c in confs if c.ngay), default=None)
    ctx = documents.common_context(dataset, today, "KH", signed=legal.plan_date(
        cfg, year, first, documents.working_calendar(dataset), today))
    unit = ctx["don_vi"]
    area = re.sub(r"^\s*(?:UBND|Ủy ban nhân dân)\s+", "", unit, flags=re.IGNORECASE) or "phường"
    people = fold(schema.CATEGORY_PEOPLE)
    categories = []
    for name in dataset.lists.get("thanh_phan") or schema.LISTS["thanh_phan"][1]:
        if fold(name) == people:
            groups = len([g for g in dataset.groups if g.ma or g.ten])
            where = f"{groups} tổ dân phố, " if groups else ""
            name = (f"{name} trên địa bàn ({where}mỗi tổ dân phố từ {cfg.so_dai_bieu_toi_thieu} đến "
                    f"{cfg.so_dai_bieu_toi_da} đại biểu tùy vào tình hình thực tế của địa phương)")
        categories.append(name)
    places = []
    for c in confs:
        if c.dia_diem and c.dia_diem not in places:
            places.append(c.dia_diem)
    chair = next((c.chu_tri for c in confs if c.chu_tri), "") or f"Đồng chí Chủ tịch {unit}"
    clerk = (next((c.thu_ky for c in confs if c.thu_ky), "") or cfg.thu_ky
             or f"Công chức {documents.office_name(dataset)}")
    ctx.update({
        "nam": str(year),
        "dia_ban": area,
        "can_cu": [(item if ascii_fold(item).startswith(("can cu", "thuc hien")) else f"Căn cứ {item}") + ";"
                   for item in legal.plan_bases(cfg, first or dt.date(year, 1, 1))],
        "hoi_nghi": [{"stt": i, "ten": c.ten or c.ma, "ma": c.ma, "thoi_gian": _when(c),
                      "dia_diem": c.dia_diem or ""} for i, c in enumerate(confs, start=1)],
        "dia_diem": "; ".join(places) or "Hội trường UBND phường",
        "chu_tri": chair,
        "thu_ky": clerk,
        "thanh_phan": [f"- {name}{'.' if i == len(categories) - 1 else ';'}" for i, name in enumerate(categories)],
        "bo_phan": _task_lines(dataset, confs),
        "noi_nhan": documents.noi_nhan_lines(_items(cfg.noi_nhan_ke_hoach, "noi_nhan_ke_hoach"), cfg),
    })
    if ctx["can_cu"]:
        ctx["can_cu"][-1] = ctx["can_cu"][-1].rstrip(";") + "."
    return ctx


def render_kehoach(dataset: model.Dataset, out_dir, *, today: dt.date, year: int | None = None, pdf: bool = False,
                   templates_dir: Path | None = None) -> documents.Rendered:
    """ke-hoach-YYYY.docx (and .pdf with ``pdf``) in ``out_dir``."""
    out = documents.Rendered()
    year = year or default_year(dataset, today)
    if not 2000 <= year <= 2100:
        raise UsageError(f"Năm {year} không hợp lệ. Ghi năm có bốn chữ số, ví dụ --year 2025.", code="bad-year")
    if not conferences_of(dataset, year):
        years = sorted({c.ngay.year for c in dataset.conferences if c.ngay})
        have = ", ".join(map(str, years)) or "chưa có hội nghị nào có ngày"
        out.messages.append(f"Sheet Hội nghị chưa có hội nghị nào năm {year} (các năm có: {have}); Kế hoạch ghi "
                            "thời gian là «dự kiến». Thêm hội nghị của năm vào sheet Hội nghị để Kế hoạch đầy đủ.")
    ctx = kehoach_context(dataset, year, today=today)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    out.append(documents.render_template(KIND, ctx, out_dir / f"ke-hoach-{year}.docx", templates_dir))
    if pdf:
        out.add(documents.to_pdf([p for p in out if p.suffix == ".docx"]))
    return out
