"""Command-line parts for partners' evidence: road casualties, surveys, and the `assess`
options for the plan, the partnership's decisions, the matrix settings and the theme map."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from cspkit.cli_common import db_option
from cspkit.config import default_db_path

_file = click.Path(dir_okay=False, path_type=Path)


@click.command("road-casualties")
@click.argument("file", type=_file)
@click.option(
    "--collisions",
    type=_file,
    default=None,
    help="STATS19 collision file giving each casualty's date and place.",
)
@db_option
def ingest_road_casualties(file: Path, collisions: Path | None, db: Path | None) -> None:
    """Load casualty records (STATS19 casualty layout, or the Greater Manchester extract)
    and derive monthly road-safety indicators per district (all casualties, KSI, KSI under
    16, car drivers 17-24, 65 and over, pedestrians, cyclists, powered two-wheelers).

    \b
    Example:
      cspkit ingest road-casualties STATS19_road_casualties_2019-Jun2024_GM.csv
      cspkit ingest road-casualties casualties-2023.csv --collisions collisions-2023.csv
    """
    from cspkit.ingest.road_casualties import load_road_casualties
    from cspkit.warehouse.connection import writing

    with writing(db or default_db_path()) as con:
        r = load_road_casualties(con, file, collisions=collisions)
    methods = ", ".join(f"{m}: {n:,}" for m, n in r.by_method)
    click.echo(
        f"{r.file} ({r.layout}): read {r.rows_read:,} = loaded {r.rows_loaded:,} "
        f"(no district: {r.rows_unassigned:,}); district by {methods}"
    )
    click.echo(
        f"{r.first_month} to {r.last_month}; {len(r.districts)} districts: "
        f"{', '.join(r.districts)}; {r.indicator_values:,} monthly indicator values"
    )


@click.command("survey")
@click.argument("file", type=_file)
@click.option("--questions", type=_file, required=True, help="YAML describing the questions.")
@click.option("--wave", required=True, help="Name of the survey wave, e.g. 2025.")
@click.option("--area", default=None, help="District surveyed (else 'district:' in YAML).")
@db_option
def ingest_survey(
    file: Path, questions: Path, wave: str, area: str | None, db: Path | None
) -> None:
    """Load a residents' survey, one row per respondent (CSV or XLSX).

    \b
    Example:
      cspkit ingest survey survey-2025.xlsx --questions questions.yaml --wave 2025
    """
    from cspkit.ingest.survey import load_survey
    from cspkit.warehouse.connection import writing

    with writing(db or default_db_path()) as con:
        r = load_survey(con, file, questions=questions, wave=wave, area=area)
    click.echo(
        f"{r.file}: wave {r.wave} of {r.district}: {r.respondents:,} respondents, "
        f"{r.questions} questions, {r.answers:,} answers"
        + (" [replaced earlier load]" if r.replaced else "")
    )


@click.command("survey-results")
@click.argument("file", type=_file)
@click.option("--area", default=None, help="District the results belong to.")
@db_option
def ingest_survey_results(file: Path, area: str | None, db: Path | None) -> None:
    """Load published survey results: wave, area, question, text, percent, base.

    \b
    Example:
      cspkit ingest survey-results survey-2019-published.csv --area Maidstone
    """
    from cspkit.ingest.survey import load_survey_results
    from cspkit.warehouse.connection import writing

    with writing(db or default_db_path()) as con:
        r = load_survey_results(con, file, area=area)
    click.echo(f"{r.file}: waves {r.wave}: {r.answers:,} results for {r.questions} questions")


ingest_commands = (ingest_road_casualties, ingest_survey, ingest_survey_results)


def evidence_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Add --plan, --priorities-override, --priority-weights and --themes to a command."""
    for option in reversed(
        (
            click.option(
                "--plan",
                type=_file,
                default=None,
                help="Partnership plan YAML for the progress chapter.",
            ),
            click.option(
                "--priorities-override",
                "decisions",
                type=_file,
                default=None,
                help="YAML of the partnership's decisions (adopt, drop, add + reason).",
            ),
            click.option(
                "--priority-weights",
                "weights",
                type=_file,
                default=None,
                help="YAML of matrix weights, thresholds, top_n and judgements.",
            ),
            click.option(
                "--themes",
                type=_file,
                default=None,
                help="Theme map YAML (default: the shipped map).",
            ),
        )
    ):
        command = option(command)
    return command


def options_from(kwargs: dict[str, Any]) -> Any:
    """Pop the evidence options from a command's keyword arguments."""
    from cspkit.assessment.evidence import EvidenceOptions

    return EvidenceOptions(
        plan=kwargs.pop("plan"),
        decisions=kwargs.pop("decisions"),
        weights=kwargs.pop("weights"),
        themes=kwargs.pop("themes"),
    )
