"""index.html: the dashboard staff keep open beside Excel.

Rendered with Jinja2 (autoescape on) from ``dashboard.html.j2``: findings
first with their cell addresses, then key figures, charts (inline SVG from
:mod:`svgcharts`) and open / overdue petitions. Self-contained: no network,
no CDN, no JavaScript library.

Self-reload, chosen to work both over http:// and when opened as file://
(where browsers block fetch/XHR of local files):

- each pass writes ``version.js`` beside index.html, a one-line script
  ``window.doithoaiVersion("<version>")``, and ``version.json`` with the same
  version for other tools;
- the page embeds its own version and, every 2 seconds, re-inserts a
  ``<script src="version.js?t=...">`` tag (script tags may load local files
  under file://); when the version it reports differs, the page reloads;
- with JavaScript off, a ``<noscript>`` meta refresh reloads every 30 s.

index.html is written first and version.js last (both atomically), so a
reload always finds the new page.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from toolkit.core import findings as fnd
from toolkit.outputs import summaries
from toolkit.outputs import svgcharts, wordtemplates
from toolkit.core import values
from toolkit.xlsx.atomic import atomic_write
from toolkit.core.errors import OutputError

TEMPLATE = "dashboard.html.j2"
POLL_MS = 2000
MAX_FINDINGS = 300
MAX_OPEN = 300


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(wordtemplates.PACKAGED_DIR)), autoescape=select_autoescape(
        enabled_extensions=("html", "j2", "html.j2"), default_for_string=True, default=True))
    env.filters["cell"] = format_cell
    env.filters["ngay"] = lambda v: values.date_text(v, with_time=False)
    env.filters["num"] = lambda v: svgcharts._num(v) if isinstance(v, (int, float)) else v
    env.filters["anchor"] = history_anchor
    return env


def history_anchor(code: object) -> str:
    """The id of a petition's history block (any typed code gives a safe id)."""
    import hashlib

    return "ls-" + hashlib.sha1(str(code).encode("utf-8")).hexdigest()[:12]


def format_cell(value, kind: str = summaries.TEXT) -> str:
    """A table value as Vietnamese staff read it (dates dd/mm/yyyy, 66,7%)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if kind == summaries.PERCENT and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%".replace(".", ",")
    if isinstance(value, dt.date):
        return values.date_text(value, with_time=True)
    if isinstance(value, (int, float)):
        return svgcharts._num(value)
    return str(value)


def _charts(summary: summaries.Summary) -> list:
    charts = []
    n = summary.numbers
    if n.get("petitions"):
        charts.append(svgcharts.donut_chart([
            ("Đã trả lời", n["answered"]), ("Chuyển cấp trên", n["forwarded"]),
            ("Đang xử lý, còn hạn", n["open"] - n["overdue"]), ("Quá hạn", n["overdue"])],
            title="Tình hình giải quyết kiến nghị"))
    for key, title in (("by_field", "Kiến nghị theo lĩnh vực"), ("by_department", "Kiến nghị theo bộ phận chủ trì")):
        t = getattr(summary, key)
        if t is None or not t.rows:
            continue
        wanted = ("Đã trả lời", "Chuyển cấp trên", "Đang xử lý", "Quá hạn")
        cols = [h for h in t.headers if h in wanted]
        if "Quá hạn" in cols and "Đang xử lý" in cols:
            # Split open into still-in-time and overdue so segments add up.
            i_open, i_late = t.headers.index("Đang xử lý"), t.headers.index("Quá hạn")
            series = [(h, t.column(h)) for h in cols if h not in ("Đang xử lý", "Quá hạn")]
            series.append(("Đang xử lý, còn hạn", [r[i_open] - r[i_late] for r in t.rows]))
            series.append(("Quá hạn", [r[i_late] for r in t.rows]))
        else:
            series = [(h, t.column(h)) for h in cols]
        colors = ("#2E7D32", "#1565C0", "#F9A825", "#C62828")
        charts.append(svgcharts.bar_chart(t.column(t.headers[0]), series, title=title, colors=colors))
    if summary.attendance is not None and summary.attendance.rows:
        t = summary.attendance
        cats = [f"{r.hoi_nghi} · {r.thanh_phan}" if len(summary.conferences) > 1 else r.thanh_phan for r in t.rows]
        charts.append(svgcharts.bar_chart(cats, [("Có mặt", [r.present for r in t.rows]),
                                                 ("Vắng", [r.invited - r.present for r in t.rows])],
                                          title="Tham dự theo thành phần", colors=("#1565C0", "#BDBDBD")))
    return charts


def _write_atomic(path: Path, text: str) -> None:
    try:
        atomic_write(path, text)
    except OSError as exc:
        raise OutputError(f"Không ghi được trang tổng hợp {path.name} ({exc}). "
                          "Kiểm tra thư mục kết quả có ghi được không.", code="output-failed") from exc


def shown_findings(report: fnd.Report) -> tuple[list[fnd.Finding], int]:
    """The findings the page lists (errors first, at most MAX_FINDINGS) and how many more there are:
    the page's data stays small however many warnings the register has (the full list is its
    Lỗi nhập liệu sheet)."""
    ordered = sorted(report.sorted(), key=lambda f: f.severity != fnd.ERROR)
    return ordered[:MAX_FINDINGS], max(0, len(ordered) - MAX_FINDINGS)


def render_html(summary: summaries.Summary, findings_report: fnd.Report | None, *, workbook_name: str,
                generated_at: dt.datetime, version: str, journal: dict | None = None) -> str:
    report = findings_report or fnd.Report()
    shown, more = shown_findings(report)
    template = _env().get_template(TEMPLATE)
    return template.render(
        s=summary, sm=summaries, workbook_name=workbook_name, generated_at=generated_at, version=version,
        findings=shown, findings_more=more,
        counts=report.counts(), ERROR=fnd.ERROR, labels=fnd.SEVERITY_LABEL,
        charts=_charts(summary), poll_ms=POLL_MS, max_open=MAX_OPEN, journal=journal,
    )


def render_dashboard(summary: summaries.Summary, findings_report: fnd.Report | None, path: str | os.PathLike, *,
                     workbook_name: str, generated_at: dt.datetime, version: str,
                     journal: dict | None = None) -> Path:
    """Write index.html (and version.js / version.json beside it) atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    html = render_html(summary, findings_report, workbook_name=workbook_name,
                       generated_at=generated_at, version=version, journal=journal)
    _write_atomic(path, html)
    payload = json.dumps({"version": version, "generated_at": generated_at.isoformat(timespec="seconds")},
                         ensure_ascii=False)
    _write_atomic(path.with_name("version.json"), payload + "\n")
    _write_atomic(path.with_name("version.js"),
                  f"window.doithoaiVersion && window.doithoaiVersion({json.dumps(version)});\n")
    return path
