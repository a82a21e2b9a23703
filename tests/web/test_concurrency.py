"""No update is lost: ISO dates in date inputs, saving unchanged writes nothing, and a save
against a newer version is refused with both versions shown."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse

from cspkit.web.plan.models import Action, AuditEntry, Indicator, ProgressNote


def _form_values(client: Client, url: str) -> dict[str, str]:
    """What a browser would submit for the form as it opens (every field unchanged)."""
    form = client.get(url).context["form"]
    values: dict[str, str] = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if hasattr(field.widget, "format_value") and isinstance(value, datetime.date):
            value = value.isoformat()
        if isinstance(value, list):
            continue
        if value is None or value is False:
            continue
        values[name] = "on" if value is True else str(value)
    return values


def test_date_inputs_carry_iso_dates(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["manager"])
    action = Action.objects.get(ref="SOC-1")
    assert action.due_date is not None
    html = client.get(reverse("action-edit", kwargs={"pk": action.pk})).content.decode()
    assert f'type="date" name="due_date" value="{action.due_date.isoformat()}"' in html


def test_saving_an_action_unchanged_changes_nothing(people: dict[str, Any]) -> None:
    for role, ref in (("manager", "SOC-1"), ("member", "DA-1")):
        client = Client()
        client.force_login(people[role])
        action = Action.objects.get(ref=ref)
        before = (action.status, action.due_date, action.title, action.version)
        entries, notes = AuditEntry.objects.count(), ProgressNote.objects.count()
        url = reverse("action-edit", kwargs={"pk": action.pk})
        response = client.post(url, _form_values(client, url))
        assert response.status_code == 302, response.content.decode()[:2000]
        action.refresh_from_db()
        assert (action.status, action.due_date, action.title, action.version) == before
        assert AuditEntry.objects.count() == entries
        assert ProgressNote.objects.count() == notes


def test_a_second_session_is_refused_with_both_versions(people: dict[str, Any]) -> None:
    first, second = Client(), Client()
    first.force_login(people["manager"])
    second.force_login(people["member"])
    action = Action.objects.get(ref="DA-1")
    url = reverse("action-edit", kwargs={"pk": action.pk})
    mine, theirs = _form_values(first, url), _form_values(second, url)
    mine.update(status="complete", note="Finished early")
    assert first.post(url, mine).status_code == 302
    theirs.update(status="off-track", note="Venue lost")
    refused = second.post(url, theirs)
    assert refused.status_code == 409
    body = refused.content.decode()
    assert "Not saved" in body and "Complete" in body and "Off track" in body
    action.refresh_from_db()
    assert action.status == "complete"
    assert not ProgressNote.objects.filter(text="Venue lost").exists()
    # The form now counts against the saved version: saving again is a deliberate choice.
    again = {k: str(v) for k, v in refused.context["form"].data.items()}
    assert second.post(url, again).status_code == 302
    action.refresh_from_db()
    assert action.status == "off-track"


def test_indicator_edits_are_versioned_too(people: dict[str, Any]) -> None:
    first, second = Client(), Client()
    first.force_login(people["manager"])
    second.force_login(people["manager"])
    indicator = Indicator.objects.get(slug="burglary")
    url = reverse("record-edit", kwargs={"kind": "indicator", "pk": indicator.pk})
    a, b = _form_values(first, url), _form_values(second, url)
    assert first.post(url, {**a, "target": "80"}).status_code == 302
    refused = second.post(url, {**b, "target": "120"})
    assert refused.status_code == 409
    indicator.refresh_from_db()
    assert indicator.target == 80


def test_version_moves_only_when_something_changes(plan: None) -> None:
    action = Action.objects.get(ref="SOC-1")
    version = action.version
    action.save()
    assert Action.objects.get(pk=action.pk).version == version
    action.title = "A new title"
    action.save()
    assert Action.objects.get(pk=action.pk).version == version + 1
