"""What a neighbour register teaches the router is kept on disk (toolkit.pipeline.learncache), so
a fresh ``doithoai check`` / ``run`` reads a register beside it only when that one changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import openpyxl
import pytest

from conftest import ROOT
from toolkit.pipeline import learncache, precedents
from toolkit.xlsx.atomic import TEMP_SUFFIX

from test_learning import TODAY, _add_petitions, _write_register
from test_routing import name

ROWS = [
    ("KN-2023-05-001", "Bến đò xóm Bãi xuống cấp, qua sông nguy hiểm", name("DC"), "Đã giải quyết xong", ""),
    ("KN-2023-05-002", "Đò ngang bến xóm Bãi không có áo phao", name("DC"), "Mới tiếp nhận", "Nhập tay"),
    ("KN-2023-05-003", "Bến đò thôn Đoài xuống cấp, nguy hiểm", name("DC"), "Đang xử lý", ""),
    ("KN-2023-05-004", "Bến đò thôn Đoài thiếu áo phao", name("VHXH"), "Mới tiếp nhận", "Quy tắc"),  # not confirmed
]
TAUGHT = [[r[0], r[2], r[1]] for r in ROWS[:3]]

READ_IN_A_FRESH_PROCESS = """
import json, sys
from pathlib import Path
from toolkit.pipeline import precedents
try:
    print(json.dumps([[e.ident, e.department, e.content] for e in precedents.examples_from_file(Path(sys.argv[1]))]))
except precedents.Unreadable:
    print(json.dumps("unreadable"))
