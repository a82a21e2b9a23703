"""Quarterly monitoring pages: dashboard, report form, reports, board pack."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from cspkit.web import charts, pagecache
from cspkit.web.monitoring import pdf, reports
from cspkit.web.monitoring.forms import QuarterlyReportForm
from cspkit.web.monitoring.models import QuarterlyReport
from cspkit.web.monitoring.quarters import (
    Quarter,
    plan_quarter,
    plan_quarters,
    reporting_quarter,
)
from cspkit.web.pages import HTML, Page, respond, signed_in
from cspkit.web.plan import concurrency, permissions, serialise
from cspkit.web.plan.models import Group
from cspkit.web.plan.views import _plan

PDF = "pdf"


def _report_data(report: QuarterlyReport) -> dict[str, Any]:
    return {
        "group": report.group.name,
        "quarter": report.period.slug,
        "submitted_by": report.submitted_by.get_username() if report.submitted_by else "",
        "submitted_at": report.submitted_at,
        "summary": report.summary,
        "risks": report.risks,
        "actions": [
            {"ref": a.action.ref, "status": a.status, "progress": a.progress, "risks": a.risks}
            for a in report.actions.select_related("action")
        ],
        "indicators": [
            {"indicator": c.indicator.slug, "commentary": c.commentary}
            for c in report.commentaries.select_related("indicator")
        ],
    }


def _overview_data(ov: reports.Overview) -> dict[str, Any]:
    return {
        "quarter": ov.quarter.slug,
        "quarter_label": ov.quarter.label,
        "as_at": ov.as_at,
        "actions_by_status": {value: n for value, _, n in ov.status_counts},
        "indicators_by_rag": dict(ov.rag_counts),
        "overdue_actions": [serialise.action_row(a) for a in ov.overdue],
        "indicators": [s.as_data() for s in ov.statuses],
        "indicators_of_concern": [s.slug for s in ov.of_concern],
        "reports_filed": [r.group.name for r in ov.reports],
        "reports_missing": [g.name for g in ov.missing],
    }


def _dashboard_page(today: datetime.date) -> Page:
    plan = _plan()
    ov = reports.overview(plan, reporting_quarter(plan, today), live=True)
    return Page(
        "monitoring/dashboard_body.html",
        "Partnership dashboard",
        {"ov": ov},
        data=_overview_data(ov),
        table=[serialise.action_row(a) for a in ov.overdue],
    )


@signed_in
def dashboard(request: HttpRequest, fmt: str) -> HttpResponse:
    """Partnership dashboard: overdue actions, indicators of concern, reports this quarter.

    What everyone sees is rendered once per plan and warehouse version (``pagecache``); the
    greeting and the groups the person chairs are added for each request.
    """
    today = timezone.localdate()
    part = pagecache.shared_part(
        request, f"dashboard:{today.isoformat()}", fmt, lambda: _dashboard_page(today)
    )
    chaired = list(Group.objects.filter(chair_id=request.user.pk)) if fmt == HTML else []
    context = {"quarter": reporting_quarter(_plan(), today), "chaired": chaired}
    return pagecache.respond_shared(request, part, "monitoring/dashboard.html", context)


@signed_in
def report_form(request: HttpRequest, slug: str, quarter: Quarter) -> HttpResponse:
    """A sub-group chair files (or revises) the group's report for a quarter of the plan.

    The form carries the version of the report it was opened at; when somebody filed or
    revised the report in between, nothing is saved and both versions are shown.
    """
    plan = _plan()
    plan_quarter(plan, quarter)
    group = get_object_or_404(Group, plan=plan, slug=slug, retired=False)
    if not permissions.can_file_report(request.user, group):
        raise PermissionDenied("Only the group's chair or a partnership manager may report.")
    existing = QuarterlyReport.objects.filter(
        group=group, year=quarter.year, quarter=quarter.number
    ).first()
    actions, measures = reports.group_actions(group), reports.group_indicators(group)
    conflict = None
    if request.method == "POST":
        form = QuarterlyReportForm(request.POST, actions=actions, indicators=measures)
        if form.is_valid():
            with transaction.atomic():
                stored = (
                    QuarterlyReport.objects.select_for_update()
                    .filter(group=group, year=quarter.year, quarter=quarter.number)
                    .first()
                )
                conflict = reports.conflict(form, stored)
                if conflict is None:
                    report = reports.file_report(
                        group, quarter, permissions.signed_in_user(request), form.cleaned_data
                    )
                    return redirect("report", pk=report.pk)
            concurrency.rebase(form, conflict)
            existing = stored
    else:
        form = QuarterlyReportForm(
            initial=reports.initial_values(existing), actions=actions, indicators=measures
        )
    return render(
        request,
        "monitoring/report_form.html",
        {
            "group": group,
            "quarter": quarter,
            "form": form,
            "existing": existing,
            "conflict": conflict,
            "title": f"{group.name}: report for {quarter.label}",
        },
        status=409 if conflict else 200,
    )


@signed_in
def report_list(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every quarterly report filed."""
    items = list(
        QuarterlyReport.objects.filter(group__plan=_plan()).select_related("group", "submitted_by")
    )
    rows = [
        {
            "id": r.pk,
            "group": r.group.name,
            "quarter": r.period.slug,
            "submitted_by": r.submitted_by.get_username() if r.submitted_by else "",
            "submitted_at": r.submitted_at,
        }
        for r in items
    ]
    page = Page("monitoring/reports.html", "Quarterly reports", {"reports": items}, rows, rows)
    return respond(request, page, fmt)


