"""Fictional example cases for the demonstration site (never real people or places).

``ensure_example_cases`` adds them once, to an empty casework database, with dates relative to
today so the dashboard always shows one new case, one overdue case, one awaiting its review
meeting, one that did not meet the threshold and one closed with recommendations.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cspkit.casereview.deadlines import add_working_days
from cspkit.casereview.workflow import Stage
from cspkit.web.casework import cases
from cspkit.web.casework.models import Case, CaseComplaint, secret_digest
from cspkit.web.plan.models import Agency

EXAMPLE_SECRET = "example-only-secret"
EXAMPLE_AGENCIES = ("Example District Council", "Example Police")
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Example:
    name: str
    days_ago: int
    stage: Stage
    complaints: tuple[tuple[int, int], ...]  # (made days before receipt, behaviour days before)
    hate_incident: bool = False
    behaviour: str = ""


EXAMPLES = (
    Example(
        "A. Example (fictional)",
        2,
        Stage.RECEIVED,
        ((10, 12), (40, 41), (70, 75)),
        behaviour="Loud music late at night from a neighbouring flat, most weekends.",
    ),
    Example(
        "B. Sample (fictional)",
        30,
        Stage.RECEIVED,
        ((5, 6), (50, 52), (100, 101)),
        behaviour="Groups gathering in the shared stairwell, shouting and leaving litter.",
    ),
    Example(
        "C. Placeholder (fictional)",
        20,
        Stage.DECIDED,
        ((3, 4), (20, 21), (33, 35)),
        hate_incident=True,
        behaviour="Abuse shouted at the applicant in the street because of their religion.",
    ),
    Example(
        "D. Illustration (fictional)",
        60,
        Stage.RESPONDED,
        ((10, 11), (250, 260)),
        behaviour="A neighbour's dog barking through the day.",
    ),
    Example(
        "E. Specimen (fictional)",
        120,
        Stage.CLOSED,
        ((7, 8), (30, 31), (60, 62), (90, 91)),
        behaviour="Vehicles racing on the estate's access road at night.",
    ),
)


def _agencies() -> list[Agency]:
    existing = list(Agency.objects.order_by("name")[:2])
    if len(existing) == len(EXAMPLE_AGENCIES):
        return existing
    return [Agency.objects.get_or_create(name=name)[0] for name in EXAMPLE_AGENCIES]


def _make(example: Example, agencies: list[Agency], today: datetime.date) -> Case:
    received = today - example.days_ago * DAY
    case = Case.objects.create(
        reference=cases.new_reference(),
        secret_hash=secret_digest(EXAMPLE_SECRET),
        received_on=received,
        applicant_name=example.name,
        applicant_email="applicant@example.org",
        applicant_address="1 Example Street, Exampletown",
        behaviour=example.behaviour,
        impact="An invented example for the demonstration site: no real person or place.",
        hate_incident=example.hate_incident,
    )
    for i, (made, happened) in enumerate(example.complaints):
        CaseComplaint.objects.create(
            case=case,
            made_on=received - made * DAY,
            behaviour_on=received - happened * DAY,
            agency=agencies[i % len(agencies)],
        )
    if example.stage is Stage.RECEIVED:
        return case
    case.lead_agency = agencies[0]
    case.acknowledged_on = add_working_days(received, 2)
    case.decided_on = add_working_days(received, 8)
    result = cases.threshold_of(case)
    case.meets_threshold = case.threshold_computed = result.meets_threshold
    case.threshold_rules = [r.as_data() for r in result.rules]
    if example.stage is Stage.CLOSED:
        case.meeting_on = add_working_days(received, 18)
        case.has_recommendations = True
        case.recommended_on = case.meeting_on
        case.recommendations = "Joint visit by council and police.\nNoise monitoring for 4 weeks."
        case.responded_on = add_working_days(received, 25)
        case.response = "We wrote to the applicant with the review's recommendations."
        case.closed_on = add_working_days(received, 30)
    if example.stage is Stage.RESPONDED:
        case.responded_on = add_working_days(received, 12)
        case.response = "We explained why the threshold was not met and what we will do next."
    case.stage = example.stage.value
    case.save()
    return case


def ensure_example_cases(today: datetime.date | None = None) -> str | None:
    """Add the fictional example cases when there are no cases yet; return a summary line."""
    if Case.objects.exists():
        return None
    today = today or timezone.localdate()
    with transaction.atomic():
        agencies = _agencies()
        made = [_make(example, agencies, today) for example in EXAMPLES]
    return (
        f"Added {len(made)} fictional example ASB Case Reviews (status secret for each: "
        f"{EXAMPLE_SECRET!r}): " + ", ".join(c.reference for c in made)
    )
