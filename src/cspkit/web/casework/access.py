"""Who may see and act on ASB Case Reviews, and the audit trail of every view and change.

| who | sees | may act |
|---|---|---|
| partnership manager | every case | every step except an appeal decision given to someone else |
| case officer of agency A | cases that involve A (a complaint to A, or A leads) | those cases |
| appeal officer | the case whose appeal they hear | the appeal decision |
| other signed-in people | no case | nothing |
| the public | only a status, given the reference and the secret | nothing |

Every view and every change of a case is written to the partnership's audit log
(``cspkit.web.plan.models.AuditEntry``) with the case reference, never personal data.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from cspkit.web.casework.models import Case, CaseOfficer
from cspkit.web.plan import permissions
from cspkit.web.plan.models import AuditEntry

AUDIT_MODEL = "ASB case review"
VIEWED = "viewed"
#: Fields whose values are personal data: the audit log records that they changed, not how.
PERSONAL_FIELDS = frozenset(
    {
        "applicant_name",
        "applicant_email",
        "applicant_phone",
        "applicant_address",
        "applicant_postcode",
        "representative_name",
        "representative_relationship",
        "behaviour",
        "locality",
        "hate_details",
        "impact",
        "meeting_notes",
        "recommendations",
        "response",
        "appeal_grounds",
        "appeal_notes",
        "override_reason",
        "text",
    }
)
CHANGED = "(changed)"


def _signed_in(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_authenticated and user.is_active


def _pk(user: User | AnonymousUser) -> int:
    return int(user.pk or 0)


def officer_agencies(user: User | AnonymousUser) -> set[int]:
    """The agencies the person is a case officer for."""
    if not _signed_in(user):
        return set()
    return set(CaseOfficer.objects.filter(user_id=_pk(user)).values_list("agency_id", flat=True))


def is_caseworker(user: User | AnonymousUser) -> bool:
    """Managers and case officers use the casework pages; nobody else does."""
    if not _signed_in(user):
        return False
    return permissions.is_manager(user) or CaseOfficer.objects.filter(user_id=_pk(user)).exists()


def visible_cases(user: User | AnonymousUser) -> QuerySet[Case]:
    """The cases the person may see."""
    if not _signed_in(user):
        return Case.objects.none()
    if permissions.is_manager(user):
        return Case.objects.all()
    agencies = officer_agencies(user)
    return Case.objects.filter(
        Q(complaints__agency_id__in=agencies)
        | Q(lead_agency_id__in=agencies)
        | Q(appeal_officer_id=user.pk)
    ).distinct()


def can_view(user: User | AnonymousUser, case: Case) -> bool:
    """Managers; officers of an agency involved; the appeal officer."""
    if not _signed_in(user):
        return False
    if permissions.is_manager(user) or case.appeal_officer_id == user.pk:
        return True
    return bool(officer_agencies(user) & case.agencies_involved())


def can_act(user: User | AnonymousUser, case: Case) -> bool:
    """Who may move a case on (the appeal decision has its own rule)."""
    if case.anonymised_at is not None:
        return False
    if not _signed_in(user):
        return False
    return permissions.is_manager(user) or bool(officer_agencies(user) & case.agencies_involved())


def can_decide_appeal(user: User | AnonymousUser, case: Case) -> bool:
    """Only the appointed appeal officer, who is never the officer who led the review."""
    return (
        _signed_in(user)
        and case.appeal_officer_id == user.pk
        and case.lead_officer_id != user.pk
        and case.anonymised_at is None
    )


def _redacted(changes: dict[str, Any]) -> dict[str, Any]:
    return {k: CHANGED if k in PERSONAL_FIELDS else v for k, v in changes.items()}


def log(
    user: User | AnonymousUser | None, case: Case, change: str, changes: dict[str, Any]
) -> None:
    """Write one audit entry for ``case`` (personal values replaced by "(changed)")."""
    real = user if isinstance(user, User) and user.pk is not None else None
    AuditEntry.objects.create(
        user=real,
        username=real.get_username() if real is not None else "public",
        change=change,
        model=AUDIT_MODEL,
        object_id=str(case.pk),
        object_repr=case.reference,
        changes=_redacted(changes),
    )


def log_officer_change(
    user: User | AnonymousUser | None, officer: CaseOfficer, change: str
) -> None:
    """Audit who was made (or stopped being) a case officer, and for which agency."""
    real = user if isinstance(user, User) and user.pk is not None else None
    AuditEntry.objects.create(
        user=real,
        username=real.get_username() if real is not None else "system",
        change=change,
        model="Case officer",
        object_id=str(officer.pk),
        object_repr=str(officer)[:300],
        changes={"user": officer.user_id, "agency": officer.agency_id},
    )
