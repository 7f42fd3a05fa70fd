"""One thread hop per SQL statement on SQLite, instead of SQLAlchemy 1.4's three or four; none for a no-op.

SQLAlchemy's aiosqlite adapter runs each statement as separate trips to aiosqlite's thread: open a cursor, execute,
fetch the rows, close the cursor. Every trip waits for the event loop to come round again, and on a busy loop
(the bot thread holding the GIL, other customers' frames) that is milliseconds each; with one SQLite connection
every transaction then held the database for tens of milliseconds (acknowledgements queued behind it). Here the
four steps run as one function on aiosqlite's thread. Results, rowcount, lastrowid and errors are the same
(tests/integration/handoff/store/test_aiosqlite_fast.py); server-side cursors keep SQLAlchemy's own path.

Two more trips per transaction are saved (each ~0.2 ms of CPU, issue 18): the `BEGIN IMMEDIATE` that
store/database.py emits when a transaction begins travels with the transaction's first statement (a transaction
without statements never begins, so its commit and rollback have nothing to do), and the pool's rollback when a
connection comes back is skipped when SQLite says no transaction is open and nothing is queued or running on the
connection's thread (pysqlite's rollback would do nothing then). Lock and error behaviour stay: the write lock is
taken before the first statement runs, and a BEGIN that fails raises from that statement.
Inside a transaction that already holds the write lock, a statement marked as touching one row found by its key
(`execution_options(single_row=True)`, store/messages.py and conversations.py: the customer turn's reads, seq,
inserts and routing updates) runs on the event loop itself, when nothing is queued on the connection's thread: it
cannot wait for a lock there (WAL, write lock held), and it takes less time than the hop it saves (~50 us against
~0.2 ms of CPU and two thread switches). Everything else, the BEGIN and the COMMIT included, stays on the thread.
Pinned versions: SQLAlchemy 1.4.x (AsyncAdapt_aiosqlite_cursor/_connection) and aiosqlite 0.20 (Connection._execute,
_conn, _connection).
"""
from __future__ import annotations

import sqlite3
from typing import Any

DEFERRED_BEGIN = "BEGIN IMMEDIATE"   # what store/database.py emits when a transaction begins

_installed = False


def _run_statement(connection: sqlite3.Connection, operation: str, parameters: Any,
                   begin_first: bool = False) -> tuple[Any, list, Any, int]:
    """On aiosqlite's thread: the whole statement, from cursor to close (after the deferred BEGIN, if one waits)."""
    cursor = connection.cursor()
    try:
        if begin_first:
            cursor.execute(DEFERRED_BEGIN)
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        return description, (cursor.fetchall() if description else []), cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


async def _run_here(connection: sqlite3.Connection, operation: str,
                    parameters: Any) -> tuple[Any, list, Any, int]:
    return _run_statement(connection, operation, parameters)


