"""Every command has help (sqlite-utils style docs test)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from toolkit.cli import cli

COMMANDS = sorted(cli.commands)


def test_all_expected_commands_exist():
    assert set(COMMANDS) >= {"init", "check", "run", "watch", "report", "export"}


@pytest.mark.parametrize("name", COMMANDS)
def test_command_has_help(name):
    command = cli.commands[name]
    assert command.help and len(command.help.strip()) > 20, f"{name} lacks help"
    for param in command.params:
        if param.param_type_name == "option" and not param.hidden:
            assert param.help, f"{name} {param.opts} lacks help"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output or "Cách dùng" in result.output


def test_top_level_help_lists_commands():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name in COMMANDS:
        assert name in result.output
