"""WSGI entry point used by gunicorn (``cspkit serve --production``)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from cspkit.web.files import ensure_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cspkit.web.settings")
ensure_secret_key()

application = get_wsgi_application()
