"""Incremental rendering: after staff edit Danh mục, Tổ dân phố, Bộ phận or Cấu hình,
or a row gains an error, exactly the outputs that read the edit are rebuilt, and
they say the new thing; the others are kept (toolkit.outputs.render fingerprints the
context each document renders)."""

from __future__ import annotations

import openpyxl

from toolkit.outputs import folder as outputs

from toolkit.pipeline import passes

from toolkit.starter import sample

from toolkit.core import schema
from docsample import docx_content

TODAY = sample.SAMPLE_TODAY
DOCS = ("bao-cao-ket-qua-HN-2024-06.docx", "bao-cao-ket-qua-HN-2024-11.docx", "giay-moi-HN-2024-06.docx",
        "giay-moi-HN-2024-11.docx", "thong-bao-HN-2024-06.docx", "thong-bao-HN-2024-11.docx")


def words(path) -> str:
    content = docx_content(path)
    cells = [c for table in content["tables"] for row in table for c in row]
    return "\n".join(content["paragraphs"] + cells)


def first_run(path):
    result = passes.run(path, today=TODAY)
    assert not result.output_errors, result.output_errors
    return outputs.default_out_dir(path)


def edit(path, sheet_name: str, change) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb[sheet_name])
    wb.save(path)


def rebuilt_after(path) -> set[str]:
    result = passes.run(path, today=TODAY)
    assert not result.output_errors, result.output_errors
    return {p.name for p in result.rebuilt}


def row_of(ws, column: int, value) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column).value == value)


def test_nothing_edited_nothing_rebuilt(sample_copy):
    first_run(sample_copy)
    assert rebuilt_after(sample_copy) == set()


def test_renamed_residential_group_rebuilds_the_reports_and_invitations_that_name_it(sample_copy):
    out = first_run(sample_copy)
    edit(sample_copy, schema.TO_DAN_PHO.name,
         lambda ws: ws.cell(row_of(ws, 1, "TDP20"), 2, "Tổ dân phố Hoa Sen"))
    rebuilt = rebuilt_after(sample_copy)
    # Delegates of TDP20 typed "Tổ dân phố số 20": the rename makes their rows errors (unknown group)
    # or, when typed by code, renames them; either way the quota tables and reports change.
    assert {"tong-hop.xlsx", "index.html", "bao-cao-ket-qua-HN-2024-06.docx",
            "bao-cao-ket-qua-HN-2024-11.docx"} <= rebuilt
    assert "Tổ dân phố Hoa Sen" in words(out / "bao-cao-ket-qua-HN-2024-11.docx")
    assert not {"thong-bao-HN-2024-06.docx", "thong-bao-HN-2024-11.docx"} & rebuilt


def test_group_renamed_while_delegates_type_its_code(sample_copy):
    """The delegates' rows do not change at all; only Tổ dân phố does."""
    def by_code(ws):
        col = [c.column for c in ws[1] if c.value == schema.DAI_BIEU.col("to_dan_pho")][0]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, col).value == "Tổ dân phố số 20":
                ws.cell(r, col).value = "TDP20"
    edit(sample_copy, schema.DAI_BIEU.name, by_code)
    out = first_run(sample_copy)
    invitation = words(out / "giay-moi-HN-2024-11.docx")
    assert "Tổ dân phố số 20" in invitation and "Tổ dân phố Hoa Sen" not in invitation

    edit(sample_copy, schema.TO_DAN_PHO.name,
         lambda ws: ws.cell(row_of(ws, 1, "TDP20"), 2, "Tổ dân phố Hoa Sen"))
    rebuilt = rebuilt_after(sample_copy)
    assert {"tong-hop.xlsx", "bao-cao-ket-qua-HN-2024-06.docx", "bao-cao-ket-qua-HN-2024-11.docx",
            "giay-moi-HN-2024-06.docx", "giay-moi-HN-2024-11.docx"} <= rebuilt
    assert not {"thong-bao-HN-2024-06.docx", "thong-bao-HN-2024-11.docx"} & rebuilt
    invitation = words(out / "giay-moi-HN-2024-11.docx")
    assert "Tổ dân phố Hoa Sen" in invitation and "Tổ dân phố số 20" not in invitation
    assert "Tổ dân phố Hoa Sen" in words(out / "bao-cao-ket-qua-HN-2024-11.docx")


