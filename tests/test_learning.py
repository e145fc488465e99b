"""Routing learnt from the register's own history (issue 17, point 3): "giống KN-…"."""

from __future__ import annotations

import datetime as dt
import random
import shutil

import openpyxl
import pytest

from toolkit.rules import learning

from toolkit.pipeline import passes, precedents

from toolkit.core import schema
from toolkit.rules.learning import Example, History, features
from toolkit.core.model import Dataset, Petition
from toolkit.rules.routing import GUESS_MARK, Router

from routing_tables import score
from test_routing import default_departments, default_rules, name

TODAY = dt.date(2024, 12, 2)
KN = schema.KIEN_NGHI

# --- a synthetic ward history ----------------------------------------------------------------
# Local subjects the seeded rules know nothing of (or send elsewhere), each handled by one
# department in this ward, worded many ways; and subjects the rules handle well.
PLACES = ["xóm Bãi", "thôn Đoài", "tổ 3", "tổ 7", "xóm Chùa", "khu Đồng Lạc", "xóm Giữa", "tổ 12", "bãi Giữa"]
LOCAL = {
    "DC": [  # ferries and bamboo bridges: the ward's land and works civil servant
        "Bến đò {p} xuống cấp, mùa nước lên qua sông rất nguy hiểm.",
        "Đò ngang ở {p} chở quá số người, không có áo phao.",
        "Cầu tre bắc qua sông ở {p} đã mục, xin làm lại.",
        "Xin làm lại cầu tre {p} cho học sinh đi học.",
        "Bến đò {p} không có người trực ban đêm.",
    ],
    "VHXH": [  # study grants, a certificate of hardship
        "Xin xác nhận hoàn cảnh để cháu ở {p} nộp hồ sơ học bổng.",
        "Đề nghị xét học bổng cho các cháu ở {p} học giỏi mà nhà khó.",
        "Hồ sơ học bổng của cháu {p} chưa được phường xác nhận.",
        "Xin giấy xác nhận hoàn cảnh cho con ở {p} đi học nghề.",
    ],
    "TP": [  # certifying letters
        "Xin xác nhận đơn cho con ở {p} đi làm việc ở nước ngoài.",
        "Phường chậm xác nhận đơn xin việc của thanh niên {p}.",
        "Xin xác nhận đơn trình bày của gia đình ở {p}.",
    ],
    "CA": [  # revving motorbikes at night
        "Thanh niên {p} rú ga ầm ĩ lúc nửa đêm.",
        "Xe máy độ pô rú ga quanh {p} cả tối.",
        "Nhóm xe độ ở {p} rú ga, nẹt pô làm trẻ con giật mình.",
    ],
}
KNOWN = [  # the rules route these right: the history must not get in the way
    ("Ngõ ở {p} có nhiều ổ gà, trời mưa đọng nước.", "DC"),
    ("Hát karaoke ở {p} đến nửa đêm.", "CA"),
    ("Xin cấp lại thẻ bảo hiểm y tế cho mẹ ở {p}.", "VHXH"),
    ("Con tôi ở {p} có giấy gọi nghĩa vụ quân sự.", "QS"),
]


