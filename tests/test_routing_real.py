"""The second and third routing tables: petitions from real public sources (issue 17, point 5).

tests/data/routing_real_petitions.csv (table 2) was written from news of ward and
commune meetings and published answers to voters, before the rules of issue 17. Its
silent misses were then read to design the signs of a higher level (issue 17b,
toolkit.rules.upward), so it is *seen* now. tests/data/routing_heldout_petitions.csv
(table 3) was written from 32 other public pages and committed before any change of
issue 17b. Each test reports right / flagged for review / silently wrong separately
(also in docs/ROUTING.md, with what was seen when); the bounds are the figures
measured, not hopes.
"""

from __future__ import annotations

from toolkit.core import defaults
from toolkit.rules.routing import Router

from routing_tables import heldout_petitions, real_petitions, score
from test_routing import default_departments, default_rules


def test_second_table_is_large_sourced_and_well_formed():
    rows = real_petitions()
    assert len(rows) >= 80
    codes = {c for c, _ in defaults.DEPARTMENTS}
    for r in rows:
        assert r.content.strip() and r.expected in codes, r
        assert r.url.startswith(("http://", "https://")) and r.title.strip(), r
    assert len({r.content for r in rows}) == len(rows)          # no petition twice
    assert len({r.url for r in rows}) >= 40                      # many sources, not one page


def test_third_table_is_large_sourced_and_apart_from_the_second():
    rows, second = heldout_petitions(), real_petitions()
    assert len(rows) >= 60
    codes = {c for c, _ in defaults.DEPARTMENTS}
    for r in rows:
        assert r.content.strip() and r.expected in codes, r
        assert r.url.startswith(("http://", "https://")) and r.title.strip(), r
    assert len({r.content for r in rows}) == len(rows)
    assert len({r.url for r in rows}) >= 25
    assert not {r.url for r in rows} & {r.url for r in second}          # no source of table 2
    assert not {r.content for r in rows} & {r.content for r in second}


def _rules_alone(rows=None):
    departments = default_departments()
    rows = [(r.content, "", r.expected) for r in (rows if rows is not None else real_petitions())]
    return score(Router(default_rules(), departments), departments, rows)


def test_seeded_rules_on_real_petitions():
    s = _rules_alone()
    print("\n" + s.line("Bảng 2 (kiến nghị thật, đã xem), chỉ quy tắc mặc định"))
    print("\n".join(s.misses))
    # at the level measured after issue 17b (docs/ROUTING.md): right 76.9 %, flagged 18.2 %,
    # silently wrong 5.0 % (6 of 121); issue 17: 80.2 / 5.0 / 14.9 %; before it: 40.5 % right
    assert s.share(s.right) >= 0.76, "\n".join(s.misses)
    assert s.share(s.right) + s.share(s.flagged) >= 0.95


def test_target_silently_wrong():
    """Issue 17's target on the second table: at most 5 % routed wrongly without a warning."""
    s = _rules_alone()
    assert s.share(s.silently_wrong) <= 0.05, "\n".join(s.misses)


def test_seeded_rules_on_held_out_petitions():
    """Table 3, never read to write the rules: the figure as measured, whatever it is.

    Before issue 17b: right 53 %, flagged 21 %, silently wrong 26 %. After: right 51 %,
    flagged 35 %, silently wrong 14 % — the target of 5 % is NOT met on unseen petitions."""
    s = _rules_alone(heldout_petitions())
    print("\n" + s.line("Bảng 3 (kiến nghị thật, chưa xem), chỉ quy tắc mặc định"))
    print("\n".join(s.misses))
    assert s.share(s.silently_wrong) <= 0.15, "\n".join(s.misses)
    assert s.share(s.right) >= 0.50
    assert s.share(s.right) + s.share(s.flagged) >= 0.85
