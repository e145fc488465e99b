"""What staff sheets said at one save, compactly, and what changed between two saves.

The journal (``toolkit.journal.store``, DESIGN.md §8) keeps, for each watched
workbook, the *typed values* of its staff sheets as text (dates dd/mm/yyyy,
lists joined by "; "): not a copy of the file. :func:`diff` compares two
snapshots row by row, rows matched by their identity (Mã kiến nghị; for a
delegate the name and the conference; a code column on the other sheets),
then by identical content, then by row number. A sort or an inserted row
moves rows without changing them: those are "moved" rows (only the rows a
sort really took out of order, not the ones an inserted row merely pushed
down), never hundreds of changed cells.

A snapshot comes from the dataset a pass already read (:func:`from_dataset`,
no second read of the file) or, for any other watched workbook (department
files, ``phan-hoi/``), from the file's bytes (:func:`from_workbook`).
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import json
import zlib
from dataclasses import dataclass, field

from toolkit.core import schema, text, values

# Kinds of a journal entry.
ADDED, CHANGED, DELETED, MOVED = "added", "changed", "deleted", "moved"
KIND_LABEL = {ADDED: "Thêm dòng", CHANGED: "Sửa ô", DELETED: "Xóa dòng", MOVED: "Chuyển chỗ"}

# The columns that identify a row on each staff sheet of the register.
IDENTITY: dict[str, tuple[str, ...]] = {
    schema.KIEN_NGHI.key: ("ma",),
    schema.DAI_BIEU.key: ("ho_ten", "hoi_nghi"),
    schema.CAU_HINH.key: ("muc",),
    schema.HOI_NGHI.key: ("ma",),
    schema.TO_DAN_PHO.key: ("ma",),
    schema.BO_PHAN.key: ("ma",),
}
# Headers that identify a row in any other workbook (department answer files).
IDENTITY_HEADERS = (schema.KIEN_NGHI.col("ma"),)
FORMAT = 1


@dataclass
class SheetSnap:
    columns: list[str]                                          # headers as staff see them
    # (Excel row, identity or None, cells as text, "" for blank)
    rows: list[tuple[int, str | None, tuple]] = field(default_factory=list)


Snapshot = dict[str, SheetSnap]   # sheet name -> its rows


@dataclass
class Change:
    sheet: str
    kind: str                 # ADDED, CHANGED, DELETED, MOVED
    row_key: str              # the row's identity as shown to staff ("KN-2024-06-001", "dòng 12")
    row: int | None           # Excel row now (None for a deleted row)
    old_row: int | None       # Excel row before (None for an added row)
    column: str | None        # header (None for a moved row)
    old: str | None
    new: str | None


def cell_text(v: object) -> str | None:
    """A typed value as a snapshot keeps it ("" for blank)."""
    if v is None or v == "":
        return ""
    if isinstance(v, bool):
        return "Có" if v else "Không"
    if isinstance(v, dt.datetime):
        return values.date_text(v, with_time=v.time() != dt.time(0))
    if isinstance(v, dt.date):
        return values.date_text(v, with_time=False)
    if isinstance(v, dt.time):
        return v.strftime("%H:%M")
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, (list, tuple, set)):
        return "; ".join(str(x) for x in v)
    return str(v)


def _text_of(v: object, seen: dict) -> str | None:
    key = (type(v), v)
    try:
        return seen[key]
    except KeyError:
        out = seen[key] = cell_text(v)
        return out
    except TypeError:      # a list (unhashable)
        return cell_text(v)


def _identity(parts: list[str | None]) -> str | None:
    if not parts or not parts[0]:
        return None
    return " · ".join(p for p in parts if p)


# --- building ------------------------------------------------------------------------


def from_dataset(dataset, plan=None) -> Snapshot:
    """The register's staff sheets as the pass read them; with ``plan``, as they are
    after the toolkit wrote its fills (the snapshot of its own write-back)."""
    filled: dict[tuple[str, int], dict[str, object]] = {}
    for ch in getattr(plan, "changes", ()) or ():
        filled.setdefault((ch.sheet_key, ch.row), {})[ch.column_key] = ch.value
    snap: Snapshot = {}
    seen: dict = {}    # dates and numbers repeat thousands of times: each turned into text once
    for sheet in schema.DATA_SHEETS:
        table = dataset.tables.get(sheet.key)
        if table is None:
            continue
        keys = [c.key for c in sheet.columns if c.owner != schema.TOOLKIT and c.key in table.columns]
        ident = [keys.index(k) for k in IDENTITY.get(sheet.key, ()) if k in keys]
        snap_sheet = SheetSnap([sheet.col(k) for k in keys])
        for raw in table.rows:
            vals = raw.values
            fills = filled.get((sheet.key, raw.row)) if filled else None
            if fills:
                vals = {**vals, **fills}
            cells = tuple([v if type(v) is str else "" if v is None else _text_of(v, seen)
                           for v in map(vals.get, keys)])
            key = _identity([cells[i] for i in ident]) if ident else None
            if key and sheet.key == schema.DAI_BIEU.key:
                key = _identity([text.clean(cells[i]) if cells[i] else None for i in ident])
            snap_sheet.rows.append((raw.row, key, cells))
        snap[table.title] = snap_sheet
    return snap


def with_fills(snapshot: Snapshot, dataset, plan) -> Snapshot:
    """``snapshot`` (from ``from_dataset(dataset)``) as it is after the toolkit wrote ``plan``'s
    fills: only the rows the plan touches are rebuilt (the same result as ``from_dataset(dataset, plan)``)."""
    by_sheet: dict[str, dict[int, dict[str, object]]] = {}
    for ch in getattr(plan, "changes", ()) or ():
        by_sheet.setdefault(ch.sheet_key, {}).setdefault(ch.row, {})[ch.column_key] = ch.value
    if not by_sheet:
        return snapshot
    out = dict(snapshot)
    for sheet_key, fills in by_sheet.items():
        table = dataset.tables.get(sheet_key)
        if table is None or table.title not in snapshot:
            continue
        sheet = schema.sheet(sheet_key)
        old = snapshot[table.title]
        keys = [c.key for c in sheet.columns if c.owner != schema.TOOLKIT and c.key in table.columns]
        at = {k: i for i, k in enumerate(keys)}
        ident = [at[k] for k in IDENTITY.get(sheet_key, ()) if k in at]
        rows = list(old.rows)
        for i, (row, key, cells) in enumerate(rows):
            filled = fills.get(row)
            if not filled:
                continue
            new_cells = list(cells)
            for k, v in filled.items():
                if k in at:
                    new_cells[at[k]] = cell_text(v)
            new_cells = tuple(new_cells)
            if ident:
                parts = [new_cells[j] for j in ident]
                if sheet_key == schema.DAI_BIEU.key:
                    parts = [text.clean(p) if p else None for p in parts]
                key = _identity(parts)
            rows[i] = (row, key, new_cells)
        out[table.title] = SheetSnap(old.columns, rows)
    return out


def from_workbook(data: bytes, *, identity_headers: tuple[str, ...] = IDENTITY_HEADERS,
                  skip_sheets: tuple[str, ...] = ()) -> Snapshot:
    """Any workbook's sheets (department answer files and the like): the header is the
    first row with two or more text cells; a column named in ``identity_headers``
    identifies rows."""
    import python_calamine as pc

    wanted = {text.header_key(h) for h in identity_headers}
    snap: Snapshot = {}
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    try:
        for name in wb.sheet_names:
            if name in skip_sheets:
                continue
            sheet = wb.get_sheet_by_name(name)
            grid = sheet.to_python(skip_empty_area=True)
            r0 = sheet.start[0] if grid else 0
            head = next((i for i, r in enumerate(grid[:15]) if sum(isinstance(v, str) and v.strip() != ""
                                                                  for v in r) >= 2), None)
            if head is None:
                continue
            columns = [text.clean(str(v)) if v not in (None, "") else "" for v in grid[head]]
            ident = [j for j, h in enumerate(columns) if h and text.header_key(h) in wanted]
            out = SheetSnap(columns)
            for i in range(head + 1, len(grid)):
                cells = tuple(cell_text(text.clean(v) if isinstance(v, str) else v) for v in grid[i])
                cells = cells + ("",) * (len(columns) - len(cells))
                if any(cells):
                    out.rows.append((r0 + i + 1, _identity([cells[j] for j in ident]) if ident else None, cells))
            snap[name] = out
    finally:
        wb.close()
    return snap


# --- storing ----------------------------------------------------------------------------


# Stored as text with separators (much faster than JSON for tens of thousands of rows): cells
# are separated by US, rows by RS, sheets by GS; a blank cell is empty. Staff
# text never holds these control characters (the reader strips them); a sheet where one turns
# up anyway is stored as JSON instead.
_US, _RS, _GS = "\x1f", "\x1e", "\x1d"


def _sheet_text(name: str, s: SheetSnap) -> str:
    """The sheet as separated text, or "" when a separator turns up inside a value."""
    lines = [_US.join([name, *s.columns])]
    lines += [_US.join([str(r), k or "", *cells]) for r, k, cells in s.rows]
    text = _RS.join(lines)
    separators = len(s.columns) + sum(1 + len(cells) for _r, _k, cells in s.rows)
    if text.count(_US) != separators or text.count(_RS) != len(s.rows) or _GS in text:
        return ""
    return text


def dumps(snap: Snapshot) -> bytes:
    parts, as_json = [], {}
    for name, s in snap.items():
        text = _sheet_text(name, s)
        if text and all(len(cells) == len(s.columns) for _r, _k, cells in s.rows):
            parts.append(text)
        else:
            as_json[name] = {"c": s.columns, "r": s.rows}
    payload = "T" + _GS.join(parts) + _GS + json.dumps(as_json, ensure_ascii=False, separators=(",", ":"))
    return zlib.compress(payload.encode("utf-8"), 1)


def _lines(text: str, start: int = 0):
    """``text.split(_RS)`` one line at a time (a sheet of 200,000 rows is not split at once)."""
    while True:
        end = text.find(_RS, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start:end]
        start = end + 1


def _sheet_from_text(text: str) -> tuple[str, SheetSnap]:
    lines = _lines(text)
    head = next(lines).split(_US)
    width = len(head) - 1
    rows = []
    same: dict[str, str] = {}     # dates, statuses, departments repeat: one string each
    for line in lines:
        f = line.split(_US)
        if len(f) != width + 2:
            raise ValueError("bad row")
        rows.append((int(f[0]), f[1] or None, tuple([same.setdefault(c, c) for c in f[2:]])))
    return head[0], SheetSnap(head[1:], rows)


def loads(blob: bytes) -> Snapshot | None:
    """The snapshot, or None when the blob is not one this version understands."""
    try:
        payload = zlib.decompress(blob).decode("utf-8")
        if not payload.startswith("T"):
            return None
        *texts, rest = payload[1:].split(_GS)
        del payload
        snap: Snapshot = {}
        while texts:
            name, sheet = _sheet_from_text(texts.pop(0))     # each sheet's text let go once read
            snap[name] = sheet
        for n, s in json.loads(rest).items():
            snap[n] = SheetSnap(list(s["c"]), [(int(r[0]), r[1], tuple(r[2])) for r in s["r"]])
        return snap
    except (zlib.error, ValueError, KeyError, TypeError, AttributeError, IndexError):
        return None


def row_count(snap: Snapshot, sheet: str) -> int:
    s = snap.get(sheet)
    return len(s.rows) if s else 0


# --- comparing ---------------------------------------------------------------------------


def _label(key: str | None, row: int) -> str:
    return key or f"dòng {row}"


def _pair(old: SheetSnap, new: SheetSnap) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Indices of (old row, new row) pairs, then old rows without a pair, new rows without one."""
    def unique(rows):
        seen: dict[str, int] = {}
        dup: set[str] = set()
        for i, (_r, key, _c) in enumerate(rows):
            if key is None:
                continue
            if key in seen:
                dup.add(key)
            seen[key] = i
        return {k: i for k, i in seen.items() if k not in dup}

    pairs: list[tuple[int, int]] = []
    by_key_new = unique(new.rows)
    used_new: set[int] = set()
    for k, i in sorted(unique(old.rows).items(), key=lambda kv: kv[1]):
        j = by_key_new.get(k)
        if j is not None:
            pairs.append((i, j))
            used_new.add(j)
    paired_old = {i for i, _j in pairs}
    left_old = [i for i in range(len(old.rows)) if i not in paired_old]
    left_new = [j for j in range(len(new.rows)) if j not in used_new]
    # Same content (a row without identity moved by a sort or an insert).
    by_content: dict[tuple, list[int]] = {}
    for j in left_new:
        by_content.setdefault(new.rows[j][2], []).append(j)
    still_old = []
    for i in left_old:
        same = by_content.get(old.rows[i][2])
        if same:
            j = same.pop(0)
            pairs.append((i, j))
            used_new.add(j)
        else:
            still_old.append(i)
    left_new = [j for j in left_new if j not in used_new]
    # Same row number (a row edited in place, its identity included).
    new_at = {new.rows[j][0]: j for j in left_new}
    gone = []
    for i in still_old:
        j = new_at.pop(old.rows[i][0], None)
        if j is None:
            gone.append(i)
        else:
            pairs.append((i, j))
            used_new.add(j)
    remaining = set(new_at.values())
    return pairs, gone, [j for j in left_new if j in remaining]


