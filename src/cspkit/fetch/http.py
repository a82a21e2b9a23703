"""HTTP for fetching public data: an injectable client, a rate limit, retries, resumable downloads.

The client is a small protocol (:class:`HttpClient`) so that callers never build connections
themselves: the command line uses :class:`UrllibClient` (the standard library), and tests
point the same code at a real server on 127.0.0.1. Every request waits for the
:class:`RateLimiter` (data.police.uk allows 15 requests a second), failures that may pass
(connection errors, 429 and 5xx answers, a body cut short) are retried with exponential
backoff, and a download continues from the bytes already on disk with a ``Range`` request.

Example::

    client = UrllibClient()
    download(client, "https://data.police.uk/data/archive/2025-06.zip", Path("2025-06.zip"))
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPException
from pathlib import Path
from typing import Any, Protocol

from cspkit import __version__
from cspkit.errors import CspkitError

REQUESTS_PER_SECOND = 15.0
"""data.police.uk's rate limit (requests per second, sustained)."""
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 1.0
"""The first retry waits this long; each further retry waits twice as long."""
CHUNK_BYTES = 1 << 16
TIMEOUT_SECONDS = 60.0
USER_AGENT = f"cspkit/{__version__}"
PARTIAL_SUFFIX = ".part"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

Progress = Callable[[str, int, int], None]


class FetchError(CspkitError):
    """A download or API call failed for good (after retries), or returned unusable data."""


class TransientError(Exception):
    """A failure worth retrying."""


class Response(Protocol):
    """What a client returns: a status, headers and a body read in chunks."""

    status: int
    headers: Mapping[str, str]

    def read(self, size: int = -1) -> bytes: ...

    def close(self) -> None: ...


class HttpClient(Protocol):
    """Sends one GET request; raises OSError for a failed connection."""

    def get(self, url: str, headers: Mapping[str, str]) -> Response: ...


@dataclass
class _UrllibResponse:
    status: int
    headers: Mapping[str, str]
    _raw: Any

    def read(self, size: int = -1) -> bytes:
        data: bytes = self._raw.read(size)
        return data

    def close(self) -> None:
        self._raw.close()


class UrllibClient:
    """The standard library's HTTP client; HTTP errors come back as responses, not raised."""

    def __init__(self, timeout: float = TIMEOUT_SECONDS) -> None:
        self.timeout = timeout

    def get(self, url: str, headers: Mapping[str, str]) -> Response:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, **headers})
        try:
            raw = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            return _UrllibResponse(exc.code, dict(exc.headers.items()), exc)
        return _UrllibResponse(raw.status, dict(raw.headers.items()), raw)


@dataclass
class RateLimiter:
    """At most ``rate`` requests per second, spaced evenly (thread-safe)."""

    rate: float = REQUESTS_PER_SECOND
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            start = max(now, self._next)
            self._next = start + 1.0 / self.rate
        if start > now:
            self.sleep(start - now)


@dataclass
class Fetcher:
    """A client with a rate limit and a retry policy: what every fetch uses."""

    client: HttpClient
    limiter: RateLimiter = field(default_factory=RateLimiter)
    attempts: int = MAX_ATTEMPTS
    backoff: float = BACKOFF_SECONDS
    sleep: Callable[[float], None] = time.sleep

    @contextmanager
    def _request(self, url: str, headers: Mapping[str, str]) -> Iterator[Response]:
        self.limiter.wait()
        try:
            response = self.client.get(url, headers)
        except (OSError, HTTPException) as exc:
            raise TransientError(f"{url}: {exc}") from exc
        try:
            if response.status in RETRY_STATUSES:
                raise TransientError(f"{url}: HTTP {response.status}")
            if response.status >= 400:
                raise FetchError(f"{url}: HTTP {response.status}")
            yield response
        finally:
            response.close()

    def _retrying(self, what: str, attempt: Callable[[], Any]) -> Any:
        delay = self.backoff
        for number in range(1, self.attempts + 1):
            try:
                return attempt()
            except TransientError as exc:
                if number == self.attempts:
                    raise FetchError(
                        f"{what} failed after {self.attempts} attempts: {exc}; what was "
                        "downloaded is kept and the next fetch continues from it"
                    ) from exc
                self.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def get_json(self, url: str) -> Any:
        """GET ``url`` and parse its JSON body (FetchError naming the URL if it is not JSON)."""

        def attempt() -> Any:
            with self._request(url, {"Accept": "application/json"}) as response:
                body = response.read()
            try:
                return json.loads(body)
            except ValueError as exc:
                raise FetchError(f"{url}: the answer is not JSON ({exc})") from exc

        return self._retrying(f"GET {url}", attempt)

    def download(self, url: str, dest: Path, progress: Progress | None = None) -> Path:
        """Download ``url`` to ``dest``, continuing a partial download left by an earlier run.

        Bytes arrive in ``dest.part``; the file is renamed to ``dest`` only when complete, so
        ``dest`` existing means a whole file. Returns ``dest``.
        """
        if dest.exists():
            return dest
        part = dest.with_name(dest.name + PARTIAL_SUFFIX)
        dest.parent.mkdir(parents=True, exist_ok=True)

        def attempt() -> None:
            have = part.stat().st_size if part.exists() else 0
            headers = {"Range": f"bytes={have}-"} if have else {}
            with self._request(url, headers) as response:
                if response.status == 416 and have:
                    return  # the partial file is already the whole file
                if response.status == 206 and have:
                    total = _total_from_range(response.headers, have)
                    mode = "ab"
                else:  # 200: the server ignored the range; start again
                    have = 0
                    length = _header(response.headers, "Content-Length")
                    total = int(length) if length and length.isdigit() else None
                    mode = "wb"
                done = have
                with part.open(mode) as handle:
                    try:
                        while chunk := response.read(CHUNK_BYTES):
                            handle.write(chunk)
                            done += len(chunk)
                            if progress is not None:
                                progress(f"downloading {dest.name}", done, total or done)
                    except (OSError, HTTPException) as exc:
                        raise TransientError(f"{url}: connection lost at byte {done}") from exc
                if total is not None and done < total:
                    raise TransientError(f"{url}: got {done:,} of {total:,} bytes")

        self._retrying(f"downloading {url}", attempt)
        part.replace(dest)
        return dest


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None


def _total_from_range(headers: Mapping[str, str], have: int) -> int | None:
    """The full size from ``Content-Range: bytes START-END/TOTAL``; checks START == have."""
    value = _header(headers, "Content-Range") or ""
    try:
        unit_range, total = value.split("/")
        start = int(unit_range.split()[-1].split("-")[0])
    except (ValueError, IndexError) as exc:
        raise TransientError(f"unusable Content-Range {value!r}") from exc
    if start != have:
        raise TransientError(f"asked for bytes from {have}, the server sent from {start}")
    return int(total) if total.isdigit() else None
