"""The two routing tables the routing tests measure (tests/test_routing_accuracy.py, test_routing_real.py).

The second table (tests/data/routing_real_petitions.csv) holds petitions worded as
citizens worded them at ward and commune meetings or in published answers to
voters, each with its public source (URL and title) and the department a ward
clerk must give it (code as in defaults.DEPARTMENTS; CT = Chuyển cấp trên).
It was written before the rules of issue 17 and is never used to write them.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

REAL_TABLE = Path(__file__).with_name("data") / "routing_real_petitions.csv"
# The third table (issue 17b): same columns, 100 petitions from 32 other public pages, written
# and committed before any routing change of issue 17b, never read to write the rules.
HELDOUT_TABLE = Path(__file__).with_name("data") / "routing_heldout_petitions.csv"


@dataclass(frozen=True)
class RealPetition:
    line: int          # line in the CSV (header = 1)
    content: str
    expected: str      # department code
    why: str
    url: str
    title: str


def real_petitions(table: Path = REAL_TABLE) -> list[RealPetition]:
    with table.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [RealPetition(i, r["noi_dung"], r["bo_phan"], r["ly_do"], r["nguon_url"], r["nguon_tieu_de"])
            for i, r in enumerate(rows, start=2)]


def heldout_petitions() -> list[RealPetition]:
    return real_petitions(HELDOUT_TABLE)


@dataclass
class Score:
    """How a router did on a table: right, flagged for review (a guess the clerk is asked to
    confirm, right or not), silently wrong (a confident answer that is wrong)."""
    total: int = 0
    right: int = 0
    flagged: int = 0
    silently_wrong: int = 0
    misses: list = None

    def share(self, n: int) -> float:
        return n / self.total if self.total else 0.0

    def line(self, name: str) -> str:
        return (f"{name}: {self.total} kiến nghị; đúng {self.right} ({self.share(self.right):.1%}), "
                f"đánh dấu cần xác nhận {self.flagged} ({self.share(self.flagged):.1%}), "
                f"sai mà không báo {self.silently_wrong} ({self.share(self.silently_wrong):.1%})")


def score(router, departments, rows) -> Score:
    """``rows``: (content, field, expected code). A flagged row counts as flagged, even when its guess is right."""
    from toolkit.core.model import Petition
    from toolkit.rules.routing import GUESS_MARK

    code = {d.ten: d.ma for d in departments}
    s = Score(misses=[])
    for i, (content, field, exp) in enumerate(rows, start=2):
        a = router.route(Petition(row=i, noi_dung=content, linh_vuc=field))
        got = code.get(a.lead, f"?{a.lead}")
        s.total += 1
        if a.basis.startswith(GUESS_MARK):
            s.flagged += 1
            if got != exp:
                s.misses.append(f"  [đoán] exp {exp:5} got {got:5} :: {content}")
        elif got == exp:
            s.right += 1
        else:
            s.silently_wrong += 1
            s.misses.append(f"  [SAI]  exp {exp:5} got {got:5} ({a.basis[:90]}) :: {content}")
    return s
