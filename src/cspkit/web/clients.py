"""The address a request came from, also behind reverse proxies the partnership trusts.

Sign-in lockouts and the public pages' rate limits count attempts per client address. Behind
a reverse proxy every request arrives from the proxy; each proxy adds the address it received
the request from to ``X-Forwarded-For``. With ``CSPKIT_TRUSTED_PROXIES`` set to the number of
proxies in front of the application, the client is the address the outermost of them saw:
that many entries from the right of the header. Entries further left are whatever the client
sent, so they are never believed.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

FORWARDED_FOR = "HTTP_X_FORWARDED_FOR"


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the peer's, or behind trusted proxies the one they forwarded.

    None for a request that carries no address (one made inside the server, such as a
    sign-in by a test or a management command)."""
    peer = str(request.META.get("REMOTE_ADDR", "") or "") or None
    proxies = int(getattr(settings, "CSPKIT_TRUSTED_PROXIES", 0))
    if proxies <= 0:
        return peer
    chain = [a.strip() for a in str(request.META.get(FORWARDED_FOR, "")).split(",")]
    chain = [a for a in chain if a]
    if not chain:
        return peer
    forwarded = chain[-proxies] if len(chain) >= proxies else chain[0]
    return forwarded if _valid(forwarded) else peer
