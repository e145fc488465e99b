"""Drive a running LibreOffice through UNO, one JSON command per stdin line.

Run with Debian's /usr/bin/python3 (it has ``import uno``), not the venv:

    /usr/bin/python3 tests/uno_driver.py

Commands (one JSON object per line; one JSON reply per line on stdout):

    {"cmd": "connect", "port": 2002, "timeout": 60}
    {"cmd": "open", "path": "/abs/so.xlsx", "hidden": false}
    {"cmd": "open", "path": "/abs/DC.xlsx", "name": "dc"}   # several documents, each in its own window
    {"cmd": "select", "name": "dc"}  # the following commands act on that document
    {"cmd": "follow", "url": "file:///abs/DC.xlsx#'Trả lời'!K4"}   # open a link's URL as a click does
    {"cmd": "append_row", "sheet": "Kiến nghị", "values": [4, "Hộ 4", "Sửa đường"]}
    {"cmd": "add_record", "sheet": "Kiến nghị", "key": "Người kiến nghị",
     "values": {"Hội nghị": "HN-2024-11", "Người kiến nghị": "Nguyễn Văn Thử"},
     "dates": {"Ngày tiếp nhận": "2024-11-22"}}
                                     # fill the first row whose "key" column is empty, by header;
                                     # dates are real date cells shown as dd/mm/yyyy
    {"cmd": "store"}                 # Ctrl+S, the document stays open
    {"cmd": "store_as", "path": "/abs/so.xlsx"}   # Save As .xlsx ("Calc MS Excel 2007 XML")
    {"cmd": "close"}                 # close the document (the lock goes away)

Decorating a document as a clerk would (cells as "A1", ranges as "A1:Q81",
sizes and positions in millimetres):

    {"cmd": "clear", "sheet": "Kiến nghị", "range": "A3:A4"}      # Delete key on cells
    {"cmd": "annotate", "sheet": "Kiến nghị", "cell": "G3", "text": "...", "visible": true}
    {"cmd": "header_footer", "sheet": "Kiến nghị", "header": "...", "footer": "..."}
    {"cmd": "page_setup", "sheet": "Kiến nghị", "landscape": true, "margins_mm": [15, 15, 20, 20],
     "print_area": "A1:Q81", "title_rows": "A1:Q1"}              # margins: left, right, top, bottom
    {"cmd": "conditional_format", "sheet": "Kiến nghị", "range": "F2:F81", "operator": "EQUAL",
     "formula1": "\"Đất đai\"", "style": "Bad"}
    {"cmd": "autofilter", "sheet": "Kiến nghị", "range": "A1:Q81", "column": 1, "equals": "HN-2024-06"}
    {"cmd": "validation", "sheet": "Kiến nghị", "range": "N2:N200", "type": "TEXT_LEN",
     "operator": "LESS_EQUAL", "formula1": "500", "error": "..."}
    {"cmd": "merge", "sheet": "Kiến nghị", "range": "O5:O6"}
    {"cmd": "hide_column", "sheet": "Kiến nghị", "column": "H"}
    {"cmd": "optimal_heights", "sheet": "Tổ dân phố"}             # rows at automatic height
    {"cmd": "view", "sheet": "Kiến nghị", "freeze": [2, 1], "zoom": 85}   # needs a window
    {"cmd": "new_sheet", "name": "Thống kê", "position": 9}
    {"cmd": "set_cells", "sheet": "Thống kê", "cells": {"A1": "Bộ phận", "B2": "=COUNTIF(...)"}}
    {"cmd": "define_name", "name": "MaKienNghi", "content": "$'Kiến nghị'.$A$2:$A$500"}
    {"cmd": "hyperlink", "sheet": "Thống kê", "cell": "A12", "url": "https://...", "text": "..."}
    {"cmd": "chart", "sheet": "Thống kê", "name": "BieuDo", "range": "A1:B8", "at": "D2",
     "size_mm": [120, 70]}
    {"cmd": "picture", "sheet": "Kiến nghị", "path": "/abs/logo.png", "at": "S2", "size_mm": [30, 20]}
    {"cmd": "text_box", "sheet": "Kiến nghị", "text": "...", "at": "S8", "size_mm": [60, 25]}
    {"cmd": "rectangle", "sheet": "Kiến nghị", "text": "...", "at": "S14", "size_mm": [40, 15]}
    {"cmd": "protect", "sheet": "Cấu hình", "password": "123"}
    {"cmd": "sort", "sheet": "Kiến nghị", "range": "A2:Q81", "by": 3}   # 0-based column in range
    {"cmd": "delete_rows", "sheet": "Kiến nghị", "row": 10, "count": 1}  # 1-based row
    {"cmd": "describe", "sheets": ["Kiến nghị"], "probes": {"Kiến nghị": ["N2"]},
     "view_sheets": ["Kiến nghị"], "recalc": true}   # what LibreOffice shows: see Driver.describe
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
        self.ctx = None
        self.desktop = None
        self.doc = None
        self.docs: dict = {}

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
        self.ctx = ctx
        self.desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        return {}

    def open(self, path: str, hidden: bool = False, name: str | None = None) -> dict:
        url = uno.systemPathToFileUrl(path)
        self.doc = self.desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", hidden),))
        if self.doc is None:
            raise RuntimeError(f"LibreOffice could not open {path}")
        if name:
            self.docs[name] = self.doc
        return {"title": self.doc.Title}

    def follow(self, url: str, name: str | None = None) -> dict:
        """Open a hyperlink's URL as a click does (a "#mark" is the place to jump to); the sheet and
        cell LibreOffice then shows."""
        self.doc = self.desktop.loadComponentFromURL(url, "_blank", 0, ())
        if self.doc is None:
            raise RuntimeError(f"LibreOffice could not open {url}")
        if name:
            self.docs[name] = self.doc
        ctrl = self.doc.getCurrentController()
        cell = ctrl.getSelection().getCellAddress() if hasattr(ctrl.getSelection(), "getCellAddress") else None
        where = ctrl.getSelection().getRangeAddress()
        return {"sheet": ctrl.getActiveSheet().getName(), "row": where.StartRow + 1, "col": where.StartColumn + 1,
                "cell": bool(cell)}

    def select(self, name: str) -> dict:
        self.doc = self.docs[name]
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

    def store_as(self, path: str, filter: str = "Calc MS Excel 2007 XML") -> dict:
        self.doc.storeAsURL(uno.systemPathToFileUrl(path), (prop("FilterName", filter),))
        return {}

    def close(self) -> dict:
        if self.doc is not None:
            self.doc.close(True)
            self.docs = {k: d for k, d in self.docs.items() if d is not self.doc}
            self.doc = None
        return {}

    # -- decorating, as a clerk would -------------------------------------------
    def _sheet(self, name: str):
        return self.doc.Sheets.getByName(name)

    def _page_style(self, ws):
        return self.doc.StyleFamilies.getByName("PageStyles").getByName(ws.PageStyle)

    def clear(self, sheet: str, range: str) -> dict:
        from com.sun.star.sheet.CellFlags import (  # type: ignore[import-not-found]
            DATETIME, FORMULA, STRING, VALUE)
        self._sheet(sheet).getCellRangeByName(range).clearContents(VALUE | DATETIME | STRING | FORMULA)
        return {}

    def set_cells(self, sheet: str, cells: dict) -> dict:
        ws = self._sheet(sheet)
        for ref, value in cells.items():
            cell = ws.getCellRangeByName(ref)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.setValue(value)
            elif str(value).startswith("="):
                cell.setFormula(str(value))
            else:
                cell.setString(str(value))
        return {}

    def annotate(self, sheet: str, cell: str, text: str, visible: bool = True) -> dict:
        ws = self._sheet(sheet)
        target = ws.getCellRangeByName(cell)
        ws.Annotations.insertNew(target.CellAddress, text)
        target.Annotation.setIsVisible(visible)
        return {}

    def header_footer(self, sheet: str, header: str | None = None, footer: str | None = None) -> dict:
        style = self._page_style(self._sheet(sheet))
        for text, on, content in ((header, "HeaderIsOn", "RightPageHeaderContent"),
                                  (footer, "FooterIsOn", "RightPageFooterContent")):
            if text is None:
                continue
            style.setPropertyValue(on, True)
            hf = style.getPropertyValue(content)
            hf.CenterText.setString(text)
            style.setPropertyValue(content, hf)
        return {"page_style": style.Name}

    def page_setup(self, sheet: str, landscape: bool | None = None, margins_mm: list | None = None,
                   print_area: str | None = None, title_rows: str | None = None) -> dict:
        ws = self._sheet(sheet)
        style = self._page_style(ws)
        if landscape is not None:
            w, h = 21000, 29700  # A4, 1/100 mm
            style.IsLandscape = landscape
            style.Width, style.Height = (h, w) if landscape else (w, h)
        if margins_mm:
            left, right, top, bottom = (int(m * 100) for m in margins_mm)
            style.LeftMargin, style.RightMargin, style.TopMargin, style.BottomMargin = left, right, top, bottom
        if print_area:
            ws.setPrintAreas((ws.getCellRangeByName(print_area).RangeAddress,))
        if title_rows:
            ws.setTitleRows(ws.getCellRangeByName(title_rows).RangeAddress)
            ws.setPrintTitleRows(True)
        return {"page_style": style.Name}

    def conditional_format(self, sheet: str, range: str, operator: str, formula1: str, style: str) -> dict:
        rng = self._sheet(sheet).getCellRangeByName(range)
        entries = rng.ConditionalFormat
        entries.addNew((prop("Operator", uno.Enum("com.sun.star.sheet.ConditionOperator", operator)),
                        prop("Formula1", formula1), prop("StyleName", style)))
        rng.ConditionalFormat = entries
        return {}

    def autofilter(self, sheet: str, range: str, column: int | None = None, equals: str | None = None) -> dict:
        """Autofilter buttons on ``range``; with ``column`` (0-based in the range) and
        ``equals``, a filter applied too (rows not matching are hidden)."""
        from com.sun.star.sheet import TableFilterField  # type: ignore[import-not-found]
        ws = self._sheet(sheet)
        unnamed = self.doc.getPropertyValue("UnnamedDatabaseRanges")
        unnamed.setByTable(ws.getCellRangeByName(range).RangeAddress)
        db = unnamed.getByTable(self._index(sheet))
        db.AutoFilter = True
        if column is not None:
            field = TableFilterField()
            field.Field, field.IsNumeric, field.StringValue = column, False, equals
            field.Operator = uno.Enum("com.sun.star.sheet.FilterOperator", "EQUAL")
            rng = ws.getCellRangeByName(range)
            desc = rng.createFilterDescriptor(True)
            desc.ContainsHeader = True
            desc.setFilterFields((field,))
            rng.filter(desc)
        return {}

    def _index(self, sheet: str) -> int:
        return list(self.doc.Sheets.ElementNames).index(sheet)

    def validation(self, sheet: str, range: str, type: str, formula1: str, operator: str = "NONE",
                   error: str = "") -> dict:
        rng = self._sheet(sheet).getCellRangeByName(range)
        v = rng.Validation
        v.Type = uno.Enum("com.sun.star.sheet.ValidationType", type)
        v.setOperator(uno.Enum("com.sun.star.sheet.ConditionOperator", operator))
        v.setFormula1(formula1)
        if error:
            v.ShowErrorMessage = True
            v.ErrorMessage = error
        rng.Validation = v
        return {}

    def merge(self, sheet: str, range: str) -> dict:
        self._sheet(sheet).getCellRangeByName(range).merge(True)
        return {}

    def hide_column(self, sheet: str, column: str) -> dict:
        ws = self._sheet(sheet)
        ws.Columns.getByName(column).IsVisible = False
        return {}

    def _used(self, ws):
        cursor = ws.createCursor()
        cursor.gotoEndOfUsedArea(False)
        return cursor.RangeAddress.EndColumn, cursor.RangeAddress.EndRow

    def optimal_heights(self, sheet: str) -> dict:
        ws = self._sheet(sheet)
        last_col, last_row = self._used(ws)
        ws.getCellRangeByPosition(0, 0, last_col, last_row).Rows.OptimalHeight = True
        return {"rows": last_row + 1}

    def view(self, sheet: str, freeze: list | None = None, zoom: int | None = None) -> dict:
        ctl = self.doc.CurrentController
        ctl.setActiveSheet(self._sheet(sheet))
        if freeze:
            ctl.freezeAtPosition(int(freeze[0]), int(freeze[1]))
        if zoom:
            ctl.ZoomType = 3  # com.sun.star.view.DocumentZoomType.BY_VALUE
            ctl.ZoomValue = int(zoom)
        return {}

    def new_sheet(self, name: str, position: int) -> dict:
        self.doc.Sheets.insertNewByName(name, position)
        return {}

    def define_name(self, name: str, content: str) -> dict:
        from com.sun.star.table import CellAddress  # type: ignore[import-not-found]
        self.doc.NamedRanges.addNewByName(name, content, CellAddress(0, 0, 0), 0)
        return {}

    def hyperlink(self, sheet: str, cell: str, url: str, text: str) -> dict:
        target = self._sheet(sheet).getCellRangeByName(cell)
        field = self.doc.createInstance("com.sun.star.text.TextField.URL")
        field.URL, field.Representation = url, text
        target.setString("")
        text_obj = target.getText()
        text_obj.insertTextContent(text_obj.createTextCursor(), field, False)
        return {}

    def _place(self, ws, shape, at: str, size_mm: list) -> None:
        from com.sun.star.awt import Size  # type: ignore[import-not-found]
        cell = ws.getCellRangeByName(at)
        ws.DrawPage.add(shape)
        shape.setSize(Size(int(size_mm[0] * 100), int(size_mm[1] * 100)))
        shape.setPosition(cell.Position)
        shape.Anchor = cell

    def chart(self, sheet: str, name: str, range: str, at: str, size_mm: list) -> dict:
        from com.sun.star.awt import Rectangle  # type: ignore[import-not-found]
        ws = self._sheet(sheet)
        pos = ws.getCellRangeByName(at).Position
        rect = Rectangle(pos.X, pos.Y, int(size_mm[0] * 100), int(size_mm[1] * 100))
        ws.Charts.addNewByName(name, rect, (ws.getCellRangeByName(range).RangeAddress,), True, True)
        return {}

    def picture(self, sheet: str, path: str, at: str, size_mm: list) -> dict:
        provider = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.graphic.GraphicProvider",
                                                                     self.ctx)
        graphic = provider.queryGraphic((prop("URL", uno.systemPathToFileUrl(path)),))
        ws = self._sheet(sheet)
        shape = self.doc.createInstance("com.sun.star.drawing.GraphicObjectShape")
        self._place(ws, shape, at, size_mm)
        shape.Graphic = graphic
        shape.Name = "Ảnh " + at
        return {}

    def text_box(self, sheet: str, text: str, at: str, size_mm: list) -> dict:
        ws = self._sheet(sheet)
        shape = self.doc.createInstance("com.sun.star.drawing.TextShape")
        self._place(ws, shape, at, size_mm)
        shape.setString(text)
        shape.Name = "Hộp văn bản " + at
        return {}

    def rectangle(self, sheet: str, text: str, at: str, size_mm: list) -> dict:
        ws = self._sheet(sheet)
        shape = self.doc.createInstance("com.sun.star.drawing.RectangleShape")
        self._place(ws, shape, at, size_mm)
        shape.setString(text)
        shape.FillColor = 0xFFF2CC
        shape.Name = "Hình chữ nhật " + at
        return {}

    def protect(self, sheet: str, password: str = "") -> dict:
        self._sheet(sheet).protect(password)
        return {}

    def sort(self, sheet: str, range: str, by: int, ascending: bool = True) -> dict:
        from com.sun.star.table import TableSortField  # type: ignore[import-not-found]
        rng = self._sheet(sheet).getCellRangeByName(range)
        field = TableSortField()
        field.Field, field.IsAscending, field.IsCaseSensitive = by, ascending, False
        desc = list(rng.createSortDescriptor())
        for p in desc:
            if p.Name == "SortFields":
                p.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
            elif p.Name == "ContainsHeader":
                p.Value = False
        uno.invoke(rng, "sort", (tuple(desc),))
        return {}

    def insert_rows(self, sheet: str, row: int, count: int = 1) -> dict:
        self._sheet(sheet).Rows.insertByIndex(row - 1, count)
        return {}

    def delete_rows(self, sheet: str, row: int, count: int = 1) -> dict:
        self._sheet(sheet).Rows.removeByIndex(row - 1, count)
        return {}

    # -- reading back what LibreOffice shows ---------------------------------------
    def describe(self, sheets: list | None = None, probes: dict | None = None,
                 view_sheets: list | None = None, recalc: bool = False) -> dict:
        """What a clerk sees of the open document, as plain JSON.

        Workbook: sheet names and visibility, defined names, autofilters, the
        active sheet. Per sheet in ``sheets``: protection, page style (header and
        footer text, orientation, paper, margins, scale), print areas and title
        rows, annotations (cell, text, shown, box size), drawing objects (kind,
        name, position, size, text, picture pixels, anchor), charts (ranges and
        type), conditional formats, merged areas, columns (width, hidden), rows
        (automatic height, height, hidden), and the cell texts of the used area.
        Per probe cell: formula, value, text, validation, hyperlinks.
        Per sheet in ``view_sheets``: frozen panes and zoom (needs a window).
        With ``recalc``, last of all: every formula recalculated (Ctrl+Shift+F9)
        and the probes' values again, as "recalculated".
        """
        out: dict = {"sheets": [], "names": {}, "autofilters": {}, "per_sheet": {}, "probes": {}, "views": {}}
        names = list(self.doc.Sheets.ElementNames)
        for i, name in enumerate(names):
            ws = self._sheet(name)
            out["sheets"].append([name, bool(ws.IsVisible)])
            unnamed = self.doc.getPropertyValue("UnnamedDatabaseRanges")
            if unnamed.hasByTable(i):
                db = unnamed.getByTable(i)
                if db.AutoFilter:
                    fields = [[f.Field, f.Operator.value, f.StringValue]
                              for f in db.getFilterDescriptor().getFilterFields()]
                    out["autofilters"][name] = [ws.getCellRangeByPosition(
                        db.DataArea.StartColumn, db.DataArea.StartRow,
                        db.DataArea.EndColumn, db.DataArea.EndRow).AbsoluteName, fields]
        nr = self.doc.NamedRanges
        for n in nr.ElementNames:
            out["names"][n] = nr.getByName(n).Content
        for n in self.doc.DatabaseRanges.ElementNames:
            db = self.doc.DatabaseRanges.getByName(n)
            out["names"]["db:" + n] = [db.AutoFilter, str(db.DataArea.StartRow), str(db.DataArea.EndRow)]
        for name in sheets or []:
            out["per_sheet"][name] = self._describe_sheet(self._sheet(name))
        for name, cells in (probes or {}).items():
            ws = self._sheet(name)
            out["probes"][name] = {ref: self._probe(ws.getCellRangeByName(ref)) for ref in cells}
        ctl = self.doc.CurrentController
        out["active_sheet"] = ctl.ActiveSheet.Name if ctl is not None else None
        if ctl is not None and view_sheets:
            active = ctl.ActiveSheet
            for name in view_sheets:
                ctl.setActiveSheet(self._sheet(name))
                out["views"][name] = {"frozen": bool(ctl.hasFrozenPanes()),
                                      "split_column": ctl.getSplitColumn(), "split_row": ctl.getSplitRow(),
                                      "zoom": ctl.ZoomValue}
            ctl.setActiveSheet(active)
        if recalc:
            self.doc.calculateAll()
            out["recalculated"] = {name: {ref: self._sheet(name).getCellRangeByName(ref).getValue() for ref in cells}
                                   for name, cells in (probes or {}).items()}
        return out

    def _describe_sheet(self, ws) -> dict:
        last_col, last_row = self._used(ws)
        style = self._page_style(ws)

        def hf(content: str) -> list:
            c = style.getPropertyValue(content)
            return [c.LeftText.getString(), c.CenterText.getString(), c.RightText.getString()]

        page = {k: style.getPropertyValue(k) for k in (
            "HeaderIsOn", "FooterIsOn", "IsLandscape", "Width", "Height", "LeftMargin", "RightMargin",
            "TopMargin", "BottomMargin", "PageScale", "ScaleToPagesX", "ScaleToPagesY", "CenterHorizontally")}
        page["header"] = hf("RightPageHeaderContent") if page["HeaderIsOn"] else None
        page["footer"] = hf("RightPageFooterContent") if page["FooterIsOn"] else None

        def area(a) -> str:
            return ws.getCellRangeByPosition(a.StartColumn, a.StartRow, a.EndColumn, a.EndRow).AbsoluteName

        notes = []
        for a in ws.Annotations:
            shape = a.AnnotationShape
            notes.append({"cell": ws.getCellByPosition(a.Position.Column, a.Position.Row).AbsoluteName,
                          "text": a.String, "shown": bool(a.IsVisible),
                          "size": [shape.Size.Width, shape.Size.Height]})
        shapes = []
        for j in range(ws.DrawPage.Count):
            s = ws.DrawPage.getByIndex(j)
            item = {"type": s.ShapeType, "name": s.Name, "pos": [s.Position.X, s.Position.Y],
                    "size": [s.Size.Width, s.Size.Height]}
            if s.supportsService("com.sun.star.drawing.Text"):
                item["text"] = s.getString()
            if s.ShapeType == "com.sun.star.drawing.GraphicObjectShape" and s.Graphic is not None:
                item["pixels"] = [s.Graphic.SizePixel.Width, s.Graphic.SizePixel.Height]
            anchor = s.Anchor
            item["anchor"] = getattr(anchor, "AbsoluteName", None) if anchor is not None else None
            shapes.append(item)
        charts = []
        for n in ws.Charts.ElementNames:
            ch = ws.Charts.getByName(n)
            diagram = ch.EmbeddedObject.Diagram
            charts.append({"ranges": [area(r) for r in ch.getRanges()],
                           "type": diagram.getDiagramType(),
                           "title": ch.EmbeddedObject.HasMainTitle})
        cond = []
        for cf in ws.ConditionalFormats.getConditionalFormats():
            entries = []
            for k in range(cf.Count):
                e = cf.getByIndex(k)
                entries.append({p: str(e.getPropertyValue(p)) for p in ("Operator", "Formula1", "Formula2")
                                if e.getPropertySetInfo().hasPropertyByName(p)})
            cond.append({"range": cf.Range.RangeAddressesAsString, "entries": entries})
        merged = []
        for c in range(last_col + 1):
            if not ws.getCellRangeByPosition(c, 0, c, last_row).getIsMerged():
                continue
            for r in range(last_row + 1):
                cell = ws.getCellRangeByPosition(c, r, c, r)
                if cell.getIsMerged():
                    cursor = ws.createCursorByRange(cell)
                    cursor.collapseToMergedArea()
                    if cursor.RangeAddress.StartColumn == c and cursor.RangeAddress.StartRow == r:
                        merged.append(cursor.AbsoluteName)
        columns = [[ws.Columns.getByIndex(c).Width, bool(ws.Columns.getByIndex(c).IsVisible)]
                   for c in range(last_col + 1)]
        rows = []
        for r in range(last_row + 1):
            row = ws.Rows.getByIndex(r)
            rows.append([bool(row.OptimalHeight), row.Height, bool(row.IsVisible)])
        grid = [list(r) for r in ws.getCellRangeByPosition(0, 0, last_col, last_row).getDataArray()]
        return {"protected": bool(ws.isProtected()), "page": page,
                "print_areas": [area(a) for a in ws.getPrintAreas()],
                "title_rows": area(ws.getTitleRows()) if ws.getPrintTitleRows() else None,
                "notes": notes, "shapes": shapes, "charts": charts, "conditional_formats": cond,
                "merged": merged, "columns": columns, "rows": rows, "grid": grid}

    def _probe(self, cell) -> dict:
        v = cell.Validation
        links = []
        for field in cell.getTextFields():
            if field.getPropertySetInfo().hasPropertyByName("URL"):
                links.append([field.URL, field.Representation])
        return {"formula": cell.getFormula(), "value": cell.getValue(), "text": cell.getString(),
                "validation": {"type": v.Type.value, "operator": v.getOperator().value,
                               "formula1": v.getFormula1(), "error": v.ErrorMessage if v.ShowErrorMessage else None},
                "links": links}

    def recalc(self) -> dict:
        self.doc.calculateAll()
        return {}

    def terminate(self) -> dict:
        self.close()  # a modified document would make LibreOffice ask whether to save it
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
