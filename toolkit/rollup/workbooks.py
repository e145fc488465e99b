"""The roll-up's workbooks (xlsxwriter): ``tong-hop.xlsx`` and ``kien-nghi-chuyen-cap-tren.xlsx``.

tong-hop.xlsx: "Theo phường" (one row per ward: conferences held, legal
deadlines met and missed, petitions, answered, overdue, forwarded, answer
rate; a native chart), "Theo lĩnh vực" (topics across wards, chart), "Hạn luật
định" (each conference's notice and result report against the legal periods)
and "Tệp chưa tổng hợp" (every file skipped or partly rolled up: file,
reason and what to do). kien-nghi-chuyen-cap-tren.xlsx: every forwarded
petition, one sheet per receiving provincial body (``toolkit.rollup.bodies``).
Text is always written as text (never a formula); no personal data is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.rollup import timeline

SUMMARY_NAME = "tong-hop.xlsx"
FORWARDED_NAME = "kien-nghi-chuyen-cap-tren.xlsx"
CHART_MAX_ROWS = 60           # a chart of more wards is unreadable: the wards with most petitions
WARD_HEADERS = ["Tệp", "Đơn vị", "Hội nghị đã tổ chức", "Đúng hạn luật định", "Trễ hạn luật định", "Kiến nghị",
                "Đã trả lời", "Quá hạn", "Chuyển cấp trên", "Tỷ lệ trả lời"]
TOPIC_HEADERS = ["Lĩnh vực", "Số phường", "Kiến nghị", "Đã trả lời", "Quá hạn", "Chuyển cấp trên"]
CONF_HEADERS = ["Đơn vị", "Hội nghị", "Ngày tổ chức", "Ngày thông báo", "Hạn thông báo", "Thông báo",
                "Ngày gửi báo cáo", "Hạn báo cáo", "Báo cáo kết quả", "Kết luận"]
SKIP_HEADERS = ["Tệp", "Lý do và cách xử lý"]
FORWARD_HEADERS = ["Đơn vị", "Mã kiến nghị", "Hội nghị", "Ngày tiếp nhận", "Lĩnh vực", "Bộ phận chủ trì",
                   "Trạng thái", "Hạn xử lý", "Tệp"]
_BAD_SHEET_CHARS = set('[]:*?/\\')
_EXCEL_DAY_0 = dt.date(1899, 12, 30).toordinal()   # serial 1 is 1900-01-01, less Excel's 29/02/1900
_SERIAL_FROM = dt.date(1900, 3, 1)                  # from here on the serial is plain day counting


class _Writer:
    def __init__(self, path: Path):
        import xlsxwriter

        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                                  "strings_to_numbers": False})
        self.head = self.wb.add_format({"bold": True, "bg_color": "#1F4E79", "font_color": "#FFFFFF",
                                        "text_wrap": True, "valign": "vcenter", "border": 1})
        self.date = self.wb.add_format({"num_format": "dd/mm/yyyy"})
        self.pct = self.wb.add_format({"num_format": "0.0%"})
        self.title = self.wb.add_format({"bold": True, "font_size": 14})
        self.pct_cols: set[int] = set()

    def table(self, name: str, title: str, headers: list[str], rows: list[list], widths: list[int],
              pct_cols: tuple[int, ...] = ()):
        ws = self.wb.add_worksheet(name)
        self.pct_cols = set(pct_cols)
        ws.write_string(0, 0, title, self.title)
        ws.write_row(2, 0, headers, self.head)
        ws.set_row(2, 32)
        for i, row in enumerate(rows, start=3):
            for j, v in enumerate(row):
                self.cell(ws, i, j, v)
        for j, w in enumerate(widths):
            ws.set_column(j, j, w)
        ws.freeze_panes(3, 0)
        if rows:
            ws.autofilter(2, 0, 2 + len(rows), len(headers) - 1)
        return ws

    def cell(self, ws, r: int, c: int, v) -> None:
        kind = type(v)
        if kind is str:                      # most cells: the commonest types are asked first
            ws.write_string(r, c, v[:32767])
            return
        if kind is dt.date and v >= _SERIAL_FROM:
            # the number Excel stores for a date, as write_datetime computes it (a tenth of its cost)
            ws.write_number(r, c, float(v.toordinal() - _EXCEL_DAY_0), self.date)
            return
        if v is None or kind.__name__ in ("NAType", "NaTType") or (kind is float and v != v):
            return
        if isinstance(v, bool):
            ws.write_boolean(r, c, v)
        elif isinstance(v, dt.date):
            ws.write_datetime(r, c, dt.datetime(v.year, v.month, v.day), self.date)
        elif isinstance(v, float) and c in self.pct_cols:
            ws.write_number(r, c, v, self.pct)
        elif isinstance(v, (int, float)) or hasattr(v, "item"):   # numpy scalars too
            ws.write_number(r, c, v)
        else:
            ws.write_string(r, c, str(v)[:32767])

    def chart(self, ws, sheet: str, n: int, cat_col: int, series: list[tuple[int, str, str]], title: str,
              anchor: str, kind: str = "bar") -> None:
        if not n:
            return
        chart = self.wb.add_chart({"type": kind, "subtype": "stacked"})
        last = 3 + min(n, CHART_MAX_ROWS) - 1
        for col, name, color in series:
            chart.add_series({"name": name, "categories": [sheet, 3, cat_col, last, cat_col],
                              "values": [sheet, 3, col, last, col], "fill": {"color": color}})
        chart.set_title({"name": title})
        chart.set_size({"width": 760, "height": max(320, 22 * min(n, CHART_MAX_ROWS) + 120)})
        chart.set_y_axis({"reverse": True} if kind == "bar" else {})
        ws.insert_chart(anchor, chart)

    def close(self) -> None:
        self.wb.close()


def write_summary(path: Path, figures, skipped) -> Path:
    from toolkit.xlsx.atomic import atomic_output

    wards = figures.wards.sort_values(["petitions", "ward"], ascending=[False, True])
    ward_rows = [[r.file, r.ward, r.conferences, r.deadlines_met, r.deadlines_missed, r.petitions, r.answered,
                  r.overdue, r.forwarded, r.answer_rate] for r in figures.wards.itertuples()]
    t = figures.totals
    ward_rows.append(["", "Tổng cộng", t["conferences"], t["deadlines_met"], t["deadlines_missed"], t["petitions"],
                      t["answered"], t["overdue"], t["forwarded"], (t["answered"] / t["petitions"]) if t["petitions"]
                      else None])
    topic_rows = [[r.linh_vuc, r.wards, r.petitions, r.answered, r.overdue, r.forwarded]
                  for r in figures.topics.itertuples()]
    conf_rows = [[r.ward, r.ma, r.ngay, r.ngay_thong_bao, r.han_thong_bao, timeline.LABEL[r.notice], r.ngay_bao_cao,
                  r.han_bao_cao, timeline.LABEL[r.report], timeline.LABEL[r.status]]
                 for r in figures.conferences.itertuples() if r.held]
    skip_rows = [[s.file, s.reason] for s in skipped]
    with atomic_output(path) as tmp:
        w = _Writer(tmp)
        ws = w.table("Theo phường", f"Kết quả đối thoại theo đơn vị, tính đến {figures.as_of:%d/%m/%Y}",
                     WARD_HEADERS, ward_rows, [30, 30, 12, 12, 12, 11, 11, 11, 12, 11], pct_cols=(9,))
        # the chart draws the wards with most petitions, from a hidden copy sorted that way
        chart_rows = [[r.ward, r.answered, r.forwarded, r.petitions - r.answered - r.forwarded - r.overdue,
                       r.overdue] for r in wards.itertuples()]
        for i, row in enumerate(chart_rows, start=3):
            for j, v in enumerate(row):
                w.cell(ws, i, 20 + j, v)
        ws.set_column(20, 24, None, None, {"hidden": True})
        w.chart(ws, "Theo phường", len(chart_rows), 20,
                [(21, "Đã trả lời", "#2E7D32"), (22, "Chuyển cấp trên", "#1565C0"),
                 (23, "Đang xử lý, còn hạn", "#F9A825"), (24, "Quá hạn", "#C62828")],
                "Kiến nghị theo đơn vị", "L3")
        ws = w.table("Theo lĩnh vực", "Kiến nghị theo lĩnh vực, các đơn vị", TOPIC_HEADERS, topic_rows,
                     [34, 11, 11, 11, 11, 12])
        w.chart(ws, "Theo lĩnh vực", len(topic_rows), 0,
                [(3, "Đã trả lời", "#2E7D32"), (5, "Chuyển cấp trên", "#1565C0"), (4, "Quá hạn", "#C62828")],
                "Kiến nghị theo lĩnh vực", "H3")
        w.table("Hạn luật định", "Thông báo trước hội nghị và báo cáo kết quả sau hội nghị (hội nghị đã tổ chức)",
                CONF_HEADERS, conf_rows, [30, 14, 12, 12, 12, 13, 13, 12, 14, 13])
        w.table("Tệp chưa tổng hợp", "Tệp chưa tổng hợp được hoặc chỉ tổng hợp một phần", SKIP_HEADERS,
                skip_rows, [40, 120])
        w.close()
    return path


def _sheet_name(body: str, used: set[str]) -> str:
    name = "".join("-" if ch in _BAD_SHEET_CHARS else ch for ch in body).strip("' ")[:31] or "Khác"
    base, k = name, 2
    while name.lower() in used:
        suffix = f" ({k})"
        name = base[:31 - len(suffix)] + suffix
        k += 1
    used.add(name.lower())
    return name


def write_forwarded(path: Path, figures, bodies) -> Path:
    from toolkit.core.text import vn_sort_key
    from toolkit.xlsx.atomic import atomic_output

    groups: dict[str, list[list]] = {}
    for r in figures.forwarded.itertuples():
        groups.setdefault(bodies(r.linh_vuc), []).append(
            [r.ward, r.ma, r.hoi_nghi, r.ngay_tiep_nhan, r.linh_vuc, r.chu_tri, r.trang_thai, r.han, r.file])
    with atomic_output(path) as tmp:
        w = _Writer(tmp)
        used: set[str] = set()
        if not groups:
            w.table("Chưa có", "Chưa có kiến nghị nào được chuyển cấp trên", FORWARD_HEADERS, [],
                    [28, 18, 13, 12, 26, 30, 20, 12, 36])
        ward_key = {ward: vn_sort_key(ward) for ward in figures.wards["ward"]}
        for body in sorted(groups, key=vn_sort_key):
            rows = sorted(groups[body], key=lambda r: (ward_key.get(r[0]) or vn_sort_key(r[0]), str(r[1] or "")))
            w.table(_sheet_name(body, used), f"{body}: {len(rows)} kiến nghị các phường chuyển lên", FORWARD_HEADERS,
                    rows, [28, 18, 13, 12, 26, 30, 20, 12, 36])
        w.close()
    return path
