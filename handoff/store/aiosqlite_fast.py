"""One thread hop per SQL statement on SQLite, instead of SQLAlchemy 1.4's three or four.

SQLAlchemy's aiosqlite adapter runs each statement as separate trips to aiosqlite's thread: open a cursor, execute,
fetch the rows, close the cursor. Every trip waits for the event loop to come round again, and on a busy loop
(the bot thread holding the GIL, other customers' frames) that is milliseconds each; with one SQLite connection
every transaction then held the database for tens of milliseconds (acknowledgements queued behind it). Here the
four steps run as one function on aiosqlite's thread. Results, rowcount, lastrowid and errors are the same
(tests/integration/handoff/store/test_aiosqlite_fast.py); server-side cursors keep SQLAlchemy's own path.
Pinned versions: SQLAlchemy 1.4.x (AsyncAdapt_aiosqlite_cursor) and aiosqlite 0.20 (Connection._execute, _conn).
"""
from __future__ import annotations

import sqlite3
from typing import Any

_installed = False


def _run_statement(connection: sqlite3.Connection, operation: str, parameters: Any) -> tuple[Any, list, Any, int]:
    """On aiosqlite's thread: the whole statement, from cursor to close."""
    cursor = connection.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        return description, (cursor.fetchall() if description else []), cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


def install() -> None:
    """Patch SQLAlchemy's aiosqlite cursor adapter once per process."""
    global _installed
    if _installed:
        return
    from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_cursor

    stock_execute = AsyncAdapt_aiosqlite_cursor.execute

    def execute(self: Any, operation: str, parameters: Any = None) -> None:
        if self.server_side:
            return stock_execute(self, operation, parameters)
        try:
            connection = self._connection
            description, rows, lastrowid, rowcount = self.await_(
                connection._execute(_run_statement, connection._conn, operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        if description:
            self.description = description
            self.lastrowid = self.rowcount = -1
            self._rows = rows
        else:
            self.description = None
            self.lastrowid = lastrowid
            self.rowcount = rowcount

    AsyncAdapt_aiosqlite_cursor.execute = execute
    _installed = True
