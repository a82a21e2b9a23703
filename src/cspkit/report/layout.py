"""Page layout of tables: how wide each column is, and which tables need a landscape page.

Widths are worked out from the text a column holds, measured in characters of the table
font: a column is never narrower than its longest word (so no word breaks in the middle),
and space left over goes to the columns with the longest text. A table whose longest words
do not fit the portrait text width is printed on a landscape page; the PDF, Word and HTML
editions all use these widths.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cspkit.report.blocks import Block, Column, Figure, Table
from cspkit.report.formatting import format_cell

#: Characters of the 8-point table font that fit the text width of an A4 page with the
#: report's margins (portrait 174 mm, landscape 261 mm, less cell padding).
PORTRAIT_CHARS = 104
LANDSCAPE_CHARS = 160
#: Characters of padding each cell takes (left and right).
CELL_PADDING_CHARS = 2
#: A text column asks for at most this many characters a line (longer text wraps).
MAX_PREFERRED_CHARS = 70
#: Header text wraps more readily than cells: it asks for half its length.
HEADER_SHARE = 0.5
#: A table is never drawn narrower than this share of the text width.
MIN_FILL = 0.5
#: Widths are estimates: a table takes this much more than its estimate, up to the text width.
FILL_SLACK = 1.15
#: Digits and punctuation are narrower than an average letter.
NUMERIC_CHAR_WIDTH = 0.85
#: Header words are bold, so wider than the same letters in a cell ("Wave" must not wrap).
HEADER_CHAR_WIDTH = 1.2


@dataclass(frozen=True)
class TableLayout:
    """Each column's share of the table width (summing to 1) and the page it needs."""

    shares: tuple[float, ...]
    landscape: bool
    fill: float  # the table's width as a share of the text width (at most 1)

    def percentages(self) -> tuple[str, ...]:
        """The shares as CSS widths, e.g. '12.5%'."""
        return tuple(f"{100 * s:.1f}%" for s in self.shares)


def _longest_word(text: str) -> int:
    """Words are separated by spaces that may break (a no-break space joins its words)."""
    return max((len(w) for w in re.split(r"[ \t\n]+", text)), default=0)


def _longest_header_word(text: str) -> int:
    """Headers may also break after a hyphen or a slash."""
    return _longest_word(re.sub(r"([-/])", r"\1 ", text))


def _measure(table: Table, index: int, column: Column) -> tuple[float, float, float]:
    """(minimum, preferred, longest) width of a column in characters, padding included."""
    cells = [format_cell(row[index], column) for row in table.rows]
    scale = NUMERIC_CHAR_WIDTH if column.numeric else 1.0
    header = HEADER_CHAR_WIDTH * _longest_header_word(column.name)
    minimum = max(header, scale * max((_longest_word(c) for c in cells), default=0))
    longest = scale * max((len(c) for c in cells), default=0)
    preferred = max(minimum, min(longest, MAX_PREFERRED_CHARS), len(column.name) * HEADER_SHARE)
    return (
        minimum + CELL_PADDING_CHARS,
        preferred + CELL_PADDING_CHARS,
        max(preferred, longest) + CELL_PADDING_CHARS,
    )


def table_layout(
    table: Table, portrait: float = PORTRAIT_CHARS, landscape_room: float = LANDSCAPE_CHARS
) -> TableLayout:
    """The column widths of a table and whether it needs a landscape page; ``portrait`` and
    ``landscape_room`` are how many characters of the table font fit the text width."""
    sizes = [_measure(table, i, c) for i, c in enumerate(table.columns)]
    minimum = sum(m for m, _, _ in sizes)
    preferred = sum(p for _, p, _ in sizes)
    landscape = minimum > portrait or (
        preferred > portrait and len(table.columns) > LANDSCAPE_MIN_COLUMNS
    )
    room = landscape_room if landscape else portrait
    if preferred <= room or preferred == minimum:
        widths = [p for _, p, _ in sizes]
        # long text (wrapped at the preferred width) takes what room is left, up to one line
        wanting = sum(w - p for _, p, w in sizes)
        if wanting > 0:
            give = min(1.0, (room - preferred) / wanting)
            widths = [p + (w - p) * give for _, p, w in sizes]
    else:  # give every column its minimum, then share the rest by what each asks beyond it
        spare = max(room - minimum, 0.0)
        fraction = spare / (preferred - minimum)
        widths = [m + (p - m) * fraction for m, p, _ in sizes]
    total = sum(widths) or 1.0
    fill = min(1.0, max(total / room * FILL_SLACK, MIN_FILL))
    return TableLayout(tuple(w / total for w in widths), landscape, fill)


#: A table that wants more than the portrait width and has more columns than this goes
#: landscape rather than wrapping every cell.
LANDSCAPE_MIN_COLUMNS = 8


#: At most this many text blocks (paragraphs, lists, callouts) before a section's first table
#: go with that table onto its landscape page.
LEAD_IN_MAX_BLOCKS = 3


def landscape_lead_in(
    blocks: Sequence[Block],
    portrait: float = PORTRAIT_CHARS,
    landscape_room: float = LANDSCAPE_CHARS,
) -> int | None:
    """The index of a section's first table when the section opens with it: the table needs
    a landscape page and only the heading, key findings and a little text come before it.

    Printed as they are, those would stand alone on a portrait page before the table's page;
    they go onto the landscape page with it instead. None when the section opens otherwise.
    """
    for index, block in enumerate(blocks):
        if isinstance(block, Figure) or index > LEAD_IN_MAX_BLOCKS:
            return None
        if isinstance(block, Table):
            return index if table_layout(block, portrait, landscape_room).landscape else None
    return None
