"""The second routing table: petitions from real public sources (issue 17, point 5)."""

from __future__ import annotations

from toolkit import defaults

from routing_tables import real_petitions


def test_second_table_is_large_sourced_and_well_formed():
    rows = real_petitions()
    assert len(rows) >= 80
    codes = {c for c, _ in defaults.DEPARTMENTS}
    for r in rows:
        assert r.content.strip() and r.expected in codes, r
        assert r.url.startswith(("http://", "https://")) and r.title.strip(), r
    assert len({r.content for r in rows}) == len(rows)          # no petition twice
    assert len({r.url for r in rows}) >= 40                      # many sources, not one page
