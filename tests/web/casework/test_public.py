"""The public application and status check: no account, CSRF, honeypot, rate limits, evidence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cspkit.web.casework import ratelimit
from cspkit.web.casework.models import Case, Evidence
from cspkit.web.plan.models import AuditEntry
from tests.web.casework.conftest import PDF_BYTES, application_post


def _apply(client: Client, casework: dict[str, Any], **extra: Any) -> Any:
    return client.post(reverse("casework-apply"), application_post(casework["agencies"], **extra))


def test_a_resident_applies_and_sees_reference_and_secret_once(casework: dict[str, Any]) -> None:
    client = Client()
    assert client.get(reverse("casework-apply")).status_code == 200
    response = _apply(client, casework)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("casework-applied")).content.decode()
    case = Case.objects.get()
    assert case.reference in page
    assert case.complaints.count() == 3
    assert case.secret_hash and case.secret_hash not in page  # only the digest is stored
    # The confirmation is shown once; reloading it goes to the status form.
    assert client.get(reverse("casework-applied")).status_code == 302
    entry = AuditEntry.objects.get(object_repr=case.reference, change="created")
    assert "Fictional Applicant" not in str(entry.changes)


def test_errors_keep_what_was_typed(casework: dict[str, Any]) -> None:
    response = _apply(Client(), casework, impact="", **{"complaint-0-agency": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Shouting and banging on the door every night." in body
    assert "Complaint 1, who you complained to" in body
    assert Case.objects.count() == 0


def test_a_representative_needs_the_victims_consent(casework: dict[str, Any]) -> None:
    response = _apply(Client(), casework, on_behalf="on", representative_name="Someone")
    assert response.status_code == 400
    assert "We need the consent" in response.content.decode()
    response = _apply(
        Client(), casework, on_behalf="on", representative_name="Someone", victim_consents="on"
    )
    assert response.status_code == 302
    assert Case.objects.get().victim_consents


def test_honeypot_submissions_are_refused(casework: dict[str, Any]) -> None:
    response = _apply(Client(), casework, website="http://spam.example")
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_applications_need_a_csrf_token(casework: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    assert _apply(client, casework).status_code == 403
    assert Case.objects.count() == 0


def test_applications_are_rate_limited(casework: dict[str, Any]) -> None:
    client = Client()
    for _ in range(ratelimit.APPLY_LIMIT):
        assert _apply(client, casework).status_code == 302
    assert _apply(client, casework).status_code == 429
    assert Case.objects.count() == ratelimit.APPLY_LIMIT


def _status(client: Client, reference: str, secret: str) -> Any:
    return client.post(reverse("casework-status"), {"reference": reference, "secret": secret})


def test_status_needs_reference_and_secret(case: Case) -> None:
    from cspkit.web.casework.models import secret_digest

    case.secret_hash = secret_digest("right-secret")
    case.save()
    client = Client()
    wrong = _status(client, case.reference, "wrong")
    assert wrong.status_code == 400
    assert "Current stage" not in wrong.content.decode()
    right = _status(client, case.reference.lower(), "right-secret")
    assert right.status_code == 200
    body = right.content.decode()
    assert "Current stage" in body and "Received" in body
    assert "Fictional Person" not in body  # no personal data on the status page


def test_guessing_a_reference_is_rate_limited(case: Case) -> None:
    from cspkit.web.casework.models import secret_digest

    case.secret_hash = secret_digest("right-secret")
    case.save()
    for i in range(ratelimit.STATUS_REFERENCE_LIMIT):
        # Each guess from a different address: the per-reference limit still holds.
        client = Client(REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert _status(client, case.reference, f"guess-{i}").status_code == 400
    locked = _status(Client(REMOTE_ADDR="10.0.1.1"), case.reference, "right-secret")
    assert locked.status_code == 429
    assert "Current stage" not in locked.content.decode()


def test_guessing_many_references_is_rate_limited(casework: dict[str, Any]) -> None:
    client = Client()
    codes = [
        _status(client, f"ACR-AAAA-{i:04d}", "x").status_code
        for i in range(ratelimit.STATUS_LIMIT + 1)
    ]
    assert codes[:-1] == [400] * ratelimit.STATUS_LIMIT
    assert codes[-1] == 429


def test_evidence_is_checked_by_content_and_kept_outside_the_web_root(
    casework: dict[str, Any], _evidence_dir: Path
) -> None:
    fake = SimpleUploadedFile(
        "evidence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = _apply(Client(), casework, evidence=fake)
    assert response.status_code == 400
    assert "Send a PDF, JPEG or PNG file" in response.content.decode()
    real = SimpleUploadedFile("diary.pdf", PDF_BYTES, content_type="application/pdf")
    assert _apply(Client(), casework, evidence=real).status_code == 302
    item = Evidence.objects.get()
    stored = _evidence_dir / item.stored_name
    assert stored.read_bytes() == PDF_BYTES
    assert item.original_name == "diary.pdf" and item.content_type == "application/pdf"
    # Nothing public serves it: not under static files, not by its stored name.
    assert Client().get(f"/static/{item.stored_name}").status_code == 404
    url = reverse("casework-evidence", kwargs={"reference": item.case.reference, "pk": item.pk})
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_evidence_size_limit(casework: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSPKIT_CASE_REVIEW_MAX_UPLOAD_MB", "1")
    big = SimpleUploadedFile(
        "big.pdf", PDF_BYTES + b"0" * (1024 * 1024), content_type="application/pdf"
    )
    response = _apply(Client(), casework, evidence=big)
    assert response.status_code == 400
    assert "the largest we accept is 1 MB" in response.content.decode()


def test_public_pages_render(casework: dict[str, Any]) -> None:
    client = Client()
    about = client.get(reverse("casework-about")).content.decode()
    assert "at least <strong>3</strong> times" in about
    assert 'lang="en-GB"' in about


def test_local_variant_several_people_about_one_place(
    casework: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CSPKIT_CASE_REVIEW_COMMUNITY_COMPLAINTS", "2")
    monkeypatch.setenv("CSPKIT_CASE_REVIEW_COMMUNITY_PEOPLE", "2")
    post = application_post(casework["agencies"], **{"complaint-1-by": "Neighbour at no. 4"})
    for key in [k for k in post if k.startswith("complaint-2-")]:
        post[key] = ""
    assert Client().post(reverse("casework-apply"), post).status_code == 302
    case = Case.objects.get()
    client = Client()
    client.force_login(casework["manager"])
    body = client.get(reverse("casework-case", kwargs={"reference": case.reference})).content
    text = body.decode()
    assert "Meets the threshold" in text and "Neighbour at no. 4" in text
    assert "2 qualifying complaints from 2 different people" in text
    monkeypatch.delenv("CSPKIT_CASE_REVIEW_COMMUNITY_COMPLAINTS")
    monkeypatch.delenv("CSPKIT_CASE_REVIEW_COMMUNITY_PEOPLE")
    body = client.get(reverse("casework-case", kwargs={"reference": case.reference})).content
    assert "Does not meet the threshold" in body.decode()


def test_status_says_when_to_expect_the_decision(case: Case) -> None:
    from cspkit.web.casework.cases import deadlines_of
    from cspkit.web.casework.models import secret_digest

    case.secret_hash = secret_digest("s3cret-code")
    case.save()
    body = _status(Client(), case.reference, "s3cret-code").content.decode()
    assert f"{deadlines_of(case).decide_by:%-d %B %Y}" in body
