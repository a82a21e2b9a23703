"""Calendar-month arithmetic as the law counts it.

"Within one month" of 31 December is up to 31 January; one month after 31 January is the last
day of February (28th, or 29th in a leap year), because a month later than the last day of a
month is the last day of the shorter month. "Six months before" 30 June 2025 is 30 December
2024, and that day itself is inside the period.
"""

from __future__ import annotations

import calendar
import datetime

MONTHS_PER_YEAR = 12


def shift_months(d: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` calendar months later (earlier if negative), clamped to the
    last day of a shorter month: 2024-01-31 + 1 month = 2024-02-29; 2025-08-31 - 6 = 2025-02-28.
    """
    index = d.year * MONTHS_PER_YEAR + (d.month - 1) + months
    year, month0 = divmod(index, MONTHS_PER_YEAR)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return datetime.date(year, month0 + 1, min(d.day, last_day))
