"""Reading a workbook: bytes in memory, safety sniffing, tolerant tables.

Pipeline (``load``): :func:`read_file_bytes` (handle closed at once, retried
while a save is in progress) → :func:`sniff` (refuse what is not a safe .xlsx,
with a finding that says how to fix it) → :func:`read_tables` (python-calamine,
value-only; headers matched tolerantly; rows keep their Excel numbers) →
typed records (``records.Builder``) → business checks (``checks.Validation``).
Kiến nghị, the largest sheet, is parsed on a second thread; the other sheets
are read, typed and checked while it is (calamine does not hold the GIL).

Formula cells: calamine returns a formula's *cached* value. A workbook written
by a library (openpyxl) and never opened in Excel has formulas without a cached
value; calamine gives an empty cell for them. Whenever a sheet's XML contains
a formula (``<f``) or an error cell (``t="e"``) we scan it once with a regular
expression (:mod:`toolkit.xlsx.sheetxml`, which also drops cells far from the table):
formula cells whose ``<v>`` is missing or empty are put in ``RawRow.unknown``
(value ``None``; records and checks skip them: no required-missing, no business
check), and error cells get their error text (``#REF!``…) as value, since
calamine drops error values.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import time
import warnings
import zipfile
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import defusedxml

from toolkit.core import a1, schema, text, values

from toolkit.xlsx import sheetxml, zipcopy
from toolkit.core.values import MEMO_MAX_CHARS, LongText
from toolkit.core.errors import WorkbookUnreadable, os_reason
from toolkit.core.findings import Finding
from toolkit.core.model import RawRow, SheetTable

with warnings.catch_warnings():   # defusedxml imports its deprecated cElementTree shim
    warnings.simplefilter("ignore", DeprecationWarning)
    defusedxml.defuse_stdlib()   # any stdlib XML parser used later refuses entity tricks

# --- Safety caps ---------------------------------------------------------------
MAX_TOTAL_UNCOMPRESSED = 1 << 30          # 1 GiB for all members together
MAX_MEMBER_RATIO = 200                    # compression ratio, for members over RATIO_MIN_SIZE
RATIO_MIN_SIZE = 4 << 20                  # 4 MiB
MAX_MEMBERS = 20_000
_NO_UNKNOWN: frozenset = frozenset()     # RawRow.unknown of the rows that have none
XML_PROLOG_SCAN = 64 << 10                # bytes of each XML part scanned for DOCTYPE/ENTITY
XML_PROLOG_FIRST = 1 << 10                # ... of which this much is read first: enough to see most roots
HEADER_SCAN_ROWS = 15                     # a title block above the header is allowed

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def unreadable(code: str, value: object = None, **extra) -> WorkbookUnreadable:
    finding = Finding(code, value=value, extra=extra)
    exc = WorkbookUnreadable(finding.message, code=code)
    exc.finding = finding
    return exc


# --- 1. Bytes -------------------------------------------------------------------

def _is_truncated_zip(data: bytes) -> bool:
    if not data.startswith(b"PK"):
        return False
    try:
        zipfile.ZipFile(io.BytesIO(data)).close()
    except zipfile.BadZipFile:
        return True
    return False


SAVE_WINDOW_S = 10   # a folder changed this recently may be in the middle of a save


def _save_may_be_in_progress(path: Path) -> bool:
    """Whether a missing ``path`` may reappear: a save (temp file + rename) renames or
    creates entries in its folder, which updates the folder's modification time, and
    Excel/LibreOffice keep a lock file beside a workbook they have open."""
    folder = path.parent
    try:
        changed = folder.stat().st_mtime
    except OSError:
        return False          # no such folder
    if time.time() - changed < SAVE_WINDOW_S:
        return True
    from toolkit.xlsx.locks import is_locked

    return is_locked(path)


def read_file_bytes(path: str | Path, *, attempts: int = 6, first_delay_ms: int = 100,
                    sleep: Callable[[float], None] = time.sleep) -> bytes:
    """All bytes of ``path``; the handle is closed at once.

    Retries with exponential backoff (100 ms, 200 ms, …) on PermissionError,
    a truncated zip, and FileNotFoundError while a save may be in progress:
    Excel and LibreOffice save by temp file + rename, so the file may be
    briefly missing, locked or half written. A file that is simply not there
    (a typo, a wrong folder: nothing changed in its folder lately and no lock
    file) is reported at once.
    """
    path = Path(path)
    if path.is_dir():   # on Windows, opening a folder raises PermissionError (retried as "busy")
        raise unreadable("file-unreadable", f"{path.name} là thư mục, không phải sổ Excel")
    last: WorkbookUnreadable | None = None
    for attempt in range(max(1, attempts)):
        if attempt:
            sleep(first_delay_ms / 1000 * 2 ** (attempt - 1))
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            last = unreadable("file-not-found", str(path))
            if not _save_may_be_in_progress(path):
                break          # a wrong name or folder does not appear by waiting
            continue
        except PermissionError:
            last = unreadable("file-busy", path.name)
            continue
        except IsADirectoryError:
            raise unreadable("file-unreadable", f"{path.name} là thư mục") from None
        except OSError as exc:
            raise unreadable("file-unreadable", f"{path.name}: {os_reason(exc)}") from None
        if _is_truncated_zip(data):
            last = unreadable("file-unreadable", f"{path.name}: tệp zip bị cắt cụt hoặc đang được lưu")
            continue
        return data
    assert last is not None
    raise last


# --- 2. Sniffing ----------------------------------------------------------------

def _sniff_ole(data: bytes) -> WorkbookUnreadable:
    streams: list[str] = []
    encrypted = False
    try:
        import olefile
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = ["/".join(s) for s in ole.listdir(streams=True, storages=False)]
        ole.close()
        encrypted = any(s.endswith("EncryptionInfo") for s in streams)
        if not encrypted:
            import msoffcrypto
            try:
                encrypted = bool(msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted())
            except Exception:   # noqa: BLE001 - an odd OLE file is simply "not encrypted"
                encrypted = False
    except Exception:   # noqa: BLE001 - a broken OLE container
        return unreadable("file-unreadable", "tệp OLE bị hỏng")
    if encrypted:
        return unreadable("file-encrypted")
    if any(s.split("/")[-1] in ("Workbook", "Book") for s in streams):
        return unreadable("file-old-format", ".xls (Excel 97-2003)")
    return unreadable("file-not-xlsx", "tệp Office cũ không phải Excel")


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    try:
        sample = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample = head[:-4].decode("utf-8") if len(head) > 4 else ""
        except UnicodeDecodeError:
            sample = head.decode("cp1252", errors="replace")
    if not sample:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in sample)
    return printable / len(sample) > 0.95


def sniff(data: bytes, *, name: str = "") -> None:
    """Raise WorkbookUnreadable (``.finding`` says why and how to fix) unless ``data`` is a safe .xlsx/.xlsm."""
    label = name or "tệp"
    if not data:
        raise unreadable("file-unreadable", f"{label} rỗng (0 byte)")
    if data.startswith(_OLE_MAGIC):
        raise _sniff_ole(data)
    if not data.startswith(b"PK"):
        head = data[:2048].lstrip(b"\xef\xbb\xbf \r\n\t").lower()
        if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:8192]:
            raise unreadable("file-old-format", "XML Spreadsheet 2003")
        if head.startswith((b"<html", b"<!doctype html", b"<table")) or b"<html" in head[:512]:
            raise unreadable("file-not-xlsx", "trang HTML đổi tên thành .xlsx")
        if _looks_like_text(data):
            raise unreadable("file-not-xlsx", "tệp văn bản/CSV đổi tên thành .xlsx")
        raise unreadable("file-unreadable", f"{label} không phải tệp zip")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise unreadable("file-unreadable", f"{label}: tệp zip bị hỏng hoặc bị cắt cụt") from None
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if "mimetype" in names:
            try:
                mime = zf.read("mimetype")[:200].strip()
            except Exception:   # noqa: BLE001
                mime = b""
            if mime == _ODS_MIME:
                raise unreadable("file-old-format", ".ods (LibreOffice/OpenOffice)")
            if mime.startswith(b"application/vnd.oasis.opendocument"):
                raise unreadable("file-not-xlsx", "tài liệu OpenDocument không phải bảng tính")
        if len(infos) > MAX_MEMBERS:
            raise unreadable("file-too-large", f"{len(infos)} phần trong tệp zip")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_MEMBER_RATIO * max(info.compress_size, 1):
                raise unreadable("file-too-large", f"phần {info.filename} nén bất thường")
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise unreadable("file-too-large", f"giải nén ra {total // (1 << 20)} MB")
        if "xl/workbook.xml" not in names:
            if "xl/workbook.bin" in names:
                raise unreadable("file-not-xlsx", "sổ nhị phân .xlsb")
            if "word/document.xml" in names:
                raise unreadable("file-not-xlsx", "tài liệu Word")
            raise unreadable("file-not-xlsx", "tệp zip không chứa sổ làm việc Excel")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels", ".vml")):
                continue
            try:
                with zf.open(info) as fh:
                    head = fh.read(XML_PROLOG_FIRST)
                    if not _root_begins(head):
                        head += fh.read(XML_PROLOG_SCAN - len(head))
            except Exception:   # noqa: BLE001 - bad CRC, unsupported compression...
                raise unreadable("file-unreadable", f"phần {info.filename} bị hỏng") from None
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise unreadable("file-too-large", f"phần {info.filename} có khai báo DOCTYPE/ENTITY")


def _root_begins(head: bytes) -> bool:
    """True when ``head`` holds a part's whole prolog (a byte order mark, white space, the XML
    declaration, processing instructions, comments) and the start of its root element: then no
    DOCTYPE (nor the ENTITY declarations inside one) can come later, and the rest of the part need
    not be read. One pass, each item ended where XML ends it (no pattern to backtrack)."""
    i = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    n = len(head)
    while i < n:
        if head[i] in b" \t\r\n":
            i += 1
        elif head.startswith(b"<?", i):
            end = head.find(b"?>", i + 2)
            if end < 0:
                return False
            i = end + 2
        elif head.startswith(b"<!--", i):
            end = head.find(b"-->", i + 4)
            if end < 0:
                return False
            i = end + 3
        else:
            return head.startswith(b"<", i) and i + 1 < n and (chr(head[i + 1]).isalpha() or head[i + 1] == 95)
    return False


# --- 3. Tables --------------------------------------------------------------------



_TEXT_TYPES = (schema.TEXT, schema.LONGTEXT, schema.CODE)


def _as_text(v: object) -> object:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, dt.date):
        return values.date_text(v)
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    return v


def normalise(v: object, col_type: str) -> object:
    """A cell value as calamine gives it -> the reader's value (None for blank)."""
    if v is None:
        return None
    if isinstance(v, str):
        multiline = col_type in (schema.LONGTEXT, schema.LIST)
        # calamine itself cuts longer text to Excel's limit: a cell at the limit was cut.
        too_long = len(v) >= text.EXCEL_CELL_MAX
        s = text.clean(v, multiline=multiline)
        if not s:
            return None
        return LongText(s) if too_long else s
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if col_type in (schema.DATE, schema.DUE) and isinstance(v, dt.datetime):
        return v.date()
    if col_type in _TEXT_TYPES:
        return _as_text(v)
    return v