def synthetic(seed: int, n: int, first_number: int = 1) -> list[tuple[str, str, str]]:
    """(Nội dung, department code, Mã kiến nghị), deterministic."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if rng.random() < 0.75:
            code = rng.choice(sorted(LOCAL))
            template = rng.choice(LOCAL[code])
        else:
            template, code = rng.choice(KNOWN)
        out.append((template.format(p=rng.choice(PLACES)), code, f"KN-2023-{1 + i % 12:02d}-{first_number + i:03d}"))
    return out


def history_of(rows) -> History:
    return History(Example(content, name(code), ident) for content, code, ident in rows)


def test_history_beats_the_rules_alone_on_a_synthetic_history():
    departments = default_departments()
    train = synthetic(seed=1, n=300)
    test = [(c, "", code) for c, code, _ in synthetic(seed=2, n=200, first_number=500)]
    alone = score(Router(default_rules(), departments), departments, test)
    learnt = score(Router(default_rules(), departments, history=history_of(train)), departments, test)
    print("\n" + alone.line("Chỉ quy tắc") + "\n" + learnt.line("Quy tắc + lịch sử"))
    assert learnt.share(learnt.right) >= 0.95
    assert learnt.right >= alone.right + 0.5 * alone.total       # it must beat the rules alone, by far
    assert learnt.silently_wrong <= alone.silently_wrong and learnt.share(learnt.silently_wrong) <= 0.05
    assert learnt.flagged < alone.flagged


def test_learnt_route_cites_a_similar_petition_of_that_department():
    train = synthetic(seed=1, n=300)
    by_id = {ident: (content, code) for content, code, ident in train}
    router = Router(default_rules(), default_departments(), history=history_of(train))
    a = router.route(Petition(row=2, noi_dung="Bến đò thôn Đông xuống cấp, qua sông nguy hiểm lắm."))
    assert a.lead == name("DC")
    assert a.basis.startswith("Giống KN-2023-"), a.basis
    cited = a.basis.split()[1]
    assert by_id[cited][1] == "DC" and "đò" in by_id[cited][0]


def test_confident_rules_are_not_overridden_by_the_history():
    # a ward that (wrongly) typed CA for pot-holes many times: a rule with evidence still decides
    train = [(f"Ngõ {i} có nhiều ổ gà, mặt đường sụt lún", "CA", f"KN-2023-01-{i:03d}") for i in range(1, 40)]
    router = Router(default_rules(), default_departments(), history=history_of(train))
    a = router.route(Petition(row=2, noi_dung="Ngõ 77 có nhiều ổ gà, mặt đường sụt lún"))
    assert a.lead == name("DC") and a.basis.startswith("Quy tắc")


def test_a_thin_rule_the_wards_practice_contradicts_is_a_guess():
    # one keyword ('học sinh') against a register where bamboo bridges always went to DC
    content = "Xin làm lại cầu tre xóm Chùa cho học sinh đi học."
    router = Router(default_rules(), default_departments(), history=history_of(synthetic(seed=1, n=300)))
    a = router.route(Petition(row=2, noi_dung=content))
    assert a.lead == name("DC")
    assert a.basis.startswith(GUESS_MARK) and "'học sinh'" in a.basis and "giống KN-2023-" in a.basis
    # without a history the rule decides, without a doubt
    alone = Router(default_rules(), default_departments()).route(Petition(row=2, noi_dung=content))
    assert alone.lead == name("VHXH") and alone.basis.startswith("Quy tắc")


def test_not_confident_without_similar_petitions():
    train = synthetic(seed=1, n=300)
    router = Router(default_rules(), default_departments(), history=history_of(train))
    a = router.route(Petition(row=2, noi_dung="Xin hỏi lịch họp của khu dân cư năm nay"))
    assert a.basis.startswith(GUESS_MARK), a.basis


def test_one_example_is_not_enough_to_be_confident():
    h = history_of([("Bến đò xóm Bãi xuống cấp", "DC", "KN-2023-01-001")])
    g = h.predict("Bến đò xóm Bãi xuống cấp nặng")
    assert g is not None and g.department == name("DC") and not g.confident


def test_a_petition_is_never_its_own_precedent():
    # a copy of the register (or last year's file) holds the very petition, under its Mã or another
    rows = synthetic(seed=1, n=300)
    content, code, ident = rows[0]
    h = history_of(rows + [(content, "CA", "KN-2024-06-010"), (content, "CA", "KN-2024-06-011")])
    g = h.predict(content, exclude="KN-2024-06-010")
    assert g is not None and g.example not in {ident, "KN-2024-06-010", "KN-2024-06-011"}
    assert g.department == name(code)          # what the other petitions teach, not the copies
    # by Mã too: an older version of the petition (other words) under the same Mã is left out
    h = history_of(rows + [("Bến đò xóm Bãi xuống cấp nặng", "CA", "KN-2024-06-010")] * 3)
    g = h.predict("Bến đò xóm Bãi xuống cấp nặng, qua sông nguy hiểm", exclude="KN-2024-06-010")
    assert g.example != "KN-2024-06-010"


def test_the_same_answer_whatever_order_the_rows_are_in():
    rows = synthetic(seed=3, n=200)
    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    a, b = history_of(rows), history_of(shuffled)
    for content, _code, ident in synthetic(seed=4, n=60) + rows[:20]:
        assert a.predict(content, exclude=ident) == b.predict(content, exclude=ident)


def test_deterministic_and_folded():
    rows = synthetic(seed=3, n=200)
    a, b = history_of(rows), history_of(list(rows))
    for content, _code, _ident in synthetic(seed=4, n=50):
        assert a.predict(content) == b.predict(content)
    # case, tone placement and diacritics are folded: text typed without diacritics is the same petition
    assert features("Bến đò Xóm Bãi") == features("ben do xom bai") == ["ben", "do", "xom", "bai", "ben do",
                                                                        "do xom", "xom bai"]
    assert a.predict("ben do xom bai xuong cap, qua song nguy hiem").department == name("DC")


def test_leave_one_out_accuracy_of_the_history_itself():
    rows = synthetic(seed=5, n=200)
    h = history_of(rows)
    right = sum(1 for content, code, ident in rows
                if (g := h.predict(content, exclude=ident)) is not None and g.department == name(code))
    assert right / len(rows) >= 0.95


# --- where the examples come from -------------------------------------------------------------

def test_only_settled_assignments_teach():
    p_typed = Petition(row=2, ma="KN-2024-06-001", noi_dung="Bến đò xóm Bãi xuống cấp", chu_tri=name("DC"))
    # the toolkit wrote it and Trạng thái was typed before any assignment: not kept through a change
    p_toolkit = Petition(row=3, ma="KN-2024-06-002", noi_dung="Ngõ 3 bị ngập", chu_tri=name("DC"),
                         trang_thai="Đang xử lý")
    p_new = Petition(row=4, noi_dung="Đò ngang không có áo phao", chu_tri=name("DC"))      # no Mã yet: typed
    p_blank = Petition(row=5, noi_dung="Cầu tre sắp gãy")
    # the toolkit wrote it as "Mới tiếp nhận"; the clerk has since moved the status on: settled
    p_kept = Petition(row=6, ma="KN-2024-06-004", noi_dung="Cống ngõ 7 tắc", chu_tri=name("DC"),
                      trang_thai="Đã trả lời bằng văn bản")
    # the toolkit's own guess, status still new: never teaches
    p_guess = Petition(row=7, ma="KN-2024-06-005", noi_dung="Cống ngõ 9 tắc", chu_tri=name("DC"),
                       trang_thai="Mới tiếp nhận")
    ds = Dataset(petitions=[p_typed, p_toolkit, p_new, p_blank, p_kept, p_guess],
                 state={"KN-2024-06-002": {"chu_tri": name("DC")}, "KN-2024-06-001": {"chu_tri": name("VP")},
                        "KN-2024-06-004": {"chu_tri": name("DC"), "trang_thai": "Mới tiếp nhận"},
                        "KN-2024-06-005": {"chu_tri": name("DC"), "trang_thai": "Mới tiếp nhận"}})
    got = [(e.ident, e.department) for e in learning.examples_from_dataset(ds, {4: "KN-2024-06-003"})]
    assert got == [("KN-2024-06-001", name("DC")), ("KN-2024-06-003", name("DC")), ("KN-2024-06-004", name("DC"))]


def _write_register(path, rows):
    """A small earlier-year workbook: the Kiến nghị sheet as staff keep it (header on row 1)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = KN.name
    ws.append([KN.col("ma"), KN.col("noi_dung"), KN.col("chu_tri"), KN.col("trang_thai"), KN.col("can_cu")])
    for r in rows:
        ws.append(list(r))
    wb.save(path)


