"""Filing quarterly reports and assembling the dashboard and board pack (no statistics here)."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cspkit.web import indicators
from cspkit.web.monitoring import asat
from cspkit.web.monitoring.forms import QuarterlyReportForm
from cspkit.web.monitoring.models import ActionReport, IndicatorCommentary, QuarterlyReport
from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan import concurrency
from cspkit.web.plan.models import (
    Action,
    ActionStatus,
    FundingApplication,
    Group,
    Indicator,
    PlanPeriod,
    ProgressNote,
)


def group_actions(group: Group) -> list[Action]:
    """The actions a group reports on."""
    actions = group.actions.filter(retired=False).select_related("priority", "owner_agency")
    return list(actions.order_by("ref"))


def group_indicators(group: Group) -> list[Indicator]:
    """Indicators of the priorities the group works on."""
    found = Indicator.objects.filter(priority__in=group.priorities.all(), retired=False)
    return list(found.distinct())


def initial_values(report: QuarterlyReport | None) -> dict[str, Any]:
    """Form values from an existing report, so a chair can revise it.

    Each action's status is the one the report filed, and the form remembers it (``shown``):
    saving the revision changes an action's live status only when the chair changes it, so a
    newer status set since the report was filed is never reverted.
    """
    if report is None:
        return {"version": 0}
    values: dict[str, Any] = {
        "summary": report.summary,
        "risks": report.risks,
        "version": report.version,
    }
    for ar in report.actions.all():
        values[f"a{ar.action_id}_status"] = ar.status
        values[f"a{ar.action_id}_shown"] = ar.status
        values[f"a{ar.action_id}_progress"] = ar.progress
        values[f"a{ar.action_id}_risks"] = ar.risks
    for c in report.commentaries.all():
        values[f"i{c.indicator_id}_commentary"] = c.commentary
    return values


def conflict(
    form: QuarterlyReportForm, stored: QuarterlyReport | None
) -> concurrency.Conflict | None:
    """A conflict when the report was filed or revised by someone after the form was opened."""
    opened = int(form.cleaned_data.get("version") or 0)
    current = stored.version if stored is not None else 0
    if opened == current:
        return None
    saved = initial_values(stored)
    fields = [
        concurrency.FieldVersions(
            str(form.fields[name].label),
            concurrency.shown(form.cleaned_data.get(name)),
            concurrency.shown(saved.get(name)),
        )
        for name in ("summary", "risks")
    ]
    for names in form.action_fields:
        for name in (names.status, names.progress, names.risks):
            fields.append(
                concurrency.FieldVersions(
                    str(form.fields[name].label),
                    concurrency.shown(form.cleaned_data.get(name)),
                    concurrency.shown(saved.get(name)),
                )
            )
    return concurrency.Conflict(opened, current, tuple(fields))


def file_report(
    group: Group, quarter: Quarter, user: User, cleaned: dict[str, Any]
) -> QuarterlyReport:
    """Save the report; update actions whose status the chair changed; add new progress.

    An action's live status changes only when the chair chose a status different from the
    one the form showed. Progress goes into the action's history only when it is new (a
    resubmitted report adds no duplicate notes).
    """
    with transaction.atomic():
        earlier = {
            ar.action_id: ar
            for ar in ActionReport.objects.filter(
                report__group=group, report__year=quarter.year, report__quarter=quarter.number
            )
        }
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
            shown = cleaned.get(f"a{action.pk}_shown") or action.status
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
            before = earlier.get(action.pk)
            changed = status != shown and status != action.status
            new_progress = bool(progress) and (before is None or before.progress != progress)
            if changed:
                action.status = status
                action.save()
            if changed or new_progress:
                ProgressNote.objects.create(
                    action=action,
                    author=user,
                    status=action.status,
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
    """What the dashboard and board pack show for a quarter.

    For a quarter that has ended, ``as_at`` is its last day and the actions, statuses and
    figures are those of that day (see ``asat``), not today's.
    """

    quarter: Quarter
    actions: list[Action] | list[asat.ActionAsAt]
    overdue: list[Any]
    statuses: list[indicators.IndicatorStatus]
    reports: list[QuarterlyReport]
    missing: list[Group]
    funding: list[FundingApplication]
    as_at: datetime.date | None = None

    @property
    def of_concern(self) -> list[indicators.IndicatorStatus]:
        """Indicators whose status is red or amber."""
        return [s for s in self.statuses if s.of_concern]

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, number of actions) for every status, in the plan's order."""
        counts = Counter(a.status for a in self.actions)
        return [(value, str(label), counts.get(value, 0)) for value, label in ActionStatus.choices]

    @property
    def rag_counts(self) -> list[tuple[str, int]]:
        """(RAG colour, number of indicators) for red, amber, green and grey."""
        counts = Counter(s.rag.value for s in self.statuses)
        return [(rag.value, counts.get(rag.value, 0)) for rag in indicators.Rag]


def _end_of(day: datetime.date) -> datetime.datetime:
    """The last moment of ``day`` in the site's time zone."""
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(midnight) - datetime.timedelta(microseconds=1)


def overview(plan: PlanPeriod, quarter: Quarter, *, live: bool = False) -> Overview:
    """Overdue actions, indicator statuses, and which sub-groups have reported.

    A quarter that has ended is shown as it stood on its last day, unless ``live`` (the
    dashboard: today's actions and figures beside the quarter's reports).
    """
    today = timezone.localdate()
    every = Action.objects.filter(priority__plan=plan).select_related(
        "priority", "group", "owner_agency", "owner"
    )
    as_at = quarter.end if quarter.end < today and not live else None
    actions: list[Action] | list[asat.ActionAsAt]
    if as_at is None:
        today_actions = list(every.filter(retired=False))
        actions = today_actions
        overdue: list[Any] = [a for a in today_actions if a.is_overdue(today)]
    else:
        past_actions = asat.actions_at(every, _end_of(as_at))
        actions = past_actions
        overdue = [a for a in past_actions if a.is_overdue()]
    reports = list(
        QuarterlyReport.objects.filter(
            group__plan=plan, year=quarter.year, quarter=quarter.number
        ).select_related("group", "submitted_by")
    )
    reported = {r.group_id for r in reports}
    sub_groups = plan.groups.filter(retired=False).filter(
        Q(kind=Group.Kind.SUB_GROUP) | Q(actions__isnull=False)
    )
    missing = [g for g in sub_groups.distinct() if g.pk not in reported]
    funding = FundingApplication.objects.filter(group__plan=plan).select_related("group")
    if as_at is not None:
        funding = funding.filter(Q(submitted_on__isnull=True) | Q(submitted_on__lte=as_at))
    return Overview(
        quarter=quarter,
        actions=actions,
        overdue=overdue,
        statuses=indicators.statuses(list(plan.indicators.filter(retired=False)), as_at),
        reports=reports,
        missing=missing,
        funding=list(funding),
        as_at=as_at,
    )
