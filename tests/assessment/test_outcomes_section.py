"""The outcomes section: rates equal direct SQL counts; outcomes files fill pending records;
a configurable resolved definition; snapshots."""

from __future__ import annotations

import duckdb
import pytest

from cspkit.assessment.context import SectionContext
from cspkit.assessment.overview import build_overview
from cspkit.assessment.sections import outcomes
from cspkit.assessment.sections.outcomes_data import analyse_outcomes
from cspkit.report.blocks import Figure
from cspkit.stats.outcomes import OutcomeGroup
from cspkit.stats.periods import parse_period
from tests.snapshots import assert_section_snapshot

MAIDSTONE = "E07000110"
# police.uk outcome strings that the default definition counts as resolved, written out by
# hand (charge/summons and court results, caution, local resolution, penalty notice, warning).
RESOLVED_STRINGS = (
    "Suspect charged",
    "Suspect charged as part of another case",
    "Awaiting court outcome",
    "Court result unavailable",
    "Defendant sent to Crown Court",
    "Defendant found not guilty",
    "Court case unable to proceed",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Offender given community sentence",
    "Offender fined",
    "Offender given conditional discharge",
    "Offender given absolute discharge",
    "Offender ordered to pay compensation",
    "Offender deprived of property",
    "Offender otherwise dealt with",
    "Offender given a caution",
    "Local resolution",
    "Offender given penalty notice",
    "Offender given a penalty notice",
    "Offender given a drugs possession warning",
)
PENDING_STRINGS = ("Under investigation", "Status update unavailable")


def _context(con: duckdb.DuckDBPyConnection, area: str, period: str) -> SectionContext:
    o = build_overview(con, area, parse_period(period))
    return SectionContext(o.area, o.period, o.comparison, o.peers)


def _sql_counts(
    con: duckdb.DuckDBPyConnection, where: str, params: list[object]
) -> tuple[int, int, int]:
    row = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE list_contains(?, last_outcome)), "
        "count(*) FILTER (WHERE list_contains(?, last_outcome)) FROM crimes "
        f"WHERE category <> 'Anti-social behaviour' AND {where}",
        [list(RESOLVED_STRINGS), list(PENDING_STRINGS), *params],
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1]), int(row[2])


def test_maidstone_rates_equal_direct_sql_counts(sample_con: duckdb.DuckDBPyConnection) -> None:
    a = analyse_outcomes(sample_con, _context(sample_con, "Maidstone", "2025"))
    march = next(r for r in a.area.by_month if r.key == "2025-03")
    crimes, resolved, pending = _sql_counts(
        sample_con, "lad_code = ? AND month = DATE '2025-03-01'", [MAIDSTONE]
    )
    assert (march.crimes, march.resolved) == (crimes, resolved)
    assert march.resolution_rate == pytest.approx(resolved / crimes)
    assert march.pending_share == pytest.approx(pending / crimes)
    drugs = next(r for r in a.area.by_category if r.key == "Drugs")
    crimes, resolved, _ = _sql_counts(
        sample_con,
        "lad_code = ? AND category = 'Drugs' AND month BETWEEN '2025-01-01' AND '2025-12-01'",
        [MAIDSTONE],
    )
    assert (drugs.crimes, drugs.resolved) == (crimes, resolved)
    assert not a.outcomes_files_loaded and a.updated_from_outcomes_files == 0
    kent, kent_resolved, _ = _sql_counts(
        sample_con,
        "month BETWEEN '2025-01-01' AND '2025-12-01' AND lad_code IN "
        "(SELECT lad_code FROM district_force WHERE force_slug = 'kent')",
        [],
    )
    assert a.peer_group.overall.crimes == kent
    assert a.peer_group.overall.resolution_rate == pytest.approx(kent_resolved / kent)


