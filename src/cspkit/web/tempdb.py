"""A throwaway PostgreSQL server for tests and benchmarks, from Debian's PostgreSQL binaries.

``TempPostgres`` runs initdb into a temporary directory, starts the server on a free loopback
port (as the unprivileged ``postgres`` user when running as root), creates a database and
stops and removes everything on ``stop()``.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from cspkit.errors import CspkitError

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVICE_USER = "postgres"
DATABASE = "cspkit"
START_TIMEOUT_SECONDS = 60
INSTALL_HINT = "install Debian's PostgreSQL server: apt-get install -y postgresql"


def find_bin_dir() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin holding initdb and pg_ctl."""
    candidates = sorted(
        (Path(p) for p in glob.glob(BIN_GLOB) if (Path(p) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    if not candidates:
        raise CspkitError(f"PostgreSQL server binaries not found under {BIN_GLOB}: {INSTALL_HINT}")
    return candidates[-1]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TempPostgres:
    """A private PostgreSQL server; use as a context manager or call start()/stop()."""

    def __init__(self) -> None:
        self.bin_dir = find_bin_dir()
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="cspkit-pg-"))
        self.data = self.root / "data"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str) -> None:
        cmd = list(args)
        if self.as_root:
            cmd = ["runuser", "-u", SERVICE_USER, "--", *cmd]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise CspkitError(f"{' '.join(args[:2])} failed: {result.stderr.strip()[-2000:]}")

    @property
    def url(self) -> str:
        """The DATABASE_URL of the created database."""
        return f"postgres://{SERVICE_USER}@127.0.0.1:{self.port}/{DATABASE}"

    def start(self) -> TempPostgres:
        """Create the cluster, start the server and create the database."""
        if self.as_root:
            shutil.chown(self.root, user=SERVICE_USER)
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            SERVICE_USER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "-t",
            str(START_TIMEOUT_SECONDS),
            "start",
        )
        self._run(
            str(self.bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            SERVICE_USER,
            DATABASE,
        )
        return self

    def stop(self) -> None:
        """Stop the server and remove its files."""
        try:
            if self.data.exists():
                self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
