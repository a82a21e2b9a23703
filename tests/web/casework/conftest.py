"""Case officers of three agencies, a manager, a plan member with no casework role, and cases."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import TEST_PASSWORD

#: A minimal valid PDF (what the evidence check sniffs is the %PDF- signature).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _evidence_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test keeps uploaded evidence in its own folder."""
    folder = tmp_path / "evidence"
    monkeypatch.setenv("CSPKIT_CASE_REVIEW_EVIDENCE_DIR", str(folder))
    yield folder


@pytest.fixture
def casework(plan: None) -> dict[str, Any]:
    """Users by role and three agencies: council (A), police (B), housing (C, uninvolved)."""
    from django.contrib.auth.models import User

    from cspkit.web.casework.models import CaseOfficer
    from cspkit.web.plan.models import Agency, Profile, Role

    agencies = list(Agency.objects.order_by("name")[:3])
    made: dict[str, Any] = {"agencies": agencies}
    for name, agency in (
        ("officer_a", agencies[0]),
        ("officer_a2", agencies[0]),
        ("officer_b", agencies[1]),
        ("officer_c", agencies[2]),
    ):
        user = User.objects.create_user(name, password=TEST_PASSWORD, email=f"{name}@example.org")
        Profile.objects.create(user=user, role=Role.MEMBER, agency=agency)
        CaseOfficer.objects.create(user=user, agency=agency)
        made[name] = user
    manager = User.objects.create_user("manager", password=TEST_PASSWORD)
    Profile.objects.create(user=manager, role=Role.MANAGER)
    member = User.objects.create_user("member", password=TEST_PASSWORD)
    Profile.objects.create(user=member, role=Role.MEMBER, agency=agencies[0])
    made.update(manager=manager, member=member)
    return made


def application_post(agencies: list[Any], **overrides: str) -> dict[str, str]:
    """A valid application form submission with three qualifying complaints."""
    today = datetime.date.today()
    data = {
        "applicant_name": "Fictional Applicant",
        "applicant_email": "applicant@example.org",
        "applicant_phone": "",
        "applicant_address": "1 Example Street",
        "applicant_postcode": "EX1 1AA",
        "behaviour": "Shouting and banging on the door every night.",
        "locality": "Example Street",
        "impact": "I cannot sleep and I am afraid to go out.",
        "website": "",
        "complaint-TOTAL_FORMS": "6",
        "complaint-INITIAL_FORMS": "0",
        "complaint-MIN_NUM_FORMS": "0",
        "complaint-MAX_NUM_FORMS": "6",
    }
    for i, (made, happened, agency) in enumerate(
        ((10, 12, agencies[0]), (40, 41, agencies[1]), (70, 72, agencies[0]))
    ):
        data[f"complaint-{i}-made_on"] = (today - datetime.timedelta(days=made)).isoformat()
        data[f"complaint-{i}-behaviour_on"] = (
            today - datetime.timedelta(days=happened)
        ).isoformat()
        data[f"complaint-{i}-agency"] = str(agency.pk)
    data.update(overrides)
    return data


@pytest.fixture
def case(casework: dict[str, Any]) -> Any:
    """A new application with complaints to agencies A and B (not C)."""
    from cspkit.web.casework import cases

    today = datetime.date.today()
    a, b = casework["agencies"][:2]
    rows = [
        {
            "made_on": today - datetime.timedelta(days=d),
            "behaviour_on": today - datetime.timedelta(days=d + 1),
            "agency": str(ag.pk),
            "reference": "",
        }
        for d, ag in ((5, a), (20, b), (40, a))
    ]
    data = {
        "applicant_name": "Fictional Person",
        "applicant_email": "p@example.org",
        "behaviour": "Noise at night",
        "impact": "No sleep",
    }
    return cases.receive(data, rows, None).case
