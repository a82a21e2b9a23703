"""Public pages: what a Case Review is, the application, its status, the annual figures.

No sign-in. The application is protected by CSRF (Django's middleware), a honeypot field and
a rate limit per client; the status page shows nothing without both the reference and the
secret, and failed attempts are limited per client and per reference.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cspkit.casereview.publication import publication, reporting_year
from cspkit.casereview.workflow import STAGE_LABELS, Stage, reached
from cspkit.errors import InputError
from cspkit.web.casework import cases, ratelimit
from cspkit.web.casework.forms import ApplicationForm, ComplaintFormSet, StatusForm
from cspkit.web.casework.models import Case
from cspkit.web.pages import Page, respond

RECEIVED_SESSION_KEY = "casework_received"
TOO_MANY = 429
BAD_REQUEST = 400
#: The stages an applicant sees on the status page, in order.
PUBLIC_STAGES = (
    (Stage.RECEIVED, "We received your application"),
    (Stage.ACKNOWLEDGED, "We acknowledged it"),
    (Stage.DECIDED, "We decided whether it meets the threshold for a review"),
    (Stage.RESPONDED, "We sent you our response"),
    (Stage.CLOSED, "The case is closed"),
)


def about(request: HttpRequest) -> HttpResponse:
    """What an ASB Case Review is, who can apply and the threshold."""
    from cspkit.web.casework import config

    policy = config.threshold_policy()
    return render(
        request,
        "casework/about.html",
        {
            "title": "Ask for an ASB Case Review",
            "policy": policy,
            "deadlines": config.deadline_policy(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The application form: the applicant, the behaviour, each complaint, the impact."""
    status = 200
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES)
        formset = ComplaintFormSet(request.POST, prefix="complaint")
        key = ratelimit.client_key(request)
        if ratelimit.exceeded(ratelimit.APPLY_KIND, key, ratelimit.APPLY_LIMIT):
            form.add_error(
                None,
                "Too many applications have been sent from this connection in "
                "the last hour. Please try again later or telephone us.",
            )
            status = TOO_MANY
        elif form.is_spam:
            form.add_error(None, "Your application could not be sent. Please telephone us.")
            status = BAD_REQUEST
        elif form.is_valid() and formset.is_valid():
            complaints = [f.cleaned_data for f in formset.forms if f.filled]
            received = cases.receive(form.cleaned_data, complaints, form.cleaned_data["evidence"])
            ratelimit.note(ratelimit.APPLY_KIND, key)
            request.session[RECEIVED_SESSION_KEY] = {
                "reference": received.reference,
                "secret": received.secret,
            }
            return redirect("casework-applied")
        else:
            status = BAD_REQUEST
    else:
        form = ApplicationForm()
        formset = ComplaintFormSet(prefix="complaint")
    context: dict[str, Any] = {
        "title": "Apply for an ASB Case Review",
        "form": form,
        "formset": formset,
    }
    return render(request, "casework/apply.html", context, status=status)


@never_cache
def applied(request: HttpRequest) -> HttpResponse:
    """The confirmation, shown once: the reference and the secret for status checks."""
    received = request.session.pop(RECEIVED_SESSION_KEY, None)
    if received is None:
        return redirect("casework-status")
    return render(request, "casework/applied.html", {"title": "Application received", **received})


def _timeline(case: Case) -> list[dict[str, Any]]:
    dates = {
        Stage.RECEIVED: case.received_on,
        Stage.ACKNOWLEDGED: case.acknowledged_on,
        Stage.DECIDED: case.decided_on,
        Stage.RESPONDED: case.responded_on,
        Stage.CLOSED: case.closed_on,
    }
    return [
        {
            "label": label,
            "done": reached(case.stage_value, stage) and dates[stage] is not None,
            "on": dates[stage],
        }
        for stage, label in PUBLIC_STAGES
    ]


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Check an application's progress with its reference and secret."""
    form = StatusForm(request.POST or None)
    found: Case | None = None
    code = 200
    if request.method == "POST" and form.is_valid():
        client = ratelimit.client_key(request)
        ref_key = ratelimit.reference_key(form.cleaned_data["reference"])
        if ratelimit.exceeded(ratelimit.STATUS_KIND, client, ratelimit.STATUS_LIMIT) or (
            ratelimit.exceeded(
                ratelimit.STATUS_REFERENCE_KIND, ref_key, ratelimit.STATUS_REFERENCE_LIMIT
            )
        ):
            form.add_error(
                None, "Too many attempts. Please wait an hour and try again, or telephone us."
            )
            code = TOO_MANY
        else:
            reference = form.cleaned_data["reference"].strip().upper()
            case = Case.objects.filter(reference=reference, anonymised_at__isnull=True).first()
            if case is not None and case.secret_matches(form.cleaned_data["secret"]):
                found = case
            else:
                ratelimit.note(ratelimit.STATUS_KIND, client)
                ratelimit.note(ratelimit.STATUS_REFERENCE_KIND, ref_key)
                form.add_error(
                    None,
                    "We could not find an application with that reference "
                    "and secret code. Check both and try again.",
                )
                code = BAD_REQUEST
    context: dict[str, Any] = {"title": "Check your application", "form": form}
    if found is not None:
        context.update(
            {
                "case": found,
                "stage_label": STAGE_LABELS[found.stage_value],
                "timeline": _timeline(found),
                "due": cases.deadlines_of(found),
                "today": timezone.localdate(),
            }
        )
    return render(request, "casework/status.html", context, status=code)


def figures(request: HttpRequest, fmt: str) -> HttpResponse:
    """The annual publication: counts and median working days, small numbers suppressed."""
    default = str(timezone.localdate().year - 1)
    text = request.GET.get("year", default)
    try:
        year = reporting_year(text)
        error = ""
    except InputError as exc:
        year, error = reporting_year(default), str(exc)
    records = [c.record() for c in Case.objects.all()]
    pub = publication(records, year)
    rows = pub.rows()
    years = sorted({c.received_on.year for c in Case.objects.only("received_on")}, reverse=True)
    page = Page(
        "casework/figures.html",
        f"ASB Case Reviews: figures for {year.label}",
        {"pub": pub, "error": error, "years": years, "year_text": year.label},
        data={
            "year": year.label,
            "start": year.start,
            "end": year.end,
            "suppression_threshold": pub.threshold,
            "figures": rows,
        },
        table=rows,
    )
    return respond(request, page, fmt)
