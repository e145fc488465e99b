"""Drive a running LibreOffice through UNO, one JSON command per stdin line.

Run with Debian's /usr/bin/python3 (it has ``import uno``), not the venv:

    /usr/bin/python3 tests/uno_driver.py

Commands (one JSON object per line; one JSON reply per line on stdout):

    {"cmd": "connect", "port": 2002, "timeout": 60}
    {"cmd": "open", "path": "/abs/so.xlsx", "hidden": false}
    {"cmd": "append_row", "sheet": "Kiến nghị", "values": [4, "Hộ 4", "Sửa đường"]}
    {"cmd": "store"}                 # Ctrl+S, the document stays open
    {"cmd": "close"}                 # close the document (the lock goes away)
    {"cmd": "terminate"}             # ask LibreOffice to quit
    {"cmd": "quit"}                  # end this driver

Replies: {"ok": true, ...} or {"ok": false, "error": "..."}.
"""

from __future__ import annotations

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
