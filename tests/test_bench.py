"""bench/run.py works end to end at the tiny size (no timing is asserted)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_bench_runs_at_tiny_size_and_reports_every_figure(tmp_path):
    out = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "tiny", "--shapes", "bench,busy", "--repeat", "2", "--kills", "2", "--crash-size", "tiny",
         "--watch-size", "tiny", "--watch-saves", "1", "--workdir", str(tmp_path / "work"), "--json", str(out)],
        capture_output=True, text=True, encoding="utf-8", timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    for line in ("pass after a one-row change", "floor: openpyxl load+save", "floor: calamine read all",
                 "ratio pass(1 row) / openpyxl", "ratio check / calamine", "watcher save-to-dashboard latency",
                 "pass after adding one petition", "ratio pass(+1 petition) / openpyxl", "ratio first pass / openpyxl",
                 "watcher save-to-write-back latency", "dept. answers", "answers: merge",
                 "replies: department files", "first, reads 2 neighbours", "worst of 2 paired repeats"):
        assert line in done.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    tiny, busy = result["sizes"]
    assert tiny["size"]["petitions"] == 120 and tiny["shape"] == "bench"
    # the second shape: twelve conferences, long texts, most petitions with a warning; measured the same way,
    # with each stage's share of the +1-petition pass (every output made) printed for both shapes
    assert busy["shape"] == "busy" and busy["size"]["petitions"] == 120
    assert busy["pass_added"]["info"]["written"] is True and busy["pass_added"]["info"]["output_errors"] == []
    assert busy["check"]["info"]["findings"]["warning"] > 0.6 * 120
    assert "== tiny (bench shape)" in done.stdout and "== tiny (busy shape)" in done.stdout
    assert done.stdout.count("share") >= 2 and len(busy["paired_pass_added"]) == 2
    assert len(tiny["paired_write_added"]) == 2 and all(x["wall"] > 0 for x in tiny["paired_write_added"])
    assert tiny["first_pass"]["info"]["written"] is True
    assert tiny["pass_rerouted"]["info"]["written"] is True
    assert tiny["pass_added"]["info"]["written"] is True and tiny["write_added"]["info"]["written"] is True
    assert tiny["first_write"]["info"]["written"] is True and tiny["first_write"]["info"]["rebuilt"] == 0
    assert tiny["pass_unchanged"]["info"]["write_reason"] == "unchanged"
    assert tiny["answers_typed"] > 0 and tiny["pass_answers"]["info"]["written"] is True
    # the first check read the two registers beside the checked one and kept what they teach
    assert tiny["check_first"]["info"] == tiny["check"]["info"]
    assert sorted(p.parent.name for p in (tmp_path / "work" / "tiny" / "ket-qua").glob("*/.hoc-dinh-tuyen.json")) \
        == ["added", "rerouted"]
    assert result["watcher"]["saves"] == 1
    if "skipped" not in result["crash"]:
        assert result["crash"]["kills"] == 2
        assert result["crash"]["damaged"] == 0
        assert "2 kills, 0 damaged" in done.stdout
