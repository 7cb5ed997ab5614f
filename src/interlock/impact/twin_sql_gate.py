"""What the SQL twin never runs, even inside a transaction it rolls back (pure).

`unsafe_reason(stmt, engine)` is the empty string for a statement the twin may execute, or a
one-line reason (reported with the code `impact.sql_unsafe`) for one it must not: statements
that cannot run in a transaction or whose effect survives a rollback (`VACUUM`,
`CREATE DATABASE`, `ALTER SYSTEM`, `… CONCURRENTLY`, `COPY … PROGRAM`, `pg_terminate_backend`,
`dblink`, `lo_export`, `setval`, replication slots), statements that would end or split the
twin's own transaction (`COMMIT`, `ROLLBACK`, `SAVEPOINT`…), session settings and the twin's
own time limits, procedural code it cannot see into (`DO`, `CALL`, `EXECUTE`), client and
shell commands, extensions and functions in untrusted languages (`plpython3u`, `C`), and
anything the classifier could not parse. The checks read the statement's leading words and
scan its whole text, so a name inside a string literal is refused too: failing closed costs
a simulation, never a database.
"""

from __future__ import annotations

import re

from interlock.parse.sql_keywords import SqlStatement, words_of

UNSAFE = "impact.sql_unsafe"

_TXN = frozenset(
    "BEGIN START COMMIT END ROLLBACK ABORT SAVEPOINT RELEASE".split()
)  # PREPARE TRANSACTION is matched below
_CODE = frozenset("DO CALL EXECUTE".split())
_GUARDS = re.compile(
    r"\b(statement_timeout|lock_timeout|idle_in_transaction_session_timeout|"
    r"transaction_timeout|idle_session_timeout|default_transaction_read_only|"
    r"transaction_read_only)\b",
    re.I,
)
_PG_FUNCS = re.compile(
    r"\b(pg_terminate_backend|pg_cancel_backend|pg_signal_backend|pg_reload_conf|"
    r"pg_rotate_logfile|pg_promote|pg_switch_wal|pg_create_restore_point|pg_backup_start|"
    r"pg_backup_stop|pg_start_backup|pg_stop_backup|pg_wal_replay_pause|pg_wal_replay_resume|"
    r"pg_file_write|pg_file_unlink|pg_file_rename|pg_file_sync|lo_export|lo_import|"
    r"dblink\w*|pg_create_physical_replication_slot|pg_create_logical_replication_slot|"
    r"pg_drop_replication_slot|pg_copy_\w+_replication_slot|pg_replication_slot_advance|"
    r"pg_logical_slot_get_\w+|pg_replication_origin_\w+|pg_logical_emit_message|setval|"
    r"pg_stat_reset\w*|pg_stat_statements_reset|set_config)\s*\(",
    re.I,
)
_UNTRUSTED = re.compile(
    r"\bLANGUAGE\s+['\"]?(c|internal|plpython\w*u|plperlu|pltclu|plsh|plr|pljavau|plv8u?)\b['\"]?",
    re.I,
)
_LITE_FUNCS = re.compile(
    r"\b(load_extension|writefile|readfile|edit|fts3_tokenizer|zipfile)\s*\(", re.I
)
_LITE_PRAGMA_READS = frozenset(
    "table_info table_xinfo table_list index_list index_info index_xinfo foreign_key_list "
    "foreign_key_check integrity_check quick_check database_list collation_list "
    "function_list module_list pragma_list compile_options page_count page_size freelist_count "
    "user_version schema_version application_id encoding foreign_keys".split()
)
_PG_NO_TXN = (
    (("CREATE", "DATABASE"), "creates a database, which cannot be rolled back"),
    (("DROP", "DATABASE"), "drops a database, which cannot be rolled back"),
    (("ALTER", "DATABASE"), "changes a database's settings"),
    (("CREATE", "TABLESPACE"), "creates a tablespace, which cannot be rolled back"),
    (("DROP", "TABLESPACE"), "drops a tablespace, which cannot be rolled back"),
    (("ALTER", "TABLESPACE"), "changes a tablespace"),
    (("ALTER", "SYSTEM"), "changes the server configuration file"),
    (("CREATE", "SUBSCRIPTION"), "creates a subscription on another server"),
    (("ALTER", "SUBSCRIPTION"), "changes a subscription on another server"),
    (("DROP", "SUBSCRIPTION"), "drops a subscription and its remote slot"),
    (("PREPARE", "TRANSACTION"), "prepares a two-phase transaction that outlives the twin"),
    (("CREATE", "EXTENSION"), "installs an extension, which may reach outside the database"),
    (("ALTER", "EXTENSION"), "changes an extension, which may reach outside the database"),
    (("CREATE", "LANGUAGE"), "installs a procedural language"),
    (("CREATE", "OR", "REPLACE", "LANGUAGE"), "installs a procedural language"),
    (("CREATE", "TRUSTED", "LANGUAGE"), "installs a procedural language"),
)
_PG_LEAD = {
    "VACUUM": "vacuums, which cannot run in a transaction",
    "CHECKPOINT": "forces a server checkpoint",
    "LOAD": "loads a shared library into the server",
    "COPY": "copies data to or from outside the database",
    "LISTEN": "listens on a channel",
    "UNLISTEN": "stops listening on a channel",
    "DISCARD": "discards session state",
    "RESET": "resets session settings",
}


