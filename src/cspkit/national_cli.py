"""Command-line parts for national work: many CSPs in one pass, fetching data, boundaries.

Registered on the main ``cspkit`` group by :func:`national_commands`; the options for many
CSPs are added to ``cspkit assess`` by :func:`pack_options`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from cspkit.config import default_db_path

F = TypeVar("F", bound=Callable[..., Any])
Progress = Callable[[str, int, int], None]


def pack_options(command: F) -> F:
    """``--all``, ``--csp`` and ``--workers`` for ``cspkit assess``."""
    command = click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=None,
        help="Processes writing CSPs in parallel (default: one per CPU core).",
    )(command)
    command = click.option(
        "--csp",
        "csps",
        multiple=True,
        help="Instead of --area: these CSPs (name or code; repeat), and an index.",
    )(command)
    return click.option(
        "--all",
        "select_all",
        is_flag=True,
        help="Instead of --area: every CSP the warehouse has records for, and an index.",
    )(command)


def run_pack_command(
    db: Path | None,
    period: str,
    force: str | None,
    select_all: bool,
    csps: Sequence[str],
    compare: str | None,
    peers: str | None,
    formats: Sequence[str],
    public: bool,
    out: Path,
    workers: int | None,
    progress: Progress,
) -> str:
    """Run the pack for ``cspkit assess --all/--force/--csp``; return the summary line."""
    from cspkit.assessment.areas import MOST_SIMILAR
    from cspkit.assessment.pack import run_pack

    if peers not in (None, MOST_SIMILAR):
        raise click.UsageError("with many CSPs, --peers can only be most-similar")
    result = run_pack(
        db or default_db_path(),
        period,
        out=out,
        select_all=select_all,
        force=force,
        csps=csps,
        compare=compare,
        peers=peers or "force",
        formats=formats,
        public=public,
        workers=workers,
        progress=progress,
    )
    skipped = len(result.rows) - result.assessed
    return (
        f"{result.assessed} of {len(result.rows)} CSPs assessed"
        + (f" ({skipped} not: see the index)" if skipped else "")
        + f"; index: {result.index_html}"
    )


def national_commands(cli: click.Group, ingest: click.Group) -> None:
    """Register ``cspkit fetch ...`` and ``cspkit ingest boundaries``."""
    from cspkit.fetch.cli import fetch, ingest_boundaries

    cli.add_command(fetch)
    ingest.add_command(ingest_boundaries)
