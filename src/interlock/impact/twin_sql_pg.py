"""The SQL twin's PostgreSQL engine (psycopg 3), driven by `twin_sql_run`.

Autocommit off: everything happens in one transaction that `rollback()` ends. The agent's
statements go through the extended query protocol (`prepare=True`, or `stream()` for those
that return rows, read one at a time), so one call is one statement: a `COMMIT` hidden after
a `;` is a syntax error, not a commit. The time limits
are `SET LOCAL` (they die with the transaction); `idle_in_transaction_session_timeout` makes
the server roll back by itself if this process dies between two statements.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any

import psycopg
from psycopg import errors as pgerr
from psycopg.pq import TransactionStatus

from interlock.impact.twin_sql import SqlTwinError, TableLoss
from interlock.impact.twin_sql_run import Budget, ConnectFailed, Escaped, Rel, Stats
from interlock.parse.sql_keywords import words_of

_CATALOG = """
SELECT c.oid::text, n.nspname || '.' || c.relname,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname), c.relfilenode::text
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname <> 'information_schema'
  AND n.nspname NOT LIKE 'pg\\_%'
"""
_STATS = """
SELECT schemaname || '.' || relname, n_tup_ins, n_tup_upd, n_tup_del
FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
"""
_RESOLVE = """
SELECT c.oid::text, n.nspname || '.' || c.relname,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(%s)
"""
_ROW_LEADS = frozenset({"SELECT", "VALUES", "TABLE", "WITH", "SHOW", "EXPLAIN", "FETCH"})
_TIMEOUTS = (pgerr.QueryCanceled, pgerr.LockNotAvailable, pgerr.IdleInTransactionSessionTimeout)


def connect_pg(dsn: str, budget: Budget) -> PgEngine:
    try:
        conn = psycopg.connect(
            dsn,
            autocommit=False,
            connect_timeout=max(2, math.ceil(budget.total_ms / 1000)),
            application_name="interlock-sql-twin",
        )
    except psycopg.ProgrammingError as exc:
        raise ConnectFailed("impact.sql_dsn", f"the dsn is not valid: {_line(exc)}") from None
    except psycopg.Error as exc:
        raise ConnectFailed("impact.sql_connect", f"cannot connect: {_line(exc)}") from None
    return PgEngine(conn, budget)


def _returns_rows(text: str) -> bool:
    words = [w.upper() for w in words_of(text)]
    return bool(words) and (words[0] in _ROW_LEADS or "RETURNING" in words)


def _line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0].strip() if text else type(exc).__name__


class PgEngine:
    name = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any], budget: Budget) -> None:
        self.conn = conn
        self.cur = conn.cursor()
        self.budget = budget
        self.idents: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.xid: int | None = None

    def _q(self, sql: str, params: tuple[Any, ...] | None = None) -> list[tuple[Any, ...]]:
        self.cur.execute(sql, params)
        return self.cur.fetchall() if self.cur.description is not None else []

    def begin(self, read_only: bool) -> None:
        if read_only:
            self._q("SET TRANSACTION READ ONLY")
        idle = self.budget.total_ms + 1000  # a dead twin's transaction ends on the server
        self._q(f"SET LOCAL idle_in_transaction_session_timeout = {int(idle)}")
        self.set_budget(self.budget.total_ms)

    def set_budget(self, ms: int) -> None:
        self._q(f"SET LOCAL statement_timeout = {max(1, int(ms))}")
        self._q(f"SET LOCAL lock_timeout = {max(1, int(ms))}")

    def catalog(self) -> dict[str, Rel]:
        out: dict[str, Rel] = {}
        for oid, name, ident, storage in self._q(_CATALOG):
            self.idents[oid], self.names[oid] = ident, name
            out[oid] = Rel(name, storage)
        return out

    def stats(self) -> Stats:
        return {t: (int(i), int(u), int(d)) for t, i, u, d in self._q(_STATS)}

    def savepoint(self) -> None:
        self._q("SAVEPOINT interlock_twin_step")

    def rollback_to(self) -> None:
        self._q("ROLLBACK TO SAVEPOINT interlock_twin_step")

    def release(self) -> None:
        self._q("RELEASE SAVEPOINT interlock_twin_step")

    def execute(self, text: str) -> tuple[int | None, str]:
        data = text.encode("utf-8")
        if _returns_rows(text):
            rows, tag = self._stream(data)
        else:
            # INVARIANT: prepare=True uses the extended protocol: exactly one statement runs
            self.cur.execute(data, prepare=True)
            rows = self.cur.rowcount if self.cur.rowcount >= 0 else None
            tag = self.cur.statusmessage or ""
        if self.conn.info.transaction_status != TransactionStatus.INTRANS:
            raise Escaped
        if self.xid is None:
            self.xid = self._q("SELECT txid_current_if_assigned()")[0][0]
        return rows, tag

    def _stream(self, data: bytes) -> tuple[int | None, str]:
        """Read the rows one at a time (constant memory) and count them; stream() also uses
        the extended protocol. A statement that turns out to return no rows (`SELECT … INTO`)
        has run all the same: its row count is unknown."""
        n = 0
        try:
            for _ in self.cur.stream(data):
                n += 1
        except psycopg.ProgrammingError as exc:
            if exc.sqlstate is not None:
                raise
            return None, ""
        return n, ""

    def explain(self, text: str) -> str:
        """The plan, or "" when PostgreSQL cannot explain the statement (planning only)."""
        self._q("SAVEPOINT interlock_twin_probe")
        try:
            self.cur.execute(b"EXPLAIN " + text.encode("utf-8"), prepare=True)
            lines = [str(r[0]) for r in self.cur.fetchall()]
        except psycopg.Error as exc:
            self._q("ROLLBACK TO SAVEPOINT interlock_twin_probe")
            if isinstance(exc, _TIMEOUTS):  # planning waits on the same locks: report that
                raise
            lines = []
        self._q("RELEASE SAVEPOINT interlock_twin_probe")
        return "\n".join(lines)

    def is_empty(self, key: str) -> bool:
        return bool(self._q(f"SELECT NOT EXISTS (SELECT 1 FROM ONLY {self.idents[key]})")[0][0])

    def count(self, key: str, budget: Budget) -> TableLoss:
        """Rows in the table (not its children), up to the cap, within half the time left."""
        cap, name = budget.count_cap, self.names[key]
        self._q("SAVEPOINT interlock_twin_probe")
        try:
            self._q(f"SET LOCAL statement_timeout = {max(1, budget.left_ms() // 2)}")
            sql = f"SELECT count(*) FROM (SELECT 1 FROM ONLY {self.idents[key]} LIMIT {cap + 1}) s"
            n = int(self._q(sql)[0][0])
        except _TIMEOUTS:
            self._q("ROLLBACK TO SAVEPOINT interlock_twin_probe")
            return TableLoss(name, self._estimate(key), exact=False)
        self._q("RELEASE SAVEPOINT interlock_twin_probe")
        if n > cap:
            return TableLoss(name, max(cap, self._estimate(key)), exact=False)
        return TableLoss(name, n)

    def _estimate(self, key: str) -> int:
        rows = self._q(
            "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE oid = %s::oid", (key,)
        )
        return int(rows[0][0]) if rows else 0

    def resolve(self, name: str) -> str | None:
        self._q("SAVEPOINT interlock_twin_probe")
        try:
            found = self._q(_RESOLVE, (name,))
        except psycopg.Error:  # not a valid name: nothing to count
            self._q("ROLLBACK TO SAVEPOINT interlock_twin_probe")
            found = []
        self._q("RELEASE SAVEPOINT interlock_twin_probe")
        if not found:
            return None
        oid, shown, ident = found[0]
        self.idents[oid], self.names[oid] = ident, shown
        return str(oid)

    def rollback(self) -> None:
        self.conn.rollback()

    def verify(self, start: dict[str, Rel]) -> bool:
        """Idle, every table as it was (same storage), the twin's transaction aborted."""
        if self.conn.info.transaction_status != TransactionStatus.IDLE:
            return False
        now = self.catalog()
        status = self._q("SELECT txid_status(%s)", (self.xid,))[0][0] if self.xid else "aborted"
        self.conn.rollback()
        same = all(k in now and now[k].storage == rel.storage for k, rel in start.items())
        return same and status == "aborted"

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):  # a broken connection: the server rolls back
            self.conn.close()

    def failure(self, exc: Exception) -> SqlTwinError | None:
        budget = self.budget.total_ms
        if isinstance(exc, Escaped):
            msg = "a statement ended the twin's transaction; its effect may have been committed"
            return SqlTwinError("impact.sql_rollback", msg)
        if isinstance(exc, pgerr.LockNotAvailable):
            msg = f"waited longer than the {budget} ms budget for a lock; stopped"
            return SqlTwinError("impact.sql_timeout", msg, exc.sqlstate or "")
        if isinstance(exc, _TIMEOUTS):
            msg = f"the statement exceeded the {budget} ms budget and was stopped"
            return SqlTwinError("impact.sql_timeout", msg, exc.sqlstate or "")
        if isinstance(exc, psycopg.OperationalError) and self.conn.closed:
            return SqlTwinError("impact.sql_connect", f"the connection was lost: {_line(exc)}")
        if isinstance(exc, psycopg.Error):
            msg = f"the database rejected the statement: {_line(exc)}"
            return SqlTwinError("impact.sql_error", msg, exc.sqlstate or "")
        return None


__all__ = ["PgEngine", "connect_pg"]
