"""Drive a running LibreOffice through UNO, one JSON command per stdin line.

Run with Debian's /usr/bin/python3 (it has ``import uno``), not the venv:

    /usr/bin/python3 tests/uno_driver.py

Commands (one JSON object per line; one JSON reply per line on stdout):

    {"cmd": "connect", "port": 2002, "timeout": 60}
    {"cmd": "open", "path": "/abs/so.xlsx", "hidden": false}
    {"cmd": "append_row", "sheet": "Kiến nghị", "values": [4, "Hộ 4", "Sửa đường"]}
    {"cmd": "add_record", "sheet": "Kiến nghị", "key": "Người kiến nghị",
     "values": {"Hội nghị": "HN-2024-11", "Người kiến nghị": "Nguyễn Văn Thử"},
     "dates": {"Ngày tiếp nhận": "2024-11-22"}}
                                     # fill the first row whose "key" column is empty, by header;
                                     # dates are real date cells shown as dd/mm/yyyy
    {"cmd": "store"}                 # Ctrl+S, the document stays open
    {"cmd": "close"}                 # close the document (the lock goes away)
    {"cmd": "terminate"}             # ask LibreOffice to quit
    {"cmd": "quit"}                  # end this driver

Replies: {"ok": true, ...} or {"ok": false, "error": "..."}.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
import traceback

import uno  # noqa: F401  (Debian's python3-uno)
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


class Driver:
    def __init__(self) -> None:
        self.desktop = None
        self.doc = None

    def connect(self, port: int, timeout: float = 60) -> dict:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
        end = time.monotonic() + timeout
        while True:
            try:
                ctx = resolver.resolve(url)
                break
            except NoConnectException:
                if time.monotonic() > end:
                    raise
                time.sleep(0.3)
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        return {}

    def open(self, path: str, hidden: bool = False) -> dict:
        url = uno.systemPathToFileUrl(path)
        self.doc = self.desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", hidden),))
        if self.doc is None:
            raise RuntimeError(f"LibreOffice could not open {path}")
        return {"title": self.doc.Title}

    def append_row(self, sheet: str, values: list) -> dict:
        ws = self.doc.Sheets.getByName(sheet)
        cursor = ws.createCursor()
        cursor.gotoEndOfUsedArea(False)
        row = cursor.RangeAddress.EndRow + 1  # 0-based index of the first empty row
        for col, value in enumerate(values):
            cell = ws.getCellByPosition(col, row)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.setValue(value)
            else:
                cell.setString(str(value))
        return {"row": row + 1}

    def add_record(self, sheet: str, key: str, values: dict, dates: dict | None = None) -> dict:
        ws = self.doc.Sheets.getByName(sheet)
        used = ws.createCursor()
        used.gotoEndOfUsedArea(False)
        last_col = used.RangeAddress.EndColumn
        headers = {ws.getCellByPosition(c, 0).getString().strip(): c for c in range(last_col + 1)}
        missing = [h for h in [key, *values, *(dates or {})] if h not in headers]
        if missing:
            raise KeyError(f"no such headers in {sheet}: {missing}")
        row = 1
        while ws.getCellByPosition(headers[key], row).getType().value != "EMPTY":
            row += 1
        for header, value in values.items():
            cell = ws.getCellByPosition(headers[header], row)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.setValue(value)
            else:
                cell.setString(str(value))
        if dates:
            from com.sun.star.lang import Locale  # type: ignore[import-not-found]

            formats, locale = self.doc.NumberFormats, Locale()
            fmt = formats.queryKey("DD/MM/YYYY", locale, False)
            if fmt == -1:
                fmt = formats.addNew("DD/MM/YYYY", locale)
            for header, iso in dates.items():
                cell = ws.getCellByPosition(headers[header], row)
                serial = (datetime.date.fromisoformat(iso) - datetime.date(1899, 12, 30)).days
                cell.setValue(serial)  # the document's null date is 30/12/1899
                cell.NumberFormat = fmt
        return {"row": row + 1}

    def store(self) -> dict:
        self.doc.store()
        return {}

    def close(self) -> dict:
        if self.doc is not None:
            self.doc.close(True)
            self.doc = None
        return {}

    def terminate(self) -> dict:
        try:
            self.desktop.terminate()
        except Exception:  # the bridge drops as LibreOffice exits
            pass
        return {}


def main() -> int:
    drv = Driver()
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            cmd = msg.pop("cmd")
            if cmd == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return 0
            result = getattr(drv, cmd)(**msg)
            reply = {"ok": True, **result}
        except Exception as exc:  # report, keep serving
            reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                     "trace": traceback.format_exc()}
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
