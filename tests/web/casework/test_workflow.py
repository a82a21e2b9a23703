"""Taking a case to closure through the pages; no lost updates; overdue cases; retention."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cspkit.casereview.workflow import Stage
from cspkit.web.casework import cases, evidence, retention
from cspkit.web.casework.models import REMOVED, Case, CaseComplaint, Evidence
from cspkit.web.plan.models import AuditEntry
from tests.web.casework.conftest import PDF_BYTES

TODAY = datetime.date.today().isoformat()


def _step(client: Client, case: Case, step: str, **values: Any) -> Any:
    case.refresh_from_db()
    data = {f"{step}-version": case.version, f"{step}-on": TODAY}
    data.update({f"{step}-{k}": v for k, v in values.items()})
    url = reverse("casework-step", kwargs={"reference": case.reference, "step": step})
    return client.post(url, data)


def test_an_officer_takes_a_case_to_closure(casework: dict[str, Any], case: Case) -> None:
    client = Client()
    client.force_login(casework["officer_a"])
    page = client.get(reverse("casework-case", kwargs={"reference": case.reference}))
    body = page.content.decode()
    assert "Meets the threshold" in body and "3 qualifying complaints" in body
    assert (
        _step(client, case, "acknowledge", lead_agency=casework["agencies"][0].pk).status_code
        == 302
    )
    assert _step(client, case, "decide", meets_threshold="yes").status_code == 302
    assert _step(client, case, "meeting", meeting_notes="Partners met.").status_code == 302
    assert (
        _step(
            client, case, "recommend", has_recommendations="yes", recommendations="Joint visit"
        ).status_code
        == 302
    )
    assert _step(client, case, "respond", response="Letter sent").status_code == 302
    assert _step(client, case, "close").status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.CLOSED.value
    assert case.lead_officer == casework["officer_a"]
    assert case.threshold_computed is True and case.meets_threshold is True
    assert case.threshold_rules[-1]["rule"] == "qualifying-complaints"
    assert case.closed_on == datetime.date.today() and case.has_recommendations


def test_overriding_the_check_needs_a_reason(casework: dict[str, Any], case: Case) -> None:
    client = Client()
    client.force_login(casework["officer_a"])
    _step(client, case, "acknowledge", lead_agency=casework["agencies"][0].pk)
    refused = _step(client, case, "decide", meets_threshold="no")
    assert refused.status_code == 400
    assert "needs a reason" in refused.content.decode()
    accepted = _step(
        client,
        case,
        "decide",
        meets_threshold="no",
        override_reason="Complaints were about a different household",
    )
    assert accepted.status_code == 302
    case.refresh_from_db()
    assert case.meets_threshold is False and case.threshold_computed is True


def test_two_officers_at_once_lose_no_update(casework: dict[str, Any], case: Case) -> None:
    first, second = Client(), Client()
    first.force_login(casework["officer_a"])
    second.force_login(casework["officer_b"])
    version = case.version
    url = reverse("casework-step", kwargs={"reference": case.reference, "step": "acknowledge"})
    a, b = casework["agencies"][:2]
    ok = first.post(
        url,
        {"acknowledge-version": version, "acknowledge-on": TODAY, "acknowledge-lead_agency": a.pk},
    )
    late = second.post(
        url,
        {"acknowledge-version": version, "acknowledge-on": TODAY, "acknowledge-lead_agency": b.pk},
    )
    assert ok.status_code == 302
    assert late.status_code == 409
    body = late.content.decode()
    assert "Someone else changed this case" in body
    case.refresh_from_db()
    assert case.lead_agency == a and case.version == version + 1  # the first change stands
    # Notes are only ever added, so both officers' notes are kept.
    for client, text in ((first, "note from A"), (second, "note from B")):
        client.post(reverse("casework-note", kwargs={"reference": case.reference}), {"text": text})
    assert sorted(case.notes.values_list("text", flat=True)) == ["note from A", "note from B"]


def test_overdue_cases_are_highlighted(casework: dict[str, Any], case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(received_on=datetime.date(2025, 12, 19))
    on = datetime.date(2026, 1, 8)  # the day after the acknowledgement deadline
    found = cases.overdue_cases(on)
    assert [(o.reference, [m.stage for m in o.missed]) for o in found] == [
        (case.reference, ["acknowledgement"])
    ]
    assert found[0].missed[0].due == datetime.date(2026, 1, 7)
    assert cases.overdue_cases(datetime.date(2026, 1, 7)) == []
    client = Client()
    client.force_login(casework["manager"])
    body = client.get(reverse("casework-dashboard")).content.decode()
    assert 'class="overdue"' in body and "Overdue: acknowledgement" in body
    assert "acknowledgement (due 7 Jan 2026)" in body  # dates as the rest of the page shows them


def test_anonymising_closed_cases(
    casework: dict[str, Any],
    case: Case,
    _evidence_dir: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    stored = evidence.store(SimpleUploadedFile("a.pdf", PDF_BYTES))
    Evidence.objects.create(
        case=case,
        stored_name=stored.stored_name,
        original_name="a.pdf",
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    closed = datetime.date(2019, 5, 1)
    Case.objects.filter(pk=case.pk).update(
        stage=Stage.CLOSED.value, closed_on=closed, received_on=datetime.date(2019, 3, 1)
    )
    before = Case.objects.get(pk=case.pk).record()
    today = datetime.date(2025, 5, 2)
    dry = retention.anonymise(6, today=today, dry_run=True)
    assert dry.references == (case.reference,) and dry.evidence_files == 1
    assert Case.objects.get(pk=case.pk).applicant_name == "Fictional Person"
    assert retention.anonymise(6, today=datetime.date(2025, 5, 1)).references == ()  # not yet
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        run = retention.anonymise(6, today=today)
    assert run.references == (case.reference,)
    after = Case.objects.get(pk=case.pk)
    assert after.applicant_name == REMOVED and after.applicant_email == ""
    assert after.behaviour == REMOVED and after.anonymised_at is not None
    assert after.record() == before  # the annual figures are unchanged
    assert not Evidence.objects.filter(case=after).exists()
    assert not (_evidence_dir / stored.stored_name).exists()
    assert set(CaseComplaint.objects.filter(case=after).values_list("by", flat=True)) == {""}
    # An anonymised case can no longer be found by its applicant.
    assert retention.anonymise(6, today=today).references == ()


def test_an_officer_adds_evidence_and_a_false_file_is_refused(
    casework: dict[str, Any], case: Case, _evidence_dir: Path
) -> None:
    client = Client()
    client.force_login(casework["officer_a"])
    url = reverse("casework-evidence-add", kwargs={"reference": case.reference})
    before = sorted(p.name for p in _evidence_dir.glob("*"))
    # A file named .png that is not a PNG: refused with the reason, nothing stored.
    fake = SimpleUploadedFile("photo.png", b"GIF89a not a png", content_type="image/png")
    refused = client.post(url, {"file": fake})
    assert refused.status_code == 400
    assert "Send a PDF, JPEG or PNG file" in refused.content.decode()
    assert sorted(p.name for p in _evidence_dir.glob("*")) == before
    assert not case.evidence.exists()
    real = SimpleUploadedFile("diary.pdf", PDF_BYTES, content_type="application/pdf")
    assert client.post(url, {"file": real}).status_code == 302
    (item,) = case.evidence.all()
    assert (item.original_name, item.content_type, item.size) == (
        "diary.pdf",
        "application/pdf",
        len(PDF_BYTES),
    )
    assert (_evidence_dir / item.stored_name).read_bytes() == PDF_BYTES
    page = client.get(reverse("casework-case", kwargs={"reference": case.reference}))
    assert "diary.pdf" in page.content.decode()
    as_json = reverse("casework-case-json", kwargs={"reference": case.reference})
    data = json.loads(client.get(as_json).content)
    assert [e["name"] for e in data["evidence"]] == ["diary.pdf"]
    entry = AuditEntry.objects.filter(object_repr=case.reference, change="updated").last()
    assert entry is not None and entry.username == casework["officer_a"].username
    assert entry.changes == {"evidence": item.pk, "file": "added"}
