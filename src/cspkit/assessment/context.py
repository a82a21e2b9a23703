"""What every section builder is told about the assessment being made."""

from __future__ import annotations

from dataclasses import dataclass

from cspkit.assessment.comparison import Comparison
from cspkit.stats.periods import Period
from cspkit.warehouse.series import District


@dataclass(frozen=True)
class SectionContext:
    """The area, periods and peers of an assessment, and whether it is for publication."""

    area: District
    period: Period
    comparison: Comparison | None
    peers: tuple[District, ...]
    public: bool = False
    suppression_threshold: int = 5
