"""The stages of a case review, the steps open at each, and overdue deadlines."""

from __future__ import annotations

import datetime

import pytest

from cspkit.casereview.deadlines import deadlines
from cspkit.casereview.workflow import Stage, Step, next_steps, overdue, reached

D = datetime.date.fromisoformat


@pytest.mark.parametrize(
    ("stage", "meets", "appealed", "steps"),
    [
        (Stage.RECEIVED, None, False, [Step.ACKNOWLEDGE]),
        (Stage.ACKNOWLEDGED, None, False, [Step.DECIDE]),
        (Stage.DECIDED, True, False, [Step.MEETING]),
        (Stage.DECIDED, False, False, [Step.RESPOND]),  # below the threshold: no meeting
        (Stage.MEETING_HELD, True, False, [Step.RECOMMEND]),
        (Stage.RECOMMENDED, True, False, [Step.RESPOND]),
        (Stage.RESPONDED, True, False, [Step.CLOSE, Step.APPEAL]),
        (Stage.RESPONDED, True, True, [Step.CLOSE]),
        (Stage.APPEALED, True, True, [Step.APPEAL_DECISION]),
        (Stage.CLOSED, False, False, [Step.APPEAL]),
        (Stage.CLOSED, False, True, []),  # an appeal is heard once
    ],
)
def test_next_steps(stage: Stage, meets: bool | None, appealed: bool, steps: list[Step]) -> None:
    assert next_steps(stage, meets, appealed) == steps


def test_reached() -> None:
    assert reached(Stage.DECIDED, Stage.ACKNOWLEDGED)
    assert not reached(Stage.RECEIVED, Stage.ACKNOWLEDGED)


def test_overdue_by_stage() -> None:
    due = deadlines(D("2025-12-19"))  # 2026-01-07, 01-14, 01-21
    late = D("2026-01-22")
    assert [o.stage for o in overdue(Stage.RECEIVED, None, due, late)] == [
        "acknowledgement",
        "threshold decision",
        "review meeting",
    ]
    assert [o.stage for o in overdue(Stage.ACKNOWLEDGED, None, due, late)] == [
        "threshold decision",
        "review meeting",
    ]
    assert [o.stage for o in overdue(Stage.DECIDED, True, due, late)] == ["review meeting"]
    assert overdue(Stage.DECIDED, False, due, late) == []  # no meeting below the threshold
    assert overdue(Stage.MEETING_HELD, True, due, late) == []
    assert overdue(Stage.RECEIVED, None, due, D("2026-01-07")) == []  # due today is not late
