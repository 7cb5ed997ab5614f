"""Server-side and utility tools around databases and brokers: PostgreSQL cluster tools
(`pg_resetwal`, `pg_dropcluster`, `pg_archivecleanup`, `pg_isready` …), MySQL tools (mysqlsh,
mydumper/myloader, mysqlcheck, Percona toolkit, gh-ost), MongoDB tools (mongostat, mongotop,
mongofiles), Kafka's other scripts, Elasticsearch's node tools, couchbase-cli, sqlpackage."""

from __future__ import annotations

from interlock.model import Command, Effect, Operation
from interlock.parse.args import parse_args
from interlock.parse.sql import classify_sql
from interlock.parse.tools.db_common import Conn, D, R, U, W, op, place, sql_ops
from interlock.parse.tools.db_misc import _flag

# program → (effect, action, tags); refined by flags in `pg_tool`.
_PG_FIXED: dict[str, tuple[Effect, str]] = {
    "pg_resetwal": (D, "reset-wal"), "pg_resetxlog": (D, "reset-wal"),
    "pg_dropcluster": (D, "drop"), "pg_createcluster": (W, "create"),
    "pg_lsclusters": (R, "list"), "pg_archivecleanup": (D, "archive-cleanup"),
    "pg_isready": (R, "ping"), "pg_basebackup": (R, "base-backup"),
    "pg_controldata": (R, "info"), "pg_waldump": (R, "waldump"), "pg_config": (R, "info"),
    "pg_test_fsync": (R, "bench"), "pg_test_timing": (R, "bench"), "pg_amcheck": (R, "check"),
    "pg_verifybackup": (R, "verify"), "pg_receivewal": (W, "receive-wal"),
    "pg_recvlogical": (W, "receive-logical"), "pg_checksums": (R, "checksums"),
    "pg_rewind": (D, "rewind"), "pg_renamecluster": (W, "rename"),
    "pg_conftool": (R, "config"), "pg_upgradecluster": (W, "upgrade"),
}  # fmt: skip


def pg_tool(cmd: Command) -> list[Operation]:
    effect, action = _PG_FIXED.get(cmd.program, (U, "run"))
    args = set(cmd.args)
    conn = place(cmd, _flag(cmd.args, "-h") or _flag(cmd.args, "--host"), _flag(cmd.args, "-d"))
    tags: set[str] = set()
    if cmd.program in ("pg_archivecleanup", "pg_rewind") and args & {"-n", "--dry-run"}:
        effect, tags = R, {"dry-run"}
    if cmd.program == "pg_checksums" and args & {"-e", "--enable", "-d", "--disable"}:
        effect = W
    if cmd.program in ("pg_receivewal", "pg_recvlogical") and "--drop-slot" in args:
        effect, action = D, "drop-slot"
    if cmd.program == "pg_resetwal" and args & {"-n", "--dry-run"}:
        effect, tags = R, {"dry-run"}
    if cmd.program in ("pg_resetwal", "pg_resetxlog") and args & {"-f", "--force"}:
        tags.add("force")
    if cmd.program == "pg_dropcluster":
        tags.add("all")
        kind, name = "cluster", " ".join(w for w in cmd.args if not w.startswith("-"))
    else:
        kind, name = "database", ""
    return [op(cmd, action, effect, [conn.target(kind, name)], tags, f"`{cmd.program}` {action}")]


def mysqlsh(cmd: Command, ctx: object) -> list[Operation]:
    a = parse_args(cmd.args, {"--uri", "-h", "--host", "-u", "--user", "-P", "--port", "-D",
                              "--schema", "--database", "-e", "--execute", "-f", "--file",
                              "--result-format", "--log-level"})  # fmt: skip
    uri = a.value("--uri") or next((p for p in a.pos if "@" in p), None)
    conn = place(cmd, a.value("-h", "--host") or uri, a.value("-D", "--schema", "--database"))
    text = a.value("-e", "--execute")
    if text and a.has("--sql", "--sqlc", "--sqlx"):
        return sql_ops(cmd, ctx, conn, text, "mysql")  # type: ignore[arg-type]
    if a.has("--help", "--version", "-V"):
        return [op(cmd, "help", R, [conn.target("database", "")], (), "prints help")]
    if text or a.value("-f", "--file"):
        return [op(cmd, "script", U, [conn.target("database", "")], {"script"}, "runs a script")]
    return [op(cmd, "session", U, [conn.target("database", "")], {"interactive"}, "shell")]


