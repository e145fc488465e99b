"""The real-petition tables, in both structures of departments (issues 17, 17b, 28).

tests/routing_tables.py says what each table is and what was seen when (also docs/ROUTING.md):
tables 2 and 3, the tuning rows of table 4 and the rows of table 5 for thin departments
(``tap`` = bo_sung) were read while writing the rules; the held-out rows of tables 4 and 5
(``tap`` = giu) were labelled and committed before being measured. Table 4's held-out misses
were listed in docs/ROUTING.md and some of them were fixed later (they are seen now); table 5's
held-out rows were measured before and after the rule changes they came with, and their misses
were not read to change a rule; table 6's misses were read to design the reading of the act asked, and
table 7 (every row held out) was committed and scored before that reading and once after it, its misses
listed and not fixed. Every row is labelled twice: the posts of before July 2025 (the 2024
sample) and the bodies of Nghị định 150/2025/NĐ-CP (a register of the current year); where
two departments could fairly lead, either counts.

Accuracy counts a row right when its Bộ phận chủ trì is an allowed department, confident or
marked "Đoán, cần xác nhận"; flagged and silently wrong rows are reported beside it.
"""

from __future__ import annotations

import pytest

from toolkit.core import defaults

from routing_tables import (HELD_OUT, THIN, TUNING, all_tables, every_table, heldout_petitions, petitions_2025,
                            petitions_2026, petitions_table6, petitions_table7, real_petitions, score_structure)

STRUCTURES = [defaults.BEFORE_2025, defaults.ND150_PHUONG]
# Every department of both structures has at least this many rows in the tables (the Front had 2
# before table 5), so the recall target holds for every department.
MIN_ROWS_FOR_RECALL = 8


def _table(s) -> str:
    """Every row as exp/got, then the summary (printed by the tests, shown on failure)."""
    lines = [f"  {'✓' if got in allowed else '✗'} exp {'|'.join(allowed):9} got {got:5}"
             f"{' (đoán)' if flagged else ''} :: {content[:110]}"
             for content, allowed, got, flagged in s.rows]
    return "\n".join(lines)


def test_tables_are_large_sourced_and_labelled_in_both_structures():
    rows = all_tables()
    assert len(rows) >= 150
    old = {c for c, _ in defaults.BEFORE_2025.departments}
    new = {c for c, _ in defaults.ND150_PHUONG.departments}
    for r in rows:
        assert r.content.strip() and set(r.allowed()) <= old and set(r.allowed(nd150=True)) <= new, r
        assert r.url.startswith(("http://", "https://")) and r.title.strip(), r
    assert len({r.content for r in rows}) == len(rows)                  # no petition twice
    assert len({r.url for r in rows}) >= 100                            # many sources, not one page


def test_the_held_out_rows_of_2025_come_from_pages_no_other_table_cites():
    held, tuning = petitions_2025(HELD_OUT), petitions_2025(TUNING)
    assert len(held) >= 40 and len(tuning) >= 25
    assert {r.tap for r in petitions_2025()} == {HELD_OUT, TUNING}
    others = {r.url for r in real_petitions() + heldout_petitions() + tuning}
    assert not {r.url for r in held} & others
    assert len({r.url for r in held}) >= 12
    assert all("2025" in r.title or "2026" in r.title for r in held)


def test_the_second_held_out_batch_comes_from_pages_no_other_row_cites():
    """Table 5: >= 30 held-out petitions of 2025-2026 from many pages, and the thin departments' rows."""
    held, thin = petitions_2026(HELD_OUT), petitions_2026(THIN)
    assert len(held) >= 30 and {r.tap for r in petitions_2026()} == {HELD_OUT, THIN}
    others = {r.url for r in real_petitions() + heldout_petitions() + petitions_2025() + thin}
    assert not {r.url for r in held} & others
    assert len({r.url for r in held}) >= 20
    assert all("2025" in r.title or "2026" in r.title for r in held)
    front = [r for r in petitions_2026() if r.allowed()[0] == "MTTQ"]
    assert len([r for r in front if r.tap == THIN]) >= 8 and len(front) >= 16


def test_the_third_held_out_batch_comes_from_pages_no_other_row_cites():
    """Table 6: >= 30 petitions of 2025-2026, all held out, from pages no row of tables 2-5 cites."""
    held = petitions_table6()
    assert len(held) >= 30 and {r.tap for r in held} == {HELD_OUT}
    others = {r.url for r in real_petitions() + heldout_petitions() + petitions_2025() + petitions_2026()}
    assert not {r.url for r in held} & others
    assert len({r.url for r in held}) >= 12
    assert all("2025" in r.title or "2026" in r.title for r in held)


