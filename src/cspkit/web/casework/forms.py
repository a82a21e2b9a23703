"""Forms: the public application, the status check, and each casework step."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from cspkit.web.casework import evidence
from cspkit.web.casework.models import Case
from cspkit.web.plan.models import Agency

COMPLAINT_ROWS = 6
OTHER_AGENCY = "other"
HONEYPOT_FIELD = "website"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _not_future(day: datetime.date | None) -> datetime.date | None:
    if day is not None and day > timezone.localdate():
        raise ValidationError("This date is in the future.")
    return day


class ApplicationForm(forms.Form):
    """Who is applying, what is happening and its impact (complaints are a formset)."""

    applicant_name = forms.CharField(
        label="Your full name", max_length=200, error_messages={"required": "Enter your full name."}
    )
    applicant_email = forms.EmailField(
        label="Email address", required=False, help_text="We will use this to keep you updated."
    )
    applicant_phone = forms.CharField(label="Telephone number", max_length=40, required=False)
    applicant_address = forms.CharField(
        label="Your address", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    applicant_postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    on_behalf = forms.BooleanField(
        label="I am applying on behalf of the person affected", required=False
    )
    representative_name = forms.CharField(
        label="Name of the person affected",
        max_length=200,
        required=False,
        help_text="Only if you are applying on someone's behalf.",
    )
    representative_relationship = forms.CharField(
        label="Your relationship to them",
        max_length=200,
        required=False,
        help_text="For example: carer, councillor, support worker, relative.",
    )
    victim_consents = forms.BooleanField(
        label="The person affected has agreed to me applying for them", required=False
    )
    behaviour = forms.CharField(
        label="What is the anti-social behaviour?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What happens, where and how often.",
        error_messages={"required": "Tell us what the behaviour is."},
    )
    locality = forms.CharField(
        label="Where does it happen?",
        max_length=300,
        required=False,
        help_text="A street or place, if it is about one area.",
    )
    hate_incident = forms.BooleanField(
        label="I believe it is targeted because of who I am (a hate incident)",
        required=False,
        help_text="For example because of race, religion, disability, sexual orientation or "
        "transgender identity.",
    )
    hate_details = forms.CharField(
        label="Tell us about this (optional)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    impact = forms.CharField(
        label="How is it affecting you?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        error_messages={"required": "Tell us how it is affecting you."},
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="One PDF, JPEG or PNG file. Please do not send videos.",
    )
    website = forms.CharField(label="Leave this field empty", required=False)

    def clean_evidence(self) -> Any:
        upload = self.cleaned_data.get("evidence")
        if upload:
            evidence.check_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on_behalf"):
            if not data.get("representative_name"):
                self.add_error("representative_name", "Give the name of the person affected.")
            if not data.get("victim_consents"):
                self.add_error(
                    "victim_consents", "We need the consent of the person you are applying for."
                )
        if not (
            data.get("applicant_email")
            or data.get("applicant_phone")
            or data.get("applicant_address")
        ):
            self.add_error("applicant_email", "Give at least one way to contact you.")
        return data

    @property
    def is_spam(self) -> bool:
        """The hidden field people never see was filled in (an automated submission)."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())


def agency_choices() -> list[tuple[str, str]]:
    agencies = [(str(a.pk), a.name) for a in Agency.objects.order_by("name")]
    return [("", "Choose"), *agencies, (OTHER_AGENCY, "Another organisation / not sure")]