"""


def fresh_examples(path) -> list[list[str]]:
    """The examples of ``path`` as a new process (one ``doithoai check``) sees them."""
    out = subprocess.run([sys.executable, "-c", READ_IN_A_FRESH_PROCESS, str(path)],
                         capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout)


def garble_keeping_size_and_time(path) -> bytes:
    """Replace the workbook by bytes no reader understands, with its size and mtime: only a
    cache can still say what it taught."""
    st = path.stat()
    pattern = b"\x00 khong con la so \x00"
    path.write_bytes((pattern * (st.st_size // len(pattern) + 1))[:st.st_size])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    return path.read_bytes()


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(TEMP_SUFFIX))


@pytest.fixture
def neighbour(tmp_path):
    path = tmp_path / "doi-thoai-2023.xlsx"
    _write_register(path, ROWS)
    return path


def test_a_fresh_check_learns_from_the_cache_without_reading_the_register_beside_it(sample_copy):
    folder = sample_copy.parent
    last_year = folder / "doi-thoai-2023.xlsx"
    _write_register(last_year, ROWS)
    last = _add_petitions(sample_copy, [("Bến đò xóm Bãi xuống cấp quá, qua sông nguy hiểm", {})])
    check = ("import datetime, sys; from toolkit.pipeline import passes; "
             "r = passes.check(sys.argv[1], today=datetime.date.fromisoformat(sys.argv[2])); "
             f"print(next(p.can_cu for p in r.dataset.petitions if p.row == {last}))")

    def fresh_check() -> str:
        return subprocess.run([sys.executable, "-c", check, str(sample_copy), TODAY.isoformat()],
                              capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()

    before = last_year.read_bytes()
    assert fresh_check().startswith("Giống KN-2023-05-")
    assert last_year.read_bytes() == before                       # nothing written into a workbook
    cache = folder / "ket-qua" / "doi-thoai-2023" / learncache.CACHE_NAME
    assert cache.is_file()
    garbled = garble_keeping_size_and_time(last_year)
    assert fresh_check().startswith("Giống KN-2023-05-")         # taught by the cache alone
    assert last_year.read_bytes() == garbled
    assert leftovers(folder) == []


def test_a_second_process_uses_the_cache_and_a_changed_register_is_read_again(neighbour):
    assert fresh_examples(neighbour) == TAUGHT
    garble_keeping_size_and_time(neighbour)
    assert fresh_examples(neighbour) == TAUGHT                   # the cache, not the garbled file
    # the register changes (staff save it again): read again, cache replaced
    _write_register(neighbour, [("KN-2023-05-009", "Cầu tre bắc qua sông ở tổ 3 đã mục", name("DC"), "Đang xử lý", "")])
    st = neighbour.stat()
    os.utime(neighbour, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))   # a later save, even on a coarse clock
    changed = [["KN-2023-05-009", name("DC"), "Cầu tre bắc qua sông ở tổ 3 đã mục"]]
    assert fresh_examples(neighbour) == changed
    garble_keeping_size_and_time(neighbour)
    assert fresh_examples(neighbour) == changed                  # the new version is what is cached


def _wrong_shape(cache):
    saved = json.loads(cache.read_text(encoding="utf-8"))
    saved["examples"][0][0] = len(saved["contents"]) + 5          # the right stamp, a content it does not have
    cache.write_text(json.dumps(saved), encoding="utf-8")


def _wrong_types(cache):
    saved = json.loads(cache.read_text(encoding="utf-8"))
    saved["departments"] = [{"ten": d} for d in saved["departments"]]
    cache.write_text(json.dumps(saved), encoding="utf-8")


DAMAGE = {
    "empty": lambda cache: cache.write_bytes(b""),
    "cut short": lambda cache: cache.write_bytes(cache.read_bytes()[:100]),
    "not text": lambda cache: cache.write_bytes(b"\xff\xfe\x00PK\x03\x04" * 50),
    "a list": lambda cache: cache.write_text("[1, 2, 3]"),
    "an index past the end": _wrong_shape,
    "departments not text": _wrong_types,
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_cache_is_ignored_and_rewritten(neighbour, damage):
    assert fresh_examples(neighbour) == TAUGHT
    cache = learncache.cache_file(neighbour)
    good = cache.read_bytes()
    DAMAGE[damage](cache)
    assert fresh_examples(neighbour) == TAUGHT                   # read from the workbook
    assert cache.read_bytes() == good
    assert leftovers(neighbour.parent) == []


def test_a_cache_that_cannot_be_read_or_replaced_is_only_skipped(neighbour):
    cache = learncache.cache_file(neighbour)
    cache.mkdir(parents=True)                                     # a folder where the file goes
    assert fresh_examples(neighbour) == TAUGHT
    assert fresh_examples(neighbour) == TAUGHT
    assert cache.is_dir() and leftovers(neighbour.parent) == []


def test_a_folder_where_nothing_can_be_written_still_teaches(neighbour):
    before = neighbour.read_bytes()
    (neighbour.parent / "ket-qua").write_text("không phải thư mục")  # no one, not even root, writes under it
    assert fresh_examples(neighbour) == TAUGHT
    assert fresh_examples(neighbour) == TAUGHT
    assert neighbour.read_bytes() == before
    assert sorted(p.name for p in neighbour.parent.iterdir()) == ["doi-thoai-2023.xlsx", "ket-qua"]


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="permissions do not stop root (or Windows ACLs)")
def test_a_read_only_share_still_teaches(neighbour):
    assert fresh_examples(neighbour) == TAUGHT
    cache = learncache.cache_file(neighbour)
    cache.unlink()
    os.chmod(cache.parent, 0o555)
    try:
        assert fresh_examples(neighbour) == TAUGHT
        assert not cache.exists()
    finally:
        os.chmod(cache.parent, 0o755)


def test_no_cache_is_kept_for_a_file_that_is_not_a_register(tmp_path, neighbour):
    other = openpyxl.Workbook()
    other.active.title = "Danh sách"
    other.active.append(["Họ và tên", "Số điện thoại"])
    other.save(tmp_path / "danh-ba.xlsx")
    (tmp_path / "hong.xlsx").write_bytes(b"not a zip")
    assert fresh_examples(tmp_path / "danh-ba.xlsx") == []
    assert fresh_examples(tmp_path / "hong.xlsx") == "unreadable"    # said so by the pass, never cached
    assert not (tmp_path / "ket-qua").exists()
    # a register overwritten by another kind of workbook: its cache goes too
    assert fresh_examples(neighbour) == TAUGHT
    (tmp_path / "danh-ba.xlsx").replace(neighbour)
    assert fresh_examples(neighbour) == []
    assert not learncache.cache_file(neighbour).parent.exists()
    assert (tmp_path / "ket-qua").is_dir()


def test_a_new_learning_version_does_not_use_the_old_cache(neighbour, monkeypatch):
    assert fresh_examples(neighbour) == TAUGHT
    garble_keeping_size_and_time(neighbour)
    monkeypatch.setattr(precedents, "_CACHE", {})           # as a fresh process
    monkeypatch.setattr(precedents, "EXAMPLES_VERSION", precedents.EXAMPLES_VERSION + 1)
    with pytest.raises(precedents.Unreadable):                     # the old cache no longer counts
        precedents.examples_from_file(neighbour)
    assert not learncache.cache_file(neighbour).exists()
