"""Public pages: the plan for residents and the "Is it ASB?" triage, with and without script."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from cspkit.web.public import asb


def test_triage_lists_come_from_the_plan() -> None:
    police_first = [b for b in asb.BEHAVIOURS if b.is_asb and b.tell is asb.Tell.POLICE]
    assert len(police_first) == 8
    assert len([b for b in asb.BEHAVIOURS if b.is_asb]) == 11
    assert len([b for b in asb.BEHAVIOURS if not b.is_asb]) == 13
    assert asb.lookup("fly-tipping").answer.startswith(
        "This is not anti-social behaviour, but it is a crime"
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("noise", "Report it to the council&#x27;s ASB team first"),
        ("hate-incidents", "Report it to the police first"),
        ("children-playing", "This is not usually anti-social behaviour"),
    ],
)
def test_triage_answers_without_javascript(db: None, slug: str, expected: str) -> None:
    page = Client().get(f"/is-it-asb/?behaviour={slug}").content.decode()
    answer = page.split('id="answer"', 1)[1].split("</div>\n</div>", 1)[0]
    assert expected in answer


def test_triage_unknown_choice_is_an_error(db: None) -> None:
    page = Client().get("/is-it-asb/?behaviour=nonsense").content.decode()
    assert "There is a problem" in page


def test_triage_as_data(db: None) -> None:
    data = json.loads(Client().get("/is-it-asb.json").content)
    assert {row["slug"] for row in data} == set(asb.BY_SLUG)


def test_public_plan_shows_priorities(plan: None) -> None:
    page = Client().get("/plan/").content.decode()
    assert 'lang="en-GB"' in page and "<caption>" in page
    assert "Keeping children and young people safe" in page
    assert "Is it anti-social behaviour" in page
    assert 'name="viewport"' in page


def test_how_to_report_explains_the_community_trigger(db: None) -> None:
    page = Client().get("/how-to-report/").content.decode()
    assert "Community Trigger" in page and "three times in six months" in page
