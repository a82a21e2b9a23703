"""Every role x every view: the permission table of cspkit.web.plan.permissions, as data.

Each row names a URL and the status code each role gets. A test checks that the table covers
every named route, so a new page cannot be added without deciding who may see it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ROLES = ("public", "manager", "chair", "member", "bystander")
PUBLIC = dict.fromkeys(ROLES, OK)
SIGNED_IN = {"public": REDIRECT, "manager": OK, "chair": OK, "member": OK, "bystander": OK}
MANAGER_ONLY = {
    "public": REDIRECT,
    "manager": OK,
    "chair": FORBIDDEN,
    "member": FORBIDDEN,
    "bystander": FORBIDDEN,
}
QUARTER = "2024-q4"

# (route name, kwargs builder key, expected status per role)
TABLE: list[tuple[str, dict[str, Any], dict[str, int]]] = [
    ("public-plan", {}, PUBLIC),
    ("public-asb", {}, PUBLIC),
    ("public-report", {}, PUBLIC),
    (
        "login",
        {},
        {
            **PUBLIC,
            "manager": REDIRECT,
            "chair": REDIRECT,
            "member": REDIRECT,
            "bystander": REDIRECT,
        },
    ),
    ("home", {}, dict.fromkeys(ROLES, REDIRECT)),
    ("dashboard", {}, SIGNED_IN),
    ("plan-overview", {}, SIGNED_IN),
    ("priority", {"slug": "domestic-abuse"}, SIGNED_IN),
    ("actions", {}, SIGNED_IN),
    ("action", {"pk": "SOC-1"}, SIGNED_IN),
    (
        "action-edit",
        {"pk": "SOC-1"},
        {
            "public": REDIRECT,
            "manager": OK,
            "chair": OK,
            "member": FORBIDDEN,
            "bystander": FORBIDDEN,
        },
    ),
    (
        "action-edit",
        {"pk": "DA-1"},
        {
            "public": REDIRECT,
            "manager": OK,
            "chair": FORBIDDEN,
            "member": OK,
            "bystander": FORBIDDEN,
        },
    ),
    ("indicators", {}, SIGNED_IN),
    ("indicator", {"slug": "sanctuary-referrals"}, SIGNED_IN),
    ("indicator-chart", {"slug": "sanctuary-referrals"}, SIGNED_IN),
    ("groups", {}, SIGNED_IN),
    ("group", {"slug": "socp"}, SIGNED_IN),
    (
        "report-form",
        {"slug": "socp", "quarter": QUARTER},
        {
            "public": REDIRECT,
            "manager": OK,
            "chair": OK,
            "member": FORBIDDEN,
            "bystander": FORBIDDEN,
        },
    ),
    (
        "report-form",
        {"slug": "da-forum", "quarter": QUARTER},
        {
            "public": REDIRECT,
            "manager": OK,
            "chair": FORBIDDEN,
            "member": FORBIDDEN,
            "bystander": FORBIDDEN,
        },
    ),
    ("reports", {}, SIGNED_IN),
    ("report", {"pk": "report"}, SIGNED_IN),
    ("funding", {}, SIGNED_IN),
    ("audit", {}, MANAGER_ONLY),
    (
        "board-pack-index",
        {},
        {
            **SIGNED_IN,
            "public": REDIRECT,
            "manager": REDIRECT,
            "chair": REDIRECT,
            "member": REDIRECT,
            "bystander": REDIRECT,
        },
    ),
    ("board-pack", {"quarter": QUARTER}, MANAGER_ONLY),
    ("board-pack-pdf", {"quarter": QUARTER}, MANAGER_ONLY),
    (
        "admin:index",
        {},
        {
            "public": REDIRECT,
            "manager": OK,
            "chair": REDIRECT,
            "member": REDIRECT,
            "bystander": REDIRECT,
        },
    ),
    ("my-actions", {}, SIGNED_IN),
    ("due", {}, SIGNED_IN),
    ("action-create", {}, MANAGER_ONLY),
    ("priority-create", {}, MANAGER_ONLY),
    ("group-create", {}, MANAGER_ONLY),
    ("indicator-create", {}, MANAGER_ONLY),
    ("record-edit", {"kind": "priority", "pk": "priority:domestic-abuse"}, MANAGER_ONLY),
    ("record-edit", {"kind": "group", "pk": "group:socp"}, MANAGER_ONLY),
    ("record-edit", {"kind": "indicator", "pk": "indicator:burglary"}, MANAGER_ONLY),
    ("record-retire", {"kind": "action", "pk": "SOC-1"}, MANAGER_ONLY),
    ("record-retire", {"kind": "group", "pk": "group:socp"}, MANAGER_ONLY),
    ("retired-records", {}, MANAGER_ONLY),
    ("indicator-value", {"pk": "indicator:sanctuary-referrals"}, MANAGER_ONLY),
    ("people", {}, MANAGER_ONLY),
    ("person-invite", {}, MANAGER_ONLY),
    ("person", {"pk": "user:member.person"}, MANAGER_ONLY),
    ("partnership-settings", {}, MANAGER_ONLY),
    ("password_change", {}, SIGNED_IN),
    ("password_change_done", {}, SIGNED_IN),
    ("password_reset", {}, PUBLIC),
    ("password_reset_done", {}, PUBLIC),
    ("password_reset_confirm", {"uidb64": "MQ", "token": "not-a-token"}, PUBLIC),
    ("password_reset_complete", {}, PUBLIC),
    ("logout", {}, {}),
]
#: Routes tested elsewhere or not pages (logout is POST only; admin's own pages are Django's).
NOT_IN_TABLE = {"logout"}


def _resolve_kwargs(kwargs: dict[str, Any]) -> dict[str, Any]:
    from django.contrib.auth.models import User

    from cspkit.web.monitoring.models import QuarterlyReport
    from cspkit.web.monitoring.quarters import Quarter
    from cspkit.web.plan.models import Action, Group, Indicator, Priority

    out = dict(kwargs)
    marked = str(out.get("pk", ""))
    lookups = {
        "priority": lambda v: Priority.objects.get(slug=v),
        "group": lambda v: Group.objects.get(slug=v),
        "indicator": lambda v: Indicator.objects.get(slug=v),
        "user": lambda v: User.objects.get(username=v),
    }
    if ":" in marked:
        kind, value = marked.split(":", 1)
        out["pk"] = lookups[kind](value).pk
    elif isinstance(out.get("pk"), str) and out["pk"] != "report":
        out["pk"] = Action.objects.get(ref=out["pk"]).pk
    if out.get("pk") == "report":
        report, _ = QuarterlyReport.objects.get_or_create(
            group=Group.objects.get(slug="socp"), year=2024, quarter=4
        )
        out["pk"] = report.pk
    if "quarter" in out:
        year, number = out["quarter"].split("-q")
        out["quarter"] = Quarter(int(year), int(number))
    return out


def _route_names() -> set[str]:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_table_covers_every_route() -> None:
    named = {n for n in _route_names() if not n.endswith(("-json", "-csv"))}
    in_table = {row[0] for row in TABLE}
    assert named - in_table == set(), "routes without a permission row"


@pytest.mark.parametrize("role", ROLES)
def test_role_by_view(role: str, people: dict[str, Any]) -> None:
    client = Client()
    if role != "public":
        client.force_login(people[role])
    names = _route_names()
    failures = []
    for name, kwargs, expected in TABLE:
        if name in NOT_IN_TABLE:
            continue
        url = reverse(name, kwargs=_resolve_kwargs(kwargs))
        variants = [url]
        for data in ("json", "csv"):
            if f"{name}-{data}" in names:
                variants.append(reverse(f"{name}-{data}", kwargs=_resolve_kwargs(kwargs)))
        for variant in variants:
            got = client.get(variant).status_code
            if got != expected[role]:
                failures.append(f"{role} GET {variant}: expected {expected[role]}, got {got}")
    assert failures == []


def test_public_pages_hold_no_personal_data(people: dict[str, Any]) -> None:
    client = Client()
    for name in ("public-plan", "public-asb", "public-report", "public-plan-json"):
        body = client.get(reverse(name)).content.decode()
        for user in people.values():
            assert user.get_username() not in body
            assert user.email not in body
