"""Casework operations: receive an application, take a step, add a note, list what is overdue.

A step names the case version it was made from. It is applied inside a transaction holding the
case row; if someone else moved the case on in the meantime, :class:`Conflict` is raised and
nothing is written, so the view can show what changed and keep what the officer typed.
"""

from __future__ import annotations

import datetime
import functools
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cspkit.casereview.deadlines import Deadlines
from cspkit.casereview.threshold import ThresholdResult, check
from cspkit.casereview.workflow import STEP_LEADS_TO, Overdue, Stage, Step, next_steps, overdue
from cspkit.errors import CspkitError
from cspkit.web.casework import access, config, evidence
from cspkit.web.casework.forms import OTHER_AGENCY
from cspkit.web.casework.models import Case, CaseComplaint, CaseNote, Evidence, secret_digest
from cspkit.web.plan.models import Agency

#: Longest original file name kept (the column's length).
ORIGINAL_NAME_LENGTH = 200

REFERENCE_PREFIX = "ACR"
#: Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
SECRET_BYTES = 9
#: The fields each step writes, beyond the stage and its date.
STEP_FIELDS: dict[Step, tuple[str, ...]] = {
    Step.ACKNOWLEDGE: ("lead_agency",),
    Step.DECIDE: ("meets_threshold", "override_reason"),
    Step.MEETING: ("meeting_notes",),
    Step.RECOMMEND: ("has_recommendations", "recommendations"),
    Step.RESPOND: ("response",),
    Step.CLOSE: (),
    Step.APPEAL: ("appeal_grounds", "appeal_officer"),
    Step.APPEAL_DECISION: ("appeal_outcome", "appeal_notes"),
}
#: The date field each step sets.
STEP_DATE: dict[Step, str] = {
    Step.ACKNOWLEDGE: "acknowledged_on",
    Step.DECIDE: "decided_on",
    Step.MEETING: "meeting_on",
    Step.RECOMMEND: "recommended_on",
    Step.RESPOND: "responded_on",
    Step.CLOSE: "closed_on",
    Step.APPEAL: "appeal_received_on",
    Step.APPEAL_DECISION: "appeal_decided_on",
}


class Conflict(CspkitError):
    """The case changed since the officer opened it."""

    def __init__(self, case: Case) -> None:
        self.case = case
        super().__init__(
            f"case {case.reference} was changed by someone else (it is now at "
            f"'{case.get_stage_display()}'); nothing was saved"
        )


class NotAllowed(CspkitError):
    """The step is not open at this stage, or not to this person."""


def new_reference() -> str:
    body = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
    return f"{REFERENCE_PREFIX}-{body[:4]}-{body[4:]}"


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


@dataclass(frozen=True)
class Received:
    """A new application's reference and the secret the applicant needs to check its status."""

    case: Case
    reference: str
    secret: str


def _agency(value: str) -> tuple[Agency | None, str]:
    if not value or value == OTHER_AGENCY:
        return None, "another organisation"
    return Agency.objects.filter(pk=int(value)).first(), ""


def receive(data: dict[str, Any], complaints: list[dict[str, Any]], upload: Any) -> Received:
    """Record a public application with its complaints and evidence; return its reference."""
    secret = new_secret()
    stored = evidence.store(upload) if upload else None
    fields = {
        k: data.get(k) or ""
        for k in (
            "applicant_name",
            "applicant_email",
            "applicant_phone",
            "applicant_address",
            "applicant_postcode",
            "behaviour",
            "locality",
            "hate_details",
            "impact",
        )
    }
    if data.get("on_behalf"):
        fields["representative_name"] = data.get("representative_name") or ""
        fields["representative_relationship"] = data.get("representative_relationship") or ""
    with transaction.atomic():
        reference = new_reference()
        while Case.objects.filter(reference=reference).exists():
            reference = new_reference()
        case = Case.objects.create(
            reference=reference,
            secret_hash=secret_digest(secret),
            received_on=timezone.localdate(),
            victim_consents=bool(data.get("on_behalf") and data.get("victim_consents")),
            hate_incident=bool(data.get("hate_incident")),
            **fields,
        )
        for row in complaints:
            agency, other = _agency(row.get("agency") or "")
            CaseComplaint.objects.create(
                case=case,
                made_on=row["made_on"],
                behaviour_on=row["behaviour_on"],
                agency=agency,
                agency_other=other,
                reference=row.get("reference") or "",
                by=(row.get("by") or "").strip() or "applicant",
            )
        if stored is not None:
            _file_evidence(case, stored, upload)
        access.log(
            None,
            case,
            "created",
            {"reference": reference, "stage": case.stage, "complaints": len(complaints)},
        )
        if case.applicant_email and settings.EMAIL_HOST:
            transaction.on_commit(
                functools.partial(_send_confirmation, case.applicant_email, reference, secret)
            )
    return Received(case, reference, secret)


CONFIRMATION_SUBJECT = "Your application for an ASB Case Review"