def test_new_category_in_danh_muc_rebuilds_the_announcements_only_among_documents(sample_copy):
    out = first_run(sample_copy)
    column = schema.DANH_MUC.col("thanh_phan")

    def add(ws):
        col = [c.column for c in ws[1] if c.value == column][0]
        last = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value)
        ws.cell(last + 1, col).value = "Đại diện doanh nghiệp trên địa bàn"
    edit(sample_copy, schema.DANH_MUC.name, add)
    rebuilt = rebuilt_after(sample_copy)
    assert {"thong-bao-HN-2024-06.docx", "thong-bao-HN-2024-11.docx"} <= rebuilt
    assert "Đại diện doanh nghiệp trên địa bàn" in words(out / "thong-bao-HN-2024-11.docx")
    assert not {"giay-moi-HN-2024-06.docx", "giay-moi-HN-2024-11.docx"} & rebuilt


def test_renamed_department_rebuilds_its_slip_and_the_reports_naming_it(sample_copy):
    """A petition whose Bộ phận chủ trì staff typed as the code: the row itself never changes."""
    def typed_code(ws):
        col = [c.column for c in ws[1] if c.value == schema.KIEN_NGHI.col("chu_tri")][0]
        status = [c.column for c in ws[1] if c.value == schema.KIEN_NGHI.col("trang_thai")][0]
        row = next(r for r in range(2, ws.max_row + 1) if not ws.cell(r, col).value
                   and ws.cell(r, status).value in (None, "", schema.STATUS_NEW, "Đang xử lý"))
        ws.cell(row, col).value = "vhxh"
    edit(sample_copy, schema.KIEN_NGHI.name, typed_code)
    out = first_run(sample_copy)
    slips = sorted(p.name for p in out.glob("phieu-chuyen-*.docx"))
    assert "phieu-chuyen-VHXH.docx" in slips

    edit(sample_copy, schema.BO_PHAN.name,
         lambda ws: ws.cell(row_of(ws, 1, "VHXH"), 2, "Văn hóa - Thông tin - Xã hội"))
    rebuilt = rebuilt_after(sample_copy)
    assert "phieu-chuyen-VHXH.docx" in rebuilt
    assert "Văn hóa - Thông tin - Xã hội" in words(out / "phieu-chuyen-VHXH.docx")
    assert not {"thong-bao-HN-2024-06.docx", "thong-bao-HN-2024-11.docx",
                "giay-moi-HN-2024-06.docx", "giay-moi-HN-2024-11.docx"} & rebuilt


def test_edited_configuration_rebuilds_every_document_with_the_new_chairman(sample_copy):
    out = first_run(sample_copy)
    edit(sample_copy, schema.CAU_HINH.name,
         lambda ws: ws.cell(row_of(ws, 1, "Chủ tịch"), 2, "Lê Thị Mai"))
    rebuilt = rebuilt_after(sample_copy)
    assert set(DOCS) <= rebuilt
    for name in DOCS:
        assert "Lê Thị Mai" in words(out / name), name


def test_a_row_with_a_new_error_leaves_the_report_and_rebuilds_it(sample_copy):
    """Thành phần outside Danh mục is an error: the delegate is no longer counted in the report."""
    out = first_run(sample_copy)
    before = words(out / "bao-cao-ket-qua-HN-2024-06.docx")

    def bad_category(ws):
        col = [c.column for c in ws[1] if c.value == schema.DAI_BIEU.col("thanh_phan")][0]
        hn = [c.column for c in ws[1] if c.value == schema.DAI_BIEU.col("hoi_nghi")][0]
        row = next(r for r in range(2, ws.max_row + 1)
                   if ws.cell(r, hn).value == "HN-2024-06" and ws.cell(r, col).value == schema.CATEGORY_PEOPLE)
        ws.cell(row, col).value = "Khách mời lạ"
    edit(sample_copy, schema.DAI_BIEU.name, bad_category)
    rebuilt = rebuilt_after(sample_copy)
    assert {"index.html", "tong-hop.xlsx", "bao-cao-ket-qua-HN-2024-06.docx"} <= rebuilt
    assert "bao-cao-ket-qua-HN-2024-11.docx" not in rebuilt
    assert words(out / "bao-cao-ket-qua-HN-2024-06.docx") != before


