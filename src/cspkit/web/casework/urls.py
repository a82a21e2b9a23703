"""Routes of the ASB Case Review pages (included from cspkit.web.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from cspkit.web.casework import public_views, views
from cspkit.web.pages import data_paths

urlpatterns: list[URLPattern] = [
    path("asb-case-review/", public_views.about, name="casework-about"),
    path("asb-case-review/apply/", public_views.apply, name="casework-apply"),
    path("asb-case-review/applied/", public_views.applied, name="casework-applied"),
    path("asb-case-review/status/", public_views.status, name="casework-status"),
    *data_paths("asb-case-review/figures/", public_views.figures, "casework-figures", table=True),
    *data_paths("manage/cases/", views.dashboard, "casework-dashboard", table=True),
    *data_paths("manage/cases/<str:reference>/", views.case_detail, "casework-case"),
    path("manage/cases/<str:reference>/step/<str:step>/", views.case_step, name="casework-step"),
    path("manage/cases/<str:reference>/note/", views.case_note, name="casework-note"),
    path(
        "manage/cases/<str:reference>/evidence/add/",
        views.case_evidence_add,
        name="casework-evidence-add",
    ),
    path(
        "manage/cases/<str:reference>/evidence/<int:pk>/",
        views.case_evidence,
        name="casework-evidence",
    ),
]
