"""Render every output of a pass into the output folder, rebuilding only
what changed (an input fingerprint per output, see ``outputs``).

A failing output never stops the pass: its Vietnamese message is collected
and the other outputs are still made.

Adding one petition rebuilds only what reads it: tong-hop.xlsx and index.html (the
summary changed), the documents of its conference and its department (each skipped
when the digest of its inputs is unchanged, ``outputs.documents.inputs``), and the
month's export when the month's inputs changed (``export.month_inputs``). What each
output holds is in docs/ARCHITECTURE.md, "One pass, from read to render".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.core import status
from toolkit.outputs import wordtemplates
from toolkit.outputs.wordtemplates import PACKAGED_DIR as TEMPLATES_DIR  # noqa: F401 - where the defaults are
from toolkit.outputs.folder import OutputFolder, fingerprint

from toolkit.outputs.dashboard import MAX_OPEN as DASHBOARD_ROWS  # noqa: F401 - open petitions the dashboard lists


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
               pdf: bool = False, errors: list[str], journal: dict | None = None) -> None:
    """Every output, in this process: the summary workbook, the dashboard, the documents."""
    summary_fp = render_summary_workbook(folder, summary, errors=errors)
    render_dashboard(folder, workbook, report, summary, errors=errors, journal=journal, summary_fp=summary_fp)
    render_documents(folder, workbook, dataset, report, summary, today=today, calendar=calendar, pdf=pdf,
                     errors=errors)


def render_aside(folder: OutputFolder, workbook: Path, dataset, report, summary, *, today: dt.date, calendar,
                 pdf: bool = False) -> tuple[dict, list[str]]:
    """What a process set aside makes while the pass writes the register (``pipeline.passes``): every
    output but the dashboard, which shows the journal of this very pass. Returns the folder's state
    (``OutputFolder.state``) and the errors, which the pass takes over."""
    errors: list[str] = []
    render_summary_workbook(folder, summary, errors=errors)
    render_documents(folder, workbook, dataset, report, summary, today=today, calendar=calendar, pdf=pdf,
                     errors=errors)
    return folder.state(), errors


def _attempt(folder: OutputFolder, errors: list[str]):
    def attempt(label: str, name: str, fp: str, make, expect=()):
        try:
            folder.build(name, fp, make, expect)
        except Exception as exc:  # one output failing never stops the others
            folder.forget(name)
            errors.append(f"không làm được {label} ({type(exc).__name__}: {exc})")
    return attempt


def render_summary_workbook(folder: OutputFolder, summary, *, errors: list[str]) -> str:
    """tong-hop.xlsx, when the summary changed; the summary's fingerprint (the dashboard's reads it too)."""
    from toolkit.outputs import summary_workbook

    tong_hop = folder.root / "tong-hop.xlsx"
    summary_fp = fingerprint(summary)
    _attempt(folder, errors)("tong-hop.xlsx", "tong-hop", summary_fp,
                             lambda: (summary_workbook.write_summary_workbook(summary, tong_hop), tong_hop)[1],
                             [tong_hop])
    return summary_fp


def render_dashboard(folder: OutputFolder, workbook: Path, report, summary, *, errors: list[str],
                     journal: dict | None = None, summary_fp: str | None = None) -> None:
    from toolkit.outputs import dashboard

    shown, more = dashboard.shown_findings(report)    # what the page lists: its fingerprint reads no more
    findings_rows = [[f.as_dict() for f in shown], more, report.counts()]
    index = folder.root / "index.html"
    dash_fp = fingerprint(summary_fp or fingerprint(summary), findings_rows, workbook.name, journal)

    def make_dashboard():
        dashboard.render_dashboard(summary, report, index, workbook_name=workbook.name,
                                   generated_at=dt.datetime.now(), version=dash_fp[:16], journal=journal)
        return index

    _attempt(folder, errors)("trang theo dõi index.html", "index", dash_fp, make_dashboard, [index])


def render_documents(folder: OutputFolder, workbook: Path, dataset, report, summary, *, today: dt.date, calendar,
                     pdf: bool = False, errors: list[str]) -> None:
    """The Word documents and the month's export, each only when what it reads changed."""
    from toolkit.outputs import documents, export, summaries
    from toolkit.outputs.documents import inputs

    root = folder.root
    attempt = _attempt(folder, errors)

    # Each document's fingerprint is its template and the very context it renders (toolkit.outputs.documents
    # builds it from Cấu hình, Danh mục, Tổ dân phố, Bộ phận, the rows and the findings' left-out rows).
    mine = wordtemplates.override_dir(workbook)
    own = mine if mine.is_dir() else None
    templates = {kind: wordtemplates.template_print(kind, own) for kind in wordtemplates.KINDS}
    usable = documents.usable_dataset(dataset, summary)
    shared = inputs.register_inputs(usable)
    for conf in dataset.conferences:
        if not conf.ma:
            continue
        conf_inputs = inputs.conference_inputs(usable, conf)
        for kind, label, context in (
            ("ketqua", "báo cáo kết quả", lambda conf=conf: documents.ketqua_context(dataset, summary, conf, today=today)),
            ("giaymoi", "giấy mời", lambda conf=conf: documents.giaymoi_context(dataset, summary, conf, today=today)),
            ("thongbao", "thông báo", lambda conf=conf: documents.thongbao_context(dataset, conf, today=today)),
        ):
            name = f"{kind}:{conf.ma}"
            read = fingerprint(kind, templates[kind], pdf, today, shared, conf_inputs)
            if folder.unchanged_inputs(name, read):
                continue
            ctx = None
            try:
                ctx = context()
                fp = fingerprint(kind, templates[kind], ctx, pdf)
            except Exception as exc:  # the renderer reports the same failure below
                fp = f"failed:{type(exc).__name__}"
            attempt(f"{label} {conf.ma}", name, fp,
                    lambda kind=kind, conf=conf, ctx=ctx: documents.render_report(
                        kind, dataset, summary, root, today=today, session=conf.ma, pdf=pdf, calendar=calendar,
                        templates_dir=own, context=ctx),
                    _expected(folder, name))
            folder.note_inputs(name, read)

    for dept in dataset.departments:
        mine = documents.department_petitions(usable, dept)
        if not mine:
            continue
        name = f"phieuchuyen:{dept.ma}"
        read = fingerprint("phieuchuyen", templates["phieuchuyen"], pdf, today, shared,
                           inputs.department_inputs(usable, dept))
        if folder.unchanged_inputs(name, read):
            continue
        still_open = [p for p in mine if status.awaits_slip(p)]
        context = None
        try:
            context = (documents.phieuchuyen_context(dataset, summary, dept, still_open, today=today,
                                                     calendar=calendar) if still_open else None)
            fp = fingerprint("phieuchuyen", templates["phieuchuyen"], context, pdf)
        except Exception as exc:
            fp = f"failed:{type(exc).__name__}"
        attempt(f"phiếu chuyển {dept.ma}", name, fp,
                lambda dept=dept, context=context: documents.render_report(
                    "phieuchuyen", dataset, summary, root, today=today, department=dept.ma, pdf=pdf,
                    calendar=calendar, templates_dir=own, context=context),
                _expected(folder, name))
        folder.note_inputs(name, read)

    _render_dondoc(folder, attempt, workbook, dataset, summary, templates["dondoc"], today=today, calendar=calendar,
                   pdf=pdf, own=own)

    month = _activity_month(dataset, today)
    read = None
    if month:
        name = f"thang:{month[0]}-{month[1]:02d}"
        read = fingerprint("thang", templates["thang"], pdf, export.month_inputs(usable, summary, *month, today=today))
    if month and not folder.unchanged_inputs(name, read):
        month_ctx = month_sum = None
        try:
            month_sum = summaries.month_summary(dataset, month[0], month[1], today=today, calendar=calendar,
                                                report=report)
            month_ctx = documents.thang_context(dataset, summary, month[0], month[1], today=today, calendar=calendar,
                                                month_summary=month_sum)
            fp = fingerprint("thang", templates["thang"], month_ctx, month_sum)
        except Exception as exc:
            fp = f"failed:{type(exc).__name__}"
        attempt(f"tổng hợp tháng {month[1]:02d}/{month[0]}", name, fp,
                lambda: export.export_month(dataset, report, root, year=month[0], month=month[1], today=today,
                                            calendar=calendar, templates_dir=own, summary=summary,
                                            context=month_ctx, month_summary=month_sum),
                _expected(folder, name))
        folder.note_inputs(name, read)


    _render_kehoach(folder, attempt, dataset, templates, own, today=today, pdf=pdf)


