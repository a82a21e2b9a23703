"""Reminders of overdue ASB Case Reviews for ``cspkit remind``.

Each open case with a missed deadline is sent to its lead officer and to the case officers of
the agencies it involves (people with an email address), with a link to the case. The text
names the case reference, the stage and the missed deadlines; never the applicant.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.urls import reverse

from cspkit.web.casework.cases import overdue_cases
from cspkit.web.casework.models import Case, CaseOfficer
from cspkit.web.reminders import Reminder

TOPIC = "Overdue ASB Case Reviews"


def _people(case: Case) -> set[User]:
    agencies = case.agencies_involved()
    officers = CaseOfficer.objects.filter(agency_id__in=agencies).select_related("user")
    people = {o.user for o in officers}
    if case.lead_officer is not None:
        people.add(case.lead_officer)
    return {p for p in people if p.is_active and p.email}


def overdue_case_reminders(today: datetime.date, days: int) -> list[Reminder]:
    """One reminder per overdue case per officer concerned (``days`` is not used: a case is
    reminded of once its deadline has passed)."""
    found = []
    for item in overdue_cases(today):
        case = Case.objects.select_related("lead_officer").get(reference=item.reference)
        path = reverse("casework-case", kwargs={"reference": item.reference})
        for person in sorted(_people(case), key=lambda u: u.username):
            found.append(Reminder(person, TOPIC, item.describe(), path))
    return found
