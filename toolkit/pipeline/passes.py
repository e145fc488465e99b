"""One pass (docs/ARCHITECTURE.md, "One pass, from read to render"), the unit every command calls.

read → validate → assign → summarise → write back (when safe) → render outputs
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.pipeline import answers, loading, precedents
from toolkit.rules import assign, learning, tasks

from toolkit.core import aside, canonical, findings, schema, values

from toolkit.xlsx import reading

from toolkit.outputs import wordtemplates
from toolkit.core.errors import OutputError
from toolkit.core.findings import Finding, Report
from toolkit.outputs.folder import OutputFolder, default_out_dir
from toolkit.rules.routing import Router
from toolkit.core.workdays import Calendar


UNCHANGED = "Không có gì mới cần ghi vào sổ: sổ giữ nguyên."


@dataclass
class CheckResult:
    path: Path
    data: bytes
    sha256: str
    dataset: object
    report: Report
    plan: object
    calendar: Calendar


@dataclass
class PassResult:
    path: Path
    report: Report
    rows: dict[str, int]
    assigned: int
    changes: int
    written: bool
    write_reason_code: str | None
    write_reason: str | None
    out_dir: Path | None
    rebuilt: list[Path] = field(default_factory=list)
    outputs: list[Path] = field(default_factory=list)
    output_errors: list[str] = field(default_factory=list)
    sha256_before: str = ""
    sha256_after: str | None = None
    waiting_for_lock: bool = False
    replies: object = None      # department_files.SyncResult: the departments' files made or refreshed
    journal_notes: list[str] = field(default_factory=list)

    def line(self) -> str:
        """One Vietnamese line for staff."""
        c = self.report.counts()
        rows = f"{self.rows.get('dai_bieu', 0)} đại biểu, {self.rows.get('kien_nghi', 0)} kiến nghị"
        found = (f"{c[findings.ERROR]} lỗi, {c[findings.WARNING]} cảnh báo" if len(self.report)
                 else "không có lỗi")
        if self.written:
            wrote = "Đã ghi kết quả vào sổ."
        elif self.write_reason_code == "unchanged":
            wrote = "Sổ không cần ghi gì mới."
        elif self.write_reason:
            wrote = self.write_reason.rstrip()
        else:
            wrote = "Chưa ghi vào sổ."
        parts = [f"{self.path.name}: {rows}; {found}; giao {self.assigned} kiến nghị.", wrote]
        if self.rebuilt:
            parts.append(f"Làm lại {len(self.rebuilt)} tệp kết quả.")
        parts.extend(_replies_text(self.replies))
        if self.report.errors:
            parts.append(f"Xem chi tiết ở sheet '{schema.LOI_NHAP.name}' trong sổ, trang theo dõi index.html "
                         f"hoặc lệnh: doithoai check \"{self.path}\".")
        if self.output_errors:
            parts.append("Lỗi khi làm kết quả: " + "; ".join(self.output_errors) + ".")
        parts.extend(self.journal_notes)
        return " ".join(parts)

    def as_dict(self) -> dict:
        return {
            "workbook": str(self.path),
            "rows": self.rows,
            "findings": self.report.counts(),
            "assigned": self.assigned,
            "changes": self.changes,
            "written": self.written,
            "write_reason": None if self.written else {"code": self.write_reason_code, "message": self.write_reason},
            "out_dir": str(self.out_dir) if self.out_dir else None,
            "rebuilt": [str(p) for p in self.rebuilt],
            "outputs": [str(p) for p in self.outputs],
            "output_errors": self.output_errors,
            "journal_notes": self.journal_notes,
        }


def _replies_text(sync) -> list[str]:
    if sync is None:
        return []
    out = []
    if sync.created:
        out.append(f"Tạo {len(sync.created)} tệp trả lời cho bộ phận trong thư mục phan-hoi.")
    if sync.written:
        out.append(f"Cập nhật {len(sync.written)} tệp trả lời của bộ phận.")
    if sync.waiting:
        names = ", ".join(p.name for p in sync.waiting)
        out.append(f"Tệp trả lời {names} đang mở: đã đọc trả lời, sẽ cập nhật tệp khi đóng.")
    out.extend(sync.problems)
    return out


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _apply_plan_to_dataset(dataset, plan) -> None:
    """Make the in-memory records show what the toolkit fills in the workbook."""
    by_row = {p.row: p for p in dataset.petitions}
    for ch in plan.changes:
        if ch.sheet_key != schema.KIEN_NGHI.key or ch.row not in by_row:
            continue
        value = ch.value
        if ch.column_key == "phoi_hop" and isinstance(value, str):
            value = [v.strip() for v in value.split(";") if v.strip()]
        setattr(by_row[ch.row], ch.column_key, value)
        if ch.column_key == "chu_tri":
            canonical.mark_sent_up(dataset, [by_row[ch.row]])


def _overdue_findings(dataset, today: dt.date, calendar: Calendar) -> list[Finding]:
    table = dataset.tables.get(schema.KIEN_NGHI.key)
    col = table.col_index("han") if table else None
    out = []
    for p in dataset.petitions:
        late = assign.overdue(p, today, calendar)
        if late:
            out.append(Finding("petition-overdue", schema.KIEN_NGHI.name, p.row, schema.KIEN_NGHI.col("han"), col,
                               values.date_text(p.han, with_time=False),
                               {"count": late, "other": p.chu_tri or "?"}))
    return out


@contextlib.contextmanager
def _no_cyclic_gc():
    """Pause Python's cyclic garbage collector while a dataset or an openpyxl
    workbook is built: that creates a few million small objects and no cycles
    that need collecting on the way, yet the collector would re-scan everything
    built so far several times (four full collections during one `check` at M).
    Reference counting still frees everything else; the previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def check(path: Path, *, today: dt.date | None = None) -> CheckResult:
    """Read, validate and assign in memory. Never writes the workbook or its outputs; the one file
    it may write is what a register beside it teaches, in that register's ket-qua folder
    (pipeline.learncache, only an optimisation)."""
    today = _today(today)
    ready: dict[str, object] = {}

    def prepare(dataset) -> None:
        """While Kiến nghị is parsed: the calendar (holiday data of the conferences' years), the router
        and the departments' own files (§7: found by the department list, which is read by now)."""
        years = {today.year} | {y for c in dataset.conferences if c.ngay for y in (c.ngay.year, c.ngay.year + 1)}
        ready["calendar"] = Calendar.from_config(dataset.config, years=sorted(years))
        ready["router"] = Router(dataset.rules, dataset.departments,
                                 unsure_department=learning.unsure_setting(dataset))
        ready["files"] = answers.read_files(Path(path), dataset)

    with _no_cyclic_gc():
        loaded = loading.load(Path(path), today=today, meanwhile=prepare)
        dataset = loaded.dataset
        calendar = ready.get("calendar") or Calendar.from_config(dataset.config)
        history = precedents.gather(Path(path), dataset)          # the registers beside it: what they teach
        loaded.report.extend(history.findings)
        router = learning.make_router(dataset, history.examples, router=ready.get("router"))
        files = ready["files"] if "files" in ready else answers.read_files(loaded.path, dataset)   # §7
        plan = assign.plan(dataset, today=today, router=router, calendar=calendar,
                           issued=answers.answered_ids(files))
        dataset.replies = answers.merge(files, dataset, plan, calendar=calendar)
        _apply_plan_to_dataset(dataset, plan)
        replies = dataset.replies     # per department: made when the summaries ask
        replies.defer_stats(lambda: answers.stats(replies, dataset, today=today, calendar=calendar))
        loaded.report.extend(dataset.replies.findings)
        plan.changes.extend(tasks.resolve_all(dataset, calendar))     # Công việc: Ngày đến hạn
        loaded.report.extend(_overdue_findings(dataset, today, calendar))
        loaded.report.extend(tasks.findings(dataset, today, calendar))
        loaded.report.extend(learning.guess_findings(dataset))
    return CheckResult(loaded.path, loaded.data, loaded.sha256, dataset, loaded.report, plan, calendar)


