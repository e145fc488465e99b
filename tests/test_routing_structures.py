"""Two structures of departments (docs/ARCHITECTURE.md, "Documents").

A register `doithoai init` makes for the current year (from 1 July 2025) has the bodies of
Nghị định 150/2025/NĐ-CP in Bộ phận, and its Phân công rules point to them, each naming the
duty it rests on; a xã's register has Phòng Kinh tế. The 2024 sample keeps the posts of before.
"""

from __future__ import annotations

import datetime as dt
import shutil

import openpyxl
import pytest

from clirun import doithoai
from conftest import SAMPLE
from toolkit.core import defaults, schema
from toolkit.core.model import Petition
from toolkit.pipeline import passes
from toolkit.rules.routing import GUESS_MARK, Router
from toolkit.starter import create

from routing_tables import structure_parts
from test_learning import _add_petitions

# Typed here from Nghị định 150/2025/NĐ-CP, not read from the code under test.
PHUONG = [
    ("VP", "Văn phòng HĐND và UBND"),
    ("KT", "Phòng Kinh tế - Hạ tầng và Đô thị"),
    ("VHXH", "Phòng Văn hóa - Xã hội"),
    ("HCC", "Trung tâm Phục vụ hành chính công"),
    ("CA", "Công an phường"),
    ("QS", "Ban Chỉ huy Quân sự"),
    ("MTTQ", "Ủy ban MTTQ Việt Nam phường"),
    ("CT", "Chuyển cấp trên"),
]
XA = [("VP", "Văn phòng HĐND và UBND"), ("KT", "Phòng Kinh tế"), ("VHXH", "Phòng Văn hóa - Xã hội"),
      ("HCC", "Trung tâm Phục vụ hành chính công"), ("CA", "Công an xã"), ("QS", "Ban Chỉ huy Quân sự"),
      ("MTTQ", "Ủy ban MTTQ Việt Nam xã"), ("CT", "Chuyển cấp trên")]
BEFORE = ["Văn phòng - Thống kê", "Địa chính - Xây dựng - Đô thị - Môi trường", "Tài chính - Kế toán",
          "Tư pháp - Hộ tịch", "Văn hóa - Xã hội", "Văn hóa - Thông tin", "Công an phường", "Ban Chỉ huy Quân sự",
          "MTTQ và các đoàn thể", "Chuyển cấp trên"]
TODAY = dt.date(2026, 3, 2)


def _sheet(wb, sheet: schema.Sheet) -> list[dict]:
    ws = wb[sheet.name]
    keys = {c.header: c.key for c in sheet.columns}
    header = [keys.get(c.value) for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True) if any(row)]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    path = tmp_path_factory.mktemp("nd150") / "doi-thoai-2026.xlsx"
    create.create_workbook(path, today=TODAY)
    return path


def test_a_current_year_register_has_the_bodies_of_nd150(fresh):
    wb = openpyxl.load_workbook(fresh)
    assert [(r["ma"], r["ten"]) for r in _sheet(wb, schema.BO_PHAN)] == PHUONG
    names = {name for _code, name in PHUONG}
    rules = _sheet(wb, schema.PHAN_CONG)
    assert rules
    for r in rules:
        assert r["chu_tri"] in names, r
        assert set(filter(None, (r["phoi_hop"] or "").split("; "))) <= names, r
        note = r["ghi_chu"] or ""
        if r["chu_tri"] == "Chuyển cấp trên":
            assert note.startswith("Vượt thẩm quyền phường (Luật Tổ chức chính quyền địa phương 2025"), r
        else:
            assert any(src in note for src in ("Nghị định", "Luật", "Pháp lệnh")), r
        for old in ("quận", "huyện", "thị xã", "Thông tư 13/2019"):
            assert old not in note, r
    by_field = {r["linh_vuc"]: r["chu_tri"] for r in rules if r["linh_vuc"]}
    assert by_field["Tư pháp - Hộ tịch"] == "Văn phòng HĐND và UBND"
    assert by_field["Tài chính - Phí, lệ phí"] == "Phòng Kinh tế - Hạ tầng và Đô thị"
    assert by_field["Đất đai"] == "Phòng Kinh tế - Hạ tầng và Đô thị"
    assert by_field["Văn hóa - Thông tin"] == "Phòng Văn hóa - Xã hội"
    assert any(r["chu_tri"] == "Trung tâm Phục vụ hành chính công" for r in rules)
    assert all("150/2025/NĐ-CP" in (r["ghi_chu"] or "") for r in rules
               if r["chu_tri"] in ("Văn phòng HĐND và UBND", "Phòng Kinh tế - Hạ tầng và Đô thị",
                                   "Phòng Văn hóa - Xã hội"))
    # the plan's tasks and the guesses go to bodies that exist
    assert {r["bo_phan"] for r in _sheet(wb, schema.CONG_VIEC)} <= names
    config = {r["muc"]: r["gia_tri"] for r in _sheet(wb, schema.CAU_HINH)}
    assert config["Bộ phận nhận kiến nghị chưa rõ"] == "Văn phòng HĐND và UBND"
    # no post of before is named where departments are (Lĩnh vực keeps its field names, such as
    # "Tư pháp - Hộ tịch": a field, not a department)
    named = [r.get(k) for sheet, keys in ((schema.BO_PHAN, ("ten",)),
                                          (schema.PHAN_CONG, ("chu_tri", "phoi_hop", "ghi_chu")),
                                          (schema.CONG_VIEC, ("bo_phan",)))
             for r in _sheet(wb, sheet) for k in keys]
    for old in BEFORE[:4] + BEFORE[5:6]:       # 'Văn hóa - Xã hội' is inside 'Phòng Văn hóa - Xã hội'
        assert not any(old in (v or "") for v in named), old
    assert "Văn hóa - Xã hội" not in named


