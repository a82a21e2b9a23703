"""The plan app: partnership, priorities, groups, actions, indicators, funding, audit log."""

from __future__ import annotations

from django.apps import AppConfig


class PlanConfig(AppConfig):
    """Connects the audit log's signal handlers when Django starts."""

    name = "cspkit.web.plan"
    label = "plan"
    verbose_name = "Partnership plan"

    def ready(self) -> None:
        from cspkit.web.plan import audit

        audit.connect()
