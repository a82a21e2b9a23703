"""Runs this folder's in-process tests again against a real PostgreSQL server.

The server is started by the child run itself (conftest.py with CSPKIT_TEST_DB=postgresql),
from Debian's PostgreSQL binaries; the test fails, naming the package, when they are absent.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cspkit.web.tempdb import INSTALL_HINT, find_bin_dir

HERE = Path(__file__).resolve().parent
CHILD_TIMEOUT_SECONDS = 900


def test_web_suite_passes_on_postgresql() -> None:
    assert os.environ.get("CSPKIT_TEST_DB") != "postgresql", "the PostgreSQL run must not recurse"
    try:
        find_bin_dir()
    except Exception as exc:  # the message names the Debian package
        pytest.fail(f"PostgreSQL is needed for the web tests: {exc}. {INSTALL_HINT}")
    # A fresh environment: the child's conftest must choose the settings before Django starts.
    inherited = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "CSPKIT_DB", "CSPKIT_WEB_DB")
    env = {k: v for k, v in os.environ.items() if k not in inherited}
    env["CSPKIT_TEST_DB"] = "postgresql"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(HERE),
            "-q",
            "-p",
            "no:cacheprovider",
            "-m",
            "not browser",
            "-v",
            # This file starts the PostgreSQL run, so that run must not collect it again.
            f"--ignore={Path(__file__)}",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT_SECONDS,
        check=False,
    )
    tail = (result.stdout + result.stderr)[-6000:]
    assert result.returncode == 0, f"web tests failed on PostgreSQL:\n{tail}"
    assert "cspkit web tests database: postgresql" in result.stdout, tail
    assert " passed" in result.stdout, tail
