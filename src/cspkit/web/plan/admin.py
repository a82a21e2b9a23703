"""Django admin for plan data (partnership managers)."""

from __future__ import annotations

from django.contrib import admin

from cspkit.web.plan import models


class MembershipInline(admin.TabularInline):  # type: ignore[misc]
    model = models.Membership
    extra = 1


class ProgressNoteInline(admin.TabularInline):  # type: ignore[misc]
    model = models.ProgressNote
    extra = 0


class ManualValueInline(admin.TabularInline):  # type: ignore[misc]
    model = models.ManualValue
    extra = 1


@admin.register(models.Priority)
class PriorityAdmin(admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("title", "kind", "plan", "order")
    list_filter = ("kind", "plan")
    prepopulated_fields = {"slug": ("title",)}  # noqa: RUF012


@admin.register(models.Group)
class GroupAdmin(admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "kind", "chair", "chair_agency")
    list_filter = ("kind",)
    inlines = (MembershipInline,)


@admin.register(models.Action)
class ActionAdmin(admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("ref", "title", "group", "owner_agency", "owner", "due_date", "status")
    list_filter = ("status", "group", "priority")
    search_fields = ("ref", "title")
    inlines = (ProgressNoteInline,)


@admin.register(models.Indicator)
class IndicatorAdmin(admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("name", "source", "series_id", "area_code", "polarity", "target")
    list_filter = ("source", "polarity")
    inlines = (ManualValueInline,)


@admin.register(models.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):  # type: ignore[misc]
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
