"""Carry the departments' answers from their own files into the register (docs/ARCHITECTURE.md, "Department files").

``read_files`` reads every ``phan-hoi/<stem>/<Mã bộ phận>.xlsx`` (a file open in Excel or
LibreOffice is read all the same; only writing waits). ``merge`` turns their rows into
changes of the pass's plan (``assign.Plan``), before the plan is applied:

- a row is merged only when it is sound: its Mã kiến nghị is in the register, once in the
  file, assigned to this department; Ngày trả lời is a date, not before Ngày tiếp nhận;
  Hình thức trả lời is in Danh mục; it has both Ngày trả lời and Kết quả trả lời. Anything
  else is a finding at the department file's cell and never reaches the register;
- the lead department's answer fills the register's Ngày trả lời, Hình thức trả lời and
  Kết quả trả lời where they are blank or hold what the toolkit wrote (remembered in the
  hidden ``_doithoai`` sheet), and a toolkit-filled Trạng thái becomes "Đã trả lời bằng văn
  bản" / "Đã chuyển cấp trên" (by the form); an answer the checks find empty, too short or
  vague (``answer_checks``) is copied but leaves the petition "Đang xử lý";
- coordinating departments' answers are appended to Kết quả trả lời with their name;
- a value a person typed in the register wins; a different answer is a ``reply-conflict``
  finding at the register's cell naming the department file's cell (``extra["link"]``: its
  path beside the register and its location, linked from Lỗi nhập liệu);
- when a department file cannot be read, or no longer has the petition's row, what the
  toolkit wrote before stays as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core import a1, references, schema, text, values

from toolkit.rules import answer_checks, assign

from toolkit.outputs import department_files
from toolkit.core.findings import Finding
from toolkit.core.model import Dataset, Petition

STATUS_WORKING = schema.STATUS_WORKING
STATUS_WRITTEN = schema.STATUS_WRITTEN
LATEST = 20
# What makes a row an answer (a note or the officer's name alone does not).
_ANSWER_KEYS = ("ngay_tra_loi", "hinh_thuc", "ket_qua", "so_van_ban")


@dataclass
class Answer:
    """One sound answer row of a department file."""

    code: str
    name: str
    file: Path
    row: int
    ma: str
    lead: bool
    ngay: dt.date | None
    hinh_thuc: str | None
    ket_qua: str | None
    so_van_ban: str | None
    problems: list = field(default_factory=list)
    late: int | None = None

    @property
    def counts(self) -> bool:
        """Counts as an answer (not empty, too short or vague)."""
        return not answer_checks.blocks_closing(self.problems)


@dataclass
class DepartmentStats:
    code: str
    name: str
    assigned: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0
    overdue: int = 0
    vague: int = 0


@dataclass
class Merge:
    """What the departments' files said in one pass."""

    files: dict[str, department_files.DepartmentFile] = field(default_factory=dict)   # code -> file as read
    unreadable: set[str] = field(default_factory=set)
    answers: list[Answer] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    merged: int = 0            # register cells this pass fills or updates from the files
    _stats: list[DepartmentStats] | None = field(default=None, repr=False)
    _pending: object = field(default=None, repr=False, compare=False)

    @property
    def stats(self) -> list[DepartmentStats]:
        """Per department (``stats``), made when first asked: ``check`` defers them, since only the
        summaries read them (0.3 s of 20,000 petitions that a ``check`` would spend for nothing)."""
        if self._stats is None:
            pending, self._pending = self._pending, None
            self._stats = pending() if pending is not None else []
        return self._stats

    @stats.setter
    def stats(self, value: list[DepartmentStats]) -> None:
        self._stats, self._pending = value, None

    def defer_stats(self, make) -> None:
        """``make()`` gives ``stats`` when first asked."""
        self._stats, self._pending = None, make

    def latest(self, n: int = LATEST) -> list[Answer]:
        """The latest answers received (by Ngày trả lời), newest first."""
        return sorted(self.answers, key=lambda a: (a.ngay or dt.date.min, a.ma), reverse=True)[:n]


def answered_ids(merge: Merge) -> frozenset[str]:
    """Mã of the petitions a department has typed anything for in its own file (a date, a form, a
    result, a number, a name or a note): their phiếu chuyển was issued and taken up, so their
    routing is settled (toolkit.rules.assign). Read from the files as they are, before any merge."""
    out = set()
    for f in merge.files.values():
        for r in f.rows:
            ma = r.values.get("ma")
            if ma not in (None, "") and any(r.values.get(k) not in (None, "") for k in department_files.ANSWER_KEYS):
                out.add(str(ma).strip())
    return frozenset(out)


