"""Parsing: raw proposal text → operations (pure)."""

from __future__ import annotations

from interlock.model import Command, Operation


def analyze_sql(sql: str) -> list[Operation]:
    """Operations for a bare SQL statement (no client, no host)."""
    from interlock.parse.tools import Context, analyzer_for

    try:
        from interlock.parse.tools.db import analyze_bare_sql
    except ImportError:
        cmd = Command(argv=("psql", "-c", sql), text=sql)
        return analyzer_for("psql")(cmd, Context(shell=lambda t, c: []))
    return analyze_bare_sql(sql)
