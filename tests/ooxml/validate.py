#!/usr/bin/env python3
"""Check the SpreadsheetML parts of .xlsx/.xlsm files as a strict consumer would.

    python tests/ooxml/validate.py FILE.xlsx [FILE ...]      (needs lxml)

For each worksheet, workbook, styles, shared-strings and calculation-chain part:
- XML Schema validation against the ECMA-376 transitional schema (xsd/sml.xsd),
  after Markup Compatibility processing: markup in namespaces the part declares
  mc:Ignorable, and mc:AlternateContent, are removed first, as a consumer does;
  xml:space is allowed (the standard allows it; this copy of sml.xsd does not
  import the xml: namespace); so an xl/calcChain.xml without a <c> element fails
  (minOccurs 1: Excel reports such a file as damaged and repairs it);
- the ordering rules Excel relies on and the schema cannot state: row numbers
  strictly ascending, cell references strictly ascending within a row and on
  that row, at most one element per reference;
- Excel's rules for sheet names in xl/workbook.xml, which the schema leaves as any
  string: 1 to 31 characters, none of []:*?/\\, and no two names equal as Excel
  compares them, case-insensitively ('Tổng hợp' and 'TỔNG HỢP' are one name).
Prints one line per problem and a last line "N files, M parts, K problems";
exits 1 when any problem was found, 0 otherwise.
The schemas come from ECMA-376 Part 1 (transitional), as kept in the
python-openxml/python-docx repository (ref/xsd).
"""
from __future__ import annotations

import re
import sys
import unicodedata
import zipfile
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
PARTS = re.compile(r"xl/(worksheets/[^/]+|workbook|styles|sharedStrings|calcChain)\.xml$")
REF = re.compile(r"([A-Z]{1,3})(\d+)$")
SHEET_NAME_CHARS = re.compile(r"[\[\]:*?/\\]")


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _ns(tag: str) -> str:
    return tag[1:].split("}")[0] if tag.startswith("{") else ""


def mce_process(root):
    """Remove what a consumer that understands none of the ignorable namespaces would drop."""
    ignorable = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        value = el.get(f"{{{MC}}}Ignorable")
        if value:
            ignorable |= {el.nsmap.get(prefix) for prefix in value.split()}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        for name in list(el.attrib):
            if name == XML_SPACE or name == f"{{{MC}}}Ignorable" or (name.startswith("{") and _ns(name) in ignorable):
                del el.attrib[name]
    for el in list(root.iter()):
        if isinstance(el.tag, str) and el.getparent() is not None and (
                _ns(el.tag) in ignorable or el.tag == f"{{{MC}}}AlternateContent"):
            el.getparent().remove(el)
    return root


def order_problems(root) -> list[str]:
    out = []
    data = root.find(f"{MAIN}sheetData")
    if data is None:
        return out
    last_row = 0
    for row in data.iter(f"{MAIN}row"):
        r = row.get("r")
        if r is not None:
            r = int(r)
            if r <= last_row:
                out.append(f"row {r} after row {last_row}")
            last_row = r
        last_col = 0
        for cell in row.iter(f"{MAIN}c"):
            ref = cell.get("r")
            if ref is None:
                last_col += 1
                continue
            m = REF.match(ref)
            if not m:
                out.append(f"bad cell reference {ref!r}")
                continue
            col, cell_row = _col(m.group(1)), int(m.group(2))
            if r is not None and cell_row != r:
                out.append(f"cell {ref} inside row {r}")
            if col <= last_col:
                out.append(f"cell {ref} not after the previous cell of row {r}")
            last_col = col
    return out


def sheet_name_problems(root) -> list[str]:
    out = []
    seen = {}
    for sheet in root.iter(f"{MAIN}sheet"):
        name = sheet.get("name") or ""
        length = len(name.encode("utf-16-le")) // 2        # Excel counts UTF-16 code units
        if not 1 <= length <= 31:
            out.append(f"sheet name {name!r} has {length} characters (1 to 31 allowed)")
        if SHEET_NAME_CHARS.search(name):
            out.append(f"sheet name {name!r} holds one of []:*?/\\")
        key = unicodedata.normalize("NFC", name).casefold()
        if key in seen:
            out.append(f"sheet name {name!r} equals {seen[key]!r} as Excel compares names (case-insensitively)")
        seen.setdefault(key, name)
    return out


def check(paths: list[str]) -> int:
    schema = etree.XMLSchema(etree.parse(str(HERE / "xsd" / "sml.xsd")))
    problems = parts = 0
    for path in paths:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if not PARTS.match(name):
                    continue
                parts += 1
                root = etree.fromstring(zf.read(name), etree.XMLParser(resolve_entities=False, huge_tree=True))
                found = [f"order: {p}" for p in order_problems(root)]
                if name == "xl/workbook.xml":
                    found += [f"names: {p}" for p in sheet_name_problems(root)]
                if not schema.validate(mce_process(root)):
                    found += [f"schema line {e.line}: {e.message}" for e in schema.error_log]
                for p in found[:20]:
                    print(f"{path}:{name}: {p}")
                if len(found) > 20:
                    print(f"{path}:{name}: ... {len(found) - 20} more")
                problems += len(found)
    print(f"{len(paths)} files, {parts} parts, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    sys.exit(check(sys.argv[1:]))