def _sheet(code: str) -> str:
    return f"{department_files.SHEET} ({department_files.safe_code(code)}.xlsx)"


def read_files(register: Path, dataset: Dataset) -> Merge:
    """Every department file of the register, as read (unknown file names are left alone)."""
    from toolkit.xlsx import reading
    from toolkit.core.errors import DoithoaiError
    from toolkit.xlsx.names import is_workbook_name

    out = Merge()
    folder = department_files.folder_for(register)
    try:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and is_workbook_name(p.name))
    except OSError:
        return out
    for path in paths:
        dept = references.resolve_department(dataset, path.stem)
        if dept is None or not dept.ma or department_files.safe_code(dept.ma) != path.stem:
            continue
        try:
            data = reading.read_file_bytes(path)
            out.files[dept.ma] = department_files.parse(path, data)
        except department_files.NotADepartmentFile as exc:
            out.unreadable.add(dept.ma)
            out.findings.append(Finding("reply-file-unreadable", value=_rel(path, register),
                                        extra={"reason": f"không có sheet '{department_files.SHEET}' với cột '{exc}'"}))
        except DoithoaiError as exc:
            out.unreadable.add(dept.ma)
            out.findings.append(Finding("reply-file-unreadable", value=_rel(path, register),
                                        extra={"reason": exc.message}))
        except Exception as exc:   # noqa: BLE001 - one bad department file must not stop the pass
            out.unreadable.add(dept.ma)
            out.findings.append(Finding("reply-file-unreadable", value=_rel(path, register),
                                        extra={"reason": type(exc).__name__}))
    return out


def _rel(path: Path, register: Path) -> str:
    try:
        return str(Path(path).relative_to(Path(register).parent))
    except ValueError:
        return str(path)


class _Rows:
    """Validation of one department file's rows."""

    def __init__(self, merge: Merge, dataset: Dataset, code: str, f: department_files.DepartmentFile, index, calendar):
        self.merge, self.dataset, self.code, self.f, self.index, self.calendar = merge, dataset, code, f, index, calendar
        dept = references.resolve_department(dataset, code)
        self.name = (dept.ten or dept.ma) if dept else code
        self.sheet = _sheet(code)
        self.forms = {text.fold(v): v for v in department_files.hinh_thuc_list(dataset)}
        self.phrases = tuple(dataset.lists.get("cum_tu_chung") or answer_checks.DEFAULT_PHRASES)
        length = dataset.config.do_dai_tra_loi
        self.min_length = length if isinstance(length, int) and length >= 0 else answer_checks.DEFAULT_MIN_LENGTH
        self.present: set[str] = set()      # folded Mã of rows present in the file (answered or not)

    def find(self, code: str, row: int, key: str, value=None, **extra) -> None:
        col = self.f.columns.get(key)
        header = next((c.header for c in department_files.COLUMNS if c.key == key), None)
        self.merge.findings.append(Finding(code, self.sheet, row, header, col, value, extra))

    def run(self) -> None:
        first: dict[str, int] = {}
        for fr in self.f.rows:
            v = fr.values
            has_answer = any(v.get(k) not in (None, "") for k in _ANSWER_KEYS)
            k = department_files.key(v.get("ma"))
            if not k:
                if has_answer:
                    self.find("reply-no-id", fr.row, "ma")
                continue
            if k in first:
                if has_answer:
                    self.find("reply-duplicate-row", fr.row, "ma", v.get("ma"), other_row=first[k])
                continue
            first[k] = fr.row
            p = self.index.get(k)
            if p is None:
                if has_answer:
                    self.find("reply-unknown-petition", fr.row, "ma", v.get("ma"))
                continue
            lead, coord = _roles(self.dataset, p)
            if self.code != lead and self.code not in coord:
                if has_answer:
                    self.find("reply-not-assigned", fr.row, "ma", v.get("ma"))
                continue
            self.present.add(k)
            if has_answer:
                self.answer(fr, p, self.code == lead)

    def answer(self, fr: department_files.FileRow, p: Petition, lead: bool) -> None:
        v, row, bad = fr.values, fr.row, False
        day = v.get("ngay_tra_loi")
        if day not in (None, ""):
            try:
                day = values.parse_date(day)
            except (ValueError, TypeError, OverflowError):
                self.find("date-invalid", row, "ngay_tra_loi", values.date_text(day) if isinstance(day, dt.date)
                          else day)
                bad, day = True, None
            if day and p.ngay_tiep_nhan and day < p.ngay_tiep_nhan:
                self.find("reply-before-receipt", row, "ngay_tra_loi", values.date_text(day, with_time=False),
                          other=values.date_text(p.ngay_tiep_nhan, with_time=False))
                bad = True
        else:
            day = None
        form = v.get("hinh_thuc")
        if form not in (None, ""):
            known = self.forms.get(text.fold(str(form)))
            if known is None:
                self.find("value-not-in-list", row, "hinh_thuc", form, list_name="Hình thức trả lời")
                bad = True
            form = known
        else:
            form = None
        result = text.clean(str(v["ket_qua"])) if v.get("ket_qua") not in (None, "") else None
        number = v.get("so_van_ban")
        problems = answer_checks.judge(result, form=form, number=number, phrases=self.phrases,
                                       min_length=self.min_length)
        if result and day is None and not bad:
            self.find("required-missing", row, "ngay_tra_loi")
            bad = True
        if bad:
            return
        where = {answer_checks.NO_NUMBER: "so_van_ban", answer_checks.NO_RESULT: "ket_qua"}
        for prob in problems:
            self.find(prob.code, row, where.get(prob.code, "ket_qua"), self.name, **prob.extra)
        late = answer_checks.lateness(day, p.han, self.calendar)
        if late and result:
            self.find(answer_checks.LATE, row, "ngay_tra_loi", self.name, count=late,
                      other=values.date_text(p.han, with_time=False))
        if result is None:
            return
        self.merge.answers.append(Answer(self.code, self.name, self.f.path, row, str(v.get("ma")).strip(), lead,
                                         day, form, result, None if number is None else str(number), problems,
                                         late))


