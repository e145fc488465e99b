"""The snapshot blob of a version-1 journal (one compressed blob per workbook), read once to migrate.

Schema 1 kept the last version of each workbook as this blob; schema 2 keeps its rows
(``toolkit.journal.versions``). :func:`loads` turns a v1 blob back into a snapshot when
a v1 journal is opened; :func:`dumps` makes one (tests of the migration).
"""

from __future__ import annotations

import json
import zlib

from toolkit.journal.snapshot import SheetSnap, Snapshot

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
