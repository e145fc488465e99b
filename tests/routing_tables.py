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


@dataclass(frozen=True)
class RealPetition:
    line: int          # line in the CSV (header = 1)
    content: str
    expected: str      # department code
    why: str
    url: str
    title: str


def real_petitions() -> list[RealPetition]:
    with REAL_TABLE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [RealPetition(i, r["noi_dung"], r["bo_phan"], r["ly_do"], r["nguon_url"], r["nguon_tieu_de"])
            for i, r in enumerate(rows, start=2)]