def _counting(stock_execute: Any) -> Any:
    """aiosqlite's Connection._execute, counting what was handed to the thread and what it finished (each counter
    written by one thread only), so the loop can tell that nothing is queued or running."""
    async def _execute(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        def counted() -> Any:
            try:
                return fn(*args, **kwargs)
            finally:
                self._nordwind_finished = getattr(self, "_nordwind_finished", 0) + 1
        self._nordwind_submitted = getattr(self, "_nordwind_submitted", 0) + 1
        return await stock_execute(self, counted)
    return _execute


def _nothing_to_undo(connection: Any) -> bool:
    """No transaction open and the connection's thread idle (False whenever in doubt)."""
    if getattr(connection, "_nordwind_submitted", 0) != getattr(connection, "_nordwind_finished", 0):
        return False
    raw = getattr(connection, "_connection", None)
    if raw is None:
        return False
    try:
        return not raw.in_transaction
    except sqlite3.Error:
        return False


SINGLE_ROW = "single_row"   # execution option: at most one row, found by key (see above)


def _quick_enough(connection: Any) -> bool:
    """The connection holds the write lock (every transaction here begins IMMEDIATE) and its thread is idle."""
    if getattr(connection, "_nordwind_submitted", 0) != getattr(connection, "_nordwind_finished", 0):
        return False
    raw = getattr(connection, "_connection", None)
    try:
        return raw is not None and raw.in_transaction
    except sqlite3.Error:
        return False


def listen(sync_engine: Any) -> None:
    """Tell the cursor which statements are marked SINGLE_ROW (the DBAPI cursor does not see execution options)."""
    from sqlalchemy import event

    @event.listens_for(sync_engine, "before_cursor_execute")
    def _mark_single_row(_conn: Any, cursor: Any, _statement: str, _parameters: Any, context: Any,
                         executemany: bool) -> None:
        if not executemany and context is not None and context.execution_options.get(SINGLE_ROW):
            connection = getattr(cursor, "_connection", None)
            if connection is not None:
                connection._nordwind_single_row = True


def install() -> None:
    """Patch SQLAlchemy's aiosqlite cursor and connection adapters once per process."""
    global _installed
    if _installed:
        return
    import aiosqlite
    from sqlalchemy.dialects.sqlite.aiosqlite import (AsyncAdapt_aiosqlite_connection,
                                                      AsyncAdapt_aiosqlite_cursor)

    aiosqlite.Connection._execute = _counting(aiosqlite.Connection._execute)
    stock_execute = AsyncAdapt_aiosqlite_cursor.execute
    stock_executemany = AsyncAdapt_aiosqlite_cursor.executemany
    stock_commit = AsyncAdapt_aiosqlite_connection.commit
    stock_rollback = AsyncAdapt_aiosqlite_connection.rollback

    def take_deferred_begin(cursor: Any) -> bool:
        connection = cursor._connection
        waiting = getattr(connection, "_nordwind_begin", False)
        connection._nordwind_begin = False
        return waiting

    def begin_now(cursor: Any) -> None:
        """For the paths that keep SQLAlchemy's own trips: the deferred BEGIN first, on its own."""
        if take_deferred_begin(cursor):
            connection = cursor._connection
            try:
                cursor.await_(connection._execute(_run_statement, connection._conn, DEFERRED_BEGIN, None))
            except Exception as error:
                cursor._adapt_connection._handle_exception(error)

    def execute(self: Any, operation: str, parameters: Any = None) -> None:
        if self.server_side:
            begin_now(self)
            return stock_execute(self, operation, parameters)
        connection = self._connection
        waiting = getattr(connection, "_nordwind_begin", False)
        if operation == DEFERRED_BEGIN and not parameters and not waiting:
            connection._nordwind_begin = True   # runs with the next statement
            self.description = None
            self.lastrowid, self.rowcount = None, -1
            return None
        begin_first = take_deferred_begin(self)
        single_row = getattr(connection, "_nordwind_single_row", False)
        connection._nordwind_single_row = False
        try:
            if single_row and not begin_first and _quick_enough(connection):
                # Through await_ all the same (SQLAlchemy's async execute requires one), but nothing is awaited.
                description, rows, lastrowid, rowcount = self.await_(
                    _run_here(connection._connection, operation, parameters))
            else:
                description, rows, lastrowid, rowcount = self.await_(
                    connection._execute(_run_statement, connection._conn, operation, parameters, begin_first))
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

    def executemany(self: Any, operation: str, seq_of_parameters: Any) -> None:
        begin_now(self)
        return stock_executemany(self, operation, seq_of_parameters)

    def commit(self: Any) -> None:
        if getattr(self._connection, "_nordwind_begin", False):
            self._connection._nordwind_begin = False   # the transaction never began: nothing to commit
            return
        stock_commit(self)

    def rollback(self: Any) -> None:
        self._connection._nordwind_begin = False
        if _nothing_to_undo(self._connection):
            return
        stock_rollback(self)

    AsyncAdapt_aiosqlite_cursor.execute = execute
    AsyncAdapt_aiosqlite_cursor.executemany = executemany
    AsyncAdapt_aiosqlite_connection.commit = commit
    AsyncAdapt_aiosqlite_connection.rollback = rollback
    _installed = True
