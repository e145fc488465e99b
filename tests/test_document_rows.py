"""Long table rows spliced without Jinja (toolkit.outputs.documents.rows) make the very document
part docxtpl makes: word/document.xml compared byte for byte, for every document with a petition
list, with texts a clerk may type (markup, template syntax, quotes, line breaks, tabs, spaces at
the ends, blanks), and a staff template whose row holds more than fields falls back to docxtpl."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from docx import Document

import docsample as S
from toolkit.outputs import documents, summaries
from toolkit.outputs.documents import dondoc, rows
from toolkit.outputs.documents.common import render_template

TEXTS = [
    S.TRICKY,
    "Dòng một.\nDòng hai <i>nghiêng</i>\n\nDòng bốn & \"ngoặc kép\" và 'ngoặc đơn'",
    "Cột\tsau tab\t",
    "  hai khoảng trắng ở đầu và cuối  ",
    "",
    "\nbắt đầu bằng xuống dòng\n",
    "{_{ không phải mẫu }_} ]]> &amp; &#39;",
]


def tricky_dataset():
    ds = S.dataset()
    extra = []
    for i, text in enumerate(TEXTS * 4):   # enough rows for a long list, every text several times
        extra.append(dataclasses.replace(ds.petitions[0], row=100 + i, ma=f"KN-2024-06-{100 + i:03d}",
                                         noi_dung=text, nguoi_kien_nghi=f"Người {i} <&>"))
    return dataclasses.replace(ds, petitions=ds.petitions + extra)


def contexts():
    ds = tricky_dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    cal = documents.working_calendar(ds)
    conf = next(c for c in ds.conferences if c.ma == S.CONF)
    dept = next(d for d in ds.departments if d.ma == "DC")
    mine = documents.department_petitions(documents.usable_dataset(ds, summary), dept)
    late = dondoc.overdue_petitions(ds, dept, S.TODAY, cal)
    assert len(late) > 20
    return [
        ("ketqua", documents.ketqua_context(ds, summary, conf, today=S.TODAY)),
        ("phieuchuyen", documents.phieuchuyen_context(ds, summary, dept, mine, today=S.TODAY, calendar=cal)),
        ("dondoc", dondoc.dondoc_context(ds, summary, dept, late, today=S.TODAY, calendar=cal)),
        ("thang", documents.thang_context(ds, summary, 2024, 7, today=S.TODAY, calendar=cal)),
    ]


def part(path, name="word/document.xml") -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


@pytest.mark.parametrize("kind,ctx", contexts(), ids=lambda x: x if isinstance(x, str) else "")
def test_spliced_rows_are_docxtpl_s_xml(kind, ctx, tmp_path):
    spliced = render_template(kind, ctx, tmp_path / "spliced.docx")
    jinja = render_template(kind, ctx, tmp_path / "jinja.docx", splice_rows=False)
    exp, got = part(jinja), part(spliced)
    assert rows.plan(documents.common.wordtemplates.template_path(kind, None), ctx) is not None
    # docxtpl turns a typed "{_{" into "{{" (its own escape for template text); a spliced row keeps
    # what the clerk typed, so that one text is compared apart
    assert got.replace(b"{_{", b"{{").replace(b"}_}", b"}}") == exp
    assert b"{_{ kh\xc3\xb4ng" in got
    with zipfile.ZipFile(spliced) as a, zipfile.ZipFile(jinja) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name not in ("word/document.xml", "docProps/core.xml"):
                assert a.read(name) == b.read(name), name
    table_texts = [c.text for t in Document(str(spliced)).tables for r in t.rows for c in r.cells]
    assert "Xin hỏi {{ 7*7 }} và {% if true %}X{% endif %} <b>đậm</b> & Công ty A&B" in table_texts
    if kind != "thang":   # the monthly report lists each text on one line
        assert "Dòng một.\nDòng hai <i>nghiêng</i>\n\nDòng bốn & \"ngoặc kép\" và 'ngoặc đơn'" in table_texts


def test_a_row_with_more_than_fields_is_left_to_docxtpl(tmp_path):
    """A staff template whose petition row holds a condition is rendered by docxtpl, correctly."""
    import shutil

    src = documents.common.wordtemplates.template_path("ketqua", None)
    folder = tmp_path / "mau-van-ban"
    folder.mkdir()
    own = folder / src.name
    shutil.copyfile(src, own)
    with zipfile.ZipFile(src) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    assert "{{ r.han }}" in xml
    parts["word/document.xml"] = xml.replace("{{ r.han }}", "{% if r.han %}{{ r.han }}{% else %}-{% endif %}"
                                             ).encode("utf-8")
    with zipfile.ZipFile(own, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, parts[n])
    ctx = contexts()[0][1]
    assert all(loop.name != "kien_nghi" for loop in rows.plan(own, ctx)[1])
    got = render_template("ketqua", ctx, tmp_path / "own.docx", folder)
    exp = render_template("ketqua", ctx, tmp_path / "own-jinja.docx", folder, splice_rows=False)
    assert part(got) == part(exp)
    assert any(c.text == S.TRICKY for t in Document(str(got)).tables for r in t.rows for c in r.cells)


@pytest.mark.parametrize("text", ["dòng\rmới", "trang\fmới", "đoạn\amới", "ký tự\x0blạ"])
def test_a_text_a_row_cannot_hold_exactly_is_left_to_docxtpl(text, tmp_path):
    kind, ctx = contexts()[1]
    ctx = dict(ctx, kien_nghi=[dict(r) for r in ctx["kien_nghi"]])
    ctx["kien_nghi"][3]["noi_dung"] = text
    got = render_template(kind, ctx, tmp_path / "spliced.docx")
    exp = render_template(kind, ctx, tmp_path / "jinja.docx", splice_rows=False)
    assert part(got) == part(exp)
