"""The client's address behind trusted reverse proxies: lockouts and rate limits count the
client, not the proxy, and an address a client makes up is never believed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from cspkit.web.clients import client_address
from tests.web.conftest import TEST_PASSWORD

PROXY = "10.0.0.1"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.7", PROXY),  # no trusted proxy: the header is ignored
        (1, "", PROXY),  # nothing forwarded
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "203.0.113.66, 198.51.100.7", "198.51.100.7"),  # the made-up entry is ignored
        (2, "203.0.113.66, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (2, "198.51.100.7", "198.51.100.7"),  # fewer entries than proxies: the outermost
        (1, "not an address", PROXY),
        (1, "2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.CSPKIT_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_a_request_without_an_address_has_none(settings: Any) -> None:
    # A sign-in made inside the server (force_login) has no address: the lockout table,
    # an address column on PostgreSQL, must get NULL, not a word.
    settings.CSPKIT_TRUSTED_PROXIES = 1
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_address(request) is None


def _sign_in(client: Client, username: str, password: str, address: str) -> int:
    response = client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )
    return int(response.status_code)


def test_behind_a_proxy_one_client_locked_out_does_not_lock_out_the_others(
    settings: Any, people: dict[str, Any]
) -> None:
    settings.CSPKIT_TRUSTED_PROXIES = 1
    attacker, colleague = "198.51.100.1", "198.51.100.2"
    for n in range(5):  # five accounts guessed from one address: that address is locked
        _sign_in(Client(), f"nobody{n}", "wrong password", attacker)
    assert _sign_in(Client(), "chair.person", TEST_PASSWORD, attacker) == 429
    # Through the same proxy, a colleague at another address still signs in.
    assert _sign_in(Client(), "chair.person", TEST_PASSWORD, colleague) == 302
