"""The partnership web application: the plan, live indicators, monitoring and public pages.

A Django project inside the package. ``cspkit serve`` runs it; see ``cspkit.web.server``.
"""

from __future__ import annotations

SETTINGS_MODULE = "cspkit.web.settings"
