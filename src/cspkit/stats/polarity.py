"""Which direction of an indicator is good news."""

from __future__ import annotations

from enum import StrEnum


class Polarity(StrEnum):
    """Whether a rise in an indicator is bad (most crime) or good (e.g. % feeling safe)."""

    HIGHER_IS_WORSE = "higher-is-worse"
    HIGHER_IS_BETTER = "higher-is-better"
    NEUTRAL = "neutral"

    @property
    def higher_is_worse(self) -> bool:
        return self is Polarity.HIGHER_IS_WORSE
