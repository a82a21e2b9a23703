"""The casework application."""

from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "cspkit.web.casework"
    label = "casework"
    verbose_name = "ASB Case Review"

    def ready(self) -> None:
        """Overdue cases join the reminders sent by ``cspkit remind``."""
        from cspkit.web import reminders
        from cspkit.web.casework.reminders import overdue_case_reminders

        reminders.register(overdue_case_reminders)
