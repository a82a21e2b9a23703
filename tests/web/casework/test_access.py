"""The permission matrix: every role x every casework page and action, as data.

Roles: an anonymous visitor, a plan member with no casework role, case officers of an agency
the case involves (A, B) and of one it does not (C), and the partnership manager.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cspkit.web.casework import cases
from cspkit.web.casework.models import Case, CaseNote
from cspkit.web.plan.models import AuditEntry
from tests.web.casework.conftest import PDF_BYTES

OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404
ROLES = ("public", "member", "officer_a", "officer_b", "officer_c", "manager")
OFFICERS_OF_THE_CASE = {
    "public": REDIRECT,
    "member": FORBIDDEN,
    "officer_a": OK,
    "officer_b": OK,
    "officer_c": FORBIDDEN,
    "manager": OK,
}
CASEWORKERS = {**OFFICERS_OF_THE_CASE, "officer_c": OK}
PUBLIC = dict.fromkeys(ROLES, OK)

#: GET pages: (route name, needs the case, expected status per role).
PAGES: list[tuple[str, bool, dict[str, int]]] = [
    ("casework-about", False, PUBLIC),
    ("casework-apply", False, PUBLIC),
    ("casework-status", False, PUBLIC),
    ("casework-applied", False, dict.fromkeys(ROLES, REDIRECT)),
    ("casework-figures", False, PUBLIC),
    ("casework-figures-json", False, PUBLIC),
    ("casework-figures-csv", False, PUBLIC),
    ("casework-dashboard", False, CASEWORKERS),
    ("casework-dashboard-json", False, CASEWORKERS),
    ("casework-dashboard-csv", False, CASEWORKERS),
    ("casework-case", True, OFFICERS_OF_THE_CASE),
    ("casework-case-json", True, OFFICERS_OF_THE_CASE),
]
#: POST-only and file routes, tested by the action tests below.
ACTIONS = {"casework-step", "casework-note", "casework-evidence", "casework-evidence-add"}


def _names(patterns: list[Any]) -> set[str]:
    found: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            found |= _names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name and p.name.startswith("casework-"):
            found.add(p.name)
    return found


def test_matrix_covers_every_casework_route() -> None:
    covered = {name for name, _, _ in PAGES} | ACTIONS
    assert _names(get_resolver().url_patterns) == covered


def _client(role: str, casework: dict[str, Any]) -> Client:
    client = Client()
    if role != "public":
        client.force_login(casework[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_pages_by_role(role: str, casework: dict[str, Any], case: Case) -> None:
    client = _client(role, casework)
    failures = []
    for name, needs_case, expected in PAGES:
        url = reverse(name, kwargs={"reference": case.reference} if needs_case else None)
        got = client.get(url).status_code
        if got != expected[role]:
            failures.append(f"{role} GET {url}: expected {expected[role]}, got {got}")
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_actions_by_role(role: str, casework: dict[str, Any], case: Case) -> None:
    from cspkit.web.casework.models import Evidence

    client = _client(role, casework)
    expected = OFFICERS_OF_THE_CASE[role]
    allowed = expected == OK
    ack = client.post(
        reverse("casework-step", kwargs={"reference": case.reference, "step": "acknowledge"}),
        {
            "acknowledge-version": case.version,
            "acknowledge-on": datetime.date.today().isoformat(),
            "acknowledge-lead_agency": casework["agencies"][0].pk,
        },
    )
    assert ack.status_code == (REDIRECT if allowed else expected)
    case.refresh_from_db()
    assert (case.stage == "acknowledged") is allowed
    note = client.post(
        reverse("casework-note", kwargs={"reference": case.reference}), {"text": "checked"}
    )
    assert note.status_code == (REDIRECT if allowed else expected)
    assert CaseNote.objects.filter(case=case).exists() is allowed
    added = client.post(
        reverse("casework-evidence-add", kwargs={"reference": case.reference}),
        {"file": SimpleUploadedFile("diary.pdf", PDF_BYTES, content_type="application/pdf")},
    )
    assert added.status_code == (REDIRECT if allowed else expected)
    assert Evidence.objects.filter(case=case, original_name="diary.pdf").exists() is allowed
    from cspkit.web.casework import evidence

    stored = evidence.store(SimpleUploadedFile("a.pdf", PDF_BYTES))
    item = Evidence.objects.create(
        case=case,
        stored_name=stored.stored_name,
        original_name="a.pdf",
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
    )
    got = client.get(
        reverse("casework-evidence", kwargs={"reference": case.reference, "pk": item.pk})
    )
    assert got.status_code == expected
    if allowed:
        assert b"".join(got.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]
        assert got["Content-Disposition"].startswith("attachment")


def test_an_uninvolved_officer_sees_no_trace_of_the_case(
    casework: dict[str, Any], case: Case
) -> None:
    client = _client("officer_c", casework)
    assert case.reference not in client.get(reverse("casework-dashboard")).content.decode()
    assert case.reference not in client.get(reverse("casework-dashboard-csv")).content.decode()
    assert (
        case.reference
        in _client("officer_b", casework).get(reverse("casework-dashboard")).content.decode()
    )


def test_an_unknown_reference_is_404_for_caseworkers(casework: dict[str, Any], case: Case) -> None:
    client = _client("manager", casework)
    assert (
        client.get(reverse("casework-case", kwargs={"reference": "ACR-XXXX-XXXX"})).status_code
        == MISSING
    )


def test_every_view_and_change_is_audited_without_personal_data(
    casework: dict[str, Any], case: Case
) -> None:
    client = _client("officer_a", casework)
    client.get(reverse("casework-case", kwargs={"reference": case.reference}))
    client.post(
        reverse("casework-note", kwargs={"reference": case.reference}),
        {"text": "Spoke to the applicant's neighbour"},
    )
    entries = AuditEntry.objects.filter(object_repr=case.reference).order_by("when", "pk")
    assert [e.change for e in entries] == ["created", "viewed", "updated"]
    assert entries[1].username == "officer_a"
    for entry in entries:
        text = str(entry.changes) + entry.object_repr
        assert "Fictional Person" not in text and "neighbour" not in text


def test_the_appeal_officer_alone_decides_the_appeal(casework: dict[str, Any], case: Case) -> None:
    today = datetime.date.today()
    a = casework["officer_a"]
    for step, values in (
        ("acknowledge", {"lead_agency": casework["agencies"][0]}),
        ("decide", {"meets_threshold": True, "override_reason": ""}),
        ("meeting", {"meeting_notes": "met"}),
        ("recommend", {"has_recommendations": False, "recommendations": ""}),
        ("respond", {"response": "letter"}),
    ):
        case = cases.take_step(a, case.pk, cases.Step(step), case.version, {"on": today, **values})
    with pytest.raises(cases.NotAllowed):  # the lead officer cannot hear the appeal
        cases.take_step(
            a,
            case.pk,
            cases.Step.APPEAL,
            case.version,
            {"on": today, "appeal_grounds": "x", "appeal_officer": a},
        )
    case = cases.take_step(
        a,
        case.pk,
        cases.Step.APPEAL,
        case.version,
        {"on": today, "appeal_grounds": "x", "appeal_officer": casework["officer_c"]},
    )
    # The appeal officer (of an uninvolved agency) may now see the case and decide the appeal.
    client = _client("officer_c", casework)
    assert (
        client.get(reverse("casework-case", kwargs={"reference": case.reference})).status_code == OK
    )
    assert cases.steps_for(casework["officer_a"], case) == []
    assert cases.steps_for(casework["manager"], case) == []
    assert cases.steps_for(casework["officer_c"], case) == [cases.Step.APPEAL_DECISION]


def test_managers_appoint_case_officers_in_the_admin_site(casework: dict[str, Any]) -> None:
    from cspkit.web.casework.models import CaseOfficer

    client = _client("manager", casework)
    member, agency = casework["member"], casework["agencies"][2]
    url = reverse("admin:casework_caseofficer_add")
    assert client.get(url).status_code == OK
    response = client.post(url, {"user": member.pk, "agency": agency.pk})
    assert response.status_code == REDIRECT
    assert CaseOfficer.objects.filter(user=member, agency=agency).exists()
    entry = AuditEntry.objects.get(model="Case officer", change="created")
    assert entry.username == "manager" and entry.changes == {"user": member.pk, "agency": agency.pk}
    # Officers and members cannot reach the admin site.
    assert _client("officer_a", casework).get(url).status_code == REDIRECT


def test_the_audit_log_page_shows_case_views(casework: dict[str, Any], case: Case) -> None:
    client = _client("manager", casework)
    client.get(reverse("casework-case", kwargs={"reference": case.reference}))
    page = client.get(reverse("audit"))
    assert page.status_code == OK
    body = page.content.decode()
    assert case.reference in body and "Fictional Person" not in body