def format_findings(report: Report, path: Path) -> str:
    """Text for `doithoai check`: grouped by sheet, one line per finding."""
    if not len(report):
        return f"{Path(path).name}: không có lỗi nào. Sổ đã sẵn sàng."
    lines = []
    current = object()
    for f in report.sorted():
        if f.sheet != current:
            current = f.sheet
            lines.append(f"\n== {f.sheet or 'Tệp'} ==")
        label = findings.SEVERITY_LABEL[f.severity]
        where = f.ref or (f.sheet or "")
        lines.append(f"  {where}: [{label}] {f.message}")
    c = report.counts()
    lines.append(f"\nTổng cộng: {c[findings.ERROR]} lỗi, {c[findings.WARNING]} cảnh báo. "
                 + ("Sửa các lỗi trên trong Excel rồi lưu lại." if c[findings.ERROR] else "Không có lỗi phải sửa."))
    return "\n".join(lines).lstrip("\n")


def run(path: Path, *, out_dir: Path | None = None, today: dt.date | None = None, write: bool = True,
        render: bool = True, pdf: bool = False) -> PassResult:
    """One full pass. Raises only when the workbook cannot be read at all."""
    path = Path(path)
    today = _today(today)
    checked = check(path, today=today)
    with _frozen_gc():
        return _after_check(path, checked, out_dir=out_dir, today=today, write=write, render=render, pdf=pdf)


