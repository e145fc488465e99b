"""README tells the truth: the sample's deliberate mistakes and the test command."""

from __future__ import annotations

import re

from conftest import ROOT
from toolkit import a1, sample, schema

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_exactly_the_deliberate_mistakes():
    block = README.split("<!-- deliberate-mistakes:start -->")[1].split("<!-- deliberate-mistakes:end -->")[0]
    listed = set(re.findall(r"`([^`!]+![A-Z]+\d+)`", block))
    from openpyxl import load_workbook

    wb = load_workbook(ROOT / "mau" / "doi-thoai-2024.xlsx", read_only=True)
    exp = set()
    for sheet_key, row, col_key, _code in sample.DELIBERATE_MISTAKES:
        sheet = schema.sheet(sheet_key)
        header = [c.value for c in next(wb[sheet.name].iter_rows(min_row=1, max_row=1))]
        exp.add(f"{sheet.name}!{a1.cell(row, header.index(sheet.col(col_key)) + 1)}")
    assert listed == exp


def test_ci_runs_the_readme_test_command():
    command = re.search(r"## For developers.*?```bash\n(.+?)\n```", README, re.S).group(1).strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci
