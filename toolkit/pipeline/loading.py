"""The whole read of one workbook: bytes, sniffing, sheets (toolkit.xlsx.reading), typed
records (toolkit.core.records) and the business checks (toolkit.rules.checks), with the
checks of every other sheet running while python-calamine parses Kiến nghị."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from toolkit.core import records, schema
from toolkit.core.errors import WorkbookUnreadable
from toolkit.core.findings import Report
from toolkit.core.model import Dataset, SheetTable
from toolkit.rules import checks
from toolkit.xlsx import reading


@dataclass
class Loaded:
    path: Path
    data: bytes
    sha256: str
    dataset: Dataset
    report: Report


def load(path: str | Path, *, today: dt.date | None = None,
         meanwhile: Callable[[Dataset], None] | None = None) -> Loaded:
    """Read, sniff, parse and validate a workbook.

    Raises WorkbookUnreadable only when the file cannot be read at all; every
    other problem is a finding in ``report``. While python-calamine parses
    Kiến nghị (on a second thread), the other sheets are typed and checked, and
    ``meanwhile(dataset)`` is called with the dataset built so far: every sheet
    but the petitions (it is not called when there is no such wait).
    """
    path = Path(path)
    data = reading.read_file_bytes(path)
    reading.sniff(data, name=path.name)
    builder = records.Builder()
    early: list = []          # the Validation started while waiting, or the exception it raised

    def while_parsing(tables: dict[str, SheetTable], pending: str) -> None:
        if pending != schema.KIEN_NGHI.key:
            return
        try:
            dataset = builder.add(tables, pending={pending})
            validation = checks.Validation(dataset, today=today)
            validation.run(pending={pending})
            if meanwhile is not None:
                meanwhile(dataset)
            early.append(validation)
        except Exception as exc:   # noqa: BLE001 - raised below, not taken for an unreadable file
            early.append(exc)

    try:
        tables, names, structural = reading.read_tables(data, meanwhile=while_parsing)
    except WorkbookUnreadable:
        raise
    except Exception as exc:   # noqa: BLE001 - calamine refused the file
        raise reading.unreadable("file-unreadable", f"{path.name}: {type(exc).__name__}") from None
    if early and isinstance(early[0], Exception):
        raise early[0]
    dataset, cell_findings = builder.finish(tables, names)
    validation = early[0] if early else checks.Validation(dataset, today=today)
    report = Report(structural)
    report.extend(cell_findings)
    report.extend(validation.findings())
    return Loaded(path, data, hashlib.sha256(data).hexdigest(), dataset, report)
