"""One pass over each police.uk file's bytes before it is loaded.

The pass hashes the file as stored, reads a gzipped file to its end (so corrupt or truncated
data is named before anything is loaded) and counts what the loader needs to know: whether
any control byte occurs, and how many line feeds there are. Only files with control bytes
are searched value by value for them, and only files with more line feeds than records
(blank lines, values spanning lines) get the checks that need real line numbers, so clean
files pay for neither.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path

from cspkit.errors import InputError
from cspkit.ingest.files import HASH_CHUNK, read_failure

_NOTHING = "nothing was loaded"

#: Control bytes that have no place in a police.uk value (tab, CR and LF are allowed). In
#: UTF-8 these bytes never occur inside a multi-byte character, so bytes can be checked.
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
#: Every byte but the control bytes and the line feed: deleted to leave only those to count.
_NOT_COUNTED = bytes(b for b in range(256) if b not in CONTROL_BYTES and b != 0x0A)


@dataclass(frozen=True)
class FileScan:
    """One pass over a file's bytes before loading: its hash and what its text holds."""

    sha256: str
    has_control_bytes: bool
    line_feeds: int
    #: The text is empty or its last byte is a line feed: every line, the last too, is ended.
    ends_with_line_feed: bool = True


def scan_file(path: Path, display_name: str) -> FileScan:
    """Hash the file as stored, and read its text (decompressed) to its end once.

    A corrupt or truncated .gz is named here, before anything is loaded. The counts tell the
    loader which files need the slower checks (control characters, values spanning lines).
    """
    digest = hashlib.sha256()
    control = False
    line_feeds = 0
    last = b"\n"

    def take(text: bytes) -> None:
        nonlocal control, line_feeds, last
        if text:
            last = text[-1:]
        kept = text.translate(None, _NOT_COUNTED)
        feeds = kept.count(b"\n")
        line_feeds += feeds
        control = control or len(kept) > feeds

    with open(path, "rb") as raw:
        if not path.name.lower().endswith(".gz"):
            while chunk := raw.read(HASH_CHUNK * 4):
                digest.update(chunk)
                take(chunk)
            return FileScan(digest.hexdigest(), control, line_feeds, last == b"\n")
        try:
            inflate = zlib.decompressobj(wbits=31)
            while chunk := raw.read(HASH_CHUNK):
                digest.update(chunk)
                take(inflate.decompress(chunk))
                while inflate.eof and inflate.unused_data:  # a multi-member .gz
                    rest = inflate.unused_data
                    inflate = zlib.decompressobj(wbits=31)
                    take(inflate.decompress(rest))
            if not inflate.eof:
                raise EOFError("the compressed data end before the file does")
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(
                f"cannot be read (corrupt or truncated gzip data: {read_failure(exc)})",
                file=display_name,
                kept=_NOTHING,
            ) from exc
    return FileScan(digest.hexdigest(), control, line_feeds, last == b"\n")
