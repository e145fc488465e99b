"""The text of the Hướng dẫn sheet: a Vietnamese guide for ward clerks.

Sheet and column names come from :mod:`toolkit.core.schema`; nothing is spelled
here twice. :func:`guide_lines` returns ``(style, text)`` pairs that
:mod:`toolkit.starter.create` writes one per row.
"""

from __future__ import annotations

import datetime as dt

from toolkit.core import schema, values

TITLE = "title"
HEADING = "heading"
TEXT = "text"
ITEM = "item"
BLANK = "blank"


def _column_flags(col: schema.Column) -> str:
    flags = []
    if col.required:
        flags.append("bắt buộc")
    if col.source:
        flags.append("chọn trong danh sách thả xuống")
    if col.type == schema.DATE:
        flags.append("ngày dạng dd/mm/yyyy")
    if col.type == schema.BOOL:
        flags.append("gõ x nếu có, để trống nếu không")
    if col.owner == schema.FILLED:
        flags.append("để trống thì phần mềm tự điền")
    if col.owner == schema.TOOLKIT:
        flags.append("phần mềm ghi, không cần sửa")
    return f" ({'; '.join(flags)})" if flags else ""


def _sheet_purpose() -> dict[str, str]:
    s = schema
    people = s.CATEGORY_PEOPLE
    return {
        s.CAU_HINH.key: (
            f"Thông tin chung của phường: tên đơn vị, cơ quan cấp trên, địa danh, Chủ tịch, Thư ký, "
            f"số đại biểu tối thiểu/tối đa mỗi tổ, số ngày làm việc để xử lý kiến nghị... "
            f"Chỉ sửa cột '{s.CAU_HINH.col('gia_tri')}', không đổi cột '{s.CAU_HINH.col('muc')}'."),
        s.DANH_MUC.key: (
            "Các danh sách dùng cho ô chọn thả xuống ở các sheet khác. "
            "Muốn thêm một lựa chọn thì gõ vào ô trống cuối cột tương ứng."),
        s.HOI_NGHI.key: (
            "Mỗi hội nghị đối thoại một dòng (thường hai hội nghị mỗi năm). "
            f"'{s.HOI_NGHI.col('ma')}' ngắn gọn, ví dụ HN-2024-06; các sheet khác chọn theo mã này."),
        s.TO_DAN_PHO.key: (
            "Danh sách tổ dân phố của phường. Để trống số đại biểu tối thiểu/tối đa thì dùng giá trị trong "
            f"sheet '{s.CAU_HINH.name}'."),
        s.BO_PHAN.key: "Các bộ phận chuyên môn nhận xử lý kiến nghị, người phụ trách và cách liên hệ.",
        s.PHAN_CONG.key: (
            "Quy tắc giao kiến nghị cho bộ phận: xét theo thứ tự Ưu tiên (số nhỏ trước); khớp theo Lĩnh vực, "
            "hoặc theo từ khóa có trong nội dung kiến nghị. Có thể sửa, thêm quy tắc bất cứ lúc nào."),
        s.DAI_BIEU.key: (
            f"Danh sách đại biểu mời dự từng hội nghị, mỗi người mỗi hội nghị một dòng. "
            f"Đại biểu thuộc thành phần '{people}' phải chọn Tổ dân phố; mỗi tổ cần đủ số đại biểu "
            f"tối thiểu và không quá số tối đa trong mỗi hội nghị."),
        s.KIEN_NGHI.key: (
            "Mỗi kiến nghị của người dân một dòng. Chỉ cần nhập Hội nghị, Ngày tiếp nhận, Người kiến nghị, "
            "Nội dung (và Lĩnh vực nếu biết); phần mềm tự cấp mã, giao bộ phận và tính hạn xử lý. "
            "Khi đã trả lời, cập nhật Trạng thái, Ngày trả lời và Kết quả trả lời."),
        s.CONG_VIEC.key: (
            "Các việc chuẩn bị và sau mỗi hội nghị theo Kế hoạch (mục III), mỗi việc của mỗi hội nghị một dòng. "
            f"'{s.CONG_VIEC.col('han')}' là một ngày, hoặc số ngày so với ngày hội nghị: -7 là 7 ngày trước, +10 là "
            "10 ngày sau (ngày theo lịch); ghi '-5 ngày làm việc' để tính theo ngày làm việc. Phần mềm ghi "
            f"'{s.CONG_VIEC.col('ngay_den_han')}'; đổi ngày hội nghị thì hạn các việc đổi theo. Làm xong việc nào "
            f"thì ghi '{s.CONG_VIEC.col('ngay_hoan_thanh')}'."),
    }


