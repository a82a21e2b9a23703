"""Rate limits for the public pages, kept in the database so every server process shares them.

A client is identified by a hash of its address (the address itself is not stored). Attempts
older than the window are deleted as new ones arrive.
"""

from __future__ import annotations

import datetime
import hashlib

from django.http import HttpRequest
from django.utils import timezone

from cspkit.web.casework.models import Attempt
from cspkit.web.clients import client_address

STATUS_KIND = "status"
STATUS_REFERENCE_KIND = "status-ref"
APPLY_KIND = "apply"
#: Failed status checks allowed per client, and per reference, in the window.
STATUS_LIMIT = 10
STATUS_REFERENCE_LIMIT = 5
#: Applications accepted per client in the window.
APPLY_LIMIT = 5
WINDOW = datetime.timedelta(hours=1)


def client_key(request: HttpRequest) -> str:
    address = client_address(request) or "unknown"
    return hashlib.sha256(address.encode("utf-8")).hexdigest()


def reference_key(reference: str) -> str:
    return hashlib.sha256(reference.strip().upper().encode("utf-8")).hexdigest()


def _recent(kind: str, key: str) -> int:
    since = timezone.now() - WINDOW
    Attempt.objects.filter(kind=kind, at__lt=since).delete()
    return Attempt.objects.filter(kind=kind, key=key, at__gte=since).count()


def exceeded(kind: str, key: str, limit: int) -> bool:
    """Whether ``key`` has used up its attempts of ``kind`` in the window."""
    return _recent(kind, key) >= limit


def note(kind: str, key: str) -> None:
    Attempt.objects.create(kind=kind, key=key)