def test_earlier_years_workbooks_beside_it_teach(tmp_path):
    _write_register(tmp_path / "doi-thoai-2023.xlsx", [
        ("KN-2023-05-001", "Bến đò xóm Bãi xuống cấp", name("DC"), "Đã trả lời bằng văn bản", "Quy tắc dòng 9"),
        ("KN-2023-05-002", "Đò ngang xóm Bãi không có áo phao", name("DC"), "Mới tiếp nhận", "Nhập tay"),
        ("KN-2023-05-003", "Bến đò thôn Đoài thiếu áo phao", name("VHXH"), "Mới tiếp nhận", "Quy tắc"),  # not confirmed
        ("KN-2023-05-004", "", name("DC"), "Đã giải quyết xong", ""),
    ])
    (tmp_path / "ghi-chu.txt").write_text("không phải sổ", encoding="utf-8")
    (tmp_path / "hong.xlsx").write_bytes(b"not a zip")        # unreadable: teaches nothing, breaks nothing
    current = tmp_path / "doi-thoai-2024.xlsx"
    current.write_bytes(b"")
    found = precedents.gather(current, Dataset())
    assert [(e.ident, e.department) for e in found.examples] == [("KN-2023-05-001", name("DC")),
                                                                  ("KN-2023-05-002", name("DC"))]
    assert [(f.code, f.value) for f in found.findings] == [("neighbour-unreadable", "hong.xlsx")]


