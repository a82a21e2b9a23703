"""Django admin for plan data (partnership managers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from cspkit.web.plan import models

# Django's admin classes are generic only to the type checker (not subscriptable at run time).
if TYPE_CHECKING:
    MembershipInlineBase = admin.TabularInline[models.Membership, models.Group]
    ProgressNoteInlineBase = admin.TabularInline[models.ProgressNote, models.Action]
    ManualValueInlineBase = admin.TabularInline[models.ManualValue, models.Indicator]
    PriorityAdminBase = admin.ModelAdmin[models.Priority]
    GroupAdminBase = admin.ModelAdmin[models.Group]
    ActionAdminBase = admin.ModelAdmin[models.Action]
    IndicatorAdminBase = admin.ModelAdmin[models.Indicator]
    AuditEntryAdminBase = admin.ModelAdmin[models.AuditEntry]
else:
    MembershipInlineBase = admin.TabularInline
    ProgressNoteInlineBase = admin.TabularInline
    ManualValueInlineBase = admin.TabularInline
    PriorityAdminBase = admin.ModelAdmin
    GroupAdminBase = admin.ModelAdmin
    ActionAdminBase = admin.ModelAdmin
    IndicatorAdminBase = admin.ModelAdmin
    AuditEntryAdminBase = admin.ModelAdmin


class MembershipInline(MembershipInlineBase):
    model = models.Membership
    extra = 1


class ProgressNoteInline(ProgressNoteInlineBase):
    model = models.ProgressNote
    extra = 0


class ManualValueInline(ManualValueInlineBase):
    model = models.ManualValue
    extra = 1


@admin.register(models.Priority)
class PriorityAdmin(PriorityAdminBase):
    list_display = ("title", "kind", "plan", "order")
    list_filter = ("kind", "plan")
    prepopulated_fields = {"slug": ("title",)}  # noqa: RUF012


@admin.register(models.Group)
class GroupAdmin(GroupAdminBase):
    list_display = ("name", "kind", "chair", "chair_agency")
    list_filter = ("kind",)
    inlines = (MembershipInline,)


@admin.register(models.Action)
class ActionAdmin(ActionAdminBase):
    list_display = ("ref", "title", "group", "owner_agency", "owner", "due_date", "status")
    list_filter = ("status", "group", "priority")
    search_fields = ("ref", "title")
    inlines = (ProgressNoteInline,)


@admin.register(models.Indicator)
class IndicatorAdmin(IndicatorAdminBase):
    list_display = ("name", "source", "series_id", "area_code", "polarity", "target")
    list_filter = ("source", "polarity")
    inlines = (ManualValueInline,)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(AuditEntryAdminBase):
    list_display = ("when", "username", "change", "model", "object_repr")
    list_filter = ("change", "model")
    readonly_fields = tuple(f.name for f in models.AuditEntry._meta.fields)

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


for _model in (
    models.Partnership,
    models.PlanPeriod,
    models.Agency,
    models.Profile,
    models.FundingApplication,
):
    admin.site.register(_model)
