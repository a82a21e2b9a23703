"""The priority-setting matrix: an auditable, MoRiLE-style score for every candidate issue.

Each issue has a figure per dimension (volume, trend, harm, concentration, vulnerability,
public concern, the partnership's judgement). A dimension's scale turns the figure into 0-4
points by thresholds: the points are the number of thresholds the figure reaches, so a worse
(higher) figure never earns fewer points. The score is the weighted sum of points; weights are
not negative, so the score is monotone in every figure. Every cell keeps its figure, points
and the rule that produced them. Ties are broken by the issue's id, so ranks are deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cspkit.errors import InputError

MAX_POINTS = 4
DIMENSIONS: tuple[str, ...] = (
    "volume",
    "trend",
    "harm",
    "concentration",
    "vulnerability",
    "public_concern",
    "judgement",
)
#: What each dimension's figure is (the unit of its thresholds).
FIGURES: dict[str, str] = {
    "volume": "worse than this % of peer districts (rate per 1,000)",
    "trend": "% rise, counted only when statistically significant",
    "harm": "% of the district's crime harm (Cambridge Crime Harm Index days)",
    "concentration": "Gini coefficient of counts over LSOAs, x100",
    "vulnerability": "repeat victims or repeat locations, % of cases",
    "public_concern": "% of survey respondents naming it as most needing tackling",
    "judgement": "partnership's recorded judgement of capacity and confidence gap, 0-4",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "volume": 1.0,
    "trend": 1.0,
    "harm": 1.5,
    "concentration": 0.5,
    "vulnerability": 1.0,
    "public_concern": 1.0,
    "judgement": 1.0,
}
#: Thresholds for 1, 2, 3 and 4 points.
DEFAULT_SCALES: dict[str, tuple[float, ...]] = {
    "volume": (25.0, 50.0, 75.0, 90.0),
    "trend": (0.001, 10.0, 20.0, 40.0),
    "harm": (2.0, 5.0, 10.0, 20.0),
    "concentration": (30.0, 45.0, 60.0, 75.0),
    "vulnerability": (10.0, 20.0, 30.0, 40.0),
    "public_concern": (5.0, 10.0, 20.0, 30.0),
    "judgement": (1.0, 2.0, 3.0, 4.0),
}
DEFAULT_TOP_N = 4


@dataclass(frozen=True)
class MatrixSettings:
    """Weights, scales and how many priorities to recommend."""

    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    scales: Mapping[str, tuple[float, ...]] = field(default_factory=lambda: dict(DEFAULT_SCALES))
    top_n: int = DEFAULT_TOP_N
    judgement: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Candidate:
    """An issue to score: id, name, where it comes from, its themes and its figures."""

    id: str
    name: str
    source: str  # police.uk, partner, survey
    themes: tuple[str, ...]
    figures: Mapping[str, float | None]
    notes: Mapping[str, str] = field(default_factory=dict)  # dimension -> where the figure is from


@dataclass(frozen=True)
class Component:
    """One cell of the matrix."""

    dimension: str
    value: float | None
    points: int
    weighted: float
    rule: str


@dataclass(frozen=True)
class ScoredIssue:
    issue_id: str
    issue: str
    source: str
    themes: tuple[str, ...]
    score: float
    rank: int
    components: tuple[Component, ...]

    def reasons(self, n: int = 3) -> tuple[Component, ...]:
        """The ``n`` components adding most to the score (ties in dimension order)."""
        scoring = [c for c in self.components if c.weighted > 0]
        order = {d: i for i, d in enumerate(DIMENSIONS)}
        scoring.sort(key=lambda c: (-c.weighted, order.get(c.dimension, 99)))
        return tuple(scoring[:n])


def points(value: float | None, thresholds: Sequence[float]) -> int:
    """How many thresholds ``value`` reaches (0 for no figure); at most MAX_POINTS."""
    if value is None or math.isnan(value):
        return 0
    return min(MAX_POINTS, sum(1 for t in thresholds if value >= t))


def _rule(
    dimension: str, value: float | None, thresholds: Sequence[float], got: int, note: str = ""
) -> str:
    if value is None:
        return "no figure: 0 points"
    cuts = ", ".join(f"{t:g}" for t in thresholds)
    source = f" [{note}]" if note else ""
    return (
        f"{value:.1f} = {FIGURES.get(dimension, dimension)}{source}; thresholds {cuts} "
        f"give {got} of {MAX_POINTS} points"
    )


def score_issue(c: Candidate, settings: MatrixSettings) -> tuple[float, tuple[Component, ...]]:
    """The weighted score of one candidate and its cells."""
    cells = []
    for d in DIMENSIONS:
        value = c.figures.get(d)
        if d == "judgement" and c.id in settings.judgement:
            value = float(settings.judgement[c.id])
        thresholds = settings.scales.get(d, DEFAULT_SCALES[d])
        got = points(value, thresholds)
        weight = float(settings.weights.get(d, 0.0))
        note = c.notes.get(d, "")
        if d == "judgement" and c.id in settings.judgement:
            note = "recorded in the matrix settings"
        rule = _rule(d, value, thresholds, got, note)
        cells.append(Component(d, value, got, weight * got, rule))
    return math.fsum(x.weighted for x in cells), tuple(cells)


def score_issues(
    candidates: Sequence[Candidate], settings: MatrixSettings | None = None
) -> tuple[ScoredIssue, ...]:
    """Score and rank every candidate: highest score first, ties by id."""
    settings = settings or MatrixSettings()
    scored = []
    for c in candidates:
        total, cells = score_issue(c, settings)
        scored.append((round(total, 6), c, cells))
    scored.sort(key=lambda t: (-t[0], t[1].id))
    return tuple(
        ScoredIssue(c.id, c.name, c.source, c.themes, total, rank, cells)
        for rank, (total, c, cells) in enumerate(scored, start=1)
    )


def _number(value: Any, where: str, file: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InputError(f"expected a number 0 or more; found {value!r}", file=file, column=where)
    return float(value)


def read_settings(path: Path) -> MatrixSettings:
    """Weights, scales, top_n and recorded judgements from a YAML file (defaults elsewhere)::

    weights: {harm: 2, public_concern: 1.5}
    scales: {trend: [5, 10, 20, 40]}
    top_n: 3
    judgement: {shoplifting: 3}
    """
    file = path.name
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot be read as YAML ({exc})", file=file) from exc
    if not isinstance(doc, dict):
        raise InputError("expected a mapping of weights, scales, top_n, judgement", file=file)
    weights = dict(DEFAULT_WEIGHTS)
    scales = dict(DEFAULT_SCALES)
    for d, w in (doc.get("weights") or {}).items():
        if d not in DIMENSIONS:
            raise InputError(
                f"unknown dimension {d!r}; expected one of {', '.join(DIMENSIONS)}",
                file=file,
                column="weights",
            )
        weights[d] = _number(w, f"weights.{d}", file)
    for d, cuts in (doc.get("scales") or {}).items():
        if d not in DIMENSIONS:
            raise InputError(f"unknown dimension {d!r}", file=file, column="scales")
        if not isinstance(cuts, list) or len(cuts) != MAX_POINTS:
            raise InputError(f"expected {MAX_POINTS} thresholds", file=file, column=f"scales.{d}")
        values = tuple(_number(v, f"scales.{d}", file) for v in cuts)
        if list(values) != sorted(values):
            raise InputError("expected thresholds in rising order", file=file, column=f"scales.{d}")
        scales[d] = values
    top_n = doc.get("top_n", DEFAULT_TOP_N)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or top_n < 1:
        raise InputError(
            f"expected a whole number 1 or more; found {top_n!r}", file=file, column="top_n"
        )
    judgement = {
        str(k): min(float(MAX_POINTS), _number(v, f"judgement.{k}", file))
        for k, v in (doc.get("judgement") or {}).items()
    }
    return MatrixSettings(weights, scales, top_n, judgement)
