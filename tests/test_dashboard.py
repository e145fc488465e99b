"""Dashboard index.html: rendered file checks and real headless Chromium."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import need_path
from toolkit.outputs import dashboard
from test_summaries import XSS_CONTENT, sample_report, sample_summary

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
GENERATED = dt.datetime(2024, 7, 10, 9, 30, 5)


@pytest.fixture
def page(tmp_path) -> Path:
    return dashboard.render_dashboard(sample_summary(), sample_report(), tmp_path / "ket-qua" / "index.html",
                                      workbook_name="HaCau-2024.xlsx", generated_at=GENERATED, version="v-abc123")


def test_page_is_self_contained_and_escapes_staff_text(page):
    html = page.read_text(encoding="utf-8")
    assert "<script>document.title" not in html          # staff text never becomes markup
    assert "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)   # no network, no CDN
    assert html.count("<svg") >= 3
    assert "HaCau-2024.xlsx" in html and "10:30:05" not in html and "09:30:05 ngày 10/07/2024" in html


def test_findings_come_first(page):
    html = page.read_text(encoding="utf-8")
    assert html.index("Kiến nghị!D9") < html.index('id="so-lieu"') < html.index('id="qua-han"')


def test_version_files_written_for_self_reload(page):
    assert json.loads((page.parent / "version.json").read_text(encoding="utf-8"))["version"] == "v-abc123"
    assert (page.parent / "version.js").read_text(encoding="utf-8").strip() == \
        'window.doithoaiVersion && window.doithoaiVersion("v-abc123");'
    assert '"v-abc123"' in page.read_text(encoding="utf-8")
    assert sorted(p.name for p in page.parent.iterdir()) == ["index.html", "version.js", "version.json"]


def test_clean_workbook_says_so(tmp_path):
    s = sample_summary()
    path = dashboard.render_dashboard(s, None, tmp_path / "index.html", workbook_name="x.xlsx",
                                      generated_at=GENERATED, version="1")
    assert "Không có lỗi nào" in path.read_text(encoding="utf-8")


# --- real Chromium ------------------------------------------------------------------

def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    need_path(Path(CHROMIUM), f"Chromium ({CHROMIUM})")
    profile = tmp_path / "chromium-profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _png_pixels_distinct(png: Path) -> int:
    """Count distinct scanline bytes: a blank page has almost none."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return len(set(zlib.decompress(idat)))


@pytest.mark.chromium
@pytest.mark.slow
def test_screenshot_at_office_screen_size_is_not_blank(page, tmp_path):
    shot = tmp_path / "shot.png"
    proc = _chromium(tmp_path, "--window-size=1366,768", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    assert shot.exists(), proc.stderr[-2000:]
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert (width, height) == (1366, 768)
    assert _png_pixels_distinct(shot) > 50


@pytest.mark.chromium
@pytest.mark.slow
def test_dom_shows_figures_findings_and_runs_no_staff_script(page, tmp_path):
    proc = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    dom = proc.stdout
    assert "</html>" in dom, proc.stderr[-2000:]
    s = sample_summary()
    cards = {label: value for value, label in re.findall(r'<div class="v">([^<]*)</div><div class="l">([^<]*)</div>', dom)}
    assert cards["Số kiến nghị"] == str(s.numbers["petitions"]) == "7"
    assert cards["Quá hạn"] == str(s.numbers["overdue"]) == "2"
    assert "Kiến nghị!D9" in dom                               # a finding's cell address
    assert "KN-2024-06-004" in dom
    # The petition's text is shown literally ...
    assert "&lt;script&gt;document.title='PWNED'&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=" in dom
    # ... and nothing in it ran.
    title = re.search(r"<title>(.*?)</title>", dom).group(1)
    assert "PWNED" not in title and title.startswith("Hội nghị đối thoại")
    assert 'data-pwned="1"' not in dom
    assert not re.search(r"<img[^>]*onerror", dom)
    # The self-reload poll ran under file:// (it inserts the version.js script tag).
    assert 'id="doithoai-version"' in dom
    assert XSS_CONTENT  # the payload used above


MEASURE = """<!doctype html><meta charset="utf-8"><body style="width:2000px">%s
<pre id="out"></pre><script>
const out = [];
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.viewBox.baseVal, title = (svg.querySelector('title') || {}).textContent || '';
  for (const t of svg.querySelectorAll('text')) {
    const b = t.getBBox(), label = Array.from(t.childNodes).filter(n => n.nodeName !== 'title')
      .map(n => n.textContent).join(' / ');
    out.push({chart: title, label: label, left: b.x, right: b.x + b.width, top: b.y, bottom: b.y + b.height,
              width: box.width, height: box.height});
  }
}
document.getElementById('out').textContent = 'MEASURED' + JSON.stringify(out) + 'END';
</script>"""


@pytest.mark.chromium
@pytest.mark.slow
def test_no_chart_label_is_clipped_in_chromium(sample_copy, tmp_path):
    """Every text of every chart (the sample's 'Tham dự theo thành phần' has the longest
    labels: 'HN-2024-06 · Đại biểu HĐND quận') lies inside its chart, measured by Chromium."""
    from toolkit.pipeline import passes

    out = tmp_path / "ket-qua"
    passes.run(sample_copy, out_dir=out, today=dt.date(2024, 12, 10), write=False)
    svgs = re.findall(r"<svg\b.*?</svg>", (out / "index.html").read_text(encoding="utf-8"), re.S)
    assert any("Tham dự theo thành phần" in s for s in svgs)
    probe = tmp_path / "probe.html"
    probe.write_text(MEASURE % "\n".join(svgs), encoding="utf-8")
    proc = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    found = re.search(r"MEASURED(.*?)END", proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    texts = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    attendance = [t for t in texts if t["chart"] == "Tham dự theo thành phần"]
    assert any("Đại biểu HĐND" in t["label"] for t in attendance)
    clipped = [t for t in texts if t["left"] < 0 or t["right"] > t["width"] or t["top"] < 0
               or t["bottom"] > t["height"]]
    assert not clipped, clipped
    assert not any(t["label"].endswith("…") for t in attendance)   # the sample's labels fit whole


def test_a_long_open_list_points_to_the_registers_own_sheet(tmp_path):
    """Issue 26: tong-hop.xlsx no longer lists every open petition, so the page's "and N more" line points to
    the register's Theo dõi xử lý sheet, which holds them all."""
    s = sample_summary()
    typed = [[f"KN-2024-01-{i:04d}", "HN-2024-06", "", f"Nội dung {i}", "Văn hóa - Xã hội", dt.date(2024, 1, 1),
              -10, "Quá hạn 10 ngày"] for i in range(dashboard.MAX_OPEN + 7)]
    s.open_petitions = type(s.open_petitions)(s.open_petitions.title, s.open_petitions.headers, typed, "", None,
                                              s.open_petitions.kinds, "open_petitions")
    html = dashboard.render_html(s, sample_report(), workbook_name="so.xlsx", generated_at=GENERATED,
                                 version="v").replace("&#34;", '"')
    assert '… và 7 kiến nghị khác: xem sheet "Theo dõi xử lý" trong sổ Excel.' in html
    assert "xem tệp tổng hợp" not in html.split('id="qua-han"')[1]
