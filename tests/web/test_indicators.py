"""Live indicators: figures from the warehouse, statistics from cspkit.stats, RAG by rule."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from cspkit.stats.polarity import Polarity
from cspkit.web import charts, indicators
from cspkit.web.indicators import Rag, build_status, latest_run_start
from cspkit.web.plan.models import Indicator

STEADY = (50, 52, 49, 51, 50, 53, 48, 50, 52, 51, 49, 50, 51)
RISING_SHIFT = (*STEADY, 70, 72, 71, 73, 74, 75, 76, 90)


def _months(n: int, start: datetime.date = datetime.date(2024, 1, 1)) -> tuple[datetime.date, ...]:
    out = []
    y, m = start.year, start.month
    for _ in range(n):
        out.append(datetime.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return tuple(out)


def _indicator(
    target: float | None = None, polarity: Polarity = Polarity.HIGHER_IS_WORSE
) -> Indicator:
    return Indicator(slug="x", name="X", unit="count", polarity=polarity.value, target=target)


def test_latest_run_after_a_gap() -> None:
    months = (*_months(4), *_months(12, datetime.date(2025, 1, 1)))
    assert latest_run_start(months) == 4


def test_stable_without_target_is_green() -> None:
    status = build_status(_indicator(), _months(len(STEADY)), tuple(map(float, STEADY)), "")
    assert status.rag is Rag.GREEN and status.rag_rule == "stable"
    assert "Green" in status.rag_text


def test_rising_crime_is_red() -> None:
    values = tuple(map(float, RISING_SHIFT))
    status = build_status(_indicator(), _months(len(values)), values, "")
    assert status.rag is Rag.RED and status.rag_rule == "concern"


def test_rising_good_measure_is_green() -> None:
    values = tuple(map(float, RISING_SHIFT))
    status = build_status(
        _indicator(polarity=Polarity.HIGHER_IS_BETTER), _months(len(values)), values, ""
    )
    assert status.rag is Rag.GREEN and status.rag_rule == "improvement"


def test_target_inside_limits_is_amber() -> None:
    status = build_status(
        _indicator(target=50), _months(len(STEADY)), tuple(map(float, STEADY)), ""
    )
    assert status.rag is Rag.AMBER and status.rag_rule == "inconsistent"


def test_target_always_missed_is_red() -> None:
    status = build_status(
        _indicator(target=20), _months(len(STEADY)), tuple(map(float, STEADY)), ""
    )
    assert status.rag is Rag.RED and status.rag_rule == "fails-target"


def test_no_data_is_grey() -> None:
    status = build_status(_indicator(), (), (), "No warehouse")
    assert status.rag is Rag.GREY and charts.spc_svg(status) == ""


def test_change_uses_same_month_last_year() -> None:
    values = tuple(float(v) for v in range(100, 113))
    status = build_status(_indicator(), _months(13), values, "")
    assert status.change is not None
    assert status.change.previous == 100 and status.change.current == 112
    assert "January 2025 against January 2024" in status.change_text


def test_chart_is_accessible_svg() -> None:
    status = build_status(
        _indicator(target=55), _months(len(STEADY)), tuple(map(float, STEADY)), ""
    )
    svg = charts.spc_svg(status)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<title" in svg and "<desc" in svg
    points = re.findall(r"<g id=\"points-[a-z_]+\">(.*?)</g>", svg, flags=re.DOTALL)
    assert sum(group.count("<use") for group in points) == len(STEADY)


@pytest.fixture
def fake_warehouse(monkeypatch: pytest.MonkeyPatch) -> None:
    """Warehouse series for every indicator: a steady series, then a shift for ASB."""

    def series(indicator: Indicator) -> tuple[list[tuple[datetime.date, float]], str]:
        values = RISING_SHIFT if indicator.series_id == "anti-social-behaviour" else STEADY
        return list(zip(_months(len(values)), map(float, values), strict=True)), ""

    monkeypatch.setattr(indicators, "_warehouse_series", series)


def test_indicator_page_shows_status_rule_and_chart(
    people: dict[str, Any], fake_warehouse: None
) -> None:
    client = Client()
    client.force_login(people["bystander"])
    page = client.get("/manage/indicators/anti-social-behaviour/").content.decode()
    assert "<svg" in page and "RED" in page and "(applies here)" in page
    data = json.loads(client.get("/manage/indicators/anti-social-behaviour.json").content)
    assert data["rag"] == "red" and len(data["spc"]) == len(RISING_SHIFT)
    csv_text = client.get("/manage/indicators/anti-social-behaviour.csv").content.decode()
    assert csv_text.splitlines()[0].startswith("month,value,mean,lower_limit,upper_limit")
    svg = client.get("/manage/indicators/anti-social-behaviour/chart.svg")
    assert svg["Content-Type"] == "image/svg+xml"


def test_dashboard_lists_indicators_of_concern(
    people: dict[str, Any], fake_warehouse: None
) -> None:
    client = Client()
    client.force_login(people["manager"])
    data = json.loads(client.get("/manage.json").content)
    assert "anti-social-behaviour" in data["indicators_of_concern"]


def test_missing_warehouse_is_explained(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["manager"])
    data = json.loads(client.get("/manage/indicators/burglary.json").content)
    assert data["rag"] == "grey" and "No warehouse" in data["note"]


def test_public_key_figures_suppress_small_numbers(
    plan: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def series(indicator: Indicator) -> tuple[list[tuple[datetime.date, float]], str]:
        value = 3.0 if indicator.series_id == "burglary" else 40.0
        return list(zip(_months(13), [value] * 13, strict=True)), ""

    monkeypatch.setattr(indicators, "_warehouse_series", series)
    data = json.loads(Client().get("/plan.json").content)
    shown = {f["name"]: f["value"] for f in data["key_figures"]}
    assert shown["Burglary"].startswith("fewer than 5")
    assert "3" not in shown["Burglary"]


def test_indicator_list_shows_making_data_count_icons(people: dict[str, Any]) -> None:
    client = Client()
    client.force_login(people["member"])
    html = client.get("/manage/indicators/").content.decode()
    row = html[html.index("Sanctuary scheme referrals") :]
    row = row[: row.index("</tr>")]
    assert 'class="mdc mdc-' in row and "Variation: " in row
    assert "Assurance: " in row  # it has a target of 12 a month


def test_figures_are_rounded_alike_in_text_and_table() -> None:
    from django.template import Context, Template

    from cspkit.web.indicators import figure

    table = Template('{{ v|floatformat:"-1g" }}')
    for value in (12.0, 12.25, 1234.0, 1234.56, 0.5):
        assert figure(value) == table.render(Context({"v": value}))


@given(st.integers(min_value=0, max_value=10**10).map(lambda n: n / 1000))
def test_figure_matches_the_table_filter_for_any_value(value: float) -> None:
    from django.template import Context, Template

    from cspkit.web.indicators import figure

    assert figure(value) == Template('{{ v|floatformat:"-1g" }}').render(Context({"v": value}))
