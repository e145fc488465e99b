"""A roll-up whose inputs did not change keeps the outputs it made (issue 25, speed): the same ward
files, bytes and save times, the same as-of day and the same bodies' table. Anything else that the
outputs show makes them again: a ward saved with other petitions, a new --as-of, the office's edit
of co-quan-tiep-nhan.xlsx, an output deleted by hand. The JSON and the exit code are the same
either way."""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from toolkit.rollup.run import rollup
from toolkit.starter.province import make_province, make_ward

AS_OF = dt.date(2025, 12, 1)
OUTPUTS = ("tong-hop.xlsx", "kien-nghi-chuyen-cap-tren.xlsx", "index.html", "bao-cao-tong-hop.docx")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return make_province(tmp_path_factory.mktemp("tinh") / "tinh", 4, today=AS_OF)


@pytest.fixture
def copy(province, tmp_path):
    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    return folder


def _stamps(out) -> dict[str, int]:
    return {name: (out / name).stat().st_mtime_ns for name in OUTPUTS}


def _made_again(before: dict[str, int], out) -> set[str]:
    return {name for name, t in _stamps(out).items() if t != before[name]}


def test_nothing_changed_keeps_the_outputs_and_says_the_same(copy):
    out = copy / "tong-hop-cap-tren"
    first = rollup(copy, as_of=AS_OF)
    before = _stamps(out)
    again = rollup(copy, as_of=AS_OF)
    assert _made_again(before, out) == set()
    assert again.store.read == [] and again.as_json() == first.as_json()
    assert again.exit_code == first.exit_code
    assert sorted(p.name for p in again.outputs) == sorted(p.name for p in first.outputs)


@pytest.mark.slow
def test_a_changed_ward_a_new_day_an_edited_table_or_a_deleted_output_makes_them_again(copy, province):
    out = copy / "tong-hop-cap-tren"
    rollup(copy, as_of=AS_OF)

    before = _stamps(out)
    rel = province.wards[1].file.relative_to(province.folder)
    new = make_ward(copy / rel, 1, AS_OF, seed=4242)
    result = rollup(copy, as_of=AS_OF)
    assert result.store.read == [rel.as_posix()]
    assert _made_again(before, out) == set(OUTPUTS)
    assert {r["file"]: r["petitions"] for r in result.as_json()["wards"]}[rel.as_posix()] == len(new.petitions)

    before = _stamps(out)
    rollup(copy, as_of=AS_OF + dt.timedelta(days=30))
    assert _made_again(before, out) == set(OUTPUTS)

    before = _stamps(out)
    wb = openpyxl.load_workbook(out / "co-quan-tiep-nhan.xlsx")
    ws = wb.worksheets[0]
    ws.cell(ws.max_row + 1, 1, "Lĩnh vực thử")
    ws.cell(ws.max_row, 2, "Sở Thử nghiệm")
    wb.save(out / "co-quan-tiep-nhan.xlsx")
    rollup(copy, as_of=AS_OF + dt.timedelta(days=30))
    assert _made_again(before, out) == set(OUTPUTS)

    (out / "index.html").unlink()
    before = {name: (out / name).stat().st_mtime_ns for name in OUTPUTS if name != "index.html"}
    rollup(copy, as_of=AS_OF + dt.timedelta(days=30))
    assert (out / "index.html").is_file()
    assert {n for n, t in before.items() if (out / n).stat().st_mtime_ns != t} == set(OUTPUTS) - {"index.html"}


def test_a_broken_bodies_table_is_still_reported_when_the_outputs_are_kept(copy):
    out = copy / "tong-hop-cap-tren"
    rollup(copy, as_of=AS_OF)
    (out / "co-quan-tiep-nhan.xlsx").write_bytes(b"not a workbook")
    first = rollup(copy, as_of=AS_OF)
    again = rollup(copy, as_of=AS_OF)
    reasons = [s["file"] for s in again.as_json()["skipped"]]
    assert "co-quan-tiep-nhan.xlsx" in reasons
    assert again.as_json() == first.as_json() and again.exit_code == first.exit_code == 1
