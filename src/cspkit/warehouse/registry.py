"""The indicator registry: what each indicator measures and how it is judged.

Police.uk categories are registered indicators like any partner measure, so that one set of
statistics serves every source. "All crime" is every category except anti-social behaviour,
which is an indicator of its own (police.uk publishes ASB incidents, not crimes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cspkit.stats.polarity import Polarity

POLICE_UK_SOURCE = "police.uk (street-level crime and ASB)"
ASB_CATEGORY = "Anti-social behaviour"
ALL_CRIME_ID = "all-crime"
ASB_ID = "anti-social-behaviour"

#: The categories police.uk publishes now, in the order the site lists them.
CURRENT_CATEGORIES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
    "Other crime",
)

#: Categories used in files published before May 2013; still valid in old files.
HISTORICAL_CATEGORIES: tuple[str, ...] = ("Violent crime", "Public disorder and weapons")

KNOWN_CATEGORIES: frozenset[str] = frozenset(CURRENT_CATEGORIES + HISTORICAL_CATEGORIES)

CRIME_CATEGORIES: tuple[str, ...] = tuple(
    c for c in CURRENT_CATEGORIES + HISTORICAL_CATEGORIES if c != ASB_CATEGORY
)


@dataclass(frozen=True)
class Indicator:
    """A registered indicator. ``categories`` lists the police.uk categories it sums."""

    id: str
    name: str
    unit: str
    polarity: Polarity
    denominator_basis: str
    source: str
    description: str = ""
    categories: tuple[str, ...] = ()

    @property
    def from_police_uk(self) -> bool:
        return bool(self.categories)


def slugify(text: str) -> str:
    """'Violence and sexual offences' -> 'violence-and-sexual-offences'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


_BURGLARY_NOTE = (
    "Rate per 1,000 households, as strategic assessments give burglary; police.uk's Burglary "
    "category has included business and community burglary since 2017, so the rate slightly "
    "overstates burglary of homes."
)


def police_indicators() -> tuple[Indicator, ...]:
    """All crime, then one indicator per police.uk category (ASB included)."""
    all_crime = Indicator(
        id=ALL_CRIME_ID,
        name="All crime",
        unit="count",
        polarity=Polarity.HIGHER_IS_WORSE,
        denominator_basis="persons",
        source=POLICE_UK_SOURCE,
        description="Every police.uk category except anti-social behaviour.",
        categories=CRIME_CATEGORIES,
    )
    per_category = tuple(
        Indicator(
            id=slugify(category),
            name=category,
            unit="count",
            polarity=Polarity.HIGHER_IS_WORSE,
            denominator_basis="households" if category == "Burglary" else "persons",
            source=POLICE_UK_SOURCE,
            description=_BURGLARY_NOTE if category == "Burglary" else "",
            categories=(category,),
        )
        for category in CURRENT_CATEGORIES + HISTORICAL_CATEGORIES
    )
    return (all_crime, *per_category)
