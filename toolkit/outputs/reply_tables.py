"""The departments' answers as summary tables (docs/ARCHITECTURE.md, "Department files"): per department — assigned, answered
on time, answered late, open, overdue, vague answers — and the latest answers received with the
file they came from. ``summaries.build`` turns them into its Tables, so the dashboard, the
register's Tổng hợp / Theo dõi xử lý and tong-hop.xlsx show the same figures.

Plain dicts (the fields of ``summaries.Table``), so this module needs nothing from summaries."""

from __future__ import annotations

INT, TEXT, DATE = "int", "text", "date"
LATEST = 15
RESULT_MAX = 160


def _shorten(text: str, limit: int = RESULT_MAX) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def department_table(merge) -> dict:
    headers = ["Bộ phận", "Được giao", "Trả lời đúng hạn", "Trả lời chậm", "Chưa trả lời", "Quá hạn",
               "Trả lời chung chung"]
    rows = [[s.name, s.assigned, s.on_time, s.late, s.open, s.overdue, s.vague] for s in merge.stats]
    footer = ["Tổng cộng"] + [sum(r[i] for r in rows) for i in range(1, len(headers))]
    note = ("Tính cả vai trò chủ trì và phối hợp. Trả lời lấy từ tệp của từng bộ phận trong thư mục phan-hoi; "
            "trả lời chung chung (chỉ «đã tiếp thu», «sẽ xem xét»…) chưa được tính là đã trả lời.")
    return {"title": "Trả lời của các bộ phận", "headers": headers, "rows": rows, "note": note, "footer": footer,
            "kinds": [TEXT] + [INT] * 6, "key": "replies_by_department"}


def _source(path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


def latest_table(merge, n: int = LATEST) -> dict:
    headers = ["Ngày trả lời", "Mã kiến nghị", "Bộ phận", "Vai trò", "Kết quả trả lời", "Tệp"]
    rows = [[a.ngay, a.ma, a.name, "Chủ trì" if a.lead else "Phối hợp", _shorten(a.ket_qua or ""),
             f"{_source(a.file)} (dòng {a.row})"] for a in merge.latest(n)]
    note = "" if rows else "Chưa có bộ phận nào gửi trả lời qua tệp trong thư mục phan-hoi."
    return {"title": "Trả lời mới nhận từ các bộ phận", "headers": headers, "rows": rows, "note": note,
            "footer": None, "kinds": [DATE, TEXT, TEXT, TEXT, TEXT, TEXT], "key": "latest_answers"}


def tables(merge) -> tuple[dict, dict] | None:
    """Both tables, or None when the pass did not look at department files (a dataset built by hand)."""
    if merge is None:
        return None
    return department_table(merge), latest_table(merge)
