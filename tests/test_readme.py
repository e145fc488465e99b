"""README and docs/DEVELOPING.md tell the truth: the sample's deliberate mistakes and counts, the
test command CI runs, the fast run's markers, the module tree."""

from __future__ import annotations

import re

from conftest import ROOT
from toolkit.core import a1, schema
from toolkit.starter import sample

README = (ROOT / "README.md").read_text(encoding="utf-8")
DEVELOPING = (ROOT / "docs" / "DEVELOPING.md").read_text(encoding="utf-8")


def test_readme_lists_exactly_the_deliberate_mistakes():
    block = README.split("<!-- deliberate-mistakes:start -->")[1].split("<!-- deliberate-mistakes:end -->")[0]
    listed = set(re.findall(r"`([^`!]+![A-Z]+\d+)`", block))
    from openpyxl import load_workbook

    wb = load_workbook(ROOT / "workbooks" / "mau" / "doi-thoai-2024.xlsx", read_only=True)
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
    # DEVELOPING.md gives the same command for the full run
    assert re.search(r"## Running the tests.*?```bash\n(.+?)\n```", DEVELOPING, re.S).group(1).strip() == command


FAST = re.compile(r'(\.venv/bin/python -m pytest -q -p no:cacheprovider -m "([^"]+)")')


def test_the_fast_run_is_the_same_in_both_and_deselects_declared_markers():
    readme, developing = FAST.search(README), FAST.search(DEVELOPING)
    assert readme and developing and readme.group(1) == developing.group(1)
    declared = set(re.findall(r'^\s*"(\w+): ', (ROOT / "pyproject.toml").read_text(encoding="utf-8"), re.M))
    exp = {"slow", "libreoffice", "chromium"}
    got = set(re.findall(r"not (\w+)", readme.group(2)))
    assert got == exp and exp <= declared


def test_readme_counts_what_the_sample_holds():
    import datetime as dt
    from collections import Counter

    from toolkit.pipeline import passes

    data = passes.check(ROOT / "workbooks" / "mau" / "doi-thoai-2024.xlsx", today=dt.date(2024, 12, 10)).dataset
    block = README.split("<!-- sample-counts:start -->")[1].split("<!-- sample-counts:end -->")[0]
    codes = [c.ma for c in data.conferences]
    delegates, petitions = Counter(d.hoi_nghi for d in data.delegates), Counter(p.hoi_nghi for p in data.petitions)
    confs = " và ".join(f"{c.ma} ngày {c.ngay:%d/%m/%Y}" for c in data.conferences)
    expected = (f"Sổ có {len(codes)} hội nghị ({confs}), {len(data.groups)} tổ dân phố, "
                f"{len(data.departments)} bộ phận, {len(data.delegates)} dòng đại biểu "
                f"({', '.join(f'{delegates[c]} ở {c}' for c in codes)}; một người dự cả hai hội nghị có hai dòng) "
                f"và {len(data.petitions)} kiến nghị ({', '.join(f'{petitions[c]} ở {c}' for c in codes)}).")
    assert block.strip() == expected
    assert len({d.ho_ten for d in data.delegates}) < len(data.delegates)   # hence "dòng", not people


def test_readme_says_where_the_log_and_the_dashboard_are(tmp_path):
    from toolkit.watch import runner as watch_passes
    from toolkit.outputs.folder import default_out_dir

    book = tmp_path / "DoiThoai" / "doi-thoai-2025.xlsx"
    book.parent.mkdir()
    assert watch_passes.log_file_for([book.parent], None) == book.parent.resolve() / "ket-qua" / "nhat-ky.log"
    assert default_out_dir(book) == book.parent / "ket-qua" / "doi-thoai-2025"
    assert r"`D:\DoiThoai\ket-qua\nhat-ky.log`" in README
    assert r"`D:\DoiThoai\ket-qua\doi-thoai-2025\index.html`" in README
    assert "`workbooks/ket-qua/nhat-ky.log`" in README
    assert "<tên sổ>\\nhat-ky.log" not in README


def test_readme_windows_steps_use_the_bat_files_and_no_and_chains():
    clerk = README.split("## Dành cho cán bộ phường")[1].split("\n## ")[0]
    assert "cai-dat.bat" in clerk and "chay.bat" in clerk and "--startup" in clerk
    for step in ("Bước 1", "Bước 2", "Bước 3", "Bước 4", "Bước 5", "Bước 6", "Bước 7"):
        assert step in clerk
    windows = README.split("Trên Windows (PowerShell")[1].split("```bat")[1].split("```")[0]
    assert "&&" not in windows and "&&" not in clerk
    for name in ("cai-dat.bat", "chay.bat"):
        assert (ROOT / name).is_file()


def developing_layout() -> list[str]:
    """The paths (relative to toolkit/) docs/DEVELOPING.md's tree draws, rebuilt from its indentation."""
    block = DEVELOPING.split("<!-- layout:start -->", 1)[1].split("<!-- layout:end -->", 1)[0]
    paths, stack = [], []
    for line in block.splitlines():
        m = re.match(r"^((?:[│ ]   )*)[├└]── ([\w.]+/?)", line)
        if not m:
            continue
        depth = len(m.group(1)) // 4
        del stack[depth:]
        name = m.group(2)
        if name.endswith("/"):
            stack.append(name.rstrip("/"))
        else:
            paths.append("/".join(stack + [name]))
    return paths


def test_developing_layout_lists_every_module_once():
    listed = developing_layout()
    named_beside = {"starter/sample_texts.py", "outputs/svgcharts.py"}   # named beside sample.py, dashboard.py
    modules = sorted(p.relative_to(ROOT / "toolkit").as_posix() for p in (ROOT / "toolkit").rglob("*.py")
                     if p.relative_to(ROOT / "toolkit").as_posix() not in named_beside
                     # a subpackage's __init__ is its folder's line, unless it holds code of its own
                     and not (p.name == "__init__.py" and p.parent != ROOT / "toolkit"
                              and not _has_code(p)))
    assert sorted(listed) == modules
    assert len(listed) == len(set(listed))


def _has_code(path) -> bool:
    import ast
    body = ast.parse(path.read_text(encoding="utf-8")).body
    return any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body)
