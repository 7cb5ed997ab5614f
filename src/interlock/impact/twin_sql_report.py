"""The SQL twin's result for people and for policy (pure).

`summary_lines(result)` is what `interlock simulate --sql-twin` prints; `as_impact(result)`
is the `Impact` a decision carries: `deleted` counts the tables dropped or truncated,
`simulated` is True only when every statement ran (or, in explain mode, was explained) and
the rollback was confirmed, and `digest` is the result's `sqt1:` digest.
"""

from __future__ import annotations

from interlock.impact.twin_sql import SqlTwinResult, StatementResult
from interlock.model import Impact

SHOWN = 20  # statements listed in the summary


def complete(result: SqlTwinResult) -> bool:
    """Every statement was simulated, nothing timed out, and the rollback was confirmed."""
    done = "explained" if result.mode == "explain" else "ran"
    statuses = {s.status for s in result.statements}
    return result.verified and result.error is None and statuses <= {done, "explained"}


def as_impact(result: SqlTwinResult) -> Impact:
    losses = len(result.tables_dropped) + len(result.tables_truncated)
    return Impact(deleted=losses, simulated=complete(result), digest=result.digest)


def summary_lines(result: SqlTwinResult) -> list[str]:
    head = f"sql twin: {result.engine or 'no engine'} {result.database}, mode {result.mode}"
    lines = [head]
    if result.error is not None:
        lines.append(f"  error: {result.error.code}: {result.error.message}")
    lines += [f"  {_stmt(s)}" for s in result.statements[:SHOWN]]
    if len(result.statements) > SHOWN:
        lines.append(f"  … and {len(result.statements) - SHOWN} more (use --json for all)")
    lines += _losses("dropped", result) + _losses("truncated", result)
    lines.append(
        f"  rows: {result.rows_deleted} deleted, {result.rows_updated} updated, "
        f"{result.rows_inserted} inserted; {result.rows_lost} lost in all"
    )
    lines.append(f"  rolled back and confirmed: {'yes' if result.verified else 'NO'}")
    lines.append(f"  digest: {result.digest}")
    return lines


def _stmt(s: StatementResult) -> str:
    text = " ".join(s.text.split())
    text = text if len(text) <= 60 else text[:59] + "…"
    rows = "" if s.rows is None else f", {s.rows} rows"
    why = f" — {s.error.message}" if s.error is not None else ""
    return f"[{s.status}] {text}{rows}{why}"


def _losses(what: str, result: SqlTwinResult) -> list[str]:
    found = result.tables_dropped if what == "dropped" else result.tables_truncated
    return [f"  {what}: {t.table} ({'' if t.exact else '~'}{t.rows} rows)" for t in found]


__all__ = ["as_impact", "complete", "summary_lines"]
