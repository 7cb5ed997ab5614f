"""Admin tools around databases: dropdb/createdb, pg_restore and dumps, mysqladmin,
mongorestore/mongoimport, mysqlimport, pg_ctl."""

from __future__ import annotations

from interlock.model import Command, Operation, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.db_common import (
    Conn,
    D,
    R,
    U,
    W,
    file_tier,
    op,
    parse_url,
    place,
    read_op,
)

_PG_TV = frozenset(
    {
        "-h",
        "--host",
        "-p",
        "--port",
        "-U",
        "--username",
        "-d",
        "--dbname",
        "--maintenance-db",
        "-f",
        "--file",
        "-F",
        "--format",
        "-j",
        "--jobs",
        "-n",
        "--schema",
        "-N",
        "-t",
        "--table",
        "-T",
        "-I",
        "--index",
        "-P",
        "-L",
        "--use-list",
        "-S",
        "--superuser",
        "--role",
        "-E",
        "--encoding",
        "-O",
        "--owner",
        "-D",
        "--tablespace",
        "-l",
        "--locale",
        "--lc-collate",
        "--lc-ctype",
        "-Z",
        "--compress",
        "-c",
        "--connection-limit",
    }
)
_MONGO_TV = frozenset(
    {
        "--uri",
        "--host",
        "-h",
        "--port",
        "--db",
        "-d",
        "--collection",
        "-c",
        "--username",
        "-u",
        "--password",
        "-p",
        "--authenticationDatabase",
        "--nsInclude",
        "--nsExclude",
        "--nsFrom",
        "--nsTo",
        "--archive",
        "--mode",
        "--file",
        "--type",
        "--fields",
        "--query",
        "-q",
        "--out",
        "-o",
        "--numParallelCollections",
        "-j",
        "--dir",
    }
)
_READS = ("--help", "-?", "-V", "--version")


def _pg_conn(cmd: Command, a: Args, database: str | None) -> Conn:
    host = a.value("-h", "--host") or cmd.getenv("PGHOST")
    return place(cmd, host, database or cmd.getenv("PGDATABASE"))


def pg_object(cmd: Command, action: str) -> list[Operation]:
    """dropdb / createdb / dropuser / createuser NAME."""
    tv = _PG_TV - {"-c", "-d", "-l", "-E", "-D", "-S"} if "user" in cmd.program else _PG_TV
    a = parse_args(cmd.args, tv)
    name = a.pos[0] if a.pos else ""
    kind = "user" if "user" in cmd.program else "database"
    conn = _pg_conn(cmd, a, name if kind == "database" else a.value("-d", "--dbname"))
    if a.has(*_READS):
        return [read_op(cmd, conn, "info")]
    effect = D if action == "drop" else W
    tags = {t for t, f in (("force", "--force"), ("if-exists", "--if-exists")) if a.has(f)}
    if kind == "database" and action == "drop" and a.has("-f"):
        tags.add("force")
    verb = "drops" if action == "drop" else "creates"
    target = conn.target(kind, name, database=name if kind == "database" else None)
    return [op(cmd, action, effect, [target], tags, f"{verb} {kind} `{name or '?'}`")]


def pg_restore(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _PG_TV - {"-c", "-l", "-O", "-E", "-D", "-S"}, bundle=True)
    db = a.value("-d", "--dbname")
    conn = _pg_conn(cmd, a, db)
    if a.has(*_READS) or a.has("-l", "--list") or not db:
        return [read_op(cmd, conn, "restore", "writes a restore script, touches no database")]
    archive = a.pos[0] if a.pos else "stdin"
    if a.has("-c", "--clean"):
        tags = {"clean"} | ({"if-exists"} if a.has("--if-exists") else set())
        tags |= {"create"} if a.has("-C", "--create") else set()
        return [
            op(
                cmd,
                "restore",
                D,
                [conn.target("database", db, database=db)],
                tags,
                f"drops and recreates the objects of `{db}` from `{archive}`",
            )
        ]
    return [
        op(
            cmd,
            "restore",
            W,
            [conn.target("database", db, database=db)],
            (),
            f"restores `{archive}` into `{db}`",
        )
    ]


def dump(cmd: Command) -> list[Operation]:
    """pg_dump, pg_dumpall, mysqldump, mongodump, mongoexport: read the database."""
    a = parse_args(cmd.args, _PG_TV | _MONGO_TV)
    uri = a.value("--uri") or next((p for p in a.pos if "://" in p), None)
    host, db = (parse_url(uri)[:2]) if uri else (None, None)
    host = host or a.value("-h", "--host")
    db = db or a.value("-d", "--dbname", "--db") or (a.pos[0] if a.pos and not uri else None)
    conn = place(cmd, host, db)
    return [read_op(cmd, conn, "dump", f"dumps `{db or 'databases'}`")]


_MYSQLADMIN = {
    "drop": ("drop", D),
    "create": ("create", W),
    "shutdown": ("shutdown", W),
    "kill": ("kill", W),
    "password": ("alter", W),
    "reload": ("reload", W),
    "refresh": ("reload", W),
    "debug": ("debug", W),
    "purge": ("purge", D),
}
_MYSQLADMIN_READ = frozenset(
    {"status", "ping", "version", "variables", "extended-status", "processlist"}
)


