"""The stages of an ASB Case Review, what may happen next, and which deadlines are overdue.

received -> acknowledged -> threshold decision -> review meeting -> recommendations ->
response to applicant -> closed. An application that does not meet the threshold goes from the
decision straight to the response. After the response the applicant may appeal; the appeal is
decided by a different officer from the one who led the review, and then the case closes.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from cspkit.casereview.deadlines import Deadlines


class Stage(StrEnum):
    """Where a case is. The value is stored; the label is shown."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    DECIDED = "decided"
    MEETING_HELD = "meeting-held"
    RECOMMENDED = "recommended"
    RESPONDED = "responded"
    APPEALED = "appealed"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.RECEIVED: "Received",
    Stage.ACKNOWLEDGED: "Acknowledged",
    Stage.DECIDED: "Threshold decided",
    Stage.MEETING_HELD: "Review meeting held",
    Stage.RECOMMENDED: "Recommendations made",
    Stage.RESPONDED: "Response sent to applicant",
    Stage.APPEALED: "Appeal under way",
    Stage.CLOSED: "Closed",
}


class Step(StrEnum):
    """Something an officer does to a case."""

    ACKNOWLEDGE = "acknowledge"
    DECIDE = "decide"
    MEETING = "meeting"
    RECOMMEND = "recommend"
    RESPOND = "respond"
    CLOSE = "close"
    APPEAL = "appeal"
    APPEAL_DECISION = "appeal-decision"


def next_steps(stage: Stage, meets_threshold: bool | None, appealed: bool = False) -> list[Step]:
    """The steps open to an officer at ``stage`` (an appeal is heard once)."""
    if stage is Stage.RECEIVED:
        return [Step.ACKNOWLEDGE]
    if stage is Stage.ACKNOWLEDGED:
        return [Step.DECIDE]
    if stage is Stage.DECIDED:
        return [Step.MEETING] if meets_threshold else [Step.RESPOND]
    if stage is Stage.MEETING_HELD:
        return [Step.RECOMMEND]
    if stage is Stage.RECOMMENDED:
        return [Step.RESPOND]
    if stage is Stage.RESPONDED:
        return [Step.CLOSE] if appealed else [Step.CLOSE, Step.APPEAL]
    if stage is Stage.APPEALED:
        return [Step.APPEAL_DECISION]
    return [] if appealed else [Step.APPEAL]


#: The stage each step leads to.
STEP_LEADS_TO = {
    Step.ACKNOWLEDGE: Stage.ACKNOWLEDGED,
    Step.DECIDE: Stage.DECIDED,
    Step.MEETING: Stage.MEETING_HELD,
    Step.RECOMMEND: Stage.RECOMMENDED,
    Step.RESPOND: Stage.RESPONDED,
    Step.CLOSE: Stage.CLOSED,
    Step.APPEAL: Stage.APPEALED,
    Step.APPEAL_DECISION: Stage.CLOSED,
}

_ORDER = list(Stage)


def reached(stage: Stage, target: Stage) -> bool:
    """Whether a case at ``stage`` has passed ``target`` (appeals count as after closing)."""
    return _ORDER.index(stage) >= _ORDER.index(target)


@dataclass(frozen=True)
class Overdue:
    """A stage whose deadline has passed without it being reached."""

    stage: str
    due: datetime.date


def overdue(
    stage: Stage, meets_threshold: bool | None, due: Deadlines, today: datetime.date
) -> list[Overdue]:
    """The deadlines missed by a case at ``stage`` on ``today``."""
    missed = []
    if not reached(stage, Stage.ACKNOWLEDGED) and today > due.acknowledge_by:
        missed.append(Overdue("acknowledgement", due.acknowledge_by))
    if not reached(stage, Stage.DECIDED) and today > due.decide_by:
        missed.append(Overdue("threshold decision", due.decide_by))
    awaiting_meeting = not reached(stage, Stage.DECIDED) or (
        stage is Stage.DECIDED and meets_threshold
    )
    if awaiting_meeting and meets_threshold is not False and today > due.meeting_by:
        missed.append(Overdue("review meeting", due.meeting_by))
    return missed
