"""Pages repeated per row of a document written without Jinja, the same XML as docxtpl's.

A giấy mời file holds one page per invited delegate (400 at a busy ward, twelve conferences): the
template repeats a whole page (``{%p for d in dai_bieu %}`` around the header table, the address,
the conference's details, the nested ``noi_nhan`` loop and a page break under
``{%p if not loop.last %}``). docxtpl renders it by running Jinja over the whole body, then
python-docx parses it and the rules under the titles are sized on every page
(``documents.layout``): most of a first pass's documents.

Here the template is rendered by docxtpl with ``PROBE`` rows of marker values. Its pages are then
periodic: from the first marker of one page to the first marker of the next is the same XML but for
the markers' index (checked for every pair), and from the first marker of the last page on is the
last page (no page break) and the rest of the document. So the document for n rows is the part
before the first marker, that unit once per row but the last, each marker replaced by the row's value
as ``rows._cell`` writes it (Jinja's autoescape, then lxml's serialisation; line breaks and tabs as
docxtpl's ``resolve_listing``), and the tail with the last row. The same bytes as docxtpl's
(tests/test_document_pages.py compares them), with ``rows``' one exception (a typed ``{_{``).

Spliced only when nothing else can depend on the row: the list is named once in the template (its
loop), the loop variable appears only as ``{{ d.field }}``, the rows are plain dicts with the same
fields, no rule (whose length follows the line above it) comes right after a line with a row's value,
and every marker came out as written (no filter changed it). Else None, and the caller renders with
docxtpl.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from toolkit.outputs.documents.layout import RULE_FULL, RULE_SHORT
from toolkit.outputs.documents.rows import (_EMPTY_T, _RPR, _RUN_START, _cell, document_xml, template_xml,
                                             with_document_xml)

PROBE = 4                                         # marked rows rendered: three periods compared
_MARK = re.compile(r"@@pg(\d)x(\w+?)@@")
_FIELD_NAME = re.compile(r"[A-Za-z_]\w*")
_RULE_STYLES = {RULE_SHORT.replace(" ", ""), RULE_FULL.replace(" ", "")}
_STYLE = re.compile(r'<w:pStyle w:val="([^"]*)"/>')


def _mark(index: int, field: str) -> str:
    return f"@@pg{index}x{field}@@"


@functools.lru_cache(maxsize=16)
def _loop_var(source: str, mtime_ns: int, size: int, name: str) -> str | None:
    """The loop variable of ``{% for VAR in name %}`` when ``name`` is used only there and VAR only
    as ``{{ VAR.field }}`` in its body (cached per template file version)."""
    body, others = template_xml(source)
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    if len(word.findall(body)) != 1 or word.search(others):
        return None
    m = re.search(rf"\{{%-?\s*for\s+(\w+)\s+in\s+{re.escape(name)}\s*-?%\}}", body)
    if not m:
        return None
    var = m.group(1)
    rest = re.sub(rf"\{{\{{\s*{re.escape(var)}\.\w+\s*\}}\}}", "", body[m.end():])
    if re.search(rf"(?<![\w.]){re.escape(var)}\b", rest + others):
        return None
    return var


def plan(source: Path, context: dict, name: str) -> dict | None:
    """The context to render with (``name``'s rows replaced by ``PROBE`` marked rows); None when the
    pages cannot be spliced."""
    items = context.get(name)
    if not isinstance(items, list) or len(items) < 2 or not all(type(r) is dict for r in items):
        return None
    fields = tuple(items[0])
    if not fields or any(tuple(r) != fields for r in items) or not all(_FIELD_NAME.fullmatch(f) for f in fields):
        return None
    stat = source.stat()
    if _loop_var(str(source), stat.st_mtime_ns, stat.st_size, name) is None:
        return None
    ctx = dict(context)
    ctx[name] = [{f: _mark(i, f) for f in fields} for i in range(PROBE)]
    return ctx


def _normal(xml: str) -> str:
    return _MARK.sub(lambda m: f"@@pgNx{m.group(2)}@@", xml)


def _parts(xml: str, start: int, end: int) -> list:
    """Literal XML and (field, tab expansion) per marker of ``xml[start:end]``, as ``rows._rows`` splits a
    row (a tab is written as a run with the properties of the run the marker is in)."""
    parts: list = []
    pos = start
    for m in _MARK.finditer(xml, start, end):
        parts.append(xml[pos:m.start()])
        run = None
        for run in _RUN_START.finditer(xml, max(0, m.start() - 4000), m.start()):
            pass
        rpr = _RPR.search(xml, run.start(), m.start()) if run else None
        props = rpr.group(0) if rpr else ""
        parts.append((m.group(2), f'</w:t></w:r><w:r>{props}<w:tab/></w:r><w:r>{props}<w:t xml:space="preserve">'))
        pos = m.end()
    parts.append(xml[pos:end])
    return parts


def _rule_after_value(xml: str) -> bool:
    """Whether a rule paragraph (sized to the line above it) comes right after a paragraph with a marker."""
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL)
    for before, p in zip(paragraphs, paragraphs[1:]):
        style = _STYLE.search(p)
        if style and style.group(1) in _RULE_STYLES and _MARK.search(before):
            return True
    return False


def _fill(parts: list, item: dict, out: list) -> bool:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        field, tab = part
        text = _cell(item.get(field, ""), tab)
        if text is None:
            return False
        out.append(text)
    return True


def splice(docx: bytes, items: list[dict]) -> bytes | None:
    """The document ``docx`` (rendered with ``plan``'s context) with its marked pages replaced by one
    page per item; None when it cannot be done exactly (the caller renders with docxtpl)."""
    read = document_xml(docx)
    if read is None:
        return None
    src, xml = read
    marks = list(_MARK.finditer(xml))
    if not marks or len(re.findall("@@pg", xml, re.IGNORECASE)) != len(marks):
        return None                                   # a marker changed by a filter, or one missing
    pages = [[m for m in marks if m.group(1) == str(i)] for i in range(PROBE)]
    if any(not p for p in pages) or [m.group(1) for m in marks] != sorted(m.group(1) for m in marks):
        return None
    if any([m.group(2) for m in p] != [m.group(2) for m in pages[0]] for p in pages):
        return None
    firsts = [p[0].start() for p in pages]
    units = [xml[a:b] for a, b in zip(firsts, firsts[1:])]
    if len({_normal(u) for u in units}) != 1 or _rule_after_value(xml):
        return None
    unit, tail = _parts(xml, firsts[0], firsts[1]), _parts(xml, firsts[-1], len(xml))
    out = [xml[:firsts[0]]]
    filled: list = []
    for item in items[:-1]:
        if not _fill(unit, item, filled):
            return None
    if not _fill(tail, items[-1], filled):
        return None
    out.append(_EMPTY_T.sub(r"<w:t\1/>", "".join(filled)))
    return with_document_xml(src, "".join(out))
