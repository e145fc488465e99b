"""`doithoai rollup` and `doithoai init --sample-province` as staff run them."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from clirun import doithoai
from toolkit.starter.province import make_province

AS_OF = "2025-12-01"


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return make_province(tmp_path_factory.mktemp("tinh") / "tinh", 4, today=dt.date(2025, 12, 1))


@pytest.fixture
def folder(province, tmp_path):
    target = tmp_path / "tinh"
    shutil.copytree(province.folder, target)
    return target


def test_json_has_exactly_the_keys_of_the_design(folder, province):
    ran = doithoai("rollup", folder, "--format", "json", "--as-of", AS_OF)
    assert ran.code == 0, ran.text
    got = ran.json()
    assert list(got) == ["wards", "skipped", "totals"]
    assert len(got["wards"]) == len(province.wards)
    for row in got["wards"]:
        assert list(row) == ["file", "ward", "conferences", "petitions", "answered", "overdue", "forwarded"]
    assert list(got["totals"]) == ["wards", "conferences", "petitions", "answered", "overdue", "forwarded"]
    assert got["totals"]["petitions"] == sum(len(w.petitions) for w in province.wards)
    assert got["skipped"] == []
    assert "Đã đọc" not in ran.err                   # no progress in JSON mode (nor off a terminal)


def test_exit_codes_0_1_2_and_the_reason_is_printed(folder, tmp_path):
    ok = doithoai("rollup", folder, "--as-of", AS_OF)
    assert ok.code == 0 and "Đã tổng hợp 4 đơn vị" in ok.out
    assert "index.html" in ok.out
    (folder / "hong.xlsx").write_bytes(b"PK\x03\x04 not really")
    some = doithoai("rollup", folder, "--as-of", AS_OF, "--format", "json")
    assert some.code == 1
    assert [s["file"] for s in some.json()["skipped"]] == ["hong.xlsx"]
    text = doithoai("rollup", folder, "--as-of", AS_OF)
    assert text.code == 1 and "hong.xlsx" in text.err and "Đã tổng hợp 4 đơn vị" in text.out
    empty = tmp_path / "trong"
    empty.mkdir()
    (empty / "rong.xlsx").write_bytes(b"")
    none = doithoai("rollup", empty, "--format", "json")
    assert none.code == 2 and none.json()["totals"]["wards"] == 0


def test_out_dir_and_parquet(folder, tmp_path):
    out = tmp_path / "ket-qua-tinh"
    ran = doithoai("rollup", folder, "--out", out, "--parquet", "--as-of", AS_OF)
    assert ran.code == 0, ran.text
    assert (out / "tong-hop.xlsx").is_file() and (out / "parquet" / "petitions").is_dir()
    assert not (folder / "tong-hop-cap-tren").exists()


def test_usage_errors_are_vietnamese(tmp_path):
    missing = doithoai("rollup", tmp_path / "khong-co")
    assert missing.code == 2 and "Không thấy thư mục" in missing.err
    bad_day = doithoai("rollup", tmp_path, "--as-of", "01/12/2025")
    assert bad_day.code == 2 and "năm-tháng-ngày" in bad_day.err
    assert doithoai("rollup", "--help").code == 0


def test_init_sample_province_then_rollup(tmp_path):
    target = tmp_path / "tinh-mau"
    made = doithoai("init", "--sample-province", target, 3)
    assert made.code == 0, made.text
    assert "doithoai rollup" in made.out
    assert len(list(target.rglob("*.xlsx"))) == 3
    again = doithoai("init", "--sample-province", target, 3)
    assert again.code == 2 and "thư mục trống" in again.err
    ran = doithoai("rollup", target, "--format", "json")
    assert ran.code == 0 and ran.json()["totals"]["wards"] == 3


def test_watch_rollup_takes_one_folder(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    ran = doithoai("watch", "--rollup", tmp_path / "a", tmp_path / "b")
    assert ran.code == 2 and "chỉ nhận một thư mục" in ran.err
    missing = doithoai("watch", "--rollup", tmp_path / "khong-co")
    assert missing.code != 0 and "Không tìm thấy thư mục" in missing.err


def test_init_without_a_file_says_what_to_type():
    ran = doithoai("init")
    assert ran.code == 2 and "doithoai init doi-thoai-2025.xlsx" in ran.err


def test_progress_is_shown_on_a_terminal_only(folder):
    import os
    import subprocess
    import sys

    pty = pytest.importorskip("pty", reason="a pseudo-terminal (POSIX) stands in for the clerk's console")
    master, slave = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "toolkit", "rollup", str(folder), "--as-of", AS_OF],
                              stdout=subprocess.PIPE, stderr=slave, timeout=300)
        os.close(slave)
        seen = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0
    shown = seen.decode("utf-8", errors="replace")
    assert "Đã đọc 4/4 tệp" in shown and "Đã đọc 1/4 tệp" in shown
    assert "Đã đọc" not in proc.stdout.decode("utf-8")
