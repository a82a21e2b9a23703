"""Key messages chosen by rules that follow the evidence (Maidstone 2025 on the real sample)."""

from __future__ import annotations

import duckdb
import pytest

from cspkit.assessment import narrative
from cspkit.assessment.overview import Overview, build_overview
from cspkit.report.blocks import Section
from cspkit.stats.periods import parse_period


@pytest.fixture(scope="module")
def maidstone(sample_con: duckdb.DuckDBPyConnection) -> Overview:
    return build_overview(sample_con, "Maidstone", parse_period("2025"))


def test_every_significant_rise_is_reported_and_falls_too(maidstone: Overview) -> None:
    facts = narrative.key_facts(maidstone)
    # Drugs: 154 in January-April 2024, 207 in January-April 2025 (+34.4%, p = 0.006), the
    # only significant rise; it was left out when messages were the largest absolute falls.
    drugs = next(r for r in maidstone.rows if r.indicator == "Drugs")
    assert (drugs.previous, drugs.current_compared) == (154, 207)
    assert drugs.p_value == pytest.approx(0.0057, abs=0.0005)
    assert (
        "Drugs in Maidstone rose by 34.4% between January-April 2024 and January-April 2025 "
        "(154 to 207)." in facts
    )
    rises, falls = narrative.movers(maidstone)
    assert [r.indicator for r in rises] == ["Drugs"]
    assert falls and all((r.pct_change or 0) < 0 and r.significant for r in falls)
    assert len(falls) <= narrative.MAX_FALLS
    p_values = [r.p_value or 0 for r in falls]
    assert p_values == sorted(p_values)  # the strongest evidence first


def test_small_counts_are_never_headlines(maidstone: Overview) -> None:
    rises, falls = narrative.movers(maidstone)
    for r in rises + falls:
        assert max(r.previous or 0, r.current_compared or 0) >= narrative.HEADLINE_MINIMUM
        assert not r.small_counts


def test_at_most_ten_messages_each_one_sentence(maidstone: Overview) -> None:
    sections = tuple(
        Section(s, s.title(), (), (f"Finding of {s}.", "A second finding."))
        for s in narrative.SUMMARY_SECTIONS
    )
    messages = narrative.key_messages(maidstone, sections)
    assert len(messages) == narrative.MAX_MESSAGES
    assert messages[0].startswith("Crime in Maidstone fell by 9.1% between January-April 2024")
    assert "A second finding." not in messages  # one message per section at most
    for m in messages:
        assert m.endswith(".") and m.count(". ") == 0, m


def test_part_year_headlines_name_the_months(maidstone: Overview) -> None:
    for fact in narrative.key_facts(maidstone)[:2]:
        assert "January-April 2024 and January-April 2025" in fact
