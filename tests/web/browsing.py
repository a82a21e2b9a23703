"""Shared pieces of the browser tests: Chromium, a page, the live site and signing in."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import chromium_for_django
from tests.web.conftest import TEST_PASSWORD

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's package), from the shared launcher in tests/browser.py."""
    with chromium_for_django() as launched:
        yield launched


@pytest.fixture
def site(browser: Any, live_server: Any, people: dict[str, Any]) -> str:
    """The live server's URL, with the plan and one user per role loaded."""
    return str(live_server.url)


def new_page(browser: Any, viewport: dict[str, int] | None = None) -> Any:
    """A page in a fresh browser context (its own cookies: its own session)."""
    context = browser.new_context(viewport=viewport or DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sign_in(page: Any, site: str, username: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the form and wait for the dashboard."""
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/manage/")
