"""The annual publication: cohort counts, medians in working days, small-number suppression."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.casereview.publication import CaseRecord, publication, reporting_year
from cspkit.errors import InputError

D = datetime.date.fromisoformat


def _values(pub: object) -> dict[str, object]:
    return {row["figure"]: row["value"] for row in pub.rows()}  # type: ignore[attr-defined]


def _reviewed(received: str, recs: bool) -> CaseRecord:
    day = D(received)
    return CaseRecord(
        received_on=day,
        acknowledged_on=day + datetime.timedelta(days=2),
        decided_on=day + datetime.timedelta(days=7),
        meets_threshold=True,
        meeting_on=day + datetime.timedelta(days=14),
        has_recommendations=recs,
        responded_on=day + datetime.timedelta(days=21),
        closed_on=day + datetime.timedelta(days=21),
    )


def test_counts_and_medians_for_a_year_with_enough_cases() -> None:
    # Mondays in 2025 with no bank holiday in the following three weeks.
    mondays = [
        "2025-01-06",
        "2025-01-13",
        "2025-02-03",
        "2025-02-10",
        "2025-03-03",
        "2025-03-10",
        "2025-06-02",
        "2025-06-09",
        "2025-09-08",
        "2025-09-15",
    ]
    cases = [_reviewed(d, recs=i < 5) for i, d in enumerate(mondays)]
    cases += [CaseRecord(D(d), decided_on=D(d), meets_threshold=False) for d in mondays[:5]]
    cases.append(_reviewed("2024-12-02", recs=True))  # another year: not counted
    values = _values(publication(cases, reporting_year("2025")))
    assert values["applications_received"] == 15
    assert values["threshold_not_met"] == 5
    assert values["threshold_met"] == 10
    assert values["awaiting_decision"] == 0
    assert values["reviews_carried_out"] == 10
    assert values["reviews_with_recommendations"] == 5
    # Received Monday; acknowledged Wednesday = 2 working days; meeting two weeks on = 10.
    assert values["median_working_days_to_acknowledgement"] == 2.0
    assert values["median_working_days_to_review_meeting"] == 10.0
    assert values["median_working_days_to_threshold_decision"] == 5.0  # 5 same-day, 10 at 5


def test_small_counts_are_hidden_with_a_complement() -> None:
    cases = [
        _reviewed(d, recs=True)
        for d in (
            "2025-01-06",
            "2025-01-13",
            "2025-02-03",
            "2025-02-10",
            "2025-03-03",
            "2025-03-10",
        )
    ]
    cases.append(CaseRecord(D("2025-04-07"), decided_on=D("2025-04-08"), meets_threshold=False))
    pub = publication(cases, reporting_year("2025"))
    values = _values(pub)
    assert values["threshold_not_met"] is None  # 1 is hidden ...
    assert values["threshold_met"] is None  # ... and 6, or 7 - 6 would give it away
    assert values["applications_received"] == 7
    assert values["median_working_days_to_acknowledgement"] == 2.0
    reasons = {r["figure"]: r["reason"] for r in pub.rows()}
    assert reasons["threshold_not_met"] == "small number"


def test_financial_year() -> None:
    year = reporting_year("2024/25")
    assert (year.start, year.end) == (D("2024-04-01"), D("2025-03-31"))
    for bad in ("2024/26", "25", "2024-2025"):
        with pytest.raises(InputError):
            reporting_year(bad)


@given(st.lists(st.tuples(st.integers(0, 364), st.booleans(), st.booleans()), max_size=40))
def test_no_published_count_is_small(raw: list[tuple[int, bool, bool]]) -> None:
    start = D("2025-01-01")
    cases = [
        CaseRecord(
            start + datetime.timedelta(days=n),
            decided_on=start,
            meets_threshold=met,
            meeting_on=start if met else None,
            has_recommendations=recs if met else None,
        )
        for n, met, recs in raw
    ]
    pub = publication(cases, reporting_year("2025"))
    for figure in pub.counts:
        assert figure.value is None or figure.value == 0 or figure.value >= pub.threshold
