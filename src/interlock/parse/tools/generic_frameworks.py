"""Framework management commands that reset or drop a database.

`python manage.py flush`, `rails db:drop`, `php artisan migrate:fresh`, `alembic downgrade base`,
`prisma migrate reset` … look like harmless project commands but empty the database the
project points at. `classify(tool, words, flags)` answers (effect, action) or None when the
command is not one we know; the target database is named by the environment (`RAILS_ENV`).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools.generic import op

_D, _W, _R = Effect.DESTROY, Effect.WRITE, Effect.READ

_DJANGO = {
    "flush": _D,
    "reset_db": _D,
    "drop_test_database": _D,
    "clear_cache": _D,
    "sqlflush": _R,
    "migrate": _W,
    "makemigrations": _W,
    "loaddata": _W,
    "createsuperuser": _W,
    "collectstatic": _W,
    "changepassword": _W,
    "test": _R,
    "check": _R,
    "showmigrations": _R,
    "sqlmigrate": _R,
    "diffsettings": _R,
    "inspectdb": _R,
    "dumpdata": _R,
    "help": _R,
    "version": _R,
    "show_urls": _R,
    "validate_templates": _R,
}
_RAILS = {
    "db:drop": _D,
    "db:reset": _D,
    "db:schema:load": _D,
    "db:structure:load": _D,
    "db:purge": _D,
    "db:migrate:reset": _D,
    "db:seed:replant": _D,
    "db:truncate_all": _D,
    "db:drop:all": _D,
    "db:purge:all": _D,
    "db:fixtures:load": _W,
    "db:migrate": _W,
    "db:rollback": _W,
    "db:seed": _W,
    "db:create": _W,
    "db:setup": _W,
    "db:prepare": _W,
    "db:migrate:redo": _W,
    "db:migrate:status": _R,
    "db:version": _R,
    "routes": _R,
    "about": _R,
    "stats": _R,
    "test": _R,
    "notes": _R,
    "assets:clobber": _D,
    "tmp:clear": _D,
    "log:clear": _D,
    "console": Effect.UNKNOWN,
    "c": Effect.UNKNOWN,
    "runner": Effect.UNKNOWN,
    "r": Effect.UNKNOWN,
    "server": _W,
    "s": _W,
    "generate": _W,
    "g": _W,
    "destroy": _W,
    "d": _W,
}
_ARTISAN = {
    "migrate:fresh": _D,
    "migrate:reset": _D,
    "db:wipe": _D,
    "migrate:refresh": _D,
    "migrate:rollback": _W,
    "migrate": _W,
    "db:seed": _W,
    "migrate:status": _R,
    "cache:clear": _D,
    "config:clear": _D,
    "view:clear": _D,
    "route:clear": _D,
    "optimize:clear": _D,
    "route:list": _R,
    "about": _R,
    "list": _R,
    "tinker": Effect.UNKNOWN,
    "doctrine:database:drop": _D,
    "doctrine:schema:drop": _D,
    "doctrine:migrations:migrate": _W,
    "doctrine:schema:update": _W,
    "doctrine:fixtures:load": _D,
    "debug:router": _R,
    "debug:container": _R,
    "serve": _W,
}
_JS = {
    "migrate:rollback": _W,
    "migrate:down": _W,
    "migrate:latest": _W,
    "migrate:up": _W,
    "seed:run": _W,
    "db:drop": _D,
    "db:migrate:undo:all": _D,
    "db:seed:undo:all": _D,
    "db:migrate": _W,
    "db:migrate:undo": _W,
    "db:seed:all": _W,
    "db:create": _W,
    "schema:drop": _D,
    "schema:sync": _W,
    "migration:run": _W,
    "migration:revert": _W,
    "migrate:status": _R,
    "migrate:list": _R,
}
TABLES: dict[str, dict[str, Effect]] = {
    "manage.py": _DJANGO,
    "django-admin": _DJANGO,
    "django": _DJANGO,
    "rails": _RAILS,
    "rake": _RAILS,
    "bin/rails": _RAILS,
    "artisan": _ARTISAN,
    "console": _ARTISAN,
    "bin/console": _ARTISAN,
    "symfony": _ARTISAN,
    "knex": _JS,
    "sequelize": _JS,
    "sequelize-cli": _JS,
    "typeorm": _JS,
}
_TAGS = {"all": "all", "--all": "all", "zero": "all", "base": "all", "--force": "force"}


def classify(tool: str, words: list[str], flags: set[str]) -> tuple[Effect, str, set[str]] | None:
    """Effect, action and tags of a framework command, or None when unknown."""
    if tool in ("alembic", "flask-db"):
        return _alembic(words)
    if tool == "prisma":
        return _prisma(words, flags)
    if tool in ("ecto", "mix"):
        return _mix(words, flags)
    table = TABLES.get(tool)
    if table is None or not words:
        return None
    sub = words[0]
    effect = table.get(sub)
    if effect is None:
        return None
    tags = {_TAGS[w] for w in words[1:] + sorted(flags) if w in _TAGS}
    if sub == "migrate" and tool in ("manage.py", "django-admin", "django") and "all" in tags:
        effect = _D  # `migrate app zero` unapplies every migration
    if sub in ("migrate:rollback", "db:migrate:undo") and "all" in tags:
        effect = _D
    return effect, sub, tags


def _alembic(words: list[str]) -> tuple[Effect, str, set[str]] | None:
    if not words:
        return None
    sub = words[0]
    if sub == "downgrade":
        base = any(w == "base" for w in words[1:])
        return (_D if base else _W), "downgrade", ({"all"} if base else set())
    if sub in ("upgrade", "stamp", "revision", "merge", "init"):
        return _W, sub, set()
    if sub in ("history", "current", "heads", "branches", "show", "check", "list_templates"):
        return _R, sub, set()
    return None


def _prisma(words: list[str], flags: set[str]) -> tuple[Effect, str, set[str]] | None:
    key = " ".join(words[:2])
    if key == "migrate reset" or (
        key == "db push" and flags & {"--force-reset", "--accept-data-loss"}
    ):
        return _D, key.replace(" ", "-"), {"force"} & {f.lstrip("-") for f in flags}
    if key in (
        "migrate deploy",
        "migrate dev",
        "db push",
        "db seed",
        "migrate resolve",
        "db execute",
    ):
        return _W, key.replace(" ", "-"), set()
    if key in ("migrate status", "migrate diff", "db pull") or words[:1] in (
        ["validate"],
        ["version"],
    ):
        return _R, words[0], set()
    if words[:1] in (["generate"], ["format"], ["init"]):
        return _W, words[0], set()
    return None


def _mix(words: list[str], flags: set[str]) -> tuple[Effect, str, set[str]] | None:
    sub = words[0] if words else ""
    if sub in ("ecto.drop", "ecto.reset"):
        return _D, sub, set()
    if sub == "ecto.rollback" and "--all" in flags:
        return _D, sub, {"all"}
    if sub in ("ecto.migrate", "ecto.rollback", "ecto.create", "ecto.load"):
        return _W, sub, set()
    return None


TOOLS = frozenset(
    {"rails", "rake", "django-admin", "alembic", "prisma", "knex", "sequelize"}
    | {"sequelize-cli", "typeorm", "symfony", "mix", "flask"}
)
_ENV_KEYS = ("RAILS_ENV", "RACK_ENV", "APP_ENV", "MIX_ENV", "FLASK_ENV", "DJANGO_ENV", "ENV")
_VALUE = frozenset(
    {"-e", "--environment", "--env", "-c", "--command", "--execute", "--settings", "-x", "-n"}
    | {"--name"}
)
# Flags that make a change a preview: `makemigrations --check`, `migrate --plan`,
# `prisma format --check`, `artisan migrate --pretend`, `alembic upgrade head --sql`.
_PREVIEW = frozenset({"--check", "--dry-run", "--plan", "--pretend", "--sql"})
# `alembic -x env=prod` hands env.py the environment; `alembic -n production` picks the ini section.
_X_KEYS = frozenset({"env", "environment", "stage", "tier", "target"})
# (tool, subcommand) → (flags that carry the code, language) for commands that run inline code.
_INLINE = {
    "runner": (("",), "rb"),
    "r": (("",), "rb"),
    "shell": (("-c", "--command"), "py"),
    "tinker": (("--execute",), "php"),
}
_DB_SHELLS = frozenset({"dbshell", "dbconsole", "db"})


def split(rest: list[str]) -> tuple[list[str], dict[str, str]]:
    """Positionals and flags (`--x=v`, `-e v`) of a framework command line."""
    pos: list[str] = []
    flags: dict[str, str] = {}
    i = 0
    while i < len(rest):
        a = rest[i]
        if a.startswith("-") and len(a) > 1:
            name, eq, val = a.partition("=")
            if not eq and name in _VALUE and i + 1 < len(rest):
                val, i = rest[i + 1], i + 1
            flags[name] = val
        else:
            pos.append(a)
        i += 1
    return pos, flags


def environment(cmd: Command, pos: list[str], flags: dict[str, str]) -> str | None:
    """`RAILS_ENV=production` (before or after), `-e production`, `--env=prod`, `--settings=…prod`."""
    for key in _ENV_KEYS:
        for w in pos:
            if w.startswith(key + "="):
                return w.split("=", 1)[1]
    for name in ("--env", "--environment", "-e"):
        if flags.get(name):
            return flags[name]
    settings = flags.get("--settings") or cmd.getenv("DJANGO_SETTINGS_MODULE") or ""
    last = settings.rsplit(".", 1)[-1]
    if last and last not in ("settings", "base", "local"):
        return last
    from interlock.parse.tools.generic import env_scope

    return env_scope(cmd)


def analyze(
    cmd: Command, ctx: Context, tool: str = "", rest: list[str] | None = None
) -> list[Operation]:
    """Operations of a framework management command, or [] when it is not one we know."""
    tool = tool or cmd.program
    pos, flags = split(list(cmd.args) if rest is None else rest)
    pos = [w for w in pos if not w.split("=", 1)[0].isupper()]
    env = environment(cmd, [*cmd.args] if rest is None else rest, flags)
    if tool == "alembic":
        env = _alembic_env(list(cmd.args) if rest is None else rest, flags) or env
    if not env and tool in _NODE_ENV_TOOLS:
        env = cmd.getenv("NODE_ENV")  # knex/sequelize/typeorm pick their database by it
    if env:
        cmd = replace(cmd, env=(*cmd.env, ("ENV", env)))
    if tool == "flask" and pos[:1] == ["db"]:
        tool, pos = "flask-db", pos[1:]
    sub = pos[0] if pos else ""
    inline = _inline(cmd, ctx, sub, pos, flags)
    if inline:
        return inline
    if sub in _DB_SHELLS and cmd.stdin and tool in ("manage.py", "django-admin", "rails"):
        return [_sql_op(cmd, ctx, cmd.stdin)]
    found = classify(tool, pos, set(flags))
    if found is None:
        return []
    effect, action, tags = found
    if effect in (Effect.WRITE, Effect.DESTROY) and flags.keys() & _PREVIEW:
        effect, tags = Effect.READ, tags | {"dry-run"}
    host = cmd.host or _url_host(cmd.getenv("DATABASE_URL"))
    target = Target.make("database", env or "configured", env=env, host=host)
    base = tool.rsplit("/", 1)[-1]
    what = {Effect.DESTROY: "destroys", Effect.WRITE: "changes", Effect.READ: "reads"}
    summary = f"`{base} {action}` ({what.get(effect, 'runs code against')} the project database)"
    return [op(cmd, action, effect, [target], tags | {"framework"}, summary)]


_NODE_ENV_TOOLS = frozenset({"knex", "sequelize", "sequelize-cli", "typeorm"})


def _alembic_env(args: list[str], flags: dict[str, str]) -> str | None:
    """`alembic -x env=prod …` (any `-x` among several) or `alembic -n production …`."""
    for flag, value in pairwise(args):
        key, _, val = value.partition("=")
        if flag == "-x" and key.lower() in _X_KEYS and val:
            return val
    return flags.get("-n") or flags.get("--name") or None


def _url_host(url: str | None) -> str | None:
    """The host of `DATABASE_URL=postgres://u@prod-db:5432/app` (None when unreadable)."""
    if not url or "://" not in url:
        return None
    netloc = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    return netloc.rsplit(":", 1)[0] or None


def _inline(
    cmd: Command, ctx: Context, sub: str, pos: list[str], flags: dict[str, str]
) -> list[Operation]:
    spec = _INLINE.get(sub)
    if spec is None:
        return []
    names, lang = spec
    code = next((flags[n] for n in names if flags.get(n)), None)
    if code is None and "" in names and len(pos) > 1:
        code = pos[1]
    if not code:
        return []
    from interlock.parse.tools.code import inline

    return [o.with_tags("framework") for o in inline(cmd, ctx, code, lang, [])]


def _sql_op(cmd: Command, ctx: Context, sql: str) -> Operation:
    from interlock.parse.tools.code import finding_op
    from interlock.parse.tools.code_scan import Finding

    found = Finding("sql", Effect.UNKNOWN, "sql", "", "database", extra=sql)
    return finding_op(cmd, ctx, found).with_tags("framework")
