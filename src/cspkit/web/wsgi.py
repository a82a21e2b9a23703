"""WSGI entry point used by gunicorn (``cspkit serve --production``).

Loading this module also loads the URL configuration and with it every view and the
statistics they use, so a worker's first request costs no more than any other.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from cspkit.web.files import ensure_private_web_db, ensure_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspkit.web.settings")
ensure_secret_key()
if not os.environ.get("DATABASE_URL"):
    ensure_private_web_db()

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports the views now rather than on a request
