"""`doithoai history`: the journal of a workbook as text, JSON or a sheet a clerk can filter.

Reads ``ket-qua/<name>/nhat-ky.sqlite`` (``toolkit.journal.store``); the .xlsx a clerk can
filter (``nhat-ky.xlsx`` in the output folder) is written by ``toolkit.outputs.history_workbook``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.journal import store as jr
from toolkit.journal import snapshot as snap
from toolkit.core.errors import UsageError
from toolkit.outputs.folder import default_out_dir

XLSX_NAME = "nhat-ky.xlsx"
TIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%d-%m-%Y %H:%M", "%d-%m-%Y", "%Y-%m-%d %H:%M",
                "%Y-%m-%d")


def parse_time(text: str, *, option: str = "--since") -> dt.datetime:
    """'dd/mm/yyyy' or 'dd/mm/yyyy hh:mm' (the way staff write dates)."""
    cleaned = " ".join(str(text).split())
    for fmt in TIME_FORMATS:
        try:
            return dt.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
    raise UsageError(f"Không hiểu thời gian '{text}' của {option}. Ghi theo dạng ngày/tháng/năm giờ:phút, "
                     f"ví dụ \"15/06/2024 14:30\" hoặc 15/06/2024.", code="bad-time")


def journal_for(path: Path, out_dir: Path | None = None) -> jr.Journal:
    """The journal of ``path``; a clear message when there is none yet."""
    path = Path(path)
    db = jr.journal_path(Path(out_dir) if out_dir else default_out_dir(path))
    if not db.exists():
        raise UsageError(f"Chưa có nhật ký cho sổ {path.name} (không thấy {db}). Nhật ký bắt đầu từ lượt chạy đầu "
                         f"tiên: chạy doithoai run \"{path}\" hoặc để doithoai watch theo dõi thư mục của sổ.",
                         code="no-journal")
    return jr.Journal(db)


def entries(path: Path, *, ma: str | None = None, since: dt.datetime | None = None,
            out_dir: Path | None = None) -> list[jr.Entry]:
    journal = journal_for(path, out_dir)
    try:
        # every workbook of the register's journal: the register and its departments' files
        found = journal.entries(None, row_key=ma.strip() if ma else None, since=since)
    finally:
        journal.close()
    if journal.notes:
        raise UsageError(" ".join(journal.notes), code="journal-unreadable")
    return found


def _value(v: str | None) -> str:
    return "(trống)" if v is None else f"'{v}'"


def describe(e: jr.Entry) -> str:
    """One change in Vietnamese."""
    where = f"{e.where} · {e.row_key}"
    if e.kind == snap.MOVED:
        return f"{where}: chuyển chỗ từ {e.old} sang {e.new}"
    if e.kind == snap.ADDED:
        return f"{where}: thêm dòng {e.row}, {e.column} = {_value(e.new)}"
    if e.kind == snap.DELETED:
        return f"{where}: xóa dòng {e.old_row}, {e.column} là {_value(e.old)}"
    return f"{where}: {e.column}: {_value(e.old)} → {_value(e.new)}"


def format_text(found: list[jr.Entry], path: Path) -> str:
    if not found:
        return f"{Path(path).name}: nhật ký không có thay đổi nào khớp điều kiện."
    lines: list[str] = []
    current = None
    for e in found:
        if e.save.id != current:
            current = e.save.id
            s = e.save
            label = jr.SOURCE_LABEL.get(s.source, s.source)
            lines.append(f"\n{s.at:%d/%m/%Y %H:%M} — {s.who} ({label}): {s.summary()}"
                         + (f" [bản sao lưu: {s.backup}]" if s.backup else ""))
        lines.append(f"  {describe(e)}")
    return "\n".join(lines).lstrip("\n")


def as_json(found: list[jr.Entry]) -> list[dict]:
    return [e.as_dict() for e in found]


def xlsx_path(path: Path, out_dir: Path | None = None) -> Path:
    return (Path(out_dir) if out_dir else default_out_dir(Path(path))) / XLSX_NAME
