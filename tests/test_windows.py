"""Windows: cai-dat.bat and chay.bat, checked with a small parser of cmd.exe's rules
(there is no cmd.exe here), and `watch --open` that chay.bat relies on."""

from __future__ import annotations

import re
import subprocess

import pytest

from conftest import ROOT
from toolkit.watch import runner as watch_passes
from toolkit.cli import cli

BATS = ["cai-dat.bat", "chay.bat"]


def lines_of(name: str) -> list[str]:
    return (ROOT / name).read_bytes().decode("utf-8").split("\r\n")


def _code(line: str) -> str:
    """The line without quoted strings and ^-escaped characters (what cmd treats as syntax)."""
    line = re.sub(r"\^.", "", line)
    return re.sub(r'"[^"]*"?', '""', line)


def _is_comment(line: str) -> bool:
    low = line.strip().lower()
    return low.startswith(("rem ", "::")) or low == "rem"


def parse_errors(lines: list[str]) -> list[str]:
    """Problems cmd.exe would trip on: unbalanced blocks, a ')' in an echo inside a
    block (it closes the block), `&&` chains, goto/call to a missing label."""
    errors, depth = [], 0
    labels = {ln.strip()[1:].split()[0].lower() for ln in lines
              if ln.strip().startswith(":") and not ln.strip().startswith("::") and len(ln.strip()) > 1}
    for n, raw in enumerate(lines, 1):
        if not raw.strip() or _is_comment(raw) or raw.strip().startswith(":"):
            continue
        code = _code(raw)
        if "&&" in code:
            errors.append(f"line {n}: '&&' chain")
        for target in re.findall(r"\b(?:goto|call)\s+:?([\w-]+)", code, re.I):
            if target.lower() != "eof" and target.lower() not in labels:
                errors.append(f"line {n}: no label :{target}")
        body = re.sub(r'^\s*(?:>>?\s*""\s*)?', "", code)   # a leading redirection (> "file" echo ...)
        if re.match(r"\s*@?echo\b", body, re.I):
            text = re.sub(r"^\s*@?echo\b", "", body, flags=re.I)
            if depth > 0 and re.search(r"[()]", text):
                errors.append(f"line {n}: parenthesis in an echo inside a block")
            continue
        depth += code.count("(") - code.count(")")
        if depth < 0:
            errors.append(f"line {n}: ')' without '('")
            depth = 0
    if depth:
        errors.append(f"{depth} block(s) not closed")
    return errors


@pytest.mark.parametrize("name", BATS)
def test_bat_is_well_formed_for_cmd(name):
    data = (ROOT / name).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf"), "a BOM breaks the first line in cmd.exe"
    assert b"\n" not in data.replace(b"\r\n", b""), "every line ends in CRLF"
    lines = lines_of(name)
    assert lines[0].strip().lower() == "@echo off"
    first_non_ascii = next(i for i, ln in enumerate(lines) if not ln.isascii())
    chcp = next(i for i, ln in enumerate(lines) if ln.strip().lower().startswith("chcp 65001"))
    assert chcp < first_non_ascii, "chcp 65001 must come before any Vietnamese text"
    assert parse_errors(lines) == []
    assert any("pause" == ln.strip().lower() for ln in lines), "a double-clicked window stays open to be read"


def test_the_parser_catches_what_cmd_rejects():
    assert parse_errors(["@echo off", "goto :nowhere"]) == ["line 2: no label :nowhere"]
    assert parse_errors(["if 1==1 (", "echo hỏng (ví dụ)", ")"])[0].startswith("line 2: parenthesis")
    assert parse_errors(["if 1==1 (", "echo a"]) == ["1 block(s) not closed"]
    assert parse_errors(["py -m venv .venv && echo x"]) == ["line 1: '&&' chain"]
    assert parse_errors(['echo "a (b" ok', 'py -c "print(1)"', "echo Mở (xem) nhé"]) == []


def test_gitattributes_keeps_crlf_for_bat():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(["git", "check-attr", "eol", *BATS], cwd=ROOT, capture_output=True, text=True).stdout
    assert out.count("eol: crlf") == len(BATS), out


def test_what_the_bat_files_run_exists():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r"\[project\.scripts\]\s+doithoai = ", pyproject)   # makes .venv\Scripts\doithoai.exe
    chay = "\n".join(lines_of("chay.bat"))
    assert r".venv\Scripts\doithoai.exe" in chay
    for command, *options in re.findall(r'"%DOITHOAI%" (\w+) "%THU_MUC%"((?: --[\w-]+)*)', chay):
        assert command in cli.commands
        known = {o for p in cli.commands[command].params for o in p.opts}
        assert set(options[0].split()) <= known
    assert re.search(r'"%DOITHOAI%" watch "%THU_MUC%" --open', chay)
    cai = "\n".join(lines_of("cai-dat.bat"))
    assert "py -3 -m venv .venv" in cai and "pip install" in cai and " -e ." in cai
    assert "https://www.python.org/downloads/windows/" in cai      # where to get Python, in Vietnamese text
    assert "3.10" in cai
    assert (ROOT / "pyproject.toml").is_file()                    # what `pip install -e .` installs
    assert "--startup" in chay and r"Start Menu\Programs\Startup" in chay
    assert "workbooks" in chay


def test_watch_open_opens_each_dashboard_once(sample_copy, tmp_path):
    opened = []
    run_pass = watch_passes.make_run_pass(tmp_path / "ket-qua", open_page=opened.append)
    first = run_pass(sample_copy)
    second = run_pass(sample_copy)
    index = (tmp_path / "ket-qua" / sample_copy.stem / "index.html").resolve()
    assert opened == [index.as_uri()]
    assert str(index) in first.line and str(index) not in second.line
