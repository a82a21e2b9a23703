"""Django admin: partnership managers appoint case officers here.

Cases themselves are not in the admin site: they are handled on the casework pages, where
every view and change is checked against the agencies involved and written to the audit log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.http import HttpRequest

from cspkit.web.casework.access import log_officer_change
from cspkit.web.casework.models import CaseOfficer

if TYPE_CHECKING:
    CaseOfficerAdminBase = admin.ModelAdmin[CaseOfficer]
else:  # generic only to the type checker
    CaseOfficerAdminBase = admin.ModelAdmin


@admin.register(CaseOfficer)
class CaseOfficerAdmin(CaseOfficerAdminBase):
    list_display = ("user", "agency")
    list_filter = ("agency",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "agency__name")

    def save_model(self, request: HttpRequest, obj: CaseOfficer, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_officer_change(request.user, obj, "updated" if change else "created")

    def delete_model(self, request: HttpRequest, obj: CaseOfficer) -> None:
        log_officer_change(request.user, obj, "deleted")
        super().delete_model(request, obj)
