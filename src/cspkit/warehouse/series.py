"""Queries that turn warehouse rows into indicator series.

Every district is aggregated in one pass over the data (one GROUP BY), never one query per
district, so a national run costs the same number of scans as a single district.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import duckdb

from cspkit.errors import InputError, UnknownAreaError
from cspkit.stats.periods import Period, add_months
from cspkit.stats.polarity import Polarity
from cspkit.warehouse.registry import Indicator


def indicator_registry(con: duckdb.DuckDBPyConnection) -> list[Indicator]:
    """Every registered indicator, police.uk categories first."""
    from cspkit.warehouse.registry import police_indicators

    police = {i.id: i for i in police_indicators()}
    rows = con.execute(
        "SELECT indicator_id, name, unit, polarity, denominator_basis, source_agency, description "
        "FROM indicator_registry ORDER BY rowid"
    ).fetchall()
    result: list[Indicator] = []
    for ind_id, name, unit, polarity, basis, source, description in rows:
        categories = police[ind_id].categories if ind_id in police else ()
        result.append(
            Indicator(
                id=str(ind_id),
                name=str(name),
                unit=str(unit),
                polarity=Polarity(str(polarity)),
                denominator_basis=str(basis),
                source=str(source),
                description=str(description),
                categories=categories,
            )
        )
    return result


def get_indicator(con: duckdb.DuckDBPyConnection, indicator_id: str) -> Indicator:
    """One registered indicator by id (InputError listing the known ids if absent)."""
    registry = indicator_registry(con)
    for ind in registry:
        if ind.id == indicator_id:
            return ind
    known = ", ".join(i.id for i in registry)
    raise InputError(f"unknown indicator {indicator_id!r}; registered indicators: {known}")


def category_counts(
    con: duckdb.DuckDBPyConnection, first: date, last: date
) -> dict[str, dict[str, int]]:
    """Police.uk records per district and category for months first..last (inclusive)."""
    rows = con.execute(
        "SELECT lad_code, category, count(*) FROM crimes "
        "WHERE month BETWEEN ? AND ? AND lad_code IS NOT NULL GROUP BY ALL",
        [first, last],
    ).fetchall()
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for lad, category, n in rows:
        counts[str(lad)][str(category)] = int(n)
    return dict(counts)


def indicator_values(
    con: duckdb.DuckDBPyConnection,
    indicators: list[Indicator],
    period: Period,
    *,
    area_codes: list[str] | None = None,
) -> dict[str, dict[str, float]]:
    """indicator id -> area -> value over the period, for every district at once.

    Police.uk indicators sum their categories' records. Partner indicators of unit "count"
    sum the values whose reporting period lies inside the period; other units take the value
    reported for exactly this period (a percentage cannot be added up).
    """
    result: dict[str, dict[str, float]] = {}
    police = [i for i in indicators if i.from_police_uk]
    if police:
        counts = category_counts(con, period.first, period.last)
        areas = area_codes if area_codes is not None else sorted(counts)
        for ind in police:
            result[ind.id] = {
                a: float(sum(counts.get(a, {}).get(c, 0) for c in ind.categories)) for a in areas
            }
    period_end = add_months(period.last, 1)
    for ind in (i for i in indicators if not i.from_police_uk):
        if ind.unit == "count":
            sql = (
                "SELECT area_code, sum(value) FROM indicators WHERE indicator_id = ? "
                "AND period_start >= ? AND period_end < ? GROUP BY area_code"
            )
        else:
            sql = (
                "SELECT area_code, any_value(value) FROM indicators WHERE indicator_id = ? "
                "AND period_start = ? AND period_end = ? - INTERVAL 1 DAY GROUP BY area_code"
            )
        rows = con.execute(sql, [ind.id, period.first, period_end]).fetchall()
        values = {str(a): float(v) for a, v in rows}
        if area_codes is not None:
            values = {a: v for a, v in values.items() if a in area_codes}
        result[ind.id] = values
    return result


def monthly_series(
    con: duckdb.DuckDBPyConnection, indicator_id: str, area_code: str
) -> list[tuple[date, float]]:
    """Monthly values of an indicator in a district, oldest first, zero-filled between the
    first and last month the warehouse holds for the district's force(s)."""
    ind = get_indicator(con, indicator_id)
    if ind.from_police_uk:
        rows = con.execute(
            """
            WITH months AS (
                SELECT DISTINCT month FROM crimes
                WHERE force_slug IN (SELECT DISTINCT force_slug FROM crimes WHERE lad_code = ?)
            )
            SELECT m.month, count(c.month)
            FROM months m LEFT JOIN crimes c
              ON c.month = m.month AND c.lad_code = ? AND list_contains(?, c.category)
            GROUP BY m.month ORDER BY m.month
            """,
            [area_code, area_code, list(ind.categories)],
        ).fetchall()
    else:
        rows = con.execute(
            "SELECT period_start, sum(value) FROM indicators WHERE indicator_id = ? "
            "AND area_code = ? AND period_end < period_start + INTERVAL 32 DAY "
            "GROUP BY period_start ORDER BY period_start",
            [indicator_id, area_code],
        ).fetchall()
    return [(m if isinstance(m, date) else date.fromisoformat(str(m)), float(v)) for m, v in rows]


