"""Retention: closed cases are anonymised once they are older than the retention period.

Anonymising removes every piece of personal data (the applicant's and representative's
details, the descriptions, notes, complaint references and the people who complained, and the
evidence files) and keeps what the annual figures count: dates, agencies, decisions, outcomes.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cspkit.casereview.months import shift_months
from cspkit.casereview.workflow import Stage
from cspkit.web.casework import access, evidence
from cspkit.web.casework.models import REMOVED, Case

MONTHS_PER_YEAR = 12
BLANKED = (
    "applicant_email",
    "applicant_phone",
    "applicant_address",
    "applicant_postcode",
    "representative_name",
    "representative_relationship",
    "locality",
    "hate_details",
    "meeting_notes",
    "recommendations",
    "response",
    "appeal_grounds",
    "appeal_notes",
    "override_reason",
)
REPLACED = ("applicant_name", "behaviour", "impact")


@dataclass(frozen=True)
class RetentionRun:
    """What an anonymising run did (or, in a dry run, would do)."""

    cutoff: datetime.date
    references: tuple[str, ...]
    evidence_files: int
    dry_run: bool

    def describe(self) -> str:
        verb = "would anonymise" if self.dry_run else "anonymised"
        cases = ", ".join(self.references) or "none"
        return (
            f"{verb} {len(self.references)} cases closed before {self.cutoff.isoformat()} "
            f"({self.evidence_files} evidence files): {cases}"
        )


def due_for_anonymising(years: int, today: datetime.date) -> tuple[datetime.date, list[Case]]:
    """Closed cases closed before ``today`` minus ``years`` that still hold personal data."""
    cutoff = shift_months(today, -years * MONTHS_PER_YEAR)
    cases = Case.objects.filter(
        stage=Stage.CLOSED.value, closed_on__lt=cutoff, anonymised_at__isnull=True
    ).order_by("closed_on", "pk")
    return cutoff, list(cases)


def _anonymise(case: Case) -> int:
    files = list(case.evidence.all())
    for name in BLANKED:
        setattr(case, name, "")
    for name in REPLACED:
        setattr(case, name, REMOVED)
    case.secret_hash = ""
    case.anonymised_at = timezone.now()
    case.version += 1
    case.save()
    case.complaints.update(by="", reference="")
    case.notes.update(text=REMOVED)
    case.evidence.all().delete()
    for item in files:  # the files go once the database change is committed
        transaction.on_commit(functools.partial(evidence.delete, item.stored_name))
    access.log(None, case, "updated", {"anonymised": True, "evidence_files": len(files)})
    return len(files)


def anonymise(
    years: int, today: datetime.date | None = None, dry_run: bool = False
) -> RetentionRun:
    """Anonymise every closed case past the retention period (or list them, with dry_run)."""
    if years < 1:
        raise ValueError(f"retention must be at least 1 year; got {years}")
    today = today or timezone.localdate()
    cutoff, cases = due_for_anonymising(years, today)
    files = sum(c.evidence.count() for c in cases)
    if not dry_run:
        with transaction.atomic():
            for case in cases:
                _anonymise(case)
    return RetentionRun(cutoff, tuple(c.reference for c in cases), files, dry_run)
