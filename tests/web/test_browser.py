"""Key flows once more in a real browser: Playwright driving Debian's headless Chromium.

Sign in, edit an action, file a quarterly report, produce the board pack, use the public
triage with and without JavaScript, and check the public pages with axe-core. A missing
browser or axe-core is a failure naming what to install, never a skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.axe_check import axe_violations, describe
from tests.browser import chromium_for_django
from tests.web.conftest import TEST_PASSWORD

PHONE = {"width": 375, "height": 740}
PUBLIC_PAGES = (
    "/plan/",
    "/is-it-asb/",
    "/is-it-asb/?behaviour=noise",
    "/how-to-report/",
    "/accounts/login/",
)
TIMEOUT_MS = 20_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's package), from the shared launcher in tests/browser.py."""
    # Playwright's synchronous API keeps an event loop in this thread; the ORM calls made by
    # the tests (and pytest-django's database set-up) are still synchronous and safe.
    with chromium_for_django() as launched:
        yield launched


@pytest.fixture
def site(browser: Any, live_server: Any, people: dict[str, Any]) -> str:
    """The live server's URL, with the plan and one user per role loaded."""
    return str(live_server.url)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def _sign_in(page: Any, site: str, username: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/manage/")


def test_member_signs_in_and_edits_an_action(page: Any, site: str) -> None:
    from cspkit.web.plan.models import Action

    _sign_in(page, site, "member.person")
    assert page.get_by_role("heading", name="Partnership dashboard").is_visible()
    action = Action.objects.get(ref="DA-1")
    page.goto(f"{site}/manage/actions/{action.pk}/")
    page.get_by_role("link", name="Update this action").click()
    page.get_by_label("Status").select_option("at-risk")
    page.get_by_label("Progress note").fill("Two champions trained; venue delayed.")
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"{site}/manage/actions/{action.pk}/")
    assert page.get_by_text("Two champions trained; venue delayed.").is_visible()
    action.refresh_from_db()
    assert action.status == "at-risk"


def test_chair_files_a_quarterly_report(page: Any, site: str) -> None:
    from cspkit.web.monitoring.models import QuarterlyReport

    _sign_in(page, site, "chair.person")
    page.get_by_role("link", name="file the report").first.click()
    page.get_by_label("Highlights of the quarter").fill("Two warrants executed.")
    page.get_by_label("SOC-1 progress this quarter").fill("Disruption ongoing.")
    page.get_by_label("SOC-2 status").select_option("off-track")
    page.get_by_role("button", name="Submit report").click()
    page.wait_for_url(f"{site}/manage/reports/*/")
    assert page.get_by_text("Two warrants executed.").is_visible()
    report = QuarterlyReport.objects.get(group__slug="socp")
    assert report.actions.get(action__ref="SOC-2").status == "off-track"


def test_manager_produces_the_board_pack(page: Any, site: str) -> None:
    _sign_in(page, site, "manager.person")
    page.get_by_role("link", name="Board pack").click()
    assert page.get_by_role("heading", name="board pack").is_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as PDF").click()
    path = info.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")


def test_public_triage_with_javascript(page: Any, site: str) -> None:
    page.goto(f"{site}/is-it-asb/")
    page.get_by_label("Noise complaints").check()
    answer = page.locator("#answer")
    assert "Report it to the council" in answer.inner_text()
    assert page.url.endswith("?behaviour=noise#answer")  # no page load, URL kept shareable
    page.get_by_label("Physical violence").check()
    assert "Report it to the police first" in answer.inner_text()


def test_public_triage_without_javascript(browser: Any, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/is-it-asb/")
    page.get_by_label("Fly-tipping").check()
    page.get_by_role("button", name="Show the answer").click()
    page.wait_for_url("**behaviour=fly-tipping**")
    assert "it is a crime" in page.locator("#answer").inner_text()
    context.close()


def test_keyboard_reaches_skip_link_first(page: Any, site: str) -> None:
    page.goto(f"{site}/plan/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_axe_and_fit_a_phone(browser: Any, site: str, path: str) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site}{path}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"
    context.close()
