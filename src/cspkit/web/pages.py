"""Every page also as data: one view result rendered as HTML, JSON or CSV.

A view builds a :class:`Page` (the template context for people and the same content as plain
data); :func:`respond` turns it into the format the URL asked for. ``data_paths`` registers
``route/``, ``route.json`` and (for tables) ``route.csv`` for one view.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path

HTML = "html"
JSON = "json"
CSV = "csv"
JSON_CONTENT_TYPE = "application/json"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@dataclass
class Page:
    """What a view shows: template + context for HTML, ``data`` for JSON, ``table`` for CSV."""

    template: str
    title: str
    context: dict[str, Any] = field(default_factory=dict)
    data: Any = None
    table: list[dict[str, Any]] | None = None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_json(value: Any) -> str:
    """JSON text of plain data (dates as ISO strings, decimals as numbers)."""
    return json.dumps(_plain(value), indent=2, ensure_ascii=False)


#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, prefixed with a quote so it shows as text.

    Numbers stay numbers (a negative number is data, not a formula).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> str:
    """CSV text with a header row from the first row's keys; formulas are neutralised."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            cells = {k: _plain(v) for k, v in row.items()}
            writer.writerow(
                {
                    k: neutralise(json.dumps(v) if isinstance(v, dict | list) else v)
                    for k, v in cells.items()
                }
            )
    return out.getvalue()


def alternate_links(request: HttpRequest, *, has_table: bool) -> list[tuple[str, str]]:
    """Links to this page as JSON (and CSV when it has a table)."""
    base = request.path.rstrip("/")
    links = [("JSON", f"{base}.json")]
    if has_table:
        links.append(("CSV", f"{base}.csv"))
    return links


def table_csv(page: Page) -> str:
    """The page's table as CSV text; 404 when the page has no table."""
    if page.table is None:
        raise Http404("this page has no table")
    return to_csv(page.table)


def json_response(text: str) -> HttpResponse:
    """A JSON response from JSON text."""
    return HttpResponse(text, content_type=JSON_CONTENT_TYPE)


def csv_response(request: HttpRequest, text: str) -> HttpResponse:
    """A CSV download named after the requested path."""
    response = HttpResponse(text, content_type=CSV_CONTENT_TYPE)
    name = request.path.rstrip("/").rsplit("/", 1)[-1]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def respond(request: HttpRequest, page: Page, fmt: str) -> HttpResponse:
    """Render ``page`` as HTML, JSON or CSV."""
    if fmt == JSON:
        return json_response(to_json(page.data))
    if fmt == CSV:
        return csv_response(request, table_csv(page))
    alternates = alternate_links(request, has_table=page.table is not None)
    context = {**page.context, "title": page.title, "alternates": alternates}
    return render(request, page.template, context)


View = Callable[..., HttpResponse]
V = TypeVar("V", bound=View)


def signed_in(view: V) -> V:
    """``login_required`` with its type kept: anonymous visitors go to the sign-in page."""
    return login_required(view)


def data_paths(route: str, view: View, name: str, *, table: bool = False) -> list[URLPattern]:
    """URL patterns for ``route`` as HTML, JSON and optionally CSV."""
    base = route.rstrip("/")
    patterns = [
        path(route, view, {"fmt": HTML}, name=name),
        path(f"{base}.json", view, {"fmt": JSON}, name=f"{name}-json"),
    ]
    if table:
        patterns.append(path(f"{base}.csv", view, {"fmt": CSV}, name=f"{name}-csv"))
    return patterns
