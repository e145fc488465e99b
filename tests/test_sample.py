"""The sample workbook: realistic, deterministic, invented, with known mistakes."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from conftest import SAMPLE
from toolkit.starter import create, sample
from toolkit.core import schema
from toolkit.starter import sample_texts as T
from toolkit.core.text import fold, looks_legacy_font

COMMITTED = SAMPLE
PHONE = re.compile(r"^0\d{9}$")


def sheet_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def records(ws, sheet: schema.Sheet) -> list[dict]:
    keys = [c.key for c in sheet.columns]
    return [dict(zip(keys, row)) for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture(scope="module")
def data() -> sample.SampleData:
    return sample.build()


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "doi-thoai-2024.xlsx"
    return create.create_workbook(path, sample=True, overwrite=True, today=dt.date(2024, 12, 10))


@pytest.fixture(scope="module")
def wb(made):
    return openpyxl.load_workbook(made)


def test_sizes_and_coverage(wb):
    groups = records(wb[schema.TO_DAN_PHO.name], schema.TO_DAN_PHO)
    delegates = records(wb[schema.DAI_BIEU.name], schema.DAI_BIEU)
    petitions = records(wb[schema.KIEN_NGHI.name], schema.KIEN_NGHI)
    conferences = records(wb[schema.HOI_NGHI.name], schema.HOI_NGHI)
    assert 18 <= len(groups) <= 22
    assert 130 <= len({fold(d["ho_ten"]) for d in delegates}) <= 180     # people, both conferences
    assert 70 <= len(petitions) <= 90
    assert [c["ma"] for c in conferences] == ["HN-2024-06", "HN-2024-11"]
    assert [c["ngay"].month for c in conferences] == [6, 11]
    assert all("Hội trường tầng 3" in c["dia_diem"] for c in conferences)
    assert {d["thanh_phan"] for d in delegates} == set(sample.THANH_PHAN_2024)   # 2024: the district's delegates (history)
    fields = set(schema.LISTS["linh_vuc"][1])
    assert fields <= {p["linh_vuc"] for p in petitions}
    for code in ("HN-2024-06", "HN-2024-11"):
        assert {d["thanh_phan"] for d in delegates if d["hoi_nghi"] == code} == set(sample.THANH_PHAN_2024)
        assert sum(p["hoi_nghi"] == code for p in petitions) >= 30
    statuses = Counter(p["trang_thai"] for p in petitions)
    assert set(schema.LISTS["trang_thai"][1]) - {schema.STATUS_NEW} <= set(statuses)
    assert statuses[None] >= 1          # left for the toolkit to fill
    # Mostly left for the toolkit; a few typed by hand.
    for key in ("ma", "chu_tri", "han"):
        typed = sum(p[key] is not None for p in petitions)
        assert 1 <= typed <= 10, key


def test_config_and_departments(wb):
    ws = wb[schema.CAU_HINH.name]
    got = {row[0]: row[1] for row in ws.iter_rows(min_row=2, values_only=True)}
    item = schema.CONFIG_BY_KEY
    assert got[item["ten_don_vi"].label] == "UBND phường Hà Cầu"
    assert got[item["co_quan_cap_tren"].label] == "UBND quận Hà Đông"
    assert got[item["dia_danh"].label] == "Hà Cầu"
    assert got[item["chu_tich"].label] and got[item["thu_ky"].label]
    assert got[item["so_dai_bieu_toi_thieu"].label] == 5
    depts = records(wb[schema.BO_PHAN.name], schema.BO_PHAN)
    assert sum(bool(d["phu_trach"]) for d in depts) >= len(depts) - 1


def test_quotas_met_except_the_planted_one(data):
    planted = [m for m in data.mistakes if m[3] == "group-quota-low"]
    low_rows = {m[1] for m in planted}
    groups = data.rows[schema.TO_DAN_PHO.key]
    counts = Counter((d["hoi_nghi"], d["to_dan_pho"]) for d in data.rows[schema.DAI_BIEU.key]
                     if d["thanh_phan"] == schema.CATEGORY_PEOPLE and d.get("to_dan_pho"))
    for i, g in enumerate(groups):
        for code, *_ in sample.CONFERENCES:
            n = counts[(code, g["ten"])]
            if create.FIRST_DATA_ROW + i in low_rows and code == "HN-2024-11":
                assert n == 4
            else:
                assert 5 <= n <= 7, (code, g["ten"], n)


def test_dates_and_answers_are_plausible(data):
    today = sample.SAMPLE_TODAY
    for code, _name, day, _time, notice in sample.CONFERENCES:
        assert (day - notice).days >= 7
    for p in data.rows[schema.KIEN_NGHI.key]:
        assert p["ngay_tiep_nhan"] <= today
        answered = p.get("ngay_tra_loi")
        if isinstance(answered, dt.date):
            assert p["ngay_tiep_nhan"] <= answered <= today
            assert p.get("ket_qua")
    for d in data.rows[schema.DAI_BIEU.key]:
        assert 18 <= 2024 - d["nam_sinh"] <= 90


def test_invented_people_only(data):
    names = [d["ho_ten"] for d in data.rows[schema.DAI_BIEU.key]] + [data.config["chu_tich"], data.config["thu_ky"]]
    assert "Dương Thế Vinh" not in names
    texts = []
    for rows in data.rows.values():
        for row in rows:
            texts += [v for v in row.values() if isinstance(v, str)]
    phones = [t for rows in data.rows.values() for r in rows for k, t in r.items() if k == "dien_thoai" and t]
    bad = [p for p in phones if not PHONE.match(p)]
    assert bad == ["098 765 432"]                                      # the planted one only
    assert all(p.startswith("0900") for p in phones if PHONE.match(p))  # obviously fake
    assert all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert not [t for t in texts if looks_legacy_font(t)]


def test_texts_cover_every_field():
    assert set(T.PETITIONS) == set(schema.LISTS["linh_vuc"][1])


def test_deliberate_mistakes_are_where_they_say(wb):
    mistakes = sample.DELIBERATE_MISTAKES
    assert 5 <= len(mistakes) <= 7
    assert len({m[3] for m in mistakes}) == len(mistakes)          # each of a different kind
    exp = {
        "date-invalid": "31/02/2024",
        "phone-invalid": "098 765 432",
        "group-required": None,
        "value-not-in-list": "Vệ sinh môi trường",
        "closed-without-answer": None,
    }
    for sheet_key, row, col_key, code in mistakes:
        sh = schema.sheet(sheet_key)
        ws = wb[sh.name]
        col = [c.key for c in sh.columns].index(col_key) + 1
        got = ws.cell(row, col).value
        if code in exp:
            assert got == exp[code], code
        rec = dict(zip([c.key for c in sh.columns], [c.value for c in ws[row]]))
        if code == "group-required":
            assert rec["thanh_phan"] == schema.CATEGORY_PEOPLE
        if code == "closed-without-answer":
            assert rec["trang_thai"] in schema.STATUS_CLOSED and rec["ket_qua"]
        if code == "delegate-duplicate":
            same = [r for r in records(ws, sh) if r["ho_ten"] == rec["ho_ten"] and r["hoi_nghi"] == rec["hoi_nghi"]]
            assert len(same) == 2
        if code == "group-quota-low":
            assert got == rec["ma"] and got.startswith("TDP")


def test_answers_after_today_stay_open():
    early = sample.build(dt.date(2024, 11, 30))
    for p in early.rows[schema.KIEN_NGHI.key]:
        if isinstance(p.get("ngay_tra_loi"), dt.date):
            assert p["ngay_tra_loi"] <= dt.date(2024, 11, 30)


def test_generation_is_deterministic(made, tmp_path):
    again = create.create_workbook(tmp_path / "lan-2.xlsx", sample=True, today=dt.date(2024, 12, 10))
    assert sheet_values(again) == sheet_values(made)


def test_committed_sample_is_current(made):
    assert COMMITTED.is_file(), "run: doithoai init workbooks/mau/doi-thoai-2024.xlsx --sample --force"
    assert sheet_values(COMMITTED) == sheet_values(made), \
        "workbooks/mau/doi-thoai-2024.xlsx is stale: run doithoai init workbooks/mau/doi-thoai-2024.xlsx --sample --force"
