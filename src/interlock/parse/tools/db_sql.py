"""SQL clients (psql, mysql, sqlite3, duckdb, cqlsh, sqlcmd, clickhouse, snowsql, trino, usql…),
described as data: which flags carry SQL, a script file, the host, the database."""

from __future__ import annotations

from dataclasses import dataclass

from interlock.model import Command, Operation, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.db_common import (
    Conn,
    D,
    W,
    file_tier,
    input_ops,
    op,
    parse_conninfo,
    parse_url,
    place,
    read_op,
    script_op,
    sql_ops,
)


@dataclass(frozen=True, slots=True)
class Client:
    dialect: str
    takes_value: frozenset[str]
    sql: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    host: tuple[str, ...] = ()
    database: tuple[str, ...] = ()
    url: tuple[str, ...] = ()
    env_host: tuple[str, ...] = ()
    env_db: tuple[str, ...] = ()
    positional: str = "db"  # db | file | host | url | none
    reads: tuple[str, ...] = ("--version", "-V", "--help", "-?")
    readonly: tuple[str, ...] = ()
    bundle: bool = False
    scope: tuple[tuple[str, str], ...] = ()  # (scope key, flag)


def _tv(*flags: str) -> frozenset[str]:
    return frozenset(flags)


_PG_CONN = ("-h", "--host", "-p", "--port", "-U", "--username", "-d", "--dbname")
PSQL = Client(
    "postgres",
    _tv(*_PG_CONN, "-c", "--command", "-f", "--file", "-v", "--set", "--variable", "-o",
        "--output", "-L", "--log-file", "-P", "--pset", "-F", "--field-separator", "-R",
        "--record-separator", "-T", "--table-attr"),
    sql=("-c", "--command"), files=("-f", "--file"), host=("-h", "--host"),
    database=("-d", "--dbname"), env_host=("PGHOST",), env_db=("PGDATABASE",),
    reads=("--version", "-V", "--help", "-?", "-l", "--list"), bundle=True,
)  # fmt: skip
_MY_TV = _tv(
    "-e",
    "--execute",
    "-h",
    "--host",
    "-u",
    "--user",
    "-P",
    "--port",
    "-D",
    "--database",
    "-S",
    "--socket",
    "--defaults-file",
    "--defaults-extra-file",
    "--login-path",
    "--init-command",
    "--protocol",
    "--default-character-set",
    "--ssl-ca",
    "--ssl-cert",
    "--ssl-key",
    "--ssl-mode",
    "--connect-timeout",
    "--delimiter",
    "--tee",
    "--pager",
    "--plugin-dir",
    "--default-auth",
    "--defaults-group-suffix",
)
MYSQL = Client(
    "mysql", _MY_TV, sql=("-e", "--execute", "--init-command"), host=("-h", "--host", "-S",
    "--socket"), database=("-D", "--database"), env_host=("MYSQL_HOST",),
    reads=("--version", "-V", "--help", "-?", "-I"),
    scope=(("profile", "--login-path"), ("profile", "--defaults-group-suffix")),
)  # fmt: skip
SQLITE = Client(
    "sqlite",
    _tv("-cmd", "--cmd", "-init", "--init", "-separator", "-newline", "-nullvalue", "-mmap",
        "-pagecache", "-lookaside", "-vfs", "-maxsize", "-nonce", "-escape"),
    sql=("-cmd", "--cmd"), files=("-init", "--init"), positional="file",
    reads=("-version", "--version", "-help", "--help"), readonly=("-readonly", "--readonly"),
)  # fmt: skip
DUCKDB = Client(
    "duckdb", _tv("-c", "-s", "-cmd", "-init", "-separator", "-newline", "-nullvalue"),
    sql=("-c", "-s", "-cmd"), files=("-init",), positional="file",
    reads=("-version", "--version", "-help", "--help"), readonly=("-readonly", "--readonly"),
)  # fmt: skip
CQLSH = Client(
    "cql",
    _tv("-e", "--execute", "-f", "--file", "-k", "--keyspace", "-u", "--username", "-p",
        "--password", "--cqlshrc", "--connect-timeout", "--request-timeout", "--encoding",
        "--cqlversion", "--protocol-version", "-b", "--secure-connect-bundle", "--credentials"),
    sql=("-e", "--execute"), files=("-f", "--file"), database=("-k", "--keyspace"),
    env_host=("CQLSH_HOST",), positional="host",
)  # fmt: skip
SQLCMD = Client(
    "tsql",
    _tv("-S", "-d", "-U", "-P", "-Q", "-q", "-i", "-o", "-v", "-H", "-l", "-t", "-h", "-s",
        "-w", "-a", "-f", "-c", "-z", "-Z", "-y", "-Y", "--server", "--database-name",
        "--query", "--user-name", "--password", "--input-file", "--output-file"),
    sql=("-Q", "-q", "--query"), files=("-i", "--input-file"), host=("-S", "--server"),
    database=("-d", "--database-name"), env_host=("SQLCMDSERVER",), env_db=("SQLCMDDBNAME",),
    positional="none", reads=("-?", "--help", "--version"),
)  # fmt: skip
CLICKHOUSE = Client(
    "clickhouse",
    _tv("--query", "-q", "--host", "-h", "--port", "--user", "-u", "--password", "--database",
        "-d", "--queries-file", "--format", "-f", "--config-file", "-C", "--param"),
    sql=("--query", "-q"), files=("--queries-file",), host=("--host", "-h"),
    database=("--database", "-d"), env_host=("CLICKHOUSE_HOST",), positional="none",
)  # fmt: skip
SNOWSQL = Client(
    "snowflake",
    _tv("-q", "--query", "-f", "--filename", "-a", "--accountname", "-u", "--username", "-d",
        "--dbname", "-s", "--schemaname", "-w", "--warehouse", "-r", "--rolename", "-c",
        "--connection", "-o", "--option", "-D", "--variable", "--config", "-h", "--host",
        "-p", "--port", "--authenticator", "--private-key-path"),
    sql=("-q", "--query"), files=("-f", "--filename"), host=("-h", "--host"),
    database=("-d", "--dbname"), env_db=("SNOWSQL_DATABASE",), positional="none",
    scope=(("account", "-a"), ("account", "--accountname"), ("profile", "-c"),
           ("profile", "--connection")),
)  # fmt: skip
TRINO = Client(
    "trino",
    _tv("--execute", "--file", "-f", "--server", "--catalog", "--schema", "--user", "--session",
        "--output-format", "--source", "--client-tags", "--access-token", "--truststore-path",
        "--keystore-path", "--extra-credential"),
    sql=("--execute",), files=("--file", "-f"), host=("--server",), database=("--catalog",),
    positional="url",
)  # fmt: skip
COCKROACH = Client(
    "postgres",
    _tv("--url", "--host", "--port", "-p", "--database", "-d", "--execute", "-e", "--file",
        "-f", "--user", "-u", "--certs-dir", "--set"),
    sql=("--execute", "-e"), files=("--file", "-f"), host=("--host",),
    database=("--database", "-d"), url=("--url",), env_host=("COCKROACH_HOST",),
    positional="none",
)  # fmt: skip
USQL = Client(
    "", _tv("-c", "--command", "-f", "--file", "-o", "--out", "-v", "--set", "-P", "--pset"),
    sql=("-c", "--command"), files=("-f", "--file"), positional="url",
)  # fmt: skip
SPANNER = Client(
    "bigquery",
    _tv("-p", "--project", "-i", "--instance", "-d", "--database", "-e", "--execute", "-f",
        "--file", "--role", "--priority", "--endpoint"),
    sql=("-e", "--execute"), files=("-f", "--file"), database=("-d", "--database"),
    positional="none", scope=(("project", "-p"), ("project", "--project")),
)  # fmt: skip
INFLUX_V1 = Client(
    "", _tv("-execute", "-host", "-port", "-database", "-username", "-password", "-format",
            "-precision", "-import", "-path"),
    sql=("-execute",), files=("-path",), host=("-host",), database=("-database",),
    positional="none",
)  # fmt: skip
PGCLI = Client(
    "postgres",
    _tv(*_PG_CONN),
    host=("-h", "--host"),
    database=("-d", "--dbname"),
    env_host=("PGHOST",),
    env_db=("PGDATABASE",),
    reads=("--version", "--help", "-l", "--list"),
)
MYCLI = Client(
    "mysql",
    _MY_TV,
    sql=("-e", "--execute"),
    host=("-h", "--host", "-S", "--socket"),
    database=("-D", "--database"),
    env_host=("MYSQL_HOST",),
)
LITECLI = Client("sqlite", _tv("-e", "--execute"), sql=("-e", "--execute"), positional="file")
BQ_SQL = Client("bigquery", _tv(), positional="sql")

