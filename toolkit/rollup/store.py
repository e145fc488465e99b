"""The roll-up's store: one embedded DuckDB file, ``du-lieu.duckdb`` in DIR (DESIGN.md §12).

Tables (no personal data, DESIGN.md §11): ``files`` (each ward file seen:
path relative to FOLDER, SHA-256 of its bytes, the ward, whether it was rolled
up or why not), ``problems`` (what was left out of a file that was rolled up),
``wards`` (file → ward and its higher body), ``conferences`` (dates and legal
periods) and ``petitions`` (ward + Mã kiến nghị, dates, Lĩnh vực, Bộ phận chủ
trì, Trạng thái, the predicates' answers).

Incremental: :meth:`Store.digests` says what each file's bytes were when last
read; the caller reads only files whose digest changed and hands them to
:meth:`Store.update`, which replaces those files' rows, drops the rows of files
that are gone, and reports what it did (:class:`StoreReport`: the read counter
tests rely on). The store is a cache of the ward files: when it is damaged, or
was written by another version of the reading (``predicates.VERSION``,
:data:`SCHEMA`), it is rebuilt from the files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.core.errors import OutputError
from toolkit.rollup import predicates

FILE_NAME = "du-lieu.duckdb"
SCHEMA = "1"

_TABLES = {
    "files": "file VARCHAR PRIMARY KEY, digest VARCHAR, ward VARCHAR, ok BOOLEAN, reason VARCHAR, read_at TIMESTAMP",
    "problems": "file VARCHAR, reason VARCHAR",
    "wards": "file VARCHAR, ward VARCHAR, cap_tren VARCHAR",
    "conferences": ("file VARCHAR, ward VARCHAR, ma VARCHAR, ngay DATE, ngay_thong_bao DATE, han_thong_bao DATE, "
                    "han_bao_cao DATE, ngay_bao_cao DATE, theo_doi_bao_cao BOOLEAN"),
    "petitions": ("file VARCHAR, ward VARCHAR, ma VARCHAR, dong INTEGER, hoi_nghi VARCHAR, ngay_tiep_nhan DATE, "
                  "linh_vuc VARCHAR, chu_tri VARCHAR, trang_thai VARCHAR, han DATE, ngay_tra_loi DATE, "
                  "answered BOOLEAN, forwarded BOOLEAN, open BOOLEAN"),
}
_COLUMNS = {name: [c.split()[0] for c in spec.split(", ")] for name, spec in _TABLES.items()}
DATA_TABLES = ("wards", "conferences", "petitions")
# The fields of a FileResult's rows: each table's columns after file and ward.
FIELDS = {name: tuple(_COLUMNS[name][2:]) for name in ("conferences", "petitions")}


def as_rows(table: str, records: list[dict]) -> list[tuple]:
    """Rows of dicts (as ``toolkit.rollup.ward`` reads them) as the compact tuples a FileResult holds."""
    keys = FIELDS[table]
    return [tuple(r[k] for k in keys) for r in records]


@dataclass
class Skipped:
    """A file not rolled up, or rolled up in part: the reason says why and what to do (Vietnamese)."""

    file: str
    reason: str


@dataclass
class FileResult:
    """What reading one file gave: a ward's rows, or why it was not rolled up."""

    file: str
    digest: str
    ward: str | None = None
    cap_tren: str = ""
    conferences: list[tuple] = field(default_factory=list)   # in the order of :data:`FIELDS` (compact: a
    petitions: list[tuple] = field(default_factory=list)     # nation's 200,000 petitions wait here at once)
    problems: list[str] = field(default_factory=list)
    reason: str | None = None           # set: the file was not rolled up

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass
class StoreReport:
    read: list[str] = field(default_factory=list)        # files whose rows were (re)written
    unchanged: list[str] = field(default_factory=list)   # files not read again: same bytes
    removed: list[str] = field(default_factory=list)     # files gone: their rows dropped
    rebuilt: bool = False                                # the store was started afresh


