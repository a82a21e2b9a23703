"""The web application's files: the secret key is kept once and never written on import."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from cspkit.web import files


@pytest.fixture
def warehouse_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder holding the warehouse, with no secret key in the environment."""
    monkeypatch.setenv("CSPKIT_DB", str(tmp_path / "cspkit.duckdb"))
    monkeypatch.delenv("CSPKIT_WEB_DB", raising=False)
    monkeypatch.delenv(files.SECRET_ENV, raising=False)
    return tmp_path


def test_secret_key_is_generated_once_and_private(warehouse_dir: Path) -> None:
    first = files.ensure_secret_key()
    path = warehouse_dir / files.SECRET_FILE_NAME
    assert path.read_text(encoding="utf-8") == first
    assert stat.S_IMODE(path.stat().st_mode) == files.SECRET_FILE_MODE
    assert files.ensure_secret_key() == first
    assert [p.name for p in warehouse_dir.iterdir()] == [files.SECRET_FILE_NAME]


def test_environment_secret_key_wins(warehouse_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(files.SECRET_ENV, "from-the-environment")
    assert files.ensure_secret_key() == "from-the-environment"
    assert not (warehouse_dir / files.SECRET_FILE_NAME).exists()


def test_importing_settings_writes_nothing(warehouse_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != files.SECRET_ENV}
    code = "import cspkit.web.settings as s; assert s.SECRET_KEY"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)
    assert list(warehouse_dir.iterdir()) == []
