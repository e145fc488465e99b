"""The output folder and its fingerprints: only outputs whose inputs changed are rebuilt.

Outputs live in ``ket-qua/<workbook name>/`` beside the workbook (or ``--out``),
never in the workbook. Each output has a fingerprint of its inputs stored in
``.dau-van.json`` in that folder; a pass rebuilds an output only when its
fingerprint changed or its file is gone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import json
from pathlib import Path
from typing import Callable, Iterable

from toolkit.xlsx.atomic import atomic_write
from toolkit.xlsx.names import OUTPUT_FOLDER, output_dir  # noqa: F401 - OUTPUT_FOLDER: watch.runner's name for it
from toolkit.core.errors import OutputError, os_reason

FINGERPRINTS = ".dau-van.json"


def default_out_dir(workbook: Path) -> Path:
    return output_dir(workbook)


def _jsonable(obj):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in obj]
        return sorted(items, key=repr) if isinstance(obj, (set, frozenset)) else items
    if isinstance(obj, (dt.date, dt.time, dt.datetime, Path)):
        return str(obj)
    if isinstance(obj, bytes):
        return hashlib.sha256(obj).hexdigest()
    return obj


def _leaf(obj):
    """json's ``default`` for what it cannot write itself (the fast path of ``fingerprint``):
    one level at a time, json goes down into what this returns."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if isinstance(obj, (set, frozenset)):
        return _jsonable(obj)
    if isinstance(obj, (dt.date, dt.time, dt.datetime, Path)):
        return str(obj)
    if isinstance(obj, bytes):
        return hashlib.sha256(obj).hexdigest()
    return str(obj)


def fingerprint(*parts) -> str:
    """A stable hash of any mix of dataclasses, dicts, lists, dates and bytes.

    Documents' contexts are plain dicts and lists of text and numbers, which json writes
    in C; only what it cannot write goes through ``_jsonable`` (a dict keyed by dates or
    tuples makes json refuse ``sort_keys``: then the whole value goes through it).
    """
    try:
        text = json.dumps(list(parts), ensure_ascii=False, sort_keys=True, default=_leaf)
    except TypeError:
        text = json.dumps(_jsonable(list(parts)), ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def own_garbage():
    """Free what one output leaves behind as soon as it is made.

    A Word document's objects (docxtpl, python-docx and lxml) hold reference cycles, so only
    the cyclic collector frees them. While a large document is built it lives through many young
    collections and reaches the oldest generation, which Python collects only once it has grown
    by a quarter: next to a register of 250,000 rows that almost never happens, and every
    document's tree stayed in memory until the pass ended (+250 MiB per result report at L).
    With the collector paused nothing is promoted, and collecting the youngest generation
    afterwards frees the whole document at the cost of looking at its own objects only.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()


class OutputFolder:
    """Tracks fingerprints of the outputs in one folder."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._file = self.root / FINGERPRINTS
        self._prints: dict[str, str] = {}
        self._files: dict[str, list[str]] = {}
        self._inputs: dict[str, str] = {}      # name -> digest of what its context is made from
        self.rebuilt: list[Path] = []
        self.kept: list[Path] = []
        self.failed: list[str] = []

    def prepare(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".~doithoai-probe.tmp"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OutputError(
                f"Không ghi được vào thư mục kết quả {self.root} ({os_reason(exc)}). "
                "Kiểm tra quyền ghi của thư mục, hoặc chọn thư mục khác bằng --out.",
                code="output-unwritable") from exc
        try:
            saved = json.loads(self._file.read_text(encoding="utf-8"))
            self._prints = dict(saved.get("fingerprints", {}))
            self._files = {k: list(v) for k, v in saved.get("files", {}).items()}
            self._inputs = {k: str(v) for k, v in saved.get("inputs", {}).items()}
        except (OSError, ValueError, AttributeError, TypeError):
            self._prints, self._files, self._inputs = {}, {}, {}

    def unchanged_inputs(self, name: str, inputs: str) -> bool:
        """True (and the files count as kept) when ``name`` was last made from the same ``inputs``
        digest and its files are all there: its context need not even be made."""
        return self._inputs.get(name) == inputs and name in self._prints and self._keep(self.files_of(name))

    def _keep(self, expected: list[Path]) -> bool:
        """True, and the files count as kept, when there are some and all of them are there."""
        if not expected or not all(p.exists() for p in expected):
            return False
        self.kept.extend(expected)
        return True

    def note_inputs(self, name: str, inputs: str) -> None:
        """``name`` is now up to date with ``inputs`` (after ``build`` kept or made it)."""
        if name in self._prints:
            self._inputs[name] = inputs

    def build(self, name: str, inputs_fingerprint: str, make: Callable[[], Iterable[Path] | Path | None],
              expect: Iterable[Path] = ()) -> bool:
        """Run ``make`` unless ``name`` was already built from the same inputs.

        ``expect``: files that must exist for the old build to count.
        Returns True when rebuilt.
        """
        if self._prints.get(name) == inputs_fingerprint and self._keep(list(expect)):
            return False
        with own_garbage():
            made = make()
        if isinstance(made, Path):
            made = [made]
        made = [Path(p) for p in (made or [])]
        self.rebuilt.extend(made)
        self._prints[name] = inputs_fingerprint
        self._files[name] = [p.name for p in made]
        return True

    def files_of(self, name: str) -> list[Path]:
        """The files the last build of ``name`` made (empty: unknown, so rebuild)."""
        return [self.root / n for n in self._files.get(name, [])]

    def forget(self, name: str) -> None:
        self._prints.pop(name, None)
        self._files.pop(name, None)
        self._inputs.pop(name, None)

    def state(self) -> dict:
        """What this folder knows (fingerprints, files, inputs, what was rebuilt or kept): plain data a
        process set aside hands back (``render.render_aside``)."""
        return {"prints": dict(self._prints), "files": {k: list(v) for k, v in self._files.items()},
                "inputs": dict(self._inputs), "rebuilt": list(self.rebuilt), "kept": list(self.kept),
                "failed": list(self.failed)}

    def merge(self, other: dict, base: dict) -> None:
        """Take over what another process did to this folder: ``other`` is its ``state()`` when it
        ended, ``base`` the state both started from. What this object changed meanwhile (the
        dashboard, made here while the process set aside made the rest) stays as it is here."""
        mine = self.state()
        for key in ("prints", "files", "inputs"):
            merged = dict(other[key])
            for name in set(mine[key]) | set(base[key]):
                if mine[key].get(name) != base[key].get(name):
                    if name in mine[key]:
                        merged[name] = mine[key][name]
                    else:
                        merged.pop(name, None)
            mine[key] = merged
        self._prints, self._files, self._inputs = mine["prints"], mine["files"], mine["inputs"]
        for key in ("rebuilt", "kept", "failed"):
            setattr(self, key, other[key] + mine[key][len(base[key]):])

    def save(self) -> None:
        saved = {"fingerprints": self._prints, "files": self._files, "inputs": self._inputs}
        data = json.dumps(saved, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
        atomic_write(self._file, data)
