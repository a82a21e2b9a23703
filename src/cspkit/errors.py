"""Exceptions a user sees. Each names what was wrong, where, and what was kept."""

from __future__ import annotations


class CspkitError(Exception):
    """Base class for errors reported to the user as one clear line (no traceback)."""


class InputError(CspkitError):
    """A file or value given by the user cannot be used.

    Carries the file, row (1-based line number in the file, header = 1) and column when known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        kept: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.kept = kept
        where = []
        if file is not None:
            where.append(file)
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        text = (": ".join([", ".join(where), message])) if where else message
        if kept is not None:
            text = f"{text} ({kept})"
        super().__init__(text)


class DataCoverageError(CspkitError):
    """The warehouse does not hold the data a requested computation needs."""


class UnknownAreaError(CspkitError):
    """An area name or code that matches no known area."""
