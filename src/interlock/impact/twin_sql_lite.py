"""The SQL twin's SQLite engine (stdlib `sqlite3`), driven by `twin_sql_run`.

The file is opened read-write but never created (`mode=rw`), with no implicit transactions;
the twin issues `BEGIN` and `ROLLBACK` itself. The time budget is a progress handler that
interrupts the running statement when the deadline passes; lock waits are bounded by the busy
timeout. A second, read-only connection watches `PRAGMA data_version`, which changes when any
other connection commits: after the rollback it must not have moved.
"""

from __future__ import annotations

import os
import sqlite3
from urllib.parse import quote

from interlock.impact.twin_sql import SqlTwinError, TableLoss, sqlite_path
from interlock.impact.twin_sql_run import Budget, ConnectFailed, Escaped, Rel, Stats

_CATALOG = "SELECT name, rootpage FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
_CHECK_EVERY = 1000  # virtual machine instructions between two looks at the clock


def connect_sqlite(dsn: str, budget: Budget) -> LiteEngine:
    path = sqlite_path(dsn)
    if not os.path.isfile(path):
        raise ConnectFailed("impact.sql_connect", f"no sqlite database at `{path}`")
    uri = f"file:{quote(os.path.abspath(path))}"
    try:
        conn = sqlite3.connect(f"{uri}?mode=rw", uri=True, isolation_level=None, timeout=0)
        watch = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, timeout=0)
    except sqlite3.Error as exc:
        raise ConnectFailed("impact.sql_connect", f"cannot open `{path}`: {exc}") from None
    return LiteEngine(conn, watch, budget)


class LiteEngine:
    name = "sqlite"

    def __init__(self, conn: sqlite3.Connection, watch: sqlite3.Connection, budget: Budget) -> None:
        self.conn = conn
        self.watch = watch
        self.budget = budget
        self.deadline = budget.start + budget.total_ms / 1000
        self.version: object = None
        conn.set_progress_handler(self._progress, _CHECK_EVERY)

    def _progress(self) -> int:
        return 1 if self.budget.clock() > self.deadline else 0

    def _q(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        return list(self.conn.execute(sql, params))

    def begin(self, read_only: bool) -> None:
        self.version = self.watch.execute("PRAGMA data_version").fetchone()[0]
        if read_only:
            self._q("PRAGMA query_only = ON")  # this connection only; it is closed at the end
        self._q("BEGIN")

    def set_budget(self, ms: int) -> None:
        self.deadline = self.budget.clock() + max(1, ms) / 1000
        self._q(f"PRAGMA busy_timeout = {max(1, int(ms))}")

    def catalog(self) -> dict[str, Rel]:
        return {str(n): Rel(str(n), str(root)) for n, root in self._q(_CATALOG)}

    def stats(self) -> Stats:
        return {}  # SQLite keeps no per-table change counts

    def savepoint(self) -> None:
        self._q("SAVEPOINT interlock_twin_step")

    def rollback_to(self) -> None:
        self._q("ROLLBACK TO interlock_twin_step")

    def release(self) -> None:
        self._q("RELEASE interlock_twin_step")

    def execute(self, text: str) -> tuple[int | None, str]:
        cur = self.conn.execute(text)  # INVARIANT: sqlite3 refuses more than one statement
        for _ in cur:  # a query runs only as its rows are read
            pass
        if not self.conn.in_transaction:
            raise Escaped
        return (cur.rowcount if cur.rowcount >= 0 else None), ""

    def explain(self, text: str) -> str:
        try:
            rows = self._q(f"EXPLAIN QUERY PLAN {text}")
        except sqlite3.Error:
            return ""
        return "\n".join(str(r[-1]) for r in rows)

    def is_empty(self, key: str) -> bool:
        return not self._q(f"SELECT 1 FROM {_ident(key)} LIMIT 1")

    def count(self, key: str, budget: Budget) -> TableLoss:
        cap = budget.count_cap
        try:
            n = int(
                self._q(f"SELECT count(*) FROM (SELECT 1 FROM {_ident(key)} LIMIT {cap + 1})")[0][0]
            )  # type: ignore[call-overload]
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc):
                raise
            return TableLoss(key, 0, exact=False)
        return TableLoss(key, min(n, cap), exact=n <= cap)

    def resolve(self, name: str) -> str | None:
        bare = name.split(".", 1)[1] if name.lower().startswith(("main.", "temp.")) else name
        found = self._q(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ? COLLATE NOCASE",
            (bare.strip('"`[]'),),
        )
        return str(found[0][0]) if found else None

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self._q("ROLLBACK")

    def verify(self, start: dict[str, Rel]) -> bool:
        """Not in a transaction, every table as it was, and no commit seen by the watcher."""
        if self.conn.in_transaction:
            return False
        now = self.catalog()
        same = all(k in now and now[k].storage == rel.storage for k, rel in start.items())
        version = self.watch.execute("PRAGMA data_version").fetchone()[0]
        return same and version == self.version

    def close(self) -> None:
        for c in (self.conn, self.watch):
            c.close()

    def failure(self, exc: Exception) -> SqlTwinError | None:
        budget = self.budget.total_ms
        if isinstance(exc, Escaped):
            msg = "a statement ended the twin's transaction; its effect may have been committed"
            return SqlTwinError("impact.sql_rollback", msg)
        if not isinstance(exc, sqlite3.Error):
            return None
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        code = getattr(exc, "sqlite_errorname", "") or ""
        if "interrupt" in text:
            msg = f"the statement exceeded the {budget} ms budget and was stopped"
            return SqlTwinError("impact.sql_timeout", msg, code)
        if "locked" in text or "busy" in text:
            msg = f"waited longer than the {budget} ms budget for a lock; stopped"
            return SqlTwinError("impact.sql_timeout", msg, code)
        return SqlTwinError(
            "impact.sql_error", f"the database rejected the statement: {text}", code
        )


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


__all__ = ["LiteEngine", "connect_sqlite"]
