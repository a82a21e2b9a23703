"""``cspkit fetch police-uk``, ``cspkit fetch boundaries`` and ``cspkit ingest boundaries``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cspkit.cli_common import db_option, progress_bar
from cspkit.config import default_db_path

base_url_option = click.option(
    "--base-url", default=None, help="Fetch from this mirror instead of the public service."
)


@click.group()
def fetch() -> None:
    """Download public data (police.uk archives, ONS boundaries) into the warehouse."""


@fetch.command("police-uk")
@click.option("--months", default=None, help="A month or range, e.g. 2025-01..2025-06.")
@click.option("--force", "forces", multiple=True, help="police.uk force id (repeat); default all.")
@click.option("--latest", is_flag=True, help="Ask the API what is new; fetch only what is lacking.")
@base_url_option
@click.option(
    "--cache",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for downloaded archives (default: <warehouse>.downloads beside it).",
)
@db_option
def fetch_police_uk_command(
    months: str | None,
    forces: tuple[str, ...],
    latest: bool,
    base_url: str | None,
    cache: Path | None,
    db: Path | None,
) -> None:
    """Download police.uk monthly archives and load the wanted forces and months.

    Downloads resume where they stopped; a failed fetch leaves the warehouse unchanged.

    \b
    Examples:
      cspkit fetch police-uk --months 2025-01..2025-06 --force kent
      cspkit fetch police-uk --latest
      cspkit fetch police-uk --latest --force kent --base-url http://mirror.example
    """
    from cspkit.fetch.police_uk import DEFAULT_BASE_URL, fetch_police_uk, parse_months

    if latest == (months is not None):
        raise click.UsageError("give either --months or --latest")
    with progress_bar() as progress:
        report = fetch_police_uk(
            db or default_db_path(),
            months=parse_months(months) if months else (),
            forces=forces,
            latest=latest,
            base_url=base_url or DEFAULT_BASE_URL,
            cache=cache,
            progress=progress,
        )
    for name in report.missing:
        click.echo(f"not in the archive (not published): {name}", err=True)
    if report.load is None:
        click.echo("nothing new to load: the warehouse is up to date")
        return
    for f in report.load.files:
        click.echo(f"{f.file}: loaded {f.rows_loaded:,} of {f.rows_read:,} rows")
    click.echo(
        f"{len(report.load.files)} files from {', '.join(report.archives)}: loaded "
        f"{report.load.rows_loaded:,} rows"
    )


@fetch.command("boundaries")
@click.option("--area", required=True, help="District name or ONS code, e.g. Maidstone.")
@base_url_option
@db_option
def fetch_boundaries_command(area: str, base_url: str | None, db: Path | None) -> None:
    """Download a district's LSOA 2021 and ward boundaries from the ONS feature service.

    \b
    Example:
      cspkit fetch boundaries --area Cardiff
    """
    from cspkit.fetch.boundaries import DEFAULT_BASE_URL, fetch_boundaries

    report = fetch_boundaries(db or default_db_path(), area, base_url=base_url or DEFAULT_BASE_URL)
    for line in report.lines():
        click.echo(line)


@click.command("boundaries")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@click.option("--level", required=True, type=click.Choice(["lsoa", "ward", "district"]))
@db_option
def ingest_boundaries(file: Path, level: str, db: Path | None) -> None:
    """Load boundaries (GeoJSON, GeoPackage or shapefile) for hot spot and ward maps.

    \b
    Example:
      cspkit ingest boundaries LSOA_2021_EW_BGC.gpkg --level lsoa
    """
    from cspkit.ingest.boundaries import load_boundaries

    report = load_boundaries(db or default_db_path(), file, level)
    click.echo(report.summary())
    if report.skipped:
        click.echo(
            f"skipped {report.skipped:,} features outside England and Wales",
            err=sys.stderr.isatty(),
        )
