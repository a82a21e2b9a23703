"""Column widths: never narrower than the longest word, shares sum to one, wide tables go
landscape, prose columns get the room."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cspkit.report.blocks import Callout, Column, Figure, Paragraph, Table
from cspkit.report.formatting import format_cell
from cspkit.report.layout import (
    CELL_PADDING_CHARS,
    LANDSCAPE_CHARS,
    LEAD_IN_MAX_BLOCKS,
    NUMERIC_CHAR_WIDTH,
    PORTRAIT_CHARS,
    landscape_lead_in,
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
    longest = [
        max([len(column.name), *(len(w) for r in rows for w in r[i].split())])
        for i, column in enumerate(table.columns)
    ]
    if sum(n + CELL_PADDING_CHARS for n in longest) <= LANDSCAPE_CHARS:
        # a table that can fit keeps whole words: no column is narrower than its longest word
        for share, n in zip(lay.shares, longest, strict=True):
            assert share * room >= n + CELL_PADDING_CHARS - 1e-6


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


def _wide(table_id: str = "wide") -> Table:
    columns = tuple(Column(f"Category {i}", numeric=True) for i in range(14))
    return Table(table_id, "Wide", (Column("Ward"), *columns), (("Town", *range(14)),))


def test_a_section_opening_with_a_wide_table_takes_its_lead_in_to_the_landscape_page() -> None:
    narrow = Table("n", "Narrow", (Column("Term"), Column("Meaning")), (("ASB", "x"),))
    note = Callout("About the comparison", ("Not every month is covered.",))
    assert landscape_lead_in([note, _wide()]) == 1
    assert landscape_lead_in([_wide()]) == 0
    assert landscape_lead_in([Paragraph("a")] * LEAD_IN_MAX_BLOCKS + [_wide()]) == 3
    # Too much text before it, a narrow first table, a figure first, or no table: no change.
    assert landscape_lead_in([Paragraph("a")] * (LEAD_IN_MAX_BLOCKS + 1) + [_wide()]) is None
    assert landscape_lead_in([narrow, _wide()]) is None
    figure = Figure("f", "F", "alt", "<svg/>", b"")
    assert landscape_lead_in([figure, _wide()]) is None
    assert landscape_lead_in([Paragraph("a")]) is None


def test_a_p_value_below_one_in_a_thousand_never_wraps() -> None:
    p = Column("p", numeric=True, format="p")
    text = format_cell(0.0004, p)
    assert text == "<\u00a00.001"  # a no-break space: one word in every edition
    prose = "A long explanation that could take all the room of the table " * 3
    table = Table("t", "T", (Column("Note"), p), ((prose, 0.0004),))
    lay = table_layout(table)
    room = (LANDSCAPE_CHARS if lay.landscape else PORTRAIT_CHARS) * lay.fill
    assert lay.shares[1] * room >= NUMERIC_CHAR_WIDTH * len(text) + CELL_PADDING_CHARS - 1e-6
