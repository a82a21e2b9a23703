"""Statutory-style deadlines in working days, counting England and Wales bank holidays.

A working day is Monday to Friday and not a bank holiday in England and Wales. Bank holidays
come from the maintained ``holidays`` package (which follows the proclamations, such as the
2022 state funeral and the 2023 coronation), not a list kept here.

"Acknowledge within 10 working days of receipt" counts the working days after the day the
application arrived: received on Friday 19 December 2025, the first working day is Monday the
22nd; Christmas Day, Boxing Day and New Year's Day are skipped, so the 10th is 7 January 2026.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from typing import Any

import holidays

from cspkit.errors import InputError

#: ``holidays`` names England and Wales bank holidays as the GB calendar's England subdivision
#: (Wales has the same bank holidays).
HOLIDAY_COUNTRY = "GB"
HOLIDAY_SUBDIVISION = "ENG"
SATURDAY = 5
DEFAULT_ACKNOWLEDGE_DAYS = 10
DEFAULT_DECIDE_DAYS = 15
DEFAULT_MEETING_DAYS = 20
ONE_DAY = datetime.timedelta(days=1)


@functools.cache
def _holidays_for(year: int) -> frozenset[datetime.date]:
    calendar = holidays.country_holidays(HOLIDAY_COUNTRY, subdiv=HOLIDAY_SUBDIVISION, years=year)
    return frozenset(calendar.keys())


def bank_holiday(day: datetime.date) -> bool:
    """Whether ``day`` is a bank holiday in England and Wales."""
    return day in _holidays_for(day.year)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a bank holiday."""
    return day.weekday() < SATURDAY and not bank_holiday(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    if days < 1:
        raise InputError(f"a deadline needs at least 1 working day; got {days}")
    day = start
    counted = 0
    while counted < days:
        day += ONE_DAY
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``).

    The inverse of :func:`add_working_days`: ``working_days_between(d, add_working_days(d, n))
    == n``.
    """
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count


@dataclass(frozen=True)
class DeadlinePolicy:
    """Working days allowed from receipt to each stage (configurable locally)."""

    acknowledge_days: int = DEFAULT_ACKNOWLEDGE_DAYS
    decide_days: int = DEFAULT_DECIDE_DAYS
    meeting_days: int = DEFAULT_MEETING_DAYS

    def __post_init__(self) -> None:
        for name in ("acknowledge_days", "decide_days", "meeting_days"):
            if getattr(self, name) < 1:
                raise InputError(f"{name.replace('_', ' ')} must be at least 1")


@dataclass(frozen=True)
class Deadlines:
    """When each stage is due for an application received on ``received``."""

    received: datetime.date
    acknowledge_by: datetime.date
    decide_by: datetime.date
    meeting_by: datetime.date

    def as_data(self) -> dict[str, Any]:
        """The JSON shape printed by ``cspkit case-review deadlines``."""
        return {
            "acknowledge_by": self.acknowledge_by.isoformat(),
            "decide_by": self.decide_by.isoformat(),
            "meeting_by": self.meeting_by.isoformat(),
        }


def deadlines(received: datetime.date, policy: DeadlinePolicy | None = None) -> Deadlines:
    """Each stage's deadline, counted in working days from the day of receipt."""
    policy = policy or DeadlinePolicy()
    return Deadlines(
        received=received,
        acknowledge_by=add_working_days(received, policy.acknowledge_days),
        decide_by=add_working_days(received, policy.decide_days),
        meeting_by=add_working_days(received, policy.meeting_days),
    )
