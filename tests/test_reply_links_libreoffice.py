"""Real LibreOffice reopens a register whose Lỗi nhập liệu links a reply-conflict to the department file's
cell (issue 14, point 2) and reports the link's URL: the department file beside the register, and the cell;
opening that URL as a click does shows the department file at that cell."""

from __future__ import annotations

import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from packagecheck import validate
from test_reply_links import conflict, conflict_row, hyperlinks, sheet_rels  # noqa: F401 - conflict: the fixture
from test_replies import answers, run, type_answer
from test_writeback_decorated import LibreOffice
from toolkit.core import schema
from toolkit.outputs import department_files

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


def test_libreoffice_follows_the_link_to_the_department_file_cell(conflict):  # noqa: F811
    assert run(conflict).written
    row, cells = conflict_row(conflict)
    ref = cells["Tệp trả lời"].coordinate
    with LibreOffice() as lo:
        lo.open(conflict)
        try:
            seen = lo.call("describe", sheets=[schema.LOI_NHAP.name], probes={schema.LOI_NHAP.name: [ref]})
        finally:
            lo.call("close")
        url = seen["probes"][schema.LOI_NHAP.name][ref]["links"][0][0]
        landed = lo.call("follow", url=url)           # what a click on the link opens
        lo.call("close")
    probe = seen["probes"][schema.LOI_NHAP.name][ref]
    assert probe["text"] == f"DC.xlsx: {department_files.SHEET}!K4", probe
    assert len(probe["links"]) == 1, probe
    url, _shown = probe["links"][0]
    file_url, _, mark = url.partition("#")
    assert Path(urllib.request.url2pathname(urllib.parse.urlparse(file_url).path)) == department_files.file_for(conflict, "DC")
    assert urllib.parse.unquote(mark) in (f"'{department_files.SHEET}'!K4", f"'{department_files.SHEET}'.K4"), url
    got = {k: landed[k] for k in ("sheet", "row", "col", "cell")}
    assert got == {"sheet": department_files.SHEET, "row": 4, "col": 11, "cell": True}, landed     # Trả lời!K4


def test_a_register_saved_by_libreoffice_keeps_a_working_link_and_the_next_rewrite_replaces_it(conflict):  # noqa: F811
    assert run(conflict).written
    with LibreOffice() as lo:
        lo.open(conflict)
        lo.call("store")                                   # the clerk saves the register in LibreOffice
        lo.call("close")
    targets = [r["Target"] for r in sheet_rels(conflict.read_bytes()) if r["Type"].endswith("/hyperlink")]
    assert len(targets) == 1 and "DC.xlsx" in urllib.parse.unquote(targets[0]), targets
    assert not targets[0].startswith("file:"), "LibreOffice made the link absolute: the folder could not move"
    assert run(conflict).written is False                   # nothing of the toolkit's differs
    type_answer(department_files.file_for(conflict, "DC"), "KN-2024-06-002", **answers(ket_qua="Văn phòng đã hòa giải xong."))
    assert run(conflict).written                            # the conflict is gone: Lỗi nhập liệu rewritten
    validate(conflict)
    data = conflict.read_bytes()
    assert [r for r in sheet_rels(data) if r["Type"].endswith("/hyperlink")] == []
    assert all(target is None for target, _loc in hyperlinks(data).values())
