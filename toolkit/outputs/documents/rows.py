"""Long table rows of a document written without Jinja, the same XML as docxtpl's.

A result report lists a conference's 1,700 petitions, a phiếu chuyển or an urging letter a
department's thousands, the monthly report every overdue one, each a table row of the template
(``{%tr for r in kien_nghi %}``). docxtpl renders such a document by running Jinja over the
whole body, resolving line breaks paragraph by paragraph with regular expressions, parsing the
result and grafting it into python-docx's tree: seconds for a long list, at every save that
touches it (docs/PERFORMANCE.md).

Here a template's row loop whose body is one ``<w:tr>`` holding nothing but ``{{ r.field }}``
(the shipped templates; a staff copy with anything else in the row, or that uses the list
elsewhere, is rendered by docxtpl as before) is rendered by docxtpl with ONE row of marker
values; the marked row of the saved document is then the row's XML, and each real row is that
XML with each marker replaced by the value written as Jinja's autoescape and then lxml's
serialisation write it (text is data, never markup or a template: ``{{``, ``<`` and ``&`` typed
by staff stay literal), its line breaks and tabs as docxtpl's ``resolve_listing`` writes them,
empty text elements closed as lxml closes them. So the part is byte for byte what docxtpl makes
(tests/test_document_rows.py compares them), but for one thing: docxtpl turns a typed ``{_{`` into
``{{`` (its escape for template text), a spliced row keeps what was typed. Anything unexpected
(a value with a paragraph or page break or a character XML cannot hold, markup made by code, a
row the markers do not delimit) returns None and the caller renders with docxtpl.
"""

from __future__ import annotations

import functools
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docxtpl import Listing

_LOOP = re.compile(r"\{%\s*for\s+(\w+)\s+in\s+(\w+)\s*%\}(<w:tr[ >].*?)\{%\s*endfor\s*%\}", re.DOTALL)
_FIELD = r"\{\{\s*%s\.(\w+)\s*\}\}"
_JINJA = re.compile(r"\{[{%#]")
_MARK = re.compile(r"@@dt(\d+)x(\w+?)@@")
_RUN_START = re.compile(r"<w:r[ >]")
_RPR = re.compile(r"<w:rPr>.*?</w:rPr>", re.DOTALL)
# \a and \f (docxtpl's paragraph and page breaks), \r (lxml writes &#13;) and what XML cannot hold
_XML_TEXT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]")
_EMPTY_T = re.compile(r'<w:t( xml:space="preserve")?></w:t>')
DOCUMENT_PART = "word/document.xml"


@dataclass(frozen=True)
class Loop:
    name: str                 # the context's list
    fields: tuple[str, ...]   # the row's fields, in the row's order, each once


def _mark(index: int, field: str) -> str:
    return f"@@dt{index}x{field}@@"


def template_xml(source: str) -> tuple[str, str]:
    """(the body of template file ``source`` as docxtpl hands it to Jinja, the text of its other parts:
    headers, footers, notes), what the splicers read to know whether a list is used only in its loop."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(source)
    tpl.render_init()
    body = tpl.patch_xml(tpl.get_xml())
    with zipfile.ZipFile(source) as z:
        others = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.startswith("word/") and n.endswith(".xml") and n != DOCUMENT_PART)
    return body, others


@functools.lru_cache(maxsize=32)
def _loops(source: str, mtime_ns: int, size: int) -> tuple[Loop, ...]:
    """The row loops of the template file ``source`` that can be spliced (cached per file version);
    a list also named in a header, footer or note is left to docxtpl."""
    body, others = template_xml(source)
    found = []
    for m in _LOOP.finditer(body):
        var, name, row = m.groups()
        if row.count("<w:tr>") + row.count("<w:tr ") != 1 or not row.endswith("</w:tr>"):
            continue
        field = re.compile(_FIELD % re.escape(var))
        fields = field.findall(row)
        if not fields or _JINJA.search(field.sub("", row)) or any(hasattr(dict, f) for f in fields):
            continue
        outside = body[:m.start()] + body[m.end():]
        word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")   # not r.{name}, so.{name}
        if word.search(outside) or word.search(others):
            continue
        found.append(Loop(name, tuple(dict.fromkeys(fields))))
    return tuple(found)


def plan(source: Path, context: dict) -> tuple[dict, list[Loop]] | None:
    """The context to render with (each spliceable list of dict rows replaced by one marked row)
    and the loops to splice; None when there is nothing to splice."""
    stat = source.stat()
    chosen, ctx = [], dict(context)
    for loop in _loops(str(source), stat.st_mtime_ns, stat.st_size):
        rows = context.get(loop.name)
        if not isinstance(rows, list) or not rows or not all(type(r) is dict for r in rows):
            continue
        ctx[loop.name] = [{f: _mark(len(chosen), f) for f in loop.fields}]
        chosen.append(loop)
    return (ctx, chosen) if chosen else None


def _cell(value, tab: str) -> str | None:
    """``value`` as Jinja's autoescape prints it and lxml then serialises it: &, < and > escaped, quotes
    as typed; a docxtpl Listing by its text; line breaks and tabs as docxtpl's resolve_listing."""
    if isinstance(value, Listing):
        text = html.unescape(value.xml)      # Listing holds html.escape(text)
    elif hasattr(value, "__html__"):         # markup made by code: left to docxtpl
        return None
    else:
        text = str(value)
    if _XML_TEXT_UNSAFE.search(text):
        return None
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if "\n" in text or "\t" in text:
        text = text.replace("\t", tab).replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return text


