"""Signed-in pages of the plan: priorities, groups, actions, indicators, funding, audit log."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from cspkit.web import charts, indicators, pagecache
from cspkit.web.monitoring.quarters import Quarter, reporting_quarter
from cspkit.web.pages import Page, respond, signed_in
from cspkit.web.plan import editing, permissions, serialise
from cspkit.web.plan.context import current_plan
from cspkit.web.plan.filters import ActionFilterForm
from cspkit.web.plan.forms import ActionForm
from cspkit.web.plan.models import (
    CLOSED_STATUSES,
    Action,
    ActionStatus,
    Agency,
    FundingApplication,
    Group,
    Indicator,
    PlanPeriod,
    Priority,
    ProgressNote,
)


def _plan() -> PlanPeriod:
    plan = current_plan()
    if plan is None:
        raise Http404("No plan has been loaded yet: run 'cspkit plan load FILE.yaml'.")
    return plan


def _actions(plan: PlanPeriod) -> QuerySet[Action]:
    return Action.objects.filter(priority__plan=plan, retired=False).select_related(
        "priority", "group", "owner_agency", "owner"
    )


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people go to the dashboard, everyone else to the public plan."""
    return redirect("dashboard" if request.user.is_authenticated else "public-plan")


@signed_in
def plan_overview(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole plan: priorities and themes with their groups."""
    plan = _plan()
    priorities = list(plan.priorities.filter(retired=False).prefetch_related("groups"))
    page = Page(
        "plan/plan.html",
        plan.title,
        {"plan": plan, "priorities": priorities},
        data={
            "plan": plan.title,
            "partnership": plan.partnership.name,
            "area_code": plan.partnership.area_code,
            "priorities": [serialise.priority_data(p) for p in priorities],
        },
    )
    return respond(request, page, fmt)


@signed_in
def priority_detail(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One priority: objective, focus, actions, indicators."""
    priority = get_object_or_404(Priority, plan=_plan(), slug=slug)
    actions = list(_actions(priority.plan).filter(priority=priority))
    live = indicators.statuses(list(priority.indicators.filter(retired=False)))
    page = Page(
        "plan/priority.html",
        priority.title,
        {"priority": priority, "actions": actions, "statuses": live},
        data={
            **serialise.priority_data(priority),
            "actions": [serialise.action_row(a) for a in actions],
            "indicators": [s.as_data() for s in live],
        },
        table=[serialise.action_row(a) for a in actions],
    )
    return respond(request, page, fmt)


@signed_in
def action_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every action, filtered by status, group, owner and due date, and searched by text."""
    plan = _plan()
    filters = ActionFilterForm(request.GET or None, plan=plan)
    actions = list(filters.apply(_actions(plan)))
    if request.GET.get("overdue"):
        actions = [a for a in actions if a.is_overdue()]
    rows = [serialise.action_row(a) for a in actions]
    page = Page(
        "plan/actions.html",
        "Actions",
        {
            "actions": actions,
            "filters": filters,
            "can_create": permissions.is_manager(request.user),
        },
        data=rows,
        table=rows,
    )
    return respond(request, page, fmt)


@signed_in
def my_actions(request: HttpRequest, fmt: str) -> HttpResponse:
    """The actions a person owns or their agency owns, open ones first."""
    user = permissions.signed_in_user(request)
    agency = permissions.agency_of(user)
    mine = Q(owner=user) | (Q(owner_agency_id=agency) if agency is not None else Q(pk__in=[]))
    actions = sorted(
        _actions(_plan()).filter(mine),
        key=lambda a: (a.status in CLOSED_STATUSES, a.due_date or datetime.date.max, a.ref),
    )
    rows = [serialise.action_row(a) for a in actions]
    page = Page(
        "plan/my_actions.html",
        "My actions",
        {"actions": actions, "agency": Agency.objects.filter(pk=agency or 0).first()},
        data=rows,
        table=rows,
    )
    return respond(request, page, fmt)


@signed_in
def due_this_quarter(request: HttpRequest, fmt: str) -> HttpResponse:
    """For a chair: their groups' open actions due this quarter or overdue (managers: all)."""
    user = permissions.signed_in_user(request)
    quarter = Quarter.containing(timezone.localdate())
    actions = _actions(_plan()).exclude(status__in=CLOSED_STATUSES)
    if not permissions.is_manager(user):
        actions = actions.filter(group__chair=user)
    due = [
        a
        for a in actions.filter(due_date__lte=quarter.end).order_by("due_date", "ref")
        if a.due_date is not None
    ]
    rows = [serialise.action_row(a) for a in due]
    page = Page(
        "plan/due.html",
        f"Due by the end of {quarter.label}",
        {"actions": due, "quarter": quarter},
        data=rows,
        table=rows,
    )
    return respond(request, page, fmt)


@signed_in
def action_detail(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An action and its progress history."""
    action = get_object_or_404(_actions(_plan()), pk=pk)
    notes = list(action.notes.select_related("author"))
    page = Page(
        "plan/action.html",
        f"{action.ref}: {action.title}",
        {
            "action": action,
            "notes": notes,
            "can_edit": permissions.can_edit_action(request.user, action),
        },
        data={**serialise.action_row(action), "notes": [serialise.note_row(n) for n in notes]},
        table=[serialise.note_row(n) for n in notes],
    )
    return respond(request, page, fmt)


@signed_in
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Update an action (managers: every field; owner, agency, chair: status and due date).

    The form carries the version it was opened at; a save against a newer version is refused
    with both versions shown. Saving unchanged writes nothing.
    """
    plan = _plan()
    action = get_object_or_404(_actions(plan), pk=pk)
    if not permissions.can_edit_action(request.user, action):
        raise PermissionDenied("You may edit only your own, your agency's or your group's actions.")
    full = permissions.is_manager(request.user)
    form = ActionForm(request.POST or None, instance=action, plan=plan, full=full)
    conflict = None
    if request.method == "POST" and form.is_valid():
        user = permissions.signed_in_user(request)
        saved, conflict = editing.save_if_current(
            Action, action.pk, form, lambda stored: _save_action(form, stored, user), skip=("note",)
        )
        if saved is not None:
            return redirect("action", pk=action.pk)
    return editing.form_page(
        request,
        form,
        title=f"Update {action.ref}",
        intro=action.title,
        submit="Save update",
        cancel=reverse("action", args=[action.pk]),
        conflict=conflict,
    )


def _save_action(form: ActionForm, stored: Action, user: User) -> Action:
    """Write the form's fields; a note (or a status change) goes into the history."""
    was = stored.status
    action: Action = form.save()
    note = str(form.cleaned_data.get("note") or "").strip()
    if action.status != was and not note:
        note = f"Status changed from {ActionStatus(was).label} to {action.get_status_display()}."
    if note:
        ProgressNote.objects.create(action=action, author=user, status=action.status, text=note)
    return action


@signed_in
def indicator_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every indicator with its live status."""
    live = indicators.statuses(list(_plan().indicators.filter(retired=False)))
    rows = [s.as_data() for s in live]
    page = Page(
        "plan/indicators.html",
        "Indicators",
        {"statuses": live, "rag_rules": indicators.RAG_RULES},
        data=rows,
        table=rows,
    )
    return respond(request, page, fmt)


@signed_in
def indicator_detail(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One indicator: latest value, change, SPC chart and RAG status with its rule.

    Rendered once per plan and warehouse version and shared (``pagecache``).
    """
    part = pagecache.shared_part(request, f"indicator:{slug}", fmt, lambda: _indicator_page(slug))
    context = {}
    if permissions.is_manager(request.user):
        found = Indicator.objects.filter(plan=_plan(), slug=slug).values_list("pk", flat=True)
        context["indicator_pk"] = found.first()
    return pagecache.respond_shared(request, part, "plan/indicator.html", context)


def _indicator_page(slug: str) -> Page:
    indicator = get_object_or_404(
        Indicator.objects.select_related("priority"), plan=_plan(), slug=slug
    )
    status = indicators.indicator_status(indicator)
    points = status.spc.points if status.spc is not None else ()
    rows = [
        {
            "month": m,
            "value": v,
            "in_spc": i >= status.spc_first and status.spc is not None,
        }
        for i, (m, v) in enumerate(zip(status.months, status.values, strict=True))
    ]
    spc_rows = [
        {
            "month": p.label,
            "value": p.value,
            "mean": p.mean,
            "lower_limit": p.lower,
            "upper_limit": p.upper,
            "point_type": p.point_type.value,
            "rule": p.rule.value if p.rule else "",
        }
        for p in points
    ]
    return Page(
        "plan/indicator_body.html",
        indicator.name,
        {
            "indicator": indicator,
            "status": status,
            "chart": charts.spc_svg(status),
            "spc_rows": spc_rows,
            "rag_rules": indicators.RAG_RULES,
        },
        data={**status.as_data(), "series": rows, "spc": spc_rows},
        table=spc_rows or rows,
    )


@signed_in
def indicator_chart(request: HttpRequest, slug: str) -> HttpResponse:
    """The SPC chart alone, as an SVG file."""
    indicator = get_object_or_404(Indicator, plan=_plan(), slug=slug)
    svg = charts.spc_svg(indicators.indicator_status(indicator))
    if not svg:
        raise Http404("No SPC chart: too few values.")
    return HttpResponse(svg, content_type="image/svg+xml")


def _groups(plan: PlanPeriod) -> QuerySet[Group]:
    return (
        plan.groups.filter(retired=False)
        .select_related("chair", "chair_agency")
        .prefetch_related("priorities", "memberships__agency")
    )


@signed_in
def group_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """Sub-groups and working groups."""
    groups = list(_groups(_plan()))
    rows = [serialise.group_row(g) for g in groups]
    page = Page("plan/groups.html", "Sub-groups and working groups", {"groups": groups}, rows, rows)
    return respond(request, page, fmt)


@signed_in
def group_detail(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """A group: members, actions, reports, funding."""
    plan = _plan()
    group = get_object_or_404(_groups(plan), slug=slug)
    actions = list(_actions(plan).filter(group=group))
    reports = list(group.reports.all())
    page = Page(
        "plan/group.html",
        group.name,
        {
            "group": group,
            "actions": actions,
            "reports": reports,
            "funding": list(group.funding.all()),
            "can_report": permissions.can_file_report(request.user, group),
            "current_quarter": reporting_quarter(plan, timezone.localdate()),
        },
        data={
            **serialise.group_row(group),
            "actions": [serialise.action_row(a) for a in actions],
            "reports": [r.period.slug for r in reports],
            "funding": [serialise.funding_row(f) for f in group.funding.all()],
        },
        table=[serialise.action_row(a) for a in actions],
    )
    return respond(request, page, fmt)


@signed_in
def funding_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """Funding applications made by the groups."""
    apps = list(FundingApplication.objects.filter(group__plan=_plan()).select_related("group"))
    rows = [serialise.funding_row(a) for a in apps]
    page = Page("plan/funding.html", "Funding applications", {"applications": apps}, rows, rows)
    return respond(request, page, fmt)
