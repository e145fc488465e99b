"""Small inline SVG charts for the dashboard (no JavaScript, no network).

Every label is escaped here (staff type field and department names), and the
result is returned as ``markupsafe.Markup`` so Jinja2 inserts it as is.
"""

from __future__ import annotations

import math
from html import escape

from markupsafe import Markup

PALETTE = ("#2E7D32", "#1565C0", "#F9A825", "#C62828", "#6A1B9A", "#00838F", "#EF6C00", "#5D4037")
FONT = "font-family=\"'Segoe UI', Arial, sans-serif\""


def _e(value) -> str:
    return escape(str(value), quote=True)


def _short(label: str, limit: int = 30) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"


# Estimated advance widths (in em) of Arial / Segoe UI glyphs, on the generous side:
# the SVG is drawn by the browser, so labels are laid out from an estimate that
# must never be smaller than the real text (tests/test_dashboard.py measures it in Chromium).
_NARROW = set("iIjlt.,:;'|!()[] ·-/")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float = 13) -> float:
    """A generous estimate of the rendered width of ``text`` in pixels."""
    import unicodedata

    em = 0.0
    for ch in str(text):
        base = unicodedata.normalize("NFD", ch)[0]
        if base == " ":
            em += 0.3
        elif base in _NARROW:
            em += 0.36
        elif base in _WIDE:
            em += 0.92
        elif base.isupper() or base.isdigit():
            em += 0.72
        else:
            em += 0.6
    return em * size * 1.05


def _fit_lines(label: str, room: float, size: float = 13, max_lines: int = 2) -> list[str]:
    """``label`` broken at spaces into at most ``max_lines`` lines of at most ``room`` px;
    the last line ends with "…" when the label does not fit."""
    words, lines, current = str(label).split(), [], ""
    for i, word in enumerate(words):
        trial = f"{current} {word}".strip()
        if text_width(trial, size) <= room or not current:
            current = trial
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[i:])
            break
    lines.append(current)
    last = lines[-1]
    while text_width(last, size) > room and len(last) > 1:
        last = last[:-2].rstrip() + "…"
    lines[-1] = last
    return [ln for ln in lines if ln]


def bar_chart(categories: list[str], series: list[tuple[str, list[float]]], *, title: str = "",
              width: int = 620, bar_height: int = 22, label_width: int | None = None,
              colors: tuple[str, ...] = PALETTE) -> Markup:
    """Horizontal stacked bars: one bar per category, one segment per series.

    The label column is as wide as the longest label needs (up to half the chart);
    a longer label is wrapped onto two lines, so no label is cut at the chart's edge.
    """
    n = len(categories)
    if label_width is None:
        longest = max((text_width(c) for c in categories), default=0)
        label_width = int(min(max(120, longest + 16), width * 0.5))
    room = label_width - 14
    labels = [_fit_lines(c, room) for c in categories]
    row_h = [max(bar_height, 16 * len(ls) + 4) for ls in labels]
    legend = _legend_rows([name for name, _v in series], label_width, width) if len(series) > 1 else []
    legend_h = 22 * len(legend)
    top = 28 if title else 6
    height = top + legend_h + sum(h + 8 for h in row_h) + 10
    totals = [sum(s[1][i] or 0 for s in series) for i in range(n)]
    peak = max(totals, default=0) or 1
    plot_w = width - label_width - 50
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="max-width:100%;height:auto" class="chart" {FONT} font-size="13">']
    if title:
        parts.append(f'<title>{_e(title)}</title><text x="0" y="18" font-weight="bold" font-size="15">{_e(title)}</text>')
    for line, items in enumerate(legend):
        ly = top + 4 + 22 * line
        for k, name, x in items:
            parts.append(f'<rect x="{x}" y="{ly}" width="12" height="12" fill="{colors[k % len(colors)]}"/>'
                         f'<text x="{x + 16}" y="{ly + 11}">{_e(name)}</text>')
    y = top + legend_h
    for i, cat in enumerate(categories):
        lines = labels[i]
        first = y + (row_h[i] - 16 * len(lines)) / 2 + 12
        spans = "".join(f'<tspan x="{label_width - 8}" y="{first + 16 * j:.0f}">{_e(ln)}</tspan>'
                        for j, ln in enumerate(lines))
        parts.append(f'<text text-anchor="end"><title>{_e(cat)}</title>{spans}</text>')
        y += (row_h[i] - bar_height) // 2
        x = label_width
        for k, (name, values) in enumerate(series):
            v = values[i] or 0
            w = plot_w * v / peak
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" '
                             f'fill="{colors[k % len(colors)]}"><title>{_e(cat)} – {_e(name)}: {_e(v)}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_height - 6}" font-weight="bold">{_e(_num(totals[i]))}</text>')
        y += bar_height + 8 + (row_h[i] - bar_height) - (row_h[i] - bar_height) // 2
    if not n:
        parts.append(f'<text x="{label_width}" y="{y + 16}" fill="#777">Chưa có dữ liệu</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def donut_chart(slices: list[tuple[str, float]], *, title: str = "", size: int = 200,
                colors: tuple[str, ...] = PALETTE) -> Markup:
    """A donut with a legend on the right; the total in the middle."""
    total = sum(v for _n, v in slices if v)
    width = size + 230
    top = 28 if title else 0
    height = max(size, 24 * len(slices)) + top + 4
    cx, cy, r = size / 2, top + size / 2, size / 2 - 4
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" style="max-width:100%;height:auto" class="chart" {FONT} font-size="13">']
    if title:
        parts.append(f'<title>{_e(title)}</title><text x="0" y="18" font-weight="bold" font-size="15">{_e(title)}</text>')
    if total <= 0:
        parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#EEEEEE"/>')
    angle = -math.pi / 2
    for k, (name, v) in enumerate(slices):
        if not v or total <= 0:
            continue
        color = colors[k % len(colors)]
        if v >= total:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"><title>{_e(name)}: {_e(_num(v))}</title></circle>')
            continue
        end = angle + 2 * math.pi * v / total
        large = 1 if end - angle > math.pi else 0
        x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
        x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
        parts.append(f'<path d="M{cx},{cy} L{x1:.2f},{y1:.2f} A{r},{r} 0 {large} 1 {x2:.2f},{y2:.2f} Z" '
                     f'fill="{color}"><title>{_e(name)}: {_e(_num(v))}</title></path>')
        angle = end
    parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r * 0.55:.1f}" fill="#FFFFFF"/>'
                 f'<text x="{cx}" y="{cy + 8}" text-anchor="middle" font-size="24" font-weight="bold">{_e(_num(total))}</text>')
    y = top + 16
    for k, (name, v) in enumerate(slices):
        parts.append(f'<rect x="{size + 14}" y="{y - 11}" width="12" height="12" fill="{colors[k % len(colors)]}"/>'
                     f'<text x="{size + 32}" y="{y}">{_e(_short(name, 26))}: {_e(_num(v or 0))}</text>')
        y += 24
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend_rows(names: list[str], start: int, width: int) -> list[list[tuple[int, str, int]]]:
    rows: list[list[tuple[int, str, int]]] = [[]]
    x = start
    for k, name in enumerate(names):
        w = 26 + text_width(name)
        if rows[-1] and x + w > width:
            rows.append([])
            x = start
        rows[-1].append((k, name, x))
        x += w
    return rows


def _num(v) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.1f}".replace(".", ",")
    return f"{int(v):,}".replace(",", ".")