# Sheet names, headers and the short texts above and beside them repeat in every register (a
# roll-up reads thousands): each folded once.
_header_key = functools.lru_cache(maxsize=8192)(text.header_key)


def _match_sheet(names: list[str], sheet: schema.Sheet) -> str | None:
    for name in names:
        if _header_key(name) == sheet.match_key:
            return name
    return None


def _find_header(grid: list[list], r0: int, sheet: schema.Sheet) -> int | None:
    """Index in ``grid`` of the row that matches most schema headers."""
    keys = {c.match_key for c in sheet.columns}
    # A cell much longer than the longest header cannot be one (data rows below a header hold
    # names and long texts: folding each cost a quarter of a small register's read).
    longest = 2 * max(len(c.header) for c in sheet.columns) + 10
    best, best_score = None, 0
    for i, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        score = len({_header_key(v) for v in row if isinstance(v, str) and len(v) <= longest} & keys)
        if score > best_score:
            best, best_score = i, score
            if score == len(keys):
                break           # every header found: no later row can match more
    return best


_MISSING = object()


def _table(sheet: schema.Sheet, title: str, grid: list[list], start: tuple[int, int],
           overrides: dict[tuple[int, int], object], findings: list[Finding],
           memo: dict[str, dict] | None = None, keep: frozenset[str] | None = None) -> SheetTable | None:
    """The sheet's table; ``memo`` (column type -> {text: value}) may be shared between sheets.

    ``keep``, when given, are the only columns whose values a row keeps (see ``read_tables``)."""
    memo = {} if memo is None else memo
    r0, c0 = start
    hi = _find_header(grid, r0, sheet)
    if hi is None:
        required = [c.header for c in sheet.columns if c.required] or [c.header for c in sheet.columns]
        findings.append(Finding("header-not-found", sheet=sheet.name,
                                value=", ".join(f"'{h}'" for h in required[:3])))
        return None
    header_row = r0 + hi + 1
    by_key = {c.match_key: c for c in sheet.columns}
    columns: dict[str, int] = {}
    headers: dict[str, str] = {}
    extra: dict[int, str] = {}
    for j, v in enumerate(grid[hi]):
        col = c0 + j + 1
        typed = text.clean(str(v), multiline=False) if v not in (None, "") else ""
        column = by_key.get(_header_key(typed)) if typed else None
        if column is None:
            if typed:
                extra[col] = typed
            continue
        if column.key in columns:
            first = columns[column.key]
            findings.append(Finding("column-duplicate", sheet=sheet.name, row=header_row,
                                    column=column.header, col=col,
                                    value=f"cột {a1.col_letter(first)} và cột {a1.col_letter(col)}"))
            continue
        columns[column.key] = col
        headers[column.key] = typed
    for column in sheet.columns:
        if column.required and column.key not in columns:
            findings.append(Finding("column-missing", sheet=sheet.name, row=header_row, column=column.header))
    table = SheetTable(sheet=sheet, title=title, header_row=header_row, columns=columns, headers=headers,
                       extra_headers=extra, max_row=r0 + len(grid),
                       max_col=c0 + max((len(r) for r in grid), default=0))
    toolkit_keys = {c.key for c in sheet.toolkit_columns}
    # Per column: key, index in the grid row, whether staff own it, and a memo of
    # text -> normalised value (codes, names, list values and dates typed as text
    # repeat thousands of times; cleaning each once halves the read at 20,000 rows).
    plan = [(key, col - c0 - 1, key not in toolkit_keys, sheet.column(key).type,
             memo.setdefault(sheet.column(key).type, {}))
            for key, col in columns.items()]
    # Columns not in ``keep`` are normalised only while a row is not yet known to be filled (a row
    # of a citizen's name alone is still a row); a filled row's values leave them out.
    lazy = [] if keep is None else [p for p in plan if p[0] not in keep]
    if lazy:
        plan = [p for p in plan if p[0] in keep]
    extra_idx = [col - c0 - 1 for col in extra]
    for i in range(hi + 1, len(grid)):
        cells = grid[i]
        excel_row = r0 + i + 1
        values: dict[str, object] = {}
        filled, unknown = _row_values(plan, cells, excel_row, c0, overrides, values, _NO_UNKNOWN)
        if not filled and lazy:
            filled, unknown = _row_values(lazy, cells, excel_row, c0, overrides, values, unknown)
        if not filled:
            filled = any(cells[j] not in (None, "") for j in extra_idx if j < len(cells))
        if filled:
            table.rows.append(RawRow(excel_row, values, unknown))
        elif any(values.get(k) is not None for k in toolkit_keys):
            table.toolkit_only_rows.append(excel_row)
    return table


