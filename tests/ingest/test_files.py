"""Finding and pre-reading police.uk files: names, forces, the one pass over each file's bytes."""

from __future__ import annotations

import gzip
from pathlib import Path

from cspkit.ingest.files import discover
from tests.conftest import sample_file


def test_files_without_the_name_pattern_take_the_force_id_from_the_table(tmp_path: Path) -> None:
    text = gzip.decompress(sample_file("2025-01").read_bytes())
    (tmp_path / "Kent January.csv").write_bytes(text)
    (found,) = discover([tmp_path], tmp_path / "x")
    assert (found.force_slug, found.kind, found.month.isoformat()) == (
        "kent",
        "street",
        "2025-01-01",
    )
