"""Command-line commands of the web application: serve, createadmin, plan load, remind."""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

import click

from cspkit.web import server

db_option = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Warehouse file (default: $CSPKIT_DB or ./cspkit.duckdb); web database beside it.",
)


@click.command()
@click.option(
    "--host", default=server.DEFAULT_HOST, show_default=True, help="Address to listen on."
)
@click.option("--port", default=server.DEFAULT_PORT, show_default=True, help="Port to listen on.")
@db_option
@click.option("--production", is_flag=True, help="Run gunicorn with several worker processes.")
@click.option(
    "--workers", type=int, default=None, help="gunicorn worker processes (default: one per core)."
)
def serve(host: str, port: int, db: Path | None, production: bool, workers: int | None) -> None:
    """Start the partnership web application.

    Applies database migrations, loads the example plan into an empty database and creates a
    first admin if there is no user yet.

    Example: cspkit serve --db cspkit-demo/cspkit.duckdb --port 8000
    """
    from cspkit.warehouse.connection import check_warehouse, default_db_path

    check_warehouse(db or default_db_path())
    server.setup(db)
    server.migrate()
    loaded = server.ensure_example_plan()
    if loaded:
        click.echo(f"{loaded} (the example plan; load your own with 'cspkit plan load').")
        click.echo(import_module("cspkit.web.casework.examples").ensure_example_cases() or "")
    admin = server.ensure_admin()
    if admin is not None:
        kept = server.write_first_admin(admin)
        click.echo(
            f"Created the first admin {admin.username!r}; the password is in {kept} (readable "
            f"by you only). Sign in at http://{host}:{port}/accounts/login/, change the "
            "password, then delete the file."
        )
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    if production:
        raise SystemExit(server.run_production(host, port, workers))
    server.run_development(host, port)


@click.command()
@click.option("--username", default=server.ADMIN_USERNAME, show_default=True)
@click.option("--email", default="", help="Email address (for password resets).")
@click.option(
    "--password",
    default=None,
    help=f"Password (avoid: it stays in the shell history). Default: ${server.ADMIN_PASSWORD_ENV}, "
    "else asked for at a prompt, else generated when there is no terminal.",
)
@db_option
def createadmin(username: str, email: str, password: str | None, db: Path | None) -> None:
    """Create a partnership manager (superuser) account.

    The password must pass the site's password rules (at least 12 characters, not common,
    not numeric, not like the username).

    Example: CSPKIT_ADMIN_PASSWORD='a long pass phrase' cspkit createadmin --username manager
    """
    import os
    import sys

    server.setup(db)
    server.migrate()
    given = password or os.environ.get(server.ADMIN_PASSWORD_ENV)
    if given is None and sys.stdin.isatty():
        given = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    admin = server.create_admin(username, given, email)
    shown = admin.password if given is None else "(as given)"
    click.echo(f"Created {admin.username!r}; password {shown}")


@click.group()
def plan() -> None:
    """Manage the Partnership Plan held by the web application.

    Example: cspkit plan load plan.yaml
    """


@plan.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--overwrite",
    is_flag=True,
    help="Replace values already in the application (statuses, dates set on its pages).",
)
@db_option
def plan_load(file: Path, overwrite: bool, db: Path | None) -> None:
    """Create or update a Partnership Plan from a YAML file.

    When the file would change records already in the application, nothing is written and
    the changes are listed; run again with --overwrite to make them.

    Example: cspkit plan load maidstone-2022-2025.yaml
    """
    server.setup(db)
    server.migrate()
    from cspkit.web.plan.loader import load_plan

    click.echo(load_plan(file, overwrite=overwrite).describe())


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the reminders instead of sending them.")
@click.option(
    "--days", default=14, show_default=True, help="Remind of actions due within this many days."
)
@db_option
def remind(dry_run: bool, days: int, db: Path | None) -> None:
    """Email each person their reminders: actions falling due or overdue, reports awaited.

    Run it from a scheduler (cron, a systemd timer) once a day or week.

    Example: cspkit remind --days 14 --dry-run
    """
    server.setup(db)
    server.migrate()
    from cspkit.web import reminders

    sent = reminders.send_all(days=days, dry_run=dry_run, echo=click.echo)
    click.echo(f"{'Would send' if dry_run else 'Sent'} {sent} reminder email(s).")


web_commands: list[click.Command] = [serve, createadmin, plan, remind]
