"""Schema migration CLIs: flyway, liquibase, dbmate, goose, golang-migrate (`migrate`), sqlx,
atlas. `flyway clean`, `liquibase dropAll`, `dbmate drop`, `goose reset`, `migrate drop`,
`sqlx database drop`, `atlas schema clean` empty a database; `up`/`migrate` change its schema;
`status`/`info`/`validate` read. The database comes from a URL flag or `DATABASE_URL`.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Operation
from interlock.parse.tools.db_common import Conn, D, R, U, W, op, parse_conninfo, place
from interlock.parse.tools.db_misc import _flag

_FLYWAY = {"clean": D, "migrate": W, "info": R, "validate": R, "repair": W, "baseline": W,
           "undo": W, "check": R, "snapshot": R, "version": R, "help": R, "auth": W,
           "generate": W, "diff": R, "prepare": W, "deploy": W, "model": W}  # fmt: skip
_LIQUIBASE = {"dropall": D, "drop-all": D, "status": R, "history": R, "diff": R, "validate": R,
              "snapshot": R, "list-locks": R, "unexpected-changesets": R, "help": R,
              "calculate-checksum": R, "db-doc": W, "diff-changelog": W, "tag": W,
              "generate-changelog": W, "release-locks": W, "clear-checksums": W,
              "changelog-sync": W, "changelogsync": W, "mark-next-changeset-ran": W,
              "execute-sql": U, "tag-exists": R, "init": W, "checks": R,
              "rollback-one-update": D, "rollback-one-changeset": D,
              "releaselocks": W, "clearchecksums": W}  # fmt: skip
_DBMATE = {"drop": D, "create": W, "up": W, "migrate": W, "rollback": W, "down": W, "status": R,
           "dump": W, "load": W, "new": W, "wait": R, "help": R}  # fmt: skip
_GOOSE = {"up": W, "up-by-one": W, "up-to": W, "down": W, "redo": W, "reset": D, "status": R,
          "version": R, "create": W, "fix": W, "validate": R, "env": R, "help": R}  # fmt: skip
_MIGRATE = {"up": W, "goto": W, "force": W, "version": R, "create": W, "drop": D, "help": R}
_SQLX = {"database drop": D, "database reset": D, "database create": W, "database setup": W,
         "db drop": D, "db reset": D, "db create": W, "db setup": W, "migrate run": W,
         "migrate revert": W, "migrate info": R, "migrate add": W, "migrate build-script": W,
         "prepare": W, "completions": R}  # fmt: skip
_ATLAS = {"schema clean": D, "schema apply": W, "schema inspect": R, "schema diff": R,
          "schema fmt": W, "schema push": W, "schema test": R, "schema lint": R,
          "schema plan": R, "migrate apply": W, "migrate down": W, "migrate status": R,
          "migrate diff": W, "migrate lint": R, "migrate validate": R, "migrate hash": W,
          "migrate new": W, "migrate push": W, "migrate set": W, "migrate ls": R,
          "migrate inspect": R, "migrate rebase": W, "migrate checkpoint": W,
          "migrate edit": W, "migrate test": R, "migrate import": W, "login": W, "logout": W,
          "version": R, "license": R, "whoami": R}  # fmt: skip
_URL_FLAGS = ("-url", "--url", "-u", "-database", "--database-url", "-D", "--db-url", "--dsn")


def _conn(cmd: Command, url: str | None) -> tuple[Conn, set[str]]:
    url = url or cmd.getenv("DATABASE_URL") or cmd.getenv("GOOSE_DBSTRING") or ""
    url = url.removeprefix("jdbc:")
    if not url:
        return place(cmd, None, None), set()
    if "$" in url or "`" in url:
        return place(cmd, url, None), {"dynamic-target"}
    host, db = parse_conninfo(url) if "://" in url or "=" in url else (None, None)
    if url.startswith(("sqlite", "file:")) or url.endswith((".db", ".sqlite", ".sqlite3")):
        host = "localhost"
    return place(cmd, host, db), set()


_ENV_FLAGS = ("-environment", "--environment", "-env", "--env")
_CONFIG_FLAGS = ("-configFiles", "--configFiles", "--defaults-file", "--defaultsFile", "-c",
                 "--config", "-configFile")  # fmt: skip


def _with_env(cmd: Command, conn: Conn) -> Conn:
    """`flyway -environment=prod`, `liquibase --defaults-file=prod.properties`,
    `dbmate --env-file .env.production`: the configuration names the database."""
    env = next((v for f in _ENV_FLAGS if (v := _flag(cmd.args, f))), None)
    config = next((v for f in (*_CONFIG_FLAGS, "--env-file") if (v := _flag(cmd.args, f))), None)
    scope = dict(conn.scope)
    if env:
        scope["env"] = env
    if config:
        scope["profile"] = config.rsplit("/", 1)[-1]
    return replace(conn, scope=tuple(sorted(scope.items()))) if env or config else conn


def _url(cmd: Command) -> str | None:
    for flag in _URL_FLAGS:
        value = _flag(cmd.args, flag)
        if value:
            return value
    return None


def migration(cmd: Command) -> list[Operation]:
    """Any of the migration CLIs above."""
    prog = cmd.program
    words = [w for w in cmd.args if not w.startswith("-") and "=" not in w]
    verb, effect, tags = _verb(prog, cmd, words)
    url = _url(cmd)
    if prog == "goose" and len(words) > 2 and verb == words[2].lower():
        url = url or words[1]  # goose DRIVER DBSTRING COMMAND
    conn, more = _conn(cmd, url)
    conn = _with_env(cmd, conn)
    if "--dry-run" in cmd.args or "-dryRun" in cmd.args:
        effect, tags = (R, tags | {"dry-run"}) if effect in (W, D) else (effect, tags)
    where = f" on `{conn.host}`" if conn.host else ""
    return [
        op(
            cmd,
            verb,
            effect,
            [conn.target("database", "")],
            tags | more | {"migration"},
            f"`{prog} {verb}`{where}",
        )
    ]


def _verb(prog: str, cmd: Command, words: list[str]) -> tuple[str, object, set[str]]:
    low = [w.lower() for w in words]
    if any(w in ("--help", "-h", "--version", "-v") for w in cmd.args[:1]) or not low:
        return "help", R, set()
    if prog in ("sqlx", "atlas", "cargo-sqlx"):
        table = _SQLX if prog != "atlas" else _ATLAS
        key = " ".join(low[:2])
        effect = table.get(key, table.get(low[0], U))
        tags = {"auto-approve"} if {"-y", "--auto-approve"} & set(cmd.args) else set()
        return key.replace(" ", "-"), effect, tags
    table = {"flyway": _FLYWAY, "liquibase": _LIQUIBASE, "dbmate": _DBMATE, "goose": _GOOSE,
             "migrate": _MIGRATE}[prog]  # fmt: skip
    verb = next((w for w in low if w in table or w == "down-to" or w == "down"), low[0])
    effect = table.get(verb, U)
    rest = low[low.index(verb) + 1 :] if verb in low else []
    tags: set[str] = set()
    if prog == "goose" and verb == "down-to" and rest[:1] == ["0"]:
        effect, tags = D, {"all"}
    elif prog == "goose" and verb == "down-to":
        effect = W
    if prog == "migrate" and verb == "down":
        effect = W if rest and rest[0].isdigit() else D
        tags = set() if rest and rest[0].isdigit() else {"all"}
    if prog == "liquibase" and verb.startswith(("update", "rollback")):
        effect = R if verb.endswith("sql") else W
    if (prog == "flyway" and verb == "clean") or "-f" in cmd.args or "--force" in cmd.args:
        tags.add("force")
    return verb, effect, tags


PROGRAMS = ("flyway", "liquibase", "dbmate", "goose", "migrate", "sqlx")
ATLAS_NOUNS = frozenset({"schema", "migrate", "login", "logout", "version", "license", "whoami"})