def test_the_fourth_held_out_batch_comes_from_pages_no_other_row_cites():
    """Table 7: >= 30 petitions of 2025-2026, all held out, from pages no row of tables 2-6 cites."""
    held = petitions_table7()
    assert len(held) >= 30 and {r.tap for r in held} == {HELD_OUT}
    assert not {r.url for r in held} & {r.url for r in all_tables()}
    assert len({r.url for r in held}) >= 15
    assert all("2025" in r.title or "2026" in r.title for r in held)
    assert not {r.content for r in held} & {r.content for r in all_tables()}
    firsts = {r.allowed()[0] for r in held}
    assert len(firsts) >= 8, firsts                  # spread over departments, not only the easy ones


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_fourth_held_out_batch(structure):
    """Table 7's rows: scored when committed, before the "what is asked" reading, and once after it
    (docs/ROUTING.md); with the learner too (10-fold within table 7)."""
    s = score_structure(structure, petitions_table7())
    learnt = score_structure(structure, petitions_table7(), learner=True)
    print("\n" + _table(s) + "\n" + s.report(f"Bảng 7, giữ lại, {structure.title}")
          + "\n" + learnt.line("Bảng 7, quy tắc + lịch sử phân công"))
    assert s.accuracy >= TABLE_7_FLOOR[structure.key], s.line(structure.key)
    assert learnt.lead_right >= s.lead_right


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_every_table_with_table_7(structure):
    """Tables 2 to 7 together, rules alone and with the learner (the figures of docs/ROUTING.md)."""
    s = score_structure(structure, every_table())
    learnt = score_structure(structure, every_table(), learner=True)
    print("\n" + s.report(f"Bảng 2-7, {structure.title}, chỉ quy tắc").split("\n  [")[0]
          + "\n" + learnt.line("Bảng 2-7, quy tắc + lịch sử phân công"))
    assert learnt.lead_right >= s.lead_right


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_third_held_out_batch(structure):
    """Table 6's rows: scored when committed, before any further rule change, and after (docs/ROUTING.md)."""
    s = score_structure(structure, petitions_table6())
    print("\n" + _table(s) + "\n" + s.report(f"Bảng 6, giữ lại, {structure.title}"))
    assert s.accuracy >= TABLE_6_FLOOR[structure.key], s.line(structure.key)


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_every_department_has_enough_rows(structure):
    s = score_structure(structure, all_tables())
    codes = [c for c, _ in structure.departments]
    assert {d: s.per_department[d] for d in codes if s.per_department[d] < MIN_ROWS_FOR_RECALL} == {}


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_targets_on_every_table_in_both_structures(structure):
    """Issue 28's targets: >= 90 % of the rows, no department below 75 % recall (each has >= 8 rows)."""
    s = score_structure(structure, all_tables())
    print("\n" + _table(s) + "\n" + s.report(f"Bảng 2-6, {structure.title}, chỉ quy tắc"))
    assert s.accuracy >= 0.90, s.report(structure.key)
    low = {d: f"{r:.0%}" for d, r in s.recall().items() if r < 0.75 and s.per_department[d] >= MIN_ROWS_FOR_RECALL}
    assert not low, s.report(structure.key)
    assert s.share(s.silently_wrong) <= 0.06, s.report(structure.key)       # measured: 4.8 %


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_the_learner_never_lowers_the_rules(structure):
    """Rules alone, and rules with the register's history (10-fold: each row learns from the others)."""
    rows = all_tables()
    alone = score_structure(structure, rows)
    learnt = score_structure(structure, rows, learner=True)
    print("\n" + alone.line("chỉ quy tắc") + "\n" + learnt.line("quy tắc + lịch sử phân công"))
    assert learnt.lead_right >= alone.lead_right
    assert learnt.silently_wrong <= alone.silently_wrong + 2


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_held_out_rows_of_2025(structure):
    """Table 4's held-out rows, never read to change a rule: the figure as measured once (docs/ROUTING.md)."""
    s = score_structure(structure, petitions_2025(HELD_OUT))
    print("\n" + _table(s) + "\n" + s.report(f"Bảng 4, giữ lại, {structure.title}"))
    assert s.accuracy >= HELD_OUT_FLOOR[structure.key], s.report(structure.key)


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_second_held_out_batch(structure):
    """Table 5's held-out rows: measured before the rule changes of table 5 and after (docs/ROUTING.md)."""
    s = score_structure(structure, petitions_2026(HELD_OUT))
    print("\n" + _table(s) + "\n" + s.report(f"Bảng 5, giữ lại, {structure.title}"))
    assert s.accuracy >= HELD_OUT_2026_FLOOR[structure.key], s.report(structure.key)


# The held-out accuracy measured once, after the tuning was finished (docs/ROUTING.md); a floor,
# so that a later change that loses held-out rows fails here. Table 4: 41 of 48 (85.4 %) in both
# when measured; its listed misses were read later (issue 28, table 5) and 5 of them fixed (46 of 48 now).
HELD_OUT_FLOOR = {"truoc-2025": 0.95, "nd150-phuong": 0.95}
# Table 5: before the rule changes 25 of 36 (69.4 %) and 24 of 36 (66.7 %); after, 27 of 36 (75.0 %)
# and 26 of 36 (72.2 %). Its 10 listed misses were then read to write the rules of table 6's round
# (a compound, relief asked, mediation asked, a provincial anchorage, words no rule knew): 36 of 36 now,
# no longer a held-out figure (docs/ROUTING.md).
HELD_OUT_2026_FLOOR = {"truoc-2025": 0.97, "nd150-phuong": 0.97}
# Table 6, committed alone and scored before any further rule change: 24 of 33 (72.7 %) in both structures;
# after the rule changes of its round, the same 24 of 33 (docs/ROUTING.md).
TABLE_6_FLOOR = {"truoc-2025": 0.72, "nd150-phuong": 0.72}
# Table 7, committed alone and scored before the "what is asked" reading: 28 of 33 (84.8 %) before 2025 and
# 27 of 33 (81.8 %) in NĐ 150; after it, the same (no row of table 7 changed); its misses were read then and
# not fixed (docs/ROUTING.md).
TABLE_7_FLOOR = {"truoc-2025": 0.84, "nd150-phuong": 0.81}
