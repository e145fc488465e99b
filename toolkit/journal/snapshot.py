"""What staff sheets said at one save, compactly, and what changed between two saves.

The journal (``toolkit.journal.store``, docs/ARCHITECTURE.md, "The journal") keeps, for each watched
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

Every sheet of a snapshot gives its rows' *keys* — (Excel row, identity, digest of
its cells: :func:`digest`, BLAKE2b of :func:`encode`) — and the cells of the rows
asked for (``cells(indices)``). The diff pairs rows on keys alone and asks for
cells only where digests differ, so neither side's cell texts are held for all rows:
a sheet from the dataset (:class:`DatasetSheet`) rebuilds a row's cells from the
dataset when asked, the journal's last version (``toolkit.journal.versions``)
fetches them from SQLite; :class:`SheetSnap` holds them (small files, tests).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import io
import json
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
# Cells of a row as stored: "T" + the cells joined by US (no cell holds it), else "J" + JSON.
_US = "\x1f"


def encode(cells: tuple) -> str:
    """A row's cells as one text, decoded exactly by :func:`decode`."""
    if cells:
        try:
            joined = _US.join(cells)
        except TypeError:          # a cell that is not text
            joined = None
        if joined is not None and joined.count(_US) == len(cells) - 1:
            return "T" + joined
    return "J" + json.dumps(list(cells), ensure_ascii=False, separators=(",", ":"))


def decode(stored: str) -> tuple:
    if stored[:1] == "T":
        return tuple(stored[1:].split(_US))
    return tuple(json.loads(stored[1:]))


def digest(encoded: str) -> bytes:
    """A stable digest of a row's encoded cells (BLAKE2b, 16 bytes: the same in every process)."""
    return hashlib.blake2b(encoded.encode("utf-8"), digest_size=16).digest()


Key = tuple[int, "str | None", bytes]    # (Excel row, identity or None, digest of the cells)


@dataclass
class SheetSnap:
    """A sheet with every row's cells in memory."""

    columns: list[str]                                          # headers as staff see them
    # (Excel row, identity or None, cells as text, "" for blank)
    rows: list[tuple[int, str | None, tuple]] = field(default_factory=list)

    def keys(self) -> list[Key]:
        return [(r, k, digest(encode(c))) for r, k, c in self.rows]

    def cells(self, indices) -> dict[int, tuple]:
        return {i: self.rows[i][2] for i in indices}

    def __len__(self) -> int:
        return len(self.rows)


class DatasetSheet:
    """A register sheet as the pass read it (with the toolkit's fills when ``fills``): the keys of
    every row; a row's cells are rebuilt from the dataset when asked."""

    def __init__(self, sheet, table, fills: dict[int, dict[str, object]] | None = None):
        self.sheet_key = sheet.key
        self._table = table
        self._keys_of = [c.key for c in sheet.columns if c.owner != schema.TOOLKIT and c.key in table.columns]
        self.columns = [sheet.col(k) for k in self._keys_of]
        self._ident = [self._keys_of.index(k) for k in IDENTITY.get(sheet.key, ()) if k in self._keys_of]
        self.fills = fills or {}
        self._keys: list[Key] = []

    def _make(self, raw, seen: dict) -> tuple:
        vals = raw.values
        filled = self.fills.get(raw.row) if self.fills else None
        if filled:
            vals = {**vals, **filled}
        return tuple([v if type(v) is str else "" if v is None else _text_of(v, seen)
                      for v in map(vals.get, self._keys_of)])

    def _key(self, row: int, cells: tuple) -> Key:
        key = None
        if self._ident:
            key = _identity([cells[i] for i in self._ident])
            if key and self.sheet_key == schema.DAI_BIEU.key:
                key = _identity([text.clean(cells[i]) if cells[i] else None for i in self._ident])
        return (row, key, digest(encode(cells)))

    def build(self) -> "DatasetSheet":
        seen: dict = {}    # dates and numbers repeat thousands of times: each turned into text once
        self._keys = [self._key(raw.row, self._make(raw, seen)) for raw in self._table.rows]
        return self

    def with_fills(self, fills: dict[int, dict[str, object]]) -> "DatasetSheet":
        """This sheet after the toolkit wrote ``fills`` (row -> column key -> value): only those rows rebuilt."""
        out = DatasetSheet(schema.sheet(self.sheet_key), self._table, dict(self.fills))
        for row, filled in fills.items():
            out.fills[row] = {**out.fills.get(row, {}), **filled}
        out._keys = list(self._keys)
        seen: dict = {}
        for i, raw in enumerate(self._table.rows):
            if raw.row in fills:
                out._keys[i] = out._key(raw.row, out._make(raw, seen))
        return out

    def keys(self) -> list[Key]:
        return self._keys

    def cells(self, indices) -> dict[int, tuple]:
        seen: dict = {}
        rows = self._table.rows
        return {i: self._make(rows[i], seen) for i in indices}

    def __len__(self) -> int:
        return len(self._keys)

    def __eq__(self, other) -> bool:
        if not hasattr(other, "keys") or not hasattr(other, "columns"):
            return NotImplemented
        return self.columns == other.columns and self.keys() == other.keys()

    __hash__ = None