_URL_DIALECTS = {
    "pg": "postgres",
    "postgres": "postgres",
    "postgresql": "postgres",
    "my": "mysql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sq": "sqlite",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "file": "sqlite",
    "ms": "tsql",
    "sqlserver": "tsql",
    "mssql": "tsql",
    "ch": "clickhouse",
    "clickhouse": "clickhouse",
    "sf": "snowflake",
    "snowflake": "snowflake",
    "tr": "trino",
    "trino": "trino",
    "dk": "duckdb",
    "duckdb": "duckdb",
    "bq": "bigquery",
    "bigquery": "bigquery",
    "or": "oracle",
    "oracle": "oracle",
    "cr": "postgres",
    "cockroachdb": "postgres",
}


def analyze_client(cmd: Command, ctx: Context, spec: Client, args: list[str]) -> list[Operation]:
    a = parse_args(_expand(args, spec), spec.takes_value, bundle=spec.bundle)
    conn, dialect, sql_pos = _connection(cmd, spec, a)
    if any(a.has(f) for f in spec.reads) and not _sql_given(spec, a, sql_pos):
        return [read_op(cmd, conn, "info", "lists databases or prints help")]
    readonly = any(a.has(f) for f in spec.readonly)
    ops: list[Operation] = []
    for flag in spec.sql:
        for text in a.opts.get(flag, ()):
            ops.extend(sql_ops(cmd, ctx, conn, text, dialect, readonly))
    for text in sql_pos:
        ops.extend(sql_ops(cmd, ctx, conn, text, dialect, readonly))
    files = a.values(*spec.files)
    ops.extend(script_op(cmd, conn, p) for p in files if p not in ("-", "/dev/stdin"))
    if "-" in files or "/dev/stdin" in files:  # `psql -f - <<EOF`: the script is the input
        ops.extend(input_ops(cmd, ctx, conn, dialect, readonly))
    return ops or input_ops(cmd, ctx, conn, dialect, readonly)