class Store:
    """``with Store(path) as store:`` — one connection, closed at the end."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.rebuilt = False
        self.con = self._connect()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def _connect(self):
        import duckdb

        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            con = duckdb.connect(str(self.path))
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise OutputError(f"Tệp dữ liệu {self.path.name} đang được một lệnh tổng hợp khác dùng. "
                                  "Đợi lệnh đó chạy xong rồi chạy lại.", code="rollup-store-busy") from None
            con = self._fresh(duckdb)
        except duckdb.Error:
            con = self._fresh(duckdb)
        try:
            stored = dict(con.execute("SELECT key, value FROM meta").fetchall())
        except duckdb.Error:
            stored = {}
        if stored.get("schema") != SCHEMA or stored.get("reading") != predicates.VERSION:
            self._create(con)
        return con

    def _fresh(self, duckdb):
        """A damaged store is a cache: start it again (the ward files are the record)."""
        for p in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                p.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise OutputError(f"Tệp dữ liệu {self.path.name} bị hỏng và không xóa được ({exc}). "
                                  "Xóa tệp này bằng tay rồi chạy lại.", code="rollup-store-damaged") from None
        return duckdb.connect(str(self.path))

    def _create(self, con) -> None:
        self.rebuilt = True
        con.execute("BEGIN")
        for name in ("meta",) + tuple(_TABLES):
            con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT INTO meta VALUES ('schema', ?), ('reading', ?)", [SCHEMA, predicates.VERSION])
        for name, spec in _TABLES.items():
            con.execute(f"CREATE TABLE {name} ({spec})")
        con.execute("COMMIT")

    # --- reading --------------------------------------------------------------------

    def digests(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT file, digest FROM files").fetchall())

    def frame(self, table: str):
        """A table as a pandas DataFrame."""
        return self.con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()

    def files(self):
        return self.con.execute("SELECT file, ward, ok, reason FROM files ORDER BY file").fetchall()

    def problems(self):
        return self.con.execute("SELECT file, reason FROM problems ORDER BY file, reason").fetchall()

    # --- writing ----------------------------------------------------------------------

    def update(self, present: dict[str, str], results: list[FileResult]) -> StoreReport:
        """Replace the rows of ``results``' files and drop those of files not in ``present``
        (file -> digest of every file found now), in one transaction."""
        import pandas as pd

        known = self.digests()
        report = StoreReport(rebuilt=self.rebuilt)
        report.read = [r.file for r in results]
        fresh = set(report.read)
        report.unchanged = sorted(f for f in present if f not in fresh and known.get(f) == present[f])
        report.removed = sorted(f for f in known if f not in present)
        touched = sorted(fresh | set(report.removed))
        now = dt.datetime.now().replace(microsecond=0)
        rows = {
            "files": [{"file": r.file, "digest": r.digest, "ward": r.ward, "ok": r.ok, "reason": r.reason,
                       "read_at": now} for r in results],
            "problems": [{"file": r.file, "reason": p} for r in results for p in r.problems],
            "wards": [{"file": r.file, "ward": r.ward, "cap_tren": r.cap_tren} for r in results if r.ok],
            "conferences": [(r.file, r.ward) + c for r in results if r.ok for c in r.conferences],
            "petitions": [(r.file, r.ward) + p for r in results if r.ok for p in r.petitions],
        }
        con = self.con
        con.execute("BEGIN")
        try:
            if touched:
                con.register("touched_files", pd.DataFrame({"file": touched}))
                for name in _TABLES:
                    con.execute(f"DELETE FROM {name} WHERE file IN (SELECT file FROM touched_files)")
                con.unregister("touched_files")
            for name, data in rows.items():
                if not data:
                    continue
                cols = _COLUMNS[name]
                frame = pd.DataFrame.from_records(data, columns=cols)
                con.register("incoming", frame)
                con.execute(f"INSERT INTO {name} ({', '.join(cols)}) SELECT {', '.join(cols)} FROM incoming")
                con.unregister("incoming")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        con.execute("CHECKPOINT")
        return report

    def export_parquet(self, folder: Path) -> list[Path]:
        """Each data table as Parquet under ``folder``/<table>/, partitioned by province (the wards' "Cơ quan
        cấp trên") and ward, which any engine reads as Hive partitions (DuckDB writes it)."""
        import shutil

        folder = Path(folder)
        made = []
        for name in DATA_TABLES + ("files",):
            target = folder / name
            if target.exists():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            path = str(target).replace("'", "''")
            if name == "files":
                self.con.execute(f"COPY (SELECT file, digest, ward, ok FROM files ORDER BY file) "
                                 f"TO '{path}.parquet' (FORMAT PARQUET)")
                made.append(Path(f"{target}.parquet"))
                continue
            tinh = "COALESCE(NULLIF({}.cap_tren, ''), '(chưa ghi)') AS tinh"
            if name == "wards":
                source = f"SELECT *, {tinh.format('wards')} FROM wards"
            else:
                source = f"SELECT t.*, {tinh.format('w')} FROM {name} t JOIN wards w ON w.file = t.file"
            self.con.execute(f"COPY ({source} ORDER BY ALL) TO '{path}' "
                             "(FORMAT PARQUET, PARTITION_BY (tinh, ward), OVERWRITE_OR_IGNORE)")
            made.append(target)
        return made
