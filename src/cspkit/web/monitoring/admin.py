"""Django admin for quarterly reports."""

from __future__ import annotations

from django.contrib import admin

from cspkit.web.monitoring import models


class ActionReportInline(admin.TabularInline):  # type: ignore[misc]
    model = models.ActionReport
    extra = 0


class CommentaryInline(admin.TabularInline):  # type: ignore[misc]
    model = models.IndicatorCommentary
    extra = 0


@admin.register(models.QuarterlyReport)
class QuarterlyReportAdmin(admin.ModelAdmin):  # type: ignore[misc]
    list_display = ("group", "year", "quarter", "submitted_by", "submitted_at")
    list_filter = ("year", "quarter")
    inlines = (
        ActionReportInline,
        CommentaryInline,
    )
