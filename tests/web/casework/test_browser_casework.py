"""In a real headless Chromium: a resident applies on a phone, checks the status, and a case
officer takes the case to closure; the public pages pass axe-core and fit a phone.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.axe_check import axe_violations, describe
from tests.browser import chromium_for_django
from tests.web.casework.conftest import PDF_BYTES
from tests.web.conftest import TEST_PASSWORD

PHONE = {"width": 375, "height": 740}
TIMEOUT_MS = 20_000
PUBLIC_PAGES = (
    "/asb-case-review/",
    "/asb-case-review/apply/",
    "/asb-case-review/status/",
    "/asb-case-review/figures/",
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_for_django() as launched:
        yield launched


@pytest.fixture
def site(browser: Any, live_server: Any, casework: dict[str, Any]) -> str:
    return str(live_server.url)


def _context(browser: Any, viewport: dict[str, int] | None = None) -> Any:
    context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _days_ago(n: int) -> str:
    return (datetime.date.today() - datetime.timedelta(days=n)).isoformat()


def _apply_on_a_phone(browser: Any, site: str, agency: str) -> tuple[str, str]:
    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{site}/asb-case-review/")
    page.get_by_role("link", name="Apply for a case review").click()
    page.get_by_label("Your full name").fill("Fictional Resident")
    page.get_by_label("Email address").fill("resident@example.org")
    page.get_by_label("What is the anti-social behaviour?").fill("Loud parties every night.")
    page.get_by_label("How is it affecting you?").fill("I cannot sleep.")
    for i, (made, happened) in enumerate(((5, 6), (30, 31), (60, 62))):
        page.locator(f"#id_complaint-{i}-made_on").fill(_days_ago(made))
        page.locator(f"#id_complaint-{i}-behaviour_on").fill(_days_ago(happened))
        page.locator(f"#id_complaint-{i}-agency").select_option(label=agency)
    page.get_by_role("button", name="Send application").click()
    page.wait_for_url(f"{site}/asb-case-review/applied/")
    reference = page.locator("#reference").inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()
    return reference, secret


def _status(browser: Any, site: str, reference: str, secret: str) -> str:
    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{site}/asb-case-review/status/")
    page.get_by_label("Case reference").fill(reference)
    page.get_by_label("Secret code").fill(secret)
    page.get_by_role("button", name="Check").click()
    text = str(page.locator("main").inner_text())
    context.close()
    return text


def test_resident_applies_and_officer_takes_it_to_closure(
    browser: Any, site: str, casework: dict[str, Any]
) -> None:
    agency = casework["agencies"][0].name
    reference, secret = _apply_on_a_phone(browser, site, agency)
    assert reference.startswith("ACR-") and len(secret) >= 12
    assert "Current stage: Received" in _status(browser, site, reference, secret)

    context = _context(browser)
    page = context.new_page()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill("officer_a")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{site}/manage/")
    page.goto(f"{site}/manage/cases/")
    page.get_by_role("link", name=reference).click()
    assert page.get_by_text("Meets the threshold").is_visible()
    page.locator("#id_acknowledge-lead_agency").select_option(label=agency)
    page.get_by_role("button", name="Acknowledge the application").click()
    page.get_by_label("Add evidence to the case file").set_input_files(
        {"name": "noise-diary.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Add the file").click()
    assert page.get_by_role("link", name="noise-diary.pdf").is_visible()
    if os.environ.get("CSPKIT_SCREENSHOTS"):
        page.screenshot(path=f"{os.environ['CSPKIT_SCREENSHOTS']}/officer-case.png", full_page=True)
    page.get_by_role("button", name="Record the threshold decision").click()
    page.get_by_label("Notes of the review meeting").fill("Council and police met.")
    page.get_by_role("button", name="Record the review meeting").click()
    page.locator("#step-recommend").get_by_label("Yes").check()
    page.get_by_label("Recommendations (one per line)").fill("Joint visit\nNoise monitoring")
    page.get_by_role("button", name="Record the review's recommendations").click()
    page.get_by_label("Response sent to the applicant").fill("We wrote with the outcome.")
    page.get_by_role("button", name="Record the response to the applicant").click()
    page.get_by_role("button", name="Close the case").click()
    assert page.locator("dd.status").inner_text() == "Closed"
    assert page.get_by_text("Joint visit").is_visible()
    context.close()

    status = _status(browser, site, reference, secret)
    assert "Current stage: Closed" in status
    assert "The application met the threshold: a case review was held." in status


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_casework_pages_pass_axe_and_fit_a_phone(browser: Any, site: str, path: str) -> None:
    context = _context(browser, PHONE)
    page = context.new_page()
    page.goto(f"{site}{path}")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"
    context.close()