def _sql_given(spec: Client, a: Args, sql_pos: list[str]) -> bool:
    return bool(sql_pos or a.values(*spec.sql) or a.values(*spec.files))


def _expand(args: list[str], spec: Client) -> list[str]:
    """mysql `-Nse "SQL"`: split a cluster of short flags whose last one takes a value."""
    if spec.bundle:
        return args
    out: list[str] = []
    for w in args:
        if (
            len(w) > 2
            and w[0] == "-"
            and w[1:].isalpha()
            and w[1] not in "puhDPSe"
            and f"-{w[-1]}" in spec.takes_value
            and not w.startswith("-cmd")
        ):
            out.extend(f"-{c}" for c in w[1:])
        else:
            out.append(w)
    return out


def _connection(cmd: Command, spec: Client, a: Args) -> tuple[Conn, str, list[str]]:
    host = a.value(*spec.host) if spec.host else None
    database = a.value(*spec.database) if spec.database else None
    dialect, sql_pos, file_path = spec.dialect, [], None
    url = a.value(*spec.url) if spec.url else None
    pos = list(a.pos)
    if database and ("://" in database or "=" in database):
        host, database = _merge(parse_conninfo(database), host, None)
    if spec.positional == "db" and pos:
        first = pos.pop(0)
        if "://" in first or "=" in first:
            host, database = _merge(parse_conninfo(first), host, database)
        else:
            database = database or first
    elif spec.positional == "host" and pos:
        host = host or pos[0]
    elif spec.positional == "file" and pos:
        file_path, sql_pos = pos[0], pos[1:]
    elif spec.positional == "url" and pos:
        url = pos[0] if "://" in pos[0] or ":" in pos[0] else None
        sql_pos = []
    elif spec.positional == "sql":
        sql_pos = [" ".join(pos)] if pos else []
    if url:
        u_host, u_db, scheme = parse_url(url)
        dialect = _URL_DIALECTS.get(scheme.split("+")[0], dialect)
        if scheme in ("sq", "sqlite", "sqlite3", "file") or url.startswith(("sq:", "sqlite:")):
            file_path = url.split(":", 1)[1].lstrip("/") if "://" not in url else u_db
        else:
            host, database = host or u_host, database or u_db
    host = host or next((cmd.getenv(v) for v in spec.env_host if cmd.getenv(v)), None)
    database = database or next((cmd.getenv(v) for v in spec.env_db if cmd.getenv(v)), None)
    scope = {key: a.value(flag) for key, flag in spec.scope if a.value(flag)}
    if spec.dialect == "postgres" and (service := _pg_service(cmd, a, spec)):
        scope["profile"] = service  # a pg_service.conf entry names the connection
    if spec.positional == "file" or file_path:
        return _file_conn(cmd, file_path, dialect), dialect, sql_pos
    if cmd.program.endswith("-prod"):
        scope["env"] = "prod"
    return place(cmd, host, database, **scope), dialect, sql_pos


