"""Case officers' pages: the dashboard, a case, its steps, notes and evidence.

Only partnership managers and case officers reach these pages; each case only for those who may
see it (``access``). Every view of a case and every change is written to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from cspkit.casereview.workflow import STAGE_LABELS, Step
from cspkit.web.casework import access, cases, config, evidence
from cspkit.web.casework import forms as f
from cspkit.web.casework.models import Case, Evidence
from cspkit.web.pages import HTML, Page, respond, signed_in

CONFLICT = 409
BAD_REQUEST = 400
STEP_FORMS: dict[Step, type[f.StepForm]] = {
    Step.ACKNOWLEDGE: f.AcknowledgeForm,
    Step.DECIDE: f.DecideForm,
    Step.MEETING: f.MeetingForm,
    Step.RECOMMEND: f.RecommendForm,
    Step.RESPOND: f.RespondForm,
    Step.CLOSE: f.CloseForm,
    Step.APPEAL: f.AppealForm,
    Step.APPEAL_DECISION: f.AppealDecisionForm,
}
STEP_TITLES = {
    Step.ACKNOWLEDGE: "Acknowledge the application",
    Step.DECIDE: "Record the threshold decision",
    Step.MEETING: "Record the review meeting",
    Step.RECOMMEND: "Record the review's recommendations",
    Step.RESPOND: "Record the response to the applicant",
    Step.CLOSE: "Close the case",
    Step.APPEAL: "Record an appeal",
    Step.APPEAL_DECISION: "Record the appeal decision",
}


def _caseworker(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not access.is_caseworker(user):
        raise PermissionDenied("ASB Case Reviews are open to case officers and managers only.")
    return user


def _case_for(request: HttpRequest, reference: str) -> tuple[User, Case]:
    user = _caseworker(request)
    case = get_object_or_404(Case, reference=reference)
    if not access.can_view(user, case):
        raise PermissionDenied("This case does not involve your agency.")
    return user, case


def _row(case: Case, today: Any) -> dict[str, Any]:
    due = cases.deadlines_of(case)
    missed = cases.overdue_of(case, today)
    return {
        "reference": case.reference,
        "received_on": case.received_on,
        "stage": case.get_stage_display(),
        "lead_agency": case.lead_agency.name if case.lead_agency else "",
        "acknowledge_by": due.acknowledge_by,
        "decide_by": due.decide_by,
        "meeting_by": due.meeting_by,
        "overdue": "; ".join(f"{m.stage} (due {cases.short_date(m.due)})" for m in missed),
    }


@signed_in
def dashboard(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every case the person may see, overdue ones first, with each deadline."""
    user = _caseworker(request)
    today = timezone.localdate()
    show = request.GET.get("show", "open")
    found = access.visible_cases(user).select_related("lead_agency")
    if show == "open":
        found = found.exclude(stage="closed")
    rows = [_row(c, today) for c in found]
    rows.sort(key=lambda r: (not r["overdue"], r["received_on"]))
    page = Page(
        "casework/dashboard.html",
        "ASB Case Reviews",
        {
            "rows": rows,
            "show": show,
            "overdue_count": sum(1 for r in rows if r["overdue"]),
            "today": today,
        },
        data={"today": today, "show": show, "cases": rows},
        table=rows,
    )
    return respond(request, page, fmt)


def _step_forms(user: User, case: Case, bound: tuple[Step, f.StepForm] | None) -> list[Any]:
    today = timezone.localdate()
    forms = []
    for step in cases.steps_for(user, case):
        if bound is not None and bound[0] is step:
            form = bound[1]
        else:
            initial: dict[str, Any] = {"version": case.version, "on": today}
            if step is Step.DECIDE:
                initial["meets_threshold"] = (
                    "yes" if cases.threshold_of(case).meets_threshold else "no"
                )
            if step is Step.ACKNOWLEDGE and case.lead_agency_id:
                initial["lead_agency"] = case.lead_agency_id
            kwargs: dict[str, Any] = {"case": case} if step is Step.APPEAL else {}
            form = STEP_FORMS[step](initial=initial, prefix=step.value, **kwargs)
        forms.append({"step": step.value, "title": STEP_TITLES[step], "form": form})
    return forms


