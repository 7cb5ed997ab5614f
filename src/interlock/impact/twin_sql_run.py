"""The twin's statement loop, the same for every engine (see `twin_sql` for the contract).

One transaction; per statement: refuse what the gate refuses, else take the catalog and the
table statistics, `SAVEPOINT`, run, take them again. A table whose catalog entry vanished was
dropped; one whose storage was replaced and is now empty was truncated. For those the twin
rolls back to the savepoint, counts the rows they held (bounded), and runs the statement again
so later statements see its effect. The first failure or timeout stops the script. Whatever
happens, the transaction is rolled back and the connection closed (`finally`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from interlock.impact.twin_sql import SqlTwinError, StatementResult, TableLoss, TableRows
from interlock.impact.twin_sql_gate import UNSAFE, explainable, unsafe_reason
from interlock.parse.sql_keywords import SqlStatement

Stats = dict[str, tuple[int, int, int]]  # table -> (inserted, updated, deleted)


@dataclass(frozen=True, slots=True)
class Rel:
    name: str  # shown to people: schema.table (PostgreSQL), table (SQLite)
    storage: str  # changes when the table's storage is replaced (TRUNCATE, rewrite)


@dataclass(slots=True)
class Budget:
    clock: Callable[[], float]
    total_ms: int
    start: float
    count_cap: int

    def left_ms(self) -> int:
        return int(self.total_ms - (self.clock() - self.start) * 1000)


class Engine(Protocol):
    name: str

    def begin(self, read_only: bool) -> None: ...
    def set_budget(self, ms: int) -> None: ...
    def catalog(self) -> dict[str, Rel]: ...
    def stats(self) -> Stats: ...
    def savepoint(self) -> None: ...
    def rollback_to(self) -> None: ...
    def release(self) -> None: ...
    def execute(self, text: str) -> tuple[int | None, str]: ...
    def explain(self, text: str) -> str: ...
    def is_empty(self, key: str) -> bool: ...
    def count(self, key: str, budget: Budget) -> TableLoss: ...
    def resolve(self, name: str) -> str | None: ...
    def rollback(self) -> None: ...
    def verify(self, start: dict[str, Rel]) -> bool: ...
    def close(self) -> None: ...
    def failure(self, exc: Exception) -> SqlTwinError | None: ...


class Stop(Exception):
    """The budget ran out between two steps."""


class ConnectFailed(Exception):
    """The engine could not open the database; `code` is impact.sql_dsn or impact.sql_connect."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Escaped(Exception):
    """A statement ended the twin's transaction (the gate should make this impossible)."""


def run(
    engine_name: str, dsn: str, stmts: Sequence[SqlStatement], mode: str, budget: Budget
) -> tuple[list[StatementResult], SqlTwinError | None, bool]:
    """The statements' results, a connection error, and whether the rollback was verified."""
    engine, problem = _connect(engine_name, dsn, budget)
    if engine is None:
        return [], problem, False
    results: list[StatementResult] = []
    start: dict[str, Rel] = {}
    error: SqlTwinError | None = None
    try:
        engine.begin(read_only=mode == "explain")
        start = engine.catalog()
        results = _loop(engine, stmts, mode, budget)
    except Exception as exc:  # a lost connection, or a bug: still roll back below
        error = engine.failure(exc) or SqlTwinError("impact.sql_error", _bug(exc))
    except BaseException:  # KeyboardInterrupt, SystemExit: roll back, then let it through
        _end(engine, start)
        raise
    ended, verified = _end(engine, start)
    return results, error or ended, verified and error is None


def _end(engine: Engine, start: dict[str, Rel]) -> tuple[SqlTwinError | None, bool]:
    """Roll back, confirm, close — always, whatever happened before."""
    try:
        engine.rollback()
        verified = engine.verify(start)
    except Exception as exc:
        found = engine.failure(exc)
        msg = found.message if found else _bug(exc)
        return SqlTwinError("impact.sql_rollback", f"rollback not confirmed: {msg}"), False
    finally:
        engine.close()
    if not verified:
        why = "the catalog changed or the transaction is not shown as aborted"
        return SqlTwinError("impact.sql_rollback", f"rollback not confirmed: {why}"), False
    return None, True


def _connect(name: str, dsn: str, budget: Budget) -> tuple[Engine | None, SqlTwinError | None]:
    try:
        if name == "sqlite":
            from interlock.impact.twin_sql_lite import connect_sqlite

            return connect_sqlite(dsn, budget), None
        from interlock.impact.twin_sql_pg import connect_pg

        return connect_pg(dsn, budget), None
    except ConnectFailed as exc:
        return None, SqlTwinError(exc.code, str(exc))
    except ImportError:
        msg = "the postgresql twin needs psycopg 3: pip install 'psycopg[binary]>=3.1'"
        return None, SqlTwinError("impact.sql_connect", msg)


