"""The dashboard's journal: the latest changes, and each open petition's history one click
from its row in the table of petitions being handled (real Chromium)."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from test_dashboard import _chromium
from toolkit.pipeline import passes
from toolkit.starter import sample
from toolkit.core import schema

TODAY = sample.SAMPLE_TODAY
KN = schema.KIEN_NGHI

PROBE = """<script>
window.addEventListener('load', function () {
  var link = Array.from(document.querySelectorAll('#open-petitions a.ma')).find(a => a.textContent === %s);
  var out = {link: !!link};
  var block = link && document.querySelector(link.getAttribute('href'));
  out.before = block ? getComputedStyle(block).display : null;
  if (link) { link.click(); }
  setTimeout(function () {
    out.after = block ? getComputedStyle(block).display : null;
    out.text = block ? block.innerText : '';
    out.hidden = Array.from(document.querySelectorAll('.lich-su')).filter(b => getComputedStyle(b).display === 'none').length;
    var pre = document.createElement('pre');
    pre.id = 'probe';
    pre.textContent = 'PRO' + 'BE:' + JSON.stringify(out) + ':E' + 'ND';
    document.body.appendChild(pre);
  }, 200);
});
</script>"""


@pytest.fixture
def journalled(sample_copy, tmp_path):
    out = tmp_path / "ket-qua"
    first = passes.run(sample_copy, out_dir=out, today=TODAY)
    table = first.report  # noqa: F841 - the first pass fills codes; pick an open petition from the page
    html = (out / "index.html").read_text(encoding="utf-8")
    code = re.search(r'<table id="open-petitions">.*?<tbody>\s*<tr[^>]*>\s*<td>(?:<a[^>]*>)?([^<]+)<', html, re.S).group(1)
    wb = openpyxl.load_workbook(sample_copy)
    ws = wb[KN.name]
    cols = {c.value: c.column for c in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, cols[KN.col("ma")]).value == code)
    ws.cell(row, cols[KN.col("ghi_chu")]).value = "Đã gọi điện nhắc bộ phận"
    wb.save(sample_copy)
    lock = sample_copy.parent / f".~lock.{sample_copy.name}#"
    lock.write_text("Trần Thị Bình,binh,pc2,02.12.2026 09:15,file:///p;", encoding="utf-8")
    passes.run(sample_copy, out_dir=out, today=TODAY)
    lock.unlink()
    return out / "index.html", code


def test_latest_changes_say_who_when_and_what(journalled):
    index, code = journalled
    html = index.read_text(encoding="utf-8")
    section = html[html.index('id="thay-doi"'):]
    section = section[:section.index("</section>")]
    assert "Trần Thị Bình" in section and "Đã gọi điện nhắc bộ phận" in section and code in section
    assert "Lần lưu gần nhất" in section and "sửa 1 ô" in section


@pytest.mark.chromium
@pytest.mark.slow
def test_a_petitions_history_opens_from_its_row(journalled, tmp_path):
    index, code = journalled
    probe = index.with_name("probe.html")
    probe.write_text(index.read_text(encoding="utf-8").replace("</body>", PROBE % json.dumps(code) + "</body>"),
                     encoding="utf-8")
    proc = _chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom", probe.as_uri())
    found = re.search(r"PROBE:(.*?):END", proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    got = json.loads(found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    assert got["link"], "the petition's code in the table links to its history"
    assert got["before"] == "none" and got["after"] == "block"
    assert "Trần Thị Bình" in got["text"] and "Đã gọi điện nhắc bộ phận" in got["text"]
    assert "doithoai" in got["text"]   # the toolkit's fills of that petition, as its own
    assert got["hidden"] >= 1          # the other petitions' histories stay folded away
