"""Financial-year quarters (April-March), the CSP reporting convention."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

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
        year, number = value.split("-q")
        return Quarter(int(year), int(number))

    def to_url(self, value: Quarter) -> str:
        return value.slug
