"""Every command has help (sqlite-utils style docs test), and every help screen is
Vietnamese: not one English word of Click, the option parser, reaches staff."""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from clirun import english_in
from toolkit.cli import cli

COMMANDS = sorted(cli.commands)
HELP_SCREENS = [["--help"]] + [[name, "--help"] for name in COMMANDS]

# Vietnamese words spelled like a word of Click's messages ("an toàn", "do", "in" a
# document, "to" = big, "no" = full); single letters are never counted.
VIETNAMESE_HOMOGRAPHS = {"an", "do", "in", "to", "no"}


@lru_cache(maxsize=1)
def click_words() -> frozenset[str]:
    """Every English word Click itself can print, read from its installed source: the
    text of each translatable message (``_("...")``, ``ngettext``) and each parameter
    type's name (TEXT, INTEGER, FILENAME...), lower-cased, placeholders taken out."""
    words: set[str] = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            texts = []
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            elif isinstance(node, ast.ClassDef):
                texts = [st.value.value for st in node.body
                         if isinstance(st, ast.Assign) and isinstance(st.value, ast.Constant)
                         and isinstance(st.value.value, str) and any(getattr(t, "id", None) == "name" for t in st.targets)]
            for text in texts:
                words.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}|%\(\w+\)s", " ", text)))
    return frozenset(words - VIETNAMESE_HOMOGRAPHS)


def choices(args: list[str]) -> set[str]:
    """The values a screen's options accept (``--format [text|json]``): typed by staff, not English prose."""
    command = cli.commands.get(args[0]) if args[0] != "--help" else None
    params = command.params if command else []
    return {c.lower() for p in params if isinstance(p.type, click.Choice) for c in p.type.choices}


def click_english(text: str, allowed: set[str] = frozenset()) -> list[str]:
    """Click's English words in a help screen, after option names, paths and file names are set aside."""
    found = []
    for token in text.split():
        if token.startswith("-") or "/" in token or "\\" in token or "_" in token:
            continue   # an option name, a path, a metavar (TÊN_TỆP)
        if "." in token.strip(".,:;)(]['\""):
            continue   # a file name (SỔ.xlsx, tong-hop.xlsx)
        for word in re.findall(r"\w+", token):
            if word.lower() in click_words() and word.lower() not in allowed:
                found.append(word)
    return found


def test_all_expected_commands_exist():
    assert set(COMMANDS) >= {"init", "check", "run", "watch", "report", "export"}


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20, f"{name} lacks help"
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert param.help, f"{name} {param.opts} lacks help"


@pytest.mark.parametrize("args", HELP_SCREENS, ids=" ".join)
def test_help_screen_has_no_english_word_of_the_option_parser(args):
    result = CliRunner().invoke(cli, args, prog_name="doithoai")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Cách dùng: doithoai")
    exp, got = [], click_english(result.output, choices(args)) + english_in(result.output)
    assert got == exp, result.output


def test_the_check_finds_the_english_of_a_plain_click_help_screen():
    # A command made with plain Click: its screen says "Usage", "Options", "Show this
    # message and exit", "[default: ...]", "[required]", "TEXT", each caught.
    @click.command()
    @click.option("--name", required=True, help="Tên.")
    @click.option("--count", default=3, show_default=True, type=int, help="Số.")
    def plain(name, count):
        """Một lệnh."""

    output = CliRunner().invoke(plain, ["--help"]).output
    got = {w.lower() for w in click_english(output)}
    assert {"usage", "options", "show", "message", "exit", "default", "required", "text", "integer"} <= got, output


def test_top_level_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