def _bug(exc: BaseException) -> str:
    return f"the twin stopped on an internal error ({type(exc).__name__})"


def _loop(
    engine: Engine, stmts: Sequence[SqlStatement], mode: str, budget: Budget
) -> list[StatementResult]:
    results: list[StatementResult] = []
    stopped = False
    for st in stmts:
        if stopped:
            results.append(_result(st, "skipped", error=_skipped()))
            continue
        r = _one(engine, st, mode, budget)
        results.append(r)
        stopped = r.status in ("failed", "timed-out")
    return results


def _skipped() -> SqlTwinError:
    return SqlTwinError("impact.sql_error", "not run: an earlier statement failed or timed out")


def _result(st: SqlStatement, status: str, **kw: object) -> StatementResult:
    return StatementResult(st.text, st.kind, st.effect.value, status, **kw)  # type: ignore[arg-type]


def _one(engine: Engine, st: SqlStatement, mode: str, budget: Budget) -> StatementResult:
    reason = unsafe_reason(st, engine.name)
    try:
        if reason:
            plan = _plan(engine, st.text, budget) if explainable(st.text) else ""
            return _result(st, "refused", plan=plan, error=SqlTwinError(UNSAFE, reason))
        if mode == "explain":
            return _explain_only(engine, st, budget)
        return _execute(engine, st, mode, budget)
    except Stop:
        return _timed_out(st)
    except Exception as exc:
        err = engine.failure(exc)
        if err is None:
            raise
        status = "timed-out" if err.code == "impact.sql_timeout" else "failed"
        return _result(st, status, error=err)


def _timed_out(st: SqlStatement) -> StatementResult:
    msg = "the time budget ran out before the statement could finish"
    return _result(st, "timed-out", error=SqlTwinError("impact.sql_timeout", msg))


def _arm(engine: Engine, budget: Budget) -> None:
    left = budget.left_ms()
    if left <= 0:
        raise Stop
    engine.set_budget(left)


def _plan(engine: Engine, text: str, budget: Budget) -> str:
    _arm(engine, budget)
    return engine.explain(text)


def _explain_only(engine: Engine, st: SqlStatement, budget: Budget) -> StatementResult:
    plan = _plan(engine, st.text, budget) if explainable(st.text) or engine.name == "sqlite" else ""
    losses: list[TableLoss] = []
    counted = st.kind in ("drop", "truncate") or (st.kind == "delete" and "no-where" in st.tags)
    if counted and st.object_kind == "table":
        for name in st.objects:
            key = engine.resolve(name)
            if key is not None:
                _arm(engine, budget)
                losses.append(engine.count(key, budget))
    rows = sum(t.rows for t in losses) if st.kind == "delete" and losses else None
    return _result(
        st,
        "explained",
        plan=plan,
        rows=rows,
        tables=st.objects,
        dropped=tuple(losses) if st.kind == "drop" else (),
        truncated=tuple(losses) if st.kind == "truncate" else (),
    )


def _execute(engine: Engine, st: SqlStatement, mode: str, budget: Budget) -> StatementResult:
    _arm(engine, budget)
    before, stats0 = engine.catalog(), engine.stats()
    plan = engine.explain(st.text) if mode == "auto" and explainable(st.text) else ""
    engine.savepoint()
    _arm(engine, budget)
    rows, tag = engine.execute(st.text)
    after, stats1 = engine.catalog(), engine.stats()
    dropped = [k for k in before if k not in after]
    truncated = [
        k
        for k in before
        if k in after and before[k].storage != after[k].storage and engine.is_empty(k)
    ]
    losses: dict[str, TableLoss] = {}
    if dropped or truncated:
        engine.rollback_to()
        for key in dropped + truncated:
            _arm(engine, budget)
            losses[key] = engine.count(key, budget)
        _arm(engine, budget)
        engine.execute(st.text)  # INVARIANT: later statements see this statement's effect
    engine.release()
    changes = _changes(stats0, stats1)
    touched = sorted({c.table for c in changes} | {before[k].name for k in losses})
    return _result(
        st,
        "ran",
        rows=rows,
        tag=tag,
        plan=plan,
        tables=tuple(touched) or st.objects,
        row_changes=changes,
        dropped=tuple(losses[k] for k in dropped),
        truncated=tuple(losses[k] for k in truncated),
    )


def _changes(before: Stats, after: Stats) -> tuple[TableRows, ...]:
    out = []
    for table in sorted(after):
        a, b = after[table], before.get(table, (0, 0, 0))
        ins, upd, dele = (max(0, x - y) for x, y in zip(a, b, strict=True))
        if ins or upd or dele:
            out.append(TableRows(table, ins, upd, dele))
    return tuple(out)


__all__ = ["Budget", "ConnectFailed", "Engine", "Escaped", "Rel", "Stats", "Stop", "run"]
