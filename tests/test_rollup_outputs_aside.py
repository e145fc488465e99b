"""The two workbooks (tong-hop.xlsx and the forwarded petitions) written each by a process of its own
while the dashboard and the report are (a province's thousands of wards and petitions, issue 25
speed) are the workbooks one process writes, and a failure in either is the roll-up's Vietnamese
error, not a crash."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import sys

import pytest

from toolkit.core.errors import OutputError
from toolkit.rollup import outputs
from toolkit.rollup.run import rollup
from toolkit.starter.province import make_province

AS_OF = dt.date(2025, 12, 1)
NAME = "tong-hop.xlsx"
FORWARDED = "kien-nghi-chuyen-cap-tren.xlsx"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the second process is forked (Linux)")


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return make_province(tmp_path_factory.mktemp("tinh") / "tinh", 4, today=AS_OF)


def _sheets(path) -> dict[str, list]:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def test_written_aside_it_is_the_same_workbook(province, tmp_path, monkeypatch):
    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    rollup(folder, out_dir=tmp_path / "one", as_of=AS_OF)
    monkeypatch.setattr(outputs, "ASIDE_MIN_ROWS", 0)
    result = rollup(folder, out_dir=tmp_path / "two", as_of=AS_OF)
    assert tmp_path / "two" / NAME in result.outputs
    one, two = _sheets(tmp_path / "one" / NAME), _sheets(tmp_path / "two" / NAME)
    wards = result.as_json()["wards"]
    assert [row[1] for row in two["Theo phường"][3:3 + len(wards)]] == [w["ward"] for w in wards]
    assert two == one
    one, two = _sheets(tmp_path / "one" / FORWARDED), _sheets(tmp_path / "two" / FORWARDED)
    listed = sum(len(rows) - 3 for rows in two.values())    # a title, a blank row and the headers a sheet
    assert listed == result.as_json()["totals"]["forwarded"] > 0
    assert two == one


@pytest.mark.parametrize("name", [NAME, FORWARDED])
def test_a_failure_aside_is_the_rollups_error(name, province, tmp_path, monkeypatch):
    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    out = tmp_path / "ket-qua"
    (out / name).mkdir(parents=True)            # the workbook cannot be written where a folder is
    monkeypatch.setattr(outputs, "ASIDE_MIN_ROWS", 0)
    with pytest.raises(OutputError) as err:
        rollup(folder, out_dir=out, as_of=AS_OF)
    assert "Không ghi được" in str(err.value)