def _pg_service(cmd: Command, a: Args, spec: Client) -> str | None:
    """`psql service=prod`, `psql "service=prod dbname=x"`, `PGSERVICE=prod psql`."""
    for word in (*a.pos, *(a.values(*spec.database) if spec.database else ())):
        if "service=" in word and "://" not in word:
            pairs = dict(p.partition("=")[::2] for p in word.split() if "=" in p)
            if pairs.get("service"):
                return pairs["service"]
    return cmd.getenv("PGSERVICE") or None


def _merge(
    found: tuple[str | None, str | None], host: str | None, database: str | None
) -> tuple[str | None, str | None]:
    return host or found[0], database or found[1]


def _file_conn(cmd: Command, path: str | None, dialect: str) -> Conn:
    if path and path.startswith(("md:", "motherduck:")):
        return place(cmd, "motherduck", path.split(":", 1)[1] or None)
    tier = file_tier(path, cmd)
    name = path or ":memory:"
    conn = place(cmd, None, name)
    return Conn(host=conn.host, database=name, tier=tier if tier is Tier.LOCAL else conn.tier)


def sqlcmd(cmd: Command, ctx: Context) -> list[Operation]:
    """sqlcmd: classic flags, or go-sqlcmd subcommands (`query`, `delete`, `create`)."""
    args = list(cmd.args)
    first = next((w for w in args if not w.startswith("-")), None)
    if first == "query" and args[0] == "query":
        return analyze_client(cmd, ctx, SQLCMD, ["-Q", *args[1:]])
    if first in ("delete", "uninstall") and args[0] == first:
        conn = place(cmd, "localhost", None)
        return [
            op(
                cmd,
                "delete",
                D,
                [conn.target("database", "sqlcmd-container")],
                {"force"} if "--force" in args else (),
                "deletes the local SQL Server container",
            )
        ]
    if first in ("create", "install", "start", "stop", "use") and args[0] == first:
        conn = place(cmd, "localhost", None)
        return [
            op(
                cmd,
                first,
                W,
                [conn.target("database", "sqlcmd-container")],
                (),
                f"{first}s a local SQL Server container",
            )
        ]
    return analyze_client(cmd, ctx, SQLCMD, args)


def sqlplus(cmd: Command, ctx: Context) -> list[Operation]:
    """sqlplus [opts] [user/pw@connect] [@script]: SQL comes from stdin or a script."""
    takes = {"-M", "-R", "-C", "-MARKUP"}
    a = parse_args(cmd.args, takes)
    logon = next((p for p in a.pos if not p.startswith("@") and p.lower() != "/nolog"), None)
    host = None
    if logon and "@" in logon:
        host = logon.split("@", 1)[1].lstrip("/")
    conn = place(cmd, host, cmd.getenv("ORACLE_SID"))
    scripts = [p[1:] for p in a.pos if p.startswith("@")]
    if any(a.has(f) for f in ("-V", "-v", "-H", "-h", "--help")) and not scripts:
        return [read_op(cmd, conn, "info")]
    ops = [script_op(cmd, conn, s) for s in scripts]
    return ops + input_ops(cmd, ctx, conn, "oracle") if not ops or cmd.stdin else ops
