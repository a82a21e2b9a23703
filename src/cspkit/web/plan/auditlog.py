"""The audit log pages: every change, filtered by record type, person, kind of change and
date, paged on screen; the JSON and CSV versions hold every entry the filters select."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from cspkit.web.pages import HTML, Page, respond, signed_in
from cspkit.web.plan import permissions, serialise
from cspkit.web.plan.forms import date_input
from cspkit.web.plan.models import AuditEntry

AUDIT_PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    """Filters above the audit log (a GET form, so a filtered view can be shared)."""

    record = forms.ChoiceField(label="Record type", required=False)
    user = forms.CharField(label="Who", required=False, help_text="Username")
    change = forms.ChoiceField(
        choices=(("", "Any"), *AuditEntry.Change.choices), required=False, label="Change"
    )
    since = forms.DateField(label="From", required=False, widget=date_input())
    until = forms.DateField(label="To", required=False, widget=date_input())
    q = forms.CharField(label="Record contains", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = AuditEntry.objects.order_by("model").values_list("model", flat=True).distinct()
        self.fields["record"].choices = [("", "Any"), *((k, k) for k in kinds)]  # type: ignore[attr-defined]

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """The entries that pass every filter given."""
        if not self.is_valid():
            return entries
        c = self.cleaned_data
        if c.get("record"):
            entries = entries.filter(model=c["record"])
        if c.get("user"):
            entries = entries.filter(username__iexact=str(c["user"]).strip())
        if c.get("change"):
            entries = entries.filter(change=c["change"])
        if c.get("since"):
            entries = entries.filter(when__date__gte=c["since"])
        if c.get("until"):
            entries = entries.filter(when__date__lte=c["until"])
        if c.get("q"):
            entries = entries.filter(object_repr__icontains=str(c["q"]).strip())
        return entries


@signed_in
def audit_log(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every change to plan data (partnership managers only)."""
    permissions.require_manager(request.user, "read the audit log")
    filters = AuditFilterForm(request.GET or None)
    entries = filters.apply(AuditEntry.objects.all())
    if fmt != HTML:
        rows = [serialise.audit_row(e) for e in entries.iterator()]
        return respond(request, Page("plan/audit.html", "Audit log", {}, rows, rows), fmt)
    shown = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    rows = [serialise.audit_row(e) for e in shown]
    page = Page(
        "plan/audit.html",
        "Audit log",
        {"entries": shown, "filters": filters, "query": query.urlencode()},
        rows,
        rows,
    )
    return respond(request, page, fmt)
