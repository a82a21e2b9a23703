"""Uploaded evidence: checked by content (not by name), kept outside the web root.

A file is accepted when its first bytes are those of a PDF, JPEG or PNG and its name ends with
a matching extension, and it is no larger than the configured limit. It is stored under a
random name in the evidence folder (never under the static files, which are the only files
served directly), and only case officers who may see the case can download it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from cspkit.web.casework import config

STORED_NAME_BYTES = 16
SNIFF_BYTES = 8
READ_CHUNK = 64 * 1024
FOLDER_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class FileType:
    content_type: str
    extensions: tuple[str, ...]
    magic: bytes


ALLOWED_TYPES = (
    FileType("application/pdf", (".pdf",), b"%PDF-"),
    FileType("image/jpeg", (".jpg", ".jpeg"), b"\xff\xd8\xff"),
    FileType("image/png", (".png",), b"\x89PNG\r\n\x1a\n"),
)


def detect(head: bytes, name: str) -> FileType | None:
    """The allowed type whose signature and extension both match, or None."""
    suffix = Path(name).suffix.lower()
    for kind in ALLOWED_TYPES:
        if head.startswith(kind.magic) and suffix in kind.extensions:
            return kind
    return None


def _head(upload: Any) -> bytes:
    upload.seek(0)
    head: bytes = upload.read(SNIFF_BYTES)
    upload.seek(0)
    return head


def check_upload(upload: Any) -> FileType:
    """Refuse a file that is too large or not a real PDF, JPEG or PNG."""
    limit = config.max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            f"The file is {upload.size / config.BYTES_PER_MB:.1f} MB; the largest we accept is "
            f"{limit // config.BYTES_PER_MB} MB."
        )
    kind = detect(_head(upload), upload.name or "")
    if kind is None:
        raise ValidationError("Send a PDF, JPEG or PNG file (other kinds of file are refused).")
    return kind


@dataclass(frozen=True)
class Stored:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def store(upload: Any) -> Stored:
    """Write an accepted upload to the evidence folder under a random name."""
    kind = check_upload(upload)
    folder = config.evidence_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    name = secrets.token_hex(STORED_NAME_BYTES)
    digest = hashlib.sha256()
    size = 0
    path = folder / name
    upload.seek(0)
    with path.open("wb") as out:
        for chunk in upload.chunks(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    path.chmod(FILE_MODE)
    return Stored(name, kind.content_type, size, digest.hexdigest())


def path_of(stored_name: str) -> Path:
    """The stored file (names are random hex, so no path can escape the folder)."""
    if not stored_name.isalnum():
        raise ValueError(f"not a stored evidence name: {stored_name!r}")
    return config.evidence_dir() / stored_name


def delete(stored_name: str) -> None:
    path_of(stored_name).unlink(missing_ok=True)
