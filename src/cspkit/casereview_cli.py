"""``cspkit case-review``: the threshold check, deadlines and retention from the command line."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from cspkit.casereview import deadlines as dl
from cspkit.casereview.casefile import read_application
from cspkit.casereview.threshold import Policy, check

F = TypeVar("F", bound=Callable[..., Any])


def _date(ctx: click.Context, param: click.Parameter, value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date like 2025-12-19, got {value!r}") from None


@click.group("case-review")
def case_review() -> None:
    """ASB Case Review (the Community Trigger): threshold, deadlines, retention.

    Example: cspkit case-review check case.json --threshold 2
    """


@case_review.command("check")
@click.argument("case_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--threshold", type=int, default=None, help="Local threshold (1-3; default 3).")
@click.option(
    "--hate-incident-threshold",
    type=int,
    default=None,
    help="Complaints enough when a hate incident is involved (a local variant, e.g. 1).",
)
@click.option(
    "--community-complaints",
    type=int,
    default=None,
    help="Locality variant: this many complaints ...",
)
@click.option("--community-people", type=int, default=None, help="... from this many people.")
def check_command(
    case_file: Path,
    threshold: int | None,
    hate_incident_threshold: int | None,
    community_complaints: int | None,
    community_people: int | None,
) -> None:
    """Does CASE_FILE meet the threshold for a review? Prints JSON, rule by rule.

    \b
    Example:
      cspkit case-review check case.json --hate-incident-threshold 1
    """
    policy = Policy(
        complaints=threshold if threshold is not None else Policy().complaints,
        hate_incident_complaints=hate_incident_threshold,
        community_complaints=community_complaints,
        community_people=community_people,
    )
    result = check(read_application(case_file), policy)
    click.echo(json.dumps(result.as_data(), indent=2))


def _working_days(flag: str, default: int, what: str) -> Callable[[F], F]:
    """A --...-days option: how many working days a stage may take."""
    return click.option(
        flag, type=int, default=default, show_default=True, help=f"Working days {what}."
    )


@case_review.command("deadlines")
@click.option("--received", required=True, callback=_date, help="Date received (YYYY-MM-DD).")
@_working_days("--acknowledge-days", dl.DEFAULT_ACKNOWLEDGE_DAYS, "to acknowledge")
@_working_days("--decide-days", dl.DEFAULT_DECIDE_DAYS, "to the threshold decision")
@_working_days("--meeting-days", dl.DEFAULT_MEETING_DAYS, "to the review meeting")
def deadlines_command(
    received: datetime.date, acknowledge_days: int, decide_days: int, meeting_days: int
) -> None:
    """Deadlines in working days (England and Wales bank holidays skipped). Prints JSON.

    \b
    Example:
      cspkit case-review deadlines --received 2025-12-19
    """
    policy = dl.DeadlinePolicy(acknowledge_days, decide_days, meeting_days)
    click.echo(json.dumps(dl.deadlines(received, policy).as_data(), indent=2))


db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Warehouse file (default: $CSPKIT_DB or ./cspkit.duckdb); web database beside it.",
)


@case_review.command("anonymise")
@click.option(
    "--years",
    type=int,
    default=None,
    help="Retention period in years (default: $CSPKIT_CASE_REVIEW_RETENTION_YEARS or 6).",
)
@click.option("--dry-run", is_flag=True, help="List the cases without changing anything.")
@db_option
def anonymise_command(years: int | None, dry_run: bool, db: Path | None) -> None:
    """Remove personal data from cases closed longer ago than the retention period.

    Dates, agencies and outcomes are kept for the annual figures; evidence files are deleted.

    \b
    Example:
      cspkit case-review anonymise --years 6 --dry-run
    """
    from cspkit.web import server

    server.setup(db)
    server.migrate()
    from cspkit.web.casework import config, retention

    run = retention.anonymise(
        years if years is not None else config.retention_years(), dry_run=dry_run
    )
    click.echo(run.describe())


@case_review.command("examples")
@db_option
def examples_command(db: Path | None) -> None:
    """Add the fictional example cases to an empty casework database (for demonstrations).

    \b
    Example:
      cspkit case-review examples --db cspkit-demo/cspkit.duckdb
    """
    from cspkit.web import server

    server.setup(db)
    server.migrate()
    from cspkit.web.casework.examples import ensure_example_cases

    click.echo(ensure_example_cases() or "There are cases already; no examples were added.")
