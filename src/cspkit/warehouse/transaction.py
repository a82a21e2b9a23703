"""One transaction on a warehouse connection: committed whole, or rolled back whole."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN, then COMMIT when the block ends; on any exception (Ctrl-C too) ROLLBACK and raise.

    A COMMIT that fails (a full disk) has already ended the transaction, so the ROLLBACK that
    follows finds none; the COMMIT's error is the one raised.
    """
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise
