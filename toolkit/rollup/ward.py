"""One ward's register read for the roll-up: the ward pass's own reading, lightly.

Bytes (``xlsx.reading.read_file_bytes``, the handle closed at once), the same
sniffing (its Vietnamese reasons for a broken, encrypted or old file), then
only the sheets the roll-up needs (Cấu hình, Danh mục, Hội nghị, Tổ dân phố,
Bộ phận, Kiến nghị, Công việc) through ``xlsx.reading.read_tables`` and the
typed records of ``core.records``: a date, a code or a status means what it
means to the ward's own pass. No routing, no write: the file is only read.

What leaves this module carries no personal data (DESIGN.md §11): per
petition only Mã kiến nghị, its Excel row, Hội nghị, dates, Lĩnh vực, Bộ phận
chủ trì, Trạng thái and the predicates' answers; never Người kiến nghị, Tổ
dân phố, Nội dung or the answer's text.

Rows the ward's own summaries leave out are left out of every figure here too
(DESIGN.md §12: a ward's figure equals its own dashboard), and named (cell
addresses only) in the file's problems: a Kiến nghị row with an error, from
reading its cells (a date that is no date, an Excel error value, a required
cell blank) or from the ward's own checks of that sheet
(``rules.checks.check_rows``: a value not in its list, an unknown conference,
group or department, a duplicate code, a closed status without its answer).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core import a1, findings as fnd, records, references, schema, text
from toolkit.core.errors import WorkbookUnreadable
from toolkit.core.model import Dataset
from toolkit.outputs.summaries import NO_FIELD
from toolkit.rollup import predicates, timeline
from toolkit.rules import checks
from toolkit.xlsx import reading

SHEETS = (schema.CAU_HINH, schema.DANH_MUC, schema.HOI_NGHI, schema.TO_DAN_PHO, schema.BO_PHAN, schema.KIEN_NGHI,
          schema.CONG_VIEC)
REQUIRED = (schema.KIEN_NGHI, schema.HOI_NGHI, schema.CAU_HINH)
# Kiến nghị columns a figure reads, and those the ward's own checks read to leave a row out of its
# summary (a required cell blank, a value not in its list, an unknown group or department, a closed
# status without its answer): the roll-up leaves out the rows the ward's dashboard leaves out. A
# citizen's name and text are read only to know whether they are blank; neither is kept.
USED = ("ma", "hoi_nghi", "ngay_tiep_nhan", "linh_vuc", "chu_tri", "han", "trang_thai", "ngay_tra_loi",
        "nguoi_kien_nghi", "noi_dung", "to_dan_pho", "phoi_hop", "hinh_thuc", "ket_qua")
MAX_NAMED_CELLS = 5
READ_ATTEMPTS = 2          # a save in progress gets one more try; a broken file is reported at once


class NotARegister(Exception):
    """The file is readable but is not a ward register the roll-up can use (``reason`` says why and what to do)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class WardRead:
    ward: str
    digest: str
    conferences: list[dict]
    petitions: list[dict]
    problems: list[str] = field(default_factory=list)    # Vietnamese: what was left out, and what to do
    cap_tren: str = ""                                   # Cấu hình "Cơ quan cấp trên" (the province)


def read_bytes(path: Path) -> bytes:
    return reading.read_file_bytes(path, attempts=READ_ATTEMPTS)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def unreadable_reason(exc: WorkbookUnreadable) -> str:
    finding = getattr(exc, "finding", None)
    return finding.message if finding is not None else str(exc)


