"""The presentation model: what a report section shows, as plain immutable data.

Sections compute their statistics first, then describe what to show as a tuple of blocks:
headings, paragraphs, tables and figures. Renderers (HTML, Word, PDF, CSV) only read blocks,
so every table is also downloadable data and every chart carries alt text and the table of
the figures it draws.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

Cell: TypeAlias = str | int | float | None


@dataclass(frozen=True)
class Column:
    """A table column. ``numeric`` right-aligns it; ``count`` marks small-number suppression
    candidates (counts of events or people) for public outputs."""

    name: str
    numeric: bool = False
    count: bool = False
    format: str = ""  # "count", "rate", "pct", "signed", "p" or "" (as is)


@dataclass(frozen=True)
class Table:
    """A data table with a caption; ``id`` names its CSV file (``<id>.csv``)."""

    id: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    row_header: bool = True  # the first column names the row
    #: When above 0, the body of a document shows only this many first rows and the whole
    #: table is printed in the full-tables appendix (the CSV always holds every row).
    excerpt: int = 0

    @property
    def csv_name(self) -> str:
        """The file beside the report that holds this table."""
        return f"{self.id}.csv"

    def shown_rows(self) -> tuple[tuple[Cell, ...], ...]:
        """The rows a document body shows: all, or the excerpt."""
        return self.rows[: self.excerpt] if self.excerpt else self.rows


@dataclass(frozen=True)
class Figure:
    """A chart or map: SVG for the page, PNG for Word, alt text, and its data table."""

    id: str
    caption: str
    alt: str
    svg: str
    png: bytes
    table: Table | None = None


@dataclass(frozen=True)
class Paragraph:
    text: str
    emphasis: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Callout:
    """A highlighted note (e.g. about comparisons or data gaps)."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Subheading:
    """A heading inside a section (a bookmark in the PDF, Heading 2 in Word)."""

    text: str


Block: TypeAlias = Paragraph | Bullets | Table | Figure | Callout | Subheading


@dataclass(frozen=True)
class Section:
    """A report section: id (anchor), title, key findings for the summary, and its blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...]
    key_findings: tuple[str, ...] = field(default=())
    appendix: bool = False  # printed after the analytical chapters, lettered A, B, C ...
    findings_title: str = "Key findings"  # the heading over ``key_findings``

    def tables(self) -> tuple[Table, ...]:
        """Every table in the section, including the data tables behind figures."""
        found: list[Table] = []
        for block in self.blocks:
            if isinstance(block, Table):
                found.append(block)
            elif isinstance(block, Figure) and block.table is not None:
                found.append(block.table)
        return tuple(found)