def _row_values(plan: list[tuple], cells: list, excel_row: int, c0: int, overrides: dict,
                values: dict[str, object], unknown: set[str] | frozenset) -> tuple[bool, set[str] | frozenset]:
    """Fill ``values`` with the row's cells of the ``plan``'s columns; (whether a staff cell is filled, unknown)."""
    n = len(cells)
    filled = False
    for key, j, staff, col_type, seen in plan:
        raw = cells[j] if j < n else None
        if overrides:
            ov = overrides.get((excel_row, j + c0 + 1))
            if ov is sheetxml.PENDING:
                if unknown is _NO_UNKNOWN:
                    unknown = set()
                unknown.add(key)
                values[key] = None
                filled = True
                continue
            if ov is not None:
                values[key] = ov
                filled = filled or staff
                continue
        if raw is None or raw == "":
            values[key] = None
            continue
        if type(raw) is str and len(raw) <= MEMO_MAX_CHARS:
            value = seen.get(raw, _MISSING)
            if value is _MISSING:
                value = seen[raw] = normalise(raw, col_type)
        else:
            value = normalise(raw, col_type)
        values[key] = value
        if value is not None and staff:
            filled = True
    return filled, unknown


def _grid(wb, title: str) -> tuple[list[list], tuple[int, int]]:
    """One sheet's values (empty area around the table skipped) and the (row, col) of its first cell."""
    cs = wb.get_sheet_by_name(title)
    grid = cs.to_python(skip_empty_area=True)
    return grid, (tuple(cs.start) if grid else (0, 0))


