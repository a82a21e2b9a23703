"""Email reminders: actions falling due, reports awaited, and providers added by other parts."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail

from cspkit.web import reminders
from cspkit.web.plan.models import Action, Group


def test_actions_falling_due_reach_owner_and_agency(people: dict[str, Any]) -> None:
    today = datetime.date(2025, 3, 20)
    Action.objects.filter(ref="DA-1").update(due_date=today + datetime.timedelta(days=5))
    found = reminders.actions_falling_due(today, 14)
    texts = {(r.user.username, r.text.split()[0]) for r in found}
    assert ("member.person", "DA-1") in texts
    far = reminders.actions_falling_due(today, 1)
    assert ("member.person", "DA-1") not in {(r.user.username, r.text.split()[0]) for r in far}


def test_reports_awaited_in_the_last_weeks_of_a_plan_quarter(people: dict[str, Any]) -> None:
    near_end = reminders.reports_awaited(datetime.date(2025, 3, 20), 14)
    assert [(r.user.username, r.path) for r in near_end] == [
        ("chair.person", "/manage/groups/socp/report/2024-q4/")
    ]
    assert reminders.reports_awaited(datetime.date(2025, 2, 1), 14) == []
    assert reminders.reports_awaited(datetime.date(2030, 3, 20), 14) == []  # after the plan


def test_one_email_per_person_with_every_provider(people: dict[str, Any], settings: Any) -> None:
    settings.CSPKIT_SITE_URL = "https://safety.example.org"
    group = Group.objects.get(slug="socp")

    def extra(today: datetime.date, days: int) -> list[reminders.Reminder]:
        return [reminders.Reminder(people["chair"], "Case reviews", "Review 7 is overdue", "/x/")]

    reminders.register(extra)
    try:
        Action.objects.filter(group=group).update(
            due_date=datetime.date.today() + datetime.timedelta(days=3), owner=people["chair"]
        )
        sent = reminders.send_all(days=14)
    finally:
        reminders.PROVIDERS.remove(extra)
    to_chair = [m for m in mail.outbox if m.to == ["chair@example.org"]]
    assert sent == len(mail.outbox) and len(to_chair) == 1
    body = to_chair[0].body
    assert "Case reviews:" in body and "Actions falling due:" in body
    assert "https://safety.example.org/manage/actions/" in body
