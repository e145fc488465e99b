"""Every screen of the command line is Vietnamese, Click's own words included:
each --help, and each usage error Click can raise. (tests/clirun.py also scans the
error output of every other CLI test with the same list.)"""

from __future__ import annotations

import pytest

from clirun import doithoai, english_in
from toolkit.cli import cli

COMMANDS = sorted(cli.commands)


def test_the_english_list_catches_clicks_words():
    assert english_in("Usage: doithoai [OPTIONS] FILE")
    assert english_in("  -h, --help  Show this message and exit.")
    assert english_in("Error: Invalid value for 'FILE': Path 'x' does not exist.")
    assert english_in("Option '--month' requires an argument.")
    assert not english_in("Lỗi: Không tìm thấy tệp /tmp/test_missing_file/khong-co.xlsx. Hãy kiểm tra lại.")


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"]] + [[c, "--help"] for c in COMMANDS])
def test_help_screens_are_vietnamese(args):
    ran = doithoai(*args)
    assert ran.code == 0, ran.text
    assert "Cách dùng:" in ran.out and "Tùy chọn:" in ran.out
    assert "Xem hướng dẫn này rồi thoát." in ran.out
    assert not english_in(ran.out), english_in(ran.out)
    if not args or args[0] in ("--help", "-h"):
        assert "Lệnh:" in ran.out


def test_defaults_ranges_required_and_placeholders_are_vietnamese():
    watch = doithoai("watch", "--help").out
    assert "--debounce-ms SỐ" in watch and "[mặc định: 800; từ 50 đến 60000]" in watch
    assert "[THƯ_MỤC]..." in watch and "--out THƯ_MỤC" in watch
    report = doithoai("report", "--help").out
    assert "[bắt buộc]" in report and "SỔ.xlsx" in report and "--session MÃ" in report
    assert "[mặc định: text]" in " ".join(doithoai("check", "--help").out.split())


@pytest.mark.parametrize("args, said", [
    (["check"], "thiếu SỔ.xlsx"),
    (["report", "so.xlsx"], "thiếu tùy chọn --kind"),
    (["report", "so.xlsx", "--kind", "sai"], "chọn một trong: ketqua"),
    (["export", "so.xlsx", "--month"], "tùy chọn --month cần một giá trị"),
    (["export", "so.xlsx"], "thiếu tùy chọn --month"),
    (["check", "--frob", "so.xlsx"], "không có tùy chọn --frob"),
    (["check", "--fromat", "json", "so.xlsx"], "Có phải ý bạn là --format"),
    (["watch", "--debounce-ms", "x"], "số nguyên trong khoảng 50 đến 60000"),
    (["watch", "--debounce-ms", "5"], "số nguyên trong khoảng 50 đến 60000"),
    (["kiemtra"], "không có lệnh này"),
    (["run", "a b", "c"], "thừa tham số"),
    (["check", "--format", "xml", "so.xlsx"], "chọn một trong: text, json"),
])
def test_usage_errors_are_vietnamese_and_name_the_help_to_read(args, said):
    ran = doithoai(*args)
    assert ran.code == 2
    assert said in ran.err, ran.err
    assert "Xem hướng dẫn: doithoai" in ran.err and "--help" in ran.err
    assert not english_in(ran.err), english_in(ran.err)
