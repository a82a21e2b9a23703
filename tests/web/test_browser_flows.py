"""Flows that must not lose anything, in a real browser (Playwright driving Chromium).

Saving an unchanged form, two people editing one action, revising a report, demoting a
manager, the sign-in lockout, creating an action and an indicator, a past board pack, and
retiring a group and bringing it back.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.axe_check import axe_violations, describe
from tests.web.browsing import new_page, sign_in

#: Set to a folder to keep screenshots of the pages these flows reach.
SCREENSHOTS = os.environ.get("CSPKIT_SCREENSHOTS", "")

pytestmark = pytest.mark.browser


def test_saving_an_edit_unchanged_keeps_every_field(browser: Any, site: str) -> None:
    from cspkit.web.plan.models import Action, AuditEntry, ProgressNote

    action = Action.objects.get(ref="SOC-1")
    before = {f.attname: getattr(action, f.attname) for f in Action._meta.concrete_fields}
    entries, notes = AuditEntry.objects.count(), ProgressNote.objects.count()
    page = new_page(browser)
    sign_in(page, site, "manager.person")
    page.goto(f"{site}/manage/actions/{action.pk}/edit/")
    assert page.get_by_label("Due date").input_value() == action.due_date.isoformat()
    page.get_by_role("button", name="Save update").click()
    page.wait_for_url(f"{site}/manage/actions/{action.pk}/")
    action.refresh_from_db()
    after = {f.attname: getattr(action, f.attname) for f in Action._meta.concrete_fields}
    assert after == before
    assert AuditEntry.objects.count() == entries and ProgressNote.objects.count() == notes
    page.goto(f"{site}/manage/audit/?record=Action&change=updated")
    assert page.get_by_text("No changes recorded.").is_visible()
    page.context.close()


def test_two_sessions_editing_one_action(browser: Any, site: str) -> None:
    from cspkit.web.plan.models import Action

    action = Action.objects.get(ref="DA-1")
    url = f"{site}/manage/actions/{action.pk}/edit/"
    manager, member = new_page(browser), new_page(browser)
    sign_in(manager, site, "manager.person")
    sign_in(member, site, "member.person")
    manager.goto(url)
    member.goto(url)
    manager.get_by_label("Status").select_option("complete")
    manager.get_by_label("Progress note").fill("Finished early.")
    manager.get_by_role("button", name="Save update").click()
    manager.wait_for_url(f"{site}/manage/actions/{action.pk}/")
    member.get_by_label("Status").select_option("off-track")
    member.get_by_label("Progress note").fill("Venue lost.")
    member.get_by_role("button", name="Save update").click()
    alert = member.locator("#conflict")
    assert "Not saved" in alert.inner_text()
    table = alert.locator("table").inner_text()
    assert "Off track" in table and "Complete" in table
    # What the member typed is still in the form.
    assert member.get_by_label("Progress note").input_value() == "Venue lost."
    action.refresh_from_db()
    assert action.status == "complete"
    manager.context.close()
    member.context.close()


def test_revising_a_report_keeps_newer_statuses(browser: Any, site: str) -> None:
    from cspkit.web.monitoring.models import QuarterlyReport
    from cspkit.web.plan.models import Action

    chair = new_page(browser)
    sign_in(chair, site, "chair.person")
    form = f"{site}/manage/groups/socp/report/2024-q4/"
    chair.goto(form)
    chair.get_by_label("SOC-2 status").select_option("off-track")
    chair.get_by_role("button", name="Submit report").click()
    chair.wait_for_url(f"{site}/manage/reports/*/")
    # Later the action is completed on its own page.
    chair.goto(f"{site}/manage/actions/{Action.objects.get(ref='SOC-2').pk}/edit/")
    chair.get_by_label("Status").select_option("complete")
    chair.get_by_role("button", name="Save update").click()
    chair.wait_for_url(f"{site}/manage/actions/*/")
    # The chair revises the report's highlights only.
    chair.goto(form)
    chair.get_by_label("Highlights of the quarter").fill("Revised for the board.")
    chair.get_by_role("button", name="Submit report").click()
    chair.wait_for_url(f"{site}/manage/reports/*/")
    assert Action.objects.get(ref="SOC-2").status == "complete"
    report = QuarterlyReport.objects.get(group__slug="socp", year=2024, quarter=4)
    assert report.summary == "Revised for the board."
    chair.context.close()


def test_a_demoted_manager_loses_the_admin(browser: Any, site: str) -> None:
    from django.contrib.auth.models import User

    from cspkit.web.plan.models import Profile
    from tests.web.conftest import TEST_PASSWORD

    second = User.objects.create_user("second.manager", password=TEST_PASSWORD)
    Profile.objects.create(user=second, role="manager")
    them = new_page(browser)
    sign_in(them, site, "second.manager")
    them.goto(f"{site}/admin/")
    assert them.get_by_role("heading", name="Site administration").is_visible()
    boss = new_page(browser)
    sign_in(boss, site, "manager.person")
    boss.goto(f"{site}/manage/people/")
    boss.get_by_role("link", name="second.manager").click()
    boss.get_by_label("Role").select_option("member")
    boss.get_by_role("button", name="Save").click()
    boss.wait_for_url(f"{site}/manage/people/")
    them.goto(f"{site}/admin/")
    assert "/admin/login/" in them.url
    them.goto(f"{site}/manage/")
    assert them.get_by_role("link", name="Admin site").count() == 0
    them.context.close()
    boss.context.close()


def test_lockout_after_failed_sign_ins(browser: Any, site: str) -> None:
    from cspkit.web.plan.models import AuditEntry

    page = new_page(browser)
    for _ in range(5):
        page.goto(f"{site}/accounts/login/")
        page.get_by_label("Username").fill("member.person")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in").click()
    page.goto(f"{site}/accounts/login/")
    page.get_by_label("Username").fill("member.person")
    page.get_by_label("Password", exact=True).fill("a long test password 1")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Signing in is paused").is_visible()
    assert AuditEntry.objects.filter(change="locked-out", username="member.person").exists()
    page.context.close()


def test_creating_an_action_and_an_indicator(browser: Any, site: str) -> None:
    from cspkit.web.plan.models import Action, Indicator

    page = new_page(browser)
    sign_in(page, site, "manager.person")
    page.goto(f"{site}/manage/actions/")
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Priority").select_option(
        label="Reducing the harm caused by domestic abuse (including stalking)"
    )
    page.get_by_label("Group").select_option(label="Domestic Abuse Forum")
    page.get_by_label("Ref").fill("DA-7")
    page.get_by_label("Title").fill("Sanctuary scheme leaflets in GP surgeries")
    page.get_by_label("Owner agency").select_option(label="KIDAS")
    page.get_by_label("Due date").fill("2025-02-28")
    page.get_by_role("button", name="Add the action").click()
    page.wait_for_url(f"{site}/manage/actions/*/")
    assert page.get_by_role("heading", name="DA-7: Sanctuary scheme leaflets").is_visible()
    action = Action.objects.get(ref="DA-7")
    assert action.due_date is not None and action.due_date.isoformat() == "2025-02-28"
    page.goto(f"{site}/manage/indicators/")
    page.get_by_role("link", name="Add an indicator").click()
    page.get_by_label("Name").fill("Criminal damage")
    page.get_by_label("Slug").fill("criminal-damage")
    page.get_by_label("Warehouse series").fill("criminal-damage-arson")
    page.get_by_label("Which direction is better").select_option("higher-is-worse")
    page.get_by_role("button", name="Add the indicator").click()
    page.wait_for_url(f"{site}/manage/indicators/criminal-damage/")
    assert page.get_by_text("Lower is better").is_visible()
    assert Indicator.objects.get(slug="criminal-damage").series_id == "criminal-damage-arson"
    page.context.close()


def test_a_past_quarters_board_pack(browser: Any, site: str) -> None:
    from cspkit.web.plan.models import Action

    soc2 = Action.objects.get(ref="SOC-2")
    soc2.status = "complete"
    soc2.save()
    page = new_page(browser)
    sign_in(page, site, "manager.person")
    page.goto(f"{site}/manage/board-pack/2024-q4/")
    assert page.get_by_text("As at 31 March 2025").is_visible()
    overdue = page.get_by_role("table", name="Overdue actions").inner_text()
    assert "SOC-2" in overdue and "At risk" in overdue  # as it stood then, not "Complete"
    page.get_by_role("link", name="Previous quarter").click()
    page.wait_for_url(f"{site}/manage/board-pack/2024-q3/")
    response = page.goto(f"{site}/manage/board-pack/2031-q1/")
    assert response is not None and response.status == 404
    page.context.close()


def test_retiring_a_group_and_bringing_it_back(browser: Any, site: str) -> None:
    page = new_page(browser)
    sign_in(page, site, "manager.person")
    page.goto(f"{site}/manage/groups/socp/")
    page.get_by_role("link", name="Retire this group").click()
    page.get_by_role("button", name="Retire this group").click()
    page.wait_for_url(f"{site}/manage/groups/")
    assert page.get_by_role("link", name="Serious and Organised Crime Panel").count() == 0
    page.get_by_role("link", name="Retired records").click()
    table = page.get_by_role("table", name="Retired records of the plan")
    assert "Serious and Organised Crime Panel" in table.inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)
    if SCREENSHOTS:
        page.screenshot(path=f"{SCREENSHOTS}/manager-retired-records.png", full_page=True)
    page.get_by_role("link", name="Bring back Serious and Organised Crime Panel").click()
    page.get_by_role("button", name="Bring back this group").click()
    page.wait_for_url(f"{site}/manage/groups/socp/")
    page.goto(f"{site}/manage/retired/")
    assert page.get_by_text("Nothing is retired.").is_visible()
    page.context.close()
