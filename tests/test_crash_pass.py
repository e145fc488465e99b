"""A full pass killed with SIGKILL at random moments never damages the workbook.

A child process runs passes over and over on a copy of the sample (each pass
writes: the day moves, so the overdue checks and generated sheets change);
the test kills it at a random moment, 50 times, and after every kill the
workbook opens (openpyxl and python-calamine) with every staff value intact.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from toolkit.pipeline import loading

from toolkit.core import schema
from toolkit.xlsx.atomic import cleanup_temp_files

from test_pass import staff_values

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)"),
]

KILLS = 50

CHILD = textwrap.dedent(
    """
    import datetime as dt, itertools, sys
    from pathlib import Path
    from toolkit.pipeline import passes

    path = Path(sys.argv[1])
    print("ready", flush=True)
    for i in itertools.count():
        today = dt.date(2024, 12, 10) + dt.timedelta(days=40 * (i % 2))
        passes.run(path, today=today, render=(i % 3 == 0))
        print("pass", flush=True)
    """
)


def test_pass_killed_at_random_moments_never_damages_the_workbook(sample_copy):
    original = staff_values(sample_copy)
    fillable = {schema.KIEN_NGHI.col(k) for k in ("ma", "chu_tri", "phoi_hop", "han", "trang_thai")}
    rng = random.Random(20241210)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    for kill in range(KILLS):
        child = subprocess.Popen([sys.executable, "-c", CHILD, str(sample_copy)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, env=env, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 2.5))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)

        after = staff_values(sample_copy)        # opens with openpyxl
        for key, value in original.items():
            if key[2] in fillable and value in (None, ""):
                continue
            assert after[key] == value, (kill, key)
        loaded = loading.load(sample_copy)       # and with python-calamine, as the next pass will
        assert len(loaded.dataset.petitions) == 80, kill
        cleanup_temp_files(sample_copy.parent)
    leftovers = [p.name for p in sample_copy.parent.iterdir() if p.name.startswith(".~doithoai")]
    assert leftovers == []
