"""Command-line commands of the web application: serve, createadmin, plan load."""

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
    server.setup(db)
    server.migrate()
    loaded = server.ensure_example_plan()
    if loaded:
        click.echo(f"{loaded} (the example plan; load your own with 'cspkit plan load').")
        click.echo(import_module("cspkit.web.casework.examples").ensure_example_cases() or "")
    admin = server.ensure_admin()
    if admin is not None:
        click.echo(
            f"Created the first admin. Sign in at http://{host}:{port}/accounts/login/ as "
            f"{admin.username!r} with password {admin.password!r}; change it in /admin/."
        )
    click.echo(f"Serving on http://{host}:{port}/ (Ctrl+C to stop)")
    if production:
        raise SystemExit(server.run_production(host, port, workers))
    server.run_development(host, port)


@click.command()
@click.option("--username", default=server.ADMIN_USERNAME, show_default=True)
@click.option("--password", default=None, help="Password (default: generate one and print it).")
@db_option
def createadmin(username: str, password: str | None, db: Path | None) -> None:
    """Create a partnership manager (superuser) account.

    Example: cspkit createadmin --username manager
    """
    server.setup(db)
    server.migrate()
    admin = server.create_admin(username, password)
    shown = admin.password if password is None else "(as given)"
    click.echo(f"Created {admin.username!r}; password {shown}")


@click.group()
def plan() -> None:
    """Manage the Partnership Plan held by the web application.

    Example: cspkit plan load plan.yaml
    """


@plan.command("load")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@db_option
def plan_load(file: Path, db: Path | None) -> None:
    """Create or update a Partnership Plan from a YAML file.

    Example: cspkit plan load maidstone-2022-2025.yaml
    """
    server.setup(db)
    server.migrate()
    from cspkit.web.plan.loader import load_plan

    click.echo(load_plan(file).describe())


web_commands: list[click.Command] = [serve, createadmin, plan]
