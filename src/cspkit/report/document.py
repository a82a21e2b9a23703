"""A report document: title, sections of blocks, footer. Renderers take this and nothing else."""

from __future__ import annotations

from dataclasses import dataclass

from cspkit.report.blocks import Section, Table


@dataclass(frozen=True)
class ReportDocument:
    """Everything a renderer needs to write a report."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str

    def tables(self) -> tuple[Table, ...]:
        """Every table of every section, in order (their ids are unique)."""
        return tuple(t for s in self.sections for t in s.tables())