def _grid_apart(data: bytes, title: str) -> tuple[list[list], tuple[int, int]]:
    """``_grid`` with a workbook object of its own (one calamine workbook is not used by two threads)."""
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        return _grid(wb, title)
    finally:
        wb.close()


Meanwhile = Callable[[dict[str, SheetTable], str], None]


def read_tables(data: bytes, *, meanwhile: Meanwhile | None = None, sheets: tuple[schema.Sheet, ...] | None = None,
                ahead: bool = True, keep: dict[str, frozenset[str]] | None = None
                ) -> tuple[dict[str, SheetTable], list[str], list[Finding]]:
    """Every schema data sheet (and the hidden state sheet) as a SheetTable, plus the file's sheet names.

    Structural problems are findings (sheet-missing, header-not-found,
    column-missing, column-duplicate); one sheet's problem never stops the others.

    The largest sheet (Kiến nghị, in a real workbook) is parsed by calamine on a
    second thread as soon as its XML has passed the far-cell scan: calamine does
    not hold the GIL while it parses, so the other sheets are scanned, parsed and
    turned into tables meanwhile (``check`` at 20,000 petitions: −0.25 s).
    ``meanwhile(tables, key)``, when given, is called then with every other
    sheet's table, ``key`` being the sheet still parsed: work that does not
    need that sheet can use the wait.
    ``sheets``, when given, are the only sheets read (the roll-up reads six of a
    register's sheets); the others are neither parsed nor reported missing.
    ``ahead=False``: no second thread (the roll-up reads many small registers in
    worker processes: there the thread costs a quarter of a read).
    ``keep`` (sheet key -> column keys), when given, are the only columns of that sheet whose
    values its rows keep; the others are read only to know whether a row is filled (the
    roll-up's Kiến nghị: no citizen's name or text is cleaned for nothing).
    """
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    zf = None
    try:
        names = list(wb.sheet_names)
        wanted = [(sheet, _match_sheet(names, sheet))
                  for sheet in (sheets if sheets is not None else schema.DATA_SHEETS + (schema.DA_DIEN,))]
        zf = zipfile.ZipFile(io.BytesIO(data))       # one directory read for the scan and the tables
        with ThreadPoolExecutor(max_workers=1) as pool:
            parts = sheetxml.sheet_parts(zf)
            scanned, early, largest = _scan_sheets(zf, parts, [t for _s, t in wanted if t],
                                                   pool if ahead else None, data)
            findings: list[Finding] = []
            if scanned is None:          # cells far from a table: read a copy of the file without them
                try:
                    data, findings = sheetxml.tame_far_cells(data, {t: s for s, t in wanted if t})
                except sheetxml.GridTooLarge as exc:
                    raise unreadable("file-too-large", exc.args[0]) from None
                wb.close()
                wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
                early, largest, scanned = None, None, {}
                zf.close()
                zf = zipfile.ZipFile(io.BytesIO(data))
            tables, per_sheet = _tables(wb, zf, parts, scanned, wanted, early, largest, meanwhile, keep or {})
    finally:
        wb.close()
        if zf is not None:
            zf.close()
    for sheet, _title in wanted:
        findings.extend(per_sheet.get(sheet.key, ()))
    return tables, names, findings


