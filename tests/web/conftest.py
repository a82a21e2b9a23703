"""pytest-django set-up for the web application's tests.

The Django settings are chosen here, so other test folders are unaffected. By default the
tests use SQLite; with CSPKIT_TEST_DB=postgresql they run against a private PostgreSQL server
started for the session (see cspkit.web.tempdb). test_postgresql.py runs this folder's
in-process tests again that way, so one `pytest` run covers both databases.
"""

from __future__ import annotations

import atexit
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="cspkit-web-tests-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "cspkit.web.settings"
os.environ.setdefault("CSPKIT_SECRET_KEY", "test-only-secret-key-not-for-production-use-000000")
os.environ["CSPKIT_DB"] = str(_TMP / "cspkit.duckdb")
os.environ.pop("DATABASE_URL", None)

POSTGRES = os.environ.get("CSPKIT_TEST_DB", "sqlite") == "postgresql"
if POSTGRES:
    from cspkit.web.tempdb import TempPostgres

    _server = TempPostgres().start()
    atexit.register(_server.stop)
    os.environ["DATABASE_URL"] = _server.url

import django  # noqa: E402

django.setup()


def pytest_report_header(config: pytest.Config) -> str:
    return f"cspkit web tests database: {'postgresql' if POSTGRES else 'sqlite'}"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium through Playwright")


TEST_PASSWORD = "a long test password 1"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    """A fast password hasher: the tests are about permissions, not hashing cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty cache: rolled-back data must not leave pages behind."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def plan(db: None) -> None:
    """The shipped Maidstone example plan, loaded."""
    from cspkit.web.plan.loader import EXAMPLE_PLAN, load_plan

    load_plan(EXAMPLE_PLAN)


@pytest.fixture
def people(plan: None) -> dict[str, object]:
    """One user per role: manager, chair (of the SOC panel), member (owns DA-1), bystander."""
    from django.contrib.auth.models import User

    from cspkit.web.plan.models import Action, Agency, Group, Profile, Role

    made: dict[str, object] = {}
    for name, role in (
        ("manager", Role.MANAGER),
        ("chair", Role.CHAIR),
        ("member", Role.MEMBER),
        ("bystander", Role.MEMBER),
    ):
        user = User.objects.create_user(
            f"{name}.person", password=TEST_PASSWORD, email=f"{name}@example.org"
        )
        Profile.objects.create(user=user, role=role, agency=Agency.objects.first())
        made[name] = user
    Group.objects.filter(slug="socp").update(chair=made["chair"])
    Action.objects.filter(ref="DA-1").update(owner=made["member"])
    return made


@pytest.fixture(scope="session")
def tmp_root() -> Iterator[Path]:
    """A temporary folder for the session."""
    yield _TMP


# Chromium and the live site for the browser tests (defined in browsing.py).
from tests.web.browsing import browser, site  # noqa: E402, F401
