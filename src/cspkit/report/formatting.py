"""How numbers are printed in reports: one place, so HTML and Word agree."""

from __future__ import annotations

from cspkit.report.blocks import Cell, Column

DASH = "–"
MINUS = "−"


def fmt_count(value: float | None) -> str:
    """1234.0 -> '1,234'; None -> a dash."""
    if value is None:
        return DASH
    v = _rounded(value, 1)
    return f"{v:,.0f}" if v.is_integer() else f"{v:,.1f}"


def fmt_signed(value: float | None) -> str:
    if value is None:
        return DASH
    v = _rounded(value, 0)
    return "0" if v == 0 else f"{v:+,.0f}".replace("-", MINUS)


PCT_DECIMALS = 1


def _rounded(value: float, decimals: int) -> float:
    """Rounded, with -0.0 turned into 0.0 so no '-0.0' is ever printed."""
    return round(float(value), decimals) + 0.0


def fmt_pct(value: float | None) -> str:
    """A signed percentage change: 12.345 -> '+12.3%', -0.04 -> '0.0%'."""
    if value is None:
        return DASH
    v = _rounded(value, PCT_DECIMALS)
    if v == 0:
        return f"{0:.{PCT_DECIMALS}f}%"
    return f"{v:+.{PCT_DECIMALS}f}%".replace("-", MINUS)


def fmt_percent(value: float | None) -> str:
    """A percentage in words, the same rounding as the tables: 34.44 -> '34.4%'."""
    if value is None:
        return DASH
    return f"{_rounded(value, PCT_DECIMALS):.{PCT_DECIMALS}f}%"


def fmt_share(value: float | None) -> str:
    """0.356 -> '35.6%'."""
    if value is None:
        return DASH
    return f"{_rounded(value * 100, 1):.1f}%"


def fmt_rate(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{_rounded(value, 1):,.1f}"


def fmt_p(value: float | None) -> str:
    if value is None:
        return DASH
    # a no-break space: "< 0.001" is one word to the table layout and never wraps in a cell
    return "<\u00a00.001" if value < 0.001 else f"{value:.3f}"


_FORMATS = {
    "count": fmt_count,
    "signed": fmt_signed,
    "pct": fmt_pct,
    "share": fmt_share,
    "rate": fmt_rate,
    "p": fmt_p,
}


def format_cell(value: Cell, column: Column) -> str:
    """A cell as text according to its column's format."""
    if value is None:
        return DASH
    if isinstance(value, str):
        return value
    formatter = _FORMATS.get(column.format)
    if formatter is None:
        return fmt_count(value) if column.numeric else str(value)
    return formatter(float(value))
