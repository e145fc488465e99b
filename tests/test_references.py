"""A Tổ dân phố or Bộ phận typed by staff counts for the same record everywhere:
in `check`, in the summary tables (Tổng hợp, tong-hop.xlsx, the dashboard) and
in the báo cáo kết quả (toolkit.core.references is the one resolver)."""

from __future__ import annotations

import pytest

from toolkit.rules import checks

from toolkit.outputs import documents, summaries

from toolkit.core import model
from test_summaries import TODAY, sample_dataset, sample_report

TYPED_FOR_GROUP_3 = ["TDP03", "Tổ 3", "TDP 03", "to dan pho so 3", "Tổ dân phố số 03", "3"]


def _with_group_3_typed(typed: str) -> model.Dataset:
    ds = sample_dataset()
    # Names as in the sample workbook, so "Tổ 3" is not simply the group's name.
    ds.groups = [model.Group(g.row, g.ma, f"Tổ dân phố số {i}", toi_thieu=g.toi_thieu, toi_da=g.toi_da)
                 for i, g in enumerate(ds.groups, 1)]
    for d in ds.delegates:
        if d.to_dan_pho == "TDP03":
            d.to_dan_pho = typed
    for p in ds.petitions:
        if p.to_dan_pho == "TDP03":
            p.to_dan_pho = typed
    return ds


@pytest.mark.parametrize("typed", TYPED_FOR_GROUP_3)
def test_check_accepts_the_typed_group(typed):
    ds = _with_group_3_typed(typed)
    codes = {(f.code, f.row) for f in checks.validate(ds, today=TODAY) if f.sheet == "Đại biểu"}
    assert not [c for c in codes if c[1] in (8, 9)]


@pytest.mark.parametrize("typed", TYPED_FOR_GROUP_3)
def test_quota_table_counts_the_typed_group(typed):
    s = summaries.build(_with_group_3_typed(typed), sample_report(), today=TODAY)
    rows = {(r.hoi_nghi, r.to_dan_pho): list(r[2:]) for r in s.quota.rows}
    # Vũ Văn Hải (present) and Bùi Thị Lan (absent) are the two delegates of group 3; its quota is 1-1.
    assert rows[("HN-2024-06", "Tổ dân phố số 3")] == [2, 1, 1, 1, summaries.STATE_HIGH]
    by_group = {r[0]: r[1] for r in s.by_group.rows}
    assert by_group["Tổ dân phố số 3"] == 1 and typed not in by_group


@pytest.mark.parametrize("typed", TYPED_FOR_GROUP_3)
def test_result_report_counts_the_typed_group(typed):
    ds = _with_group_3_typed(typed)
    s = summaries.build(ds, sample_report(), today=TODAY)
    ctx = documents.ketqua_context(ds, s, ds.conferences[0], today=TODAY)
    rows = {r["ten"]: (r["moi"], r["co_mat"]) for r in ctx["theo_to"]}
    assert rows["Tổ dân phố số 3"] == (2, 1)
    assert summaries.NO_GROUP not in rows


def test_department_typed_by_name_without_diacritics_counts_for_it():
    ds = sample_dataset()
    ds.petitions[0].chu_tri = "dia chinh - xay dung - do thi - moi truong"
    s = summaries.build(ds, sample_report(), today=TODAY)
    depts = [r[0] for r in s.by_department.rows]
    assert depts[0] == "Địa chính - Xây dựng - Đô thị - Môi trường" and len(depts) == 4