def _rows(xml: str, index: int, loop: Loop, rows: list[dict]) -> tuple[int, int, str] | None:
    """(start, end, the rows' XML) replacing the marked row of loop ``index`` in ``xml``."""
    marks = [m for m in _MARK.finditer(xml) if m.group(1) == str(index)]
    if not marks:
        return None
    first, last = marks[0].start(), marks[-1].end()
    start = max(xml.rfind("<w:tr>", 0, first), xml.rfind("<w:tr ", 0, first))
    end = xml.find("</w:tr>", last)
    if start < 0 or end < 0:
        return None
    end += len("</w:tr>")
    row = xml[start:end]
    if row.count("<w:tr>") + row.count("<w:tr ") != 1 or _MARK.sub("", row).count("@@dt") \
            or len(_MARK.findall(row)) != len(marks):
        return None
    parts: list = []    # literal XML, then (field, tab expansion) per marker
    pos = 0
    for m in _MARK.finditer(row):
        parts.append(row[pos:m.start()])
        runs = [r.start() for r in _RUN_START.finditer(row, 0, m.start())]
        rpr = _RPR.search(row, runs[-1], m.start()) if runs else None
        props = rpr.group(0) if rpr else ""
        parts.append((m.group(2), f'</w:t></w:r><w:r>{props}<w:tab/></w:r><w:r>{props}<w:t xml:space="preserve">'))
        pos = m.end()
    tail = row[pos:]
    out = []
    for item in rows:
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            field, tab = part
            text = _cell(item.get(field, ""), tab)   # a missing field is blank, None "None", as in Jinja
            if text is None:
                return None
            out.append(text)
        out.append(tail)
    return start, end, _EMPTY_T.sub(r"<w:t\1/>", "".join(out))   # lxml writes an empty element so


def document_xml(docx: bytes) -> tuple[zipfile.ZipFile, str] | None:
    """The package of a rendered .docx and its document part's text; None without that part."""
    src = zipfile.ZipFile(io.BytesIO(docx))
    try:
        return src, src.read(DOCUMENT_PART).decode("utf-8")
    except KeyError:
        return None


def with_document_xml(src: zipfile.ZipFile, xml: str) -> bytes:
    """The package ``src`` with its document part replaced by ``xml``, every other part as it was."""
    body = xml.encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == DOCUMENT_PART:   # a long list: the fastest deflate (14,000 rows: 0.1 s, not 0.3)
                dst.writestr(info, body, compresslevel=1 if len(body) > 4_000_000 else None)
            else:
                dst.writestr(info, src.read(info.filename))
    return buf.getvalue()


def splice(docx: bytes, loops: list[Loop], context: dict) -> bytes | None:
    """The document ``docx`` (rendered with ``plan``'s context) with every marked row replaced by the
    real rows of ``context``; None when it cannot be done exactly (the caller renders with docxtpl)."""
    read = document_xml(docx)
    if read is None:
        return None
    src, xml = read
    pieces = []
    for index, loop in enumerate(loops):
        made = _rows(xml, index, loop, context[loop.name])
        if made is None:
            return None
        pieces.append(made)
    pieces.sort()
    out, pos = [], 0
    for start, end, text in pieces:
        if start < pos:
            return None
        out += [xml[pos:start], text]
        pos = end
    out.append(xml[pos:])
    return with_document_xml(src, "".join(out))