Snapshot = dict   # sheet name -> SheetSnap, DatasetSheet or the journal's stored sheet


def full(snapshot: Snapshot) -> dict[str, SheetSnap]:
    """Every sheet with its cells in memory (tests, small files)."""
    out = {}
    for name, s in snapshot.items():
        keys = s.keys()
        cells = s.cells(range(len(keys)))
        out[name] = SheetSnap(list(s.columns), [(r, k, cells[i]) for i, (r, k, _d) in enumerate(keys)])
    return out


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
    filled: dict[str, dict[int, dict[str, object]]] = {}
    for ch in getattr(plan, "changes", ()) or ():
        filled.setdefault(ch.sheet_key, {}).setdefault(ch.row, {})[ch.column_key] = ch.value
    snap: Snapshot = {}
    for sheet in schema.DATA_SHEETS:
        table = dataset.tables.get(sheet.key)
        if table is None:
            continue
        snap[table.title] = DatasetSheet(sheet, table, filled.get(sheet.key)).build()
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
        if table is None or not isinstance(snapshot.get(table.title), DatasetSheet):
            continue
        out[table.title] = snapshot[table.title].with_fills(fills)
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


def row_count(snap: Snapshot, sheet: str) -> int:
    s = snap.get(sheet)
    return len(s.keys()) if s is not None else 0


# --- comparing ---------------------------------------------------------------------------


def _label(key: str | None, row: int) -> str:
    return key or f"dòng {row}"


