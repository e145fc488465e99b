"""Run the real command line in a subprocess, as staff would."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass


@dataclass
class Ran:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err

    def json(self):
        return json.loads(self.out)


def doithoai(*args, cwd=None, timeout: int = 300) -> Ran:
    proc = subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=timeout)
    ran = Ran(proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in ran.text, ran.text
    return ran
