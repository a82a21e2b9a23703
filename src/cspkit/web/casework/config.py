"""The partnership's local settings for ASB Case Reviews, read from the environment.

Each setting is an environment variable listed in ``CASE_REVIEW_SETTINGS`` with its help text
(documented in docs/web.md). They are read when used, so a change takes effect on restart.
"""

from __future__ import annotations

import os
from pathlib import Path

from cspkit.casereview.deadlines import (
    DEFAULT_ACKNOWLEDGE_DAYS,
    DEFAULT_DECIDE_DAYS,
    DEFAULT_MEETING_DAYS,
    DeadlinePolicy,
)
from cspkit.casereview.threshold import STATUTORY_COMPLAINTS, Policy
from cspkit.errors import InputError
from cspkit.web.files import web_db_path

DEFAULT_RETENTION_YEARS = 6
DEFAULT_MAX_UPLOAD_MB = 5
EVIDENCE_DIR_NAME = "cspkit-case-evidence"
BYTES_PER_MB = 1024 * 1024

CASE_REVIEW_SETTINGS: dict[str, str] = {
    "CSPKIT_CASE_REVIEW_THRESHOLD": (
        f"Qualifying complaints needed for a review (1-{STATUTORY_COMPLAINTS}; "
        f"default {STATUTORY_COMPLAINTS})."
    ),
    "CSPKIT_CASE_REVIEW_HATE_THRESHOLD": (
        "Complaints enough when a hate incident is involved (unset: no local variant)."
    ),
    "CSPKIT_CASE_REVIEW_COMMUNITY_COMPLAINTS": (
        "Locality variant: complaints about one locality that are enough ..."
    ),
    "CSPKIT_CASE_REVIEW_COMMUNITY_PEOPLE": "... when made by at least this many people.",
    "CSPKIT_CASE_REVIEW_ACKNOWLEDGE_DAYS": (
        f"Working days to acknowledge an application (default {DEFAULT_ACKNOWLEDGE_DAYS})."
    ),
    "CSPKIT_CASE_REVIEW_DECIDE_DAYS": (
        f"Working days to the threshold decision (default {DEFAULT_DECIDE_DAYS})."
    ),
    "CSPKIT_CASE_REVIEW_MEETING_DAYS": (
        f"Working days to the review meeting (default {DEFAULT_MEETING_DAYS})."
    ),
    "CSPKIT_CASE_REVIEW_RETENTION_YEARS": (
        f"Closed cases are anonymised after this many years (default {DEFAULT_RETENTION_YEARS})."
    ),
    "CSPKIT_CASE_REVIEW_EVIDENCE_DIR": (
        f"Folder for uploaded evidence, outside the web root (default {EVIDENCE_DIR_NAME} "
        "beside the web database)."
    ),
    "CSPKIT_CASE_REVIEW_MAX_UPLOAD_MB": (
        f"Largest evidence file accepted, in MB (default {DEFAULT_MAX_UPLOAD_MB})."
    ),
}


def _int(name: str, default: int | None) -> int | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"{name}: expected a whole number, found {raw!r}") from None


def _required_int(name: str, default: int) -> int:
    value = _int(name, default)
    return default if value is None else value


def threshold_policy() -> Policy:
    """The local threshold (statutory by default)."""
    return Policy(
        complaints=_required_int("CSPKIT_CASE_REVIEW_THRESHOLD", STATUTORY_COMPLAINTS),
        hate_incident_complaints=_int("CSPKIT_CASE_REVIEW_HATE_THRESHOLD", None),
        community_complaints=_int("CSPKIT_CASE_REVIEW_COMMUNITY_COMPLAINTS", None),
        community_people=_int("CSPKIT_CASE_REVIEW_COMMUNITY_PEOPLE", None),
    )


def deadline_policy() -> DeadlinePolicy:
    """Working days allowed to each stage."""
    return DeadlinePolicy(
        _required_int("CSPKIT_CASE_REVIEW_ACKNOWLEDGE_DAYS", DEFAULT_ACKNOWLEDGE_DAYS),
        _required_int("CSPKIT_CASE_REVIEW_DECIDE_DAYS", DEFAULT_DECIDE_DAYS),
        _required_int("CSPKIT_CASE_REVIEW_MEETING_DAYS", DEFAULT_MEETING_DAYS),
    )


def retention_years() -> int:
    """Years after closing before a case is anonymised."""
    return _required_int("CSPKIT_CASE_REVIEW_RETENTION_YEARS", DEFAULT_RETENTION_YEARS)


def max_upload_bytes() -> int:
    """The largest evidence file accepted."""
    return _required_int("CSPKIT_CASE_REVIEW_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB) * BYTES_PER_MB


def evidence_dir() -> Path:
    """Where uploaded evidence is kept: never under the static files, never served publicly."""
    raw = os.environ.get("CSPKIT_CASE_REVIEW_EVIDENCE_DIR", "").strip()
    return Path(raw) if raw else web_db_path().with_name(EVIDENCE_DIR_NAME)