def read_ward(data: bytes, name: str) -> WardRead:
    """The ward's rows for the store. Raises WorkbookUnreadable (the reader's reasons) or NotARegister."""
    reading.sniff(data, name=name)
    try:
        tables, names, structural = reading.read_tables(data, sheets=SHEETS, ahead=False,
                                                        keep={schema.KIEN_NGHI.key: frozenset(USED)})
    except WorkbookUnreadable:
        raise
    except Exception as exc:   # noqa: BLE001 - calamine refused the file
        raise reading.unreadable("file-unreadable", f"{name}: {type(exc).__name__}") from None
    missing = [s.name for s in REQUIRED if s.key not in tables]
    if missing:
        raise NotARegister(
            f"Không phải sổ đối thoại của phường: thiếu sheet {', '.join(missing)} (hoặc không thấy dòng tiêu đề). "
            "Nếu đây là sổ của phường, mở bằng Excel, đặt lại đúng tên sheet và dòng tiêu đề rồi lưu; "
            "nếu không phải, chuyển tệp ra khỏi thư mục tổng hợp.")
    _only_used_columns(tables[schema.KIEN_NGHI.key])
    dataset, cell_findings = records.build(tables, names)
    ward = _ward_name(dataset)
    problems = [f.message for f in structural
                if f.severity == fnd.ERROR and f.sheet in (schema.KIEN_NGHI.name, schema.HOI_NGHI.name)]
    # The rows the ward's own summary leaves out (toolkit.outputs.summaries): an error on the row, from
    # reading its cells or from the ward's checks of Kiến nghị (which do not depend on the day).
    left_out: dict[int, list[str]] = {}
    row_findings = itertools.chain(cell_findings, checks.check_rows(dataset, schema.KIEN_NGHI.key, today=dt.date.max))
    for f in row_findings:
        if f.sheet == schema.KIEN_NGHI.name and f.severity == fnd.ERROR and f.row:
            left_out.setdefault(f.row, []).append(f"{a1.cell(f.row, f.col) if f.col else f.row} ({f.column})")
    if left_out:
        cells = [c for row in sorted(left_out) for c in left_out[row]]
        named = ", ".join(cells[:MAX_NAMED_CELLS]) + (f" và {len(cells) - MAX_NAMED_CELLS} ô khác"
                                                      if len(cells) > MAX_NAMED_CELLS else "")
        problems.append(f"{len(left_out)} dòng ở sheet Kiến nghị có lỗi ({named}) nên chưa được tính vào tổng hợp, "
                        "như trên trang theo dõi của phường. Mở sổ của phường, sửa các ô này (chạy doithoai check "
                        "để xem chi tiết) rồi lưu lại; lần tổng hợp sau sẽ tính.")
    return WardRead(ward, digest(data), timeline.conference_rows(dataset),
                    _petitions(dataset, set(left_out)), problems,
                    text.clean(dataset.config.co_quan_cap_tren or "", multiline=False))


def _only_used_columns(table) -> None:
    """Type only the Kiến nghị columns a figure reads (the rows are the reader's, all of them): a
    citizen's name or text is never even parsed, and the records cost a third."""
    table.columns = {k: c for k, c in table.columns.items() if k in USED}


def _ward_name(dataset: Dataset) -> str:
    name = text.clean(dataset.config.ten_don_vi or "", multiline=False)
    default = schema.CONFIG_BY_KEY["ten_don_vi"].default
    if not name or text.fold(name) == text.fold(default):
        raise NotARegister(
            "Sổ chưa ghi Tên đơn vị ở sheet Cấu hình nên không biết là của phường nào. "
            "Mở sổ, ghi Tên đơn vị (ví dụ: UBND phường Hà Cầu) ở cột Giá trị rồi lưu lại.")
    return name


def _petitions(dataset: Dataset, left_out: set[int]) -> list[dict]:
    # Lĩnh vực and Trạng thái are already the list's own spelling: records.build resolved them
    # (core.canonical, the ward pass's one reading).
    departments = references.department_names(dataset)
    rows = []
    for p in dataset.petitions:
        if p.row in left_out:
            continue
        conf = references.resolve_conference(dataset, p.hoi_nghi) if p.hoi_nghi else None
        answered = predicates.is_answered(p)
        forwarded = predicates.is_forwarded(p)
        rows.append({
            "ma": p.ma or None, "dong": p.row, "hoi_nghi": conf.ma if conf else (p.hoi_nghi or None),
            "ngay_tiep_nhan": p.ngay_tiep_nhan, "linh_vuc": p.linh_vuc or NO_FIELD,
            "chu_tri": departments.name(p.chu_tri) or None, "trang_thai": p.trang_thai or None,
            "han": p.han, "ngay_tra_loi": p.ngay_tra_loi,
            "answered": answered, "forwarded": forwarded, "open": not answered and not forwarded,
        })
    return rows
