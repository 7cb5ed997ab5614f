"""`StateStore` on SQLite: the default store, in the user's data directory.

WAL journal, so a check reading history never waits for a writer; every write runs in
`BEGIN IMMEDIATE`, so two processes (or two `SqliteState` objects) on one file serialize.
Migrations are ordered `CREATE … IF NOT EXISTS` steps; `schema_version` holds the last applied.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import datetime
from typing import Any

from interlock.model.policy import History, KillSwitch
from interlock.store.state import (
    PendingUnfreeze,
    summarize,
    timestamp,
    window_start,
    write_mirror,
)

# INVARIANT: steps are only ever appended; step N brings the schema to version N
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE IF NOT EXISTS kill_switch (
            scope TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL,
            set_by TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (scope, value))""",
    ),
    (
        """CREATE TABLE IF NOT EXISTS activity (
            id INTEGER PRIMARY KEY, agent_id TEXT NOT NULL, at TEXT NOT NULL,
            destructive INTEGER NOT NULL, targets TEXT NOT NULL)""",
        "CREATE INDEX IF NOT EXISTS activity_agent_at ON activity (agent_id, at)",
    ),
    (
        """CREATE TABLE IF NOT EXISTS pending_unfreeze (
            id INTEGER PRIMARY KEY AUTOINCREMENT, scope TEXT NOT NULL, value TEXT NOT NULL,
            requested_by TEXT NOT NULL, at TEXT NOT NULL, UNIQUE (scope, value))""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
BUSY_MS = 5000


class SqliteState:
    """`StateStore` in the SQLite file `path`; keeps `killswitches.json` beside it."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        self._db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
        self._db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = NORMAL")
        self._migrate()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        try:
            row = self._db.execute("SELECT version FROM schema_version").fetchone()
        except sqlite3.OperationalError:
            return 0  # no table yet: a new file
        return int(row[0]) if row else 0

    def _migrate(self) -> None:
        if self.schema_version >= SCHEMA_VERSION:
            return  # the common case takes no write lock
        with self._write():
            current = self.schema_version  # again, under the lock: another process may have won
            for step in MIGRATIONS[current:]:
                for statement in step:
                    self._db.execute(statement)
            self._db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            self._db.execute("DELETE FROM schema_version")
            self._db.execute(
                "INSERT INTO schema_version (version) VALUES (?)",
                (max(current, SCHEMA_VERSION),),
            )

    @contextmanager
    def _write(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # kill switches

    def kill_switches(self) -> tuple[KillSwitch, ...]:
        rows = self._db.execute(
            "SELECT scope, value, reason, set_by, at FROM kill_switch ORDER BY scope, value"
        ).fetchall()
        return tuple(KillSwitch(*row) for row in rows)

    def freeze(self, switch: KillSwitch) -> None:
        self._change_switches(
            lambda: self._db.execute(
                "INSERT OR IGNORE INTO kill_switch VALUES (?, ?, ?, ?, ?)",
                (switch.scope, switch.value, switch.reason, switch.set_by, switch.at),
            )
        )

    def unfreeze(self, scope: str, value: str, by: str) -> bool:
        def lift() -> sqlite3.Cursor:
            self._db.execute(
                "DELETE FROM pending_unfreeze WHERE scope = ? AND value = ?", (scope, value)
            )
            return self._db.execute(
                "DELETE FROM kill_switch WHERE scope = ? AND value = ?", (scope, value)
            )

        return self._change_switches(lift).rowcount > 0

    def sync_mirror(self) -> None:
        """Rewrite `killswitches.json` from the database (after a crash, or if it was removed)."""
        with self._write():
            write_mirror(self.directory, self.kill_switches())

    def _change_switches(self, change: Callable[[], sqlite3.Cursor]) -> sqlite3.Cursor:
        # the mirror is written inside the write transaction, so concurrent writers replace it
        # in commit order and the last file written always matches the database
        try:
            with self._write():
                cursor = change()
                write_mirror(self.directory, self.kill_switches())
        except BaseException:
            self._resync_quietly()
            raise
        return cursor

    def _resync_quietly(self) -> None:
        # the original error is the one to report
        with suppress(OSError, sqlite3.Error):
            self.sync_mirror()

    # unfreeze requests

    def request_unfreeze(self, scope: str, value: str, by: str, now: datetime) -> PendingUnfreeze:
        with self._write():
            self._db.execute(
                "INSERT OR IGNORE INTO pending_unfreeze (scope, value, requested_by, at)"
                " VALUES (?, ?, ?, ?)",
                (scope, value, by, timestamp(now)),
            )
            row = self._db.execute(
                "SELECT id, scope, value, requested_by, at FROM pending_unfreeze"
                " WHERE scope = ? AND value = ?",
                (scope, value),
            ).fetchone()
        return _pending(row)

    def pending_unfreezes(self) -> tuple[PendingUnfreeze, ...]:
        rows = self._db.execute(
            "SELECT id, scope, value, requested_by, at FROM pending_unfreeze ORDER BY id"
        ).fetchall()
        return tuple(_pending(row) for row in rows)

    # recent activity

    def record(
        self, agent_id: str, destructive: int, targets: Sequence[str], now: datetime
    ) -> None:
        self._db.execute(
            "INSERT INTO activity (agent_id, at, destructive, targets) VALUES (?, ?, ?, ?)",
            (agent_id, timestamp(now), destructive, json.dumps(list(targets))),
        )

    def history(self, agent_id: str, now: datetime, window_minutes: int) -> History:
        rows = self._db.execute(
            "SELECT destructive, targets FROM activity WHERE agent_id = ? AND at > ? AND at <= ?",
            (agent_id, window_start(now, window_minutes), timestamp(now)),
        ).fetchall()
        return summarize([(int(count), json.loads(targets)) for count, targets in rows])


def _pending(row: Any) -> PendingUnfreeze:
    return PendingUnfreeze(int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]))