def _add_petitions(path, rows):
    wb = openpyxl.load_workbook(path)
    ws = wb[KN.name]
    cols = {c.value: c.column for c in ws[1] if c.value}
    r = ws.max_row
    while r > 1 and not ws.cell(r, cols[KN.col("noi_dung")]).value:
        r -= 1
    for content, extra in rows:
        r += 1
        ws.cell(r, cols[KN.col("noi_dung")], content)
        ws.cell(r, cols[KN.col("ngay_tiep_nhan")], dt.datetime(2024, 11, 20))
        ws.cell(r, cols[KN.col("hoi_nghi")], "HN-2024-11")
        ws.cell(r, cols[KN.col("nguoi_kien_nghi")], "Lê Mạnh Kiên")
        for key, value in extra.items():
            ws.cell(r, cols[KN.col(key)], value)
    wb.save(path)
    return r


def test_a_pass_learns_from_last_years_workbook_and_flags_what_it_cannot(sample_copy):
    folder = sample_copy.parent
    _write_register(folder / "doi-thoai-2023.xlsx", [
        (f"KN-2023-05-{i:03d}", text, name("DC"), "Đã giải quyết xong", "")
        for i, text in enumerate(["Bến đò xóm Bãi xuống cấp, qua sông nguy hiểm",
                                  "Đò ngang bến xóm Bãi không có áo phao",
                                  "Bến đò thôn Đoài xuống cấp, nguy hiểm"], start=1)])
    last = _add_petitions(sample_copy, [("Bến đò xóm Bãi xuống cấp quá, qua sông nguy hiểm", {}),
                                        ("Xin hỏi lịch họp khu dân cư năm sau", {})])
    result = passes.check(sample_copy, today=TODAY)
    by_row = {p.row: p for p in result.dataset.petitions}
    learnt, guessed = by_row[last - 1], by_row[last]
    assert learnt.chu_tri == name("DC") and learnt.can_cu.startswith("Giống KN-2023-05-"), learnt.can_cu
    assert guessed.chu_tri == name("VP") and guessed.can_cu.startswith(GUESS_MARK)
    warned = [(f.row, f.column) for f in result.report if f.code == "petition-route-guess"]
    assert warned == [(last, KN.col("chu_tri"))]
    message = next(f.message for f in result.report if f.code == "petition-route-guess")
    assert "xác nhận" in message and "Đang xử lý" in message