class ComplaintForm(forms.Form):
    """One complaint: when it was made, when the behaviour happened, who it was made to."""

    made_on = forms.DateField(label="Date you complained", widget=DateInput(), required=False)
    behaviour_on = forms.DateField(
        label="Date of the behaviour you complained about", widget=DateInput(), required=False
    )
    agency = forms.ChoiceField(label="Who you complained to", choices=(), required=False)
    reference = forms.CharField(
        label="Their reference number (if you have one)", max_length=100, required=False
    )
    by = forms.CharField(
        label="Who made it, if not you (optional)",
        max_length=200,
        required=False,
        help_text="For example a neighbour at number 4.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = agency_choices()  # type: ignore[attr-defined]

    def clean_made_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("made_on"))

    def clean_behaviour_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("behaviour_on"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        filled = [data.get(k) for k in ("made_on", "behaviour_on", "agency")]
        if any(filled) and not all(filled):
            for key in ("made_on", "behaviour_on", "agency"):
                if not data.get(key) and key not in self.errors:
                    self.add_error(key, "Fill this in, or leave the whole complaint blank.")
        made, happened = data.get("made_on"), data.get("behaviour_on")
        if made and happened and made < happened:
            self.add_error("made_on", "The complaint cannot be before the behaviour.")
        return data

    @property
    def filled(self) -> bool:
        return bool(getattr(self, "cleaned_data", {}).get("made_on"))


if TYPE_CHECKING:
    _FormSetBase = forms.BaseFormSet[ComplaintForm]
else:  # the base class is generic only to the type checker
    _FormSetBase = forms.BaseFormSet


class BaseComplaintFormSet(_FormSetBase):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        if not any(f.filled for f in self.forms):
            raise ValidationError("List at least one complaint you made about the behaviour.")


ComplaintFormSet = forms.formset_factory(
    ComplaintForm,
    formset=BaseComplaintFormSet,
    extra=COMPLAINT_ROWS,
    max_num=COMPLAINT_ROWS,
    validate_max=True,
)


class StatusForm(forms.Form):
    reference = forms.CharField(label="Case reference", max_length=20)
    secret = forms.CharField(
        label="Secret code",
        max_length=40,
        widget=forms.PasswordInput(render_value=True),
        help_text="Given to you with the reference when you applied.",
    )


class StepForm(forms.Form):
    """Every step carries the case version it was made from (no lost updates)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="Date", widget=DateInput())
    on_label = "Date"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = self.on_label

    def clean_on(self) -> datetime.date | None:
        return _not_future(self.cleaned_data.get("on"))


if TYPE_CHECKING:
    _AgencyFieldBase = forms.ModelChoiceField[Agency]
else:  # generic only to the type checker
    _AgencyFieldBase = forms.ModelChoiceField


class AgencyChoiceField(_AgencyFieldBase):
    """Agencies by their full names, as on the public form."""

    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class AcknowledgeForm(StepForm):
    on_label = "Date acknowledged"
    lead_agency = AgencyChoiceField(label="Lead agency", queryset=Agency.objects.order_by("name"))


class DecideForm(StepForm):
    on_label = "Date of the decision"
    meets_threshold = forms.TypedChoiceField(
        label="Does the application meet the threshold?",
        choices=(("yes", "Yes: hold a review"), ("no", "No")),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    override_reason = forms.CharField(
        label="Reason, if your decision differs from the check",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class MeetingForm(StepForm):
    on_label = "Date of the review meeting"
    meeting_notes = forms.CharField(
        label="Notes of the review meeting", widget=forms.Textarea(attrs={"rows": 5})
    )


class RecommendForm(StepForm):
    on_label = "Date of the recommendations"
    has_recommendations = forms.TypedChoiceField(
        label="Did the review make recommendations?",
        choices=(("yes", "Yes"), ("no", "No")),
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    recommendations = forms.CharField(
        label="Recommendations (one per line)",
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )


class RespondForm(StepForm):
    on_label = "Date the response was sent"
    response = forms.CharField(
        label="Response sent to the applicant", widget=forms.Textarea(attrs={"rows": 5})
    )


class CloseForm(StepForm):
    on_label = "Date closed"


class AppealForm(StepForm):
    on_label = "Date the appeal was received"
    appeal_grounds = forms.CharField(
        label="Grounds of appeal", widget=forms.Textarea(attrs={"rows": 4})
    )
    appeal_officer = forms.ModelChoiceField(
        label="Officer who will hear the appeal",
        queryset=User.objects.none(),
        help_text="A different officer from the one who led the review.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["appeal_officer"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(is_active=True, case_officer_roles__isnull=False)
            .exclude(pk=case.lead_officer_id or 0)
            .distinct()
            .order_by("username")
        )


class AppealDecisionForm(StepForm):
    on_label = "Date of the appeal decision"
    appeal_outcome = forms.ChoiceField(
        label="Outcome of the appeal", choices=Case.Outcome.choices, widget=forms.RadioSelect
    )
    appeal_notes = forms.CharField(label="Reasons", widget=forms.Textarea(attrs={"rows": 4}))


class EvidenceForm(forms.Form):
    """A file an officer adds to the case (a PDF, JPEG or PNG, checked by its content)."""

    file = forms.FileField(
        label="Add evidence to the case file",
        help_text="One PDF, JPEG or PNG file, such as a diary sheet, a letter or a photograph.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        evidence.check_upload(upload)
        return upload


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Add a note to the case file",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
