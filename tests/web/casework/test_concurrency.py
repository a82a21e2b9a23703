"""Two officers acting on one case at the same moment, in two threads with their own
database connections: exactly one step is applied and the other is told, nothing is lost.
"""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
from django.db import connection

from cspkit.casereview.workflow import Step
from cspkit.web.casework import cases
from cspkit.web.casework.models import Case

THREADS = 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_steps_apply_once(casework: dict[str, Any], case: Case) -> None:
    version = case.version
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    officers = [casework["officer_a"], casework["officer_b"]]
    agencies = casework["agencies"][:THREADS]

    def act(index: int) -> None:
        try:
            barrier.wait()
            cases.take_step(
                officers[index],
                case.pk,
                Step.ACKNOWLEDGE,
                version,
                {"on": datetime.date.today(), "lead_agency": agencies[index]},
            )
            outcomes.append(f"applied:{index}")
        except cases.Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["applied", "conflict"]
    winner = int(next(o for o in outcomes if o.startswith("applied")).split(":")[1])
    case.refresh_from_db()
    assert case.version == version + 1
    assert case.lead_agency == agencies[winner] and case.lead_officer == officers[winner]
