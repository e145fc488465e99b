"""Run the real command line in a subprocess, as staff would."""

from __future__ import annotations

import json
import re
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


# English that Click (or Python) would print; none of it may reach staff. Phrases are
# matched as they are, words as whole words in any case, after paths, option names
# (--help) and file names are taken out of the text.
ENGLISH_PHRASES = ["Usage:", "Options:", "Commands:", "Arguments:", "[OPTIONS]", "COMMAND", "[ARGS]",
                   "TEXT", "FILE", "DIRECTORY", "PATH", "INTEGER", "FLOAT", "BOOLEAN", "RANGE",
                   "[default", "[required]", "x<=", "<=x"]
ENGLISH_WORDS = {"usage", "options", "option", "commands", "command", "arguments", "argument", "show",
                 "message", "exit", "default", "required", "invalid", "value", "values", "missing", "error",
                 "such", "file", "directory", "path", "integer", "range", "try", "mean", "aborted", "version",
                 "the", "this", "and", "for", "not", "got", "unexpected", "extra", "requires", "choose",
                 "from", "exists", "exist", "does", "is", "of", "or", "one", "please", "help", "traceback",
                 "permission", "denied", "found", "cannot"}


def english_in(text: str) -> list[str]:
    """The English words and Click phrases found in a text staff would read."""
    found = [p for p in ENGLISH_PHRASES if p in text]
    for token in text.split():
        if "/" in token or "\\" in token or token.startswith(("-", "\"", "'")) or "." in token.strip(".,:;)(]['\"") \
                or "_" in token:
            continue   # a path, an option name, a file name, an identifier
        for word in re.findall(r"\w+", token):
            if word.lower() in ENGLISH_WORDS:
                found.append(word)
    return found


def doithoai(*args, cwd=None, timeout: int = 300) -> Ran:
    proc = subprocess.run([sys.executable, "-m", "toolkit", *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", cwd=cwd, timeout=timeout)
    ran = Ran(proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in ran.text, ran.text
    # Every error message of every CLI test, and every help screen, is Vietnamese only.
    assert not english_in(ran.err), (english_in(ran.err), ran.err)
    if "--help" in map(str, args) or "-h" in map(str, args):
        assert not english_in(ran.out), (english_in(ran.out), ran.out)
    return ran