def test_a_current_year_register_routes_to_the_new_bodies(fresh, tmp_path):
    path = tmp_path / fresh.name
    shutil.copy(fresh, path)
    rows = [("Xin phường chứng thực bản sao sổ tạm trú để làm hồ sơ cho con đi học.", "Văn phòng HĐND và UBND"),
            ("Tổ trưởng vận động mỗi hộ góp 300 nghìn để lắp camera an ninh đầu ngõ.",
             "Phòng Kinh tế - Hạ tầng và Đô thị"),
            ("Nghĩa trang liệt sĩ của phường xuống cấp, đề nghị tu sửa.", "Phòng Văn hóa - Xã hội"),
            ("Hồ sơ nộp ở bộ phận một cửa hẹn nhiều lần chưa trả kết quả.", "Trung tâm Phục vụ hành chính công"),
            ("Xin hỏi lịch họp khu dân cư năm sau.", "Văn phòng HĐND và UBND")]
    wb = openpyxl.load_workbook(path)
    ws = wb[schema.HOI_NGHI.name]
    conference = ws.cell(2, 1).value
    wb.close()
    first = _add_petitions(path, [(content, {"hoi_nghi": conference}) for content, _exp in rows]) - len(rows) + 1
    result = passes.check(path, today=TODAY)
    got = {p.row: (p.chu_tri, p.can_cu) for p in result.dataset.petitions}
    for i, (_content, exp) in enumerate(rows):
        assert got[first + i][0] == exp, got[first + i]
    assert got[first + len(rows) - 1][1].startswith(GUESS_MARK)
    assert not [f for f in result.report if f.severity == "error"], [f.message for f in result.report]


def test_a_xa_register_has_phong_kinh_te(tmp_path):
    target = tmp_path / "doi-thoai-xa-2026.xlsx"
    ran = doithoai("init", target, "--xa")
    assert ran.code == 0, ran.text
    wb = openpyxl.load_workbook(target)
    assert [(r["ma"], r["ten"]) for r in _sheet(wb, schema.BO_PHAN)] == XA
    notes = [r["ghi_chu"] or "" for r in _sheet(wb, schema.PHAN_CONG)]
    assert any(n.startswith("Vượt thẩm quyền xã") for n in notes)
    assert not any("Phòng Kinh tế - Hạ tầng" in n or "Vượt thẩm quyền phường" in n for n in notes)
    config = {r["muc"]: r["gia_tri"] for r in _sheet(wb, schema.CAU_HINH)}
    assert config["Tên đơn vị"] == "UBND xã"


def test_init_help_explains_xa_in_vietnamese():
    ran = doithoai("init", "--help")
    assert ran.code == 0 and "--xa" in ran.out and "Phòng Kinh tế" in ran.out


@pytest.mark.parametrize("day,exp", [(dt.date(2025, 6, 30), BEFORE), (dt.date(2025, 7, 1), [n for _c, n in PHUONG])])
def test_the_structure_follows_the_date(tmp_path, day, exp):
    path = tmp_path / "so.xlsx"
    create.create_workbook(path, today=day)
    wb = openpyxl.load_workbook(path)
    assert [r["ten"] for r in _sheet(wb, schema.BO_PHAN)] == exp


def test_the_2024_sample_keeps_the_posts_of_before():
    wb = openpyxl.load_workbook(SAMPLE)
    assert [r["ten"] for r in _sheet(wb, schema.BO_PHAN)] == BEFORE
    leads = {r["chu_tri"] for r in _sheet(wb, schema.PHAN_CONG)}
    assert leads <= set(BEFORE) and "Tư pháp - Hộ tịch" in leads


def test_a_guess_of_a_register_of_nd150_goes_to_its_office_even_with_the_old_setting():
    departments, rules = structure_parts(defaults.ND150_PHUONG)
    for setting in ("Văn phòng - Thống kê", "", None, "VP"):
        a = Router(rules, departments, unsure_department=setting).route(
            Petition(row=5, noi_dung="Xin hỏi lịch họp khu dân cư năm sau."))
        assert a.lead == "Văn phòng HĐND và UBND" and a.basis.startswith(GUESS_MARK), (setting, a.basis)


@pytest.mark.parametrize("structure", defaults.STRUCTURES, ids=lambda s: s.key)
def test_every_structure_is_well_formed(structure):
    codes = {c for c, _ in structure.departments}
    assert len(codes) == len(structure.departments)
    assert all("," not in name and ";" not in name for _c, name in structure.departments)
    priorities = [r.priority for r in structure.rules]
    assert len(priorities) == len(set(priorities))
    for r in structure.rules:
        assert r.lead in codes and set(r.coordinators) <= codes and r.lead not in r.coordinators, r
        assert r.note and all("," not in k and ";" not in k for k in r.keywords), r
    assert structure.default_department in codes
    # the bodies that are the same keep their codes, so a code typed in a register still means it
    assert {"VP", "CA", "QS", "MTTQ", "CT"} <= codes