def test_lincoln_pending_street_records_take_the_later_outcome(
    sample_con: duckdb.DuckDBPyConnection,
) -> None:
    a = analyse_outcomes(sample_con, _context(sample_con, "Lincoln", "12m:2020-01"))
    assert a.outcomes_files_loaded
    row = sample_con.execute(
        """
        SELECT count(*) FROM crimes c
        WHERE c.lad_code = 'E07000138' AND c.month BETWEEN '2019-02-01' AND '2020-01-01'
          AND c.category <> 'Anti-social behaviour' AND list_contains(?, c.last_outcome)
          AND EXISTS (SELECT 1 FROM outcomes o WHERE o.crime_id = c.crime_id
                      AND NOT list_contains(?, o.outcome_type))
        """,
        [list(PENDING_STRINGS), list(PENDING_STRINGS)],
    ).fetchone()
    assert row is not None and a.updated_from_outcomes_files == row[0] > 0
    crimes, resolved, pending = _sql_counts(
        sample_con,
        "lad_code = 'E07000138' AND month = DATE '2019-06-01'",
        [],
    )
    june = next(r for r in a.area.by_month if r.key == "2019-06")
    assert june.crimes == crimes
    # Only crimes updated from the outcomes files may differ from the street records.
    assert abs(june.resolved - resolved) <= a.updated_from_outcomes_files
    assert june.under_investigation + june.status_unavailable <= pending


def test_resolved_definition_is_configurable(sample_con: duckdb.DuckDBPyConnection) -> None:
    ctx = _context(sample_con, "Maidstone", "2025")
    narrow = analyse_outcomes(sample_con, ctx, frozenset({OutcomeGroup.CAUTION}))
    cautions = sample_con.execute(
        "SELECT count(*) FROM crimes WHERE lad_code = ? AND month >= '2025-01-01' "
        "AND last_outcome = 'Offender given a caution'",
        [MAIDSTONE],
    ).fetchone()
    assert cautions is not None and narrow.area.overall.resolved == cautions[0]
    section = outcomes.outcomes_section(sample_con, ctx, frozenset({OutcomeGroup.CAUTION}))
    assert "A crime counts as resolved when its outcome was: caution." in " ".join(
        getattr(b, "text", "") for b in section.blocks
    )


def test_section_explains_pending_and_ranks_peers(sample_con: duckdb.DuckDBPyConnection) -> None:
    section = outcomes.build(sample_con, _context(sample_con, "Maidstone", "2025"))
    assert section is not None
    text = " ".join(getattr(b, "text", "") for b in section.blocks)
    assert "should not be read as a fall" in text
    # no 2025 crime is under investigation while January-April 2024 had 12-42%: flagged
    assert "the outcome data look incomplete" in section.key_findings[0]
    assert "still under investigation or had no status update" not in section.key_findings[0]
    assert text.startswith("The outcome data look incomplete for January-December 2025")
    lincoln = outcomes.build(sample_con, _context(sample_con, "Lincoln", "12m:2020-01"))
    assert lincoln is not None
    assert "still under investigation or had no status update" in lincoln.key_findings[0]
    # 6th highest of 13 is 8th lowest: every rank reads 1 = lowest rate
    assert section.key_findings[1].startswith("Maidstone's resolution rate ranked 8 of 13")
    figure = next(b for b in section.blocks if isinstance(b, Figure))
    assert figure.table is not None and len(figure.table.rows) == 12
    ids = [t.id for t in section.tables()]
    assert len(ids) == len(set(ids)) and all(i.startswith("outcomes-") for i in ids)


@pytest.mark.parametrize(
    ("area", "period", "name"),
    [
        ("Maidstone", "2025", "outcomes-maidstone-2025.html"),
        ("Lincoln", "12m:2020-01", "outcomes-lincoln-12m-2020-01.html"),
    ],
)
def test_outcomes_section_snapshot(
    sample_con: duckdb.DuckDBPyConnection, area: str, period: str, name: str
) -> None:
    section = outcomes.build(sample_con, _context(sample_con, area, period))
    assert section is not None
    assert_section_snapshot(section, name)
