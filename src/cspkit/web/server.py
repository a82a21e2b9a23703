"""Running the web application: set-up, migrations, the first admin, and the servers.

The command-line commands in ``cspkit.web.cli`` call these functions.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from cspkit.web import SETTINGS_MODULE
from cspkit.web.files import SECRET_FILE_MODE, ensure_private_web_db, ensure_secret_key, web_db_path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
ADMIN_USERNAME = "admin"
GENERATED_PASSWORD_BYTES = 12
#: gunicorn worker processes per core. Pages are CPU-bound Python (database and warehouse
#: reads are short, and shared pages are cached in each process), so one process per core,
#: each with a few threads to overlap database round trips, serves more than the I/O-bound
#: rule of thumb (2 x cores + 1): fewer processes to warm and less switching between them.
WORKERS_PER_CORE = 1
GUNICORN_THREADS = 4
GUNICORN_TIMEOUT_SECONDS = 60
#: How long gunicorn may take to finish its requests after a stop signal before it is killed.
STOP_GRACE_SECONDS = 30
FIRST_ADMIN_FILE = "cspkit-web.first-admin"
ADMIN_PASSWORD_ENV = "CSPKIT_ADMIN_PASSWORD"


def setup(db: Path | str | None = None) -> None:
    """Point cspkit at a warehouse (optional), keep a secret key and start Django."""
    if db is not None:
        os.environ["CSPKIT_DB"] = str(Path(db).resolve())
    ensure_secret_key()
    if not os.environ.get("DATABASE_URL"):
        ensure_private_web_db()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    import django

    django.setup()


def migrate(verbosity: int = 0) -> None:
    """Apply database migrations (safe to repeat)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


@dataclass(frozen=True)
class NewAdmin:
    """A partnership manager account that was just created."""

    username: str
    password: str


def create_admin(
    username: str = ADMIN_USERNAME, password: str | None = None, email: str = ""
) -> NewAdmin:
    """Create a superuser with the partnership manager role; a password is generated if none.

    A given password must pass the site's password rules (length, not common, not numeric,
    not like the username); the error names every rule it fails.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from cspkit.errors import CspkitError
    from cspkit.web.plan.models import Profile, Role

    user_model = get_user_model()
    if user_model.objects.filter(username=username).exists():
        raise CspkitError(f"a user called {username!r} already exists")
    secret = password or secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    try:
        validate_password(secret, user_model(username=username, email=email))
    except ValidationError as exc:
        raise CspkitError("password refused: " + " ".join(exc.messages)) from exc
    user = user_model.objects.create_superuser(username=username, email=email, password=secret)
    Profile.objects.update_or_create(user=user, defaults={"role": Role.MANAGER})
    return NewAdmin(username, secret)


def write_first_admin(admin: NewAdmin) -> Path:
    """Keep the first admin's password in a file only its owner can read (never in a log)."""
    path = web_db_path().with_name(FIRST_ADMIN_FILE)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, SECRET_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(
            f"username: {admin.username}\npassword: {admin.password}\n"
            "Sign in, change the password (Account > Change password), then delete this file.\n"
        )
    return path


def ensure_admin() -> NewAdmin | None:
    """Create the first admin if there is no user at all; return it, or None."""
    from django.contrib.auth import get_user_model

    if get_user_model().objects.exists():
        return None
    return create_admin()


def ensure_example_plan() -> str | None:
    """Load the shipped example plan when no plan exists yet; return a summary line."""
    from cspkit.web.plan.loader import EXAMPLE_PLAN, load_plan
    from cspkit.web.plan.models import PlanPeriod

    if PlanPeriod.objects.exists():
        return None
    return load_plan(EXAMPLE_PLAN).describe()


def run_development(host: str, port: int) -> None:
    """Django's own server (single process; for one person on one machine)."""
    from django.core.management import call_command

    call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)


def gunicorn_command(host: str, port: int, workers: int | None = None) -> list[str]:
    """The gunicorn command line for production."""
    count = workers or WORKERS_PER_CORE * (os.cpu_count() or 1)
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "cspkit.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(count),
        "--threads",
        str(GUNICORN_THREADS),
        "--timeout",
        str(GUNICORN_TIMEOUT_SECONDS),
        # Load the application once, before the workers start (the modules are shared).
        "--preload",
        "--access-logfile",
        "-",
    ]


def run_production(host: str, port: int, workers: int | None = None) -> int:
    """Run gunicorn (static files are served by WhiteNoise); returns its exit code.

    A SIGTERM or SIGINT sent to this process is passed on to gunicorn, which stops its
    workers gracefully; if it has not stopped within STOP_GRACE_SECONDS it is killed. So
    stopping ``cspkit serve --production`` (a service manager, Ctrl+C) never leaves gunicorn
    running without it.
    """
    child = subprocess.Popen(gunicorn_command(host, port, workers), env=os.environ.copy())

    def forward(signum: int, frame: FrameType | None) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM if signum == signal.SIGTERM else signal.SIGINT)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                return child.wait()
            except KeyboardInterrupt:  # pragma: no cover - the handler above replaces it
                forward(signal.SIGINT, None)
    finally:
        if child.poll() is None:
            try:
                child.wait(timeout=STOP_GRACE_SECONDS)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
