"""Stores driven by subcommands: influx, cypher-shell/neo4j, rethinkdb, surreal, cockroach,
clickhouse (etcd is in `db_etcd`)."""

from __future__ import annotations

import re

from interlock.model import Command, Effect, Operation, Tier
from interlock.parse.args import parse_args
from interlock.parse.tools.db_common import Conn, D, R, U, W, input_ops, op, place, sql_ops

_READ_VERBS = frozenset(
    {
        "get",
        "list",
        "ls",
        "find",
        "show",
        "info",
        "describe",
        "status",
        "watch",
        "version",
        "health",
        "report",
        "view",
        "export",
        "backup",
        "query",
        "sub",
        "subscribe",
        "check",
        "ping",
        "help",
        "dump",
        "stats",
        "environment",
        "cluster_status",
        "diagnostics",
        "overview",
        "whoami",
        "inspect",
        "read",
        "history",
        "bench",
        "top",
        "events",
        "server",
        "--help",
        "-h",
        "--version",
    }
)
_DESTROY_VERBS = frozenset(
    {
        "delete",
        "del",
        "rm",
        "remove",
        "purge",
        "drop",
        "destroy",
        "reset",
        "force_reset",
        "wipe",
        "truncate",
        "flush",
    }
)


def verb_effect(word: str) -> tuple[str, Effect]:
    w = word.lower()
    if w in _DESTROY_VERBS:
        return w, D
    if w in _READ_VERBS or w.startswith(("list_", "get", "show", "describe")):
        return w, R
    return w, W


def influx(cmd: Command, ctx: object) -> list[Operation]:
    """influx v2 (`influx bucket delete`, `influx delete`) or v1 (`influx -execute 'DROP …'`)."""
    from interlock.parse.tools.db_sql import INFLUX_V1, analyze_client

    if any(w.startswith("-execute") or w in ("-host", "-database") for w in cmd.args):
        return analyze_client(cmd, ctx, INFLUX_V1, list(cmd.args))  # type: ignore[arg-type]
    a = parse_args(
        cmd.args,
        {
            "--host",
            "--org",
            "-o",
            "--bucket",
            "-b",
            "--name",
            "-n",
            "--start",
            "--stop",
            "--predicate",
            "-p",
            "--token",
            "-t",
            "--id",
            "-i",
            "--bucket-id",
            "--org-id",
            "--configs-path",
            "-c",
            "--file",
            "-f",
            "--format",
        },
    )
    conn = place(
        cmd,
        a.value("--host") or cmd.getenv("INFLUX_HOST"),
        a.value("--bucket", "-b"),
        profile=a.value("-c"),
    )
    pos = a.pos[1:] if a.pos[:1] == ["v1"] else a.pos  # `influx v1 dbrp list`
    if not pos:
        return [op(cmd, "help", R, [conn.target("database", "")], (), "influx help")]
    if pos[0] == "shell":  # `influx v1 shell`: an interactive InfluxQL session
        return input_ops(cmd, ctx, conn, None)  # type: ignore[arg-type]
    if pos[0] in ("backup", "ping", "version", "completion", "export"):
        return [op(cmd, pos[0], R, [conn.target("database", "")], (), f"influx {pos[0]}")]
    if pos[0] == "delete":
        tags = set() if a.value("--predicate", "-p") else {"no-where"}
        bucket = a.value("--bucket", "-b") or ""
        return [
            op(
                cmd,
                "delete",
                D,
                [conn.target("bucket", bucket)],
                tags,
                f"deletes points from bucket `{bucket}`",
            )
        ]
    if pos[0] in ("write", "restore", "setup"):
        effect = D if pos[0] == "restore" and a.has("--full") else W
        return [op(cmd, pos[0], effect, [conn.target("bucket", conn.database or "")], (), pos[0])]
    if pos[0] == "query":
        text = " ".join(pos[1:])
        effect = W if re.search(r"\bto\s*\(", text) else R
        return [
            op(cmd, "query", effect, [conn.target("bucket", conn.database or "")], (), "flux query")
        ]
    verb = pos[1] if len(pos) > 1 else "list"
    action, effect = verb_effect(verb)
    name = a.value("--name", "-n", "--id", "-i") or ""
    return [op(cmd, action, effect, [conn.target(pos[0], name)], (), f"influx {pos[0]} {verb}")]


_CYPHER_DEL = re.compile(r"\b(DETACH\s+)?DELETE\b", re.I)
_CYPHER_WRITE = re.compile(r"\b(CREATE|MERGE|SET|REMOVE|LOAD\s+CSV|FOREACH)\b", re.I)
_CYPHER_DROP = re.compile(r"\bDROP\s+(DATABASE|ALIAS|USER|ROLE|INDEX|CONSTRAINT)\b", re.I)


def classify_cypher(text: str) -> tuple[str, Effect, tuple[str, ...], str]:
    drop = _CYPHER_DROP.search(text)
    if drop:
        return "drop", D, (), drop.group(1).lower()
    if _CYPHER_DEL.search(text):
        filtered = re.search(r"\bWHERE\b|\{[^}]*:", text, re.I)
        return ("delete", W, (), "node") if filtered else ("delete", D, ("no-where",), "node")
    if re.search(r"\bCALL\b", text, re.I) and not re.search(r"\bCALL\s+(db|dbms)\.", text, re.I):
        return "call", U, (), "procedure"
    if _CYPHER_WRITE.search(text):
        return "write", W, (), "node"
    return "query", R, (), "node"