def unsafe_reason(stmt: SqlStatement, engine: str) -> str:
    """Why the twin must not execute `stmt` on `engine` ("postgresql" | "sqlite"), or ""."""
    words = [w.upper() for w in words_of(stmt.text)]
    common = _common(stmt, words)
    if common:
        return common
    if engine == "sqlite":
        return _sqlite(stmt, words)
    return _postgres(stmt, words)


def explainable(text: str) -> bool:
    """A statement PostgreSQL's `EXPLAIN` accepts (planning only, nothing runs)."""
    words = [w.upper() for w in words_of(text)[:1]]
    return bool(words) and words[0] in {"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "WITH",
                                        "VALUES", "TABLE"}  # fmt: skip


def _common(stmt: SqlStatement, words: list[str]) -> str:
    if not words:
        return "the statement is empty"
    if stmt.shell is not None or stmt.kind in ("shell", "meta", "connect", "use"):
        return "runs a client or shell command"
    if stmt.kind == "unparsed" or "unparsed" in stmt.tags:
        return "the statement could not be parsed"
    if words[0] in _TXN or stmt.kind == "transaction":
        return "controls the transaction the twin must roll back"
    return ""


def _postgres(stmt: SqlStatement, words: list[str]) -> str:
    for lead, why in _PG_NO_TXN:
        if tuple(words[: len(lead)]) == lead:
            return why
    if words[0] in _PG_LEAD:
        return _PG_LEAD[words[0]]
    if words[0] in _CODE:
        return "runs procedural code the twin cannot see into"
    if "CONCURRENTLY" in words:
        return "runs concurrently, which cannot be done in a transaction"
    if words[0] == "SET":
        return _pg_set(stmt.text, words)
    if _UNTRUSTED.search(stmt.text):
        return "defines code in a language that can reach outside the database"
    if _GUARDS.search(stmt.text):
        return "changes the twin's own time limits"
    found = _PG_FUNCS.search(stmt.text)
    if found:
        return f"calls `{found.group(1).lower()}`, whose effect survives a rollback"
    return ""


def _pg_set(text: str, words: list[str]) -> str:
    if _GUARDS.search(text):
        return "changes the twin's own time limits"
    if len(words) > 1 and words[1] in ("LOCAL", "TRANSACTION", "CONSTRAINTS"):
        return ""
    return "sets a session-level setting that outlives the transaction"


def _sqlite(stmt: SqlStatement, words: list[str]) -> str:
    if words[0] == "VACUUM":
        return "vacuums, which cannot run in a transaction"
    if words[0] in ("ATTACH", "DETACH"):
        return "attaches or detaches another database file"
    if words[0] == "PRAGMA":
        return _pragma(words)
    found = _LITE_FUNCS.search(stmt.text)
    if found:
        return f"calls `{found.group(1).lower()}`, which reaches outside the database"
    return ""


def _pragma(words: list[str]) -> str:
    at = 3 if len(words) > 3 and words[2] == "." else 1  # PRAGMA schema.name
    name = words[at].lower() if len(words) > at else ""
    if "=" in words or name not in _LITE_PRAGMA_READS:
        return "a pragma that may change the database or the connection"
    if name in ("user_version", "schema_version", "application_id", "foreign_keys") and (
        "(" in words
    ):
        return "a pragma that may change the database or the connection"
    return ""


__all__ = ["UNSAFE", "explainable", "unsafe_reason"]