def mysqladmin(cmd: Command) -> list[Operation]:
    tv = {
        "-h",
        "--host",
        "-u",
        "--user",
        "-P",
        "--port",
        "-S",
        "--socket",
        "-c",
        "--count",
        "-i",
        "--sleep",
        "--defaults-file",
        "--connect-timeout",
        "--shutdown-timeout",
    }
    a = parse_args(cmd.args, tv)
    conn = place(cmd, a.value("-h", "--host", "-S", "--socket") or cmd.getenv("MYSQL_HOST"), None)
    if a.has(*_READS) or not a.pos:
        return [read_op(cmd, conn, "info")]
    ops: list[Operation] = []
    pos = a.pos
    i = 0
    while i < len(pos):
        word = pos[i].lower()
        i += 1
        if word in _MYSQLADMIN_READ:
            ops.append(read_op(cmd, conn, word))
            continue
        action, effect = _MYSQLADMIN.get(
            word,
            (
                "flush" if word.startswith("flush") else word,
                W if word.startswith(("flush", "st")) else U,
            ),
        )
        name = pos[i] if action in ("drop", "create") and i < len(pos) else ""
        i += 1 if name else 0
        tags = {"force"} if a.has("-f", "--force") else set()
        tags |= {"shutdown"} if action == "shutdown" else set()
        kind = "database" if name else "server"
        ops.append(
            op(
                cmd,
                action,
                effect,
                [conn.target(kind, name, database=name or None)],
                tags,
                f"mysqladmin {word} {name}".strip(),
            )
        )
    return ops


def mongo_tool(cmd: Command) -> list[Operation]:
    """mongorestore / mongoimport: `--drop` empties the collections first."""
    a = parse_args(cmd.args, _MONGO_TV)
    uri = a.value("--uri") or next((p for p in a.pos if "://" in p), None)
    host, db = (parse_url(uri)[:2]) if uri else (None, None)
    conn = place(cmd, host or a.value("--host", "-h"), db or a.value("--db", "-d"))
    name = a.value("--collection", "-c", "--nsInclude") or conn.database or ""
    kind = "collection" if a.value("--collection", "-c", "--nsInclude") else "database"
    if a.has(*_READS) or a.has("--dryRun"):
        return [read_op(cmd, conn, "restore", "dry run")]
    if a.has("--drop"):
        return [
            op(
                cmd,
                "restore",
                D,
                [conn.target(kind, name)],
                {"drop"},
                f"drops and reloads {kind} `{name or 'all'}`",
            )
        ]
    return [op(cmd, "restore", W, [conn.target(kind, name)], (), f"loads data into `{name}`")]


def mysqlimport(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, {"-h", "--host", "-u", "--user", "-P", "--port", "-S", "--socket"})
    db = a.pos[0] if a.pos else None
    conn = place(cmd, a.value("-h", "--host", "-S", "--socket"), db)
    tables = [p.rsplit("/", 1)[-1].split(".", 1)[0] for p in a.pos[1:]] or [""]
    targets = [conn.target("table", t) for t in tables]
    if a.has("-d", "--delete"):
        return [op(cmd, "truncate", D, targets, {"no-where"}, "empties tables before import")]
    return [op(cmd, "import", W, targets, (), "imports rows")]


_PG_CTL = {
    "stop": ("shutdown", W),
    "restart": ("shutdown", W),
    "kill": ("kill", W),
    "promote": ("promote", W),
    "start": ("start", W),
    "reload": ("reload", W),
    "init": ("init", W),
    "initdb": ("init", W),
    "logrotate": ("reload", W),
    "status": ("status", R),
}


def pg_ctl(cmd: Command) -> list[Operation]:
    """pg_ctl ACTION -D dir / pg_ctlcluster VERSION NAME ACTION: the local server."""
    a = parse_args(
        cmd.args,
        {"-D", "--pgdata", "-m", "--mode", "-l", "--log", "-o", "-t", "--timeout", "-w", "-s"},
    )
    pos = a.pos
    word = pos[2] if cmd.program == "pg_ctlcluster" and len(pos) > 2 else pos[0] if pos else ""
    data = a.value("-D", "--pgdata") or cmd.getenv("PGDATA")
    # like a database file: a data directory in the project or /tmp is this machine's
    # scratch server; `/var/lib/postgresql/…` or a pg_ctlcluster cluster is the system's server
    local = data and cmd.program == "pg_ctl" and file_tier(data, cmd) is Tier.LOCAL
    conn = place(cmd, "localhost" if local else None, data)
    if a.has(*_READS) or not word:
        return [read_op(cmd, conn, "info")]
    action, effect = _PG_CTL.get(word, (word, U))
    tags = {"shutdown"} if action == "shutdown" else set()
    tags |= {"immediate"} if a.value("-m", "--mode") in ("immediate", "i") else set()
    return [
        op(
            cmd,
            action,
            effect,
            [conn.target("server", conn.database or "")],
            tags,
            f"{word}s the PostgreSQL server",
        )
    ]


def pg_upgrade(cmd: Command) -> list[Operation]:
    conn = place(cmd, "localhost", None)
    if "--check" in cmd.args or "-c" in cmd.args or any(a in _READS for a in cmd.args):
        return [read_op(cmd, conn, "upgrade", "checks cluster compatibility")]
    return [op(cmd, "upgrade", W, [conn.target("server", "")], (), "upgrades the cluster")]