def _render_kehoach(folder: OutputFolder, attempt, dataset, templates, own, *, today: dt.date, pdf: bool) -> None:
    """The year's Kế hoạch (ke-hoach-YYYY.docx), for a workbook that keeps its tasks in Công việc."""
    from toolkit.outputs.documents import kehoach
    from toolkit.core import schema

    if schema.CONG_VIEC.key not in dataset.tables:
        return
    year = kehoach.default_year(dataset, today)
    if not kehoach.conferences_of(dataset, year):
        return
    name = f"kehoach:{year}"
    try:
        fp = fingerprint("kehoach", templates["kehoach"], kehoach.kehoach_context(dataset, year, today=today), pdf)
    except Exception as exc:  # the renderer reports the same failure
        fp = f"failed:{type(exc).__name__}"
    attempt(f"kế hoạch năm {year}", name, fp,
            lambda: kehoach.render_kehoach(dataset, folder.root, today=today, year=year, pdf=pdf, templates_dir=own),
            _expected(folder, name))
def _render_dondoc(folder: OutputFolder, attempt, workbook: Path, dataset, summary, template: str, *,
                   today: dt.date, calendar, pdf: bool, own) -> None:
    """An urging letter (công văn đôn đốc) for each department with overdue petitions; a department's old letter goes once it
    has none (the letter would urge answers already given)."""
    from toolkit.outputs import documents
    from toolkit.outputs.documents import dondoc, inputs

    usable = documents.usable_dataset(dataset, summary)
    shared = inputs.register_inputs(usable)
    # the letter's date (Cấu hình › Ngày ký công văn đôn đốc, else today), the day its overdue figures are
    # counted to; render_dondoc finds the same date from the pass's day
    signed = dondoc.letter_date(dataset.config, today)
    for dept in dataset.departments:
        name = f"{dondoc.KIND}:{dept.ma}"
        read = fingerprint(dondoc.KIND, template, pdf, signed, shared, workbook.stem,   # the letter names the stem
                           inputs.department_inputs(usable, dept))
        if folder.unchanged_inputs(name, read):
            continue
        rows = dondoc.overdue_petitions(usable, dept, signed, calendar) if (dept.ma or dept.ten) else []
        if not rows:
            for old in folder.files_of(name):
                try:
                    old.unlink(missing_ok=True)
                except OSError:
                    pass
            folder.forget(name)
            continue
        context = None
        try:
            context = dondoc.dondoc_context(dataset, summary, dept, rows, today=signed, calendar=calendar,
                                            register=workbook)
            fp = fingerprint(dondoc.KIND, template, context, pdf)
        except Exception as exc:   # noqa: BLE001 - the renderer reports the same failure below
            fp = f"failed:{type(exc).__name__}"

        def make(dept=dept, context=context):
            made = dondoc.render_dondoc(dataset, summary, folder.root, today=today, department=dept.ma,
                                        calendar=calendar, templates_dir=own, register=workbook, context=context)
            if pdf:
                made.add(documents.to_pdf([p for p in made if p.suffix == ".docx"]))
            return made

        attempt(f"công văn đôn đốc {dept.ma}", name, fp, make, _expected(folder, name))
        folder.note_inputs(name, read)


def _expected(folder: OutputFolder, name: str) -> list[Path]:
    """Files an earlier build of ``name`` made (remembered beside its fingerprint)."""
    return folder.files_of(name)
