"""Column widths: never narrower than the longest word, shares sum to one, wide tables go
landscape, prose columns get the room."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cspkit.report.blocks import Column, Table
from cspkit.report.layout import (
    CELL_PADDING_CHARS,
    LANDSCAPE_CHARS,
    PORTRAIT_CHARS,
    table_layout,
)

words = st.text(alphabet="abcdefghij", min_size=1, max_size=14)
cells = st.lists(words, min_size=1, max_size=8).map(" ".join)


@given(
    st.integers(min_value=1, max_value=12).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.lists(cells, min_size=n, max_size=n), max_size=6)
        )
    )
)
def test_shares_sum_to_one_and_every_word_fits(case: tuple[int, list[list[str]]]) -> None:
    n, rows = case
    table = Table("t", "T", tuple(Column(f"c{i}") for i in range(n)), tuple(map(tuple, rows)))
    lay = table_layout(table)
    assert abs(sum(lay.shares) - 1) < 1e-9 and 0 < lay.fill <= 1
    room = (LANDSCAPE_CHARS if lay.landscape else PORTRAIT_CHARS) * lay.fill
    minimum_total = 0.0
    for i, column in enumerate(table.columns):
        longest = max([len(column.name), *(len(w) for r in rows for w in r[i].split())])
        minimum_total += longest + CELL_PADDING_CHARS
        if minimum_total <= LANDSCAPE_CHARS:  # a table that can fit keeps whole words
            assert lay.shares[i] * max(room, minimum_total) >= longest + CELL_PADDING_CHARS - 1e-6


def test_a_table_of_many_wide_columns_goes_landscape() -> None:
    columns = tuple(Column(f"Category {i}", numeric=True) for i in range(14))
    table = Table("wide", "Wide", (Column("Ward"), *columns), (("Town", *range(14)),))
    assert table_layout(table).landscape
    narrow = Table("narrow", "Narrow", (Column("Term"), Column("Meaning")), (("ASB", "x"),))
    assert not table_layout(narrow).landscape


def test_a_prose_column_gets_most_of_the_width() -> None:
    prose = "About 39 more than the 155 expected from three times the monthly mean " * 2
    table = Table(
        "p",
        "P",
        (Column("Rank", numeric=True), Column("Issue"), Column("In words")),
        ((1, "Vehicle crime in Maidstone", prose),),
    )
    shares = table_layout(table).shares
    assert shares[2] == max(shares) and shares[2] > 0.5
