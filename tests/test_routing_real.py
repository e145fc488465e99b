"""The real-petition tables, in both structures of departments (issues 17, 17b, 28).

tests/routing_tables.py says what each table is and what was seen when (also docs/ROUTING.md):
tables 2 and 3 and the tuning rows of table 4 were read while writing the rules; the held-out
rows of table 4 (``tap`` = giu) were labelled and committed before being measured, and never
read to change a rule. Every row is labelled twice: the posts of before July 2025 (the 2024
sample) and the bodies of Nghị định 150/2025/NĐ-CP (a register of the current year); where
two departments could fairly lead, either counts.

Accuracy counts a row right when its Bộ phận chủ trì is an allowed department, confident or
marked "Đoán, cần xác nhận"; flagged and silently wrong rows are reported beside it.
"""

from __future__ import annotations

import pytest

from toolkit.core import defaults

from routing_tables import (HELD_OUT, TUNING, all_tables, heldout_petitions, petitions_2025, real_petitions,
                            score_structure)

STRUCTURES = [defaults.BEFORE_2025, defaults.ND150_PHUONG]
# Departments with fewer rows than this in the tables are listed, not held to the recall target:
# a recall over one or two petitions says nothing (MTTQ has 2 rows).
MIN_ROWS_FOR_RECALL = 5


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


@pytest.mark.parametrize("structure", STRUCTURES, ids=lambda s: s.key)
def test_targets_on_every_table_in_both_structures(structure):
    """Issue 28's targets: >= 90 % of the rows, no department (with >= 5 rows) below 75 % recall."""
    s = score_structure(structure, all_tables())
    print("\n" + _table(s) + "\n" + s.report(f"Bảng 2+3+4, {structure.title}, chỉ quy tắc"))
    assert s.accuracy >= 0.90, s.report(structure.key)
    low = {d: f"{r:.0%}" for d, r in s.recall().items() if r < 0.75 and s.per_department[d] >= MIN_ROWS_FOR_RECALL}
    assert not low, s.report(structure.key)
    assert s.share(s.silently_wrong) <= 0.07, s.report(structure.key)       # measured: 6.3 %


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


# The held-out accuracy measured once, after the tuning was finished (docs/ROUTING.md); a floor,
# so that a later change that loses held-out rows fails here.
HELD_OUT_FLOOR = {"truoc-2025": 0.85, "nd150-phuong": 0.85}      # measured: 41 of 48 (85.4 %) in both