@signed_in
def report_detail(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """One quarterly report."""
    report = get_object_or_404(QuarterlyReport, pk=pk, group__plan=_plan())
    data = _report_data(report)
    page = Page(
        "monitoring/report.html",
        f"{report.group.name}: {report.period.label}",
        {"report": report, "can_edit": permissions.can_file_report(request.user, report.group)},
        data=data,
        table=data["actions"],
    )
    return respond(request, page, fmt)


def _board_context(quarter: Quarter) -> dict[str, Any]:
    plan = _plan()
    plan_quarter(plan, quarter)
    ov = reports.overview(plan, quarter)
    filed = {r.group_id: r for r in ov.reports}
    first, last = plan_quarters(plan.start_year, plan.end_year)
    priorities = []
    for priority in plan.priorities.filter(retired=False).prefetch_related("groups"):
        slugs = set(priority.indicators.values_list("slug", flat=True))
        priorities.append(
            {
                "priority": priority,
                "actions": [a for a in ov.actions if a.priority.pk == priority.pk],
                "statuses": [s for s in ov.statuses if s.slug in slugs],
                "reports": [filed[g.pk] for g in priority.groups.all() if g.pk in filed],
            }
        )
    return {
        "plan": plan,
        "ov": ov,
        "quarter": quarter,
        "previous": quarter.previous() if quarter > first else None,
        "next": quarter.next() if quarter < last else None,
        "priorities": priorities,
        "charts": {s.slug: charts.spc_svg(s) for s in ov.statuses},
        "generated": timezone.now(),
    }


@signed_in
def board_pack(request: HttpRequest, quarter: Quarter, fmt: str) -> HttpResponse:
    """The board pack for a quarter, as HTML, PDF or JSON (partnership managers)."""
    if not permissions.is_manager(request.user):
        raise PermissionDenied("Only partnership managers produce the board pack.")
    context = _board_context(quarter)
    title = f"Board pack {quarter.label}"
    if fmt == PDF:
        html = render_to_string(
            "monitoring/board_pack.html",
            {
                **context,
                "title": title,
                "for_pdf": True,
                "base_template": "monitoring/pdf_base.html",
            },
        )
        response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="board-pack-{quarter.slug}.pdf"'
        return response
    ov = context["ov"]
    data = {
        **_overview_data(ov),
        "reports": [_report_data(r) for r in ov.reports],
        "funding": [serialise.funding_row(f) for f in ov.funding],
    }
    page = Page(
        "monitoring/board_pack.html",
        title,
        {**context, "for_pdf": False, "base_template": "base.html"},
        data=data,
    )
    return respond(request, page, fmt)


@signed_in
def board_pack_index(request: HttpRequest) -> HttpResponse:
    """Redirect to the current quarter's board pack (the plan's last one once it has ended)."""
    quarter = reporting_quarter(_plan(), timezone.localdate())
    return redirect("board-pack", quarter=quarter)
