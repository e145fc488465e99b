"""Real programs: a ward register saved by LibreOffice is rolled up with the same figures, an old
.xls it saved is refused clearly; the province dashboard renders in headless Chromium with its charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import need_path, soffice_convert
from test_rollup import AS_OF, expected_ward
from toolkit.rollup.run import rollup
from toolkit.starter.province import make_province

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    return make_province(tmp_path_factory.mktemp("tinh") / "tinh", 4, today=AS_OF)


@pytest.mark.libreoffice
@pytest.mark.slow
def test_a_ward_saved_by_libreoffice_is_rolled_up_with_the_same_figures(province, tmp_path):
    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    ward = province.wards[1]
    rel = ward.file.relative_to(province.folder)
    saved = soffice_convert(folder / rel, tmp_path / "lo")           # one fresh soffice for this file
    assert saved.read_bytes() != (folder / rel).read_bytes()
    shutil.copyfile(saved, folder / rel)
    old = soffice_convert(folder / province.wards[2].file.relative_to(province.folder), tmp_path / "xls", "xls")
    shutil.copyfile(old, folder / "cu-luu-dang-xls.xlsx")             # an old .xls renamed .xlsx

    result = rollup(folder, as_of=AS_OF)
    got = {r["file"]: r for r in result.as_json()["wards"]}
    assert got[rel.as_posix()] == dict(expected_ward(ward, AS_OF), file=rel.as_posix())
    deadlines = {r.file: (r.deadlines_met, r.deadlines_missed) for r in result.figures.wards.itertuples()}
    from test_rollup import expected_deadlines
    assert deadlines[rel.as_posix()] == expected_deadlines(ward, AS_OF)
    skipped = {s["file"]: s["reason"] for s in result.as_json()["skipped"]}
    assert list(skipped) == ["cu-luu-dang-xls.xlsx"]
    assert ".xls" in skipped["cu-luu-dang-xls.xlsx"] and "Lưu thành" in skipped["cu-luu-dang-xls.xlsx"]
    assert result.exit_code == 1


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    need_path(Path(CHROMIUM), f"Chromium ({CHROMIUM})")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'chromium-profile'}", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


PROBE = """
<script>
window.addEventListener('load', function () {
  var out = {charts: [], rects: 0, sorted: []};
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    out.charts.push({title: (svg.querySelector('title') || {}).textContent || '', w: box.width, h: box.height,
                     bars: svg.querySelectorAll('rect').length});
  });
  var th = document.querySelectorAll('#don-vi th')[4];   // Kiến nghị
  th.click(); th.click();                                 // descending
  document.querySelectorAll('#don-vi tbody tr').forEach(function (tr) {
    out.sorted.push(parseInt(tr.cells[4].textContent, 10));
  });
  var pre = document.createElement('pre'); pre.id = 'probe';
  pre.textContent = 'PROBE' + JSON.stringify(out) + 'END';
  document.body.appendChild(pre);
});
</script>
"""


@pytest.mark.chromium
@pytest.mark.slow
def test_the_dashboard_renders_in_chromium_with_its_charts_and_sorts(province, tmp_path):
    import json

    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    (folder / "rong.xlsx").write_bytes(b"")
    rollup(folder, as_of=AS_OF)
    page = folder / "tong-hop-cap-tren" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)       # offline: nothing fetched
    probe = page.with_name("probe.html")
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    proc = _chromium(tmp_path, "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    dom = proc.stdout
    assert "</html>" in dom, proc.stderr[-2000:]
    found = json.loads(re.search(r'<pre id="probe">PROBE(.*?)END</pre>', dom, re.S).group(1))
    titles = [c["title"] for c in found["charts"]]
    assert any(t.startswith("Kiến nghị theo đơn vị") for t in titles)
    assert "Lĩnh vực được nêu ở từ 3 đơn vị trở lên" in titles
    for chart in found["charts"]:
        assert chart["w"] > 200 and chart["h"] > 50 and chart["bars"] > 0, chart
    petitions = sorted((len(w.petitions) for w in province.wards), reverse=True)
    assert found["sorted"] == petitions
    assert "rong.xlsx" in dom and "0 byte" in dom                       # the skipped file, first
    assert 'id="doithoai-version"' in dom                              # the self-reload poll ran under file://
    shot = tmp_path / "shot.png"
    _chromium(tmp_path, "--window-size=1366,768", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    assert shot.exists() and shot.stat().st_size > 10_000


@pytest.mark.libreoffice
@pytest.mark.slow
def test_libreoffice_opens_the_outputs(province, tmp_path):
    folder = tmp_path / "tinh"
    shutil.copytree(province.folder, folder)
    rollup(folder, as_of=AS_OF)
    out = folder / "tong-hop-cap-tren"
    for name in ("tong-hop.xlsx", "kien-nghi-chuyen-cap-tren.xlsx", "co-quan-tiep-nhan.xlsx"):
        csv = soffice_convert(out / name, tmp_path / "csv", "csv")       # one fresh soffice per file
        assert csv.stat().st_size > 0, name
    pdf = soffice_convert(out / "bao-cao-tong-hop.docx", tmp_path / "pdf", "pdf")
    pdftotext = shutil.which("pdftotext")
    if pdftotext:
        text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
        assert "BÁO CÁO" in text and province.wards[0].ward in text