def _send_confirmation(address: str, reference: str, secret: str) -> None:
    """Email the reference and secret to the applicant (only through a configured SMTP server,
    so the secret never lands in a console log)."""
    path = reverse("casework-status")
    body = (
        "We have received your application for an ASB Case Review.\n\n"
        f"Your reference: {reference}\nYour secret code: {secret}\n\n"
        f"Check its progress at {settings.CSPKIT_SITE_URL}{path} with both.\n"
    )
    send_mail(CONFIRMATION_SUBJECT, body, None, [address], fail_silently=True)


def threshold_of(case: Case) -> ThresholdResult:
    """The threshold check of the case as it stands, under the local policy."""
    return check(case.application(), config.threshold_policy())


def deadlines_of(case: Case) -> Deadlines:
    return case.deadlines(config.deadline_policy())


def overdue_of(case: Case, today: datetime.date) -> list[Overdue]:
    return overdue(case.stage_value, case.meets_threshold, deadlines_of(case), today)


def steps_for(user: User | AnonymousUser, case: Case) -> list[Step]:
    """The steps this person may take on the case now."""
    steps = next_steps(case.stage_value, case.meets_threshold, case.appeal_received_on is not None)
    allowed: list[Step] = []
    for step in steps:
        if step is Step.APPEAL_DECISION:
            if access.can_decide_appeal(user, case):
                allowed.append(step)
        elif access.can_act(user, case):
            allowed.append(step)
    return allowed


def take_step(user: User, case_pk: int, step: Step, version: int, values: dict[str, Any]) -> Case:
    """Apply ``step`` with the form's ``values`` if the case is still at ``version``."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_pk)
        if case.version != version:
            raise Conflict(case)
        if step not in steps_for(user, case):
            raise NotAllowed(f"'{step.value}' is not open to you on case {case.reference} now")
        changes: dict[str, Any] = {}
        before = {f: getattr(case, f) for f in ("stage", *STEP_FIELDS[step], STEP_DATE[step])}
        for name in STEP_FIELDS[step]:
            setattr(case, name, values.get(name) if values.get(name) is not None else "")
        setattr(case, STEP_DATE[step], values["on"])
        if step is Step.ACKNOWLEDGE and case.lead_officer_id is None:
            case.lead_officer = user
        if step is Step.DECIDE:
            result = threshold_of(case)
            case.threshold_computed = result.meets_threshold
            case.threshold_rules = [r.as_data() for r in result.rules]
            case.decided_by = user
            if case.meets_threshold != result.meets_threshold and not case.override_reason:
                raise NotAllowed("a decision that differs from the threshold check needs a reason")
        if step is Step.RECOMMEND and not case.has_recommendations:
            case.recommendations = ""
        if step is Step.APPEAL and case.appeal_officer_id == case.lead_officer_id:
            raise NotAllowed("the appeal must go to a different officer from the review's lead")
        if step is Step.APPEAL_DECISION:
            case.closed_on = values["on"]
        case.stage = STEP_LEADS_TO[step].value
        case.version += 1
        case.save()
        for name, old in before.items():
            new = getattr(case, name)
            if old != new:
                changes[name] = [_plain(old), _plain(new)]
        access.log(user, case, "updated", {"step": step.value, **changes})
    return case


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _file_evidence(case: Case, stored: evidence.Stored, upload: Any) -> Evidence:
    return Evidence.objects.create(
        case=case,
        stored_name=stored.stored_name,
        original_name=(upload.name or "evidence")[:ORIGINAL_NAME_LENGTH],
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )


def add_evidence(user: User, case: Case, upload: Any) -> Evidence:
    """Store a checked file and add it to the case file; the audit log says who added it.

    If the record cannot be saved, the stored file is removed again."""
    stored = evidence.store(upload)
    try:
        with transaction.atomic():
            item = _file_evidence(case, stored, upload)
            access.log(user, case, "updated", {"evidence": item.pk, "file": "added"})
    except BaseException:
        evidence.delete(stored.stored_name)
        raise
    return item


def add_note(user: User, case: Case, text: str) -> CaseNote:
    """Append a note (notes never overwrite each other)."""
    with transaction.atomic():
        note = CaseNote.objects.create(case=case, author=user, text=text)
        access.log(user, case, "updated", {"note": note.pk, "text": "added"})
    return note


def short_date(day: datetime.date) -> str:
    """A date as the case pages show it: "13 Nov 2026"."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class OverdueCase:
    """A case with missed deadlines, for the dashboard and reminders."""

    reference: str
    stage: str
    received_on: datetime.date
    missed: tuple[Overdue, ...]

    def describe(self) -> str:
        """One line for a reminder: the case and each missed deadline."""
        missed = "; ".join(f"{m.stage} was due {short_date(m.due)}" for m in self.missed)
        return f"ASB Case Review {self.reference} ({self.stage}): {missed}"


def overdue_cases(today: datetime.date | None = None) -> list[OverdueCase]:
    """Every open case with a missed deadline on ``today`` (no personal data)."""
    today = today or timezone.localdate()
    found = []
    open_cases = Case.objects.exclude(stage=Stage.CLOSED.value).filter(anonymised_at__isnull=True)
    for case in open_cases.order_by("received_on", "pk"):
        missed = overdue_of(case, today)
        if missed:
            found.append(
                OverdueCase(
                    case.reference, case.get_stage_display(), case.received_on, tuple(missed)
                )
            )
    return found