def _roles(dataset: Dataset, p: Petition) -> tuple[str | None, set[str]]:
    lead = references.resolve_department(dataset, p.chu_tri) if p.chu_tri else None
    coord = {d.ma for d in (references.resolve_department(dataset, x) for x in p.phoi_hop or []) if d}
    return (lead.ma if lead else None), coord


def _index(dataset: Dataset) -> dict[str, Petition]:
    seen: dict[str, Petition | None] = {}
    for p in dataset.petitions:
        k = department_files.key(p.ma)
        if k:
            seen[k] = None if k in seen else p
    return {k: p for k, p in seen.items() if p is not None}


def merge(merge: Merge, dataset: Dataset, plan: assign.Plan, *, calendar) -> Merge:
    """Validate the files' rows and add the answers to ``plan`` (before it is applied)."""
    index = _index(dataset)
    present: dict[str, set[str]] = {}
    for code, f in merge.files.items():
        rows = _Rows(merge, dataset, code, f, index, calendar)
        rows.run()
        present[code] = rows.present
    by_petition: dict[str, list[Answer]] = {}
    for a in merge.answers:
        by_petition.setdefault(department_files.key(a.ma), []).append(a)
    table = dataset.tables.get(schema.KIEN_NGHI.key)
    for k, p in index.items():
        lead, coord = _roles(dataset, p)
        if lead is None:
            continue
        if lead in merge.unreadable or lead not in merge.files or k not in present.get(lead, ()):
            _carry_over(dataset, plan, p)
            continue
        found = by_petition.get(k, [])
        _apply(merge, dataset, plan, table, p, next((a for a in found if a.lead), None),
               [a for a in found if not a.lead and a.code in coord])
    return merge


def _desired(lead: Answer | None, coords: list[Answer]) -> dict[str, object]:
    lines = [f"Phối hợp - {a.name}: {a.ket_qua}" for a in coords]
    if lead is None:
        return {"ngay_tra_loi": None, "hinh_thuc": None, "ket_qua": "\n".join(lines) or None}
    status = STATUS_WRITTEN
    if lead.hinh_thuc and text.fold(lead.hinh_thuc) == text.fold(schema.FORM_FORWARD):
        # "Chuyển cấp trên" in the register's Hình thức would route the petition to the department
        # "Chuyển cấp trên" (Phân công): the status says it, the form is only compared.
        status = schema.STATUS_FORWARDED
    elif lead.hinh_thuc and text.fold(lead.hinh_thuc) == text.fold(schema.FORM_AT_CONFERENCE):
        status = schema.STATUS_AT_CONFERENCE
    if not lead.counts:
        status = STATUS_WORKING
    return {"ngay_tra_loi": lead.ngay, "hinh_thuc": lead.hinh_thuc,
            "ket_qua": "\n".join([lead.ket_qua or ""] + lines).strip() or None, "trang_thai": status}


