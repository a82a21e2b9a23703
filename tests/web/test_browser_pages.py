"""Every page type as each role sees it, in Chromium at desktop and phone widths: axe finds
no serious or critical WCAG A/AA violation, and nothing scrolls sideways on a phone.

Set CSPKIT_SCREENSHOTS to a folder to keep a full-page screenshot of each page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.axe_check import axe_violations, describe
from tests.web.browsing import DESKTOP, PHONE, new_page, sign_in

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("CSPKIT_SCREENSHOTS", "")


def _pages(role: str) -> list[str]:
    """Paths of every page type the role can open (filled in with real record ids)."""
    from cspkit.web.monitoring.models import QuarterlyReport
    from cspkit.web.plan.models import Action, Group, Indicator, Priority

    soc1, da1 = Action.objects.get(ref="SOC-1").pk, Action.objects.get(ref="DA-1").pk
    group = Group.objects.get(slug="socp")
    report, _ = QuarterlyReport.objects.get_or_create(
        group=group, year=2024, quarter=4, defaults={"summary": "Two warrants executed."}
    )
    signed_in = [
        "/manage/",
        "/manage/my-actions/",
        "/manage/plan/",
        "/manage/priorities/domestic-abuse/",
        "/manage/actions/",
        "/manage/actions/?q=soc&status=open",
        f"/manage/actions/{soc1}/",
        "/manage/indicators/",
        "/manage/indicators/sanctuary-referrals/",
        "/manage/groups/",
        "/manage/groups/socp/",
        "/manage/reports/",
        f"/manage/reports/{report.pk}/",
        "/manage/funding/",
        "/accounts/password/change/",
        "/manage/no-such-page/",
    ]
    if role == "public":
        return [
            "/plan/",
            "/is-it-asb/",
            "/is-it-asb/?behaviour=domestic-abuse",
            "/how-to-report/",
            "/accounts/login/",
            "/accounts/password/reset/",
            "/no-such-page/",
        ]
    if role == "member":
        return [*signed_in, f"/manage/actions/{da1}/edit/", "/manage/audit/"]
    if role == "chair":
        return [*signed_in, "/manage/due/", "/manage/groups/socp/report/2024-q4/"]
    return [
        *signed_in,
        "/manage/due/",
        f"/manage/actions/{soc1}/edit/",
        "/manage/groups/socp/report/2024-q4/",
        "/manage/audit/",
        "/manage/board-pack/2024-q4/",
        "/manage/people/",
        "/manage/people/invite/",
        "/manage/settings/",
        "/manage/actions/new/",
        "/manage/indicators/new/",
        f"/manage/edit/group/{group.pk}/",
        f"/manage/edit/priority/{Priority.objects.get(slug='domestic-abuse').pk}/",
        f"/manage/edit/indicator/{Indicator.objects.get(slug='burglary').pk}/",
        f"/manage/retire/action/{soc1}/",
        "/manage/retired/",
        f"/manage/figures/{Indicator.objects.get(slug='sanctuary-referrals').pk}/",
    ]


@pytest.mark.parametrize("role", ["public", "member", "chair", "manager"])
def test_every_page_passes_axe_at_desktop_and_phone(browser: Any, site: str, role: str) -> None:
    problems: list[str] = []
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = new_page(browser, viewport)
        if role != "public":
            sign_in(page, site, f"{role}.person")
        for path in _pages(role):
            page.goto(f"{site}{path}")
            violations = axe_violations(page)
            if violations:
                problems.append(f"{role} {name} {path}:\n{describe(violations)}")
            if name == "phone":
                overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                if overflow > 0:
                    problems.append(f"{role} phone {path}: scrolls sideways by {overflow}px")
            if SCREENSHOTS:
                slug = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                out = Path(SCREENSHOTS) / f"{role}-{name}-{slug}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out), full_page=True)
        page.context.close()
    assert problems == [], "\n".join(problems)


def test_phone_menu_opens_and_closes(browser: Any, site: str) -> None:
    page = new_page(browser, PHONE)
    sign_in(page, site, "manager.person")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible() and not page.get_by_role("link", name="Audit log").is_visible()
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Audit log").is_visible()
    page.context.close()


def test_asb_answer_appears_beside_the_choice(browser: Any, site: str) -> None:
    page = new_page(browser, PHONE)
    page.goto(f"{site}/is-it-asb/")
    page.get_by_label("Domestic violence and abuse").check()
    answer = page.locator("#answer")
    assert answer.get_attribute("aria-live") == "polite"
    text = answer.inner_text()
    assert "0808 2000 247" in text and "999" in text
    assert "Domestic Abuse Services in Kent and Medway" in text
    assert answer.get_by_role("link", name="report it online to Kent Police").count() == 1
    # The answer sits right after the chosen option, where the person is looking.
    follows = page.evaluate(
        "document.getElementById('b-domestic-abuse').closest('.radio').nextElementSibling.id"
    )
    assert follows == "answer"
    box = answer.bounding_box()
    assert box is not None and box["y"] < 2 * PHONE["height"]
    page.get_by_label("Noise complaints").check()
    assert (
        page.locator("#answer")
        .get_by_role("link", name="Report it to Maidstone Borough Council")
        .count()
        == 1
    )
    page.context.close()
