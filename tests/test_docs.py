"""Every command and every setting is documented where users look for it."""

from __future__ import annotations

from pathlib import Path

import click

from cspkit.cli import cli
from cspkit.config import SETTINGS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[str]:
    paths = []
    for name, command in group.commands.items():
        path = (*prefix, name)
        if isinstance(command, click.Group):
            paths.extend(_command_paths(command, path))
        else:
            paths.append(" ".join(path))
    return paths


def test_every_command_is_in_the_readme() -> None:
    missing = [p for p in _command_paths(cli) if f"cspkit {p}" not in README]
    assert not missing, f"commands not shown in README.md: {missing}"


def test_every_setting_has_help_and_is_in_the_readme() -> None:
    for setting in SETTINGS:
        assert len(setting.help) > 20, setting.name
        assert f"`{setting.name}`" in README, f"setting {setting.name} not in README.md"
