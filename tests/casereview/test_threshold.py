"""The threshold, rule by rule, at every boundary: calendar months, month ends, leap years."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspkit.casereview.threshold import (
    RULE_COMMUNITY,
    RULE_COUNT,
    RULE_HATE,
    RULE_PROMPT,
    RULE_WINDOW,
    Application,
    Complaint,
    Policy,
    check,
    in_window,
    made_promptly,
)
from cspkit.errors import InputError

D = datetime.date.fromisoformat


@pytest.mark.parametrize(
    ("behaviour_on", "made_on", "prompt"),
    [
        ("2024-12-31", "2025-01-31", True),  # the example: within one calendar month
        ("2024-12-31", "2025-02-01", False),  # ... and one day later is not
        ("2025-01-01", "2025-01-31", True),  # 30 days
        ("2025-01-01", "2025-02-01", True),  # 31 days, still one calendar month
        ("2025-01-01", "2025-02-02", False),
        ("2025-04-30", "2025-05-30", True),  # 30-day month to 31-day month
        ("2025-04-30", "2025-05-31", False),
        ("2025-01-31", "2025-02-28", True),  # end of month clamps to February's last day
        ("2025-01-31", "2025-03-01", False),
        ("2024-01-31", "2024-02-29", True),  # leap year
        ("2024-01-31", "2024-03-01", False),
        ("2024-01-29", "2024-02-29", True),
        ("2023-01-29", "2023-02-28", True),  # no 29 February: clamped
        ("2023-01-29", "2023-03-01", False),
        ("2025-03-10", "2025-03-10", True),  # the same day
        ("2025-03-10", "2025-03-09", False),  # before the behaviour it reports
    ],
)
def test_made_within_one_calendar_month(behaviour_on: str, made_on: str, prompt: bool) -> None:
    assert made_promptly(Complaint(D(made_on), D(behaviour_on))) is prompt


@pytest.mark.parametrize(
    ("application_date", "made_on", "inside"),
    [
        ("2025-06-30", "2024-12-30", True),  # exactly six calendar months before
        ("2025-06-30", "2024-12-29", False),
        ("2025-06-30", "2025-06-30", True),  # the application day itself
        ("2025-06-30", "2025-07-01", False),  # after the application
        ("2025-08-31", "2025-02-28", True),  # six months before 31 August: end of February
        ("2025-08-31", "2025-02-27", False),
        ("2024-08-31", "2024-02-29", True),  # leap year
        ("2024-08-31", "2024-02-28", False),
        ("2025-03-15", "2024-09-15", True),  # across the year end
        ("2025-03-15", "2024-09-14", False),
    ],
)
def test_made_in_the_six_months_before(application_date: str, made_on: str, inside: bool) -> None:
    complaint = Complaint(D(made_on), D(made_on))
    assert in_window(complaint, D(application_date)) is inside


def _app(
    *complaints: tuple[str, str, str], hate: bool = False, on: str = "2025-06-30"
) -> Application:
    return Application(
        D(on), tuple(Complaint(D(m), D(b), "council", by) for m, b, by in complaints), hate
    )


def _rule(result: object, rule: str) -> tuple[bool, str]:
    found = [r for r in result.rules if r.rule == rule]  # type: ignore[attr-defined]
    assert len(found) == 1, f"expected one {rule} rule"
    return found[0].passed, found[0].detail


THREE = (
    ("2025-02-03", "2025-01-20", "a"),
    ("2025-03-01", "2025-02-27", "a"),
    ("2025-05-05", "2025-05-01", "a"),
)


@pytest.mark.parametrize(
    ("complaints", "hate", "policy", "meets", "qualifying"),
    [
        (THREE, False, Policy(), True, 3),
        (THREE[:2], False, Policy(), False, 2),
        (THREE[:2], False, Policy(complaints=2), True, 2),  # a lower local threshold
        (THREE[:1], True, Policy(), False, 1),  # hate incident, but no local variant
        (THREE[:1], True, Policy(hate_incident_complaints=1), True, 1),
        (THREE[:1], False, Policy(hate_incident_complaints=1), False, 1),  # not a hate incident
        # a late complaint and an old one do not count
        ((*THREE[:2], ("2025-04-02", "2025-03-01", "a")), False, Policy(), False, 2),
        ((*THREE[:2], ("2024-12-29", "2024-12-28", "a")), False, Policy(), False, 2),
        ((*THREE[:2], ("2024-12-30", "2024-12-28", "a")), False, Policy(), True, 3),
        ((), False, Policy(), False, 0),
    ],
)
def test_decision_table(
    complaints: tuple[tuple[str, str, str], ...],
    hate: bool,
    policy: Policy,
    meets: bool,
    qualifying: int,
) -> None:
    result = check(_app(*complaints, hate=hate), policy)
    assert result.meets_threshold is meets
    assert result.qualifying_complaints == qualifying
    assert _rule(result, RULE_COUNT)[0] is (qualifying >= policy.complaints)


def test_the_locality_variant_needs_several_people() -> None:
    policy = Policy(complaints=3, community_complaints=2, community_people=2)
    one_person = _app(THREE[0], THREE[1])
    two_people = _app(THREE[0], (THREE[1][0], THREE[1][1], "neighbour at no. 4"))
    assert not check(one_person, policy).meets_threshold
    result = check(two_people, policy)
    assert result.meets_threshold
    passed, detail = _rule(result, RULE_COMMUNITY)
    assert passed and "2 different people" in detail


def test_rules_explain_which_complaints_were_not_counted() -> None:
    result = check(
        _app(*THREE, ("2025-02-01", "2024-12-31", "a"), ("2024-11-02", "2024-11-01", "a"))
    )
    window_passed, window = _rule(result, RULE_WINDOW)
    prompt_passed, prompt = _rule(result, RULE_PROMPT)
    assert not window_passed and "complaint 5 made 2024-11-02" in window
    assert not prompt_passed and "complaint 4 (behaviour 2024-12-31, made 2025-02-01" in prompt
    assert _rule(result, RULE_COUNT) == (
        True,
        "3 qualifying complaints (complaints 1, 2, 3); 3 needed",
    )


def test_hate_rule_says_when_it_is_unused() -> None:
    result = check(_app(*THREE[:1]), Policy(hate_incident_complaints=1))
    assert _rule(result, RULE_HATE) == (
        False,
        "no hate incident is involved, so this rule is unused",
    )


def test_json_shape_is_exactly_the_published_one() -> None:
    data = check(_app(*THREE)).as_data()
    assert set(data) == {"meets_threshold", "qualifying_complaints", "rules"}
    assert all(set(rule) == {"rule", "passed", "detail"} for rule in data["rules"])


@pytest.mark.parametrize(
    "bad",
    [
        {"complaints": 4},
        {"complaints": 0},
        {"hate_incident_complaints": 5},
        {"community_complaints": 2},
    ],
)
def test_a_local_threshold_may_be_lower_never_higher(bad: dict[str, int]) -> None:
    with pytest.raises(InputError):
        Policy(**bad)


COMPLAINTS = st.lists(
    st.tuples(st.integers(0, 400), st.integers(0, 60), st.sampled_from(["a", "b", "c"])),
    max_size=8,
)


def _from(raw: list[tuple[int, int, str]], hate: bool) -> Application:
    on = D("2025-06-30")
    return Application(
        on,
        tuple(
            Complaint(
                on - datetime.timedelta(days=ago),
                on - datetime.timedelta(days=ago + lag),
                "council",
                by,
            )
            for ago, lag, by in raw
        ),
        hate,
    )


@given(COMPLAINTS, st.booleans(), st.integers(1, 3))
def test_one_more_complaint_never_loses_the_threshold(
    raw: list[tuple[int, int, str]], hate: bool, needed: int
) -> None:
    policy = Policy(complaints=needed, hate_incident_complaints=1)
    before = check(_from(raw[:-1], hate), policy)
    after = check(_from(raw, hate), policy)
    assert after.qualifying_complaints >= before.qualifying_complaints
    assert after.meets_threshold or not before.meets_threshold


@given(COMPLAINTS, st.booleans())
def test_a_lower_threshold_never_refuses_what_a_higher_one_accepts(
    raw: list[tuple[int, int, str]], hate: bool
) -> None:
    app = _from(raw, hate)
    results = [check(app, Policy(complaints=n)).meets_threshold for n in (1, 2, 3)]
    assert results == sorted(results, reverse=True)
    count = check(app).qualifying_complaints
    assert count == sum(
        1 for c in app.complaints if in_window(c, app.application_date) and made_promptly(c)
    )
