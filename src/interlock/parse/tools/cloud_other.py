"""Every other provider CLI: doctl, linode-cli, hcloud, oci, heroku, fly, vercel, netlify,
wrangler, firebase, supabase, openstack … and the object-storage tools (s3cmd, s5cmd, rclone,
mc, swift).

Most of them share one shape, `tool [group …] verb [name] [--flags]` (or `topic:verb` for
heroku, netlify and firebase), so one engine reads them with a small table per tool: which flags
take values, which flags and variables give scope, and the handful of subcommands whose effect
the verb alone does not tell (`pg:reset`, `db reset`, `apps destroy`, `d1 execute`).
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.cloud import (
    family_of,
    local_tier,
    make_op,
    sql_effect,
    verb_effect,
    words,
)

D, W, R, U = Effect.DESTROY, Effect.WRITE, Effect.READ, Effect.UNKNOWN
_LOCAL = "local"  # a pseudo-tag: the target is this machine's config or dev server
_COLON_VERBS = words(
    "create destroy run restart rollback login logout deploy init link unlink use build dev "
    "serve open-tunnel promote"
)
_PSEUDO = frozenset((_LOCAL, "sql", "inner", "scale", "api", "d1", "db"))


@dataclass(frozen=True, slots=True)
class Tool:
    values: frozenset[str] = frozenset()
    scope: tuple[tuple[str, str], ...] = ()  # (flag, scope key)
    env: tuple[tuple[str, str], ...] = ()  # (variable, scope key)
    names: tuple[str, ...] = ()  # flags that name the target (`-a/--app`)
    colon: bool = False
    special: dict[str, tuple[Effect, str]] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)


_COMMON = words("--format --output -o --config --profile --region --context --token -t")
_HEROKU = Tool(
    values=words("-a --app -r --remote -c --command --confirm -t --team -s --size"),
    names=("-a", "--app"),
    env=(("HEROKU_APP", "app"),),
    colon=True,
    special={
        "apps:destroy": (D, "env-root"), "destroy": (D, "env-root"),
        "pg:reset": (D, "database"), "pg:copy": (D, "database"),
        "pg:backups:restore": (D, "database"), "pg:backups:delete": (D, "backup"),
        "addons:destroy": (D, "database"), "pg:killall": (W, ""), "pg:kill": (W, ""),
        "run": (U, "remote-code"), "run:detached": (U, "remote-code"),
        "run:inside": (U, "remote-code"),
        "pg:psql": (U, "sql"), "redis:cli": (U, ""), "ps:exec": (U, "remote-code"),
        "login": (W, _LOCAL), "logout": (W, _LOCAL), "git:remote": (W, _LOCAL),
        "local": (U, _LOCAL), "access:remove": (W, "security"), "ps:scale": (W, "scale"),
    },
)  # fmt: skip
_FLY = Tool(
    values=words("-a --app -c --config -r --region -i --image -C --command -s --select -o --org"),
    names=("-a", "--app"),
    env=(("FLY_APP", "app"),),
    special={
        "apps destroy": (D, "env-root"), "destroy": (D, "env-root"),
        "volumes destroy": (D, "database"), "volume destroy": (D, "database"),
        "vol destroy": (D, "database"), "volumes delete": (D, "database"),
        "ssh console": (U, "remote-code"), "ssh sftp": (W, ""), "postgres connect": (U, "sql"),
        "pg connect": (U, "sql"), "proxy": (U, _LOCAL), "scale count": (W, "scale"),
        "auth login": (W, _LOCAL), "launch": (W, ""), "console": (U, "remote-code"),
    },
)  # fmt: skip
_VERCEL = Tool(
    values=words("--scope --token -t --cwd -e --env -b --build-env -m --meta --target -A"),
    scope=(("--scope", "context"), ("--target", "env")),
    special={
        "rm": (D, ""), "remove": (D, ""), "project rm": (D, "env-root"),
        "project remove": (D, "env-root"), "projects rm": (D, "env-root"),
        "env rm": (D, ""), "env pull": (W, _LOCAL), "pull": (W, _LOCAL), "dev": (W, _LOCAL),
        "build": (W, _LOCAL), "link": (W, _LOCAL), "login": (W, _LOCAL), "logout": (W, _LOCAL),
        "deploy": (W, ""), "redeploy": (W, ""),
    },
)  # fmt: skip
_NETLIFY = Tool(
    values=words("--site -s --dir -d --auth --context --filter -m --message --alias"),
    scope=(("--site", "app"), ("--context", "env")),
    colon=True,
    special={
        "sites:delete": (D, "env-root"), "env:unset": (W, ""), "dev": (W, _LOCAL),
        "build": (W, _LOCAL), "link": (W, _LOCAL), "unlink": (W, _LOCAL),
        "login": (W, _LOCAL), "init": (W, _LOCAL), "serve": (W, _LOCAL), "api": (U, "api"),
        "functions:invoke": (W, ""), "watch": (R, ""),
    },
)  # fmt: skip
_RAILWAY = Tool(
    values=words("-e --environment -s --service -p --project"),
    scope=(("-e", "env"), ("--environment", "env"), ("-p", "project"), ("--project", "project")),
    names=("-s", "--service"),
    special={
        "up": (W, ""), "down": (D, ""), "delete": (D, "env-root"), "run": (U, "inner"),
        "shell": (U, _LOCAL), "connect": (U, "sql"), "volume delete": (D, "database"),
        "link": (W, _LOCAL), "login": (W, _LOCAL), "init": (W, _LOCAL), "unlink": (W, _LOCAL),
        "environment": (W, _LOCAL), "variables": (R, ""), "service": (W, _LOCAL),
    },
)  # fmt: skip
_WRANGLER = Tool(
    values=words("--env -e --command --file --config -c --name --binding --namespace-id"),
    scope=(("--env", "env"), ("-e", "env")),
    names=("--name",),
    special={
        "delete": (D, "env-root"), "d1 execute": (U, "sql"), "d1 delete": (D, "database"),
        "d1 time-travel restore": (D, "database"), "kv namespace delete": (D, "database"),
        "kv:namespace delete": (D, "database"), "r2 bucket delete": (D, "database"),
        "kv bulk delete": (D, "bulk"), "kv:bulk delete": (D, "bulk"),
        "pages project delete": (D, "env-root"), "tail": (R, ""), "dev": (W, _LOCAL),
        "login": (W, _LOCAL), "logout": (W, _LOCAL), "types": (W, _LOCAL), "init": (W, _LOCAL),
        "d1 migrations apply": (W, "d1"), "publish": (W, ""), "deploy": (W, ""),
    },
)  # fmt: skip
_FIREBASE = Tool(
    values=words("-P --project --only --except -m --message --token --instance"),
    scope=(("-P", "project"), ("--project", "project")),
    env=(("FIREBASE_PROJECT", "project"), ("GCLOUD_PROJECT", "project")),
    colon=True,
    special={
        "database:remove": (D, "database"), "database:set": (D, "database"),
        "firestore:delete": (D, "database"), "firestore:databases:delete": (D, "database"),
        "use": (W, _LOCAL), "login": (W, _LOCAL), "logout": (W, _LOCAL), "init": (W, _LOCAL),
        "emulators:start": (W, _LOCAL), "emulators:exec": (U, _LOCAL), "serve": (W, _LOCAL),
        "auth:export": (R, ""), "projects:delete": (D, "env-root"),
        "hosting:disable": (W, ""), "deploy": (W, ""),
    },
)  # fmt: skip
_SUPABASE = Tool(
    values=words("--project-ref --db-url -p --password --workdir -o --output --schema -s"),
    scope=(("--project-ref", "project"),),
    special={
        "db reset": (D, "database"), "stop": (W, _LOCAL), "start": (W, _LOCAL),
        "projects delete": (D, "env-root"), "branches delete": (D, "env-root"),
        "link": (W, _LOCAL), "login": (W, _LOCAL), "init": (W, _LOCAL), "db push": (W, "db"),
        "db dump": (R, ""), "db pull": (W, _LOCAL), "gen types": (R, ""), "db diff": (R, ""),
        "migration new": (W, _LOCAL), "migration up": (W, "db"),
    },
)  # fmt: skip
_DOCTL = Tool(
    values=_COMMON | words("--access-token -t --region --size --image --tag-name"),
    scope=(("--context", "context"),),
    env=(("DIGITALOCEAN_CONTEXT", "context"),),
    aliases={"rm": "delete", "d": "delete", "g": "get", "ls": "list", "c": "create"},
    special={
        "kubernetes cluster delete": (D, "env-root"), "k8s cluster delete": (D, "env-root"),
        "databases delete": (D, "database"), "databases db delete": (D, "database"),
        "apps delete": (D, "env-root"), "projects delete": (D, "env-root"),
        "compute ssh": (U, "remote-code"), "compute snapshot delete": (D, "backup"),
        "auth init": (W, _LOCAL), "auth switch": (W, _LOCAL),
    },
)  # fmt: skip
_OPENSTACK = Tool(
    values=words("--os-cloud --os-project-name --os-region-name -f --format -c --column"),
    scope=(("--os-cloud", "context"), ("--os-project-name", "project"),
           ("--os-region-name", "region")),
    env=(("OS_CLOUD", "context"), ("OS_PROJECT_NAME", "project")),
    aliases={"remove": "detach", "unset": "set"},
    special={"stack delete": (D, "env-root"), "project delete": (D, "env-root"),
             "volume snapshot delete": (D, "backup"), "volume backup delete": (D, "backup"),
             "database instance delete": (D, "database"), "server ssh": (U, "remote-code")},
)  # fmt: skip
_PLAIN = Tool(
    values=_COMMON | words("--region --zone --project -p --project-id --compartment-id"),
    scope=(("--context", "context"), ("--profile", "profile"), ("--region", "region"),
           ("--project", "project")),
    special={"lke cluster-delete": (D, "env-root"), "ks cluster rm": (D, "env-root"),
             "kubernetes remove": (D, "env-root"), "kubernetes delete": (D, "env-root"),
             "target": (W, _LOCAL), "login": (W, _LOCAL), "config": (W, _LOCAL),
             "configure": (W, _LOCAL), "server ssh": (U, "remote-code")},
)  # fmt: skip
TOOLS = {
    "heroku": _HEROKU, "fly": _FLY, "flyctl": _FLY, "vercel": _VERCEL, "netlify": _NETLIFY,
    "railway": _RAILWAY, "wrangler": _WRANGLER, "firebase": _FIREBASE, "supabase": _SUPABASE,
    "doctl": _DOCTL, "openstack": _OPENSTACK,
}  # fmt: skip


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if cmd.program in ("s3cmd", "s5cmd", "rclone", "mc", "swift"):
        from interlock.parse.tools.cloud_storage import storage_op

        return [storage_op(cmd)]
    tool = TOOLS.get(cmd.program, _PLAIN)
    a = parse_args(cmd.args, tool.values)
    pos = [tool.aliases.get(w, w) for w in a.pos]
    family = family_of(cmd.program)
    if not pos:
        return [_bare(cmd, family, a)]
    path, effect, tag = _resolve(tool, pos)
    if cmd.program == "aliyun" and len(pos) > 1 and pos[1][:1].isupper():
        path, effect, tag = pos[:2], _camel_effect(pos[1]), ""
    names = [v for n in tool.names if (v := a.value(n))] or pos[len(path) : len(path) + 1]
    return _finish(cmd, ctx, tool, family, a, path, effect, tag, names)


def _bare(cmd: Command, family: str, a: Args) -> Operation:
    """`vercel`, `vercel --prod`, `railway` with no subcommand."""
    if cmd.program == "vercel":
        return _mk(cmd, family, "deploy", W, _scope(cmd, _VERCEL, a), "", set(), "")
    return make_op(cmd, family, "help", R, summary=f"{cmd.program} help")


def _resolve(tool: Tool, pos: list[str]) -> tuple[list[str], Effect, str]:
    """The command path, its effect and a tag, from the special table or the verb lexicon."""
    words_ = pos[0].split(":") if tool.colon and ":" in pos[0] else pos
    for n in range(min(len(pos), 4), 0, -1):
        key = ":".join(words_) if tool.colon and ":" in pos[0] else " ".join(pos[:n])
        if key in tool.special:
            effect, tag = tool.special[key]
            return (pos[:1] if tool.colon else pos[:n]), effect, tag
    if tool.colon:
        verb = words_[-1]
        if len(words_) == 1 and verb not in _COLON_VERBS:
            return pos[:1], R, ""  # a topic alone lists it: `heroku config`, `heroku apps`
        return pos[:1], verb_effect(verb) or U, ""
    for i, w in enumerate(pos[:5]):
        effect = verb_effect(w)
        if effect is not None:
            return pos[: i + 1], effect, ""
    return pos[:1], (R if len(pos) == 1 and pos[0] in ("apps", "status") else U), ""


def _finish(
    cmd: Command,
    ctx: Context,
    tool: Tool,
    family: str,
    a: Args,
    path: list[str],
    effect: Effect,
    tag: str,
    names: list[str],
) -> list[Operation]:
    action = ":".join(path) if tool.colon else " ".join(path)
    scope = _scope(cmd, tool, a)
    tags = {tag} if tag and tag not in _PSEUDO else set()
    effect, tags, local = _refine(cmd, tool, a, action, effect, tags, tag)
    name = names[0] if names else ""
    ops = [_mk(cmd, family, action, effect, scope, name, tags, "local" if local else "")]
    if tag == "inner" and ctx.depth < 4:
        rest = [w for w in cmd.args[cmd.args.index(path[-1]) + 1 :] if w != "--"]
        ops += ctx.shell(shlex.join(rest), cmd) if rest else []
    return ops


def _refine(
    cmd: Command, tool: Tool, a: Args, action: str, effect: Effect, tags: set[str], tag: str
) -> tuple[Effect, set[str], bool]:
    args = a
    local = tag == _LOCAL
    if tag in ("sql",):
        text = args.value("--command", "-c") or cmd.stdin or ""
        if text:
            effect, sql_tags = sql_effect(
                text, "sqlite" if cmd.program == "wrangler" else "postgres"
            )
            tags |= set(sql_tags)
    if tag == "d1" or action == "d1 execute":
        local = not args.has("--remote")
    if tag == "database" and action == "db reset":
        local = not (args.has("--linked") or args.has("--db-url"))
    if action == "stop" and args.has("--no-backup"):
        effect, tags = D, tags | {"no-backup"}
    if tag == "scale" and re.search(r"=0\b|\b0$", " ".join(cmd.args)):
        tags.add("scale-to-zero")
    if action.endswith("firestore:delete"):
        tags |= {"all"} if args.has("--all-collections") else set()
        tags |= {"recursive"} if args.has("-r", "--recursive") else set()
    if tag == "api" and len(cmd.args) > 1:
        effect = _camel_effect(cmd.args[1])
    if args.has("--force", "-f", "--yes", "-y", "--confirm"):
        tags.add("auto-approve")
    if args.has("--dry-run", "--dryrun") and effect is not R:
        effect, tags = R, {"dry-run"}
    return effect, tags, local


def _scope(cmd: Command, tool: Tool, a: Args) -> dict[str, str | None]:
    scope: dict[str, str | None] = {"host": cmd.host}
    for var, key in tool.env:
        scope[key] = scope.get(key) or cmd.getenv(var)
    for flag, key in tool.scope:
        scope[key] = a.value(flag) or scope.get(key)
    if cmd.program == "vercel" and a.has("--prod"):
        scope["env"] = "production"
    if cmd.program == "netlify" and a.has("--prod"):
        scope["env"] = "production"
    return scope


def _mk(
    cmd: Command,
    family: str,
    action: str,
    effect: Effect,
    scope: dict[str, str | None],
    name: str,
    tags: set[str],
    local: str,
) -> Operation:
    app = scope.pop("app", None)
    name = name or app or ""
    tier = local_tier(cmd, bool(local))
    tgt = Target.make(
        "app" if app or not local else "local", name or cmd.program, tier=tier, **scope
    )
    if "$" in name:
        tags = tags | {"dynamic-target"}
    label = f" `{name}`" if name else ""
    return make_op(cmd, family, action, effect, [tgt], tags, f"{cmd.program} {action}{label}")


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _camel_effect(method: str) -> Effect:
    """`deleteSite`, `DeleteInstance`, `listSites` → the effect of its leading verb."""
    from interlock.parse.tools.cloud_aws import op_effect

    return op_effect(_CAMEL.sub("-", method).lower())
