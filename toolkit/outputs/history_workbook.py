"""``nhat-ky.xlsx``: the journal's changes as a sheet a clerk can filter (``doithoai history --format xlsx``)."""

from __future__ import annotations

from pathlib import Path

from toolkit.core.errors import OutputError, os_reason
from toolkit.journal import snapshot, store

HEADERS = ("Thời gian lưu", "Người lưu", "Nguồn", "Sheet", "Dòng (mã)", "Dòng số", "Loại thay đổi", "Cột",
           "Giá trị cũ", "Giá trị mới")


def write_xlsx(found: list[store.Entry], target: Path) -> Path:
    """A sheet 'Nhật ký' with a filter on every column; every value written as text."""
    import xlsxwriter

    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".~doithoai-{target.stem}.tmp.xlsx")
        wb = xlsxwriter.Workbook(str(temp), {"strings_to_formulas": False, "strings_to_urls": False})
        ws = wb.add_worksheet("Nhật ký")
        bold = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        when = wb.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        for j, h in enumerate(HEADERS):
            ws.write_string(0, j, h, bold)
        for i, e in enumerate(found, start=1):
            ws.write_datetime(i, 0, e.save.at, when)
            cells = (e.save.who, store.SOURCE_LABEL.get(e.save.source, e.save.source), e.where, e.row_key,
                     e.row if e.row is not None else e.old_row, snapshot.KIND_LABEL.get(e.kind, e.kind),
                     e.column or "", e.old or "", e.new or "")
            for j, v in enumerate(cells, start=1):
                if isinstance(v, int):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
        for j, width in enumerate((17, 20, 18, 12, 18, 8, 13, 20, 40, 40)):
            ws.set_column(j, j, width)
        ws.autofilter(0, 0, max(len(found), 1), len(HEADERS) - 1)
        ws.freeze_panes(1, 0)
        wb.close()
        temp.replace(target)
    except OSError as exc:
        raise OutputError(f"Không ghi được {target} ({os_reason(exc)}). Đóng tệp này nếu đang mở trong Excel "
                          "rồi chạy lại.", code="output-failed") from exc
    return target


