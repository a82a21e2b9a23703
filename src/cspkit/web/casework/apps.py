"""The casework application."""

from __future__ import annotations

from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "cspkit.web.casework"
    label = "casework"
    verbose_name = "ASB Case Review"