def _pair(old: list[Key], new: list[Key]) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Indices of (old row, new row) pairs, then old rows without a pair, new rows without one:
    by identity, then by identical content (equal digests), then by row number."""
    def unique(rows):
        seen: dict[str, int] = {}
        dup: set[str] = set()
        for i, (_r, key, _d) in enumerate(rows):
            if key is None:
                continue
            if key in seen:
                dup.add(key)
            seen[key] = i
        return {k: i for k, i in seen.items() if k not in dup}

    pairs: list[tuple[int, int]] = []
    by_key_new = unique(new)
    used_new: set[int] = set()
    for k, i in sorted(unique(old).items(), key=lambda kv: kv[1]):
        j = by_key_new.get(k)
        if j is not None:
            pairs.append((i, j))
            used_new.add(j)
    del by_key_new
    paired_old = {i for i, _j in pairs}
    left_old = [i for i in range(len(old)) if i not in paired_old]
    left_new = [j for j in range(len(new)) if j not in used_new]
    # Same content (a row without identity moved by a sort or an insert).
    by_content: dict[bytes, list[int]] = {}
    for j in left_new:
        by_content.setdefault(new[j][2], []).append(j)
    still_old = []
    for i in left_old:
        same = by_content.get(old[i][2])
        if same:
            j = same.pop(0)
            pairs.append((i, j))
            used_new.add(j)
        else:
            still_old.append(i)
    left_new = [j for j in left_new if j not in used_new]
    # Same row number (a row edited in place, its identity included).
    new_at = {new[j][0]: j for j in left_new}
    gone = []
    for i in still_old:
        j = new_at.pop(old[i][0], None)
        if j is None:
            gone.append(i)
        else:
            pairs.append((i, j))
            used_new.add(j)
    remaining = set(new_at.values())
    return pairs, gone, [j for j in left_new if j in remaining]


def _in_order(pairs: list[tuple[int, int]], new: list[Key]) -> set[int]:
    """Positions (in ``pairs`` sorted by old row) of the longest run of rows still in the
    same order: every other paired row was moved."""
    seq = [new[j][0] for _i, j in pairs]
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


def _same_places(old: list[Key], new: list[Key]) -> bool:
    """Every old row is in the new sheet at the same row with the same identity, and the rows
    below them are new ones (no identity, or one no old row had): what ``_pair`` would find,
    without its indexes of every row."""
    if len(new) < len(old) or not all(a[0] == b[0] and a[1] == b[1] and a[1] is not None
                                      for a, b in zip(old, new)):
        return False
    if len(new) == len(old):
        return True
    known = {k for _r, k, _d in old}
    below = [k for _r, k, _d in new[len(old):] if k is not None]
    return len(set(below)) == len(below) and known.isdisjoint(below)


def diff_sheet(name: str, old, new) -> list[Change]:
    """The changes of one sheet; ``old`` and ``new`` give keys and, for the rows that differ, cells."""
    out: list[Change] = []
    columns = list(new.columns) + [c for c in old.columns if c not in new.columns]
    old_at = {c: i for i, c in enumerate(old.columns)}
    new_at = {c: i for i, c in enumerate(new.columns)}

    def cells(row: tuple, at: dict[str, int]) -> list[str | None]:
        return [row[at[c]] if c in at and at[c] < len(row) else "" for c in columns]

    same_columns = old.columns == new.columns
    ok, nk = old.keys(), new.keys()
    if _same_places(ok, nk):
        # The usual save: the same rows (by identity) in the same places, some cells edited,
        # perhaps new rows typed below them.
        pairs, gone, added = [(i, i) for i in range(len(ok))], [], list(range(len(ok), len(nk)))
        keep = range(len(pairs))
    else:
        pairs, gone, added = _pair(ok, nk)
        pairs.sort()
        keep = _in_order(pairs, nk)
    edited = [(i, j) for i, j in pairs if not same_columns or ok[i][2] != nk[j][2]]
    old_cells = old.cells(sorted({i for i, _j in edited} | set(gone)))
    new_cells = new.cells(sorted({j for _i, j in edited} | set(added)))
    edited_at = dict(edited)
    for k, (i, j) in enumerate(pairs):
        orow, okey, _od = ok[i]
        nrow, nkey, _nd = nk[j]
        label = _label(nkey or okey, nrow)
        if k not in keep:
            out.append(Change(name, MOVED, label, nrow, orow, None, f"dòng {orow}", f"dòng {nrow}"))
        if edited_at.get(i) != j:
            continue
        ocells, ncells = old_cells[i], new_cells[j]
        if same_columns and ocells == ncells:
            continue
        for c, a, b in zip(columns, cells(ocells, old_at), cells(ncells, new_at)):
            if a != b:
                out.append(Change(name, CHANGED, label, nrow, orow, c, a or None, b or None))
    for i in gone:
        orow, okey, _od = ok[i]
        for c, a in zip(columns, cells(old_cells[i], old_at)):
            if a:
                out.append(Change(name, DELETED, _label(okey, orow), None, orow, c, a, None))
    for j in sorted(added):
        nrow, nkey, _nd = nk[j]
        for c, b in zip(columns, cells(new_cells[j], new_at)):
            if b:
                out.append(Change(name, ADDED, _label(nkey, nrow), nrow, None, c, None, b))
    return out


def diff(old: Snapshot, new: Snapshot) -> list[Change]:
    """Every change from ``old`` to ``new``, sheet by sheet (a sheet that appeared or
    went away: all its rows added or deleted)."""
    out: list[Change] = []
    for name in list(new) + [n for n in old if n not in new]:
        o = old.get(name)
        n = new.get(name)
        if o is None:
            o = SheetSnap(list(n.columns))
        if n is None:
            n = SheetSnap(list(o.columns))
        if o.columns == n.columns and o.keys() == n.keys():
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
