"""The assignment plan: IDs, departments, deadlines, and who owns a cell (issue 3)."""

from __future__ import annotations

import datetime as dt
import copy

from toolkit.core import schema
from toolkit.rules.assign import CellChange, Plan, days_left, overdue, plan, state_text
from toolkit.core.model import Conference, Config, Dataset, Petition
from toolkit.core.workdays import Calendar

from test_routing import default_departments, default_rules, name

D = dt.date
TODAY = D(2024, 6, 20)


def dataset(*petitions: Petition, state=None, default_days=15) -> Dataset:
    return Dataset(
        config=Config(han_xu_ly_mac_dinh=default_days),
        conferences=[Conference(row=2, ma="HN-2024-06", ngay=D(2024, 6, 12))],
        departments=default_departments(),
        rules=default_rules(),
        petitions=list(petitions),
        state=state or {},
    )


def pet(row, content="Ngõ 3 bị ngập", field="", received=D(2024, 6, 12), hoi_nghi="HN-2024-06", **kw) -> Petition:
    return Petition(row=row, hoi_nghi=hoi_nghi, ngay_tiep_nhan=received, nguoi_kien_nghi="Nguyễn Văn A",
                    linh_vuc=field, noi_dung=content, **kw)


def apply(ds: Dataset, p: Plan) -> Dataset:
    """What the write-back does: cells take the planned values, the state sheet the plan's state."""
    ds = copy.deepcopy(ds)
    rows = {x.row: x for x in ds.petitions}
    for c in p.changes:
        target = rows[c.row]
        value = c.value
        if c.column_key == "phoi_hop":
            value = [v for v in (value or "").split("; ") if v]
        elif value is None:
            value = "" if c.column_key != "han" else None
        setattr(target, c.column_key, value)
    ds.state = copy.deepcopy(p.state)
    return ds


def cells(p: Plan, row: int) -> dict[str, object]:
    return p.by_row().get(row, {})


# --- filling blanks ------------------------------------------------------------------

def test_blank_petition_gets_everything():
    p = plan(dataset(pet(2)), today=TODAY)
    got = cells(p, 2)
    assert got == {
        "ma": "KN-2024-06-001",
        "chu_tri": name("DC"),
        "han": D(2024, 7, 3),          # 12/06/2024 + 15 working days
        "trang_thai": schema.STATUS_NEW,
        "can_cu": got["can_cu"],
    }
    assert got["can_cu"].startswith("Quy tắc dòng") and "'ngập'" in got["can_cu"]
    assert p.assigned == 1
    assert all(isinstance(c, CellChange) and c.sheet_key == "kien_nghi" for c in p.changes)
    assert p.state == {"KN-2024-06-001": {"ma": "KN-2024-06-001", "chu_tri": name("DC"),
                                          "han": "03/07/2024", "trang_thai": schema.STATUS_NEW}}


def test_rule_days_and_coordinators():
    p = plan(dataset(pet(2, "x", field="Xây dựng - Trật tự đô thị")), today=TODAY)
    got = cells(p, 2)
    assert got["phoi_hop"] == name("CA")
    assert got["han"] == Calendar().add_workdays(D(2024, 6, 12), 10)


def test_default_days_from_config():
    p = plan(dataset(pet(2, "chuyện khác hẳn", received=D(2024, 6, 14)), default_days=3), today=TODAY)
    assert cells(p, 2)["han"] == D(2024, 6, 19)
    assert cells(p, 2)["chu_tri"] == name("VP")


def test_second_plan_changes_nothing():
    ds = dataset(pet(2), pet(3, "Mất trộm xe máy"), pet(4, "duong bi ngap", received=None))
    first = plan(ds, today=TODAY)
    second = plan(apply(ds, first), today=TODAY)
    assert second.changes == []
    assert second.assigned == 0
    assert second.state == first.state


# --- IDs -----------------------------------------------------------------------------

def test_ids_unique_stable_and_continue_after_highest():
    ds = dataset(
        pet(2, ma="KN-2024-06-007"),
        pet(3),
        pet(4, ma="kn-2024-06-002"),
        pet(5, received=D(2024, 5, 30)),
        pet(6, received=None),                                   # conference date 12/06/2024
        pet(7, received=None, hoi_nghi=""),                      # today
        pet(8, ma="Số 5 tổ 3"),                                  # typed by staff, kept
        pet(9),
    )
    p = plan(ds, today=D(2024, 7, 2))
    ids = {row: v for row, v in ((c.row, c.value) for c in p.changes if c.column_key == "ma")}
    assert ids == {3: "KN-2024-06-008", 5: "KN-2024-05-001", 6: "KN-2024-06-009",
                   7: "KN-2024-07-001", 9: "KN-2024-06-010"}
    again = plan(apply(ds, p), today=D(2024, 7, 2))
    assert [c for c in again.changes if c.column_key == "ma"] == []


