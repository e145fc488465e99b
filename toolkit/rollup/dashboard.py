"""The province's dashboard ``index.html`` (offline: no network, charts inline as SVG, Jinja2 autoescape).

Files not rolled up first (file, reason, what to do), then the totals, the
wards compared (a table sortable by any column, with a few lines of inline
script; without script it stays a plain table), the topics raised in three or
more wards, overdue petitions by ward and the wards that missed a legal
deadline. Charts are ``toolkit.outputs.svgcharts``, the ward dashboard's own. Like the
ward's page it reloads itself when a new roll-up changed it (``version.js`` beside it, polled
with a script tag, which works under file://), for the office that keeps it open under `watch`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from toolkit.outputs import svgcharts
from toolkit.rollup import timeline

TEMPLATE = "tong-hop-tinh.html.j2"     # in templates/ (toolkit.outputs.wordtemplates.PACKAGED_DIR)
FILE_NAME = "index.html"
CHART_MAX = 40


def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from toolkit.outputs.wordtemplates import PACKAGED_DIR

    env = Environment(loader=FileSystemLoader(str(PACKAGED_DIR)),
                      autoescape=select_autoescape(default_for_string=True, default=True))
    env.filters["ngay"] = lambda d: d.strftime("%d/%m/%Y") if isinstance(d, dt.date) else ""
    env.filters["pct"] = lambda v: "" if v is None else f"{v * 100:.1f}%".replace(".", ",")
    env.filters["num"] = lambda v: svgcharts._num(v)
    return env


def charts(figures) -> list:
    out = []
    w = figures.wards.sort_values(["petitions", "ward"], ascending=[False, True]).head(CHART_MAX)
    if len(w):
        out.append(svgcharts.bar_chart(
            list(w["ward"]),
            [("Đã trả lời", list(w["answered"])), ("Chuyển cấp trên", list(w["forwarded"])),
             ("Đang xử lý, còn hạn", list(w["petitions"] - w["answered"] - w["forwarded"] - w["overdue"])),
             ("Quá hạn", list(w["overdue"]))],
            title=f"Kiến nghị theo đơn vị ({len(w)} đơn vị nhiều kiến nghị nhất)" if len(figures.wards) > CHART_MAX
            else "Kiến nghị theo đơn vị", colors=("#2E7D32", "#1565C0", "#F9A825", "#C62828")))
    shared = figures.topics_shared
    if len(shared):
        out.append(svgcharts.bar_chart(list(shared["linh_vuc"]), [("Số phường nêu", list(shared["wards"]))],
                                       title="Lĩnh vực được nêu ở từ 3 đơn vị trở lên", colors=("#6A1B9A",)))
    late = figures.wards[figures.wards["overdue"] > 0].sort_values(["overdue", "ward"], ascending=[False, True])
    if len(late):
        late = late.head(CHART_MAX)
        out.append(svgcharts.bar_chart(list(late["ward"]), [("Quá hạn", list(late["overdue"]))],
                                       title="Kiến nghị quá hạn theo đơn vị", colors=("#C62828",)))
    return out


POLL_MS = 5000


def version_of(result) -> str:
    """What the page shows, as a short digest: the page reloads itself when a roll-up changes it."""
    import hashlib
    import json

    payload = json.dumps([result.as_json(), result.as_of.isoformat()], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def render_html(result, version: str = "") -> str:
    f = result.figures
    missed = [r for r in f.conferences.itertuples() if r.held and r.status == timeline.MISSED]
    return _env().get_template(TEMPLATE).render(
        f=f, totals=f.totals, wards=list(f.wards.itertuples()), shared=list(f.topics_shared.itertuples()),
        missed=missed, skipped=result.skipped, charts=charts(f), label=timeline.LABEL,
        generated_at=dt.datetime.now().replace(microsecond=0), version=version, poll_ms=POLL_MS)


def write(path: Path, result) -> Path:
    """index.html, and version.js beside it (the open page polls it, as the ward's dashboard does)."""
    import json

    from toolkit.xlsx.atomic import atomic_write

    version = version_of(result)
    atomic_write(path, render_html(result, version))
    atomic_write(path.with_name("version.js"), f"window.doithoaiVersion && window.doithoaiVersion({json.dumps(version)});\n")
    return path
