"""Word templates: the defaults are edited in templates/ at the top and ship inside the package;
staff's copies in mau-van-ban/ beside the workbook replace them and are part of the fingerprints."""

from __future__ import annotations

from docx import Document

from clirun import doithoai, english_in
from docsample import docx_content
from conftest import TEMPLATES, build_tool
from toolkit.outputs import wordtemplates
from toolkit.pipeline import passes
from toolkit.starter import sample

TODAY = sample.SAMPLE_TODAY


def test_a_checkout_renders_from_the_top_level_templates_folder():
    assert wordtemplates.PACKAGED_DIR == TEMPLATES
    assert (TEMPLATES / wordtemplates.DASHBOARD_TEMPLATE).is_file()


def test_shipped_templates_are_what_maketemplates_builds(tmp_path):
    """Compared by content (paragraphs and table cells), not by the bytes of a file."""
    tool = build_tool("maketemplates")
    built = tool.build_all(tmp_path)
    assert sorted(p.name for p in built) == sorted([*wordtemplates.TEMPLATES.values(), *tool.OTHERS])
    for p in built:
        assert docx_content(p) == docx_content(wordtemplates.PACKAGED_DIR / p.name), p.name


def test_command_copies_the_defaults_beside_the_workbook_and_keeps_edited_ones(tmp_path):
    book = tmp_path / "so.xlsx"
    ran = doithoai("mau-van-ban", book)
    assert ran.code == 0, ran.text
    folder = tmp_path / "mau-van-ban"
    assert f"Đã chép {len(wordtemplates.TEMPLATES)} mẫu văn bản" in ran.out and str(folder) in ran.out and not english_in(ran.text)
    for name in wordtemplates.TEMPLATES.values():
        assert docx_content(folder / name) == docx_content(wordtemplates.PACKAGED_DIR / name)

    edited = folder / "giay-moi.docx"
    edited.write_bytes(b"staff's own invitation")
    again = doithoai("mau-van-ban", book)
    assert again.code == 0 and f"Giữ nguyên {len(wordtemplates.TEMPLATES)} mẫu đã có" in again.out and "giay-moi.docx" in again.out
    assert edited.read_bytes() == b"staff's own invitation"
    assert doithoai("mau-van-ban", book, "--force").code == 0
    assert docx_content(edited) == docx_content(wordtemplates.PACKAGED_DIR / "giay-moi.docx")


def test_init_copies_the_templates_on_request(tmp_path):
    ran = doithoai("init", tmp_path / "so.xlsx", "--mau-van-ban")
    assert ran.code == 0, ran.text
    assert sorted(p.name for p in (tmp_path / "mau-van-ban").iterdir()) == sorted(wordtemplates.TEMPLATES.values())


def test_edited_template_beside_the_workbook_is_used_and_remakes_only_its_documents(sample_copy):
    first = passes.run(sample_copy, today=TODAY)
    assert not first.output_errors
    assert doithoai("mau-van-ban", sample_copy).code == 0
    unchanged = passes.run(sample_copy, today=TODAY)
    assert unchanged.rebuilt == []          # unedited copies of the defaults: the same documents

    template = sample_copy.parent / "mau-van-ban" / "thong-bao.docx"
    doc = Document(str(template))
    doc.add_paragraph("Kính mời bà con tổ dân phố đến dự đông đủ, đúng giờ.")
    doc.save(str(template))
    result = passes.run(sample_copy, today=TODAY)
    assert not result.output_errors
    rebuilt = {p.name for p in result.rebuilt}
    assert rebuilt == {"thong-bao-HN-2024-06.docx", "thong-bao-HN-2024-11.docx"}
    made = docx_content(result.out_dir / "thong-bao-HN-2024-11.docx")
    assert "Kính mời bà con tổ dân phố đến dự đông đủ, đúng giờ." in made["paragraphs"]
