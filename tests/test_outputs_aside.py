"""A pass makes its outputs in a forked process while it writes the register (Linux, the pass alone in
its process): the outputs are those one process makes, the next pass knows them (nothing rebuilt), and a
process that dies leaves a Vietnamese message and outputs the next pass makes again."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import threading
import zipfile

import openpyxl
import pytest

from toolkit.core import aside
from toolkit.outputs import render
from toolkit.outputs.folder import FINGERPRINTS, OutputFolder, default_out_dir
from toolkit.pipeline import passes
from toolkit.starter import sample

TODAY = sample.SAMPLE_TODAY

pytestmark = pytest.mark.skipif(not aside.FORKS, reason="the outputs' process is forked (Linux)")


def _content(path) -> object:
    """What a reader sees in an output: a workbook's values, a document's parts (its creation time left
    out), a page's text but its generation time and version; anything else as bytes."""
    if path.suffix == ".xlsx":
        import python_calamine as pc

        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(path.read_bytes()))
        return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    if path.name in ("index.html", "version.js", "version.json", "nhat-ky.sqlite") or path.name.startswith("."):
        return None      # the dashboard and the journal carry the time they were made
    return path.read_bytes()


def _outputs(folder) -> dict:
    return {p.name: _content(p) for p in sorted(folder.iterdir()) if p.is_file()}


def _add_petition(path) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb["Kiến nghị"]
    headers = [c.value for c in ws[1]]
    row = ws.max_row + 1
    for header, value in (("Hội nghị", "HN-2024-11"), ("Ngày tiếp nhận", dt.datetime(2024, 11, 20)),
                          ("Người kiến nghị", "Phạm Văn Khải"),
                          ("Tổ dân phố", "TDP05"),
                          ("Nội dung", "Đề nghị sửa đèn chiếu sáng ngõ 12 bị hỏng từ tháng trước.")):
        ws.cell(row, headers.index(header) + 1, value)
    wb.save(path)


@pytest.fixture
def two_copies(sample_copy, tmp_path):
    """The sample passed once, then a petition added: twice, one copy per way of making outputs."""
    passes.run(sample_copy, today=TODAY)
    _add_petition(sample_copy)
    other = tmp_path / "two" / sample_copy.name
    shutil.copytree(sample_copy.parent, other.parent)
    return sample_copy, other


def test_outputs_made_aside_are_those_one_process_makes(two_copies, monkeypatch):
    one, two = two_copies
    monkeypatch.setattr(passes, "OUTPUTS_ASIDE", False)
    alone = passes.run(one, today=TODAY)
    monkeypatch.setattr(passes, "OUTPUTS_ASIDE", True)
    made_aside = passes.run(two, today=TODAY)
    assert alone.output_errors == made_aside.output_errors == []
    exp = {p.name for p in alone.rebuilt}
    assert {"tong-hop.xlsx", "index.html", "bao-cao-ket-qua-HN-2024-11.docx"} <= exp     # the petition's outputs
    assert {p.name for p in made_aside.rebuilt} == exp
    assert {p.name for p in made_aside.outputs} == {p.name for p in alone.outputs}
    assert _outputs(default_out_dir(two)) == _outputs(default_out_dir(one))
    assert one.read_bytes() == two.read_bytes()          # the register written the same way meanwhile


def test_the_next_pass_knows_what_was_made_aside(two_copies, monkeypatch):
    path, _other = two_copies
    monkeypatch.setattr(passes, "OUTPUTS_ASIDE", True)
    first = passes.run(path, today=TODAY)
    assert first.rebuilt and not first.output_errors
    prints = (default_out_dir(path) / FINGERPRINTS).read_text(encoding="utf-8")
    assert '"index"' in prints and '"tong-hop"' in prints and '"ketqua:HN-2024-11"' in prints
    again = passes.run(path, today=TODAY)
    assert again.rebuilt == [] and not again.output_errors