def test_documents_of_a_conference_nothing_changed_in_are_kept_without_making_their_context(sample_copy,
                                                                                             monkeypatch):
    """toolkit.outputs.documents.inputs: Nội dung edited in one petition of HN-2024-11; the reports of
    HN-2024-06 read nothing that changed, so their contexts are not even made."""
    from toolkit.outputs import documents

    out = first_run(sample_copy)

    def new_text(ws):
        conf = [c.column for c in ws[1] if c.value == schema.KIEN_NGHI.col("hoi_nghi")][0]
        text = [c.column for c in ws[1] if c.value == schema.KIEN_NGHI.col("noi_dung")][0]
        row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, conf).value == "HN-2024-11")
        ws.cell(row, text).value = "Đề nghị lắp đèn chiếu sáng ngõ 12 phố Hoa Sen"
    edit(sample_copy, schema.KIEN_NGHI.name, new_text)
    made = []
    real = documents.ketqua_context
    monkeypatch.setattr(documents, "ketqua_context",
                        lambda dataset, summary, conf, **kw: made.append(conf.ma) or real(dataset, summary, conf, **kw))
    rebuilt = rebuilt_after(sample_copy)
    assert made == ["HN-2024-11"]
    assert "bao-cao-ket-qua-HN-2024-11.docx" in rebuilt
    assert "Đề nghị lắp đèn chiếu sáng ngõ 12 phố Hoa Sen" in words(out / "bao-cao-ket-qua-HN-2024-11.docx")
    assert not {"bao-cao-ket-qua-HN-2024-06.docx", "giay-moi-HN-2024-06.docx", "giay-moi-HN-2024-11.docx",
                "thong-bao-HN-2024-06.docx"} & rebuilt
    made.clear()
    assert rebuilt_after(sample_copy) == set() and made == []


def test_slips_of_departments_nothing_changed_for_are_kept_without_making_their_context(sample_copy,
                                                                                      monkeypatch):
    """Nội dung edited in one open petition: only its department's phiếu chuyển is made again."""
    from toolkit.outputs import documents

    out = first_run(sample_copy)
    slips = {p.name for p in out.glob("phieu-chuyen-*.docx")}
    assert len(slips) >= 2
    chosen = {}

    def new_text(ws):
        head = {c.value: c.column for c in ws[1]}
        row = next(r for r in range(2, ws.max_row + 1)
                   if ws.cell(r, head[schema.KIEN_NGHI.col("trang_thai")]).value == "Đang xử lý"
                   and ws.cell(r, head[schema.KIEN_NGHI.col("chu_tri")]).value)
        chosen["dept"] = ws.cell(row, head[schema.KIEN_NGHI.col("chu_tri")]).value
        ws.cell(row, head[schema.KIEN_NGHI.col("noi_dung")]).value = "Đề nghị nạo vét cống thoát nước ngõ 7"
    edit(sample_copy, schema.KIEN_NGHI.name, new_text)
    made = []
    real = documents.phieuchuyen_context
    monkeypatch.setattr(documents, "phieuchuyen_context",
                        lambda dataset, summary, dept, *a, **kw: made.append(dept) or real(dataset, summary, dept,
                                                                                            *a, **kw))
    rebuilt = rebuilt_after(sample_copy)
    assert len(made) == 1 and chosen["dept"] in (made[0].ma, made[0].ten)
    slip = f"phieu-chuyen-{made[0].ma}.docx"
    assert rebuilt & slips == {slip}
    assert "Đề nghị nạo vét cống thoát nước ngõ 7" in words(out / slip)
