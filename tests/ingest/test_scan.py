"""The one pass over each police.uk file's bytes: hash, line feeds, control bytes, gzip."""

from __future__ import annotations

import gzip
import hashlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.errors import InputError
from cspkit.ingest.scan import CONTROL_BYTES, scan_file
from tests.conftest import sample_file


def test_scan_counts_line_feeds_and_hashes_the_stored_bytes() -> None:
    path = sample_file("2025-01")
    scan = scan_file(path, path.name)
    text = gzip.decompress(path.read_bytes())
    assert scan.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert scan.line_feeds == text.count(b"\n") == 14_201 + 1
    assert scan.has_control_bytes is False


@given(st.binary(max_size=300), st.booleans())
def test_scan_finds_control_bytes_and_line_feeds_in_any_text(data: bytes, gz: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("x.csv.gz" if gz else "x.csv")
        # A multi-member .gz (two gzip streams one after the other) is read to its end.
        half = len(data) // 2
        path.write_bytes(gzip.compress(data[:half]) + gzip.compress(data[half:]) if gz else data)
        scan = scan_file(path, path.name)
    assert scan.line_feeds == data.count(b"\n")
    assert scan.has_control_bytes == any(b in CONTROL_BYTES for b in data)
    assert scan.ends_with_line_feed == (data == b"" or data.endswith(b"\n"))


def test_a_truncated_gzip_is_named_before_loading(tmp_path: Path) -> None:
    path = tmp_path / "2025-01-kent-street.csv.gz"
    path.write_bytes(sample_file("2025-01").read_bytes()[:-100])
    with pytest.raises(InputError, match="corrupt or truncated gzip data"):
        scan_file(path, path.name)