def _die(*_args, **_kwargs):
    os._exit(3)        # the outputs' process killed (out of memory, a crash in a library)


def test_a_process_that_dies_is_a_message_and_its_outputs_are_made_again(two_copies, monkeypatch):
    path, _other = two_copies
    monkeypatch.setattr(passes, "OUTPUTS_ASIDE", True)
    monkeypatch.setattr(render, "render_aside", _die)
    result = passes.run(path, today=TODAY)
    assert result.written                                   # the register is written all the same
    assert len(result.output_errors) == 1
    assert "dừng giữa chừng" in result.output_errors[0] and "lần chạy sau sẽ làm lại" in result.output_errors[0]
    assert {p.name for p in result.rebuilt} == {"index.html"}     # made by the pass itself
    monkeypatch.undo()
    again = passes.run(path, today=TODAY)
    assert not again.output_errors
    assert {"tong-hop.xlsx", "bao-cao-ket-qua-HN-2024-11.docx"} <= {p.name for p in again.rebuilt}


def test_an_error_in_the_outputs_process_is_the_pass_error(two_copies, monkeypatch):
    path, _other = two_copies

    def fails(*_args, **_kwargs):
        raise RuntimeError("hỏng giữa chừng")

    monkeypatch.setattr(passes, "OUTPUTS_ASIDE", True)
    monkeypatch.setattr(render, "render_aside", fails)
    with pytest.raises(RuntimeError, match="hỏng giữa chừng"):
        passes.run(path, today=TODAY)


def test_outputs_are_made_aside_only_where_forking_is_safe_and_pays(sample_copy, monkeypatch):
    dataset = passes.check(sample_copy, today=TODAY).dataset
    rows = len(dataset.delegates) + len(dataset.petitions)
    assert rows < passes.ASIDE_MIN_ROWS and passes._outputs_aside(dataset) is False    # a second's outputs
    monkeypatch.setattr(passes, "ASIDE_MIN_ROWS", rows)
    assert passes._outputs_aside(dataset) is (threading.active_count() == 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)      # as the watcher's threads: a lock may be held
    other.start()
    try:
        assert passes._outputs_aside(dataset) is False
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(passes, "ASIDE_MAX_ROWS", len(dataset.petitions) - 1)
    assert passes._outputs_aside(dataset) is False      # a large register: memory first


@pytest.mark.parametrize("base, other, mine, exp", [
    # the process set aside made tong-hop; this one made the dashboard meanwhile
    ({"tong-hop": "a", "index": "b"}, {"tong-hop": "A", "index": "b"}, {"tong-hop": "a", "index": "B"},
     {"tong-hop": "A", "index": "B"}),
    # it forgot an output (a failed document); this one changed nothing
    ({"x": "a", "index": "b"}, {"index": "b"}, {"x": "a", "index": "b"}, {"index": "b"}),
    # this one's dashboard failed and was forgotten; the other made a new output
    ({"index": "b"}, {"index": "b", "new": "n"}, {}, {"new": "n"}),
])
def test_a_folder_takes_over_what_the_other_process_did(tmp_path, base, other, mine, exp):
    def state(prints, rebuilt=()):
        return {"prints": dict(prints), "files": {k: [f"{k}.out"] for k in prints},
                "inputs": {k: f"in-{v}" for k, v in prints.items()}, "rebuilt": list(rebuilt), "kept": [],
                "failed": []}

    folder = OutputFolder(tmp_path)
    here = state(mine, ["made-here"])        # this process's folder: what it knew, and its dashboard
    folder._prints, folder._files, folder._inputs = here["prints"], here["files"], here["inputs"]
    folder.rebuilt = here["rebuilt"]
    folder.merge(state(other, ["made-aside"]), state(base))
    got = folder.state()
    assert got["prints"] == exp
    assert got["files"] == {k: [f"{k}.out"] for k in exp}
    assert got["rebuilt"] == ["made-aside", "made-here"]
