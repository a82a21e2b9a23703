"""Email reminders (``cspkit remind``): gathered from providers, one email per person.

A provider is a function ``(today, days) -> list[Reminder]``. The plan registers two here:
actions falling due (or overdue) for their owners and their agency's members, and quarterly
reports awaited from group chairs. Other parts of the application add theirs with
:func:`register` (e.g. overdue case reviews), and each person gets a single email listing
every reminder addressed to them.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

#: Weeks before a quarter ends when chairs are reminded that its report is awaited.
REPORT_REMINDER_DAYS = 21


@dataclass(frozen=True)
class Reminder:
    """One thing a person should do, with a link to where they do it."""

    user: User
    topic: str
    text: str
    path: str

    @property
    def link(self) -> str:
        """The full address of the page (from CSPKIT_SITE_URL)."""
        return f"{settings.CSPKIT_SITE_URL}{self.path}"


Provider = Callable[[datetime.date, int], list[Reminder]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add a provider of reminders (usable as a decorator); registering twice is harmless."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


@register
def actions_falling_due(today: datetime.date, days: int) -> list[Reminder]:
    """Open actions due within ``days`` or overdue: to the owner and their agency's people."""
    from cspkit.web.plan.context import current_plan
    from cspkit.web.plan.models import CLOSED_STATUSES, Action, Profile

    plan = current_plan()
    if plan is None:
        return []
    due = (
        Action.objects.filter(priority__plan=plan, retired=False, due_date__isnull=False)
        .filter(due_date__lte=today + datetime.timedelta(days=days))
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("owner", "owner_agency")
    )
    found = []
    for action in due:
        when = "was due" if action.due_date and action.due_date < today else "is due"
        people = {action.owner} if action.owner else set()
        if action.owner_agency_id:
            members = Profile.objects.filter(agency_id=action.owner_agency_id)
            people |= {p.user for p in members.select_related("user")}
        for person in people:
            if person is not None and person.is_active and person.email:
                found.append(
                    Reminder(
                        person,
                        "Actions falling due",
                        f"{action.ref} {action.title} {when} on {action.due_date:%d %B %Y} "
                        f"({action.get_status_display().lower()})",
                        reverse("action", args=[action.pk]),
                    )
                )
    return found


@register
def reports_awaited(today: datetime.date, days: int) -> list[Reminder]:
    """Chairs whose group has not reported for the quarter ending within three weeks."""
    from cspkit.web.monitoring.models import QuarterlyReport
    from cspkit.web.monitoring.quarters import Quarter, plan_quarters
    from cspkit.web.plan.context import current_plan
    from cspkit.web.plan.models import Group

    plan = current_plan()
    quarter = Quarter.containing(today)
    if plan is None or (quarter.end - today).days > REPORT_REMINDER_DAYS:
        return []
    first, last = plan_quarters(plan.start_year, plan.end_year)
    if not first <= quarter <= last:
        return []
    filed = QuarterlyReport.objects.filter(year=quarter.year, quarter=quarter.number)
    groups = plan.groups.filter(retired=False, chair__isnull=False).filter(
        Q(kind=Group.Kind.SUB_GROUP) | Q(actions__isnull=False)
    )
    found = []
    for group in groups.exclude(pk__in=filed.values("group_id")).distinct().select_related("chair"):
        chair = group.chair
        if chair is not None and chair.is_active and chair.email:
            found.append(
                Reminder(
                    chair,
                    "Quarterly reports awaited",
                    f"{group.name}: the report for {quarter.label} is awaited "
                    f"(the quarter ends on {quarter.end:%d %B %Y})",
                    reverse("report-form", kwargs={"slug": group.slug, "quarter": quarter}),
                )
            )
    return found


def gather(today: datetime.date, days: int) -> dict[User, list[Reminder]]:
    """Every provider's reminders, grouped by person."""
    by_user: dict[User, list[Reminder]] = defaultdict(list)
    for provider in PROVIDERS:
        for reminder in provider(today, days):
            by_user[reminder.user].append(reminder)
    return dict(by_user)


def message(user: User, items: list[Reminder]) -> str:
    """The body of one person's email: their reminders under each topic."""
    lines = [f"Hello {user.get_full_name() or user.username},", ""]
    topics: dict[str, list[Reminder]] = defaultdict(list)
    for item in items:
        topics[item.topic].append(item)
    for topic, entries in topics.items():
        lines += [f"{topic}:", *(f"- {r.text}\n  {r.link}" for r in entries), ""]
    return "\n".join(lines)


def send_all(*, days: int, dry_run: bool = False, echo: Callable[[str], object] = print) -> int:
    """Send one email to each person with reminders; returns how many emails."""
    today = timezone.localdate()
    gathered = gather(today, days)
    for user, items in sorted(gathered.items(), key=lambda kv: kv[0].username):
        subject = f"Reminders: {len(items)} item{'s' if len(items) != 1 else ''} to do"
        body = message(user, items)
        if dry_run:
            echo(f"To {user.email}: {subject}\n{body}")
        else:
            send_mail(subject, body, None, [user.email])
    return len(gathered)
