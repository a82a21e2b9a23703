"""Rebuild the XLSX fixtures in this folder: python tests/data/partner/make_xlsx.py"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ADULT_AGES = range(18, 90)


def indicators(name: str, bad_end: object = None) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "values"
    ws.append(["indicator", "area", "period_start", "period_end", "value", "denominator"])
    ws.append(["deliberate-fires", "E07000110", date(2024, 4, 1), date(2024, 4, 30), 12, None])
    ws.append(["deliberate-fires", "Maidstone", date(2024, 5, 1), date(2024, 5, 31), 9, None])
    end = date(2025, 3, 31) if bad_end is None else bad_end
    ws.append(["feeling-safe-night", "E07000105", date(2024, 4, 1), end, 58.0, 640])
    book.save(HERE / name)


def ons_population(name: str) -> None:
    """The shape of an ONS mid-year estimates workbook: a cover sheet, then title rows."""
    book = openpyxl.Workbook()
    cover = book.active
    cover.title = "Cover sheet"
    cover.append(["Population estimates (illustrative test fixture, not real figures)"])
    ws = book.create_sheet("MYE2 - Persons")
    ws.append(["Mid-2022: persons by single year of age (illustrative)"])
    ws.append([])
    ws.append(["Source: test fixture"])
    ages = [str(a) for a in range(90)] + ["90+"]
    ws.append(["Code", "Name", "Geography", "All ages", *ages])
    for code, area, kind, per_age in (
        ("K04000001", "England and Wales", "Country", 1000),
        ("E12000008", "South East", "Region", 100),
        ("E10000016", "Kent", "County", 20),
        ("E07000110", "Maidstone", "Non-metropolitan District", 2),
        ("E07000105", "Ashford", "Non-metropolitan District", 1),
    ):
        ws.append([code, area, kind, per_age * 91, *([per_age] * 91)])
    book.save(HERE / name)


if __name__ == "__main__":
    indicators("indicators.xlsx")
    indicators("indicators_bad_date.xlsx", bad_end="31/03/2025")
    ons_population("population_ons.xlsx")