def _carry_over(dataset: Dataset, plan: assign.Plan, p: Petition) -> None:
    """Keep what the toolkit wrote from a file it cannot read now."""
    pid = assign.state_text(p.ma)
    prev = dataset.state.get(pid) or {}
    if not any(prev.get(k) for k in schema.ANSWER_STATE_KEYS):
        return
    wanted = {k: prev.get(k) for k in schema.ANSWER_STATE_KEYS + ("trang_thai",) if prev.get(k)}
    _set(dataset, plan, None, p, wanted, conflict=None)


def _apply(merge: Merge, dataset, plan, table, p: Petition, lead: Answer | None, coords: list[Answer]) -> None:
    wanted = _desired(lead, coords)
    source = lead or (coords[0] if coords else None)
    forward = wanted.get("trang_thai") == schema.STATUS_FORWARDED
    merge.merged += _set(dataset, plan, table, p, wanted, conflict=(merge, source),
                         compare_only={"hinh_thuc"} if forward else set())


def _set(dataset, plan, table, p: Petition, wanted: dict, *, conflict, compare_only=frozenset()) -> int:
    pid = assign.state_text(p.ma)
    prev = {k: assign.state_text(v) for k, v in (dataset.state.get(pid) or {}).items()}
    state = dict(plan.state.get(pid) or {})
    unknown = assign._unknown_keys(p)
    changed = 0
    for key, value in wanted.items():
        if key in unknown:
            continue
        cur, old = assign._current(p, key)
        new = assign.state_text(value)
        if key == "trang_thai":
            if "trang_thai" not in state:      # a person's status: theirs
                continue
            plan.changes[:] = [c for c in plan.changes if not (c.row == p.row and c.column_key == "trang_thai")]
        elif cur and prev.get(key) != cur:     # typed in the register: it wins
            if conflict and conflict[1] and new and text.fold(cur) != text.fold(new):
                _conflict(conflict[0], table, p, key, old, value, conflict[1])
            continue
        if key in compare_only:
            value, new = None, ""
        if new:
            state[key] = new
        else:
            state.pop(key, None)
        if new != cur:
            plan.changes.append(assign.CellChange(schema.KIEN_NGHI.key, p.row, key, value if new else None, old))
            changed += 1
    if state:
        plan.state[pid] = state
    else:
        plan.state.pop(pid, None)
    return changed


def _conflict(merge: Merge, table, p: Petition, key: str, old, value, source: Answer) -> None:
    col = table.col_index(key) if table else None
    file_col = {"ngay_tra_loi": "ngay_tra_loi", "hinh_thuc": "hinh_thuc"}.get(key, "ket_qua")
    where = a1.display_ref(f"{source.file.name}: {department_files.SHEET}", source.row, department_files.COL_INDEX[file_col])
    shown = [values.date_text(v, with_time=False) if isinstance(v, dt.date) else v for v in (old, value)]
    # the department file's cell, for a link: its path beside the register, so the shared folder can move
    link = (f"{department_files.FOLDER}/{source.file.parent.name}/{source.file.name}",
            a1.link_location(department_files.SHEET, source.row, department_files.COL_INDEX[file_col]))
    merge.findings.append(Finding("reply-conflict", schema.KIEN_NGHI.name, p.row, schema.KIEN_NGHI.col(key), col,
                                  shown[0], {"reply": shown[1], "other": source.name, "where": where,
                                             "link": link}))


def stats(merge: Merge, dataset: Dataset, *, today: dt.date, calendar) -> list[DepartmentStats]:
    """Per department: assigned, answered on time, answered late, open, overdue, vague answers."""
    out: dict[str, DepartmentStats] = {}
    answered = {(department_files.key(a.ma), a.code): a for a in merge.answers}
    for p in dataset.petitions:
        k = department_files.key(p.ma)
        lead, coord = _roles(dataset, p)
        for code in ([lead] if lead else []) + sorted(coord - {lead}):
            dept = references.resolve_department(dataset, code)
            s = out.setdefault(code, DepartmentStats(code, (dept.ten or code) if dept else code))
            s.assigned += 1
            a = answered.get((k, code)) if k else None
            if a is not None and a.counts:
                if a.late:
                    s.late += 1
                else:
                    s.on_time += 1
                continue
            if a is not None:
                s.vague += 1
            if assign.is_open(p):
                s.open += 1
                if assign.overdue(p, today, calendar):
                    s.overdue += 1
    order = {d.ma: i for i, d in enumerate(dataset.departments)}
    merge.stats = sorted(out.values(), key=lambda s: (order.get(s.code, len(order)), s.code))
    return merge.stats
