"""The dashboard's countdown to the next conference: open tasks by department, overdue in red,
the legal dates — rendered by a real pass and measured in real headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import badfiles as B
from test_dashboard import _chromium
from test_tasks import CONF, NOTICE, REPORT
from toolkit.pipeline import passes
from toolkit.core import schema
from toolkit.rules import tasks

D = dt.date
TODAY = D(2024, 6, 17)          # Monday; the conference is on Friday 21/06/2024

TASKS = [
    {"hoi_nghi": "HN-2024-06", "cong_viec": NOTICE, "bo_phan": "Văn hóa - Thông tin", "han": "-7"},   # 14/06: late
    {"hoi_nghi": "HN-2024-06", "cong_viec": "Chuẩn bị khẩu hiệu", "bo_phan": "Văn hóa - Thông tin", "han": "-2"},
    {"hoi_nghi": "HN-2024-06", "cong_viec": "Phát hành giấy mời", "bo_phan": "Văn phòng - Thống kê", "han": "-7",
     "ngay_hoan_thanh": D(2024, 6, 13)},                                                            # done
    {"hoi_nghi": "HN-2024-06", "cong_viec": REPORT, "bo_phan": "Văn phòng - Thống kê", "han": "+10"},
    {"hoi_nghi": "HN-2024-06", "cong_viec": "Chuẩn bị âm thanh <loa> & \"micro\"", "han": "-1"},    # no department
]


@pytest.fixture
def out(tmp_path) -> Path:
    rows = B.base_rows()
    rows["hoi_nghi"] = [dict(CONF), dict(CONF, ma="HN-2024-11", ngay=D(2024, 11, 22))]
    rows["cong_viec"] = TASKS
    path = B.save(tmp_path, B.build_workbook(rows))
    folder = tmp_path / "ket-qua"
    passes.run(path, out_dir=folder, today=TODAY, write=False)
    return folder


def test_countdown_picks_the_next_conference_and_groups_open_tasks():
    rows = B.base_rows()
    ds = _dataset(rows)
    cd = tasks.countdown(ds, TODAY, _calendar())
    assert (cd.ma, cd.days, cd.done, cd.open, cd.overdue) == ("HN-2024-06", 4, 1, 4, 1)
    assert [d for d, _ in cd.by_department] == ["Văn hóa - Thông tin", "Văn phòng - Thống kê",
                                                 tasks.NO_DEPARTMENT]
    assert [(label.split(" chậm nhất")[0], day, left) for label, day, left in cd.legal] == [
        ("Thông báo trên đài truyền thanh", D(2024, 6, 14), -3), ("Gửi báo cáo kết quả", D(2024, 7, 1), 14)]
    # After the June conference, with its tasks done, the countdown moves to November.
    later = tasks.countdown(ds, D(2024, 6, 22), _calendar())
    assert later.ma == "HN-2024-06"                   # June still has open tasks (the report)
    for t in ds.tasks:
        t.ngay_hoan_thanh = D(2024, 6, 21)
        t.raw["ngay_hoan_thanh"] = t.ngay_hoan_thanh
    assert tasks.countdown(ds, D(2024, 6, 22), _calendar()).ma == "HN-2024-11"


def _calendar():
    from toolkit.core.workdays import Calendar

    return Calendar()


def _dataset(rows):
    import tempfile

    rows["hoi_nghi"] = [dict(CONF), dict(CONF, ma="HN-2024-11", ngay=D(2024, 11, 22))]
    rows["cong_viec"] = TASKS
    folder = Path(tempfile.mkdtemp())
    return passes.check(B.save(folder, B.build_workbook(rows)), today=TODAY).dataset


def test_page_has_the_countdown_with_staff_text_escaped(out):
    html = (out / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section id="dem-nguoc".*?</section>', html, re.S).group(0)
    assert "Còn 4 ngày" in section and "21/06/2024" in section
    assert "&lt;loa&gt; &amp; &#34;micro&#34;" in section or "&lt;loa&gt; &amp; &quot;micro&quot;" in section
    assert "<loa>" not in html


PROBE = """
<script>
document.addEventListener("DOMContentLoaded", function () {
  var cd = document.getElementById("dem-nguoc");
  var out = {
    big: cd.querySelector("#so-ngay").textContent.trim(),
    departments: Array.from(cd.querySelectorAll("h4")).map(function (h) { return h.textContent.trim(); }),
    late: Array.from(cd.querySelectorAll("table.viec tr.late")).map(function (tr) {
      return [tr.cells[0].textContent.trim(), getComputedStyle(tr.cells[0]).color];
    }),
    onTime: Array.from(cd.querySelectorAll("table.viec tbody tr:not(.late)")).map(function (tr) {
      return getComputedStyle(tr.cells[0]).color;
    }),
    legal: Array.from(cd.querySelectorAll("#moc-phap-ly tbody tr")).map(function (tr) {
      return [tr.cells[1].textContent.trim(), tr.cells[2].textContent.trim(), getComputedStyle(tr.cells[2]).color];
    }),
    visible: cd.getBoundingClientRect().height > 100
  };
  document.body.insertAdjacentText("beforeend", "MEAS" + "URED" + JSON.stringify(out) + "EN" + "D");
});
</script>
"""

RED = "rgb(198, 40, 40)"


@pytest.mark.chromium
@pytest.mark.slow
def test_countdown_in_chromium_overdue_in_red(out, tmp_path):
    page = out / "index.html"
    probe = out / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = _chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", probe.as_uri())
    found = re.search(r"MEASURED(.*?)END", proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    got = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert got["visible"]
    assert got["big"] == "Còn 4 ngày"
    assert got["departments"] == ["Văn hóa - Thông tin (2)", "Văn phòng - Thống kê (1)",
                                  f"{tasks.NO_DEPARTMENT} (1)"]
    assert got["late"] == [[NOTICE, RED]]
    assert got["onTime"] and RED not in got["onTime"]
    assert got["legal"] == [["14/06/2024", "-3", RED], ["01/07/2024", "14", got["legal"][1][2]]]
    assert got["legal"][1][2] != RED


def test_tong_hop_gains_the_task_table(out):
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(out / "tong-hop.xlsx"))
    assert "Công việc" in wb.sheet_names
    grid = wb.get_sheet_by_name("Công việc").to_python()
    header = next(i for i, r in enumerate(grid) if r[:2] == ["Hội nghị", "Công việc"])
    body = [r for r in grid[header + 1:] if r[0]]
    assert [r[1] for r in body] == [NOTICE, "Phát hành giấy mời", "Chuẩn bị khẩu hiệu",
                                    "Chuẩn bị âm thanh <loa> & \"micro\"", REPORT]
    status = {r[1]: r[6] for r in body}
    assert status[NOTICE] == tasks.LATE and status["Phát hành giấy mời"] == tasks.DONE
    assert status[REPORT] == tasks.OPEN


def test_the_workbooks_tong_hop_sheet_gains_the_task_table(tmp_path):
    import python_calamine

    rows = B.base_rows()
    rows["cong_viec"] = TASKS
    path = B.save(tmp_path, B.build_workbook(rows))
    assert passes.run(path, today=TODAY, render=False).written
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    grid = wb.get_sheet_by_name(schema.TONG_HOP.name).to_python()
    titles = [r[0] for r in grid if r and isinstance(r[0], str)]
    assert "Công việc chuẩn bị và sau hội nghị" in titles
    assert any(r[:2] == ["HN-2024-06", REPORT] for r in grid)
