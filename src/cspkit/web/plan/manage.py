"""Partnership managers run the plan from ordinary pages: priorities, groups, actions,
indicators, people and the partnership's settings (no need for the Django admin)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cspkit.web.pages import Page, respond, signed_in
from cspkit.web.plan import editing, permissions
from cspkit.web.plan.context import current_plan
from cspkit.web.plan.forms import (
    ActionForm,
    GroupForm,
    IndicatorForm,
    InviteForm,
    ManualValueForm,
    PartnershipForm,
    PersonForm,
    PriorityForm,
)
from cspkit.web.plan.models import (
    Action,
    Group,
    Indicator,
    ManualValue,
    PlanPeriod,
    Priority,
    Profile,
    Role,
)

#: Figures listed above the form for entering a month's figure.
RECENT_VALUES = 6


def _plan() -> PlanPeriod:
    plan = current_plan()
    if plan is None:
        raise Http404("No plan has been loaded yet.")
    return plan


@dataclass(frozen=True)
class Kind:
    """A kind of plan record managers create, edit and retire from pages."""

    model: type[models.Model]
    form: type[forms.ModelForm]  # type: ignore[type-arg]
    label: str
    list_url: str
    detail: Callable[[Any], str]

    def form_for(self, plan: PlanPeriod, *args: Any, **kwargs: Any) -> forms.ModelForm:  # type: ignore[type-arg]
        """The kind's form, given the plan its choices come from."""
        if self.form is ActionForm:
            return ActionForm(*args, plan=plan, full=True, **kwargs)
        if self.form is PriorityForm:
            return PriorityForm(*args, **kwargs)
        return self.form(*args, plan=plan, **kwargs)  # type: ignore[call-arg]


KINDS: dict[str, Kind] = {
    "priority": Kind(
        Priority,
        PriorityForm,
        "priority",
        "plan-overview",
        lambda p: reverse("priority", args=[p.slug]),
    ),
    "group": Kind(Group, GroupForm, "group", "groups", lambda g: reverse("group", args=[g.slug])),
    "action": Kind(
        Action, ActionForm, "action", "actions", lambda a: reverse("action", args=[a.pk])
    ),
    "indicator": Kind(
        Indicator,
        IndicatorForm,
        "indicator",
        "indicators",
        lambda i: reverse("indicator", args=[i.slug]),
    ),
}


def _kind(name: str) -> Kind:
    if name not in KINDS:
        raise Http404(f"no such kind of record: {name}")
    return KINDS[name]


def _records(kind: Kind, plan: PlanPeriod) -> Any:
    if kind.model is Action:
        return Action.objects.filter(priority__plan=plan)
    return kind.model._default_manager.filter(plan=plan)


def _attach(record: models.Model, plan: PlanPeriod) -> None:
    if not isinstance(record, Action):
        record.plan = plan  # type: ignore[attr-defined]


