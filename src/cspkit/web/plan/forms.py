"""Forms for editing plan data. Date inputs always carry ISO dates (what a browser's date
input reads and sends); every edit form carries the version it was opened at."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User

from cspkit.web.plan.concurrency import version_field
from cspkit.web.plan.models import (
    PARTNERSHIP_SETTINGS,
    POLARITY_WORDS,
    Action,
    Agency,
    Group,
    Indicator,
    Membership,
    Partnership,
    PlanPeriod,
    Priority,
    Role,
)

NOTE_ROWS = 4
TEXT_ROWS = 4
#: The only format a browser's <input type="date"> accepts as its value.
ISO_DATE = "%Y-%m-%d"
#: Fields of an action only a partnership manager changes (others update status and date).
ACTION_MANAGER_FIELDS = ("priority", "group", "ref", "title", "measure", "owner_agency", "owner")


def date_input() -> forms.DateInput:
    """A browser date picker given its value as YYYY-MM-DD."""
    return forms.DateInput(attrs={"type": "date"}, format=ISO_DATE)


def _people() -> Any:
    return User.objects.filter(is_active=True).order_by("username")


class VersionedForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form with the hidden version field, set from the record it edits."""

    version = version_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version


class ActionForm(VersionedForm):
    """An action: managers edit every field; owners and chairs its status and due date."""

    note = forms.CharField(
        label="Progress note",
        required=False,
        widget=forms.Textarea(attrs={"rows": NOTE_ROWS}),
        help_text="What has happened since the last update. This is added to the history.",
    )

    class Meta:
        model = Action
        fields = (*ACTION_MANAGER_FIELDS, "due_date", "status")
        widgets = {"due_date": date_input()}  # noqa: RUF012
        help_texts = {"due_date": "Leave empty if the action has no due date."}  # noqa: RUF012

    def __init__(self, *args: Any, plan: PlanPeriod, full: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if full:
            self.fields["priority"].queryset = plan.priorities.filter(retired=False)  # type: ignore[attr-defined]
            self.fields["group"].queryset = plan.groups.filter(retired=False)  # type: ignore[attr-defined]
            self.fields["owner"].queryset = _people()  # type: ignore[attr-defined]
            self.fields["owner"].label = "Owner (person)"
        else:
            for name in ACTION_MANAGER_FIELDS:
                del self.fields[name]


class PriorityForm(VersionedForm):
    """A core priority or cross-cutting theme."""

    class Meta:
        model = Priority
        fields = (
            "title",
            "slug",
            "kind",
            "strapline",
            "objective",
            "why_it_matters",
            "focus",
            "what_we_will_do",
            "order",
        )
        widgets = {  # noqa: RUF012
            n: forms.Textarea(attrs={"rows": TEXT_ROWS})
            for n in ("objective", "why_it_matters", "focus", "what_we_will_do")
        }
        help_texts = {"slug": "Short name used in addresses, e.g. domestic-abuse"}  # noqa: RUF012


class GroupForm(VersionedForm):
    """A sub-group or working group with its chair and member agencies."""

    members = forms.ModelMultipleChoiceField(
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Member agencies",
    )

    class Meta:
        model = Group
        fields = ("name", "slug", "kind", "priorities", "purpose", "chair", "chair_agency")
        widgets = {  # noqa: RUF012
            "priorities": forms.CheckboxSelectMultiple,
            "purpose": forms.Textarea(attrs={"rows": TEXT_ROWS}),
        }

    def __init__(self, *args: Any, plan: PlanPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priorities"].queryset = plan.priorities.filter(retired=False)  # type: ignore[attr-defined]
        self.fields["chair"].queryset = _people()  # type: ignore[attr-defined]
        self.fields["chair"].label = "Chair (person)"
        if self.instance.pk is not None:
            self.fields["members"].initial = [m.agency_id for m in self.instance.memberships.all()]

    def save_members(self, group: Group) -> None:
        """Seats for the chosen agencies (named people on seats are kept)."""
        chosen = set(self.cleaned_data.get("members") or [])
        for membership in group.memberships.select_related("agency"):
            if membership.agency not in chosen:
                membership.delete()
        for agency in chosen:
            if not group.memberships.filter(agency=agency).exists():
                Membership.objects.create(group=group, agency=agency)


class IndicatorForm(VersionedForm):
    """An indicator: a warehouse series for an area, or a partner's own monthly figures."""

    class Meta:
        model = Indicator
        fields = (
            "name",
            "slug",
            "priority",
            "source",
            "series_id",
            "area_code",
            "source_note",
            "unit",
            "polarity",
            "target",
            "target_note",
            "public",
        )
        labels = {"polarity": "Which direction is better", "series_id": "Warehouse series"}  # noqa: RUF012

    def __init__(self, *args: Any, plan: PlanPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = plan.priorities.filter(retired=False)  # type: ignore[attr-defined]
        self.fields["polarity"].choices = list(POLARITY_WORDS.items())  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("source") == Indicator.Source.WAREHOUSE and not cleaned.get("series_id"):
            self.add_error("series_id", "A warehouse indicator needs its series, e.g. burglary.")
        return cleaned


class ManualValueForm(forms.Form):
    """One month's figure of a partner measure (a second entry for a month replaces it)."""

    month = forms.DateField(
        widget=date_input(), help_text="Any day in the month; the figure counts for the month."
    )
    value = forms.FloatField()
    note = forms.CharField(max_length=300, required=False)


class PartnershipForm(forms.ModelForm):  # type: ignore[type-arg]
    """The partnership's name, area, police force, council, reporting links and contacts."""

    class Meta:
        model = Partnership
        fields = (
            "name",
            "short_name",
            "area_name",
            "area_code",
            *PARTNERSHIP_SETTINGS,
        )


class PersonForm(forms.Form):
    """A person's role and agency (managers invite people and change roles)."""

    role = forms.ChoiceField(choices=Role.choices)
    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), required=False)
    is_active = forms.BooleanField(
        label="May sign in", required=False, initial=True, help_text="Untick to close the account."
    )


class InviteForm(PersonForm):
    """A new person: they receive an email with a link to choose their password."""

    username = forms.CharField(max_length=150)
    email = forms.EmailField()
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    is_active = None  # type: ignore[assignment]

    field_order = ("username", "email", "first_name", "last_name", "role", "agency")

    def clean_username(self) -> str:
        name = str(self.cleaned_data["username"]).strip()
        if User.objects.filter(username__iexact=name).exists():
            raise forms.ValidationError("Somebody already has this username.")
        return name
