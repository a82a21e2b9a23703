"""``cspkit serve --production`` stops gunicorn with it, whichever stop signal it gets."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

START_SECONDS = 60
STOP_SECONDS = 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_gunicorn(tmp_path: Path, signum: int) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CSPKIT_WEB_DB")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "cspkit", "serve", "--production", "--workers", "1"]
    command += ["--port", str(port), "--db", str(tmp_path / "cspkit.duckdb")]
    with log.open("w", encoding="utf-8") as out:
        serve = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while not _answers(port):
            assert serve.poll() is None, log.read_text(encoding="utf-8")
            assert time.monotonic() < started + START_SECONDS, "gunicorn did not start"
            time.sleep(0.25)
        stopping = time.monotonic()
        serve.send_signal(signum)
        serve.wait(timeout=STOP_SECONDS)
        print(
            f"started in {stopping - started:.1f}s, stopped in {time.monotonic() - stopping:.1f}s"
        )
        deadline = time.monotonic() + 5
        while _answers(port) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _answers(port), "gunicorn is still serving after cspkit serve stopped"
        # The first admin's password is kept in a private file, never in the server's log.
        kept = tmp_path / "cspkit-web.first-admin"
        assert kept.stat().st_mode & 0o777 == 0o600
        password = kept.read_text(encoding="utf-8").split("password: ")[1].split()[0]
        assert password not in log.read_text(encoding="utf-8")
        assert (tmp_path / "cspkit-web.sqlite3").stat().st_mode & 0o777 == 0o600
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
