"""Reporting periods: calendar and financial years, quarters, months and rolling 12 months.

A :class:`Period` is a run of whole months. Police.uk data is monthly, so every period is
described by its first and last month (each stored as the first day of the month, the last
month inclusive). :func:`parse_period` reads the forms a user types on the command line or in
a settings file; ``Period.spec`` writes a period back in one of those forms.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from cspkit.errors import InputError

__all__ = [
    "FINANCIAL_YEAR_START_MONTH",
    "PERIOD_KINDS",
    "Period",
    "add_months",
    "calendar_quarter",
    "calendar_year",
    "comparison_period",
    "financial_year",
    "financial_year_to_date",
    "format_month",
    "month_label",
    "month_range",
    "parse_month",
    "parse_period",
    "rolling_12_months",
    "single_month",
]

MONTHS_PER_YEAR = 12
MONTHS_PER_QUARTER = 3
ROLLING_MONTHS = 12
#: The CSP (and police, and local government) financial year runs April to March.
FINANCIAL_YEAR_START_MONTH = 4

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

PERIOD_KINDS = ("calendar-year", "financial-year", "months", "rolling-12", "month", "quarter")

ACCEPTED_FORMS = (
    "2025 (calendar year), "
    "2024/25 or 2024-25 (financial year, April 2024 to March 2025), "
    "2025-01..2025-04 (a range of months), "
    "2025-03 (one month), "
    "2025Q1 or 2025-Q1 (calendar quarter), "
    "12m:2020-01 (the 12 months ending January 2020)"
)

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_YEAR_RE = re.compile(r"\d{4}")
_FINANCIAL_YEAR_RE = re.compile(r"(\d{4})[/-](\d{2}|\d{4})")
_QUARTER_RE = re.compile(r"(\d{4})-?[Qq]([1-4])")
_RANGE_RE = re.compile(r"(\S+?)\s*\.\.\s*(\S+)")
_ROLLING_RE = re.compile(r"12m:\s*(\S+)", re.IGNORECASE)


def add_months(d: datetime.date, months: int) -> datetime.date:
    """Return the first day of the month ``months`` after (or before, if negative) ``d``'s."""
    index = d.year * MONTHS_PER_YEAR + (d.month - 1) + months
    year, month0 = divmod(index, MONTHS_PER_YEAR)
    return datetime.date(year, month0 + 1, 1)


def _month_start(d: datetime.date) -> datetime.date:
    return datetime.date(d.year, d.month, 1)


def month_label(d: datetime.date) -> str:
    """Name a month in words: ``date(2020, 1, 1)`` -> ``"January 2020"``."""
    return f"{MONTH_NAMES[d.month - 1]} {d.year}"


def format_month(d: datetime.date) -> str:
    """Write a month as police.uk does: ``date(2020, 1, 1)`` -> ``"2020-01"``."""
    return f"{d.year:04d}-{d.month:02d}"


def parse_month(text: str) -> datetime.date:
    """Read a ``YYYY-MM`` month (as in police.uk file names) as the first day of that month.

    Raises :class:`~cspkit.errors.InputError` naming the text when it is not a valid month.
    """
    match = _MONTH_RE.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= MONTHS_PER_YEAR:
        raise InputError(f"'{text}' is not a month: expected YYYY-MM, e.g. 2020-01")
    return datetime.date(int(match.group(1)), int(match.group(2)), 1)