@signed_in
def record_create(request: HttpRequest, kind: str) -> HttpResponse:
    """A new priority, group, action or indicator (partnership managers)."""
    permissions.require_manager(request.user, "add to the plan")
    spec, plan = _kind(kind), _plan()
    form = spec.form_for(plan, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            record = form.save(commit=False)
            _attach(record, plan)
            try:
                record.full_clean(exclude=[n for n in form.fields if n != "slug"])
            except forms.ValidationError as exc:
                form.add_error(None, exc)
            else:
                record.save()
                form.save_m2m()
                if isinstance(form, GroupForm):
                    form.save_members(record)
                return redirect(spec.detail(record))
    return editing.form_page(
        request,
        form,
        title=f"Add a {spec.label}",
        submit=f"Add the {spec.label}",
        cancel=reverse(spec.list_url),
    )


@signed_in
def record_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Edit a priority, group or indicator (partnership managers), under version control."""
    permissions.require_manager(request.user, "change the plan")
    spec, plan = _kind(kind), _plan()
    if spec.model is Action:
        return redirect("action-edit", pk=pk)
    record = get_object_or_404(_records(spec, plan), pk=pk)
    form = spec.form_for(plan, request.POST or None, instance=record)
    conflict = None
    if request.method == "POST" and form.is_valid():

        def save(stored: models.Model) -> models.Model:
            saved: models.Model = form.save()
            if isinstance(form, GroupForm) and isinstance(saved, Group):
                form.save_members(saved)
            return saved

        saved, conflict = editing.save_if_current(spec.model, record.pk, form, save)
        if saved is not None:
            return redirect(spec.detail(saved))
    return editing.form_page(
        request,
        form,
        title=f"Edit {record}",
        submit="Save changes",
        cancel=spec.detail(record),
        conflict=conflict,
    )


@signed_in
def record_retire(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Retire a record (kept in the history, hidden from lists), or bring it back."""
    permissions.require_manager(request.user, "retire plan records")
    spec, plan = _kind(kind), _plan()
    record = get_object_or_404(_records(spec, plan), pk=pk)
    if request.method == "POST":
        record.retired = not record.retired
        record.save()
        return redirect(spec.list_url if record.retired else spec.detail(record))
    return render(
        request,
        "plan/retire.html",
        {
            "record": record,
            "spec": spec,
            "title": f"{'Bring back' if record.retired else 'Retire'} {record}",
            "cancel": reverse("retired-records") if record.retired else spec.detail(record),
        },
    )


#: Where a retired record can still be looked at (a retired group, priority or indicator has
#: no page of its own until it is brought back).
_SHOWN_WHEN_RETIRED = (Action,)


@signed_in
def retired_records(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every retired priority, group, action and indicator of the plan, each with a link to
    bring it back (partnership managers)."""
    permissions.require_manager(request.user, "see retired plan records")
    plan = _plan()
    rows = [
        {
            "kind": spec.label,
            "id": record.pk,
            "name": str(record),
            "link": spec.detail(record) if spec.model in _SHOWN_WHEN_RETIRED else "",
            "bring_back": reverse("record-retire", args=[name, record.pk]),
        }
        for name, spec in KINDS.items()
        for record in _records(spec, plan).filter(retired=True).order_by("pk")
    ]
    page = Page("plan/retired.html", "Retired records", {"rows": rows}, rows, rows)
    return respond(request, page, fmt)


@signed_in
def indicator_value(request: HttpRequest, pk: int) -> HttpResponse:
    """Enter a month's figure of a partner measure (partnership managers)."""
    permissions.require_manager(request.user, "enter indicator figures")
    indicator = get_object_or_404(Indicator, pk=pk, plan=_plan(), source=Indicator.Source.MANUAL)
    form = ManualValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        ManualValue.objects.update_or_create(
            indicator=indicator,
            month=c["month"].replace(day=1),
            defaults={"value": c["value"], "note": c["note"]},
        )
        return redirect("indicator", slug=indicator.slug)
    recent = list(indicator.values.order_by("-month")[:RECENT_VALUES])
    return editing.form_page(
        request,
        form,
        title=f"Enter a figure: {indicator.name}",
        intro=(
            "Latest figures: "
            + ("; ".join(f"{v.month:%B %Y} {v.value:g}" for v in recent) or "none yet")
            + ". Entering a month again replaces its figure (the audit log keeps both)."
        ),
        submit="Save the figure",
        cancel=reverse("indicator", args=[indicator.slug]),
    )


@signed_in
def people(request: HttpRequest, fmt: str) -> HttpResponse:
    """Everyone who may sign in, with their role and agency (partnership managers)."""
    permissions.require_manager(request.user, "manage people")
    users = list(User.objects.select_related("profile", "profile__agency").order_by("username"))
    rows = [
        {
            "id": u.pk,
            "username": u.username,
            "name": u.get_full_name(),
            "email": u.email,
            "role": permissions.role_of(u),
            "agency": str(getattr(getattr(u, "profile", None), "agency", None) or ""),
            "active": u.is_active,
            "last_login": u.last_login,
        }
        for u in users
    ]
    page = Page("plan/people.html", "People", {"people": users, "rows": rows}, rows, rows)
    return respond(request, page, fmt)


def _invite(request: HttpRequest, user: User) -> None:
    """Email the new person a link to choose their password."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(
        reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    )
    plan = current_plan()
    site = plan.partnership.name if plan else "the partnership"
    send_mail(
        f"You have been invited to {site}'s plan",
        f"Hello {user.get_full_name() or user.username},\n\n"
        f"You have an account for {site}'s Partnership Plan. Your username is {user.username}.\n"
        f"Choose your password here (the link works once, for three days):\n\n{link}\n",
        None,
        [user.email],
    )


@signed_in
def person_invite(request: HttpRequest) -> HttpResponse:
    """Invite a person with a role: they get an email with a link to set their password."""
    permissions.require_manager(request.user, "invite people")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        with transaction.atomic():
            user = User.objects.create_user(
                c["username"],
                email=c["email"],
                first_name=c["first_name"],
                last_name=c["last_name"],
            )
            Profile.objects.create(user=user, role=c["role"], agency=c["agency"])
        _invite(request, user)
        return redirect("people")
    return editing.form_page(
        request,
        form,
        title="Invite a person",
        intro="They receive an email with a link to choose their password.",
        submit="Send the invitation",
        cancel=reverse("people"),
    )


@signed_in
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a person's role and agency, or close their account. A manager who is demoted
    loses the admin site at once."""
    permissions.require_manager(request.user, "change people's roles")
    person = get_object_or_404(User, pk=pk)
    profile, _ = Profile.objects.get_or_create(user=person)
    initial = {
        "role": permissions.role_of(person) if person.is_superuser else profile.role,
        "agency": profile.agency,
        "is_active": person.is_active,
    }
    form = PersonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _keeps_a_manager(form, person):
        c = form.cleaned_data
        with transaction.atomic():
            profile.role = c["role"]
            profile.agency = c["agency"]
            profile.save()
            if person.is_active != c["is_active"]:
                person.is_active = c["is_active"]
                person.save(update_fields=["is_active"])
        return redirect("people")
    return editing.form_page(
        request,
        form,
        title=f"{person.get_full_name() or person.username}",
        intro=(
            "Partnership managers may do everything, the admin site included; a chair is the "
            "person named as a group's chair."
        ),
        submit="Save",
        cancel=reverse("people"),
    )


def _keeps_a_manager(form: PersonForm, person: User) -> bool:
    """False (with a form error) when the change would leave no active partnership manager."""
    c = form.cleaned_data
    if c["role"] == Role.MANAGER and c["is_active"]:
        return True
    others = User.objects.filter(is_active=True, is_superuser=True).exclude(pk=person.pk)
    if others.exists():
        return True
    form.add_error(
        "role", "The partnership needs at least one active manager: appoint another first."
    )
    return False


@signed_in
def partnership_settings(request: HttpRequest) -> HttpResponse:
    """The partnership's name, area, police force, council, reporting links and contacts."""
    permissions.require_manager(request.user, "change the partnership's settings")
    partnership = _plan().partnership
    form = PartnershipForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("dashboard")
    return editing.form_page(
        request,
        form,
        title="Partnership settings",
        intro="Every page, the public ones included, takes these details from here.",
        submit="Save settings",
        cancel=reverse("dashboard"),
    )
