"""Shared pieces of the database analyzers: where a client connects, and SQL → operations."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.sql import SqlStatement, classify_sql
from interlock.parse.tools import Context

R, W, D, U = Effect.READ, Effect.WRITE, Effect.DESTROY, Effect.UNKNOWN
_LOCAL = frozenset(
    {
        "localhost",
        "127.0.0.1",
        "::1",
        "[::1]",
        "0.0.0.0",
        ".",
        "(local)",
        "(localdb)",
        "localhost.localdomain",
        "host.docker.internal",
    }
)
_VERBS = {
    "drop": "drops",
    "truncate": "truncates",
    "delete": "deletes rows from",
    "update": "updates rows of",
    "alter-drop": "drops part of",
    "alter": "alters",
    "insert": "inserts into",
    "create": "creates",
    "select": "reads",
    "grant": "grants on",
    "revoke": "revokes on",
    "copy": "copies",
}


@dataclass(frozen=True, slots=True)
class Conn:
    """Where a client connects: host (None when unknown), database, and extra scope keys."""

    host: str | None = None
    database: str | None = None
    tier: Tier = Tier.UNKNOWN
    scope: tuple[tuple[str, str], ...] = field(default=())

    def target(self, kind: str, name: str, database: str | None = None) -> Target:
        extra = dict(self.scope)
        return Target.make(
            kind,
            name or self.database or self.host or kind,
            tier=self.tier,
            host=self.host,
            database=database or self.database,
            **extra,
        )


def norm_host(raw: str | None) -> str | None:
    """`user@tcp:prod-db:5432` → `prod-db`; local spellings and socket paths → `localhost`."""
    if not raw:
        return None
    h = raw.strip()
    if "://" in h:
        h = h.split("://", 1)[1]
    h = h.split("/", 1)[0] if not h.startswith("/") else h
    h = h.rsplit("@", 1)[-1]
    for prefix in ("tcp:", "np:", "lpc:", "admin:"):
        if h.lower().startswith(prefix):
            h = h[len(prefix) :]
    h = h.split(",", 1)[0].split("\\", 1)[0]
    if h.startswith("["):
        h = h.split("]", 1)[0] + "]"
    elif h.count(":") == 1:
        h = h.split(":", 1)[0]
    if h.startswith("/") or h.lower() in _LOCAL or h.endswith(".sock"):
        return "localhost"
    return h or None


def place(cmd: Command, host: str | None, database: str | None, **scope: str | None) -> Conn:
    """The connection, honouring `cmd.host`: a local database host on a remote machine is that
    machine."""
    h = norm_host(host)
    if cmd.host and (h is None or h == "localhost"):
        h = cmd.host
    pairs = tuple(sorted((k, v) for k, v in scope.items() if v))
    return Conn(host=h, database=database or None, scope=pairs)


def parse_url(url: str) -> tuple[str | None, str | None, str]:
    """`scheme://user:pw@host:port/db?x=y` → (host, database, scheme)."""
    scheme, _, rest = url.partition("://")
    if not _:
        return None, None, ""
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    host = netloc.rsplit("@", 1)[-1] or None
    for kv in query.split("&"):
        key, _, val = kv.partition("=")
        if key == "host" and val:
            host = val
    db = path.split("/", 1)[0] or None
    return host, db, scheme.lower()


def parse_conninfo(text: str) -> tuple[str | None, str | None]:
    """libpq `host=x dbname=y` or a URI → (host, database)."""
    if "://" in text:
        host, db, _ = parse_url(text)
        return host, db
    pairs = dict(p.partition("=")[::2] for p in text.split() if "=" in p)
    return pairs.get("host") or pairs.get("hostaddr"), pairs.get("dbname")


def op(
    cmd: Command,
    action: str,
    effect: Effect,
    targets: tuple[Target, ...] | list[Target],
    tags: frozenset[str] | set[str] | tuple[str, ...] = (),
    summary: str = "",
) -> Operation:
    return Operation.of(cmd, "database", action, effect, targets, tags, summary)


def sql_ops(
    cmd: Command, ctx: Context, conn: Conn, text: str, dialect: str | None, readonly: bool = False
) -> list[Operation]:
    """Operations for the SQL `text` run over `conn`."""
    out: list[Operation] = []
    for st in classify_sql(text, dialect, conn.database):
        if readonly and st.effect in (W, D) and st.kind not in ("shell", "script"):
            st = replace(st, effect=R, tags=st.tags | {"read-only"})
        out.extend(_stmt_ops(cmd, ctx, conn, st))
    return out or [op(cmd, "connect", R, [conn.target("database", "")], (), "runs no SQL")]


def _stmt_ops(cmd: Command, ctx: Context, conn: Conn, st: SqlStatement) -> list[Operation]:
    if st.shell is not None:
        return _shell(cmd, ctx, conn, st)
    objs = st.objects or ("",)
    kind = st.object_kind if st.objects else "database"
    if kind == "database" and st.objects:
        targets = [conn.target("database", o, database=o) for o in objs]
    else:
        targets = [conn.target(kind or "database", o, st.database) for o in objs]
    return [op(cmd, st.kind, st.effect, targets, st.tags, _summary(st, conn))]


def _shell(cmd: Command, ctx: Context, conn: Conn, st: SqlStatement) -> list[Operation]:
    """Shell code a statement runs: `\\!` on the client, `COPY … PROGRAM` on the server."""
    server = st.kind != "shell"
    run_on = replace(cmd, host=conn.host) if server and conn.host else cmd
    inner: list[Operation] = []
    if ctx.depth < 8 and st.shell:
        try:
            inner = list(ctx.shell(st.shell, run_on))
        except Exception:  # the caller fails closed; here we still report the escape
            inner = []
    tags = {"remote-code" if server else "shell-escape"} | set(st.tags)
    where = f" on `{conn.host}`" if server and conn.host else ""
    own = op(
        cmd,
        st.kind,
        U,
        [conn.target("host" if not server else "database", "")],
        tags,
        f"runs shell code{where}: `{(st.shell or '')[:60]}`",
    )
    return [own, *inner]


def _summary(st: SqlStatement, conn: Conn) -> str:
    verb = _VERBS.get(st.kind, st.kind)
    what = f"{st.object_kind} " if st.object_kind else ""
    names = ", ".join(f"`{o}`" for o in st.objects[:3]) or "(no object named)"
    where = f" on `{conn.host}`" if conn.host else ""
    extra = " (every row)" if "no-where" in st.tags else ""
    return f"{verb} {what}{names}{extra}{where}"[:160]


def file_tier(path: str | None, cmd: Command) -> Tier:
    """A database file in the project (relative), in /tmp, or in memory is local."""
    if cmd.host:
        return Tier.UNKNOWN
    if not path or path in (":memory:", "memory"):
        return Tier.LOCAL
    if path.startswith(("/tmp/", "./")) or not path.startswith(("/", "~", "$", "..")):
        return Tier.LOCAL
    return Tier.UNKNOWN


def input_ops(
    cmd: Command, ctx: Context, conn: Conn, dialect: str | None, readonly: bool = False
) -> list[Operation]:
    """No SQL in the arguments: SQL on stdin, a script file, or an interactive session."""
    if cmd.stdin is not None and not cmd.stdin_piped:
        return sql_ops(cmd, ctx, conn, cmd.stdin, dialect, readonly)
    src = next((p for o, p in cmd.redirects if o in ("<", "0<")), None)
    if cmd.stdin_piped or src or cmd.stdin is not None:
        name = src or "stdin"
        return [
            op(
                cmd,
                "script",
                U,
                [conn.target("database", "")],
                {"script"},
                f"runs SQL from `{name}` that interlock cannot see",
            )
        ]
    return [
        op(
            cmd,
            "session",
            U,
            [conn.target("database", "")],
            {"interactive"},
            "opens an interactive session",
        )
    ]


def script_op(cmd: Command, conn: Conn, path: str) -> Operation:
    return op(
        cmd, "script", U, [conn.target("database", "")], {"script"}, f"runs SQL script `{path}`"
    )


def read_op(cmd: Command, conn: Conn, action: str = "info", summary: str = "") -> Operation:
    return op(cmd, action, R, [conn.target("database", "")], (), summary or f"{action} only")
