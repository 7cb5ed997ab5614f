"""The SQL execution twin: run proposed SQL inside a transaction that is always rolled back.

    simulate_sql(dsn, sql, *, timeout_ms=2000, mode="auto") -> SqlTwinResult

`dsn` is `postgresql://…` (or `postgres://…`) or `sqlite:///relative/path` /
`sqlite:////absolute/path`. The statements are split and classified by
`interlock.parse.sql.classify_sql`; each one the gate (`twin_sql_gate.unsafe_reason`) allows
runs, in order, inside ONE transaction under a time budget for the whole script; the twin
records the rows each statement reports, the rows each table gained, lost or changed, and, for
tables dropped or truncated, how many rows they held; then it rolls the transaction back and
checks that nothing it did is visible. A statement the gate refuses never runs: it is
`EXPLAIN`ed where that is possible and reported with the code `impact.sql_unsafe`.

Modes: `run` executes; `auto` executes and attaches each statement's plan; `explain` executes
nothing (a read-only transaction: plans, and row counts of the tables a `DROP`, `TRUNCATE` or
unfiltered `DELETE` names).

The twin never raises for anything the database or the DSN does (only an unknown `mode` is an
`InputError`): the answer carries an `error` with a stable code —

    impact.sql_dsn       the DSN is malformed or names an unsupported engine
    impact.sql_connect   the database cannot be reached or opened
    impact.sql_unsafe    a statement was not run (see twin_sql_gate)
    impact.sql_timeout   a statement (or a lock wait) exceeded the budget; it was stopped
    impact.sql_error     the database rejected a statement (the SQLSTATE is kept)
    impact.sql_rollback  the twin could not confirm the rollback (treat the database as changed)

See docs/sql-twin.md for what runs, what never runs and the guarantees.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from interlock.model.digest import canonical_json
from interlock.model.errors import InputError

_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&]*", re.I)
Mode = Literal["run", "explain", "auto"]
VERSION = "sqt1"
MODES = ("run", "explain", "auto")


@dataclass(frozen=True, slots=True)
class SqlTwinError:
    code: str
    message: str
    sqlstate: str = ""


@dataclass(frozen=True, slots=True)
class TableLoss:
    """A table dropped or truncated, and the rows it held. `exact` is False when the count
    passed its cap or its budget and `rows` is the planner's estimate (or the cap)."""

    table: str
    rows: int
    exact: bool = True


@dataclass(frozen=True, slots=True)
class TableRows:
    """Rows one statement inserted, updated and deleted in one table, cascades and triggers
    included (PostgreSQL's per-transaction table statistics; empty on SQLite)."""

    table: str
    inserted: int = 0
    updated: int = 0
    deleted: int = 0


@dataclass(frozen=True, slots=True)
class StatementResult:
    """One statement. `status`: ran | explained | refused | failed | timed-out | skipped."""

    text: str
    kind: str
    effect: str
    status: str
    rows: int | None = None
    tag: str = ""
    tables: tuple[str, ...] = ()
    row_changes: tuple[TableRows, ...] = ()
    dropped: tuple[TableLoss, ...] = ()
    truncated: tuple[TableLoss, ...] = ()
    plan: str = ""
    error: SqlTwinError | None = None

    @property
    def ran(self) -> bool:
        return self.status == "ran"


@dataclass(frozen=True, slots=True)
class SqlTwinResult:
    engine: str  # "postgresql" | "sqlite" | "" (the DSN was not understood)
    database: str  # the DSN without its password
    mode: str
    statements: tuple[StatementResult, ...]
    tables_dropped: tuple[TableLoss, ...]
    tables_truncated: tuple[TableLoss, ...]
    rows_deleted: int
    rows_updated: int
    rows_inserted: int
    error: SqlTwinError | None
    timed_out: bool
    ran: bool  # at least one statement executed (inside the rolled-back transaction)
    verified: bool  # after the rollback the twin confirmed that nothing it did is visible
    elapsed_ms: int = 0
    digest: str = ""

    @property
    def rows_lost(self) -> int:
        """Rows deleted plus rows held by the tables dropped or truncated."""
        losses = self.tables_dropped + self.tables_truncated
        return self.rows_deleted + sum(t.rows for t in losses)

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["rows_lost"] = self.rows_lost
        return out


