"""Classify SQL text into statements: what kind, what effect, on which objects.

`classify_sql` is shared by every family that meets SQL (database clients, `bq query`, `sql:`
cases). It splits the text itself (quotes, comments, dollar quotes, MySQL `/*! … */`
executable comments, psql `\\` meta-commands, sqlite `.` commands, SQL*Plus lines, T-SQL `GO`),
classifies each statement with sqlglot — imported lazily, only when a statement is not an
obvious read — and falls back to keywords when sqlglot cannot parse a dialect. It never raises.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from interlock.model import Effect
from interlock.parse.sql_client import client_command
from interlock.parse.sql_keywords import (
    TIGHTEN,
    SqlStatement,
    by_keywords,
    danger_functions,
    fallback_scan,
    words_of,
)
from interlock.parse.sql_split import split_sql

DIALECTS: dict[str, str] = {
    "psql": "postgres", "postgres": "postgres", "postgresql": "postgres", "pgcli": "postgres",
    "cockroach": "postgres", "cockroachdb": "postgres", "redshift": "redshift",
    "mysql": "mysql", "mariadb": "mysql", "mycli": "mysql", "tidb": "mysql",
    "sqlite3": "sqlite", "sqlite": "sqlite", "litecli": "sqlite",
    "sqlcmd": "tsql", "tsql": "tsql", "mssql": "tsql",
    "bigquery": "bigquery", "bq": "bigquery", "spanner": "bigquery",
    "clickhouse": "clickhouse", "clickhouse-client": "clickhouse",
    "duckdb": "duckdb", "snowflake": "snowflake", "snowsql": "snowflake",
    "oracle": "oracle", "sqlplus": "oracle", "trino": "trino", "presto": "presto",
    "cql": "", "cqlsh": "", "generic": "", "influx": "",
}  # fmt: skip

_SQLISH = re.compile(
    r"\b(select|insert|update|delete|drop|truncate|alter|create|grant|revoke|copy|merge|"
    r"replace|upsert|with|show|describe|desc|explain|use|set|call|exec|execute|do|begin|"
    r"commit|rollback|vacuum|analyze|optimize|pragma|values|table|load|rename|kill|flush|"
    r"purge|reset|restore|shutdown|system|attach|detach|lock|refresh|undrop|list|summarize|"
    r"from|declare|comment|reindex|cluster|import|export|install|backup|start|end)\b",
    re.IGNORECASE,
)
_INTO = re.compile(r"\binto\b", re.IGNORECASE)
_RANK = {Effect.READ: 0, Effect.WRITE: 1, Effect.UNKNOWN: 2, Effect.DESTROY: 3}


def classify_sql(
    text: str, dialect: str | None = None, database: str | None = None
) -> list[SqlStatement]:
    """The statements in `text`, in order. Empty text gives an empty list."""
    return list(_classify_cached(text or "", dialect or "", database))


@lru_cache(maxsize=2048)
def _classify_cached(text: str, dialect: str, database: str | None) -> tuple[SqlStatement, ...]:
    """Pure and deterministic, and statements are frozen: repeated SQL (a hook sees the same
    migration many times) is parsed once per process."""
    try:
        return tuple(_classify(text, DIALECTS.get(dialect.lower(), dialect), database))
    except Exception:  # INTERLOCK: a classifier bug must not hide a destructive statement
        return (_unparsed(text, database),)


def severity(effect: Effect) -> int:
    """Order effects for combining: read < write < unknown < destroy."""
    return _RANK[effect]


def _classify(text: str, dialect: str, database: str | None) -> list[SqlStatement]:
    if not text.strip():
        return []
    if not _SQLISH.search(text) and "\\" not in text and not text.lstrip().startswith("."):
        return [_unparsed(text, database)]
    out: list[SqlStatement] = []
    current = database
    for seg_kind, seg in split_sql(text, dialect):
        if seg_kind == "meta":
            stmt = _meta(seg, dialect, current)
        else:
            stmt = _statement(seg, dialect, current)
        if stmt.kind in ("use", "connect") and stmt.objects:
            current = stmt.objects[0]
        out.append(stmt)
    return out


def _meta(text: str, dialect: str, database: str | None) -> SqlStatement:
    found = client_command(text, dialect, database)
    return _tighten(found, text) if found.kind == "call" else found


def _statement(text: str, dialect: str, database: str | None) -> SqlStatement:
    fast = _fast_select(text)
    if fast is not None:
        return replace(fast, database=database)
    words = words_of(text)
    stmt = _parsed(text, dialect, words)
    if stmt is None:
        stmt = by_keywords(words, text)
    if stmt is None:
        stmt = _unparsed(text, database)
    return replace(_tighten(stmt, text), database=database)


def _fast_select(text: str) -> SqlStatement | None:
    """A lone, plain `SELECT …` is a read: no sqlglot needed."""
    body = text.strip().rstrip(";").strip()
    if body[:6].upper() != "SELECT" or not body[6:7].isspace():
        return None
    if ";" in body or "/*" in body or "\\" in body or _INTO.search(body):
        return None
    if danger_functions(body):
        return None
    return SqlStatement("select", Effect.READ, text=text)


def _parsed(text: str, dialect: str, words: list[str]) -> SqlStatement | None:
    from interlock.parse import sql_ast  # lazy: sqlglot costs ~300 ms to import

    return sql_ast.classify_tree(text, dialect, words)


def _tighten(stmt: SqlStatement, text: str) -> SqlStatement:
    """Raise the effect when the statement's text shows a destructive verb it did not report."""
    if stmt.effect is Effect.DESTROY:
        return stmt
    found = fallback_scan(text) if stmt.kind in TIGHTEN else None
    func = danger_functions(text)
    best = stmt
    for cand in (found, func):
        if cand is None:
            continue
        if _RANK[cand.effect] > _RANK[best.effect] or (cand.effect is best.effect and cand.tags):
            merged = best.tags | cand.tags | {"embedded"}
            best = replace(cand, tags=merged, text=stmt.text or text)
    return best


def _unparsed(text: str, database: str | None) -> SqlStatement:
    found = fallback_scan(text)
    if found is not None:
        return replace(found, tags=found.tags | {"unparsed"}, text=text, database=database)
    return SqlStatement(
        "unparsed", Effect.UNKNOWN, tags=frozenset({"unparsed"}), text=text, database=database
    )


__all__ = ["DIALECTS", "SqlStatement", "classify_sql", "severity"]
