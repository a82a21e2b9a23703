"""Public pages: the plan for residents, "Is it ASB?" and how to report. No sign-in, no
personal data: only the plan's text and area-level figures."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from cspkit.web import indicators, pagecache
from cspkit.web.pages import Page, respond
from cspkit.web.plan import serialise
from cspkit.web.public import asb, figures


def public_plan(request: HttpRequest, fmt: str) -> HttpResponse:
    """The plan in plain language, with key figures.

    Rendered once per plan and warehouse version and shared (``pagecache``).
    """
    part = pagecache.shared_part(request, "public-plan", fmt, lambda: _public_plan_page(request))
    return pagecache.respond_shared(request, part, "public/plan.html")


def _public_plan_page(request: HttpRequest) -> Page:
    plan = pagecache.current_plan(request)
    priorities = list(plan.priorities.all()) if plan else []
    public_indicators = list(plan.indicators.filter(public=True)) if plan else []
    key = figures.key_figures(indicators.statuses(public_indicators))
    return Page(
        "public/plan_body.html",
        plan.title if plan else "Community Safety Partnership Plan",
        {
            "plan": plan,
            "core": [p for p in priorities if p.kind == "core"],
            "themes": [p for p in priorities if p.kind == "theme"],
            "figures": key,
        },
        data={
            "plan": plan.title if plan else None,
            "partnership": plan.partnership.name if plan else None,
            "priorities": [serialise.priority_data(p) for p in priorities],
            "key_figures": [f.as_data() for f in key],
        },
        table=[f.as_data() for f in key],
    )


def is_it_asb(request: HttpRequest, fmt: str) -> HttpResponse:
    """The interactive triage: choose what is happening, get the answer and whom to tell."""
    chosen = asb.lookup(request.GET.get("behaviour", ""))
    rows = [
        {
            "slug": b.slug,
            "behaviour": b.label,
            "is_asb": b.is_asb,
            "tell_first": b.tell.value,
            "answer": b.answer,
        }
        for b in asb.BEHAVIOURS
    ]
    page = Page(
        "public/asb.html",
        "Is it anti-social behaviour?",
        {
            "behaviours": asb.BEHAVIOURS,
            "asb": [b for b in asb.BEHAVIOURS if b.is_asb],
            "not_asb": [b for b in asb.BEHAVIOURS if not b.is_asb],
            "chosen": chosen,
            "invalid": bool(request.GET.get("behaviour")) and chosen is None,
        },
        data=rows,
        table=rows,
    )
    return respond(request, page, fmt)


def how_to_report(request: HttpRequest, fmt: str) -> HttpResponse:
    """How to report crime and ASB, and the Community Trigger (ASB Case Review)."""
    data = {
        "emergency": "999",
        "police_non_emergency": "101",
        "crimestoppers": "0800 555 111",
        "community_trigger_threshold": figures.COMMUNITY_TRIGGER_TEXT,
    }
    page = Page(
        "public/report.html",
        "How to report crime and anti-social behaviour",
        {"data": data},
        data=data,
    )
    return respond(request, page, fmt)
