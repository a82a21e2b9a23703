"""The board pack as PDF, rendered by WeasyPrint from the same HTML as the web page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cspkit.errors import CspkitError

STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "cspkit" / "print.css"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """Refuse every external resource: the pack must be self-contained."""
    raise CspkitError(f"the board pack may not load external resources ({url})")


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of a self-contained HTML document."""
    from weasyprint import CSS, HTML

    document = HTML(string=html, url_fetcher=_no_fetch)
    pdf: bytes = document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))])
    return pdf
