"""The sub-group chair's quarterly report form: per action status, progress and risks; per
indicator commentary; and the group's summary and risks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from cspkit.web.plan.concurrency import version_field
from cspkit.web.plan.models import Action, ActionStatus, Indicator

TEXT_ROWS = 3


@dataclass(frozen=True)
class ActionFields:
    """The three field names belonging to one action."""

    action: Action
    status: str
    progress: str
    risks: str

    @property
    def shown(self) -> str:
        """The hidden field holding the status the form showed when it was opened."""
        return f"a{self.action.pk}_shown"


class QuarterlyReportForm(forms.Form):
    """Built for one group's actions and indicators; field names carry the record ids."""

    summary = forms.CharField(
        label="Highlights of the quarter",
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
    )
    risks = forms.CharField(
        label="Risks and issues for the board",
        required=False,
        widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
    )
    version = version_field()

    def __init__(
        self,
        *args: Any,
        actions: list[Action],
        indicators: list[Indicator],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.action_fields: list[ActionFields] = []
        for action in actions:
            names = ActionFields(
                action, f"a{action.pk}_status", f"a{action.pk}_progress", f"a{action.pk}_risks"
            )
            self.fields[names.status] = forms.ChoiceField(
                label=f"{action.ref} status", choices=ActionStatus.choices, initial=action.status
            )
            self.fields[names.progress] = forms.CharField(
                label=f"{action.ref} progress this quarter",
                required=False,
                widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
            )
            self.fields[names.risks] = forms.CharField(label=f"{action.ref} risks", required=False)
            self.fields[names.shown] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial=action.status
            )
            self.action_fields.append(names)
        self.indicator_fields: list[tuple[Indicator, str]] = []
        for indicator in indicators:
            name = f"i{indicator.pk}_commentary"
            self.fields[name] = forms.CharField(
                label=f"Commentary on {indicator.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": TEXT_ROWS}),
            )
            self.indicator_fields.append((indicator, name))

    def bound(self, name: str) -> forms.BoundField:
        """The bound field called ``name`` (for templates)."""
        return self[name]