def _scan_sheets(zf: zipfile.ZipFile, parts: dict[str, str], titles: list[str], pool: ThreadPoolExecutor | None,
                 data: bytes) -> tuple[dict[str, bytes] | None, Future | None, str | None]:
    """Far-cell scan of every sheet to read, the largest first, which is then parsed on ``pool``.

    Returns (``sheetxml.cell_overrides`` by part, the parse of the largest sheet, its title),
    or (None, …) when some sheet has cells far from its table.
    """
    def size(title: str) -> int:
        try:
            return zf.getinfo(parts[title]).file_size
        except KeyError:
            return -1

    order = sorted(titles, key=size, reverse=True)
    overrides: dict[str, dict] = {}
    ahead = largest = None
    for i, title in enumerate(order):
        part = parts.get(title)
        try:
            xml = zipcopy.read_member(zf, part) if part else b""
        except KeyError:
            continue
        if sheetxml.too_wide(xml):
            return None, ahead, largest
        if i == 0 and pool is not None:
            largest, ahead = title, pool.submit(_grid_apart, data, title)
        # only what the tables need from the XML is kept: a sheet's XML (hundreds of MB for
        # Kiến nghị at 200,000 rows) is not held while calamine parses it
        overrides[part] = sheetxml.cell_overrides(zf, part, xml)
        del xml
    return overrides, ahead, largest


