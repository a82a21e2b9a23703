"""Load check of the web application (not a test): concurrent clients on loopback.

Starts gunicorn (as ``cspkit serve --production`` does) against SQLite and then against a
private PostgreSQL server, signs in, and has N concurrent clients request the dashboard, an
indicator page and the public plan page. Each run is bounded by a request count and a time
limit and stops by itself. Writes p50/p95 latency and the error count per database to
benchmarks/results/web.json.

    python benchmarks/web.py --clients 50 --requests 1500 --db cspkit-demo/cspkit.duckdb
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from cspkit.web import server
from cspkit.web.tempdb import TempPostgres, free_port

HOST = "127.0.0.1"
PATHS = ("/manage/", "/manage/indicators/anti-social-behaviour/", "/plan/")
USERNAME = "bench.manager"
PASSWORD = "benchmark password only 1"
STARTUP_TIMEOUT_SECONDS = 60
REQUEST_TIMEOUT_SECONDS = 30
WARMUP_ROUNDS = 3
RESULTS = Path(__file__).resolve().parent / "results" / "web.json"
PERCENT = 100


def _prepare(env: dict[str, str]) -> None:
    code = (
        "from cspkit.web import server; server.setup(); server.migrate(); "
        "server.ensure_example_plan(); "
        f"server.create_admin({USERNAME!r}, {PASSWORD!r})"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/plan/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not start on port {port}")


def _sign_in(port: int) -> str:
    """Sign in through the form (with its CSRF token); return the Cookie header.

    Like a browser, the clients then send back both cookies the server set: the session and
    the CSRF cookie (renewed at sign-in), so pages with forms reuse the CSRF secret.
    """
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if csrf_cookie is None or token is None:
        raise RuntimeError("no CSRF token on the sign-in page")
    body = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    conn.request(
        "POST",
        "/accounts/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie.group(1)}",
            "Referer": f"http://{HOST}:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    set_cookie = response.getheader("Set-Cookie", "")
    session = re.search(r"sessionid=([^;]+)", set_cookie)
    renewed = re.search(r"csrftoken=([^;]+)", set_cookie)
    if response.status != 302 or session is None:
        raise RuntimeError(f"sign-in failed with status {response.status}")
    csrf = (renewed or csrf_cookie).group(1)
    return f"csrftoken={csrf}; sessionid={session.group(1)}"


def _load(port: int, cookie: str, clients: int, total: int, seconds: float) -> dict[str, Any]:
    lock = threading.Lock()
    issued = 0
    latencies: dict[str, list[float]] = {p: [] for p in PATHS}
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        nonlocal issued
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
        n = index
        while time.monotonic() < deadline:
            with lock:
                if issued >= total:
                    break
                issued += 1
            path = PATHS[n % len(PATHS)]
            n += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                ok = response.status == http.HTTPStatus.OK
                detail = f"{path}: HTTP {response.status}"
            except (OSError, http.client.HTTPException) as exc:
                ok, detail = False, f"{path}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies[path].append(elapsed)
                else:
                    errors.append(detail)
        conn.close()

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(client, range(clients)))
    duration = time.monotonic() - began
    everything = [v for values in latencies.values() for v in values]

    def pct(values: list[float], q: int) -> float | None:
        if len(values) < 2:
            return values[0] if values else None
        return round(statistics.quantiles(values, n=PERCENT, method="inclusive")[q - 1], 1)

    return {
        "clients": clients,
        "requests": len(everything) + len(errors),
        "errors": len(errors),
        "error_examples": errors[:5],
        "duration_s": round(duration, 2),
        "requests_per_s": round((len(everything) + len(errors)) / duration, 1),
        "p50_ms": pct(everything, 50),
        "p95_ms": pct(everything, 95),
        "by_path": {
            p: {"requests": len(v), "p50_ms": pct(v, 50), "p95_ms": pct(v, 95)}
            for p, v in latencies.items()
        },
    }


def run_backend(
    name: str, database_url: str | None, warehouse: Path | None, args: argparse.Namespace
) -> dict[str, Any]:
    """Prepare a fresh web database, start gunicorn, warm up, load, stop."""
    with tempfile.TemporaryDirectory(prefix=f"cspkit-bench-{name}-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env["CSPKIT_DB"] = str(warehouse) if warehouse else str(Path(tmp) / "none.duckdb")
        env["CSPKIT_WEB_DB"] = str(Path(tmp) / "cspkit-web.sqlite3")
        env["CSPKIT_SECRET_KEY"] = "benchmark-only-secret-key"
        env["DJANGO_SETTINGS_MODULE"] = "cspkit.web.settings"
        if database_url:
            env["DATABASE_URL"] = database_url
        _prepare(env)
        port = free_port()
        command = server.gunicorn_command(HOST, port, args.workers)
        command = [c for c in command if c not in ("--access-logfile", "-")]
        workers = int(command[command.index("--workers") + 1])
        threads = int(command[command.index("--threads") + 1])
        proc = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            _wait_for(port)
            cookie = _sign_in(port)
            _load(port, cookie, min(args.clients, 4), WARMUP_ROUNDS * len(PATHS) * 4, 30)
            result = _load(port, cookie, args.clients, args.requests, args.seconds)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    result["database"] = name
    result["workers"] = workers
    result["threads_per_worker"] = threads
    result["warehouse"] = "demo sample" if warehouse else "none (indicators grey)"
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1500, help="requests per database")
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit per database")
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: as cspkit serve)"
    )
    parser.add_argument("--db", type=Path, default=Path("cspkit-demo/cspkit.duckdb"))
    args = parser.parse_args()
    warehouse = args.db.resolve() if args.db.exists() else None
    results = [run_backend("sqlite", None, warehouse, args)]
    with TempPostgres() as pg:
        results.append(run_backend("postgresql", pg.url, warehouse, args))
    report = {"paths": list(PATHS), "cpu_count": os.cpu_count(), "results": results}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    for r in results:
        print(
            f"{r['database']}: {r['requests']} requests, {r['clients']} clients, "
            f"p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms, errors {r['errors']}"
        )


if __name__ == "__main__":
    main()