@contextlib.contextmanager
def _frozen_gc():
    """The objects made so far (the dataset: a few million, no garbage cycle among them) are left
    out of the cyclic collector's scans until the pass ends. Built while the collector was paused,
    they would otherwise all be looked at by the next young collection, and again by each full one
    (0.25 s of a pass after adding one petition at M, with no output made)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _after_check(path: Path, checked: CheckResult, *, out_dir: Path | None, today: dt.date, write: bool,
                 render: bool, pdf: bool) -> PassResult:
    from toolkit.pipeline import applier
    from toolkit.outputs import summaries
    from toolkit.xlsx import writeback
    from toolkit.journal import record as journaling, snapshot

    dataset, report, plan = checked.dataset, checked.report, checked.plan
    target = Path(out_dir) if out_dir else default_out_dir(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The generated sheets as the file holds them, parsed by python-calamine (which does not
        # hold the GIL) while the journal and the summaries are made.
        grids = pool.submit(reading.read_grids, checked.data, [g.name for g in applier.GENERATED]) \
            if write else None
        watched = journaling.begin_pass(path, checked, target) if render else None   # the journal, §8
        if watched:
            report.extend(watched.findings)
        summary = summaries.build(dataset, report, today=today, calendar=checked.calendar)
        current = grids.result() if grids is not None else None
    rows = {"dai_bieu": len(dataset.delegates), "kien_nghi": len(dataset.petitions)}
    # The outputs but the dashboard are made by a forked process while this one writes the register,
    # the departments' files and the journal (the dashboard shows that journal: it is made here, after).
    folder, folder_error, outputs_aside, base = None, None, None, {}
    if render:
        folder = OutputFolder(target)
        try:
            folder.prepare()
        except OutputError as err:
            folder_error = err.message
        else:
            if _outputs_aside(dataset):
                from toolkit.outputs import render as render_mod

                base = folder.state()
                outputs_aside = aside.start(functools.partial(
                    render_mod.render_aside, folder, path, dataset, report, summary, today=today,
                    calendar=checked.calendar, pdf=pdf), stopped=OUTPUTS_STOPPED)

    written, code, reason, sha_after, waiting = False, "disabled", "Không ghi vào sổ (chế độ chỉ đọc).", None, False
    backup = None
    if write and not ({schema.KIEN_NGHI.key, schema.DAI_BIEU.key} & set(dataset.tables)):
        code = "not-doithoai"
        reason = (f"Sổ không có sheet '{schema.DAI_BIEU.name}' hay '{schema.KIEN_NGHI.name}', có lẽ không phải sổ "
                  "đối thoại: doithoai không ghi gì vào sổ này. Tạo sổ đúng mẫu bằng lệnh doithoai init.")
    elif write:
        writes = applier.Applier(dataset, plan, report, summary, today=today,
                                 current=current)
        if writes.needs_write():
            result = writeback.write_back(path, expected_sha256=checked.sha256, data=checked.data, apply=writes)
            written, code, reason, sha_after = result.written, result.reason_code, result.reason, result.sha256
            backup = result.backup
            waiting = code == "locked"
        else:   # nothing toolkit-owned differs: the package is not even opened
            code, reason, sha_after = "unchanged", UNCHANGED, checked.sha256

    out = PassResult(path, report, rows, plan.assigned, len(plan.changes), written, code, reason, None,
                     sha256_before=checked.sha256, sha256_after=sha_after, waiting_for_lock=waiting)
    if write and code != "not-doithoai" and dataset.replies is not None:
        from toolkit.outputs import department_files

        # a Mã kiến nghị this pass made but could not write into the register is not handed out yet
        fresh = set() if written else {str(c.value) for c in plan.changes if c.column_key == "ma" and c.value}
        out.replies = department_files.sync(path, dataset, dataset.replies.files, today=today, calendar=checked.calendar,
                                   unreadable=dataset.replies.unreadable, skip_ids=fresh)
    if watched:
        out.journal_notes = journaling.finish(watched, written=written, backup=backup, sha256_after=sha_after,
                                              snapshot_after=snapshot.with_fills(watched.snapshot, dataset, plan) if written else None)
    if watched and dataset.replies is not None and (dataset.replies.files or (out.replies and out.replies.created)):
        from toolkit.journal import files as journal_files    # the departments' files, journalled too

        out.journal_notes += journal_files.journal_files(path, dataset.replies.files, out.replies, target)
    if render:
        from toolkit.outputs import render as render_mod

        out.out_dir = target
        if folder_error is not None:
            out.output_errors.append(folder_error)
            return out
        listed = [r[0] for r in summary.open_petitions.rows] if summary.open_petitions is not None else []
        journal = journaling.dashboard_view(watched, listed[:render_mod.DASHBOARD_ROWS])
        if outputs_aside is None:
            render_mod.render_all(folder, path, dataset, report, summary, today=today, calendar=checked.calendar,
                                  pdf=pdf, errors=out.output_errors, journal=journal)
        else:
            render_mod.render_dashboard(folder, path, report, summary, errors=out.output_errors, journal=journal)
            try:
                state, errors = outputs_aside()
            except aside.Stopped as stopped:     # its outputs are made again by the next pass
                out.output_errors.append(f"không làm được các tệp kết quả ({stopped}, có thể do máy thiếu bộ nhớ); "
                                         "lần chạy sau sẽ làm lại")
            else:
                folder.merge(state, base)
                out.output_errors[:0] = errors
        folder.save()
        out.rebuilt = folder.rebuilt
        out.outputs = sorted(set(folder.rebuilt) | set(folder.kept))
    return out


OUTPUTS_ASIDE: bool | None = None   # None: when ``aside.available()`` and the size is right; tests force True/False
ASIDE_MIN_ROWS = 5_000              # delegates + petitions: below, the outputs take about a second and a process
                                    # that starts cold (templates compiled again each pass) would gain nothing
ASIDE_MAX_ROWS = 100_000            # above, memory matters more than the seconds
OUTPUTS_STOPPED = "tiến trình làm chúng dừng giữa chừng"


def _outputs_aside(dataset) -> bool:
    """Whether a forked process makes the outputs while the register is written: where forking is
    safe (Linux, the pass alone in its process: ``doithoai run``, not the watcher's threads), from
    ASIDE_MIN_ROWS rows (where the outputs take seconds) up to ASIDE_MAX_ROWS (the child's pages are
    its own once touched: at L the memory target rules)."""
    if OUTPUTS_ASIDE is not None:
        return OUTPUTS_ASIDE and aside.FORKS
    rows = len(dataset.delegates) + len(dataset.petitions)
    return aside.available() and ASIDE_MIN_ROWS <= rows <= ASIDE_MAX_ROWS


def dashboard_path(result: PassResult) -> Path | None:
    """The full path of the pass's index.html, when the pass made or kept one."""
    if result.out_dir is None:
        return None
    index = (Path(result.out_dir) / "index.html").resolve()
    return index if index.is_file() else None


def make_report(path: Path, *, kind: str, session: str | None = None, department: str | None = None,
                month: str | None = None, pdf: bool = False, include_phones: bool = False,
                out_dir: Path | None = None, today: dt.date | None = None, year: int | None = None) -> list[Path]:
    from toolkit.outputs import documents, summaries

    today = _today(today)
    checked = check(path, today=today)
    if kind == "kehoach":      # the year's plan: its own module (toolkit.outputs.documents.kehoach)
        from toolkit.outputs.documents import kehoach

        target = Path(out_dir) if out_dir else default_out_dir(Path(path))
        OutputFolder(target).prepare()
        return kehoach.render_kehoach(checked.dataset, target, today=today, year=year, pdf=pdf,
                                      templates_dir=wordtemplates.override_dir(Path(path)))
    summary = summaries.build(checked.dataset, checked.report, today=today, calendar=checked.calendar)
    target = Path(out_dir) if out_dir else default_out_dir(Path(path))
    OutputFolder(target).prepare()
    if kind == "dondoc":
        from toolkit.outputs.documents import dondoc

        made = dondoc.render_dondoc(checked.dataset, summary, target, today=today, department=department,
                                    calendar=checked.calendar, templates_dir=wordtemplates.override_dir(Path(path)),
                                    register=Path(path), include_phones=include_phones)
        if pdf:
            made.add(documents.to_pdf([p for p in made if p.suffix == ".docx"]))
        return made
    return documents.render_report(kind, checked.dataset, summary, target, today=today, session=session,
                                   department=department, month=values.parse_month(month) if month else None,
                                   pdf=pdf, include_phones=include_phones, calendar=checked.calendar,
                                   templates_dir=wordtemplates.override_dir(Path(path)))


def export_month(path: Path, *, month: str, out_dir: Path | None = None, today: dt.date | None = None,
                 pdf: bool = False) -> list[Path]:
    from toolkit.outputs import export

    year, mon = values.parse_month(month)
    today = _today(today)
    checked = check(path, today=today)
    target = Path(out_dir) if out_dir else default_out_dir(Path(path))
    OutputFolder(target).prepare()
    return export.export_month(checked.dataset, checked.report, target, year=year, month=mon, today=today,
                               calendar=checked.calendar, pdf=pdf,
                               templates_dir=wordtemplates.override_dir(Path(path)))
