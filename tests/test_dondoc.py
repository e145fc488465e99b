"""The urging letter (issue 14, point 4; issue 24: a công văn of the UBND): `report --kind dondoc
[--department MÃ]`, NĐ 30 layout, one per department with overdue petitions, kept current in ket-qua
by each pass."""

from __future__ import annotations


from docx import Document

import docsample as S
from clirun import doithoai
from test_replies import TODAY, answers, register, run, type_answer  # noqa: F401 - fixture
from toolkit.outputs.documents import dondoc
from toolkit.pipeline import passes
from toolkit.outputs import department_files
from toolkit.outputs import summaries
from toolkit.core.workdays import Calendar


def _text(path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def test_letter_lists_the_overdue_petitions_with_working_days_and_a_deadline(tmp_path):
    ds = S.dataset()
    summary = summaries.build(ds, None, today=S.TODAY)
    cal = Calendar()
    late = dondoc.departments_overdue(ds, S.TODAY, cal)
    assert late, "the document sample has overdue petitions"
    made = dondoc.render_dondoc(ds, summary, tmp_path, today=S.TODAY, calendar=cal)
    assert sorted(p.name for p in made) == sorted(dondoc.file_name(d) for d, _ in late)
    dept, rows = late[0]
    doc = Document(str(tmp_path / dondoc.file_name(dept)))
    header = doc.tables[0]
    left = [p.text for p in header.rows[0].cells[0].paragraphs if p.text]
    right = [p.text for p in header.rows[0].cells[1].paragraphs if p.text]
    # A công văn: ký hiệu UBND-<drafting unit>, its trích yếu "V/v …" under the Số, no tên loại.
    assert left == ["ỦY BAN NHÂN DÂN\nPHƯỜNG HÀ CẦU", "Số:       /UBND-VP",
                    "V/v đôn đốc trả lời kiến nghị của Nhân dân đã quá hạn xử lý"]
    assert right[:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    text = _text(tmp_path / dondoc.file_name(dept))
    assert "GIẤY ĐÔN ĐỐC" not in text and "CÔNG VĂN" not in text
    assert f"Kính gửi: Bộ phận {dept.ten}." in text          # a body, not a bare field name
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells][-1] == "Quá hạn (ngày làm việc)"
    got = [(r.cells[1].text, r.cells[5].text) for r in table.rows[1:]]
    assert got == [(p.ma, str(n)) for p, n in rows]
    deadline = cal.add_workdays(S.TODAY, dondoc.ANSWER_WITHIN)
    assert f"trước ngày {deadline:%d/%m/%Y}" in text
    sign = doc.tables[-1]
    assert sign.rows[0].cells[0].paragraphs[0].text == "Nơi nhận:" and "Như trên;" in sign.rows[0].cells[0].text
    # Signed for the UBND by its Chủ tịch, so not also sent to the Chủ tịch "để b/c".
    assert [p.text for p in sign.rows[0].cells[1].paragraphs if p.text][:2] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert "b/c" not in sign.rows[0].cells[0].text and "Chủ tịch" not in sign.rows[0].cells[0].text
    assert sign.rows[0].cells[0].paragraphs[-1].text == "- Lưu: VT, VP."


def test_report_command_for_one_department_and_an_unknown_one(register):  # noqa: F811
    run(register)
    out = register.parent / "ra"
    ran = doithoai("report", register, "--kind", "dondoc", "--department", "DC", "--out", out)
    assert ran.code == 0, ran.text
    letter = out / "giay-don-doc-DC.docx"
    assert letter.exists() and not (out / "giay-don-doc-VP.docx").exists()
    text = _text(letter)
    assert "KN-2024-06-001" in text and "KN-2024-06-002" in text
    assert "phan-hoi" not in text and ".xlsx" not in text and str(register.parent) not in text   # no path
    bad = doithoai("report", register, "--kind", "dondoc", "--department", "XX", "--out", out)
    assert bad.code != 0 and "Không có bộ phận 'XX'" in bad.text and "DC" in bad.text


def test_each_pass_keeps_the_letters_current(register):  # noqa: F811
    result = passes.run(register, today=TODAY)
    letter = result.out_dir / "giay-don-doc-DC.docx"
    assert letter.exists() and "KN-2024-06-001" in _text(letter)
    dc = department_files.file_for(register, "DC")
    type_answer(dc, "KN-2024-06-001", **answers())
    passes.run(register, today=TODAY)
    text = _text(letter)
    assert "KN-2024-06-001" not in text and "KN-2024-06-002" in text
    type_answer(dc, "KN-2024-06-002", **answers(ket_qua="Đã đo đạc lại ranh giới ngày 02/07/2024, hai hộ "
                                                        "thống nhất mốc giới mới."))
    passes.run(register, today=TODAY)
    assert not letter.exists()            # nothing of DC is overdue any more: no letter urging it