def simulate_sql(
    dsn: str,
    sql: str,
    *,
    timeout_ms: int = 2000,
    mode: Mode = "auto",
    count_cap: int = 1_000_000,
    clock: Callable[[], float] = time.monotonic,
) -> SqlTwinResult:
    """Run `sql` against `dsn` in a rolled-back transaction; see the module docstring."""
    if mode not in MODES:
        raise InputError(f"unknown sql twin mode `{mode}`: use run, explain or auto")
    start = clock()
    engine, target, problem = _parse_dsn(dsn)
    if problem is not None:
        return finish(engine, target, mode, [], problem, False, start, clock)
    from interlock.impact import twin_sql_run
    from interlock.parse.sql import classify_sql

    stmts = classify_sql(sql, "sqlite" if engine == "sqlite" else "postgres")
    budget = twin_sql_run.Budget(clock, max(1, int(timeout_ms)), start, max(1, count_cap))
    results, error, verified = twin_sql_run.run(engine, dsn, stmts, mode, budget)
    return finish(engine, target, mode, results, error, verified, start, clock)


def _parse_dsn(dsn: str) -> tuple[str, str, SqlTwinError | None]:
    try:
        parts = urlsplit(dsn or "")
        shown = _hide_query_password(dsn if parts.password is None else _redact(parts))
    except ValueError:
        return "", "", SqlTwinError("impact.sql_dsn", "the dsn is not a url: use postgresql://…")
    scheme = parts.scheme.lower()
    if scheme in ("postgresql", "postgres"):
        return "postgresql", shown, None
    if scheme == "sqlite" and dsn.startswith("sqlite:///") and len(dsn) > len("sqlite:///"):
        return "sqlite", dsn, None
    return (
        "",
        shown,
        SqlTwinError(
            "impact.sql_dsn",
            f"unsupported dsn `{shown}`: use postgresql://… or sqlite:///path",
        ),
    )


def _redact(parts: Any) -> str:
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return str(urlunsplit(parts._replace(netloc=netloc)))


def _hide_query_password(dsn: str) -> str:
    return _QUERY_PASSWORD.sub(r"\1***", dsn)


def sqlite_path(dsn: str) -> str:
    """`sqlite:///rel/x.db` → `rel/x.db`; `sqlite:////abs/x.db` → `/abs/x.db`."""
    return dsn[len("sqlite:///") :].split("?", 1)[0]


def finish(
    engine: str,
    target: str,
    mode: str,
    results: list[StatementResult],
    error: SqlTwinError | None,
    verified: bool,
    start: float,
    clock: Callable[[], float],
) -> SqlTwinResult:
    """Add the statements up into one result, with its digest."""
    first = error or next((r.error for r in results if r.error is not None), None)
    dropped = tuple(t for r in results for t in r.dropped)
    truncated = tuple(t for r in results for t in r.truncated)
    result = SqlTwinResult(
        engine=engine,
        database=target,
        mode=mode,
        statements=tuple(results),
        tables_dropped=dropped,
        tables_truncated=truncated,
        rows_deleted=sum(_rows(r, "deleted", "delete") for r in results),
        rows_updated=sum(_rows(r, "updated", "update") for r in results),
        rows_inserted=sum(_rows(r, "inserted", "insert") for r in results),
        error=first,
        timed_out=any(r.status == "timed-out" for r in results),
        ran=any(r.ran for r in results),
        verified=verified,
        elapsed_ms=max(0, int((clock() - start) * 1000)),
    )
    return replace(result, digest=digest(result))


def _rows(r: StatementResult, field: str, kind: str) -> int:
    if r.row_changes:
        return sum(int(getattr(t, field)) for t in r.row_changes)
    if r.status in ("ran", "explained") and r.kind in (kind, *_ALIASES.get(kind, ())):
        return max(r.rows or 0, 0)
    return 0


_ALIASES = {"insert": ("select-into",)}


def digest(result: SqlTwinResult) -> str:
    """`sqt1:sha256:<hex>` over canonical JSON of the result without `elapsed_ms`, `digest`
    and plan texts (plans change with table statistics; the outcome does not)."""
    body = result.as_dict()
    for key in ("elapsed_ms", "digest"):
        body.pop(key, None)
    for stmt in body["statements"]:
        stmt.pop("plan", None)
    body["v"] = 1
    return f"{VERSION}:sha256:{hashlib.sha256(canonical_json(body)).hexdigest()}"


__all__ = [
    "MODES",
    "SqlTwinError",
    "SqlTwinResult",
    "StatementResult",
    "TableLoss",
    "TableRows",
    "digest",
    "simulate_sql",
    "sqlite_path",
]
