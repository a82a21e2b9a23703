"""Command-line parts shared by every group of commands: the warehouse option and the
progress display."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from cspkit.config import DB_ENV_VAR

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar=DB_ENV_VAR,
    default=None,
    help=f"Warehouse file (default ./cspkit.duckdb, or ${DB_ENV_VAR}).",
)


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """A rich progress bar driven by progress(step, done, total) callbacks; plain lines
    ("overview (0/7)") on stderr when it is not a terminal (a log file, a pipe, CI)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not sys.stderr.isatty():
        shown: list[str] = []

        def line(step: str, done: int, total: int) -> None:
            if not shown or shown[-1] != step:
                shown.append(step)
                click.echo(f"{step} ({done}/{total})", err=True)

        yield line
        return

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
        disable=not sys.stderr.isatty(),
        console=None,
    ) as bar:
        task = bar.add_task("starting", total=None)

        def update(step: str, done: int, total: int) -> None:
            bar.update(task, description=step, completed=done, total=total)

        yield update
