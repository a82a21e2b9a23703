"""ASB Case Review records: applications, complaints, evidence, notes, case officers.

Personal data (the applicant's and representative's details, what happened, its impact, notes
and evidence) is held only here, is shown only to the case officers of the agencies involved and
to partnership managers, and is removed by ``cspkit case-review anonymise`` once a closed case
passes the retention period; dates, agencies and outcomes are kept for the annual figures.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from cspkit.casereview import deadlines as dl
from cspkit.casereview.publication import CaseRecord
from cspkit.casereview.threshold import Application
from cspkit.casereview.threshold import Complaint as RuleComplaint
from cspkit.casereview.workflow import STAGE_LABELS, Stage
from cspkit.web.plan.models import Agency

STAGE_CHOICES = [(s.value, STAGE_LABELS[s]) for s in Stage]
REMOVED = "(removed)"


class CaseOfficer(models.Model):
    """A person who handles ASB Case Reviews for one partner agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_officer_roles"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="case_officers")

    class Meta:
        unique_together = (("user", "agency"),)

    def __str__(self) -> str:
        return f"{self.user} ({self.agency})"


def secret_digest(secret: str) -> str:
    """The stored form of a status secret (the secret itself is never stored)."""
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


class Case(models.Model):
    """One application for an ASB Case Review and everything done about it."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Appeal upheld: the review is looked at again"
        NOT_UPHELD = "not-upheld", "Appeal not upheld: the original response stands"

    reference = models.CharField(max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    received_on = models.DateField(default=timezone.localdate)
    created = models.DateTimeField(default=timezone.now)
    stage = models.CharField(max_length=20, choices=STAGE_CHOICES, default=Stage.RECEIVED.value)
    version = models.PositiveIntegerField(default=1)

    # The applicant (personal data).
    applicant_name = models.CharField(max_length=200)
    applicant_email = models.CharField(max_length=254, blank=True)
    applicant_phone = models.CharField(max_length=40, blank=True)
    applicant_address = models.TextField(blank=True)
    applicant_postcode = models.CharField(max_length=10, blank=True)
    representative_name = models.CharField(max_length=200, blank=True)
    representative_relationship = models.CharField(max_length=200, blank=True)
    victim_consents = models.BooleanField(default=False)
    behaviour = models.TextField()
    locality = models.CharField(max_length=300, blank=True)
    hate_incident = models.BooleanField(default=False)
    hate_details = models.TextField(blank=True)
    impact = models.TextField()

    # The casework.
    lead_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    meets_threshold = models.BooleanField(null=True, blank=True)
    threshold_computed = models.BooleanField(null=True, blank=True)
    threshold_rules = models.JSONField(default=list, blank=True)
    override_reason = models.TextField(blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    meeting_notes = models.TextField(blank=True)
    has_recommendations = models.BooleanField(null=True, blank=True)
    recommended_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    appeal_received_on = models.DateField(null=True, blank=True)
    appeal_grounds = models.TextField(blank=True)
    appeal_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    appeal_outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    appeal_notes = models.TextField(blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-received_on", "-pk")
        verbose_name = "ASB case review"

    def __str__(self) -> str:
        # No personal data: this text is copied into the audit log.
        return self.reference

    @property
    def stage_value(self) -> Stage:
        return Stage(self.stage)

    def secret_matches(self, secret: str) -> bool:
        return constant_time_compare(self.secret_hash, secret_digest(secret))

    def agencies_involved(self) -> set[int]:
        """Ids of the agencies complained to, and the lead agency."""
        ids = {c.agency_id for c in self.complaints.all() if c.agency_id is not None}
        if self.lead_agency_id is not None:
            ids.add(self.lead_agency_id)
        return ids

    def application(self) -> Application:
        """The facts the threshold is judged on."""
        return Application(
            self.received_on,
            tuple(
                RuleComplaint(c.made_on, c.behaviour_on, str(c.agency or c.agency_other), c.by)
                for c in self.complaints.all()
            ),
            self.hate_incident,
        )

    def deadlines(self, policy: dl.DeadlinePolicy) -> dl.Deadlines:
        return dl.deadlines(self.received_on, policy)

    def record(self) -> CaseRecord:
        """The non-personal facts the annual publication counts."""
        return CaseRecord(
            received_on=self.received_on,
            acknowledged_on=self.acknowledged_on,
            decided_on=self.decided_on,
            meets_threshold=self.meets_threshold,
            meeting_on=self.meeting_on,
            has_recommendations=self.has_recommendations,
            responded_on=self.responded_on,
            closed_on=self.closed_on,
        )


class CaseComplaint(models.Model):
    """One complaint the applicant lists: when made, about behaviour when, to which agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="complaints")
    made_on = models.DateField()
    behaviour_on = models.DateField()
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.SET_NULL)
    agency_other = models.CharField(max_length=200, blank=True)
    by = models.CharField(max_length=200, default="applicant")
    reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ("made_on", "pk")

    def __str__(self) -> str:
        return f"complaint of {self.made_on.isoformat()}"


class CaseNote(models.Model):
    """A note on the case file. Notes are only added, so two officers never overwrite each other."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    created = models.DateTimeField(default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField()

    class Meta:
        ordering = ("created", "pk")

    def __str__(self) -> str:
        return f"note {self.pk}"


class Evidence(models.Model):
    """An uploaded file, kept outside the web root and served only to case officers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    stored_name = models.CharField(max_length=64, unique=True)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"evidence {self.pk}"


class Attempt(models.Model):
    """One rate-limited request (a status check or an application), by hashed client key."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


def today() -> datetime.date:
    """Today in the site's time zone."""
    return timezone.localdate()