def test_new_id_skips_one_already_used():
    ds = dataset(pet(2, ma="KN-2024-06-001"), pet(3, ma="KN-2024-06-0002"), pet(4))
    p = plan(ds, today=TODAY)
    assert cells(p, 4)["ma"] == "KN-2024-06-003"


def test_existing_ids_never_renumbered_when_date_changes():
    ds = dataset(pet(2))
    ds = apply(ds, plan(ds, today=TODAY))
    ds.petitions[0].ngay_tiep_nhan = D(2024, 8, 1)
    p = plan(ds, today=TODAY)
    assert "ma" not in cells(p, 2)
    assert cells(p, 2)["han"] == Calendar().add_workdays(D(2024, 8, 1), 15)


# --- typed values are never overwritten ----------------------------------------------

def test_typed_values_kept():
    ds = dataset(pet(2, chu_tri="Công an phường", phoi_hop=["Tư pháp - Hộ tịch"], han=D(2024, 12, 1),
                     trang_thai="Đang xử lý"))
    p = plan(ds, today=TODAY)
    got = cells(p, 2)
    assert set(got) == {"ma", "can_cu"}
    assert got["can_cu"] == schema.MANUAL_BASIS


def test_typed_lead_same_as_rules_keeps_rule_coordinators_and_days():
    ds = dataset(pet(2, "x", field="Xây dựng - Trật tự đô thị", chu_tri="DC"))
    got = cells(plan(ds, today=TODAY), 2)
    assert "chu_tri" not in got
    assert got["phoi_hop"] == name("CA")
    assert got["han"] == Calendar().add_workdays(D(2024, 6, 12), 10)
    assert got["can_cu"] == schema.MANUAL_BASIS


def test_typed_lead_other_than_rules_uses_default_deadline_and_no_coordinators():
    ds = dataset(pet(2, "x", field="Xây dựng - Trật tự đô thị", chu_tri="Tư pháp - Hộ tịch"))
    got = cells(plan(ds, today=TODAY), 2)
    assert "phoi_hop" not in got
    assert got["han"] == Calendar().add_workdays(D(2024, 6, 12), 15)


def test_person_edit_of_a_filled_value_is_then_kept():
    ds = dataset(pet(2))
    ds = apply(ds, plan(ds, today=TODAY))
    ds.petitions[0].chu_tri = "Công an phường"            # a person changes the lead
    ds.petitions[0].han = D(2024, 6, 30)                 # and the deadline
    p = plan(ds, today=TODAY)
    got = cells(p, 2)
    assert got == {"can_cu": schema.MANUAL_BASIS}
    ds = apply(ds, p)
    ds.petitions[0].noi_dung = "Mất trộm xe"              # inputs change: still never overwritten
    assert cells(plan(ds, today=TODAY), 2) == {}


def test_unparsable_typed_deadline_is_a_person_value():
    ds = dataset(pet(2, raw={"han": "cuối tháng"}))
    got = cells(plan(ds, today=TODAY), 2)
    assert "han" not in got and "chu_tri" in got


def test_formula_without_value_is_not_touched():
    pending = object()                                   # like records.UNKNOWN
    ds = dataset(pet(2, raw={"chu_tri": pending, "han": pending}))
    got = cells(plan(ds, today=TODAY), 2)
    assert "chu_tri" not in got and "han" not in got


def test_state_of_duplicate_ids_is_not_trusted():
    ds = dataset(pet(2, ma="KN-2024-06-001", chu_tri=name("DC")), pet(3, ma="KN-2024-06-001"))
    ds.state = {"KN-2024-06-001": {"chu_tri": name("DC")}}
    ds.petitions[0].noi_dung = "Mất trộm xe"
    p = plan(ds, today=TODAY)
    assert "chu_tri" not in cells(p, 2)          # kept: cannot tell whose it is
    assert cells(p, 3)["chu_tri"] == name("DC")         # blanks are still filled
    assert "KN-2024-06-001" not in p.state


# --- re-derivation -------------------------------------------------------------------