@dataclass(frozen=True)
class Period:
    """A run of whole months, with a label for reports.

    ``first`` and ``last`` are the first days of the first and last months (the last month is
    included). ``kind`` is one of :data:`PERIOD_KINDS` and decides how the period is relabelled
    when shifted and how it is written back as a ``spec``.
    """

    first: datetime.date
    last: datetime.date
    label: str
    kind: str

    def __post_init__(self) -> None:
        if self.kind not in PERIOD_KINDS:
            raise ValueError(f"unknown period kind {self.kind!r}; expected one of {PERIOD_KINDS}")
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("a period's first and last must be the first day of a month")
        if self.last < self.first:
            raise ValueError(f"period ends ({self.last}) before it starts ({self.first})")
        if not self._has_shape_of_kind():
            raise ValueError(
                f"{format_month(self.first)} to {format_month(self.last)} is not a {self.kind}"
            )

    def _has_shape_of_kind(self) -> bool:
        start = self.first.month
        if self.kind == "calendar-year":
            return start == 1 and self.n_months == MONTHS_PER_YEAR
        if self.kind == "financial-year":
            return start == FINANCIAL_YEAR_START_MONTH and self.n_months == MONTHS_PER_YEAR
        if self.kind == "quarter":
            return start % MONTHS_PER_QUARTER == 1 and self.n_months == MONTHS_PER_QUARTER
        if self.kind == "month":
            return self.n_months == 1
        if self.kind == "rolling-12":
            return self.n_months == ROLLING_MONTHS
        return True

    def __str__(self) -> str:
        return self.label

    @property
    def n_months(self) -> int:
        """How many months the period covers (first and last included)."""
        return (
            (self.last.year - self.first.year) * MONTHS_PER_YEAR
            + (self.last.month - self.first.month)
            + 1
        )

    @property
    def months(self) -> tuple[datetime.date, ...]:
        """Each month of the period in order, as the first day of the month."""
        return tuple(add_months(self.first, i) for i in range(self.n_months))

    def contains(self, d: datetime.date) -> bool:
        """Whether the month holding ``d`` (any day of it) falls within the period."""
        return self.first <= _month_start(d) <= self.last

    def shifted(self, years: int) -> Period:
        """The same months ``years`` later (or earlier, if negative), labelled the same way."""
        first = add_months(self.first, years * MONTHS_PER_YEAR)
        last = add_months(self.last, years * MONTHS_PER_YEAR)
        if self.kind == "calendar-year":
            return calendar_year(first.year)
        if self.kind == "financial-year":
            return financial_year(first.year)
        if self.kind == "quarter":
            return calendar_quarter(first.year, (first.month - 1) // MONTHS_PER_QUARTER + 1)
        if self.kind == "month":
            return single_month(first)
        if self.kind == "rolling-12":
            return rolling_12_months(last)
        return month_range(first, last)

    @property
    def spec(self) -> str:
        """This period written in a form :func:`parse_period` reads back to an equal period."""
        if self.kind == "calendar-year":
            return f"{self.first.year:04d}"
        if self.kind == "financial-year":
            return f"{self.first.year:04d}/{(self.first.year + 1) % 100:02d}"
        if self.kind == "quarter":
            return f"{self.first.year:04d}Q{(self.first.month - 1) // MONTHS_PER_QUARTER + 1}"
        if self.kind == "month":
            return format_month(self.first)
        if self.kind == "rolling-12":
            return f"12m:{format_month(self.last)}"
        return f"{format_month(self.first)}..{format_month(self.last)}"


def calendar_year(year: int) -> Period:
    """January to December of ``year``, labelled ``"2025"``."""
    return Period(
        datetime.date(year, 1, 1),
        datetime.date(year, MONTHS_PER_YEAR, 1),
        f"{year}",
        "calendar-year",
    )


def financial_year(start_year: int) -> Period:
    """April ``start_year`` to March of the next year, labelled ``"2024/25"``."""
    first = datetime.date(start_year, FINANCIAL_YEAR_START_MONTH, 1)
    last = add_months(first, MONTHS_PER_YEAR - 1)
    return Period(first, last, f"{start_year}/{(start_year + 1) % 100:02d}", "financial-year")


def calendar_quarter(year: int, quarter: int) -> Period:
    """Calendar quarter 1-4 of ``year``, labelled e.g. ``"Q1 2025 (January-March)"``."""
    if not 1 <= quarter <= MONTHS_PER_YEAR // MONTHS_PER_QUARTER:
        raise ValueError(f"quarter must be 1-4, not {quarter}")
    first = datetime.date(year, (quarter - 1) * MONTHS_PER_QUARTER + 1, 1)
    last = add_months(first, MONTHS_PER_QUARTER - 1)
    names = f"{MONTH_NAMES[first.month - 1]}-{MONTH_NAMES[last.month - 1]}"
    return Period(first, last, f"Q{quarter} {year} ({names})", "quarter")


def single_month(d: datetime.date) -> Period:
    """The one month holding ``d``, labelled ``"March 2025"``."""
    first = _month_start(d)
    return Period(first, first, month_label(first), "month")


def rolling_12_months(end_month: datetime.date) -> Period:
    """The 12 months ending with the month holding ``end_month``.

    Labelled ``"12 months to January 2020"``.
    """
    last = _month_start(end_month)
    first = add_months(last, -(ROLLING_MONTHS - 1))
    return Period(first, last, f"{ROLLING_MONTHS} months to {month_label(last)}", "rolling-12")


def month_range(first: datetime.date, last: datetime.date) -> Period:
    """The months from ``first`` to ``last`` inclusive.

    Labelled ``"January-April 2025"`` within a year, ``"November 2024-February 2025"`` across
    years, or ``"March 2025"`` for a single month. Raises ``ValueError`` if ``last`` precedes
    ``first``.
    """
    first, last = _month_start(first), _month_start(last)
    if last < first:
        raise ValueError(
            f"range ends ({format_month(last)}) before it starts ({format_month(first)})"
        )
    if first == last:
        label = month_label(first)
    elif first.year == last.year:
        label = f"{MONTH_NAMES[first.month - 1]}-{month_label(last)}"
    else:
        label = f"{month_label(first)}-{month_label(last)}"
    return Period(first, last, label, "months")


def financial_year_to_date(latest_month: datetime.date) -> Period:
    """From April of the current financial year to ``latest_month`` (a "months" period).

    Compare it with ``comparison_period(...)``: the same months of the previous year.
    """
    latest = _month_start(latest_month)
    start_year = latest.year if latest.month >= FINANCIAL_YEAR_START_MONTH else latest.year - 1
    return month_range(datetime.date(start_year, FINANCIAL_YEAR_START_MONTH, 1), latest)


def comparison_period(period: Period, years_back: int = 1) -> Period:
    """The default comparison for ``period``: the same months ``years_back`` years earlier."""
    if years_back < 1:
        raise ValueError(f"years_back must be 1 or more, not {years_back}")
    return period.shifted(-years_back)


def _bad_period(text: str, reason: str = "") -> InputError:
    detail = f" ({reason})" if reason else ""
    return InputError(f"cannot read the period '{text}'{detail}. Accepted forms: {ACCEPTED_FORMS}")


def _month_in(part: str, text: str) -> datetime.date:
    try:
        return parse_month(part)
    except InputError:
        raise _bad_period(text, f"'{part}' is not a month in YYYY-MM form") from None


def _parse(text: str) -> Period:
    if _YEAR_RE.fullmatch(text):
        return calendar_year(int(text))
    if match := _ROLLING_RE.fullmatch(text):
        return rolling_12_months(_month_in(match.group(1), text))
    if match := _RANGE_RE.fullmatch(text):
        first, last = _month_in(match.group(1), text), _month_in(match.group(2), text)
        if last < first:
            raise _bad_period(text, "the range ends before it starts")
        return month_range(first, last)
    if match := _QUARTER_RE.fullmatch(text):
        return calendar_quarter(int(match.group(1)), int(match.group(2)))
    # "YYYY-MM" is read as a month first: "2011-12" is December 2011 (write "2011/12" for
    # the financial year); only a two-digit part that cannot be a month is a financial year.
    if (match := _MONTH_RE.fullmatch(text)) and 1 <= int(match.group(2)) <= MONTHS_PER_YEAR:
        return single_month(datetime.date(int(match.group(1)), int(match.group(2)), 1))
    if match := _FINANCIAL_YEAR_RE.fullmatch(text):
        start, end = int(match.group(1)), match.group(2)
        expected = start + 1 if len(end) == 4 else (start + 1) % 100
        if int(end) != expected:
            raise _bad_period(text, "a financial year runs from one year to the next")
        return financial_year(start)
    raise _bad_period(text)


def parse_period(text: str) -> Period:
    """Read a period as a user writes it.

    Accepted forms:

    - ``2025``: calendar year, January-December 2025
    - ``2024/25`` (or ``2024-25``, ``2024/2025``): financial year, April 2024-March 2025
    - ``2025-01..2025-04``: a range of months, first and last included
    - ``2025-03``: one month
    - ``2025Q1`` or ``2025-Q1``: calendar quarter (January-March 2025)
    - ``12m:2020-01``: the 12 months ending January 2020

    ``2011-12`` is read as December 2011, not as a financial year; write ``2011/12`` for that.
    Anything else raises :class:`~cspkit.errors.InputError` naming the text and listing the
    accepted forms.
    """
    try:
        return _parse(text.strip())
    except (ValueError, OverflowError) as error:  # e.g. a year that dates cannot hold
        raise _bad_period(text, str(error)) from error