def _host_conn(cmd: Command, dsn_keys: bool = False) -> Conn:
    host = _flag(cmd.args, "--host") or _flag(cmd.args, "-h") or _flag(cmd.args, "-H")
    db = _flag(cmd.args, "--database") or _flag(cmd.args, "-B") or _flag(cmd.args, "-d")
    if dsn_keys and not host:
        for word in cmd.args:
            pairs = dict(p.partition("=")[::2] for p in word.split(",") if "=" in p)
            host, db = host or pairs.get("h"), db or pairs.get("D")
    uri = _flag(cmd.args, "--uri")
    return place(cmd, host or uri, db)


def mysql_tool(cmd: Command, ctx: object) -> list[Operation]:
    """mydumper, myloader, mysqlcheck, mysqlpump, mysqlbinlog, pt-*, gh-ost."""
    prog, args = cmd.program, set(cmd.args)
    conn = _host_conn(cmd, dsn_keys=prog.startswith("pt-"))
    target = [conn.target("database", conn.database or "")]
    if args & {"--help", "--version"}:
        return [op(cmd, "help", R, target, (), "prints help")]
    if prog == "myloader":
        clobber = args & {"--overwrite-tables", "-o", "--drop-table"}
        effect = D if clobber else W
        return [op(cmd, "load", effect, target, {"force"} if clobber else (), "loads a dump")]
    if prog == "mysqlcheck":
        fix = args & {"--repair", "-r", "--optimize", "-o", "--analyze", "-a", "--auto-repair"}
        return [op(cmd, "repair" if fix else "check", W if fix else R, target, (), prog)]
    if prog in ("gh-ost", "pt-online-schema-change"):
        return _online_alter(cmd, conn, args)
    if prog == "pt-archiver":
        dry = args & {"--dry-run"}
        effect = R if dry else (D if "--purge" in args else W)
        return [op(cmd, "archive", effect, target, {"dry-run"} if dry else (), "archives rows")]
    if prog in ("pt-kill", "pt-table-sync", "pt-heartbeat", "pt-slave-restart"):
        dry = args & {"--print", "--dry-run"} and not args & {"--execute", "--kill"}
        return [op(cmd, prog[3:], R if dry else W, target, (), prog)]
    return [op(cmd, "read", R, target, (), f"`{prog}` reads")]


def _online_alter(cmd: Command, conn: Conn, args: set[str]) -> list[Operation]:
    if "--execute" not in args:
        return [op(cmd, "alter", R, [conn.target("table", "")], {"dry-run"}, "online alter (noop)")]
    alter = _flag(cmd.args, "--alter") or ""
    st = classify_sql(f"ALTER TABLE t {alter}", "mysql", conn.database)
    effect = D if any(s.effect is D for s in st) else W
    return [op(cmd, "alter", effect, [conn.target("table", "")], (), f"alters a table: {alter}")]


def mongo_tool(cmd: Command) -> list[Operation]:
    conn = place(cmd, _flag(cmd.args, "--host") or _flag(cmd.args, "--uri"), _flag(cmd.args, "-d"))
    pos = [w for w in cmd.args if not w.startswith("-")]
    verb = next((w for w in pos if w in ("delete", "delete_id", "put", "put_id", "list",
                                         "search", "get", "get_id")), "")  # fmt: skip
    if cmd.program == "mongofiles" and verb.startswith("delete"):
        return [op(cmd, "delete", D, [conn.target("file", pos[-1])], (), "deletes a GridFS file")]
    if cmd.program == "mongofiles" and verb.startswith("put"):
        return [op(cmd, "put", W, [conn.target("file", pos[-1])], (), "stores a GridFS file")]
    return [op(cmd, "read", R, [conn.target("database", "")], (), f"`{cmd.program}` reads")]


_KAFKA_READ = ("kafka-console-consumer", "kafka-get-offsets", "kafka-log-dirs", "kafka-dump-log",
               "kafka-consumer-perf-test", "kafka-verifiable-consumer", "kafka-broker-api-versions",
               "kafka-metadata-quorum", "kafka-metadata-shell", "kafka-cluster")  # fmt: skip