def _case_page(
    request: HttpRequest,
    user: User,
    case: Case,
    bound: tuple[Step, f.StepForm] | None = None,
    note_form: f.NoteForm | None = None,
    conflict: str = "",
    evidence_form: f.EvidenceForm | None = None,
) -> Page:
    today = timezone.localdate()
    result = cases.threshold_of(case)
    due = cases.deadlines_of(case)
    complaints = list(case.complaints.select_related("agency"))
    checks = list(zip(complaints, result.complaints, strict=True))
    data = {
        **_row(case, today),
        "meets_threshold": case.meets_threshold,
        "threshold_check": result.as_data(),
        "threshold_policy": result.policy.as_data(),
        "complaints": [
            {
                "made_on": c.made_on,
                "behaviour_on": c.behaviour_on,
                "agency": str(c.agency or c.agency_other),
                "qualifies": chk.qualifies,
            }
            for c, chk in checks
        ],
        "evidence": [
            {
                "name": e.original_name,
                "content_type": e.content_type,
                "size": e.size,
                "uploaded": e.uploaded,
            }
            for e in case.evidence.all()
        ],
    }
    return Page(
        "casework/case.html",
        f"ASB Case Review {case.reference}",
        {
            "case": case,
            "result": result,
            "checks": checks,
            "due": due,
            "missed": cases.overdue_of(case, today),
            "stage_label": STAGE_LABELS[case.stage_value],
            "step_forms": _step_forms(user, case, bound),
            "note_form": note_form or f.NoteForm(),
            "notes": list(case.notes.select_related("author")),
            "evidence": list(case.evidence.all()),
            "evidence_form": evidence_form or f.EvidenceForm(),
            "can_act": access.can_act(user, case),
            "conflict": conflict,
            "policy": config.threshold_policy(),
        },
        data=data,
    )


@signed_in
def case_detail(request: HttpRequest, reference: str, fmt: str) -> HttpResponse:
    """One case: the application, the threshold check rule by rule, deadlines, steps, notes."""
    user, case = _case_for(request, reference)
    access.log(user, case, access.VIEWED, {"format": fmt})
    return respond(request, _case_page(request, user, case), fmt)


@signed_in
@require_POST
def case_step(request: HttpRequest, reference: str, step: str) -> HttpResponse:
    """Take one step; on a conflict or an error, show the page again with what was typed."""
    user, case = _case_for(request, reference)
    try:
        chosen = Step(step)
    except ValueError:
        raise Http404("no such step") from None
    kwargs: dict[str, Any] = {"case": case} if chosen is Step.APPEAL else {}
    form = STEP_FORMS[chosen](request.POST, prefix=chosen.value, **kwargs)
    if not form.is_valid():
        page = _case_page(request, user, case, bound=(chosen, form))
        return _render(request, page, BAD_REQUEST)
    try:
        cases.take_step(user, case.pk, chosen, form.cleaned_data["version"], form.cleaned_data)
    except cases.Conflict as exc:
        fresh = exc.case
        page = _case_page(request, user, fresh, bound=(chosen, form), conflict=str(exc))
        return _render(request, page, CONFLICT)
    except cases.NotAllowed as exc:
        form.add_error(None, str(exc))
        return _render(request, _case_page(request, user, case, bound=(chosen, form)), BAD_REQUEST)
    return redirect("casework-case", reference=case.reference)


def _case_to_add_to(request: HttpRequest, reference: str) -> tuple[User, Case]:
    """The signed-in officer and the case, when they may add to it (403 when they may only
    read it)."""
    user, case = _case_for(request, reference)
    if not access.can_act(user, case):
        raise PermissionDenied("You may read this case but not add to it.")
    return user, case


def _render(request: HttpRequest, page: Page, status: int) -> HttpResponse:
    response = respond(request, page, HTML)
    response.status_code = status
    return response


@signed_in
@require_POST
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a note to the case file."""
    user, case = _case_to_add_to(request, reference)
    form = f.NoteForm(request.POST)
    if not form.is_valid():
        return _render(request, _case_page(request, user, case, note_form=form), BAD_REQUEST)
    cases.add_note(user, case, form.cleaned_data["text"])
    return redirect("casework-case", reference=case.reference)


@signed_in
@require_POST
def case_evidence_add(request: HttpRequest, reference: str) -> HttpResponse:
    """Add a file to the case file (officers who may act on the case)."""
    user, case = _case_to_add_to(request, reference)
    form = f.EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        page = _case_page(request, user, case, evidence_form=form)
        return _render(request, page, BAD_REQUEST)
    cases.add_evidence(user, case, form.cleaned_data["file"])
    return redirect("casework-case", reference=case.reference)


@signed_in
def case_evidence(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Download one evidence file (as an attachment; officers of the case only)."""
    user, case = _case_for(request, reference)
    item = get_object_or_404(Evidence, pk=pk, case=case)
    path = evidence.path_of(item.stored_name)
    if not path.exists():
        raise Http404("the evidence file is missing from the evidence folder")
    access.log(user, case, access.VIEWED, {"evidence": item.pk})
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams; it is a response
