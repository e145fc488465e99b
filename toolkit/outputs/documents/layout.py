"""NĐ 30/2020 Phụ lục I rules that depend on the rendered text: the short rules under the issuing
body's name, the tiêu ngữ and the tên loại/trích yếu are sized to the line above them.

A template marks such a rule as an empty paragraph of style :data:`RULE_SHORT` (1/3 to 1/2 of the line
above: :data:`SHORT_RATIO` of it) or :data:`RULE_FULL` (as long as the line above: under the tiêu
ngữ). After rendering, :func:`size_rules` measures the last line of the paragraph just before each
rule (Times New Roman advance widths, the words wrapped as Word does in the width available: the
table cell or the text width) and sets the rule's left and right indents so that its bottom border
is centred and of the wanted length. Staff editing a template keep a rule by keeping its style.
"""

from __future__ import annotations

import functools
import unicodedata

from docx.oxml.ns import qn

RULE_SHORT = "Gach ngan"
RULE_FULL = "Gach bang dong tren"
SHORT_RATIO = 0.42
TEXT_WIDTH_MM = 165.0
CELL_PADDING_MM = 3.8

# Advance widths (1/1000 em) of Times New Roman (metric-compatible Liberation Serif), ASCII 32..126.
_REGULAR = (250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500, 500,
            500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611, 556, 722,
            722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611, 333,
            278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500,
            500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541)
_BOLD = (250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500, 500,
         500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667, 611, 778,
         778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722, 722, 667, 333,
         278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556, 500,
         556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520)
_PT_MM = 25.4 / 72


@functools.lru_cache(maxsize=4096)
def _char_width(ch: str, bold: bool) -> int:
    base = unicodedata.normalize("NFD", ch)[:1] or ch
    base = {"đ": "d", "Đ": "D"}.get(ch, base)
    code = ord(base)
    table = _BOLD if bold else _REGULAR
    return table[code - 32] if 32 <= code <= 126 else 500


def _units(text: str, bold: bool) -> int:
    return sum(_char_width(c, bold) for c in text)


def _mm(units: int, size_pt: float) -> float:
    return units / 1000 * size_pt * _PT_MM


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    """The printed width of ``text`` in Times New Roman."""
    return _mm(_units(text, bold), size_pt)


@functools.lru_cache(maxsize=1024)
def last_line_mm(text: str, size_pt: float, bold: bool, available_mm: float) -> float:
    """Width of the last line of ``text`` wrapped at word boundaries into ``available_mm`` (each word
    measured once; a document of 400 invitations asks the same lines again and again)."""
    space = _char_width(" ", bold)
    line = None     # width of the line so far, in 1/1000 em
    for word in text.split():
        width = _units(word, bold)
        if line is not None and _mm(line + space + width, size_pt) <= available_mm:
            line += space + width
        else:
            line = width
    return _mm(line or 0, size_pt)


def _style_ids(document) -> dict[str, str]:
    """Style id -> style name of the document's paragraph styles."""
    out = {}
    for st in document.styles.element.findall(qn("w:style")):
        name = st.find(qn("w:name"))
        out[st.get(qn("w:styleId"))] = name.get(qn("w:val")) if name is not None else ""
    return out


def _run_props(p, document_default_pt: float) -> tuple[float, bool]:
    """(size in pt, bold) of the paragraph's first run with text."""
    for r in p.iter(qn("w:r")):
        if not "".join(t.text or "" for t in r.iter(qn("w:t"))).strip():
            continue
        rpr = r.find(qn("w:rPr"))
        size, bold = document_default_pt, False
        if rpr is not None:
            sz = rpr.find(qn("w:sz"))
            if sz is not None:
                size = int(sz.get(qn("w:val"))) / 2
            b = rpr.find(qn("w:b"))
            bold = b is not None and b.get(qn("w:val")) not in ("0", "false")
        return size, bold
    return document_default_pt, False


def _available_mm(p) -> float:
    tc = next((a for a in p.iterancestors(qn("w:tc"))), None)
    if tc is None:
        return TEXT_WIDTH_MM
    tcw = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
    if tcw is not None and tcw.get(qn("w:type")) in (None, "dxa"):
        return int(tcw.get(qn("w:w"))) / 1440 * 25.4 - CELL_PADDING_MM
    return TEXT_WIDTH_MM


def size_rules(document, default_pt: float = 14) -> None:
    """Set the indents of every rule paragraph from the line above it (see the module docstring)."""
    names = _style_ids(document)
    wanted = {sid: (SHORT_RATIO if name == RULE_SHORT else 1.0) for sid, name in names.items()
              if name in (RULE_SHORT, RULE_FULL)}
    if not wanted:
        return
    ids = " or ".join(f'@w:val="{sid}"' for sid in wanted if '"' not in sid)
    for p in document.element.body.xpath(f".//w:p[w:pPr/w:pStyle[{ids}]]"):
        ppr = p.find(qn("w:pPr"))
        style = ppr.find(qn("w:pStyle"))
        above = p.getprevious()
        while above is not None and above.tag != qn("w:p"):
            above = above.getprevious()
        if above is None:
            continue
        text = "".join(t.text or "" for t in above.iter(qn("w:t"))).strip()
        if not text:
            continue
        available = _available_mm(p)
        size, bold = _run_props(above, default_pt)
        length = min(available, last_line_mm(text, size, bold, available) * wanted[style.get(qn("w:val"))])
        indent = max(0.0, (available - length) / 2)
        ind = ppr.find(qn("w:ind"))
        if ind is None:
            ind = ppr.makeelement(qn("w:ind"), {})
            jc = ppr.find(qn("w:jc"))
            if jc is not None:
                jc.addprevious(ind)
            else:
                ppr.append(ind)
        twips = str(round(indent / 25.4 * 1440))
        ind.set(qn("w:left"), twips)
        ind.set(qn("w:right"), twips)
        for attr in ("w:firstLine", "w:hanging", "w:start", "w:end"):
            ind.attrib.pop(qn(attr), None)
