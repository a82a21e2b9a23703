"""The monitoring app: quarterly reports, the partnership dashboard and the board pack."""

from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Quarterly monitoring of the plan."""

    name = "cspkit.web.monitoring"
    label = "monitoring"
    verbose_name = "Quarterly monitoring"