def test_a_guess_confirmed_by_status_is_no_longer_flagged_and_a_second_pass_changes_nothing(sample_copy):
    last = _add_petitions(sample_copy, [("Xin hỏi lịch họp khu dân cư năm sau", {})])
    first = passes.run(sample_copy, today=TODAY, render=False)
    assert first.written
    assert any(f.code == "petition-route-guess" and f.row == last for f in first.report)
    digest = sample_copy.read_bytes()
    again = passes.run(sample_copy, today=TODAY, render=False)
    assert sample_copy.read_bytes() == digest and not again.written
    # the department takes it on: Trạng thái 'Đang xử lý' confirms the guess
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = {c.value: c.column for c in ws[1] if c.value}
    ws.cell(last, cols[KN.col("trang_thai")], "Đang xử lý")
    wb.save(sample_copy)
    result = passes.check(sample_copy, today=TODAY)
    p = next(p for p in result.dataset.petitions if p.row == last)
    assert p.can_cu == f"{schema.CONFIRMED_BASIS} 'Đang xử lý'"
    assert not any(f.code == "petition-route-guess" for f in result.report)


@pytest.mark.parametrize("setting,exp", [("Tư pháp - Hộ tịch", "Tư pháp - Hộ tịch"), ("Không", "")])
def test_cau_hinh_names_where_guesses_go(sample_copy, setting, exp):
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[schema.CAU_HINH.name]
    label = schema.CONFIG_BY_KEY["bo_phan_chua_ro"].label
    row = next((c.row for c in ws["A"] if c.value == label), None) or ws.max_row + 1
    ws.cell(row, 1, label)
    ws.cell(row, 2, setting)
    wb.save(sample_copy)
    last = _add_petitions(sample_copy, [("Xin hỏi lịch họp khu dân cư năm sau", {})])
    result = passes.check(sample_copy, today=TODAY)
    p = next(p for p in result.dataset.petitions if p.row == last)
    assert p.chu_tri == exp and p.can_cu.startswith(GUESS_MARK)


def test_neighbour_reading_is_remembered_per_file_version(tmp_path):
    f = tmp_path / "doi-thoai-2023.xlsx"
    _write_register(f, [("KN-2023-05-001", "Bến đò xóm Bãi xuống cấp", name("DC"), "Đang xử lý", "")])
    first = precedents.examples_from_file(f)
    assert precedents.examples_from_file(f) is first
    shutil.copy2(f, tmp_path / "copy.xlsx")
    _write_register(f, [("KN-2023-05-009", "Đò ngang xóm Bãi", name("DC"), "Đang xử lý", "")])
    assert [e.ident for e in precedents.examples_from_file(f)] == ["KN-2023-05-009"]


def test_dashboard_counts_the_rows_to_confirm(sample_copy, tmp_path):
    from toolkit.outputs import dashboard, summaries

    last = _add_petitions(sample_copy, [("Xin hỏi lịch họp khu dân cư năm sau", {}),
                                        ("Xin hỏi giờ mở cửa nhà văn hóa mới", {}),    # a rule: not a guess
                                        ("Đề nghị cho biết kế hoạch năm tới của phường", {})])
    result = passes.check(sample_copy, today=TODAY)
    summary = summaries.build(result.dataset, result.report, today=TODAY, calendar=result.calendar)
    assert summary.numbers["route_guesses"] == 2
    assert ["Phân công cần xác nhận", 2] in summary.key_numbers.rows
    html = dashboard.render_html(summary, result.report, workbook_name=sample_copy.name,
                                 generated_at=dt.datetime(2024, 12, 2, 8, 0), version="v1")
    assert "Phân công cần xác nhận" in html
    assert html.count("Chưa chắc bộ phận chủ trì") == 2          # one warning per guessed row, with its cell
    assert f"{KN.name}!{_col_letter(sample_copy, 'chu_tri')}{last}" in html


def _col_letter(path, key):
    from openpyxl.utils import get_column_letter

    ws = openpyxl.load_workbook(path, read_only=True)[KN.name]
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True))
    return get_column_letter(header.index(KN.col(key)) + 1)


def test_a_department_typed_as_its_code_is_proposed_by_its_name():
    train = [(content, code, ident) for content, code, ident in synthetic(seed=1, n=300)]
    history = History(Example(content, code, ident) for content, code, ident in train)     # "DC", not its name
    router = Router(default_rules(), default_departments(), history=history)
    a = router.route(Petition(row=2, noi_dung="Bến đò thôn Đông xuống cấp, qua sông nguy hiểm lắm."))
    assert a.lead == name("DC") and a.basis.startswith("Giống KN-2023-")
