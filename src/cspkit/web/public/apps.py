"""The public app: pages residents read without signing in."""

from __future__ import annotations

from django.apps import AppConfig


class PublicConfig(AppConfig):
    """Public plan, "Is it ASB?" and how to report."""

    name = "cspkit.web.public"
    label = "public"
    verbose_name = "Public pages"
