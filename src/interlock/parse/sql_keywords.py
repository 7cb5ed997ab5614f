"""Keyword-level SQL classification: the fallback when sqlglot cannot parse a statement (or
parses it only as an opaque command), client commands, and scans that find a destructive verb
hidden in code we cannot otherwise read (`EXEC('DROP TABLE x')`, `DO $$ … $$`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from interlock.model import Effect


def _split_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class SqlStatement:
    """One statement. `shell` holds shell code it runs (psql `\\!`, `COPY … FROM PROGRAM`);
    `database` is the database in effect (after `USE x` / `\\c x`)."""

    kind: str
    effect: Effect
    object_kind: str = ""
    objects: tuple[str, ...] = ()
    tags: frozenset[str] = frozenset()
    text: str = ""
    database: str | None = None
    shell: str | None = None


R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN

_TOKEN = re.compile(
    r"'(?:[^'\\]|''|\\.)*'?|\"[^\"]*\"?|`[^`]*`?|\[[^\]]*\]?|\$\w*\$|[A-Za-z_@#][\w$@#]*|\d+|\S"
)
_DROP_KINDS = {
    "TABLE": "table", "DATABASE": "database", "SCHEMA": "schema", "KEYSPACE": "keyspace",
    "INDEX": "index", "VIEW": "view", "USER": "user", "ROLE": "role", "GROUP": "role",
    "LOGIN": "user", "SEQUENCE": "sequence", "FUNCTION": "function", "PROCEDURE": "procedure",
    "TRIGGER": "trigger", "TYPE": "type", "DOMAIN": "type", "EXTENSION": "extension",
    "OWNED": "owned", "MEASUREMENT": "table", "SERIES": "series", "COLLECTION": "collection",
    "WAREHOUSE": "warehouse", "STAGE": "stage", "STREAM": "stream", "TASK": "task",
    "DICTIONARY": "dictionary", "TABLESPACE": "tablespace", "SERVER": "server",
    "PUBLICATION": "publication", "SUBSCRIPTION": "subscription", "CONSTRAINT": "constraint",
    "COLUMN": "column", "PARTITION": "partition", "SHARD": "shard", "RETENTION": "retention",
    "CONTINUOUS": "query", "EVENT": "event", "SYNONYM": "synonym", "PACKAGE": "package",
    "POLICY": "policy", "RULE": "rule", "AGGREGATE": "function", "CATALOG": "database",
    "NAMESPACE": "schema", "BUCKET": "bucket", "SECRET": "secret", "PIPE": "pipe",
}  # fmt: skip
_DROP_SKIP = _split_words(
    "TEMPORARY TEMP MATERIALIZED FOREIGN UNLOGGED EXTERNAL GLOBAL LOCAL DYNAMIC ICEBERG IF "
    "EXISTS CONCURRENTLY TRANSIENT HYBRID PERSISTENT"
)
_NAME_END = _split_words("CASCADE RESTRICT ON PURGE FORCE SYNC FROM IN WHERE WITH")
_READ_LEAD = _split_words(
    "SELECT SHOW DESCRIBE DESC VALUES TABLE COMMIT END ROLLBACK SAVEPOINT RELEASE ABORT FETCH "
    "CLOSE DEALLOCATE LISTEN UNLISTEN DISCARD CHECKPOINT SUMMARIZE FROM LIST HELP CONSISTENCY "
    "SERIAL TRACING PAGING EXPAND DECLARE UNLOAD BACKUP EXPORT GET PRINT"
)
_WRITE_LEAD = _split_words(
    "INSERT REPLACE UPSERT MERGE LOAD GRANT REVOKE COMMENT RENAME REINDEX CLUSTER VACUUM "
    "ANALYZE ANALYSE OPTIMIZE REFRESH KILL NOTIFY UNDROP ATTACH DETACH IMPORT INSTALL FLUSH "
    "SYSTEM SECURITY REASSIGN STARTUP AUDIT NOAUDIT FLASHBACK EXCHANGE MOVE PUT LOCK UNLOCK "
    "SECURITY_LABEL APPLY"
)
_READ_KINDS = {
    "SELECT": "select",
    "VALUES": "select",
    "TABLE": "select",
    "FROM": "select",
    "WITH": "select",
    "DESC": "describe",
    "COMMIT": "transaction",
    "END": "transaction",
    "ROLLBACK": "transaction",
    "SAVEPOINT": "transaction",
    "RELEASE": "transaction",
    "ABORT": "transaction",
}
_CODE_LEAD = frozenset(["CALL", "EXEC", "EXECUTE", "DO", "PREPARE", "SOURCE"])
_WRITE_KINDS = {
    "GRANT": "grant",
    "REVOKE": "revoke",
    "INSERT": "insert",
    "REPLACE": "insert",
    "UPSERT": "insert",
    "MERGE": "merge",
    "LOAD": "load",
    "VACUUM": "vacuum",
}
TIGHTEN = frozenset({"call", "execute", "block", "prepare", "other", "unparsed", "batch"})

_SCAN = (
    (re.compile(r"\bDROP\s+(?:(?:TEMPORARY|TEMP|MATERIALIZED|FOREIGN|EXTERNAL)\s+)?"
                r"(TABLE|DATABASE|SCHEMA|KEYSPACE|VIEW|INDEX|USER|ROLE|COLLECTION|MEASUREMENT|"
                r"SERIES|OWNED|LOGIN)\b", re.I), "drop"),
    (re.compile(r"\bTRUNCATE\s+(?:TABLE\s+)?(?!\()[\w\"`\[]", re.I), "truncate"),
    (re.compile(r"\bDELETE\s+(?:\w+\s+)?FROM\b", re.I), "delete"),
    (re.compile(r"\bUPDATE\s+[\w.\"`\[\]]+\s+SET\b", re.I), "update"),
    (re.compile(r"\bALTER\s+TABLE\b[^;]*?\bDROP\b", re.I), "alter-drop"),
)  # fmt: skip
_WHERE = re.compile(r"\bWHERE\b(?!\s+(?:1\s*=\s*1|TRUE|1)\s*(?:$|;|\)|'|\bLIMIT\b))", re.I)
_FUNCS = re.compile(
    r"\b(pg_terminate_backend|pg_cancel_backend|pg_drop_replication_slot|lo_unlink|"
    r"pg_replication_origin_drop|dblink_exec|dblink|xp_cmdshell|sys_exec|sys_eval|setval|"
    r"pg_reload_conf|pg_promote|pg_switch_wal|lo_import|lo_export|pg_file_write|"
    r"pg_file_unlink|pg_logdir_ls|pg_rotate_logfile)\s*\(|\b(xp_cmdshell|sys_exec|sys_eval)\b",
    re.I,
)
_FUNC_CLASS = {
    "pg_drop_replication_slot": ("drop", D), "lo_unlink": ("drop", D),
    "pg_replication_origin_drop": ("drop", D), "pg_file_unlink": ("drop", D),
    "dblink_exec": ("execute", U), "dblink": ("execute", U), "xp_cmdshell": ("shell", U),
    "sys_exec": ("shell", U), "sys_eval": ("shell", U),
}  # fmt: skip


def words_of(text: str) -> list[str]:
    """Tokens of a statement: words, quoted strings and identifiers, single punctuation."""
    return _TOKEN.findall(text)


def _unquote(tok: str) -> str:
    if len(tok) >= 2 and tok[0] in '"`[' and tok[-1] in '"`]':
        return tok[1:-1]
    return tok


def stmt(
    kind: str,
    effect: Effect,
    okind: str = "",
    objs: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    text: str = "",
) -> SqlStatement:
    return SqlStatement(kind, effect, okind, objs, frozenset(tags), text)


def names_after(words: list[str], start: int) -> tuple[str, ...]:
    """Object names from `words[start:]`: dotted parts joined, commas separate."""
    names: list[str] = []
    cur = ""
    for tok in words[start:]:
        up = tok.upper()
        if up in _NAME_END or tok in (";", "(", ")"):
            break
        if tok == ",":
            names.append(cur)
            cur = ""
        elif tok == ".":
            cur += "."
        elif cur and not cur.endswith("."):
            break
        else:
            cur += _unquote(tok)
    if cur:
        names.append(cur)
    return tuple(n for n in names if n)


def by_keywords(words: list[str], text: str) -> SqlStatement | None:
    """Classify from the leading keywords; None when they say nothing useful."""
    up = [w.upper() for w in words]
    while up and up[0] == "(":
        up, words = up[1:], words[1:]
    if not up:
        return None
    head = up[0]
    handler = _HANDLERS.get(head)
    if handler is not None:
        return handler(words, up, text)
    if head in ("SELECT", "WITH") and "INTO" in up:  # SELECT … INTO t / INTO OUTFILE writes
        return stmt("select-into", W, "table", (), (), text)
    if head in _READ_LEAD or (head == "WITH" and not fallback_scan(text)):
        return stmt(_READ_KINDS.get(head, head.lower()), R, text=text)
    if head in _WRITE_LEAD:
        return stmt(_WRITE_KINDS.get(head, head.lower()), W, text=text)
    if head in _CODE_LEAD:
        kind = "prepare" if head == "PREPARE" else "script" if head == "SOURCE" else "call"
        return stmt(kind, U, text=text)
    return None


def _drop(words: list[str], up: list[str], text: str) -> SqlStatement:
    i = 1
    while i < len(up) and up[i] in _DROP_SKIP:
        i += 1
    if i >= len(up):
        return stmt("drop", D, "object", text=text)
    okind = _DROP_KINDS.get(up[i], up[i].lower())
    if up[i] in ("RETENTION", "CONTINUOUS", "OWNED"):
        i += 1  # DROP RETENTION POLICY x / DROP OWNED BY x
    j = i + 1
    tags = []
    while j < len(up) and up[j] in _DROP_SKIP:
        if up[j] == "EXISTS":
            tags.append("if-exists")
        j += 1
    if "CASCADE" in up:
        tags.append("cascade")
    if okind == "series" and "WHERE" not in up:
        tags.append("no-where")
    return stmt("drop", D, okind, names_after(words, j), tuple(tags), text)


def _truncate(words: list[str], up: list[str], text: str) -> SqlStatement:
    j = 1
    while j < len(up) and up[j] in ("TABLE", "ONLY", "IF", "EXISTS"):
        j += 1
    tags = ("cascade",) if "CASCADE" in up else ()
    return stmt("truncate", D, "table", names_after(words, j), tags, text)


def _filtered(kind: str, words: list[str], up: list[str], text: str) -> SqlStatement:
    start = 2 if kind == "delete" and len(up) > 1 and up[1] == "FROM" else 1
    objs = names_after(words, start)
    if _WHERE.search(text):
        return stmt(kind, W, "table", objs, (), text)
    return stmt(kind, D, "table", objs, ("no-where",), text)


def _delete(words: list[str], up: list[str], text: str) -> SqlStatement:
    return _filtered("delete", words, up, text)


def _update(words: list[str], up: list[str], text: str) -> SqlStatement:
    return _filtered("update", words, up, text)


def _alter(words: list[str], up: list[str], text: str) -> SqlStatement:
    okind = _DROP_KINDS.get(up[1], "object") if len(up) > 1 else "object"
    objs = names_after(words, 2)
    if okind == "table" and any(w in ("DROP", "DELETE") for w in up[2:]):
        return stmt("alter-drop", D, okind, objs, (), text)
    return stmt("alter", W, okind, objs, (), text)


def _create(words: list[str], up: list[str], text: str) -> SqlStatement:
    if len(up) > 3 and up[1:3] == ["OR", "REPLACE"]:
        rest = [w for w in up[3:] if w not in _DROP_SKIP]
        okind = _DROP_KINDS.get(rest[0], "object") if rest else "object"
        if okind in ("table", "database", "schema"):
            objs = names_after(words, up.index(rest[0]) + 1)
            return stmt("create", D, okind, objs, ("replace",), text)
    return stmt("create", W, text=text)


def _explain(words: list[str], up: list[str], text: str) -> SqlStatement:
    head = up[1:4]
    analyzing = "ANALYZE" in head or "ANALYSE" in head
    if not analyzing:
        return stmt("explain", R, text=text)
    for i, w in enumerate(up[1:], start=1):
        if w in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "CREATE", "EXECUTE"):
            inner = by_keywords(words[i:], text) or stmt("unparsed", U, text=text)
            return SqlStatement(
                inner.kind,
                inner.effect,
                inner.object_kind,
                inner.objects,
                inner.tags | {"explain-analyze"},
                text,
            )
    return stmt("explain", R, text=text)


def _set(words: list[str], up: list[str], text: str) -> SqlStatement:
    if any(w in ("GLOBAL", "PERSIST", "PERSIST_ONLY") or w.startswith("@@GLOBAL") for w in up):
        return stmt("set", W, tags=("global",), text=text)
    if up[1:3] == ["CLUSTER", "SETTING"]:  # CockroachDB: every node, every session
        return stmt("set", W, tags=("global",), text=text)
    return stmt("set", R, text=text)


def _reset(words: list[str], up: list[str], text: str) -> SqlStatement:
    if len(up) > 1 and up[1] in ("MASTER", "BINARY", "SLAVE", "REPLICA"):
        return stmt("reset", D, "binlog", text=text)
    return stmt("reset", R, text=text)


def _purge(words: list[str], up: list[str], text: str) -> SqlStatement:
    return stmt("purge", D, up[1].lower() if len(up) > 1 else "object", text=text)


def _begin(words: list[str], up: list[str], text: str) -> SqlStatement:
    if len(up) == 1 or up[1] in (
        "TRANSACTION",
        "WORK",
        "ISOLATION",
        "READ",
        "DEFERRED",
        "IMMEDIATE",
        "EXCLUSIVE",
        "TRAN",
        "DISTRIBUTED",
        ";",
    ):
        return stmt("transaction", R, text=text)
    if up[1] in ("BATCH", "UNLOGGED", "COUNTER"):
        return stmt("batch", W, text=text)
    return stmt("block", U, text=text)


def _start(words: list[str], up: list[str], text: str) -> SqlStatement:
    if len(up) > 1 and up[1] == "TRANSACTION":
        return stmt("transaction", R, text=text)
    return stmt("start", W, text=text)


def _use(words: list[str], up: list[str], text: str) -> SqlStatement:
    return stmt("use", R, "database", names_after(words, 1), (), text)


def _pragma(words: list[str], up: list[str], text: str) -> SqlStatement:
    return stmt("pragma", W if "=" in words else R, text=text)


def _copy(words: list[str], up: list[str], text: str) -> SqlStatement:
    if "PROGRAM" in up:
        i = up.index("PROGRAM")
        cmd = words[i + 1][1:-1] if i + 1 < len(words) and words[i + 1][:1] == "'" else None
        return SqlStatement(
            "copy", U, "table", names_after(words, 1), frozenset({"remote-code"}), text, shell=cmd
        )
    if "FROM" in up:
        return stmt("copy", W, "table", names_after(words, 1), (), text)
    return stmt("copy", R, "table", names_after(words, 1), (), text)


def _shutdown(words: list[str], up: list[str], text: str) -> SqlStatement:
    return stmt("shutdown", W, "server", (), ("shutdown",), text)


def _restore(words: list[str], up: list[str], text: str) -> SqlStatement:
    okind = _DROP_KINDS.get(up[1], "database") if len(up) > 1 else "database"
    return stmt("restore", D, okind, names_after(words, 2), (), text)


def _remove(words: list[str], up: list[str], text: str) -> SqlStatement:
    return stmt("remove", D, "stage", names_after(words, 1), (), text)


_HANDLERS = {
    "DROP": _drop, "TRUNCATE": _truncate, "DELETE": _delete, "UPDATE": _update,
    "ALTER": _alter, "CREATE": _create, "EXPLAIN": _explain, "SET": _set, "RESET": _reset,
    "PURGE": _purge, "BEGIN": _begin, "START": _start, "USE": _use, "PRAGMA": _pragma,
    "COPY": _copy, "SHUTDOWN": _shutdown, "RESTORE": _restore, "REMOVE": _remove,
    "RM": _remove,
}  # fmt: skip


def fallback_scan(text: str) -> SqlStatement | None:
    """The most destructive verb anywhere in `text` (strings included), or None."""
    best: SqlStatement | None = None
    for pattern, kind in _SCAN:
        m = pattern.search(text)
        if m is None:
            continue
        sub = text[m.start() :]
        found = by_keywords(words_of(sub), sub)
        if found is None or (found.effect is not D and kind not in ("delete", "update")):
            found = stmt(kind, D, text=text)
        if best is None or (found.effect is D and best.effect is not D):
            best = found
    return best


def danger_functions(text: str) -> SqlStatement | None:
    """A function call that changes state from inside a query (`pg_terminate_backend(…)`)."""
    m = _FUNCS.search(text)
    if m is None:
        return None
    name = (m.group(1) or m.group(2)).lower()
    kind, effect = _FUNC_CLASS.get(name, ("call", W))
    tags = ("remote-code",) if effect is U else ()
    return stmt(kind, effect, "function", (name,), tags, text)
