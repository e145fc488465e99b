"""The real-petition tables the routing tests measure, in both structures of departments.

Every table holds petitions worded as citizens worded them at ward and commune meetings or
in published answers to voters, each with its public source (URL and title) and the
department a ward clerk must give it in each structure (code as in ``defaults.BEFORE_2025``
and ``defaults.ND150_PHUONG``; CT = Chuyển cấp trên). Where two departments could fairly
lead, the cell lists both ("VP|HCC") and either counts as right.

- tests/data/routing_real_petitions.csv (table 2, issue 17; seen since issue 17b);
- tests/data/routing_heldout_petitions.csv (table 3, issue 17b; seen since issue 28);
- tests/data/routing_2025_petitions.csv (table 4, issue 28: petitions of 2025-2026, the
  two-level era): column ``tap`` says ``giu`` (held out: labelled and committed before being
  measured, never read to change the rules) or ``dieu_chinh`` (written for the miss patterns
  of issue 28 and used while tuning);
- tests/data/routing_2026_petitions.csv (table 5, issue 28 continued: petitions of 2025-2026):
  ``tap`` says ``giu`` (a second held-out batch, from pages no other row cites, committed before
  any rule change and measured before and after it, its misses not read to change a rule) or
  ``bo_sung`` (departments with few rows: the Front's duties — khu dân cư, Quỹ Vì người nghèo,
  nhà Đại đoàn kết, giám sát, Ban Thanh tra nhân dân, hòa giải ở cơ sở where the Front leads,
  Ngày hội Đại đoàn kết — certification, the office, the one-stop centre, the military);
- tests/data/routing_table6_petitions.csv (table 6, issue 28 continued: a third held-out batch of
  2025-2026, every row ``giu``): 33 petitions from 15 pages no row of tables 2-5 cites, labelled in
  both structures and committed alone before any rule change that followed; scored then (counts
  only), and its misses read only after the last rule change (docs/ROUTING.md);
- tests/data/routing_table7_petitions.csv (table 7, issue 28 continued: a fourth held-out batch of
  2025-2026, every row ``giu``): 33 petitions from 22 pages no row of tables 2-6 cites, labelled in
  both structures and committed alone before the "what is asked" reading; scored then (counts only)
  and once after it, its misses read only then and not fixed (docs/ROUTING.md).

The NĐ 150 labels of tables 2 and 3 follow from their labels of before (DC, TC -> KT;
VHTT -> VHXH; TP -> VP, or VP|HCC for civil status and certification; VP -> VP|HCC for a
procedure at the one-stop desk): the duties moved with the posts.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).with_name("data")
REAL_TABLE = DATA / "routing_real_petitions.csv"
HELDOUT_TABLE = DATA / "routing_heldout_petitions.csv"
TABLE_2025 = DATA / "routing_2025_petitions.csv"
TABLE_2026 = DATA / "routing_2026_petitions.csv"
TABLE_6 = DATA / "routing_table6_petitions.csv"
TABLE_7 = DATA / "routing_table7_petitions.csv"
HELD_OUT, TUNING, THIN = "giu", "dieu_chinh", "bo_sung"


@dataclass(frozen=True)
class RealPetition:
    line: int                      # line in the CSV (header = 1)
    content: str
    expected: str                  # department code(s) before July 2025, "A|B" = either
    expected_nd150: str            # department code(s) of NĐ 150, "A|B" = either
    why: str
    url: str
    title: str
    table: str = ""                # file name
    tap: str = ""                  # tables 4, 5: giu (held out), dieu_chinh (tuning), bo_sung (thin departments)

    def allowed(self, nd150: bool = False) -> tuple[str, ...]:
        return tuple((self.expected_nd150 if nd150 else self.expected).split("|"))


def real_petitions(table: Path = REAL_TABLE) -> list[RealPetition]:
    with table.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [RealPetition(i, r["noi_dung"], r["bo_phan"], r["bo_phan_nd150"], r["ly_do"], r["nguon_url"],
                         r["nguon_tieu_de"], table.name, r.get("tap") or "")
            for i, r in enumerate(rows, start=2)]


def heldout_petitions() -> list[RealPetition]:
    return real_petitions(HELDOUT_TABLE)


def petitions_2025(tap: str | None = None) -> list[RealPetition]:
    rows = real_petitions(TABLE_2025)
    return [r for r in rows if tap is None or r.tap == tap]


def petitions_2026(tap: str | None = None) -> list[RealPetition]:
    rows = real_petitions(TABLE_2026)
    return [r for r in rows if tap is None or r.tap == tap]


def petitions_table6() -> list[RealPetition]:
    return real_petitions(TABLE_6)


def petitions_table7() -> list[RealPetition]:
    return real_petitions(TABLE_7)


def all_tables() -> list[RealPetition]:
    """Tables 2, 3, 4, 5 and 6, every row once (the tables the targets were set on)."""
    return real_petitions() + heldout_petitions() + petitions_2025() + petitions_2026() + petitions_table6()


def every_table() -> list[RealPetition]:
    """Tables 2 to 7, every row once."""
    return all_tables() + petitions_table7()


# --- routers of each structure -----------------------------------------------------------

def structure_parts(structure):
    """(Bộ phận, Phân công) as `doithoai init` seeds them for ``structure`` (names in the rules)."""
    from toolkit.core.model import Department, Rule

    departments = [Department(row=i, ma=code, ten=name) for i, (code, name) in enumerate(structure.departments, 2)]
    names = dict(structure.departments)
    rules = [Rule(row=i, uu_tien=r.priority, linh_vuc=r.field, tu_khoa=list(r.keywords), chu_tri=names[r.lead],
                  phoi_hop=[names[c] for c in r.coordinators], han=r.days, ghi_chu=r.note)
             for i, r in enumerate(sorted(structure.rules, key=lambda r: r.priority), start=2)]
    return departments, rules


@dataclass
class Score:
    """How a router did on a table.

    - ``right``: a confident answer naming an allowed department;
    - ``flagged``: a guess the clerk is asked to confirm (Đoán, cần xác nhận), right or not;
      ``flagged_right`` of them name an allowed department as the lead;
    - ``silently_wrong``: a confident answer that is wrong.
    Accuracy (``lead_right``) counts every row whose Bộ phận chủ trì is allowed, confident or
    flagged: the department the clerk finds filled in is the right one."""
    total: int = 0
    right: int = 0
    flagged: int = 0
    flagged_right: int = 0
    silently_wrong: int = 0
    misses: list = field(default_factory=list)
    per_department: Counter = field(default_factory=Counter)       # primary code -> rows
    per_department_right: Counter = field(default_factory=Counter)
    confusions: Counter = field(default_factory=Counter)           # (expected, got) -> rows
    rows: list = field(default_factory=list)                       # (content, allowed, got, flagged)

    @property
    def lead_right(self) -> int:
        return self.right + self.flagged_right

    def share(self, n: int) -> float:
        return n / self.total if self.total else 0.0

    @property
    def accuracy(self) -> float:
        return self.share(self.lead_right)

    def recall(self) -> dict[str, float]:
        return {d: self.per_department_right[d] / n for d, n in sorted(self.per_department.items())}

    def line(self, name: str) -> str:
        return (f"{name}: {self.total} kiến nghị; đúng bộ phận {self.lead_right} ({self.accuracy:.1%}), "
                f"trong đó chắc chắn {self.right} ({self.share(self.right):.1%}); "
                f"đánh dấu cần xác nhận {self.flagged} ({self.share(self.flagged):.1%}), "
                f"sai mà không báo {self.silently_wrong} ({self.share(self.silently_wrong):.1%})")

    def report(self, name: str) -> str:
        recall = ", ".join(f"{d} {self.per_department_right[d]}/{n}" for d, n in sorted(self.per_department.items()))
        pairs = ", ".join(f"{e}→{g} {n}" for (e, g), n in self.confusions.most_common(8))
        return "\n".join([self.line(name), f"  recall: {recall}", f"  nhầm: {pairs or '-'}"] + self.misses)


def _codes(exp) -> tuple[str, ...]:
    return tuple(exp.split("|")) if isinstance(exp, str) else tuple(exp)


def score(router, departments, rows) -> Score:
    """``rows``: (content, field, expected code or codes: "A|B" or a tuple, either counts)."""
    from toolkit.core.model import Petition
    from toolkit.rules.routing import GUESS_MARK

    code = {d.ten: d.ma for d in departments}
    s = Score()
    for i, (content, fld, exp) in enumerate(rows, start=2):
        allowed = _codes(exp)
        a = router.route(Petition(row=i, noi_dung=content, linh_vuc=fld))
        got = code.get(a.lead, f"?{a.lead}")
        ok = got in allowed
        flagged = a.basis.startswith(GUESS_MARK)
        s.total += 1
        s.per_department[allowed[0]] += 1
        s.per_department_right[allowed[0]] += ok
        s.rows.append((content, allowed, got, flagged))
        if not ok:
            s.confusions[(allowed[0], got)] += 1
        if flagged:
            s.flagged += 1
            s.flagged_right += ok
            if not ok:
                s.misses.append(f"  [đoán] exp {'|'.join(allowed):8} got {got:5} :: {content}")
        elif ok:
            s.right += 1
        else:
            s.silently_wrong += 1
            s.misses.append(f"  [SAI]  exp {'|'.join(allowed):8} got {got:5} ({a.basis[:90]}) :: {content}")
    return s


def score_structure(structure, rows: list[RealPetition], *, learner: bool = False, folds: int = 10) -> Score:
    """Score the seeded rules of ``structure`` on ``rows``; with ``learner``, each row is routed
    with the register's history (toolkit.rules.learning.History, as a person typed it) made of the
    rows of the other folds: ``folds``-fold cross-validation, never the row itself."""
    from toolkit.core import defaults
    from toolkit.rules.routing import Router

    nd150 = structure is not defaults.BEFORE_2025
    departments, rules = structure_parts(structure)
    labelled = [(r.content, "", r.allowed(nd150)) for r in rows]
    if not learner:
        return score(Router(rules, departments), departments, labelled)
    from toolkit.rules.learning import Example, History

    names = dict(structure.departments)
    total = Score()
    for k in range(folds):
        test = [row for i, row in enumerate(labelled) if i % folds == k]
        train = [Example(content, names[allowed[0]], f"KN-2025-01-{i + 1:03d}")
                 for i, (content, _f, allowed) in enumerate(labelled) if i % folds != k]
        part = score(Router(rules, departments, history=History(train)), departments, test)
        _add(total, part)
    return total


def _add(total: Score, part: Score) -> None:
    for name in ("total", "right", "flagged", "flagged_right", "silently_wrong"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.misses += part.misses
    total.rows += part.rows
    total.per_department.update(part.per_department)
    total.per_department_right.update(part.per_department_right)
    total.confusions.update(part.confusions)
