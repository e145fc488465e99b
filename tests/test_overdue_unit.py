"""One unit for "overdue" everywhere: the deadline is counted in working days, so
`check`, the dashboard and the phiếu chuyển say the same number of "ngày làm việc"
for the same petition."""

from __future__ import annotations

import datetime as dt
import re

from docx import Document

from clirun import doithoai
from toolkit.pipeline import passes

TODAY = dt.date(2026, 12, 2)


def _days(text: str, code: str) -> set[str]:
    return set(re.findall(rf"{re.escape(code)}.*?Quá hạn (\d+) ngày làm việc", text, re.S))


def test_one_petition_is_late_by_the_same_working_days_everywhere(sample_copy, tmp_path):
    checked = passes.check(sample_copy, today=TODAY)
    late = [f for f in checked.report if f.code == "petition-overdue"]
    assert late and all("ngày làm việc" in f.message for f in late)
    petition = next(p for p in checked.dataset.petitions if p.row == late[0].row)
    code = petition.ma
    days = re.search(r"quá hạn xử lý (\d+) ngày làm việc", late[0].message).group(1)

    out = tmp_path / "ket-qua"
    passes.run(sample_copy, out_dir=out, today=TODAY, write=False)
    html = (out / "index.html").read_text(encoding="utf-8")
    row = next(r for r in html.split("<tr") if f">{code}<" in r)
    assert f"Quá hạn {days} ngày làm việc" in row

    slip = next(out.glob(f"phieu-chuyen-*{petition.chu_tri}*.docx"), None) or next(
        p for p in out.glob("phieu-chuyen-*.docx")
        if code in "\n".join(c.text for t in Document(p).tables for r in t.rows for c in r.cells))
    cells = [[c.text for c in r.cells] for t in Document(slip).tables for r in t.rows]
    mine = next(r for r in cells if code in r)
    assert f"Quá hạn {days} ngày làm việc" in mine
    assert not any(re.search(r"Quá hạn \d+ ngày$", c) for r in cells for c in r)   # no unit-less count


def test_check_text_says_working_days(sample_copy):
    ran = doithoai("check", sample_copy)
    assert re.search(r"quá hạn xử lý \d+ ngày làm việc", ran.out)
