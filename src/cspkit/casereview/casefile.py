"""Reading a case for the threshold check from JSON (``cspkit case-review check CASE.json``).

The file holds ``{"application_date": "2025-06-30", "hate_incident": false, "complaints":
[{"made_on": "2025-02-03", "behaviour_on": "2025-01-20", "agency": "council", "by":
"applicant"}]}``. A bad value stops with the file, the complaint's number and the field.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from cspkit.casereview.threshold import Application, Complaint
from cspkit.errors import InputError


def _date(value: Any, where: str, file: str) -> datetime.date:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a date like 2025-06-30, found {value!r}", file=file)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{where}: expected a date like 2025-06-30, found {value!r}", file=file
        ) from None


def _text(value: Any, where: str, file: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(f"{where}: expected text, found {value!r}", file=file)
    return value


def application_from_data(data: Any, file: str = "case") -> Application:
    """An :class:`Application` from parsed JSON, with a clear error for each bad field."""
    if not isinstance(data, dict):
        raise InputError("expected a JSON object with application_date and complaints", file=file)
    if "application_date" not in data:
        raise InputError("missing application_date", file=file)
    applied = _date(data["application_date"], "application_date", file)
    hate = data.get("hate_incident", False)
    if not isinstance(hate, bool):
        raise InputError(f"hate_incident: expected true or false, found {hate!r}", file=file)
    raw = data.get("complaints", [])
    if not isinstance(raw, list):
        raise InputError(f"complaints: expected a list, found {raw!r}", file=file)
    complaints = []
    for number, item in enumerate(raw, start=1):
        where = f"complaint {number}"
        if not isinstance(item, dict):
            raise InputError(f"{where}: expected an object, found {item!r}", file=file)
        for key in ("made_on", "behaviour_on"):
            if key not in item:
                raise InputError(f"{where}: missing {key}", file=file)
        complaints.append(
            Complaint(
                made_on=_date(item["made_on"], f"{where} made_on", file),
                behaviour_on=_date(item["behaviour_on"], f"{where} behaviour_on", file),
                agency=_text(item.get("agency"), f"{where} agency", file),
                by=_text(item.get("by"), f"{where} by", file) or "applicant",
            )
        )
    return Application(applied, tuple(complaints), hate)


def read_application(path: Path) -> Application:
    """Read and check a case file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})", file=str(path)
        ) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=str(path)) from None
    return application_from_data(data, str(path))
