"""Overdue case reviews reach the officers concerned through ``cspkit remind``."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import mail
from django.test import Client
from django.urls import reverse

from cspkit.web import reminders
from cspkit.web.casework.models import Case
from cspkit.web.casework.reminders import TOPIC, overdue_case_reminders
from tests.web.casework.conftest import application_post


def test_overdue_cases_are_reminded_to_the_officers_involved(
    casework: dict[str, Any], case: Case
) -> None:
    assert overdue_case_reminders in reminders.PROVIDERS
    Case.objects.filter(pk=case.pk).update(received_on=datetime.date(2025, 12, 19))
    found = overdue_case_reminders(datetime.date(2026, 1, 8), 14)
    # Complaints went to agencies A and B: their officers, not agency C's.
    assert sorted(r.user.username for r in found) == ["officer_a", "officer_a2", "officer_b"]
    assert {r.topic for r in found} == {TOPIC}
    assert all(case.reference in r.text and "was due 7 Jan 2026" in r.text for r in found)
    assert all("Fictional Person" not in r.text for r in found)
    assert found[0].path == reverse("casework-case", kwargs={"reference": case.reference})
    assert overdue_case_reminders(datetime.date(2026, 1, 7), 14) == []


def test_the_applicant_is_emailed_reference_and_secret_when_mail_is_set_up(
    casework: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_HOST = "smtp.example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("casework-apply"), application_post(casework["agencies"]))
    page = client.get(reverse("casework-applied")).content.decode()
    case = Case.objects.get()
    [sent] = mail.outbox
    assert sent.to == ["applicant@example.org"]
    assert case.reference in sent.body and case.reference in page
    secret = sent.body.split("Your secret code: ")[1].split()[0]
    assert secret in page and case.secret_matches(secret)


def test_no_email_without_a_mail_server(casework: dict[str, Any], settings: Any) -> None:
    settings.EMAIL_HOST = ""
    Client().post(reverse("casework-apply"), application_post(casework["agencies"]))
    assert Case.objects.count() == 1 and mail.outbox == []
