"""Filing quarterly reports and assembling the dashboard and board pack (no statistics here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cspkit.web import indicators
from cspkit.web.monitoring.models import ActionReport, IndicatorCommentary, QuarterlyReport
from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan.models import (
    Action,
    FundingApplication,
    Group,
    Indicator,
    PlanPeriod,
    ProgressNote,
)


def group_actions(group: Group) -> list[Action]:
    """The actions a group reports on."""
    return list(group.actions.select_related("priority", "owner_agency").order_by("ref"))


def group_indicators(group: Group) -> list[Indicator]:
    """Indicators of the priorities the group works on."""
    return list(Indicator.objects.filter(priority__in=group.priorities.all()).distinct())


def initial_values(report: QuarterlyReport | None) -> dict[str, Any]:
    """Form values from an existing report, so a chair can revise it."""
    if report is None:
        return {}
    values: dict[str, Any] = {"summary": report.summary, "risks": report.risks}
    for ar in report.actions.all():
        values[f"a{ar.action_id}_status"] = ar.status
        values[f"a{ar.action_id}_progress"] = ar.progress
        values[f"a{ar.action_id}_risks"] = ar.risks
    for c in report.commentaries.all():
        values[f"i{c.indicator_id}_commentary"] = c.commentary
    return values


def file_report(
    group: Group, quarter: Quarter, user: User, cleaned: dict[str, Any]
) -> QuarterlyReport:
    """Save the report; update each action's status and add progress to its history."""
    with transaction.atomic():
        report, _ = QuarterlyReport.objects.update_or_create(
            group=group,
            year=quarter.year,
            quarter=quarter.number,
            defaults={
                "summary": cleaned.get("summary", ""),
                "risks": cleaned.get("risks", ""),
                "submitted_by": user,
                "submitted_at": timezone.now(),
            },
        )
        for action in group_actions(group):
            status = cleaned[f"a{action.pk}_status"]
            progress = cleaned.get(f"a{action.pk}_progress", "")
            ActionReport.objects.update_or_create(
                report=report,
                action=action,
                defaults={
                    "status": status,
                    "progress": progress,
                    "risks": cleaned.get(f"a{action.pk}_risks", ""),
                },
            )
            if status != action.status or progress:
                action.status = status
                action.save()
                ProgressNote.objects.create(
                    action=action,
                    author=user,
                    status=status,
                    text=f"Quarterly report {quarter.label}: {progress or 'status updated'}",
                )
        for indicator in group_indicators(group):
            IndicatorCommentary.objects.update_or_create(
                report=report,
                indicator=indicator,
                defaults={"commentary": cleaned.get(f"i{indicator.pk}_commentary", "")},
            )
    return report


@dataclass(frozen=True)
class Overview:
    """What the dashboard and board pack show for a quarter."""

    quarter: Quarter
    overdue: list[Action]
    statuses: list[indicators.IndicatorStatus]
    reports: list[QuarterlyReport]
    missing: list[Group]
    funding: list[FundingApplication]

    @property
    def of_concern(self) -> list[indicators.IndicatorStatus]:
        """Indicators whose status is red or amber."""
        return [s for s in self.statuses if s.of_concern]


def overview(plan: PlanPeriod, quarter: Quarter) -> Overview:
    """Overdue actions, indicator statuses, and which sub-groups have reported."""
    today = timezone.localdate()
    actions = Action.objects.filter(priority__plan=plan).select_related(
        "priority", "group", "owner_agency", "owner"
    )
    overdue = [a for a in actions.filter(due_date__lt=today) if a.is_overdue(today)]
    reports = list(
        QuarterlyReport.objects.filter(
            group__plan=plan, year=quarter.year, quarter=quarter.number
        ).select_related("group", "submitted_by")
    )
    reported = {r.group_id for r in reports}
    sub_groups = plan.groups.filter(Q(kind=Group.Kind.SUB_GROUP) | Q(actions__isnull=False))
    missing = [g for g in sub_groups.distinct() if g.pk not in reported]
    return Overview(
        quarter=quarter,
        overdue=overdue,
        statuses=indicators.statuses(list(plan.indicators.all())),
        reports=reports,
        missing=missing,
        funding=list(FundingApplication.objects.filter(group__plan=plan).select_related("group")),
    )
