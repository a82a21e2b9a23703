"""Ranking areas against each other (e.g. a CSP among its most similar group) and the direction
of travel of a rank between two periods.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from cspkit.stats.polarity import Polarity

__all__ = [
    "MIN_PEERS",
    "NOT_RANKED_LABEL",
    "RANK_DECIMALS",
    "TIE_PREFIX",
    "Direction",
    "Rank",
    "direction_of_travel",
    "rank_areas",
]

#: Values are compared after rounding to this many decimal places, so float noise in computed
#: rates makes neither false ties nor false breaks of real ties.
RANK_DECIMALS = 6
#: Shown before a tied position, as in league tables: "=11".
TIE_PREFIX = "="
#: With fewer areas than this in a peer group, ranks say nothing and none are produced.
MIN_PEERS = 3
#: Shown for an area with no value.
NOT_RANKED_LABEL = "n/a"


@dataclass(frozen=True)
class Rank:
    """An area's place among ``of`` ranked areas; position 1 is best.

    ``position`` is ``None`` (label ``"n/a"``) when the area had no value; ``tied`` is True when
    another area shares the position (label ``"=11"``).
    """

    area: str
    position: int | None
    tied: bool
    of: int
    label: str

    @property
    def ranked(self) -> bool:
        """Whether the area has a position."""
        return self.position is not None

    def describe(self) -> str:
        """E.g. ``"=3 of 15"`` or ``"not ranked"``."""
        return f"{self.label} of {self.of}" if self.position is not None else "not ranked"


def _rank_key(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(float(value), RANK_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def rank_areas(
    values: Mapping[str, float | None],
    *,
    polarity: Polarity = Polarity.HIGHER_IS_WORSE,
) -> dict[str, Rank]:
    """Rank areas by value, best first, with standard competition ranking (1, 2, =3, =3, 5).

    Best is the lowest value when higher is worse (most crime), the highest when higher is
    better. For NEUTRAL indicators, where neither direction is good news, position 1 is the
    highest value: the ranking orders areas but says nothing about performance.

    Values are compared after rounding to :data:`RANK_DECIMALS` places. ``None`` (or NaN)
    values are unranked (position ``None``, label ``"n/a"``) and not counted in ``of``.
    Returns one :class:`Rank` per area, in the order of ``values``.
    """
    keys = {area: _rank_key(value) for area, value in values.items()}
    present = [key for key in keys.values() if key is not None]
    ascending = polarity is Polarity.HIGHER_IS_WORSE
    ties = Counter(present)
    ordered = sorted(present, reverse=not ascending)
    first_position: dict[float, int] = {}
    for index, value_key in enumerate(ordered, start=1):
        first_position.setdefault(value_key, index)

    of = len(present)
    ranks: dict[str, Rank] = {}
    for area, key in keys.items():
        if key is None:
            ranks[area] = Rank(area, None, False, of, NOT_RANKED_LABEL)
            continue
        position = first_position[key]
        tied = ties[key] > 1
        label = f"{TIE_PREFIX}{position}" if tied else str(position)
        ranks[area] = Rank(area, position, tied, of, label)
    return ranks


class Direction(StrEnum):
    """Direction of travel of a rank, shown with an arrow and a word so it never relies on
    colour."""

    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    UNKNOWN = "unknown"

    @property
    def arrow(self) -> str:
        """A text arrow: ▲ improved, ▼ worsened, ► unchanged, – not available."""
        return _ARROWS[self]

    @property
    def text(self) -> str:
        """The direction in words: "improved", "worsened", "no change", "not available"."""
        return _TEXTS[self]

    @property
    def label(self) -> str:
        """Arrow and words together, e.g. ``"▲ improved"``."""
        return f"{self.arrow} {self.text}"


_ARROWS = {
    Direction.IMPROVED: "▲",
    Direction.WORSENED: "▼",
    Direction.UNCHANGED: "►",
    Direction.UNKNOWN: "–",
}

_TEXTS = {
    Direction.IMPROVED: "improved",
    Direction.WORSENED: "worsened",
    Direction.UNCHANGED: "no change",
    Direction.UNKNOWN: "not available",
}


def direction_of_travel(current: Rank | None, previous: Rank | None) -> Direction:
    """How an area's rank moved from ``previous`` to ``current``: a smaller position is better.

    UNKNOWN when either rank is missing or unranked. For a NEUTRAL indicator (ranked highest
    first) "improved" only means the area moved towards the top of the list.
    """
    if current is None or previous is None:
        return Direction.UNKNOWN
    if current.position is None or previous.position is None:
        return Direction.UNKNOWN
    if current.position < previous.position:
        return Direction.IMPROVED
    if current.position > previous.position:
        return Direction.WORSENED
    return Direction.UNCHANGED
