"""What every section builder is told about the assessment being made."""

from __future__ import annotations

from dataclasses import dataclass

from cspkit.assessment.comparison import Comparison
from cspkit.stats.periods import Period
from cspkit.stats.rank import MIN_PEERS
from cspkit.warehouse.series import District


@dataclass(frozen=True)
class SectionContext:
    """The area, periods and peers of an assessment, whether it is for publication, and whether
    its maps are hatched as well as shaded (to read when printed in greyscale)."""

    area: District
    period: Period
    comparison: Comparison | None
    peers: tuple[District, ...]
    public: bool = False
    suppression_threshold: int = 5
    patterns: bool = False

    @property
    def ranked(self) -> bool:
        """Whether the peer group is large enough for ranks (at least ``MIN_PEERS``)."""
        return len(self.peers) >= MIN_PEERS