@dataclass(frozen=True)
class District:
    """A district (CSP area) with the force whose records mostly fall in it."""

    code: str
    name: str
    force: str | None
    force_slug: str | None


def resolve_district(con: duckdb.DuckDBPyConnection, text: str) -> District:
    """A district by ONS code or name (case-insensitive); UnknownAreaError with suggestions."""
    row = con.execute(
        "SELECT d.lad_code, d.lad_name, f.force, f.force_slug FROM districts d "
        "LEFT JOIN district_force f USING (lad_code) "
        "WHERE upper(d.lad_code) = upper(?) OR lower(d.lad_name) = lower(?)",
        [text.strip(), text.strip()],
    ).fetchone()
    if row is None:
        close = con.execute(
            "SELECT lad_name FROM districts ORDER BY jaro_winkler_similarity(lower(lad_name), "
            "lower(?)) DESC LIMIT 3",
            [text],
        ).fetchall()
        hint = ", ".join(str(r[0]) for r in close)
        raise UnknownAreaError(f"no district called {text!r}; did you mean: {hint}?")
    code, name, force, slug = row
    return District(str(code), str(name), force, slug)


def force_districts(con: duckdb.DuckDBPyConnection, force_slug: str) -> list[District]:
    """The districts whose records mostly come from this force: the default peer group."""
    rows = con.execute(
        "SELECT d.lad_code, d.lad_name, f.force, f.force_slug FROM district_force f "
        "JOIN districts d USING (lad_code) WHERE f.force_slug = ? ORDER BY d.lad_name",
        [force_slug],
    ).fetchall()
    return [District(str(c), str(n), fo, s) for c, n, fo, s in rows]


def district_population(
    con: duckdb.DuckDBPyConnection, lad_codes: list[str], basis: str, year: int
) -> dict[str, tuple[float, int, str]]:
    """lad -> (denominator, its year, source) choosing, per district, the year nearest to
    ``year`` that has a figure for the basis (user-supplied figures preferred on ties)."""
    column = {"persons": "persons", "households": "households", "adults-18-plus": "adults"}.get(
        basis
    )
    if column is None:
        return {}
    rows = con.execute(
        f"""
        SELECT area_code, arg_min({column}, (abs(year - ?), NOT user_supplied, -year)),
               arg_min(year, (abs(year - ?), NOT user_supplied, -year)),
               arg_min(source, (abs(year - ?), NOT user_supplied, -year))
        FROM population
        WHERE area_type = 'lad' AND {column} IS NOT NULL AND list_contains(?, area_code)
        GROUP BY area_code
        """,
        [year, year, year, lad_codes],
    ).fetchall()
    return {str(a): (float(v), int(y), str(s)) for a, v, y, s in rows}
