"""Financial-year quarters (April-March), the CSP reporting convention."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Protocol

FIRST_MONTH_OF_YEAR = 4
MONTHS_PER_QUARTER = 3
QUARTERS_PER_YEAR = 4


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``number`` (1-4) of the financial year starting in April of ``year``."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not 1 <= self.number <= QUARTERS_PER_YEAR:
            raise ValueError(f"quarter must be 1-4, found {self.number}")

    @classmethod
    def containing(cls, day: datetime.date) -> Quarter:
        """The quarter a date falls in."""
        offset = (day.month - FIRST_MONTH_OF_YEAR) % 12
        year = day.year if day.month >= FIRST_MONTH_OF_YEAR else day.year - 1
        return cls(year, offset // MONTHS_PER_QUARTER + 1)

    @property
    def start(self) -> datetime.date:
        """First day of the quarter."""
        month0 = FIRST_MONTH_OF_YEAR - 1 + (self.number - 1) * MONTHS_PER_QUARTER
        return datetime.date(self.year + month0 // 12, month0 % 12 + 1, 1)

    @property
    def end(self) -> datetime.date:
        """Last day of the quarter."""
        nxt = self.next().start
        return nxt - datetime.timedelta(days=1)

    def next(self) -> Quarter:
        """The following quarter."""
        if self.number == QUARTERS_PER_YEAR:
            return Quarter(self.year + 1, 1)
        return Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The preceding quarter."""
        if self.number == 1:
            return Quarter(self.year - 1, QUARTERS_PER_YEAR)
        return Quarter(self.year, self.number - 1)

    @property
    def slug(self) -> str:
        """URL form, e.g. '2024-q1'."""
        return f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        """E.g. '2024/25 Q1 (April to June 2024)'."""
        return (
            f"{self.year}/{(self.year + 1) % 100:02d} Q{self.number} "
            f"({self.start:%B} to {self.end:%B %Y})"
        )

    def __str__(self) -> str:
        return self.label


class QuarterConverter:
    """URL converter for quarters written as '2024-q1'."""

    regex = r"[0-9]{4}-q[1-4]"

    def to_python(self, value: str) -> Quarter:
        """The quarter; a year outside the sane range is no match (a 404, never a 500)."""
        year, number = value.split("-q")
        if not EARLIEST_YEAR <= int(year) <= LATEST_YEAR:
            raise ValueError(f"year {year} is out of range")
        return Quarter(int(year), int(number))

    def to_url(self, value: Quarter) -> str:
        return value.slug


#: Years a quarter in an address may name; anything else is not a page (404).
EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


def plan_quarters(start_year: int, end_year: int) -> tuple[Quarter, Quarter]:
    """The first and last quarters of a plan running April ``start_year`` to March ``end_year``."""
    last_year = max(end_year - 1, start_year)
    return Quarter(start_year, 1), Quarter(last_year, QUARTERS_PER_YEAR)


class _HasYears(Protocol):
    start_year: int
    end_year: int


def plan_quarter(plan: _HasYears, quarter: Quarter) -> Quarter:
    """``quarter`` when it falls within the plan; otherwise a 404 naming the plan's span."""
    from django.http import Http404

    first, last = plan_quarters(plan.start_year, plan.end_year)
    if not first <= quarter <= last:
        raise Http404(f"{quarter.slug} is outside the plan ({first.slug} to {last.slug}).")
    return quarter


def reporting_quarter(plan: _HasYears, day: datetime.date) -> Quarter:
    """The quarter containing ``day``, kept within the plan (its first or last quarter)."""
    first, last = plan_quarters(plan.start_year, plan.end_year)
    return min(max(Quarter.containing(day), first), last)
