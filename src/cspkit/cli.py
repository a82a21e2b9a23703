"""The cspkit command line: thin commands over the library.

Each command parses its options, calls one library function and prints the result. User
errors end with a one-line message and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from importlib import import_module
from pathlib import Path
from typing import Any

import click

from cspkit import __version__
from cspkit.cli_common import db_option, progress_bar
from cspkit.config import default_db_path
from cspkit.errors import CspkitError
from cspkit.evidence_cli import evidence_options, ingest_commands, options_from
from cspkit.national_cli import national_commands, pack_options, run_pack_command

EXIT_USER_ERROR = 1
#: The shell's convention for a process stopped by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130
INTERRUPTED = "interrupted; the warehouse is unchanged"
#: The message of the error DuckDB raises when Ctrl-C arrives while a query runs.
DUCKDB_INTERRUPTED = "Query interrupted"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cspkit")
def cli() -> None:
    """Strategic Assessments and Partnership Plans for Community Safety Partnerships.

    \b
    Start with the bundled real sample:
      cspkit demo
    Then load your own force's police.uk files and assess your district:
      cspkit ingest police-uk ~/Downloads/2025-*.zip
      cspkit assess --area Maidstone --period 2025 --out report/
    """


@cli.group()
def ingest() -> None:
    """Load police.uk files, partner indicators or populations into the warehouse."""


@ingest.command("police-uk")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--replace-smaller",
    is_flag=True,
    help="Replace a held force-month even with a file holding under half its rows.",
)
@db_option
def ingest_police_uk(paths: tuple[Path, ...], replace_smaller: bool, db: Path | None) -> None:
    """Load police.uk street, outcomes and stop-and-search files.

    PATHS may be CSV files (plain or .gz), folders (searched with the zip archives in them),
    or the zip archives data.police.uk publishes. Loading a force-month again replaces it,
    unless the new file would empty it or cut it by more than half. A malformed file stops
    the load and leaves the warehouse unchanged.

    \b
    Example:
      cspkit ingest police-uk 2025-01-kent-street.csv downloads/2024-archive.zip
      cspkit ingest police-uk 2025-02-kent-street.csv --replace-smaller
    """
    from cspkit.ingest.police_uk import load_files, prepared
    from cspkit.warehouse.connection import writing

    with prepared(paths) as files, progress_bar() as progress, writing(db) as con:
        report = load_files(con, files, progress=progress, replace_smaller=replace_smaller)
    for f in report.files:
        click.echo(
            f"{f.file}: read {f.rows_read:,} = loaded {f.rows_loaded:,} + quarantined "
            f"{f.rows_quarantined:,} (no district: {f.rows_unassigned:,})"
            + (" [replaced earlier load]" if f.replaced_earlier_load else "")
        )
    for reason, n in report.quarantine_reasons:
        click.echo(f"quarantined {n:,}: {reason}")
    click.echo(
        f"{len(report.files)} files: read {report.rows_read:,} = loaded {report.rows_loaded:,}"
        f" + quarantined {report.rows_quarantined:,}"
    )


@ingest.command("indicators")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--registry",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="CSV/XLSX registering the indicators (name, unit, polarity, denominator, source).",
)
@click.option("--sheet", default=None, help="Sheet of an .xlsx workbook with several.")
@db_option
def ingest_indicators(
    file: Path, registry: Path | None, sheet: str | None, db: Path | None
) -> None:
    """Load partners' aggregate figures (long format CSV or XLSX).

    Columns: indicator, area, period_start, period_end, value [, denominator]. A bad row
    stops the load with its row and column; nothing from the file is written.

    \b
    Example:
      cspkit ingest indicators fires.csv --registry indicator-registry.csv
    """
    from cspkit.ingest.partner import load_indicators
    from cspkit.warehouse.connection import writing

    with writing(db or default_db_path()) as con:
        report = load_indicators(con, file, registry_path=registry, sheet=sheet)
    click.echo(
        f"{report.file}: read {report.rows_read:,} = loaded {report.rows_loaded:,} "
        f"({report.values_replaced:,} replaced earlier values); indicators: "
        + ", ".join(report.indicators)
    )


@ingest.command("population")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=int, default=None, help="Year of the figures if the file lacks one.")
@click.option("--sheet", default=None, help="Sheet of an .xlsx workbook with several.")
@db_option
def ingest_population(file: Path, year: int | None, sheet: str | None, db: Path | None) -> None:
    """Load your own population figures (e.g. ONS mid-year estimates), CSV or XLSX.

    Columns: area_code, year, persons [, households, adults]; ONS layouts ("Code",
    "All ages", "Mid-2022") are recognised. Your figures are preferred to the shipped ones.

    \b
    Example:
      cspkit ingest population mid-2023-lad.xlsx
    """
    from cspkit.ingest.population import load_population
    from cspkit.warehouse.connection import writing

    with writing(db or default_db_path()) as con:
        report = load_population(con, file, year=year, sheet=sheet)
    click.echo(
        f"{report.file}: read {report.rows_read:,} = loaded {report.rows_loaded:,} + skipped "
        f"{report.rows_skipped:,} (other geographies); years: "
        + ", ".join(str(y) for y in report.years)
    )


for _command in ingest_commands:
    ingest.add_command(_command)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--dataset",
    type=click.Choice(["all", "street", "outcomes", "stop-and-search"]),
    default="all",
    show_default=True,
    help="Which police.uk data to show.",
)
@db_option
def coverage(as_json: bool, dataset: str, db: Path | None) -> None:
    """Months x forces held for street, outcomes and stop-and-search data, with missing and
    possibly partial months (the legend under each grid explains every symbol).

    \b
    Examples:
      cspkit coverage
      cspkit coverage --dataset outcomes --json > outcomes-coverage.json
    """
    from cspkit.report.coverage_text import coverage_table
    from cspkit.warehouse.connection import connect_readonly
    from cspkit.warehouse.coverage import DATASETS
    from cspkit.warehouse.coverage import coverage as compute

    con = connect_readonly(db)
    try:
        grids = [compute(con, d) for d in DATASETS if dataset in ("all", d)]
    finally:
        con.close()
    if as_json:
        click.echo(json.dumps([r for g in grids for r in g.as_records()], indent=1))
    else:
        click.echo("\n\n".join(coverage_table(g) for g in grids))


@cli.command()
@click.option(
    "--area", default=None, help="District or CSP, name or ONS code, e.g. Maidstone, E22000352."
)
@click.option(
    "--force",
    "force",
    default=None,
    help="Instead of --area: every CSP of a force (police.uk name, e.g. kent), and an index.",
)
@pack_options
@click.option(
    "--period", required=True, help="2025, 2024/25, 2025-01..2025-04, 2025Q1 or 12m:2020-01."
)
@click.option("--compare", default=None, help="Comparison period (default: a year earlier).")
@click.option(
    "--peers",
    default=None,
    help="Comma-separated peer districts, or most-similar (default: the force's districts).",
)
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["pdf", "docx"]),
    help="Also write report.pdf and/or report.docx (HTML, JSON and CSV are always written).",
)
@click.option(
    "--public",
    is_flag=True,
    help="Publication edition: hide counts under 5 (with secondary suppression).",
)
@click.option(
    "--allow-partial",
    is_flag=True,
    help="Assess a period holding a possibly partial month, with a warning naming it.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("assessment"),
    show_default=True,
    help="Folder for report.html, assessment.json and the CSV tables.",
)
@click.option("--marking", default=None, help="Protective marking (default OFFICIAL).")
@click.option(
    "--patterns",
    is_flag=True,
    help="Hatch the maps' classes as well as shading them, to read in greyscale print.",
)
@db_option
@evidence_options
def assess(
    area: str | None,
    force: str | None,
    period: str,
    compare: str | None,
    peers: str | None,
    formats: tuple[str, ...],
    public: bool,
    allow_partial: bool,
    out: Path,
    db: Path | None,
    select_all: bool,
    csps: tuple[str, ...],
    workers: int | None,
    marking: str | None = None,
    patterns: bool = False,
    **evidence: Any,
) -> None:
    """Write the Strategic Assessment of a district or CSP, or of many CSPs, for a period.

    \b
    Examples:
      cspkit assess --area Maidstone --period 2025 --out maidstone-2025/
      cspkit assess --area E07000138 --period 12m:2020-01 --compare 12m:2019-01
      cspkit assess --area Maidstone --period 2025 --format pdf --format docx --public
      cspkit assess --area Maidstone --period 2025 --format pdf --patterns
      cspkit assess --area "Dartford and Gravesham" --period 2025 --peers most-similar
      cspkit assess --force kent --period 2025 --out kent-2025/
      cspkit assess --all --period 2024-01..2024-02 --out national/
      cspkit assess --csp Maidstone --csp E22000352 --period 2025 --out two/
      cspkit assess --area Maidstone --period 2025 --plan plan.yaml --priorities-override d.yaml
    """
    from cspkit.assessment.run import run_assessment

    if sum((area is not None, force is not None, select_all, bool(csps))) != 1:
        raise click.UsageError("give either --area or --force (or --all, or --csp)")
    options = options_from(evidence)
    if area is None:
        if options != type(options)() or patterns:
            raise click.UsageError(
                "--plan, --priorities-override, --priority-weights, --themes and --patterns "
                "apply to one --area, not to many CSPs"
            )
        with progress_bar() as progress:
            pack = run_pack_command(
                db,
                period,
                force,
                select_all,
                csps,
                compare,
                peers,
                formats,
                public,
                out,
                workers,
                progress,
            )
        click.echo(pack)
        return
    with progress_bar() as progress:
        written = run_assessment(
            db or default_db_path(),
            area,
            period,
            compare=compare,
            peers=[p.strip() for p in peers.split(",")] if peers else None,
            out=out,
            formats=formats,
            public=public,
            progress=progress,
            evidence=options,
            warn=lambda message: click.echo(f"warning: {message}", err=True),
            allow_partial=allow_partial,
            marking=marking,
            patterns=patterns,
        )
    for path in written:
        click.echo(str(path))


@cli.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("cspkit-demo"),
    show_default=True,
    help="Folder for the demo warehouse and reports.",
)
@click.option(
    "--overwrite", is_flag=True, help="Replace a cspkit.duckdb already in the --out folder."
)
def demo(out: Path, overwrite: bool) -> None:
    """Build a warehouse from the bundled real police.uk sample and write two assessments.

    Maidstone (2025, compared like-for-like with January-April 2024, the months the sample
    holds) and Lincoln (12 months to January 2020 against the two years before).

    \b
    Examples:
      cspkit demo --out cspkit-demo/
      cspkit demo --out cspkit-demo/ --overwrite
    """
    from cspkit.demo import run_demo

    with progress_bar() as progress:
        result = run_demo(out, overwrite=overwrite, progress=progress)
    click.echo(f"warehouse: {result.db}")
    for name, report in result.reports.items():
        click.echo(f"{name}: {report}")
    if result.road_safety is not None:
        click.echo(f"road safety (real Greater Manchester casualties): {result.road_safety}")
    for name, lines in result.recommendations.items():
        click.echo(f"Recommended priorities, {name}:")
        for line in lines:
            click.echo(f"  {line}")


def _register_optional(group: click.Group, loader: Callable[[], list[Any]]) -> None:
    try:
        commands = loader()
    except ImportError:  # pragma: no cover - only when an optional part is not installed
        return
    for command in commands:
        group.add_command(command)


def _web_commands() -> list[Any]:
    from cspkit.web.cli import web_commands

    return list(web_commands)


_register_optional(cli, _web_commands)
_register_optional(cli, lambda: [import_module("cspkit.casereview_cli").case_review])
national_commands(cli, ingest)


def main() -> None:
    """Entry point: run the CLI, turning user errors into one clear line."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__context__, KeyboardInterrupt):
            click.echo(f"Error: {INTERRUPTED}", err=True)
            sys.exit(EXIT_INTERRUPTED)
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USER_ERROR)
    except KeyboardInterrupt:
        click.echo(f"Error: {INTERRUPTED}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except RuntimeError as exc:
        # DuckDB turns Ctrl-C during a query into this error; the load's copy is discarded.
        if str(exc) != DUCKDB_INTERRUPTED:
            raise
        click.echo(f"Error: {INTERRUPTED}", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except CspkitError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
    except OSError as exc:
        # A file-system failure outside a load (a report folder that cannot be written...).
        where = f"{exc.filename}: " if exc.filename else ""
        click.echo(f"Error: {where}{exc.strerror or exc}", err=True)
        sys.exit(EXIT_USER_ERROR)
