"""A report document: a cover, sections of blocks (chapters, then appendices), a footer.

Renderers take this and nothing else. Chapters are numbered 1, 2, 3 ... and appendices
lettered A, B, C ... in the order they come; the contents list, the running footer and the
Word file's properties all read the cover.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from cspkit.report.blocks import Section, Table

#: The protective marking printed on the cover and every page unless configured otherwise.
DEFAULT_MARKING = "OFFICIAL"
DEFAULT_AUTHOR = "cspkit"


@dataclass(frozen=True)
class Cover:
    """What the cover page says, and the document properties that follow from it."""

    partnership: str = ""
    area: str = ""
    period: str = ""
    produced: str = ""  # the date produced, as printed
    marking: str = DEFAULT_MARKING  # protective marking line; "" prints none
    edition: str = ""  # e.g. "Public edition"

    @property
    def author(self) -> str:
        """The author recorded in the PDF and Word properties."""
        return self.partnership or DEFAULT_AUTHOR


@dataclass(frozen=True)
class ReportDocument:
    """Everything a renderer needs to write a report."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str
    cover: Cover | None = None
    public: bool = False  # the public edition: an accessible (tagged) PDF

    def tables(self) -> tuple[Table, ...]:
        """Every table of every section, in order, each once (an appendix may print a
        table whose excerpt a chapter shows: both are the same table)."""
        seen: dict[str, Table] = {}
        for s in self.sections:
            for t in s.tables():
                seen.setdefault(t.id, t)
        return tuple(seen.values())

    def numbered(self) -> tuple[tuple[str, Section], ...]:
        """Each section with its number: chapters 1, 2, 3 ..., appendices A, B, C ..."""
        out: list[tuple[str, Section]] = []
        chapters = appendices = 0
        for s in self.sections:
            if s.appendix:
                out.append((f"Appendix {string.ascii_uppercase[appendices % 26]}", s))
                appendices += 1
            else:
                chapters += 1
                out.append((str(chapters), s))
        return tuple(out)

    def label_of(self, section_id: str) -> str:
        """The number or appendix letter of a section ('' if there is none)."""
        return next((label for label, s in self.numbered() if s.id == section_id), "")

    def appendix_holding(self, table_id: str) -> Section | None:
        """The appendix that prints a table in full, if one does (as a table of its own, not
        as the figures behind one of its charts or maps)."""
        for s in self.sections:
            if s.appendix and any(isinstance(b, Table) and b.id == table_id for b in s.blocks):
                return s
        return None
