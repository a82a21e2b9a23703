"""Files the web application keeps beside the warehouse: its SQLite database and secret key.

The secret key that signs sessions is read from ``$CSPKIT_SECRET_KEY`` or from a file
(mode 600) beside the web database. The file is created by :func:`ensure_secret_key`, which
the entry points that serve requests call (``cspkit serve`` and the WSGI module) before
Django reads its settings, so importing the settings alone (a type checker, a one-off
script) never writes a file.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from cspkit.warehouse.connection import default_db_path

SECRET_ENV = "CSPKIT_SECRET_KEY"
SECRET_FILE_NAME = "cspkit-web.secret"
WEB_DB_NAME = "cspkit-web.sqlite3"
SECRET_KEY_BYTES = 50
SECRET_FILE_MODE = 0o600


def web_db_path() -> Path:
    """The SQLite web database: $CSPKIT_WEB_DB, else beside the warehouse file."""
    env = os.environ.get("CSPKIT_WEB_DB")
    return Path(env) if env else default_db_path().with_name(WEB_DB_NAME)


def ensure_private_web_db() -> Path:
    """Create the SQLite web database file readable and writable by its owner only.

    SQLite creates its write-ahead log and shared-memory files with the database file's
    permissions, so they are private too. An existing file is made private as well.
    """
    path = web_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, SECRET_FILE_MODE)
    os.close(fd)
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.exists() and companion.stat().st_mode & 0o777 != SECRET_FILE_MODE:
            companion.chmod(SECRET_FILE_MODE)
    return path


def secret_key_path() -> Path:
    """The file that keeps the generated secret key, beside the web database."""
    return web_db_path().with_name(SECRET_FILE_NAME)


def stored_secret_key() -> str | None:
    """The secret key from $CSPKIT_SECRET_KEY or its file, or None when there is neither."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env
    path = secret_key_path()
    if path.exists():
        return path.read_text(encoding="utf-8").strip() or None
    return None


def ensure_secret_key() -> str:
    """The secret key, generating and keeping it in its file on first use.

    Several processes may start at once (gunicorn workers): the key is written to a private
    file that is then hard-linked into place, so every process reads the same, complete key.
    """
    existing = stored_secret_key()
    if existing is not None:
        return existing
    path = secret_key_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, SECRET_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_urlsafe(SECRET_KEY_BYTES))
    try:
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()
