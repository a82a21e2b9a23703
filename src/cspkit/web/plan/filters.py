"""Filtering and searching lists of actions (by status, group, owner, due date and text)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone

from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan.models import CLOSED_STATUSES, Action, ActionStatus, Agency, PlanPeriod

DUE_CHOICES = (
    ("", "Any time"),
    ("overdue", "Overdue"),
    ("this-quarter", "Due this quarter"),
    ("next-quarter", "Due next quarter"),
    ("none", "No due date"),
)


class ActionFilterForm(forms.Form):
    """The filters above a list of actions (a GET form: the address can be shared)."""

    q = forms.CharField(label="Search", required=False, help_text="Reference, title or measure")
    status = forms.ChoiceField(choices=(("", "Any"), ("open", "Open"), *ActionStatus.choices))
    group = forms.ChoiceField(required=False)
    owner = forms.ModelChoiceField(
        queryset=Agency.objects.all(), required=False, empty_label="Any", label="Owner agency"
    )
    due = forms.ChoiceField(choices=DUE_CHOICES, required=False, label="Due")

    def __init__(self, *args: Any, plan: PlanPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].required = False
        groups = plan.groups.filter(retired=False).values_list("slug", "name")
        self.fields["group"].choices = [("", "Any"), *groups]  # type: ignore[attr-defined]

    def apply(self, actions: QuerySet[Action]) -> QuerySet[Action]:
        """The actions that pass every filter given (invalid filters are ignored)."""
        if not self.is_valid():
            return actions
        c = self.cleaned_data
        if c.get("q"):
            text = str(c["q"]).strip()
            actions = actions.filter(
                Q(ref__icontains=text) | Q(title__icontains=text) | Q(measure__icontains=text)
            )
        if c.get("status") == "open":
            actions = actions.exclude(status__in=CLOSED_STATUSES)
        elif c.get("status"):
            actions = actions.filter(status=c["status"])
        if c.get("group"):
            actions = actions.filter(group__slug=c["group"])
        if c.get("owner"):
            actions = actions.filter(owner_agency=c["owner"])
        return _due(actions, str(c.get("due") or ""))


def _due(actions: QuerySet[Action], due: str) -> QuerySet[Action]:
    today = timezone.localdate()
    quarter = Quarter.containing(today)
    if due == "overdue":
        return actions.filter(due_date__lt=today).exclude(status__in=CLOSED_STATUSES)
    if due == "this-quarter":
        return actions.filter(due_date__range=(quarter.start, quarter.end))
    if due == "next-quarter":
        nxt = quarter.next()
        return actions.filter(due_date__range=(nxt.start, nxt.end))
    if due == "none":
        return actions.filter(due_date__isnull=True)
    return actions
