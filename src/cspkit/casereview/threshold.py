"""Does an application for an ASB Case Review meet the threshold? Rule by rule.

The ASB, Crime and Policing Act 2014 s.104 leaves the threshold to the local partnership, within
a national ceiling: a review must be held when someone has made at least three qualifying
complaints about anti-social behaviour in the six months before the application. A complaint
qualifies when it was made in those six months and within one month of the behaviour it
reports. A partnership may set a lower threshold, never a higher one; common local variants are
one complaint when a hate incident is involved, and several complaints from several people
about one locality.

Months are calendar months (:mod:`cspkit.casereview.months`): a complaint made on 2025-01-31
about behaviour on 2024-12-31 was made within a month; one made on 2025-02-01 was not.

Every decision is explained: :func:`check` returns one :class:`RuleResult` per rule with the
complaints it counted, so a case officer (and an auditor re-running ``cspkit case-review
check``) can see why.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from cspkit.casereview.months import shift_months
from cspkit.errors import InputError

#: The statutory ceiling: a local threshold may ask for fewer complaints, never more.
STATUTORY_COMPLAINTS = 3
#: Complaints count when made in this many calendar months before the application.
WINDOW_MONTHS = 6
#: ... and within this many calendar months of the behaviour they report.
REPORTED_WITHIN_MONTHS = 1

RULE_WINDOW = "made-in-6-months-before-application"
RULE_PROMPT = "made-within-1-month-of-behaviour"
RULE_COUNT = "qualifying-complaints"
RULE_HATE = "hate-incident"
RULE_COMMUNITY = "several-people-one-locality"


@dataclass(frozen=True)
class Complaint:
    """One complaint the applicant (or someone else) made about the behaviour."""

    made_on: datetime.date
    behaviour_on: datetime.date
    agency: str = ""
    by: str = "applicant"


@dataclass(frozen=True)
class Application:
    """What the threshold is judged on: the application date, the complaints, a hate incident."""

    application_date: datetime.date
    complaints: tuple[Complaint, ...]
    hate_incident: bool = False


@dataclass(frozen=True)
class Policy:
    """The partnership's threshold. Defaults are the statutory one (3 complaints, no variants).

    ``hate_incident_complaints``: when set, this many qualifying complaints are enough if a hate
    incident is involved. ``community_complaints`` and ``community_people``: when both are set,
    that many qualifying complaints from at least that many different people (the complaint's
    ``by``) about one locality are enough.
    """

    complaints: int = STATUTORY_COMPLAINTS
    hate_incident_complaints: int | None = None
    community_complaints: int | None = None
    community_people: int | None = None

    def __post_init__(self) -> None:
        for name in ("complaints", "hate_incident_complaints", "community_complaints"):
            value = getattr(self, name)
            if value is not None and not 1 <= value <= STATUTORY_COMPLAINTS:
                raise InputError(
                    f"{name.replace('_', ' ')} must be from 1 to {STATUTORY_COMPLAINTS} "
                    f"(a local threshold may be lower than the statutory "
                    f"{STATUTORY_COMPLAINTS}, never higher); got {value}"
                )
        if (self.community_complaints is None) != (self.community_people is None):
            raise InputError("the locality variant needs both a number of complaints and people")
        if self.community_people is not None and self.community_people < 1:
            raise InputError(f"community people must be at least 1; got {self.community_people}")

    def as_data(self) -> dict[str, int | None]:
        """The policy as plain data (stored with each decision)."""
        return {
            "complaints": self.complaints,
            "hate_incident_complaints": self.hate_incident_complaints,
            "community_complaints": self.community_complaints,
            "community_people": self.community_people,
        }


@dataclass(frozen=True)
class RuleResult:
    """One rule: its id, whether it passed, and an explanation naming the complaints."""

    rule: str
    passed: bool
    detail: str

    def as_data(self) -> dict[str, Any]:
        return {"rule": self.rule, "passed": self.passed, "detail": self.detail}


@dataclass(frozen=True)
class ComplaintCheck:
    """How one complaint fared: in the window, made promptly, and so qualifying."""

    number: int
    complaint: Complaint
    in_window: bool
    prompt: bool

    @property
    def qualifies(self) -> bool:
        return self.in_window and self.prompt


@dataclass(frozen=True)
class ThresholdResult:
    """The decision, the rules behind it, the complaints checked and the policy applied."""

    meets_threshold: bool
    qualifying_complaints: int
    rules: tuple[RuleResult, ...]
    complaints: tuple[ComplaintCheck, ...] = field(default=())
    policy: Policy = field(default_factory=Policy)
    window_start: datetime.date | None = None

    def as_data(self) -> dict[str, Any]:
        """The JSON shape printed by ``cspkit case-review check``."""
        return {
            "meets_threshold": self.meets_threshold,
            "qualifying_complaints": self.qualifying_complaints,
            "rules": [r.as_data() for r in self.rules],
        }


def window_start(application_date: datetime.date) -> datetime.date:
    """The first day of the six calendar months before the application (itself included)."""
    return shift_months(application_date, -WINDOW_MONTHS)


def in_window(complaint: Complaint, application_date: datetime.date) -> bool:
    """Made on or after :func:`window_start` and not after the application."""
    return window_start(application_date) <= complaint.made_on <= application_date


def made_promptly(complaint: Complaint) -> bool:
    """Made on or after the behaviour and within one calendar month of it."""
    latest = shift_months(complaint.behaviour_on, REPORTED_WITHIN_MONTHS)
    return complaint.behaviour_on <= complaint.made_on <= latest


def _numbers(checks: list[ComplaintCheck]) -> str:
    return ", ".join(str(c.number) for c in checks) or "none"


def _window_rule(
    checks: list[ComplaintCheck], start: datetime.date, app: Application
) -> RuleResult:
    outside = [c for c in checks if not c.in_window]
    detail = (
        f"{len(checks) - len(outside)} of {len(checks)} complaints made from {start.isoformat()} "
        f"to {app.application_date.isoformat()} (the {WINDOW_MONTHS} calendar months before the "
        f"application)"
    )
    if outside:
        parts = [f"complaint {c.number} made {c.complaint.made_on.isoformat()}" for c in outside]
        detail += "; not counted: " + ", ".join(parts)
    return RuleResult(RULE_WINDOW, not outside and bool(checks), detail)


def _prompt_rule(checks: list[ComplaintCheck]) -> RuleResult:
    late = [c for c in checks if not c.prompt]
    detail = (
        f"{len(checks) - len(late)} of {len(checks)} complaints made within "
        f"{REPORTED_WITHIN_MONTHS} calendar month of the behaviour they report"
    )
    if late:
        parts = []
        for c in late:
            latest = shift_months(c.complaint.behaviour_on, REPORTED_WITHIN_MONTHS)
            when = (
                "before the behaviour"
                if c.complaint.made_on < c.complaint.behaviour_on
                else f"after {latest.isoformat()}"
            )
            parts.append(
                f"complaint {c.number} (behaviour {c.complaint.behaviour_on.isoformat()}, "
                f"made {c.complaint.made_on.isoformat()}, {when})"
            )
        detail += "; not counted: " + ", ".join(parts)
    return RuleResult(RULE_PROMPT, not late and bool(checks), detail)


def _count_rule(qualifying: list[ComplaintCheck], policy: Policy) -> RuleResult:
    passed = len(qualifying) >= policy.complaints
    local = "" if policy.complaints == STATUTORY_COMPLAINTS else " (local threshold)"
    detail = (
        f"{len(qualifying)} qualifying complaints (complaints {_numbers(qualifying)}); "
        f"{policy.complaints} needed{local}"
    )
    return RuleResult(RULE_COUNT, passed, detail)


def _hate_rule(qualifying: list[ComplaintCheck], app: Application, needed: int) -> RuleResult:
    if not app.hate_incident:
        return RuleResult(RULE_HATE, False, "no hate incident is involved, so this rule is unused")
    passed = len(qualifying) >= needed
    detail = (
        f"a hate incident is involved: {len(qualifying)} qualifying complaints, "
        f"{needed} needed (local threshold)"
    )
    return RuleResult(RULE_HATE, passed, detail)


def _community_rule(qualifying: list[ComplaintCheck], complaints: int, people: int) -> RuleResult:
    who = sorted({c.complaint.by.strip().lower() for c in qualifying if c.complaint.by.strip()})
    passed = len(qualifying) >= complaints and len(who) >= people
    detail = (
        f"{len(qualifying)} qualifying complaints from {len(who)} different people; "
        f"{complaints} complaints from at least {people} people needed (local threshold)"
    )
    return RuleResult(RULE_COMMUNITY, passed, detail)


def check(app: Application, policy: Policy | None = None) -> ThresholdResult:
    """Judge ``app`` against ``policy`` (the statutory threshold by default).

    The threshold is met when the count rule passes, or a configured local variant does.
    """
    policy = policy or Policy()
    start = window_start(app.application_date)
    checks = [
        ComplaintCheck(i, c, in_window(c, app.application_date), made_promptly(c))
        for i, c in enumerate(app.complaints, start=1)
    ]
    qualifying = [c for c in checks if c.qualifies]
    rules = [_window_rule(checks, start, app), _prompt_rule(checks)]
    deciding = [_count_rule(qualifying, policy)]
    if policy.hate_incident_complaints is not None:
        deciding.append(_hate_rule(qualifying, app, policy.hate_incident_complaints))
    if policy.community_complaints is not None and policy.community_people is not None:
        deciding.append(
            _community_rule(qualifying, policy.community_complaints, policy.community_people)
        )
    return ThresholdResult(
        meets_threshold=any(r.passed for r in deciding),
        qualifying_complaints=len(qualifying),
        rules=tuple(rules + deciding),
        complaints=tuple(checks),
        policy=policy,
        window_start=start,
    )
