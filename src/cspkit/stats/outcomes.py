"""Police.uk outcomes grouped, and resolution rates by month and by crime category.

Police.uk publishes, for each crime, the "Last outcome category" (street files)
and each outcome event as an "Outcome type" (outcomes files). The strings below
are every value found in those columns in the Kent 2025 street files and the
Lincolnshire street and outcomes files 2017-, plus the spelling the police.uk
API documentation uses for penalty notices ("Offender given a penalty notice").

A crime is *resolved* by default when the police outcome was a charge or
summons (whatever the court later decided), a caution, a community resolution
(police.uk: "Local resolution"), a penalty notice or a drugs possession warning
(cannabis or khat), or a sentence. Recent months always look worse because many
crimes are still "Under investigation" or have "Status update unavailable"; that
share is reported separately, beside a rate over crimes with a final outcome.
Blank outcomes (anti-social behaviour rows carry none) are left out of every
denominator; an outcome string not listed here is counted, reported by name and
never silently dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

import pandas as pd

from cspkit.errors import InputError

MONTH, CATEGORY, OUTCOME, COUNT = "month", "category", "outcome", "count"


class OutcomeGroup(StrEnum):
    """Groups of police.uk outcome strings."""

    CHARGE_SUMMONS = "charge or summons (court result pending or unknown)"
    CHARGED_NOT_CONVICTED = "charged, not convicted"
    SENTENCE = "offender given a sentence"
    CAUTION = "caution"
    COMMUNITY_RESOLUTION = "community resolution"
    PENALTY_NOTICE_OR_WARNING = "penalty notice or drugs possession warning"
    NO_SUSPECT = "investigation complete, no suspect identified"
    UNABLE_TO_PROSECUTE = "unable to prosecute suspect"
    NOT_IN_PUBLIC_INTEREST = "not in the public interest"
    ANOTHER_ORGANISATION = "action by another organisation"
    UNDER_INVESTIGATION = "under investigation"
    STATUS_UNAVAILABLE = "status update unavailable"
    NO_OUTCOME = "no outcome recorded"
    UNKNOWN = "unrecognised outcome"


OUTCOME_GROUPS: Mapping[str, OutcomeGroup] = {
    "Suspect charged": OutcomeGroup.CHARGE_SUMMONS,
    "Suspect charged as part of another case": OutcomeGroup.CHARGE_SUMMONS,
    "Awaiting court outcome": OutcomeGroup.CHARGE_SUMMONS,
    "Court result unavailable": OutcomeGroup.CHARGE_SUMMONS,
    "Defendant sent to Crown Court": OutcomeGroup.CHARGE_SUMMONS,
    "Defendant found not guilty": OutcomeGroup.CHARGED_NOT_CONVICTED,
    "Court case unable to proceed": OutcomeGroup.CHARGED_NOT_CONVICTED,
    "Offender sent to prison": OutcomeGroup.SENTENCE,
    "Offender given suspended prison sentence": OutcomeGroup.SENTENCE,
    "Offender given community sentence": OutcomeGroup.SENTENCE,
    "Offender fined": OutcomeGroup.SENTENCE,
    "Offender given conditional discharge": OutcomeGroup.SENTENCE,
    "Offender given absolute discharge": OutcomeGroup.SENTENCE,
    "Offender ordered to pay compensation": OutcomeGroup.SENTENCE,
    "Offender deprived of property": OutcomeGroup.SENTENCE,
    "Offender otherwise dealt with": OutcomeGroup.SENTENCE,
    "Offender given a caution": OutcomeGroup.CAUTION,
    "Local resolution": OutcomeGroup.COMMUNITY_RESOLUTION,
    "Offender given penalty notice": OutcomeGroup.PENALTY_NOTICE_OR_WARNING,
    "Offender given a penalty notice": OutcomeGroup.PENALTY_NOTICE_OR_WARNING,
    "Offender given a drugs possession warning": OutcomeGroup.PENALTY_NOTICE_OR_WARNING,
    "Investigation complete; no suspect identified": OutcomeGroup.NO_SUSPECT,
    "Unable to prosecute suspect": OutcomeGroup.UNABLE_TO_PROSECUTE,
    "Formal action is not in the public interest": OutcomeGroup.NOT_IN_PUBLIC_INTEREST,
    "Further action is not in the public interest": OutcomeGroup.NOT_IN_PUBLIC_INTEREST,
    "Further investigation is not in the public interest": OutcomeGroup.NOT_IN_PUBLIC_INTEREST,
    "Action to be taken by another organisation": OutcomeGroup.ANOTHER_ORGANISATION,
    "Under investigation": OutcomeGroup.UNDER_INVESTIGATION,
    "Status update unavailable": OutcomeGroup.STATUS_UNAVAILABLE,
}

DEFAULT_RESOLVED: frozenset[OutcomeGroup] = frozenset(
    {
        OutcomeGroup.CHARGE_SUMMONS,
        OutcomeGroup.CHARGED_NOT_CONVICTED,
        OutcomeGroup.SENTENCE,
        OutcomeGroup.CAUTION,
        OutcomeGroup.COMMUNITY_RESOLUTION,
        OutcomeGroup.PENALTY_NOTICE_OR_WARNING,
    }
)
PENDING = frozenset({OutcomeGroup.UNDER_INVESTIGATION, OutcomeGroup.STATUS_UNAVAILABLE})


@dataclass(frozen=True)
class ResolutionRow:
    """Resolution for one month, one category, or everything (``key`` = "all").

    ``crimes`` excludes blank outcomes. Rates are fractions (0-1), ``None`` when
    the denominator is zero.
    """

    key: str
    crimes: int
    resolved: int
    under_investigation: int
    status_unavailable: int
    unrecognised: int
    resolution_rate: float | None
    pending_share: float | None
    resolution_rate_of_finalised: float | None


@dataclass(frozen=True)
class OutcomeSummary:
    """Resolution rates by month and category, counts by group, and unrecognised strings."""

    overall: ResolutionRow
    by_month: tuple[ResolutionRow, ...]
    by_category: tuple[ResolutionRow, ...]
    by_group: tuple[tuple[OutcomeGroup, int], ...]
    resolved_groups: frozenset[OutcomeGroup]
    unrecognised_outcomes: tuple[tuple[str, int], ...]
    no_outcome: int


def classify_outcome(outcome: str | None) -> OutcomeGroup:
    """The group of one police.uk outcome string (blank: ``NO_OUTCOME``)."""
    if outcome is None or (isinstance(outcome, float) and outcome != outcome):
        return OutcomeGroup.NO_OUTCOME
    text = str(outcome).strip()
    if not text:
        return OutcomeGroup.NO_OUTCOME
    return OUTCOME_GROUPS.get(text, OutcomeGroup.UNKNOWN)


def _row(
    key: str, counts: Mapping[OutcomeGroup, int], resolved: Collection[OutcomeGroup]
) -> ResolutionRow:
    crimes = sum(n for g, n in counts.items() if g is not OutcomeGroup.NO_OUTCOME)
    done = sum(n for g, n in counts.items() if g in resolved)
    ui = counts.get(OutcomeGroup.UNDER_INVESTIGATION, 0)
    su = counts.get(OutcomeGroup.STATUS_UNAVAILABLE, 0)
    final = crimes - ui - su
    return ResolutionRow(
        key=key,
        crimes=crimes,
        resolved=done,
        under_investigation=ui,
        status_unavailable=su,
        unrecognised=counts.get(OutcomeGroup.UNKNOWN, 0),
        resolution_rate=done / crimes if crimes else None,
        pending_share=(ui + su) / crimes if crimes else None,
        resolution_rate_of_finalised=done / final if final else None,
    )


def _validate(frame: pd.DataFrame, resolved: Collection[OutcomeGroup]) -> None:
    missing = [c for c in (MONTH, CATEGORY, OUTCOME, COUNT) if c not in frame.columns]
    if missing:
        raise InputError(
            f"outcomes: missing column(s) {', '.join(missing)}; "
            f"found {', '.join(map(str, frame.columns))}"
        )
    counts = pd.to_numeric(frame[COUNT], errors="coerce")
    bad = frame.index[~(counts >= 0) | (counts % 1 != 0)]
    if len(bad):
        raise InputError(
            f"outcomes: count {frame.loc[bad[0], COUNT]!r} in row {bad[0]!r}; expected 0 or more",
            column=COUNT,
        )
    not_groups = [g for g in resolved if g in PENDING or g in (OutcomeGroup.NO_OUTCOME,)]
    if not_groups:
        raise InputError(
            f"outcomes: {', '.join(g.value for g in not_groups)} cannot count as resolved"
        )


def resolution_rates(
    frame: pd.DataFrame, resolved: Collection[OutcomeGroup] = DEFAULT_RESOLVED
) -> OutcomeSummary:
    """Resolution rates from a frame with columns month, category, outcome, count."""
    _validate(frame, resolved)
    data = frame[[MONTH, CATEGORY, OUTCOME, COUNT]].copy()
    data["group"] = [classify_outcome(o) for o in data[OUTCOME]]
    data[COUNT] = data[COUNT].astype("int64")

    def rows(by: str) -> tuple[ResolutionRow, ...]:
        out = []
        for key, part in data.groupby(by, sort=True):
            tally = part.groupby("group")[COUNT].sum()
            out.append(
                _row(str(key), {OutcomeGroup(str(g)): int(n) for g, n in tally.items()}, resolved)
            )
        return tuple(out)

    totals = data.groupby("group")[COUNT].sum()
    by_group = {OutcomeGroup(str(g)): int(n) for g, n in totals.items()}
    unknown = data[data["group"] == OutcomeGroup.UNKNOWN].groupby(OUTCOME)[COUNT].sum()
    return OutcomeSummary(
        overall=_row("all", by_group, resolved),
        by_month=rows(MONTH),
        by_category=rows(CATEGORY),
        by_group=tuple((g, by_group[g]) for g in OutcomeGroup if g in by_group),
        resolved_groups=frozenset(resolved),
        unrecognised_outcomes=tuple((str(k), int(v)) for k, v in unknown.items()),
        no_outcome=by_group.get(OutcomeGroup.NO_OUTCOME, 0),
    )
