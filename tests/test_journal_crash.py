"""The journal survives a SIGKILL at any moment: a save is in it whole or not at all."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import datetime as dt
import time

import pytest

from toolkit.journal import snapshot as snap
from toolkit.journal import store as jr

# A child that records saves as fast as it can, each with CELLS changed cells and a new snapshot.
CHILD = r"""
import datetime as dt, sys
from pathlib import Path
from toolkit.journal import store as jr, snapshot as snap
db = jr.Journal(Path(sys.argv[1]))
cells = int(sys.argv[2])
print("ready", flush=True)
n = 0
while True:
    n += 1
    rows = [(r + 2, f"KN-{r}", (f"KN-{r}", f"lần {n}")) for r in range(cells)]
    new = {"Kiến nghị": snap.SheetSnap(["Mã kiến nghị", "Ghi chú"], rows)}
    changes = [snap.Change("Kiến nghị", snap.CHANGED, f"KN-{r}", r + 2, r + 2, "Ghi chú", f"lần {n - 1}", f"lần {n}")
               for r in range(cells)]
    last = db.last("so.xlsx") or (None, None)        # only the rows that differ are rewritten
    db.record("so.xlsx", at=dt.datetime.now(), who="Trần Thị Bình", source="staff", sha256=f"sha-{n}",
              snapshot=new, changes=changes, base=last[1], base_sha256=last[0])
    if db.notes:
        print("NOTE", db.notes, flush=True)
        sys.exit(3)
"""

CELLS = 3000


def check_whole(path) -> int:
    """Every save has all its changes and the last version is the last save's, all its rows; returns the
    number of saves."""
    db = sqlite3.connect(str(path))
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        per_save = db.execute("SELECT s.id, s.changed, count(c.id) FROM saves s LEFT JOIN changes c "
                              "ON c.save_id = s.id GROUP BY s.id").fetchall()
        assert all(changed == found == CELLS for _id, changed, found in per_save), per_save
        last = db.execute("SELECT id, sha256 FROM saves ORDER BY id DESC LIMIT 1").fetchall()
        assert db.execute("SELECT save_id, sha256 FROM versions").fetchall() == last
        assert db.execute("SELECT count(*) FROM version_rows").fetchone() == (CELLS,)
        return len(per_save)
    finally:
        db.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_never_leaves_half_a_save(tmp_path):
    path = tmp_path / jr.DB_NAME
    rng = random.Random(15)
    saves = 0
    for _kill in range(12):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(CELLS)], stdout=subprocess.PIPE,
                                 text=True)
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.6))
            assert child.poll() is None, child.stdout.read()
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        now = check_whole(path)
        assert now >= saves
        saves = now
    assert saves > 0, "the child never finished a save: the kills proved nothing"
    # and the journal still takes new saves, and reads back what it holds
    journal = jr.Journal(path)
    assert journal.last("so.xlsx")[0] == journal.saves("so.xlsx", limit=1)[0].sha256
    assert len(journal.entries("so.xlsx", limit=5)) == 5
    journal.close()


MERGER = r"""
import sys
from pathlib import Path
from toolkit.journal import snapshot as snap
from toolkit.journal import store as jr
print("ready", flush=True)
journal = jr.Journal(Path(sys.argv[1]))
journal.open()
journal.close()
print("merged", journal.merged, flush=True)
"""


def side_journals(main, count: int, first: int) -> list:
    """``count`` side journals beside ``main``, each holding one save of CELLS changed cells."""
    from toolkit.journal import side as sides

    made = []
    for n in range(first, first + count):
        path = main.with_name(f"{main.stem}.cho-20261202-{n:06d}-000000{main.suffix}")
        journal = jr.Journal(path, is_side=True)
        rows = [(r + 2, f"KN-{r}", (f"KN-{r}", f"lần {n}")) for r in range(CELLS)]
        changes = [snap.Change("Kiến nghị", snap.CHANGED, f"KN-{r}", r + 2, r + 2, "Ghi chú", "", f"lần {n}")
                   for r in range(CELLS)]
        journal.record("so.xlsx", at=dt.datetime(2026, 12, 2, 9, n % 60), who="Trần Thị Bình", source="staff",
                       sha256=f"side-{n}", snapshot={"Kiến nghị": snap.SheetSnap(["Mã kiến nghị", "Ghi chú"], rows)},
                       changes=changes)
        journal.close()
        made.append(path)
    assert sides.pending(main)[-count:] == made
    return made


@pytest.mark.slow
def test_sigkill_while_side_journals_are_merged_never_merges_half_or_twice(tmp_path):
    from toolkit.journal import side as sides

    main = tmp_path / jr.DB_NAME
    jr.Journal(main).open()
    rng = random.Random(16)
    made = 0
    for round_ in range(8):
        side_journals(main, 4, made)
        made += 4
        child = subprocess.Popen([sys.executable, "-c", MERGER, str(main)], stdout=subprocess.PIPE, text=True)
        try:
            assert child.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.08))     # a merge of four side journals takes about that long
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        check_whole(main)
        db = sqlite3.connect(str(main))
        try:
            shas = [r[0] for r in db.execute("SELECT sha256 FROM saves")]
            marked = {r[0] for r in db.execute("SELECT key FROM meta WHERE key LIKE 'merged:%'")}
        finally:
            db.close()
        assert len(shas) == len(set(shas)), "a side journal was merged twice"
        # a side journal is merged whole (marked, its save there) or not at all (still waiting, unmarked)
        for n in range(made):
            name = f"{main.stem}.cho-20261202-{n:06d}-000000{main.suffix}"
            merged = f"merged:{name}" in marked
            assert merged == (f"side-{n}" in shas)
            assert merged or (main.parent / name).exists(), "a side journal was removed before it was merged"
    # a last, undisturbed open merges what is left and removes every side journal
    journal = jr.Journal(main)
    journal.open()
    journal.close()
    assert sides.pending(main) == []
    assert check_whole(main) == made
