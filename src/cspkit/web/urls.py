"""URL routes. Every data page is also available as .json (and .csv for tables)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLPattern, URLResolver, include, path, register_converter

from cspkit.web.monitoring import views as monitoring
from cspkit.web.monitoring.quarters import QuarterConverter
from cspkit.web.pages import data_paths
from cspkit.web.plan import auditlog, manage
from cspkit.web.plan import views as plan
from cspkit.web.public import views as public

register_converter(QuarterConverter, "quarter")

urlpatterns: list[URLPattern | URLResolver] = [
    path("", plan.home, name="home"),
    *data_paths("plan/", public.public_plan, "public-plan", table=True),
    *data_paths("is-it-asb/", public.is_it_asb, "public-asb", table=True),
    *data_paths("how-to-report/", public.how_to_report, "public-report"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    *data_paths("manage/", monitoring.dashboard, "dashboard", table=True),
    *data_paths("manage/plan/", plan.plan_overview, "plan-overview"),
    path(
        "manage/priorities/new/", manage.record_create, {"kind": "priority"}, name="priority-create"
    ),
    *data_paths("manage/priorities/<slug:slug>/", plan.priority_detail, "priority", table=True),
    *data_paths("manage/actions/", plan.action_list, "actions", table=True),
    *data_paths("manage/my-actions/", plan.my_actions, "my-actions", table=True),
    *data_paths("manage/due/", plan.due_this_quarter, "due", table=True),
    path("manage/actions/new/", manage.record_create, {"kind": "action"}, name="action-create"),
    path("manage/groups/new/", manage.record_create, {"kind": "group"}, name="group-create"),
    path(
        "manage/indicators/new/",
        manage.record_create,
        {"kind": "indicator"},
        name="indicator-create",
    ),
    path("manage/edit/<str:kind>/<int:pk>/", manage.record_edit, name="record-edit"),
    path("manage/figures/<int:pk>/", manage.indicator_value, name="indicator-value"),
    path("manage/retire/<str:kind>/<int:pk>/", manage.record_retire, name="record-retire"),
    *data_paths("manage/retired/", manage.retired_records, "retired-records", table=True),
    *data_paths("manage/people/", manage.people, "people", table=True),
    path("manage/people/invite/", manage.person_invite, name="person-invite"),
    path("manage/people/<int:pk>/", manage.person_edit, name="person"),
    path("manage/settings/", manage.partnership_settings, name="partnership-settings"),
    *data_paths("manage/actions/<int:pk>/", plan.action_detail, "action", table=True),
    path("manage/actions/<int:pk>/edit/", plan.action_edit, name="action-edit"),
    *data_paths("manage/indicators/", plan.indicator_list, "indicators", table=True),
    *data_paths("manage/indicators/<slug:slug>/", plan.indicator_detail, "indicator", table=True),
    path("manage/indicators/<slug:slug>/chart.svg", plan.indicator_chart, name="indicator-chart"),
    *data_paths("manage/groups/", plan.group_list, "groups", table=True),
    *data_paths("manage/groups/<slug:slug>/", plan.group_detail, "group", table=True),
    path(
        "manage/groups/<slug:slug>/report/<quarter:quarter>/",
        monitoring.report_form,
        name="report-form",
    ),
    *data_paths("manage/reports/", monitoring.report_list, "reports", table=True),
    *data_paths("manage/reports/<int:pk>/", monitoring.report_detail, "report", table=True),
    *data_paths("manage/funding/", plan.funding_list, "funding", table=True),
    *data_paths("manage/audit/", auditlog.audit_log, "audit", table=True),
    path("manage/board-pack/", monitoring.board_pack_index, name="board-pack-index"),
    *data_paths("manage/board-pack/<quarter:quarter>/", monitoring.board_pack, "board-pack"),
    path(
        "manage/board-pack/<quarter:quarter>.pdf",
        monitoring.board_pack,
        {"fmt": monitoring.PDF},
        name="board-pack-pdf",
    ),
    path("admin/", admin.site.urls),
    path("", include("cspkit.web.casework.urls")),
]