def cypher_shell(cmd: Command, ctx: object) -> list[Operation]:
    a = parse_args(
        cmd.args,
        {
            "-a",
            "--address",
            "-u",
            "--username",
            "-p",
            "--password",
            "-d",
            "--database",
            "-f",
            "--file",
            "--format",
            "-P",
            "--param",
            "--encryption",
            "--access-mode",
        },
    )
    conn = place(
        cmd, a.value("-a", "--address") or cmd.getenv("NEO4J_ADDRESS"), a.value("-d", "--database")
    )
    if a.value("-f", "--file"):
        return [
            op(cmd, "script", U, [conn.target("database", "")], {"script"}, "runs a cypher file")
        ]
    text = " ".join(a.pos) or (cmd.stdin if cmd.stdin is not None and not cmd.stdin_piped else "")
    if not text:
        if a.has("--help", "-h", "--version", "-v"):
            return [op(cmd, "info", R, [conn.target("database", "")], (), "prints help")]
        return input_ops(cmd, ctx, conn, None)  # type: ignore[arg-type]
    action, effect, tags, kind = classify_cypher(text)
    return [op(cmd, action, effect, [conn.target(kind, "")], tags, f"cypher {action}")]


def service_cli(cmd: Command) -> list[Operation]:
    """neo4j / rethinkdb / surreal: start/stop a server, dump, restore, import."""
    pos = [p for p in cmd.args if not p.startswith("-")]
    verb = pos[0] if pos else ("serve" if cmd.program == "rethinkdb" else "help")
    conn = place(cmd, "localhost", None)
    if verb in ("stop", "restart"):
        return [op(cmd, verb, W, [conn.target("server", "")], {"shutdown"}, f"{verb}s the server")]
    if verb in ("restore", "import"):
        force = "--force" in cmd.args
        effect = D if force else W
        return [
            op(cmd, verb, effect, [conn.target("database", "")], {"force"} if force else (), verb)
        ]
    if verb == "sql":
        return [
            op(cmd, "session", U, [conn.target("database", "")], {"interactive"}, "SQL session")
        ]
    action, effect = verb_effect(verb)
    if verb in ("start", "console", "serve", "fix", "upgrade"):
        effect = W
    return [op(cmd, action, effect, [conn.target("server", "")], (), f"{cmd.program} {verb}")]


def cockroach(cmd: Command, ctx: object) -> list[Operation]:
    from interlock.parse.tools.db_sql import COCKROACH, analyze_client

    pos = [p for p in cmd.args if not p.startswith("-")]
    sub = pos[0] if pos else "help"
    if sub == "sql":
        rest = list(cmd.args)
        rest.remove("sql")
        return analyze_client(cmd, ctx, COCKROACH, rest)  # type: ignore[arg-type]
    conn = place(cmd, _flag(cmd.args, "--host") or cmd.getenv("COCKROACH_HOST"), None)
    second = pos[1] if len(pos) > 1 else ""
    if sub == "node" and second in ("decommission", "drain"):
        return [
            op(
                cmd,
                second,
                W,
                [conn.target("node", " ".join(pos[2:]))],
                {"shutdown"},
                f"{second}s cockroach node",
            )
        ]
    if sub == "userfile" and second == "delete":
        return [
            op(cmd, "delete", D, [conn.target("file", " ".join(pos[2:]))], (), "deletes a userfile")
        ]
    if sub in ("demo", "version", "debug", "gen", "cert", "statement-diag") or second in (
        "status",
        "ls",
        "list",
        "get",
    ):
        return [op(cmd, sub, R, [conn.target("cluster", "")], (), f"cockroach {sub}")]
    return [op(cmd, sub, W, [conn.target("cluster", "")], (), f"cockroach {sub} {second}".strip())]


def _flag(args: tuple[str, ...], name: str) -> str | None:
    for i, w in enumerate(args):
        if w == name and i + 1 < len(args):
            return args[i + 1]
        if w.startswith(name + "="):
            return w.split("=", 1)[1]
    return None


def clickhouse(cmd: Command, ctx: object) -> list[Operation]:
    """clickhouse-client / `clickhouse client|local|server|stop …`."""
    from interlock.parse.tools.db_sql import CLICKHOUSE, analyze_client

    args = list(cmd.args)
    sub = args[0] if args and not args[0].startswith("-") else ""
    rest = args[1:] if sub else args
    remote = _flag(cmd.args, "--host") or _flag(cmd.args, "-h")
    if cmd.program == "clickhouse-client" or sub == "client" or (sub in ("", "local") and remote):
        return analyze_client(cmd, ctx, CLICKHOUSE, rest)  # type: ignore[arg-type]
    if sub in ("local", ""):
        conn = Conn(host=cmd.host, database="local", tier=Tier.UNKNOWN if cmd.host else Tier.LOCAL)
        query = _flag(cmd.args, "--query") or _flag(cmd.args, "-q")
        if query:
            return sql_ops(cmd, ctx, conn, query, "clickhouse")  # type: ignore[arg-type]
        return input_ops(cmd, ctx, conn, "clickhouse")  # type: ignore[arg-type]
    conn = place(cmd, "localhost", None)
    effect = R if sub in ("help", "version", "format", "obfuscator") else W
    tags = {"shutdown"} if sub in ("stop", "restart") else set()
    return [op(cmd, sub, effect, [conn.target("server", "")], tags, f"clickhouse {sub}")]