def _in_order(pairs: list[tuple[int, int]], old: SheetSnap, new: SheetSnap) -> set[int]:
    """Positions (in ``pairs`` sorted by old row) of the longest run of rows still in the
    same order: every other paired row was moved."""
    seq = [new.rows[j][0] for _i, j in pairs]
    tails: list[int] = []
    tail_at: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        p = bisect.bisect_left(tails, v)
        if p == len(tails):
            tails.append(v)
            tail_at.append(k)
        else:
            tails[p] = v
            tail_at[p] = k
        prev[k] = tail_at[p - 1] if p else -1
    keep: set[int] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        keep.add(k)
        k = prev[k]
    return keep


def diff_sheet(name: str, old: SheetSnap, new: SheetSnap) -> list[Change]:
    out: list[Change] = []
    columns = list(new.columns) + [c for c in old.columns if c not in new.columns]
    old_at = {c: i for i, c in enumerate(old.columns)}
    new_at = {c: i for i, c in enumerate(new.columns)}

    def cells(row: tuple, at: dict[str, int]) -> list[str | None]:
        return [row[at[c]] if c in at and at[c] < len(row) else "" for c in columns]

    same_columns = old.columns == new.columns
    if len(old.rows) == len(new.rows) and all(a[0] == b[0] and a[1] == b[1] and a[1] is not None
                                                   for a, b in zip(old.rows, new.rows)):
        # The usual save: the same rows (by identity) in the same places, some cells edited.
        pairs, gone, added = [(i, i) for i in range(len(old.rows))], [], []
        keep = range(len(pairs))
    else:
        pairs, gone, added = _pair(old, new)
        pairs.sort()
        keep = _in_order(pairs, old, new)
    for k, (i, j) in enumerate(pairs):
        orow, okey, ocells = old.rows[i]
        nrow, nkey, ncells = new.rows[j]
        label = _label(nkey or okey, nrow)
        if k not in keep:
            out.append(Change(name, MOVED, label, nrow, orow, None, f"dòng {orow}", f"dòng {nrow}"))
        if same_columns and ocells == ncells:
            continue
        for c, a, b in zip(columns, cells(ocells, old_at), cells(ncells, new_at)):
            if a != b:
                out.append(Change(name, CHANGED, label, nrow, orow, c, a or None, b or None))
    for i in gone:
        orow, okey, ocells = old.rows[i]
        for c, a in zip(columns, cells(ocells, old_at)):
            if a:
                out.append(Change(name, DELETED, _label(okey, orow), None, orow, c, a, None))
    for j in sorted(added):
        nrow, nkey, ncells = new.rows[j]
        for c, b in zip(columns, cells(ncells, new_at)):
            if b:
                out.append(Change(name, ADDED, _label(nkey, nrow), nrow, None, c, None, b))
    return out


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """Every change from ``old`` to ``new``, sheet by sheet (a sheet that appeared or
    went away: all its rows added or deleted)."""
    out: list[Change] = []
    for name in list(new) + [n for n in old if n not in new]:
        o = old.get(name) or SheetSnap(list(new[name].columns) if name in new else [])
        n = new.get(name) or SheetSnap(list(o.columns))
        if o.columns == n.columns and o.rows == n.rows:
            continue
        out.extend(diff_sheet(name, o, n))
    return out


def counts(changes: list[Change]) -> dict[str, int]:
    """Rows added / deleted / moved and cells changed."""
    rows = {ADDED: set(), DELETED: set(), MOVED: set()}
    changed = 0
    for c in changes:
        if c.kind == CHANGED:
            changed += 1
        else:
            rows[c.kind].add((c.sheet, c.row if c.kind != DELETED else c.old_row))
    return {ADDED: len(rows[ADDED]), CHANGED: changed, DELETED: len(rows[DELETED]), MOVED: len(rows[MOVED])}


def deleted_rows(changes: list[Change], sheet: str) -> int:
    return len({c.old_row for c in changes if c.kind == DELETED and c.sheet == sheet})
