"""Django admin for quarterly reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from cspkit.web.monitoring import models

# Django's admin classes are generic only to the type checker (not subscriptable at run time).
if TYPE_CHECKING:
    ActionReportInlineBase = admin.TabularInline[models.ActionReport, models.QuarterlyReport]
    CommentaryInlineBase = admin.TabularInline[models.IndicatorCommentary, models.QuarterlyReport]
    QuarterlyReportAdminBase = admin.ModelAdmin[models.QuarterlyReport]
else:
    ActionReportInlineBase = admin.TabularInline
    CommentaryInlineBase = admin.TabularInline
    QuarterlyReportAdminBase = admin.ModelAdmin


class ActionReportInline(ActionReportInlineBase):
    model = models.ActionReport
    extra = 0


class CommentaryInline(CommentaryInlineBase):
    model = models.IndicatorCommentary
    extra = 0


@admin.register(models.QuarterlyReport)
class QuarterlyReportAdmin(QuarterlyReportAdminBase):
    list_display = ("group", "year", "quarter", "submitted_by", "submitted_at")
    list_filter = ("year", "quarter")
    inlines = (
        ActionReportInline,
        CommentaryInline,
    )
