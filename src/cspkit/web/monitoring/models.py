"""Quarterly reports filed by sub-group chairs before each board meeting."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from cspkit.web.monitoring.quarters import Quarter
from cspkit.web.plan.models import Action, ActionStatus, Group, Indicator, Versioned


class QuarterlyReport(Versioned):
    """A group's report for one financial quarter."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveIntegerField(help_text="Financial year start, e.g. 2024 for 2024/25")
    quarter = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True, help_text="Highlights of the quarter")
    risks = models.TextField(blank=True, help_text="Risks and issues for the board")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = (
            "-year",
            "-quarter",
            "group__name",
        )
        unique_together = (("group", "year", "quarter"),)

    def __str__(self) -> str:
        return f"{self.group} {self.period.slug}"

    @property
    def period(self) -> Quarter:
        """The quarter reported on."""
        return Quarter(self.year, self.quarter)


class ActionReport(models.Model):
    """Per action: status, progress and risks at the quarter."""

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="actions")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(max_length=20, choices=ActionStatus.choices)
    progress = models.TextField(blank=True)
    risks = models.TextField(blank=True)

    class Meta:
        ordering = ("action__ref",)
        unique_together = (("report", "action"),)

    def __str__(self) -> str:
        return f"{self.report} {self.action.ref}"


class IndicatorCommentary(models.Model):
    """Per indicator: the group's commentary on the figures."""

    report = models.ForeignKey(
        QuarterlyReport, on_delete=models.CASCADE, related_name="commentaries"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    commentary = models.TextField(blank=True)

    class Meta:
        ordering = ("indicator__name",)
        unique_together = (("report", "indicator"),)
        verbose_name_plural = "indicator commentaries"

    def __str__(self) -> str:
        return f"{self.report} {self.indicator.slug}"
