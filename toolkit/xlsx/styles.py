"""Append-only edits of a workbook's ``styles.xml`` (docs/ARCHITECTURE.md, "The write-back contract").

The write-back never re-saves the package, so the formats it needs for the
cells it writes (a date format, wrapped text, Excel's quote prefix, the look
of a header or a generated sheet) are found among the existing styles or
appended at the end of their lists: numFmts, fonts, fills, borders, cellXfs.
Existing entries and their indices never move and their bytes stay as they
were; only the ``count`` attributes of the lists that grew change.

A :class:`Look` says what the toolkit wants a cell to look like; ``StyleBook.xf``
turns it into a cellXfs index, reusing an equal entry when there is one (so
repeated passes do not make the part grow).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from defusedxml import ElementTree as ET

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DATE_FORMAT = "dd/mm/yyyy"

# Built-in number formats that show a date (ECMA-376 Part 1, 18.8.30).
_BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 22, 27, 30, 36, 50, 57})
_DATE_CODE = re.compile(r"[dy]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')

# The lists of styles.xml the toolkit may append to, in schema order.
_LISTS = ("numFmts", "fonts", "fills", "borders", "cellXfs")
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf"}

MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)


@dataclass(frozen=True)
class Font:
    bold: bool = False
    size: float | None = None          # None: the workbook's default size
    color: str | None = None           # RRGGBB
    underline: bool = False


@dataclass(frozen=True)
class Look:
    """What the toolkit wants a cell it writes to look like.

    ``base``: a cellXfs index to start from (the cell's own style on a staff
    sheet), or None for the workbook's default. The other fields are added
    on top; None leaves that part of the base as it is.
    """

    base: int | None = None
    date: bool = False                  # show the number as dd/mm/yyyy (unless the base shows a date)
    wrap: bool = False                  # wrap text, top-aligned
    center: bool = False                # centred (headers)
    quote: bool = False                 # Excel's quote prefix: text that looks like a formula stays text
    font: Font | None = None
    fill: str | None = None             # solid fill RRGGBB
    border: str | None = None           # thin border of this colour on all sides


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _canon(elem) -> tuple:
    """A comparable form of an element: tag, attributes (apply* flags left out), children."""
    attrs = tuple(sorted((_local(k), v) for k, v in elem.attrib.items() if not _local(k).startswith("apply")))
    return (_local(elem.tag), attrs, tuple(_canon(child) for child in elem))


def _attrs(pairs) -> str:
    return "".join(f' {k}="{_esc(str(v))}"' for k, v in pairs)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


class StylesError(Exception):
    """styles.xml cannot be patched safely (unexpected layout)."""


class StyleBook:
    """The styles of one workbook, for finding or appending the formats the toolkit writes."""

    def __init__(self, data: bytes | None):
        self.created = data is None
        self.original = MINIMAL_STYLES if data is None else data
        try:
            root = ET.fromstring(self.original)
        except ET.ParseError as exc:
            raise StylesError(f"styles.xml: {exc}") from None
        if _local(root.tag) != "styleSheet" or not root.tag.startswith("{" + MAIN_NS):
            raise StylesError("styles.xml is not SpreadsheetML")
        m = re.search(rb"<(\w+:)?styleSheet\b", self.original)
        self.prefix = (m.group(1) or b"").decode() if m else ""
        self.items: dict[str, list] = {name: [] for name in _LISTS}
        for child in root:
            name = _local(child.tag)
            if name in self.items:
                self.items[name] = list(child)
        self.cell_style_xfs = 0
        for child in root:
            if _local(child.tag) == "cellStyleXfs":
                self.cell_style_xfs = len(child)
        self.canon = {name: {} for name in _LISTS}
        for name, elems in self.items.items():
            for i, elem in enumerate(elems):
                self.canon[name].setdefault(_canon(elem), i)
        self.added: dict[str, list[str]] = {name: [] for name in _LISTS}
        self._memo: dict[Look, int] = {}
        self._date_fmt: int | None = None
        self.custom_ids = {int(e.get("numFmtId", "0")): e.get("formatCode", "") for e in self.items["numFmts"]}

    # -- reading --------------------------------------------------------------
    def xf_count(self) -> int:
        return len(self.items["cellXfs"]) + len(self.added["cellXfs"])

    def _xf(self, index: int):
        xfs = self.items["cellXfs"]
        if 0 <= index < len(xfs):
            return xfs[index]
        if 0 <= index - len(xfs) < len(self.added["cellXfs"]):
            return self._parse(self.added["cellXfs"][index - len(xfs)])
        return xfs[0] if xfs else None

    def _parse(self, text: str):
        """One element written in this part's prefix, parsed."""
        ns = f' xmlns:{self.prefix[:-1]}="{MAIN_NS}"' if self.prefix else ""
        return ET.fromstring(f'<r xmlns="{MAIN_NS}"{ns}>{text}</r>')[0]

    def is_date_format(self, num_fmt_id: int) -> bool:
        if num_fmt_id in _BUILTIN_DATE_FORMATS:
            return True
        code = self.custom_ids.get(num_fmt_id)
        return bool(code) and bool(_DATE_CODE.search(_QUOTED.sub("", code)))

    def shows_date(self, xf_index: int | None) -> bool:
        xf = self._xf(xf_index or 0)
        return xf is not None and self.is_date_format(int(xf.get("numFmtId", "0") or 0))

    # -- finding or appending -------------------------------------------------
    def _find_or_add(self, name: str, text: str) -> int:
        key = _canon(self._parse(text))
        found = self.canon[name].get(key)
        if found is not None:
            return found
        index = len(self.items[name]) + len(self.added[name])
        self.added[name].append(text)
        self.canon[name][key] = index
        return index

    def date_format(self) -> int:
        if self._date_fmt is None:
            for num_id, code in self.custom_ids.items():
                if code.strip().lower() == DATE_FORMAT:
                    self._date_fmt = num_id
                    break
            else:
                used = set(self.custom_ids) | {163}
                self._date_fmt = max(used) + 1
                p = self.prefix
                self.added["numFmts"].append(f'<{p}numFmt numFmtId="{self._date_fmt}" formatCode="{DATE_FORMAT}"/>')
                self.custom_ids[self._date_fmt] = DATE_FORMAT
        return self._date_fmt

    def _font(self, font: Font, base_font: int) -> int:
        fonts = self.items["fonts"]
        base = fonts[base_font] if 0 <= base_font < len(fonts) else (fonts[0] if fonts else None)
        p = self.prefix
        size = font.size
        name = family = scheme = None
        if base is not None:
            for child in base:
                tag = _local(child.tag)
                if tag == "sz" and size is None:
                    size = float(child.get("val", "11"))
                elif tag in ("name", "rFont"):
                    name = child.get("val")
                elif tag == "family":
                    family = child.get("val")
                elif tag == "scheme":
                    scheme = child.get("val")
        parts = []
        if font.bold:
            parts.append(f"<{p}b/>")
        if font.underline:
            parts.append(f'<{p}u/>')
        parts.append(f'<{p}sz val="{_num(size or 11)}"/>')
        if font.color:
            parts.append(f'<{p}color rgb="FF{font.color.upper()}"/>')
        parts.append(f'<{p}name val="{_esc(name or "Calibri")}"/>')
        if family:
            parts.append(f'<{p}family val="{_esc(family)}"/>')
        if scheme:
            parts.append(f'<{p}scheme val="{_esc(scheme)}"/>')
        return self._find_or_add("fonts", f"<{p}font>{''.join(parts)}</{p}font>")

    def _fill(self, rgb: str) -> int:
        p = self.prefix
        return self._find_or_add(
            "fills", f'<{p}fill><{p}patternFill patternType="solid"><{p}fgColor rgb="FF{rgb.upper()}"/>'
                     f'<{p}bgColor indexed="64"/></{p}patternFill></{p}fill>')

    def _border(self, rgb: str) -> int:
        p = self.prefix
        side = "".join(f'<{p}{s} style="thin"><{p}color rgb="FF{rgb.upper()}"/></{p}{s}>'
                       for s in ("left", "right", "top", "bottom"))
        return self._find_or_add("borders", f"<{p}border>{side}<{p}diagonal/></{p}border>")

    def xf(self, look: Look) -> int:
        """The cellXfs index of ``look``: the base itself when it already looks so, else an
        existing equal entry, else a new one at the end."""
        found = self._memo.get(look)
        if found is not None:
            return found
        base_index = look.base or 0
        base = self._xf(base_index)
        attrs: dict[str, str] = {}
        children: dict[str, dict[str, str]] = {}
        if base is not None:
            attrs = {_local(k): v for k, v in base.attrib.items() if not k.startswith("{")}
            for child in base:
                if _local(child.tag) in ("alignment", "protection"):
                    children[_local(child.tag)] = {_local(k): v for k, v in child.attrib.items()}
        before = (dict(attrs), {k: dict(v) for k, v in children.items()})
        for key in ("numFmtId", "fontId", "fillId", "borderId"):
            attrs.setdefault(key, "0")
        if look.date and not self.is_date_format(int(attrs["numFmtId"] or 0)):
            attrs["numFmtId"] = str(self.date_format())
            attrs["applyNumberFormat"] = "1"
        if look.font is not None:
            attrs["fontId"] = str(self._font(look.font, int(attrs["fontId"] or 0)))
            attrs["applyFont"] = "1"
        if look.fill is not None:
            attrs["fillId"] = str(self._fill(look.fill))
            attrs["applyFill"] = "1"
        if look.border is not None:
            attrs["borderId"] = str(self._border(look.border))
            attrs["applyBorder"] = "1"
        if look.wrap or look.center:
            align = children.setdefault("alignment", {})
            if look.wrap and align.get("wrapText") not in ("1", "true"):
                align["wrapText"] = "1"
                align.setdefault("vertical", "top")
            if look.center:
                align["horizontal"] = "center"
                align["vertical"] = "center"
            attrs["applyAlignment"] = "1"
        if look.quote:
            attrs["quotePrefix"] = "1"
        else:
            attrs.pop("quotePrefix", None)
        if base is not None and _same(before, (attrs, children)):
            self._memo[look] = base_index
            return base_index
        if self.cell_style_xfs:
            attrs.setdefault("xfId", "0")
        order = ("numFmtId", "fontId", "fillId", "borderId", "xfId")
        ordered = [(k, attrs[k]) for k in order if k in attrs] + sorted(
            (k, v) for k, v in attrs.items() if k not in order)
        p = self.prefix
        inner = "".join(f"<{p}{name}{_attrs(sorted(children[name].items()))}/>"
                        for name in ("alignment", "protection") if name in children)
        text = f"<{p}xf{_attrs(ordered)}/>" if not inner else f"<{p}xf{_attrs(ordered)}>{inner}</{p}xf>"
        index = self._find_or_add("cellXfs", text)
        self._memo[look] = index
        return index

    # -- writing ----------------------------------------------------------------
    @property
    def changed(self) -> bool:
        return self.created or any(self.added.values())

    def to_bytes(self) -> bytes:
        """styles.xml with the appended entries (the original bytes when nothing was added)."""
        data = self.original
        if not any(self.added.values()):
            return data
        for name in _LISTS:
            if self.added[name]:
                data = self._append(data, name, self.added[name])
        return data

    def _append(self, data: bytes, name: str, texts: list[str]) -> bytes:
        p = self.prefix.encode()
        new = "".join(texts).encode("utf-8")
        total = len(self.items[name]) + len(texts)
        open_re = re.compile(rb"<" + re.escape(p) + name.encode() + rb"\b([^>]*?)(/?)>")
        m = open_re.search(data)
        if m is None:   # the list is absent: insert it before the first list that follows it in schema order
            element = b"<" + p + name.encode() + b' count="%d">' % total + new + b"</" + p + name.encode() + b">"
            later = _ORDER[_ORDER.index(name) + 1:]
            for other in later:
                o = re.search(rb"<" + re.escape(p) + other.encode() + rb"\b", data)
                if o:
                    return data[:o.start()] + element + data[o.start():]
            end = data.rindex(b"</" + p + b"styleSheet>")
            return data[:end] + element + data[end:]
        attrs = _set_count(m.group(1), total)
        if m.group(2):   # <fonts count="0"/>
            return (data[:m.start()] + b"<" + p + name.encode() + attrs + b">" + new
                    + b"</" + p + name.encode() + b">" + data[m.end():])
        close = data.index(b"</" + p + name.encode() + b">", m.end())
        return data[:m.start()] + b"<" + p + name.encode() + attrs + b">" + data[m.end():close] + new + data[close:]


def _same(before, after) -> bool:
    """Two (attributes, children) of an xf show the same thing (apply* flags and defaults aside)."""
    def norm(pair):
        attrs, children = pair
        kept = {k: v for k, v in attrs.items() if not k.startswith("apply") and not (v == "0" and k in (
            "numFmtId", "fontId", "fillId", "borderId", "quotePrefix"))}
        return kept, {k: v for k, v in children.items() if v}
    return norm(before) == norm(after)


def _set_count(attrs: bytes, total: int) -> bytes:
    if re.search(rb'\bcount="[^"]*"', attrs):
        return re.sub(rb'\bcount="[^"]*"', b'count="%d"' % total, attrs, count=1)
    return attrs + b' count="%d"' % total


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
