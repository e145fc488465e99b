"""Render every output of a pass into the output folder, rebuilding only
what changed (an input fingerprint per output, see ``outputs``).

A failing output never stops the pass: its Vietnamese message is collected
and the other outputs are still made.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from toolkit.maketemplates import TEMPLATE_DIR as TEMPLATES_DIR
from toolkit.outputs import OutputFolder, fingerprint
from toolkit.text import fold


def _template_print(kind: str) -> str:
    h = hashlib.sha256()
    if TEMPLATES_DIR.is_dir():
        for p in sorted(TEMPLATES_DIR.glob("*.docx")):
            if kind in p.stem.replace("-", "").replace("_", ""):
                h.update(p.read_bytes())
    return h.hexdigest()


_SKIP = ("raw", "kiem_tra")


def _record_print(item) -> str:
    """A short stable digest of one record (its fields, not its raw cells)."""
    fields = tuple((k, v) for k, v in vars(item).items() if k not in _SKIP)
    return hashlib.blake2b(repr(fields).encode("utf-8"), digest_size=12).hexdigest()


def _records(items, prints: dict[int, str]):
    return [prints[id(item)] for item in items]


def _activity_month(dataset, today: dt.date) -> tuple[int, int] | None:
    """The month of today if anything happened in it, else the latest month with activity."""
    months = set()
    for p in dataset.petitions:
        for d in (p.ngay_tiep_nhan, p.ngay_tra_loi):
            if isinstance(d, dt.date) and d <= today:
                months.add((d.year, d.month))
    if not months:
        return None
    current = (today.year, today.month)
    return current if current in months else max(months)


def render_all(folder: OutputFolder, workbook: Path, dataset, report, summary, *, today: dt.date, calendar,
               pdf: bool = False, errors: list[str]) -> None:
    from toolkit import dashboard, documents, export, tonghop

    root = folder.root
    findings_rows = [f.as_dict() for f in report.sorted()]

    def attempt(label: str, name: str, fp: str, make, expect=()):
        try:
            folder.build(name, fp, make, expect)
        except Exception as exc:  # one output failing never stops the others
            folder.forget(name)
            errors.append(f"không làm được {label} ({type(exc).__name__}: {exc})")

    summary_fp = fingerprint(summary)
    tong_hop = root / "tong-hop.xlsx"
    attempt("tong-hop.xlsx", "tong-hop", summary_fp,
            lambda: (tonghop.write_summary_workbook(summary, tong_hop), tong_hop)[1], [tong_hop])

    index = root / "index.html"
    dash_fp = fingerprint(summary_fp, findings_rows, workbook.name)

    def make_dashboard():
        dashboard.render_dashboard(summary, report, index, workbook_name=workbook.name,
                                   generated_at=dt.datetime.now(), version=dash_fp[:16])
        return index

    attempt("trang theo dõi index.html", "index", dash_fp, make_dashboard, [index])

    cfg = vars(dataset.config)
    templates = {kind: _template_print(kind) for kind in ("ketqua", "giaymoi", "thongbao", "phieuchuyen", "thang")}
    prints = {id(r): _record_print(r) for r in (*dataset.petitions, *dataset.delegates)}
    by_conf_d: dict[str, list] = {}
    for d in dataset.delegates:
        by_conf_d.setdefault(fold(d.hoi_nghi), []).append(d)
    by_conf_p: dict[str, list] = {}
    by_lead: dict[str, list] = {}
    for p in dataset.petitions:
        by_conf_p.setdefault(fold(p.hoi_nghi), []).append(p)
        by_lead.setdefault(fold(p.chu_tri), []).append(p)
    for conf in dataset.conferences:
        if not conf.ma:
            continue
        mine = fold(conf.ma)
        delegates = _records(by_conf_d.get(mine, []), prints)
        petitions = _records(by_conf_p.get(mine, []), prints)
        for kind, label, parts in (
            ("ketqua", "báo cáo kết quả", (delegates, petitions, today)),
            ("giaymoi", "giấy mời", (delegates,)),
            ("thongbao", "thông báo", ()),
        ):
            name = f"{kind}:{conf.ma}"
            fp = fingerprint(kind, templates[kind], cfg, vars(conf), pdf, *parts)
            attempt(f"{label} {conf.ma}", name, fp,
                    lambda kind=kind, conf=conf: documents.render_report(
                        kind, dataset, summary, root, today=today, session=conf.ma, pdf=pdf, calendar=calendar),
                    _expected(folder, name))

    for dept in dataset.departments:
        mine = {fold(dept.ma), fold(dept.ten)}
        petitions = _records([p for key in mine for p in by_lead.get(key, [])], prints)
        if not petitions:
            continue
        name = f"phieuchuyen:{dept.ma}"
        fp = fingerprint("phieuchuyen", templates["phieuchuyen"], cfg, vars(dept), petitions, today, pdf)
        attempt(f"phiếu chuyển {dept.ma}", name, fp,
                lambda dept=dept: documents.render_report(
                    "phieuchuyen", dataset, summary, root, today=today, department=dept.ma, pdf=pdf,
                    calendar=calendar),
                _expected(folder, name))

    month = _activity_month(dataset, today)
    if month:
        name = f"thang:{month[0]}-{month[1]:02d}"
        fp = fingerprint("thang", templates["thang"], cfg, _records(dataset.petitions, prints), today)
        attempt(f"tổng hợp tháng {month[1]:02d}/{month[0]}", name, fp,
                lambda: export.export_month(dataset, report, root, year=month[0], month=month[1], today=today,
                                            calendar=calendar),
                _expected(folder, name))


def _expected(folder: OutputFolder, name: str) -> list[Path]:
    """Files an earlier build of ``name`` made (remembered beside its fingerprint)."""
    return folder.files_of(name)
