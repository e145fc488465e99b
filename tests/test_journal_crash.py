"""The journal survives a SIGKILL at any moment: a save is in it whole or not at all."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

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
