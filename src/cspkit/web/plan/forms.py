"""Forms for editing plan data."""

from __future__ import annotations

from django import forms

from cspkit.web.plan.models import Action, ActionStatus

NOTE_ROWS = 4


class ActionUpdateForm(forms.Form):
    """Change an action's status and due date, adding a progress note to its history."""

    status = forms.ChoiceField(choices=ActionStatus.choices)
    due_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave empty if the action has no due date.",
    )
    note = forms.CharField(
        label="Progress note",
        widget=forms.Textarea(attrs={"rows": NOTE_ROWS}),
        help_text="What has happened since the last update. This is added to the history.",
    )

    @classmethod
    def for_action(cls, action: Action) -> ActionUpdateForm:
        """An unbound form showing the action's current values."""
        return cls(initial={"status": action.status, "due_date": action.due_date})