def guide_lines(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The guide, one ``(style, text)`` pair per row."""
    s = schema
    kn, db = s.KIEN_NGHI, s.DAI_BIEU
    check_col = kn.col("kiem_tra")
    basis_col = kn.col("can_cu")
    lines: list[tuple[str, str]] = [
        (TITLE, "SỔ THEO DÕI HỘI NGHỊ ĐỐI THOẠI GIỮA CHỦ TỊCH UBND PHƯỜNG VỚI NHÂN DÂN"),
        (TEXT, "Sổ này dùng chung cho cả năm: danh sách đại biểu, kiến nghị của người dân và việc xử lý kiến nghị. "
               "Cứ mở bằng Excel (hoặc LibreOffice), nhập liệu và bấm Lưu như bình thường."),
    ]
    if today is not None:
        lines.append((TEXT, f"Sổ được tạo ngày {values.date_text(today, with_time=False)} bằng lệnh doithoai init."))
    lines += [
        (BLANK, ""),
        (HEADING, "1. Cách nhập liệu"),
        (ITEM, "• Dòng đầu mỗi sheet là dòng tiêu đề: không đổi tên, không xóa cột. Có thể thêm cột riêng ở bên phải; "
               "phần mềm bỏ qua các cột đó."),
        (ITEM, "• Ô có mũi tên thả xuống: bấm vào ô, chọn trong danh sách thay vì gõ, để tránh sai chính tả. "
               f"Danh sách lấy từ sheet '{s.DANH_MUC.name}', '{s.HOI_NGHI.name}', '{s.TO_DAN_PHO.name}' và "
               f"'{s.BO_PHAN.name}'."),
        (ITEM, "• Ngày nhập theo dạng ngày/tháng/năm, ví dụ 21/06/2024."),
        (ITEM, "• Số điện thoại nhập đủ 10 chữ số bắt đầu bằng 0, ví dụ 0912345678."),
        (ITEM, "• Cột Được mời, Có mặt: gõ x nếu có, để trống nếu không."),
        (ITEM, "• Màu tiêu đề: xanh đậm là cột cán bộ nhập; xanh nhạt là cột phần mềm tự điền khi để trống "
               "(đã gõ tay thì phần mềm giữ nguyên); xám là cột phần mềm ghi."),
        (BLANK, ""),
        (HEADING, "2. Các sheet"),
    ]
    purposes = _sheet_purpose()
    for sh in s.DATA_SHEETS:
        lines.append((ITEM, f"• {sh.name}: {purposes.get(sh.key, sh.note)}"))
        if sh.key in (s.DAI_BIEU.key, s.KIEN_NGHI.key, s.HOI_NGHI.key, s.TO_DAN_PHO.key, s.CONG_VIEC.key):
            for col in sh.columns:
                lines.append((ITEM, f"      – {col.header}{_column_flags(col)}"))
    lines += [
        (BLANK, ""),
        (HEADING, "3. Phần mềm làm gì"),
        (ITEM, f"• Cột '{check_col}' (sheet {db.name}, {kn.name} và {s.CONG_VIEC.name}): ✓ nếu dòng đúng; nếu có lỗi "
               "thì ghi lỗi cần sửa."),
        (ITEM, f"• Cột '{basis_col}' (sheet {kn.name}): vì sao kiến nghị được giao cho bộ phận đó "
               f"(theo quy tắc nào, từ khóa nào, hoặc '{s.MANUAL_BASIS}' nếu cán bộ đã chọn bộ phận)."),
        (ITEM, f"• {kn.col('ma')}, {kn.col('chu_tri')}, {kn.col('phoi_hop')}, {kn.col('han')}, {kn.col('trang_thai')}: "
               "để trống thì phần mềm tự điền; hạn xử lý tính theo ngày làm việc (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết)."),
        (ITEM, f"• Sheet '{s.LOI_NHAP.name}': mọi lỗi nhập liệu, mỗi lỗi một dòng, bấm vào để nhảy tới ô cần sửa."),
        (ITEM, f"• Sheet '{s.TONG_HOP.name}': số liệu tổng hợp theo lĩnh vực, bộ phận, trạng thái, tổ dân phố, "
               "đại biểu có mặt."),
        (ITEM, f"• Sheet '{s.THEO_DOI.name}': kiến nghị chưa trả lời và quá hạn theo từng bộ phận, còn bao nhiêu ngày."),
        (ITEM, "• Ba sheet trên do phần mềm tạo lại mỗi lần chạy: không nhập gì vào đó, mọi sửa đổi sẽ bị thay."),
        (BLANK, ""),
        (HEADING, "4. Chạy phần mềm"),
        (ITEM, "• Kiểm tra lỗi: doithoai check <tên sổ>.xlsx"),
        (ITEM, "• Theo dõi tự động: doithoai watch <thư mục chứa sổ>. Trong khi lệnh này chạy, cứ nhập liệu và "
               "bấm Lưu như bình thường; mỗi lần lưu phần mềm tự kiểm tra, giao bộ phận và làm lại báo cáo. "
               "Nếu sổ đang mở, phần mềm đợi đến khi đóng mới ghi vào sổ."),
        (ITEM, "• Kết quả (bảng tổng hợp, trang theo dõi index.html, báo cáo, giấy mời, phiếu chuyển) nằm trong "
               "thư mục ket-qua/<tên sổ>/ cạnh tệp sổ, không ghi vào sổ."),
        (ITEM, "• Trước khi ghi vào sổ, phần mềm luôn giữ bản sao lưu của lần trước."),
    ]
    return lines
