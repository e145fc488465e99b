"""The second routing table: petitions from real public sources (issue 17, point 5).

tests/data/routing_real_petitions.csv was written from news of ward and commune
meetings and published answers to voters, before the rules of issue 17, and is
never used to write them. The test reports right / flagged for review / silently
wrong separately (also in docs/ROUTING.md). Issue 17's target, silently wrong
<= 5 %, is not met by the seeded rules alone: test_target_silently_wrong says so
(strict xfail), so the day it is met the test asks for this file to be updated.
"""

from __future__ import annotations

import pytest

from toolkit.core import defaults
from toolkit.rules.routing import Router

from routing_tables import real_petitions, score
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


def _rules_alone():
    departments = default_departments()
    rows = [(r.content, "", r.expected) for r in real_petitions()]
    return score(Router(default_rules(), departments), departments, rows)


def test_seeded_rules_on_real_petitions():
    s = _rules_alone()
    print("\n" + s.line("Bảng 2 (kiến nghị thật), chỉ quy tắc mặc định"))
    print("\n".join(s.misses))
    # regression guards at the level measured when issue 17 landed (docs/ROUTING.md);
    # before it: right 40.5 %, 41 of 121 (33.9 %) silently sent to Văn phòng - Thống kê
    assert s.share(s.right) >= 0.78, "\n".join(s.misses)
    assert s.share(s.silently_wrong) <= 0.15, "\n".join(s.misses)
    assert s.share(s.right) + s.share(s.flagged) >= 0.85


@pytest.mark.xfail(strict=True, reason="issue 17 target not met: the seeded rules leave about 15 % "
                                       "silently wrong on the second table (docs/ROUTING.md)")
def test_target_silently_wrong():
    s = _rules_alone()
    assert s.share(s.silently_wrong) <= 0.05