def _tables(wb, zf: zipfile.ZipFile, parts: dict[str, str], scanned: dict[str, dict],
            wanted: list[tuple[schema.Sheet, str | None]], ahead: Future | None, largest: str | None,
            meanwhile: Meanwhile | None, keep: dict[str, frozenset[str]]
            ) -> tuple[dict[str, SheetTable], dict[str, list[Finding]]]:
    """Tables in schema order; the sheet parsed ahead is taken last, when its parse is most likely done."""
    memo: dict[str, dict] = {}
    per_sheet: dict[str, list[Finding]] = {}
    built: dict[str, SheetTable] = {}
    for sheet, title in sorted(wanted, key=lambda w: w[1] is not None and w[1] == largest):
        found = per_sheet[sheet.key] = []
        if title is None:
            if sheet.required:
                found.append(Finding("sheet-missing", sheet=sheet.name))
            continue
        if title == largest and meanwhile is not None:
            meanwhile({s.key: built[s.key] for s, _t in wanted if s.key in built}, sheet.key)
        try:
            part = parts.get(title)
            overrides = scanned[part] if part in scanned else sheetxml.cell_overrides(zf, part)
            grid, start = ahead.result() if title == largest else _grid(wb, title)
        except Exception as exc:   # noqa: BLE001 - one broken sheet must not hide the others
            found.append(Finding("file-unreadable", sheet=sheet.name, value=f"sheet {title}: {type(exc).__name__}"))
            continue
        table = _table(sheet, title, grid, start, overrides, found, memo, keep.get(sheet.key))
        if sheet is schema.DA_DIEN:
            found.clear()   # the hidden state sheet is the toolkit's business
        if table is not None:
            built[sheet.key] = table
    return {s.key: built[s.key] for s, _t in wanted if s.key in built}, per_sheet


def read_grids(data: bytes, names: list[str]) -> dict[str, list[list]]:
    """Values of whole sheets from A1 (for comparing generated sheets); unreadable ones left out."""
    import python_calamine as pc

    grids: dict[str, list[list]] = {}
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:   # noqa: BLE001 - the caller treats a missing grid as "differs"
        return grids
    try:
        present = {text.sheet_name_key(n): n for n in reversed(wb.sheet_names)}   # as Excel matches names
        for name in names:
            actual = name if name in wb.sheet_names else present.get(text.sheet_name_key(name))
            if actual is not None:
                try:
                    grids[name] = wb.get_sheet_by_name(actual).to_python(skip_empty_area=False)
                except Exception:   # noqa: BLE001
                    continue
    finally:
        wb.close()
    return grids
