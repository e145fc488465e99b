"""A fresh register for a ward in 2026 (issue 24, points 1, 2, 5 and 6): its documents name no district,
its plan cites the Luật Tổ chức chính quyền địa phương 2025 and the city's own guidance typed in Cấu
hình, and no citizen's phone number, birth year, address or name reaches a document that must not carry
them, whichever command made it (`run`, which `watch` runs on each save, or `report`); `--with-phones`
is the one explicit exception."""

from __future__ import annotations

import datetime as dt
import re
import zipfile

import openpyxl
import pytest

import freshward
from clirun import doithoai
from test_nd30 import all_text, kind_of
from toolkit.core import schema
from toolkit.pipeline import passes

DISTRICT = re.compile(r"\b(quận|huyện|thị xã)\b", re.IGNORECASE)
# What each kind may carry of a citizen (docs/ARCHITECTURE.md, "Documents"): an invitation names its addressee, a phiếu
# chuyển what the department needs to call the citizen back; the others nothing.
MAY_NAME = {"giay-moi", "phieu-chuyen"}
MAY_PHONE = {"phieu-chuyen"}


@pytest.fixture(scope="module")
def ward(tmp_path_factory):
    book, root, today = freshward.passed(tmp_path_factory.mktemp("phuong"))
    code, _day = freshward.first_conference(book)
    for kind in ("ketqua", "giaymoi", "phieuchuyen", "thongbao", "thang", "dondoc", "kehoach"):
        session = code if kind in ("ketqua", "giaymoi", "thongbao") else None
        passes.make_report(book, kind=kind, session=session, out_dir=root / "report", today=today)
    return book, root, today


def documents(root, command):
    return sorted((root / command).glob("*.docx"))


def test_the_register_init_made_names_no_district():
    for item in schema.CONFIG_ITEMS:
        assert not DISTRICT.search(f"{item.default or ''} {item.note}"), item.label
    for header, values in schema.LISTS.values():
        assert not any(DISTRICT.search(v) for v in values), header
    assert "Đại biểu HĐND phường" in schema.LISTS["thanh_phan"][1]


@pytest.mark.parametrize("command", ["run", "report"])
def test_no_document_names_a_district(ward, command):
    _book, root, _today = ward
    docs = documents(root, command)
    assert {kind_of(p) for p in docs} == {"bao-cao-ket-qua", "giay-moi", "phieu-chuyen", "thong-bao",
                                          "bao-cao-thang", "giay-don-doc", "ke-hoach"}
    got = {p.name: DISTRICT.findall(all_text(p)) for p in docs}
    assert got == {p.name: [] for p in docs}


def test_reports_go_to_the_city_and_forwarded_petitions_to_the_receiving_body(ward):
    _book, root, _today = ward
    report = all_text(next((root / "run").glob("bao-cao-ket-qua-HN-2026-06.docx")))
    assert "- UBND thành phố Hà Nội;\n- Sở Nội vụ thành phố Hà Nội;" in report
    assert "kính báo cáo UBND thành phố Hà Nội" in report
    forwarded = [all_text(p) for p in documents(root, "run") if p.name.startswith("phieu-chuyen")]
    assert any("Kính gửi: UBND thành phố Hà Nội." in t for t in forwarded)
    assert not any("Kính gửi: Chuyển cấp trên" in t for t in forwarded)


def test_the_2026_plan_cites_the_2025_law_and_the_city_guidance(ward):
    _book, root, _today = ward
    plan = all_text(root / "run" / "ke-hoach-2026.docx")
    assert "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15" in plan
    assert f"Căn cứ {freshward.PROVINCE_BASIS};" in plan
    assert "32/2021/NĐ-CP" not in plan and "97/2019/QH14" not in plan
    from docx import Document

    bases = [q for q in Document(str(root / "run" / "ke-hoach-2026.docx")).paragraphs if q.text.startswith("Căn cứ")]
    assert len(bases) == 3 and all(r.italic for q in bases for r in q.runs)        # căn cứ in italics
    # dated before its year's first conference (19/06/2026), 30 days before: the due day of its own task
    assert "Hà Đông, ngày 20 tháng 5 năm 2026" in plan


def test_a_plan_date_typed_in_configuration_wins(tmp_path):
    book = freshward.make(tmp_path)
    wb = openpyxl.load_workbook(book)
    for row in wb["Cấu hình"].iter_rows(min_row=2):
        if row[0].value == "Ngày ban hành Kế hoạch":
            row[1].value = "15/12/2025; 05/01/2027"
    wb.save(book)
    plan = passes.make_report(book, kind="kehoach", year=2026, out_dir=tmp_path / "out", today=dt.date(2026, 12, 7))
    assert "Hà Đông, ngày 15 tháng 12 năm 2025" in all_text(plan[0])


def _personal(text: str) -> list[str]:
    found = []
    for needle in (freshward.PHONE, freshward.PHONE_DIGITS, freshward.PETITION_PHONE, str(freshward.BIRTH_YEAR),
                   freshward.ADDRESS, freshward.HOUSE, freshward.ID_NUMBER):
        if needle in text:
            found.append(needle)
    return found


@pytest.mark.parametrize("command", ["run", "report"])
def test_personal_data_only_where_the_document_needs_it(ward, command):
    _book, root, _today = ward
    for p in documents(root, command):
        kind, text = kind_of(p), all_text(p)
        names = [n for n in (freshward.CITIZEN, freshward.OTHER, freshward.NEIGHBOUR) if n in text]
        if kind not in MAY_PHONE:
            assert _personal(text) == [], p.name
        if kind not in MAY_NAME:
            assert names == [], p.name
    slip = all_text(root / command / "phieu-chuyen-KT.docx")       # what the department needs to call back
    assert f"{freshward.CITIZEN} (Tổ dân phố số 1)ĐT: {freshward.PHONE_DIGITS}" in slip     # a line break between
    assert freshward.NEIGHBOUR in slip and freshward.HOUSE in slip      # the text as typed: where to go, whom to see
    invitation = all_text(root / command / "giay-moi-HN-2026-06.docx")
    assert f"Bà {freshward.CITIZEN}" in invitation and f"Ông {freshward.OTHER}" in invitation


def _xlsx_text(path) -> str:
    with zipfile.ZipFile(path) as zf:
        return "\n".join(zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".xml"))


def test_the_summary_workbooks_carry_no_personal_data(ward):
    _book, root, _today = ward
    for name in ("tong-hop.xlsx", "tong-hop-thang-2026-06.xlsx"):
        text = _xlsx_text(root / "run" / name)
        assert _personal(text) == [], name
        assert not [n for n in (freshward.CITIZEN, freshward.OTHER, freshward.NEIGHBOUR) if n in text], name
    assert "KN-2026-06-001" in _xlsx_text(root / "run" / "tong-hop.xlsx")     # the petitions are there, by code


def test_with_phones_is_the_explicit_internal_exception(ward, tmp_path):
    book, _root, today = ward
    code, _day = freshward.first_conference(book)
    made = passes.make_report(book, kind="ketqua", session=code, include_phones=True, out_dir=tmp_path, today=today)
    text = all_text(made[0])
    assert freshward.PETITION_PHONE in text and freshward.CITIZEN in text
    ran = doithoai("report", book, "--kind", "dondoc", "--department", "KT", "--out", tmp_path / "cli")
    assert ran.code == 0, ran.text
    assert _personal(all_text(tmp_path / "cli" / "giay-don-doc-KT.docx")) == []