def kafka_tool(cmd: Command) -> list[Operation]:
    prog = cmd.program.removesuffix(".sh")
    args = set(cmd.args)
    server = _flag(cmd.args, "--bootstrap-server") or _flag(cmd.args, "--zookeeper") or ""
    conn = place(cmd, server.split(",")[0] or None, None, env=_flag(cmd.args, "--command-config"))
    name = _flag(cmd.args, "--topic") or _flag(cmd.args, "--entity-name") or ""
    target = [conn.target("topic", name)]
    if prog == "kafka-delete-records":
        return [op(cmd, "delete-records", D, target, (), "deletes records up to an offset")]
    if prog == "kafka-storage":
        if "format" in args:
            return [op(cmd, "format", D, target, {"force"}, "formats the broker's log dirs")]
        return [op(cmd, "info", R, target, (), "kafka-storage info")]
    if prog in _KAFKA_READ or args & {"--describe", "--list", "--verify", "--generate"}:
        return [op(cmd, "describe", R, target, (), f"`{prog}` reads")]
    if prog == "kafka-acls" and "--remove" in args:
        return [op(cmd, "remove-acl", W, target, (), "removes ACLs")]
    if prog == "kafka-streams-application-reset" and "--dry-run" in args:
        return [op(cmd, "reset", R, target, {"dry-run"}, "shows a streams reset")]
    if prog == "kafka-streams-application-reset":  # moves the app's group back to the start
        group = [conn.target("consumer-group", _flag(cmd.args, "--application-id") or "")]
        return [op(cmd, "reset", W, group, {"offset-reset"}, "resets a streams application")]
    if prog in ("kafka-server-stop", "kafka-server-start"):
        return [op(cmd, prog[13:], W, target, {"shutdown"}, prog)]
    return [op(cmd, prog.removeprefix("kafka-"), W, target, (), f"`{prog}` changes the cluster")]


_ES_DESTROY = {"unsafe-bootstrap", "detach-cluster", "remove-settings", "remove-customs",
               "override-version", "repurpose", "remove-corrupted-data", "userdel"}  # fmt: skip
_ES_READ = {"list", "show", "has-passwd", "help", "--help", "-h", "--version", ""}


def elastic_tool(cmd: Command) -> list[Operation]:
    pos = [w for w in cmd.args if not w.startswith("-")]
    verb = pos[0] if pos else ""
    conn = place(cmd, None, None)  # runs on the search node itself, not a dev machine
    target = [conn.target("node", cmd.program)]
    if verb in _ES_DESTROY:
        return [op(cmd, verb, D, target, {"force"}, f"`{cmd.program} {verb}` can lose data")]
    if verb in _ES_READ and not cmd.program.endswith(("reset-password", "setup-passwords")):
        return [op(cmd, verb or "info", R, target, (), f"`{cmd.program} {verb}`")]
    return [op(cmd, verb or "run", W, target, (), f"`{cmd.program} {verb}`")]


def couchbase_cli(cmd: Command) -> list[Operation]:
    pos = [w for w in cmd.args if not w.startswith("-")]
    verb = pos[0] if pos else "help"
    conn = place(cmd, _flag(cmd.args, "-c") or _flag(cmd.args, "--cluster"), None)
    bucket = _flag(cmd.args, "--bucket") or _flag(cmd.args, "-b") or ""
    target = [conn.target("bucket" if bucket else "cluster", bucket)]
    if verb in ("bucket-delete", "bucket-flush", "reset-cipher-suites", "node-reset",
                "collection-manage", "user-manage") and _drops(cmd, verb):  # fmt: skip
        return [op(cmd, verb, D, target, (), f"couchbase-cli {verb}")]
    if verb.endswith(("-list", "-info", "-status")) or verb in ("server-info", "help", "host-list"):
        return [op(cmd, verb, R, target, (), f"couchbase-cli {verb}")]
    return [op(cmd, verb, W, target, (), f"couchbase-cli {verb}")]


def _drops(cmd: Command, verb: str) -> bool:
    if verb in ("collection-manage", "user-manage"):
        return bool({"--drop-scope", "--drop-collection", "--delete"} & set(cmd.args))
    return True


def sqlpackage(cmd: Command) -> list[Operation]:
    opts = {}
    for w in cmd.args:
        key, _, val = w.lstrip("/-").partition(":")
        opts[key.lower()] = val
    action = (opts.get("action") or opts.get("a") or "").lower()
    server = opts.get("targetservername") or opts.get("tsn") or opts.get("sourceservername")
    conn = place(cmd, server or opts.get("ssn"), opts.get("targetdatabasename") or opts.get("tdn"))
    target = [conn.target("database", conn.database or "")]
    if action in ("extract", "export", "deployreport", "driftreport", "script", ""):
        return [op(cmd, action or "help", R, target, (), f"sqlpackage {action}")]
    drops = "dropobjectsnotinsource=true" in " ".join(cmd.args).lower()
    effect = D if drops else W
    return [op(cmd, action, effect, target, {"force"} if drops else (), f"sqlpackage {action}")]
