"""The public edition of a report: small-number suppression applied to every table.

Count columns of each table are passed through cspkit.report.suppress (primary suppression of
counts 1-4 and secondary suppression so no hidden count can be recovered from totals). Figures
derived from a hidden count in the same row (rates, changes) are hidden too, and a chart whose
data had hidden cells is replaced by a note, because the picture would show the number.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from cspkit.report.blocks import Block, Cell, Figure, Paragraph, Section, Table
from cspkit.report.document import ReportDocument
from cspkit.report.suppress import SUPPRESSION_THRESHOLD, suppress_table

HIDDEN = "[c]"
NOTE = (
    f"[c]: not published: a count below {SUPPRESSION_THRESHOLD}, or a figure from which "
    "one could be worked out (every derived figure in the same row, and enough other counts "
    "that no hidden count can be recovered from totals)."
)


def suppress_rows(t: Table, threshold: int = SUPPRESSION_THRESHOLD) -> tuple[Table, bool]:
    """The table with small counts hidden; and whether anything was hidden."""
    count_cols = [i for i, c in enumerate(t.columns) if c.count]
    if not count_cols or not t.rows:
        return t, False
    frame = pd.DataFrame(
        [[round(float(row[i] or 0)) for i in count_cols] for row in t.rows],
        index=[str(k) for k in range(len(t.rows))],
        columns=[str(i) for i in count_cols],
    )
    result = suppress_table(frame, threshold)
    hidden_cells = {
        (int(c.row), int(c.column))
        for c in result.suppressed
        if c.row.isdigit() and c.column.isdigit()
    }
    if not hidden_cells:
        return t, False
    first = 1 if t.row_header else 0
    rows: list[tuple[Cell, ...]] = []
    for r, row in enumerate(t.rows):
        cells = list(row)
        row_hidden = False
        for i in count_cols:
            if (r, i) in hidden_cells:
                cells[i] = HIDDEN
                row_hidden = True
        if row_hidden:
            cells[first:] = [
                HIDDEN if i not in count_cols or (r, i) in hidden_cells else v
                for i, v in enumerate(cells[first:], start=first)
            ]
        rows.append(tuple(cells))
    return replace(t, rows=tuple(rows), notes=(*t.notes, NOTE)), True


def _block(block: Block) -> Block:
    if isinstance(block, Table):
        return suppress_rows(block)[0]
    if isinstance(block, Figure) and block.table is not None:
        table, hidden = suppress_rows(block.table)
        if hidden:
            return Paragraph(
                f"{block.caption}: not shown in the public edition because it would show "
                f"counts below {SUPPRESSION_THRESHOLD}."
            )
        return replace(block, table=table)
    return block


def suppress_document(doc: ReportDocument) -> ReportDocument:
    """The document with every table and chart made safe for publication."""
    sections = tuple(
        Section(s.id, s.title, tuple(_block(b) for b in s.blocks), s.key_findings)
        for s in doc.sections
    )
    return replace(doc, sections=sections)
