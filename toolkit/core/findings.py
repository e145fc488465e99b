"""Findings are data (frictionless-style).

Each finding type has a stable kebab-case code, a severity and a Vietnamese
message template. A finding carries its position as the user sees it: sheet,
Excel row (1-based), column header and the cell address. Checks *yield*
findings; a :class:`Report` collects them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from toolkit.core import a1

ERROR = "error"
WARNING = "warning"

SEVERITY_LABEL = {ERROR: "Lỗi", WARNING: "Cảnh báo"}


@dataclass(frozen=True)
class FindingType:
    code: str
    severity: str
    template: str   # str.format template over the finding's fields and ``extra``
    title: str = ""  # short Vietnamese name, for the Lỗi nhập liệu sheet


CATALOGUE: dict[str, FindingType] = {}


def define(code: str, severity: str, template: str, title: str = "") -> FindingType:
    if code in CATALOGUE:
        raise ValueError(f"finding code defined twice: {code}")
    ft = FindingType(code, severity, template, title or code)
    CATALOGUE[code] = ft
    return ft


# --- File level ---------------------------------------------------------------
define("file-not-found", ERROR, "Không tìm thấy tệp {value}. Kiểm tra lại đường dẫn và tên tệp.", "Không tìm thấy tệp")
define("file-unreadable", ERROR, "Không đọc được tệp ({value}). Mở tệp bằng Excel, kiểm tra rồi lưu lại dạng .xlsx.", "Không đọc được tệp")
define("file-not-xlsx", ERROR, "Tệp không phải sổ Excel .xlsx ({value}). Mở bằng Excel rồi chọn Lưu thành (Save As) → Sổ làm việc Excel (.xlsx).", "Không phải tệp .xlsx")
define("file-old-format", ERROR, "Tệp đang ở định dạng cũ {value}. Mở bằng Excel hoặc LibreOffice rồi Lưu thành .xlsx.", "Định dạng cũ")
define("file-encrypted", ERROR, "Tệp được đặt mật khẩu mở. Mở bằng Excel, bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc) rồi lưu lại.", "Tệp có mật khẩu")
define("file-too-large", ERROR, "Tệp quá lớn hoặc bất thường ({value}), có thể bị hỏng hoặc không an toàn. Không xử lý tệp này; hãy kiểm tra nguồn gốc tệp.", "Tệp bất thường")
define("file-busy", ERROR, "Tệp đang được ghi bởi chương trình khác và chưa đọc được sau nhiều lần thử ({value}). Đợi lưu xong rồi chạy lại.", "Tệp đang bận")

# --- Structure ----------------------------------------------------------------
define("sheet-missing", ERROR, "Thiếu sheet '{sheet}'. Thêm sheet này (đúng tên) hoặc tạo sổ mới bằng lệnh doithoai init.", "Thiếu sheet")
define("column-missing", ERROR, "Sheet '{sheet}' thiếu cột bắt buộc '{column}'. Thêm cột có tiêu đề đúng như vậy vào dòng tiêu đề.", "Thiếu cột")
define("column-duplicate", ERROR, "Cột '{column}' xuất hiện hai lần trong sheet '{sheet}' ({value}). Xóa hoặc đổi tên một cột.", "Cột trùng tên")
define("header-not-found", ERROR, "Không tìm thấy dòng tiêu đề trong sheet '{sheet}'. Dòng tiêu đề phải có các cột như {value}.", "Không thấy tiêu đề")
define("config-item-missing", WARNING, "Cấu hình thiếu mục '{value}'; đang dùng giá trị mặc định. Thêm mục này vào sheet Cấu hình nếu muốn đổi.", "Thiếu mục cấu hình")
define("mass-deletion", WARNING, "Lần lưu lúc {when} ({who}) đã xóa {count} dòng ở sheet '{sheet}' (trước đó có {other} dòng). Nếu xóa nhầm, bản trước đó được giữ lại: {value}. Khôi phục bằng lệnh: doithoai restore SỔ.xlsx --backup {value}", "Xóa nhiều dòng cùng lúc")
define("config-invalid", ERROR, "Giá trị cấu hình '{column}' = '{value}' không hợp lệ: {reason}. Sửa ô này trong sheet Cấu hình.", "Cấu hình sai")
define("config-needed-to-sign", WARNING, "Cấu hình chưa ghi '{item}', nên văn bản chưa ký được ({where}). {hint}", "Thiếu thông tin để ký văn bản")

# --- Cell values --------------------------------------------------------------
define("required-missing", ERROR, "Thiếu '{column}'. Điền giá trị vào ô {cell}.", "Thiếu thông tin bắt buộc")
define("value-not-in-list", ERROR, "'{value}' không có trong danh sách {list_name}.{suggestion} Chọn giá trị trong danh sách thả xuống.", "Giá trị ngoài danh sách")
define("date-invalid", ERROR, "'{value}' không phải ngày hợp lệ. Nhập theo dạng ngày/tháng/năm, ví dụ 15/06/2024.", "Ngày sai")
define("date-in-future", WARNING, "Ngày {value} ở tương lai. Kiểm tra lại năm và tháng.", "Ngày ở tương lai")
define("answer-before-receipt", ERROR, "Ngày trả lời {value} trước ngày tiếp nhận {other}. Sửa lại một trong hai ngày.", "Ngày trả lời sai")
define("time-invalid", ERROR, "'{value}' không phải giờ hợp lệ. Nhập dạng giờ:phút, ví dụ 08:00.", "Giờ sai")
define("number-invalid", ERROR, "'{value}' không phải số. Nhập số nguyên, ví dụ 5.", "Không phải số")
define("phone-invalid", WARNING, "Số điện thoại '{value}' không đúng dạng. Nhập 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678) hoặc +84.", "Số điện thoại sai")
define("email-invalid", WARNING, "Email '{value}' không đúng dạng. Kiểm tra lại, ví dụ vanphong@hacau.gov.vn.", "Email sai")
define("bool-invalid", WARNING, "'{value}' không rõ là có hay không. Nhập x (có) hoặc để trống (không).", "Có/không chưa rõ")
define("birth-year-implausible", WARNING, "Năm sinh {value} không hợp lý (tuổi phải từ 18 đến 110). Kiểm tra lại.", "Năm sinh bất thường")
define("excel-error-value", ERROR, "Ô có giá trị lỗi {value} của Excel. Sửa công thức hoặc nhập giá trị trực tiếp.", "Giá trị lỗi Excel")
define("legacy-font-text", WARNING, "Chữ '{value}' có vẻ gõ bằng phông cũ TCVN3/VNI nên bị lỗi dấu. Dùng Unikey chuyển mã sang Unicode rồi dán lại.", "Lỗi phông chữ")
define("far-cell-ignored", WARNING, "Ô {cell} có dữ liệu nhưng nằm quá xa bảng nên không được đọc. Nếu ô này không cần, hãy xóa nó (trong Excel nhấn Ctrl+End để tới ô cuối) rồi lưu lại.", "Ô nằm quá xa bảng")
define("text-too-long", WARNING, "Nội dung dài hơn 32.767 ký tự, phần thừa bị cắt khi xử lý. Rút gọn nội dung ô {cell}.", "Nội dung quá dài")

# --- Business rules -----------------------------------------------------------
define("group-required", ERROR, "Đại biểu thuộc thành phần '{value}' phải có Tổ dân phố. Chọn tổ dân phố ở ô {cell}.", "Thiếu tổ dân phố")
define("delegate-duplicate", ERROR, "'{value}' có hai lần trong hội nghị {other} (trùng với dòng {other_row}). Xóa một dòng.", "Đại biểu trùng")
define("group-quota-low", WARNING, "{value} chỉ có {count} đại biểu Nhân dân ở hội nghị {other}, dưới mức tối thiểu {limit}. Mời thêm đại biểu.", "Thiếu đại biểu")
define("group-quota-high", WARNING, "{value} có {count} đại biểu Nhân dân ở hội nghị {other}, vượt mức tối đa {limit}. Xem lại danh sách.", "Thừa đại biểu")
define("unknown-conference", ERROR, "Hội nghị '{value}' không có trong sheet Hội nghị.{suggestion} Chọn mã hội nghị trong danh sách.", "Hội nghị không tồn tại")
define("unknown-group", ERROR, "Tổ dân phố '{value}' không có trong sheet Tổ dân phố.{suggestion} Chọn trong danh sách.", "Tổ dân phố không tồn tại")
define("unknown-department", ERROR, "Bộ phận '{value}' không có trong sheet Bộ phận.{suggestion} Chọn trong danh sách.", "Bộ phận không tồn tại")
define("duplicate-id", ERROR, "Mã '{value}' bị trùng với dòng {other_row}. Mỗi mã chỉ dùng một lần: xóa mã ở một dòng để phần mềm cấp mã mới.", "Trùng mã")
define("closed-without-answer", ERROR, "Trạng thái '{value}' cần có {other}. Điền vào ô {cell}.", "Thiếu kết quả trả lời")
define("notice-too-late", WARNING, "Thông báo ngày {value} chỉ trước hội nghị {count} ngày; cần ít nhất {limit} ngày. Thông báo sớm hơn.", "Thông báo muộn")
define("petition-route-guess", WARNING,
       "Chưa chắc bộ phận chủ trì ({other}): doithoai chỉ đoán, vì không quy tắc phân công nào chắc chắn "
       "(xem lý do ở cột Căn cứ phân công). Hãy xác nhận: nhập đúng bộ phận vào ô này, hoặc chuyển "
       "Trạng thái sang 'Đang xử lý' khi bộ phận đã nhận.", "Phân công cần xác nhận")
define("petition-overdue", WARNING, "Kiến nghị quá hạn xử lý {count} ngày làm việc (hạn {value}). Bộ phận {other} cần trả lời ngay.", "Quá hạn")
define("no-department-for-petition", WARNING, "Chưa xác định được bộ phận xử lý cho kiến nghị này. Chọn Lĩnh vực hoặc điền Bộ phận chủ trì.", "Chưa giao bộ phận")
# --- Departments' own files (phan-hoi/<sổ>/<Mã bộ phận>.xlsx) ----------------
define("neighbour-copy", WARNING, "Tệp {value} cạnh sổ là bản sao của chính sổ này (có cùng các kiến nghị): doithoai không học cách phân công từ tệp đó. Nếu không cần bản sao này ở đây, chuyển nó sang thư mục khác.", "Bản sao của sổ")
define("neighbour-unreadable", WARNING, "Không đọc được tệp {value} cạnh sổ ({reason}): doithoai không học cách phân công từ tệp đó. Mở tệp bằng Excel để kiểm tra, hoặc chuyển nó sang thư mục khác.", "Tệp cạnh sổ không đọc được")
define("reply-file-unreadable", WARNING, "Không đọc được tệp trả lời {value} ({reason}). Mở tệp bằng Excel, kiểm tra rồi lưu lại; trả lời trong tệp chưa được chép vào sổ.", "Tệp trả lời không đọc được")
define("reply-no-id", ERROR, "Dòng có trả lời nhưng thiếu Mã kiến nghị. Điền mã của kiến nghị được trả lời vào ô {cell}; trả lời chưa được chép vào sổ.", "Trả lời thiếu mã")
define("reply-unknown-petition", ERROR, "Mã kiến nghị '{value}' không có trong sổ.{suggestion} Sửa mã cho đúng; trả lời ở dòng này chưa được chép vào sổ.", "Mã kiến nghị lạ")
define("reply-duplicate-row", ERROR, "Kiến nghị {value} có hai dòng trong tệp (trùng với dòng {other_row}). Xóa dòng thừa; dòng này không được chép vào sổ.", "Dòng trả lời trùng")
define("reply-before-receipt", ERROR, "Ngày trả lời {value} trước ngày tiếp nhận {other}. Sửa lại ngày ở ô {cell}; trả lời chưa được chép vào sổ.", "Ngày trả lời sai")
define("reply-not-assigned", WARNING, "Kiến nghị {value} không còn giao cho bộ phận này nên trả lời ở dòng này không được chép vào sổ. Hỏi Văn phòng nếu bộ phận vẫn phải trả lời.", "Không còn giao")
define("reply-conflict", WARNING, "Sổ ghi '{value}' nhưng {other} trả lời '{reply}' (ô {where}). Sổ giữ giá trị đã nhập; nếu trả lời của bộ phận đúng, xóa ô này trong sổ để phần mềm chép lại.", "Trả lời khác với sổ")
define("answer-no-result", WARNING, "Có ngày hoặc hình thức trả lời nhưng chưa ghi Kết quả trả lời ({value}). Ghi rõ kết quả; kiến nghị chưa được tính là đã trả lời.", "Chưa có kết quả trả lời")
define("answer-too-short", WARNING, "Kết quả trả lời của {value} chỉ có {count} ký tự (tối thiểu {limit}). Ghi rõ đã quyết định gì; kiến nghị chưa được tính là đã trả lời.", "Trả lời quá ngắn")
define("answer-vague", WARNING, "Kết quả trả lời của {value} chỉ có cụm từ chung chung {other}, chưa nói đã quyết định gì, việc tiếp theo hay thời hạn. Ghi rõ hơn; kiến nghị chưa được tính là đã trả lời.", "Trả lời chung chung")
define("answer-no-document-number", WARNING, "Trả lời bằng văn bản của {value} chưa ghi Số văn bản. Điền số văn bản trả lời.", "Thiếu số văn bản")
define("answer-late", WARNING, "{value} trả lời chậm {count} ngày làm việc so với hạn {other}.", "Trả lời chậm")
# --- Công việc (toolkit.rules.tasks) -------------------------------------------------
define("due-invalid", ERROR, "'{value}' không phải ngày hay số ngày so với hội nghị. Ghi một ngày (ví dụ 15/06/2024) hoặc số ngày: -7 (7 ngày trước hội nghị), +10 (10 ngày sau), -5 ngày làm việc.", "Hạn sai")
define("task-due-unknown", WARNING, "Chưa tính được hạn ({value}) vì hội nghị {other} chưa có Ngày tổ chức. Điền Ngày tổ chức ở sheet Hội nghị.", "Chưa tính được hạn")
define("task-no-department", WARNING, "Việc '{value}' chưa có bộ phận làm. Chọn bộ phận ở ô {cell}.", "Việc chưa giao bộ phận")
define("task-overdue", WARNING, "Việc quá hạn {count} ngày (hạn {value}), bộ phận {other} chưa làm xong. Làm xong thì ghi {column} vào ô {cell}.", "Việc quá hạn")
define("task-notice-late", WARNING, "{other} thông báo {value} chỉ trước hội nghị {count} ngày; cần ít nhất {limit} ngày (Cấu hình: Thông báo trước hội nghị), tức chậm nhất ngày {deadline}. Thông báo sớm hơn.", "Thông báo muộn")
define("task-report-late", WARNING, "{other} báo cáo kết quả {value} là {count} ngày sau hội nghị; phải gửi trong {limit} ngày (Cấu hình: Hạn báo cáo kết quả), tức chậm nhất ngày {deadline}. Gửi sớm hơn.", "Báo cáo kết quả muộn")
define("conference-task-missing", WARNING, "Hội nghị {value} chưa có việc {other} trong sheet Công việc. Thêm một dòng: Hội nghị {value}, Công việc «{other}», Hạn {limit}.", "Thiếu việc bắt buộc")
define("rules-empty", WARNING, "Sheet Phân công không có quy tắc nào; mọi kiến nghị được giao cho bộ phận mặc định. Thêm quy tắc hoặc chạy doithoai init để xem mẫu.", "Chưa có quy tắc")


@dataclass(frozen=True)
class Finding:
    code: str
    sheet: str | None = None      # sheet name as staff see it
    row: int | None = None        # Excel row, 1-based
    column: str | None = None     # column header as in the schema
    col: int | None = None        # 1-based column index in the actual sheet
    value: object = None          # the offending value
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def type(self) -> FindingType:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> str:
        return self.type.severity

    @property
    def cell(self) -> str | None:
        if self.row is None or self.col is None:
            return None
        return a1.cell(self.row, self.col)

    @property
    def ref(self) -> str:
        """Where staff look: 'Kiến nghị!G14', 'Kiến nghị!14:14' or the sheet."""
        if self.sheet is None:
            return ""
        return a1.display_ref(self.sheet, self.row, self.col)

    @property
    def message(self) -> str:
        fields = {
            "sheet": self.sheet or "", "row": self.row or "", "column": self.column or "",
            "cell": self.ref or "", "value": "" if self.value is None else self.value,
            "suggestion": "", "other": "", "other_row": "", "count": "", "limit": "",
            "list_name": self.column or "", "reason": "",
        }
        fields.update(self.extra)
        if fields["suggestion"] and not str(fields["suggestion"]).startswith(" "):
            fields["suggestion"] = f" Có phải ý bạn là '{fields['suggestion']}'?"
        try:
            return self.type.template.format(**fields)
        except (KeyError, IndexError, ValueError):  # a template bug must never crash a pass
            return f"{self.type.title}: {fields['value']}"

    def as_dict(self) -> dict:
        value = self.value
        if value is not None and not isinstance(value, (str, int, float, bool)):
            value = str(value)
        return {
            "code": self.code, "severity": self.severity, "sheet": self.sheet,
            "row": self.row, "column": self.column, "cell": self.cell,
            "ref": self.ref or None, "value": value, "message": self.message,
        }


class Report:
    """Collects findings; helpers for counts and one-line tests."""

    def __init__(self, findings: Iterable[Finding] = ()):
        self.findings: list[Finding] = []
        self.extend(findings)

    def add(self, finding: Finding) -> None:
        if finding.code not in CATALOGUE:
            raise KeyError(f"unknown finding code: {finding.code}")
        self.findings.append(finding)

    def extend(self, findings: Iterable[Finding]) -> None:
        for f in findings:
            self.add(f)

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def valid(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {ERROR: len(self.errors), WARNING: len(self.warnings)}

    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def for_sheet(self, sheet: str) -> list[Finding]:
        return [f for f in self.findings if f.sheet == sheet]

    def by_row(self, sheet: str) -> dict[int, list[Finding]]:
        out: dict[int, list[Finding]] = {}
        for f in self.findings:
            if f.sheet == sheet and f.row is not None:
                out.setdefault(f.row, []).append(f)
        return out

    def flatten(self, spec: Iterable[str] = ("sheet", "row", "column", "code")) -> list[list]:
        """``report.flatten(["row", "column", "code"])`` -> [[14, "Nội dung", "required-missing"], ...]."""
        spec = list(spec)
        rows = []
        for f in self.findings:
            d = f.as_dict()
            rows.append([d[k] if k in d else getattr(f, k) for k in spec])
        return rows

    def sorted(self) -> list[Finding]:
        """File-level findings first, then sheets in workbook order, rows, columns."""
        from toolkit.core.schema import ALL_SHEETS

        sheet_order = {s.name: i for i, s in enumerate(ALL_SHEETS)}
        order = {ERROR: 0, WARNING: 1}
        return sorted(self.findings, key=lambda f: (
            -1 if f.sheet is None else sheet_order.get(f.sheet, len(sheet_order)), f.sheet or "",
            f.row or 0, f.col or 0, order[f.severity], f.code))

    def to_json(self) -> str:
        return json.dumps([f.as_dict() for f in self.sorted()], ensure_ascii=False, indent=2)
