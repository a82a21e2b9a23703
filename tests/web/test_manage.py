"""Running the plan from ordinary pages: create, edit and retire records, invite people,
change roles, my actions, due this quarter, filters and the partnership's settings."""

from __future__ import annotations

import json
import re
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from cspkit.web.plan.models import (
    Action,
    Agency,
    AuditEntry,
    Group,
    Indicator,
    Priority,
    Profile,
)


def _manager(people: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(people["manager"])
    return client


def test_manager_creates_an_action(people: dict[str, Any]) -> None:
    client = _manager(people)
    priority = Priority.objects.get(slug="domestic-abuse")
    group = Group.objects.get(slug="da-forum")
    response = client.post(
        reverse("action-create"),
        {
            "priority": priority.pk,
            "group": group.pk,
            "ref": "DA-9",
            "title": "Train GP receptionists to spot coercive control",
            "owner_agency": Agency.objects.get(short_name="KIDAS").pk,
            "owner": people["member"].pk,
            "due_date": "2025-03-31",
            "status": "not-started",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(ref="DA-9")
    assert action.owner == people["member"] and action.due_date.isoformat() == "2025-03-31"
    entry = AuditEntry.objects.get(model="Action", object_id=str(action.pk))
    assert entry.change == "created" and entry.username == "manager.person"


def test_indicator_needs_its_series_and_can_be_manual(people: dict[str, Any]) -> None:
    client = _manager(people)
    base = {"name": "Repeat victims", "slug": "repeat-victims", "unit": "count"}
    refused = client.post(
        reverse("indicator-create"),
        {**base, "source": "warehouse", "polarity": "higher-is-worse"},
    )
    assert refused.status_code == 200 and b"needs its series" in refused.content
    made = client.post(
        reverse("indicator-create"),
        {**base, "source": "manual", "polarity": "higher-is-worse", "source_note": "KIDAS"},
    )
    assert made.status_code == 302
    indicator = Indicator.objects.get(slug="repeat-victims")
    assert indicator.source_label == "KIDAS"
    page = client.get(reverse("indicator", kwargs={"slug": "repeat-victims"})).content.decode()
    assert "Lower is better" in page


def test_group_with_chair_and_members(people: dict[str, Any]) -> None:
    client = _manager(people)
    agencies = list(Agency.objects.all()[:3])
    response = client.post(
        reverse("group-create"),
        {
            "name": "Night-time Economy Group",
            "slug": "nte",
            "kind": "working-group",
            "priorities": [Priority.objects.get(slug="safe-town-centre").pk],
            "chair": people["chair"].pk,
            "members": [a.pk for a in agencies],
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(slug="nte")
    assert group.chair == people["chair"]
    assert {m.agency for m in group.memberships.all()} == set(agencies)


def test_retiring_hides_and_bringing_back_shows(people: dict[str, Any]) -> None:
    client = _manager(people)
    action = Action.objects.get(ref="SOC-1")
    url = reverse("record-retire", kwargs={"kind": "action", "pk": action.pk})
    assert client.post(url).status_code == 302
    refs = {r["ref"] for r in json.loads(client.get("/manage/actions.json").content)}
    assert "SOC-1" not in refs and Action.objects.filter(ref="SOC-1").exists()
    retired = {r["ref"] for r in json.loads(client.get("/manage/actions.json?retired=on").content)}
    assert retired == {"SOC-1"}
    assert b"Retired." in client.get(reverse("action", kwargs={"pk": action.pk})).content
    client.post(url)
    refs = {r["ref"] for r in json.loads(client.get("/manage/actions.json").content)}
    assert "SOC-1" in refs


def test_retired_groups_and_indicators_are_listed_and_can_come_back(
    people: dict[str, Any],
) -> None:
    client = _manager(people)
    group = Group.objects.get(slug="socp")
    indicator = Indicator.objects.get(slug="burglary")
    for kind, pk in (("group", group.pk), ("indicator", indicator.pk)):
        url = reverse("record-retire", kwargs={"kind": kind, "pk": pk})
        assert client.post(url).status_code == 302
    groups = {g["slug"] for g in json.loads(client.get(reverse("groups-json")).content)}
    assert "socp" not in groups  # hidden from the plan's lists...
    rows = json.loads(client.get(reverse("retired-records-json")).content)
    assert {(r["kind"], r["name"]) for r in rows} == {  # ...but listed here
        ("group", group.name),
        ("indicator", str(indicator)),
    }
    page = client.get(reverse("retired-records")).content.decode()
    assert group.name in page and "Bring back" in page
    assert reverse("retired-records") in client.get(reverse("groups")).content.decode()
    back = next(r for r in rows if r["kind"] == "group")["bring_back"]
    confirm = client.get(back).content.decode()
    assert "Bring back this group" in confirm and reverse("retired-records") in confirm
    assert client.post(back).status_code == 302
    rows = json.loads(client.get(reverse("retired-records-json")).content)
    assert [r["kind"] for r in rows] == ["indicator"]
    assert client.get(reverse("group", kwargs={"slug": "socp"})).status_code == 200
    csv_text = client.get(reverse("retired-records-csv")).content.decode()
    assert csv_text.splitlines()[0] == "kind,id,name,link,bring_back"


def test_invited_person_sets_a_password_by_email(people: dict[str, Any]) -> None:
    client = _manager(people)
    response = client.post(
        reverse("person-invite"),
        {
            "username": "new.partner",
            "email": "new.partner@example.org",
            "role": "member",
            "agency": Agency.objects.get(short_name="KFRS").pk,
        },
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new.partner@example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body)
    assert link is not None
    newcomer = Client()
    form_page = newcomer.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    password = "correct horse battery staple"
    done = newcomer.post(
        form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    assert User.objects.get(username="new.partner").check_password(password)


def test_demoted_manager_loses_the_admin_at_once(people: dict[str, Any]) -> None:
    other = User.objects.create_user("second.manager", password="x" * 20)
    Profile.objects.create(user=other, role="manager")
    other.refresh_from_db()
    assert other.is_staff and other.is_superuser
    client = _manager(people)
    response = client.post(
        reverse("person", kwargs={"pk": other.pk}), {"role": "member", "is_active": "on"}
    )
    assert response.status_code == 302
    other.refresh_from_db()
    assert not other.is_staff and not other.is_superuser
    demoted = Client()
    demoted.force_login(other)
    assert demoted.get("/admin/").status_code == 302
    assert demoted.get(reverse("audit")).status_code == 403


def test_member_updates_their_agencys_actions(people: dict[str, Any]) -> None:
    action = Action.objects.get(ref="SOC-1")
    Profile.objects.filter(user=people["bystander"]).update(agency=action.owner_agency)
    client = Client()
    client.force_login(people["bystander"])
    assert client.get(reverse("action-edit", kwargs={"pk": action.pk})).status_code == 200
    mine = json.loads(client.get(reverse("my-actions-json")).content)
    assert "SOC-1" in {r["ref"] for r in mine}


def test_chair_sees_due_actions_of_their_group(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["chair"])
    rows = json.loads(client.get(reverse("due-json")).content)
    assert rows and {r["group"] for r in rows} == {"Serious and Organised Crime Panel"}
    assert all(r["status"] not in ("complete", "cancelled") for r in rows)


def test_action_filters_and_search(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["member"])
    found = json.loads(client.get("/manage/actions.json?q=soc-").content)
    assert found and all(r["ref"].startswith("SOC-") for r in found)
    by_group = json.loads(client.get("/manage/actions.json?group=socp&status=open").content)
    assert {r["group"] for r in by_group} == {"Serious and Organised Crime Panel"}
    assert all(r["status"] not in ("complete", "cancelled") for r in by_group)
    overdue = json.loads(client.get("/manage/actions.json?due=overdue").content)
    assert overdue and all(r["overdue"] for r in overdue)


def test_partnership_settings_reach_the_public_pages(people: dict[str, Any]) -> None:
    client = _manager(people)
    form = client.get(reverse("partnership-settings")).context["form"]
    values = {n: form[n].value() or "" for n in form.fields}
    values.update(police_force="Wessex Constabulary", council="Casterbridge District Council")
    assert client.post(reverse("partnership-settings"), values).status_code == 302
    page = Client().get(reverse("public-report")).content.decode()
    assert "Wessex Constabulary" in page and "Casterbridge District Council" in page
    assert "Kent Police" not in page


def test_manager_enters_a_months_figure(people: dict[str, Any]) -> None:
    client = _manager(people)
    indicator = Indicator.objects.get(slug="sanctuary-referrals")
    url = reverse("indicator-value", kwargs={"pk": indicator.pk})
    assert client.post(url, {"month": "2025-06-17", "value": "19"}).status_code == 302
    value = indicator.values.get(month="2025-06-01")
    assert value.value == 19
    client.post(url, {"month": "2025-06-01", "value": "21"})
    assert indicator.values.get(month="2025-06-01").value == 21
    assert AuditEntry.objects.filter(model="Manual Value", change="updated").exists()
    warehouse = Indicator.objects.get(slug="burglary")
    assert client.get(reverse("indicator-value", kwargs={"pk": warehouse.pk})).status_code == 404


def test_the_last_manager_cannot_be_demoted(people: dict[str, Any]) -> None:
    client = _manager(people)
    me = people["manager"]
    me.refresh_from_db()
    assert me.is_superuser
    response = client.post(
        reverse("person", kwargs={"pk": me.pk}), {"role": "member", "is_active": "on"}
    )
    assert response.status_code == 200 and b"at least one active manager" in response.content
    me.refresh_from_db()
    assert me.is_superuser