REDERIVE = [
    # (Lĩnh vực before, change to the petition, expected lead code, expected working days)
    ("Đất đai", ("linh_vuc", "An ninh trật tự"), "CA", 10),
    ("Đất đai", ("linh_vuc", "Quy hoạch - Bồi thường"), "CT", 10),
    ("Đất đai", ("linh_vuc", ""), "DC", 15),                      # keywords 'ngập' then
    ("", ("linh_vuc", "Giáo dục"), "VHXH", 15),
    ("", ("noi_dung", "Thẻ bảo hiểm y tế bị sai tên"), "VHXH", 15),
    ("", ("noi_dung", "hang xom hat karaoke den khuya"), "CA", 10),
    ("", ("noi_dung", "Xin ý kiến chung"), "VP", 15),
    ("Đất đai", ("hinh_thuc", "Chuyển cấp trên"), "CT", 15),
]


def test_filled_values_follow_their_inputs():
    for field, (attr, value), exp_code, exp_days in REDERIVE:
        ds = dataset(pet(2, "Ngõ 3 bị ngập", field=field))
        ds = apply(ds, plan(ds, today=TODAY))
        assert ds.petitions[0].chu_tri == name("DC")
        setattr(ds.petitions[0], attr, value)
        got = cells(plan(ds, today=TODAY), 2)
        exp = {}
        if exp_code != "DC":
            exp["chu_tri"] = name(exp_code)
        exp_han = Calendar().add_workdays(D(2024, 6, 12), exp_days)
        if exp_han != ds.petitions[0].han:
            exp["han"] = exp_han
        assert {k: got[k] for k in ("chu_tri", "han") if k in got} == exp, (attr, value)
        assert got["can_cu"] != ds.petitions[0].can_cu


def test_coordinators_cleared_when_no_longer_derived():
    ds = dataset(pet(2, "x", field="Xây dựng - Trật tự đô thị"))
    ds = apply(ds, plan(ds, today=TODAY))
    assert ds.petitions[0].phoi_hop == [name("CA")]
    ds.petitions[0].linh_vuc = "Đất đai"
    p = plan(ds, today=TODAY)
    change = [c for c in p.changes if c.column_key == "phoi_hop"]
    assert [(c.value, c.old) for c in change] == [(None, name("CA"))]
    assert "phoi_hop" not in p.state[ds.petitions[0].ma]


def test_deadline_follows_receipt_date_and_clears_without_it():
    ds = dataset(pet(2))
    ds = apply(ds, plan(ds, today=TODAY))
    ds.petitions[0].ngay_tiep_nhan = D(2024, 2, 7)
    assert cells(plan(ds, today=TODAY), 2)["han"] == D(2024, 3, 6)    # Tết 2024 skipped
    ds.petitions[0].ngay_tiep_nhan = None
    change = [c for c in plan(ds, today=TODAY).changes if c.column_key == "han"]
    assert [(c.value, c.old) for c in change] == [(None, D(2024, 7, 3))]


def test_swap_day_from_config_used_for_deadline():
    ds = dataset(pet(2, received=D(2024, 6, 14)), default_days=1)
    ds.rules = []
    ds.config.ngay_lam_bu = [D(2024, 6, 15)]
    assert cells(plan(ds, today=TODAY), 2)["han"] == D(2024, 6, 15)


def test_state_text():
    assert [state_text(v) for v in (None, D(2024, 2, 5), ["A", "B"], 12.0, " x ")] == [
        "", "05/02/2024", "A; B", "12", "x"]


# --- overdue -------------------------------------------------------------------------

OVERDUE = [
    # (deadline, status, today, expected working days late or None)
    (D(2024, 6, 14), "", D(2024, 6, 14), None),                        # due today
    (D(2024, 6, 14), "Mới tiếp nhận", D(2024, 6, 15), 1),             # Friday's deadline, Saturday
    (D(2024, 6, 14), "Đang xử lý", D(2024, 6, 17), 1),
    (D(2024, 6, 14), "Đang xử lý", D(2024, 6, 21), 5),
    (D(2024, 2, 7), "Đang xử lý", D(2024, 2, 16), 2),                  # Tết does not count
    (D(2024, 6, 14), "Đã giải quyết xong", D(2024, 6, 21), None),
    (D(2024, 6, 14), "đã trả lời bằng văn bản", D(2024, 6, 21), None),
    (D(2024, 6, 14), "Đã chuyển cấp trên", D(2024, 6, 21), None),
    (None, "Đang xử lý", D(2024, 6, 21), None),
]


def test_overdue():
    cal = Calendar()
    for deadline, status, today, exp in OVERDUE:
        got = overdue(Petition(row=2, han=deadline, trang_thai=status), today, cal)
        assert got == exp, (deadline, status, today)


def test_days_left():
    cal = Calendar()
    p = Petition(row=2, han=D(2024, 2, 15))
    assert days_left(p, D(2024, 2, 7), cal) == 1
    assert days_left(p, D(2024, 2, 15), cal) == 0
    assert days_left(p, D(2024, 2, 19), cal) == -2
