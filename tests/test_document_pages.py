"""Pages repeated per delegate, spliced without Jinja (toolkit.outputs.documents.pages), make the very
document part docxtpl makes: the giấy mời's word/document.xml compared byte for byte with texts a
clerk may type in a name or a position (markup, template syntax, quotes, line breaks, tabs, spaces
at the ends, blanks); a staff template whose page depends on more than the delegate's fields, or a
text a page cannot hold exactly, falls back to docxtpl."""

from __future__ import annotations

import zipfile

import pytest
from docx import Document

import docsample as S
from toolkit.outputs import documents, summaries
from toolkit.outputs.documents import pages
from toolkit.outputs.documents.common import render_template, wordtemplates

TEXTS = [
    S.TRICKY,
    "Dòng một.\nDòng hai <i>nghiêng</i> & \"ngoặc kép\" và 'ngoặc đơn'",
    "Cột\tsau tab\t",
    "  hai khoảng trắng ở đầu và cuối  ",
    "",
    "Nguyễn Thị Ánh Tuyết",
]


def context(n: int = 14) -> dict:
    ds = S.dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    conf = next(c for c in ds.conferences if c.ma == S.CONF)
    ctx = documents.giaymoi_context(ds, summary, conf, today=S.TODAY)
    first = ctx["dai_bieu"][0]
    ctx["dai_bieu"] = [dict(first, ho_ten=TEXTS[i % len(TEXTS)], mo_ta=TEXTS[(i + 2) % len(TEXTS)])
                       for i in range(n)]
    return ctx


def part(path, name="word/document.xml") -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


@pytest.mark.parametrize("n", [2, 3, 14])
def test_spliced_pages_are_docxtpl_s_xml(n, tmp_path):
    ctx = context(n)
    assert pages.plan(wordtemplates.template_path("giaymoi", None), ctx, "dai_bieu") is not None
    spliced = render_template("giaymoi", ctx, tmp_path / "spliced.docx")
    jinja = render_template("giaymoi", ctx, tmp_path / "jinja.docx", splice_rows=False)
    assert part(spliced) == part(jinja)
    with zipfile.ZipFile(spliced) as a, zipfile.ZipFile(jinja) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name != "docProps/core.xml":
                assert a.read(name) == b.read(name), name
    text = "\n".join(p.text for p in Document(str(spliced)).paragraphs)
    assert text.count("GIẤY MỜI") == n
    assert S.TRICKY in text


def test_one_delegate_is_left_to_docxtpl(tmp_path):
    ctx = context(1)
    assert pages.plan(wordtemplates.template_path("giaymoi", None), ctx, "dai_bieu") is None
    got = render_template("giaymoi", ctx, tmp_path / "one.docx")
    assert part(got) == part(render_template("giaymoi", ctx, tmp_path / "jinja.docx", splice_rows=False))


def _own_template(tmp_path, old: str, new: str):
    src = wordtemplates.template_path("giaymoi", None)
    folder = tmp_path / "mau-van-ban"
    folder.mkdir()
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    assert old in xml
    parts["word/document.xml"] = xml.replace(old, new).encode("utf-8")
    with zipfile.ZipFile(folder / src.name, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return folder


@pytest.mark.parametrize("old,new", [
    ("{{ d.ho_ten }}", "{{ loop.index }}. {{ d.ho_ten }}"),           # a number per page
    ("{{ d.ho_ten }}", "{{ d.ho_ten | upper }}"),                      # a filter changes the value
    ("{{ d.ho_ten }}", "{% if d.ho_ten %}{{ d.ho_ten }}{% endif %}"),  # a condition on the value
])
def test_a_page_that_depends_on_more_than_fields_is_left_to_docxtpl(old, new, tmp_path):
    folder = _own_template(tmp_path, old, new)
    ctx = context(5)
    got = render_template("giaymoi", ctx, tmp_path / "own.docx", folder)
    exp = render_template("giaymoi", ctx, tmp_path / "own-jinja.docx", folder, splice_rows=False)
    assert part(got) == part(exp)


@pytest.mark.parametrize("text", ["dòng\rmới", "trang\fmới", "ký tự\x0blạ"])
def test_a_text_a_page_cannot_hold_exactly_is_left_to_docxtpl(text, tmp_path):
    ctx = context(4)
    ctx["dai_bieu"][2]["ho_ten"] = text
    got = render_template("giaymoi", ctx, tmp_path / "spliced.docx")
    assert part(got) == part(render_template("giaymoi", ctx, tmp_path / "jinja.docx", splice_rows=False))
