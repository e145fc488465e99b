"""The departments' own files are journalled with the register (issue 15 point 1, docs/ARCHITECTURE.md, "Department files" and "The journal"):
who typed which answer into phan-hoi/<sổ>/<mã>.xlsx, and what the toolkit wrote there itself."""

from __future__ import annotations

import datetime as dt

import pytest

from test_reading import write_workbook
from test_replies import TODAY, answers, register_rows, type_answer
from toolkit.journal import store as jr
from toolkit.outputs.folder import default_out_dir
from toolkit.pipeline import history, passes
from toolkit.outputs import department_files


@pytest.fixture
def register(tmp_path):
    path = tmp_path / "so" / "doi-thoai-2024.xlsx"
    path.parent.mkdir()
    write_workbook(path, register_rows())
    return path


def run(path, today=TODAY):
    """A full pass, as the watcher runs it (the journal is kept by passes that render)."""
    result = passes.run(path, today=today)
    assert not result.journal_notes, result.journal_notes
    return result


def _journal(path) -> jr.Journal:
    return jr.Journal(jr.journal_path(default_out_dir(path)))


def _saves(path) -> list[jr.Save]:
    journal = _journal(path)
    try:
        return journal.saves()
    finally:
        journal.close()


def test_created_department_files_are_journalled_as_doithoai(register):
    run(register)
    dept = {s.workbook: s for s in _saves(register) if s.workbook.startswith("phan-hoi/")}
    stem = register.stem
    assert set(dept) == {f"phan-hoi/{stem}/DC.xlsx", f"phan-hoi/{stem}/VP.xlsx"}
    assert {(s.who, s.source) for s in dept.values()} == {(jr.DOITHOAI, jr.BASELINE)}


def test_an_answer_typed_in_a_department_file_is_in_the_history_with_who_and_old_value(register):
    run(register)
    dc = register.parent / department_files.FOLDER / register.stem / "DC.xlsx"
    type_answer(dc, "KN-2024-06-001", **answers(so_van_ban="77/UBND-ĐC"))
    before = len(_saves(register))
    run(register)
    found = history.entries(register, ma="KN-2024-06-001")
    typed = [e for e in found if e.save.workbook.endswith("/DC.xlsx") and e.save.source == jr.STAFF]
    assert typed, [e.as_dict() for e in found]
    got = {e.column: (e.old, e.new) for e in typed}
    exp = {"Số văn bản": (None, "77/UBND-ĐC"), "Người trả lời": (None, "Lê Văn Địa")}
    assert {k: got.get(k) for k in exp} == exp
    assert all(e.save.who for e in typed)
    text = history.format_text(found, register)
    assert f"phan-hoi/{register.stem}/DC.xlsx › {department_files.SHEET} · KN-2024-06-001" in text
    assert "77/UBND-ĐC" in text
    # the pass merged the answer into the register: that write-back is journalled on the register
    assert any(e.save.workbook == register.name and e.save.source == jr.TOOLKIT for e in found)
    assert len(_saves(register)) > before

    # nothing saved since: a pass adds nothing to the journal
    count = len(_saves(register))
    run(register)
    assert len(_saves(register)) == count


def test_department_changes_reach_the_dashboard_view_of_a_petition(register):
    from toolkit.journal import record

    run(register)
    dc = register.parent / department_files.FOLDER / register.stem / "DC.xlsx"
    type_answer(dc, "KN-2024-06-002", **answers(nguoi_tra_loi="Phạm Thị Lan"))
    run(register, TODAY + dt.timedelta(days=1))
    watch = record.Watch(register, _journal(register), b"", "", {})
    view = record.dashboard_view(watch, ["KN-2024-06-002"])
    rows = view["by_code"]["KN-2024-06-002"]
    assert any(r["sheet"].startswith("phan-hoi/") and r["new"] == "Phạm Thị Lan" for r in rows)
