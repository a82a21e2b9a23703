"""Rates per 1,000 of the right base, printed with the base and its year.

Most crime is a rate per 1,000 residents; dwelling burglary per 1,000 households; domestic
abuse per 1,000 adults aged 18 and over. A rate that cannot be computed is returned with
``value=None`` and a ``note`` saying why, never as zero or infinity.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["RATE_DECIMALS", "RATE_PER", "DenominatorBasis", "Rate", "rate_per_1000"]

#: Rates are per this many of the base.
RATE_PER = 1000
#: Decimal places when a rate is written in words.
RATE_DECIMALS = 1


class DenominatorBasis(StrEnum):
    """What a rate is "per 1,000" of."""

    PERSONS = "persons"
    HOUSEHOLDS = "households"
    ADULTS = "adults-18-plus"
    NONE = "none"

    @property
    def noun(self) -> str:
        """The base in words after "per 1,000", e.g. ``"residents"``; empty for NONE."""
        return _NOUNS[self]

    @property
    def figure_name(self) -> str:
        """What the denominator figure is called, e.g. ``"population"``; empty for NONE."""
        return _FIGURE_NAMES[self]


_NOUNS = {
    DenominatorBasis.PERSONS: "residents",
    DenominatorBasis.HOUSEHOLDS: "households",
    DenominatorBasis.ADULTS: "adults aged 18+",
    DenominatorBasis.NONE: "",
}

_FIGURE_NAMES = {
    DenominatorBasis.PERSONS: "population",
    DenominatorBasis.HOUSEHOLDS: "households",
    DenominatorBasis.ADULTS: "adults aged 18+",
    DenominatorBasis.NONE: "",
}


@dataclass(frozen=True)
class Rate:
    """A count per :data:`RATE_PER` of a base.

    ``value`` is ``None`` when no rate can be given, and ``note`` then says why. ``denominator``
    and ``year`` are the base figure used and the year it describes (e.g. 2020 for mid-2020
    population estimates), so the rate can always be printed beside its base.
    """

    value: float | None
    count: int
    denominator: float | None
    basis: DenominatorBasis
    year: int | None
    per: int = RATE_PER
    note: str = ""

    def describe(self) -> str:
        """The rate in words with its base.

        E.g. ``"12.3 per 1,000 residents (mid-2020 population 173,132)"``, or
        ``"rate not available: no households figure for this area"``.
        """
        if self.value is None:
            return f"rate not available: {self.note}" if self.note else "rate not available"
        text = f"{_format_rate(self.value)} per {self.per:,} {self.basis.noun}".rstrip()
        if self.denominator is None:
            return text
        when = ""
        if self.year is not None:
            when = (
                f"mid-{self.year} " if self.basis is DenominatorBasis.PERSONS else f"{self.year} "
            )
        return f"{text} ({when}{self.basis.figure_name} {round(self.denominator):,})"


def _format_rate(value: float) -> str:
    shown = f"{value:,.{RATE_DECIMALS}f}"
    if value > 0 and float(shown.replace(",", "")) == 0:
        return f"<{10**-RATE_DECIMALS:.{RATE_DECIMALS}f}"
    return shown


def rate_per_1000(
    count: int,
    denominator: float | None,
    *,
    basis: DenominatorBasis,
    year: int | None,
) -> Rate:
    """``count / denominator * 1000``, with the base and its year kept beside it.

    The value is ``None`` (with a ``note``) when ``basis`` is NONE, or the denominator is
    missing, not a number, or not positive. Raises ``ValueError`` for a negative count, so a
    rate is never negative.
    """
    number = operator.index(count)
    if number < 0:
        raise ValueError(f"count must not be negative, got {number}")
    basis = DenominatorBasis(basis)

    def unavailable(note: str) -> Rate:
        return Rate(None, number, denominator, basis, year, RATE_PER, note)

    if basis is DenominatorBasis.NONE:
        return unavailable("this measure has no denominator")
    if denominator is None or math.isnan(denominator):
        return unavailable(f"no {basis.figure_name} figure for this area")
    if math.isinf(denominator):
        return unavailable(f"the {basis.figure_name} figure is not a finite number")
    if denominator <= 0:
        return unavailable(f"the {basis.figure_name} figure is {denominator:g}, not positive")
    value = number / denominator * RATE_PER
    if not math.isfinite(value):
        return unavailable(f"the {basis.figure_name} figure is too small to give a rate")
    return Rate(value, number, float(denominator), basis, year)
