"""A real HTTP server on 127.0.0.1 serving files from memory, with Range support and faults.

Tests put bodies at paths (``server.files["/data/archive/2024-02.zip"] = b"..."``), optionally
answer queries with a function (``server.queries[path] = f``, called with the parsed query
string), ask it to cut the next answer for a path short (``server.cut_after[path] = n``: send
the full headers, then only ``n`` bytes, then close), and read what was asked
(``server.requests``).
"""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class ServerState:
    files: dict[str, bytes] = field(default_factory=dict)
    cut_after: dict[str, int] = field(default_factory=dict)
    fail_times: dict[str, int] = field(default_factory=dict)
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    queries: dict[str, Callable[[dict[str, list[str]]], bytes]] = field(default_factory=dict)
    base_url: str = ""

    def put_json(self, path: str, value: Any) -> None:
        self.files[path] = json.dumps(value).encode()


def _handler(state: ServerState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            wanted = self.headers.get("Range")
            state.requests.append((path, wanted))
            if state.fail_times.get(path, 0) > 0:
                state.fail_times[path] -= 1
                self.send_error(503)
                return
            query = state.queries.get(path)
            if query is not None:
                body: bytes | None = query(urllib.parse.parse_qs(self.path.partition("?")[2]))
            else:
                body = state.files.get(path)
            if body is None:
                self.send_error(404)
                return
            start = 0
            if wanted and wanted.startswith("bytes="):
                start = int(wanted[len("bytes=") :].split("-")[0])
                if start >= len(body):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(body)}")
                    self.end_headers()
                    return
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            else:
                self.send_response(200)
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(len(body) - start))
            self.end_headers()
            chunk = body[start:]
            cut = state.cut_after.pop(path, None)
            if cut is not None:
                self.wfile.write(chunk[:cut])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(chunk)

    return Handler


@contextmanager
def serve() -> Iterator[ServerState]:
    """Run a server on 127.0.0.1 (a free port) for the duration of the block."""
    state = ServerState()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
