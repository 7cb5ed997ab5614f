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
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.cloud import (
    CRUD,
    CRUD_READ,
    DESTROY_VERBS,
    family_of,
    local_tier,
    make_op,
    sql_effect,
    verb_effect,
    words,
)
from interlock.parse.tools.cloud_other_tools import (
    _PLAIN,
    _VERCEL,
    COLON_VERBS,
    LOCAL,
    PSEUDO,
    TOOLS,
    D,
    R,
    Tool,
    U,
    W,
)

_NOUN_READS = words(
    "apps status account regions plans os releases doctor services info whoami version zones "
    "locations images sizes platforms orgs organizations teams workspaces dashboard docs"
)
_SCALE_ZERO = re.compile(r"(?:^|[\s=])0(?:\s|$)")
_HTTP = {"GET": R, "HEAD": R, "DELETE": D, "POST": W, "PUT": W, "PATCH": W}
_POSITIONAL_REMOTE = ("heroku", "hcloud", "railway")  # `hcloud server ssh web-1 'cmd'`


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    if cmd.program in ("s3cmd", "s5cmd", "rclone", "mc", "swift"):
        from interlock.parse.tools.cloud_storage import storage_op

        return [storage_op(cmd)]
    tool = TOOLS.get(cmd.program, _PLAIN)
    a = parse_args(cmd.args, tool.values | frozenset(tool.remote))
    pos = [tool.aliases.get(w, w) for w in a.pos]
    family = family_of(cmd.program)
    if not pos:
        return [_bare(cmd, family, a)]
    path, effect, tag = _resolve(tool, pos)
    if cmd.program == "aliyun" and len(pos) > 1 and pos[1] in _HTTP:  # `aliyun cs DELETE /…`
        path, effect, tag = pos[:2], _HTTP[pos[1]], ""
    elif cmd.program == "aliyun" and len(pos) > 1 and pos[1][:1].isupper():
        path, effect, tag = pos[:2], _camel_effect(pos[1]), ""
    names = [v for n in tool.names if (v := a.value(n))] or pos[len(path) : len(path) + 1]
    return _finish(cmd, ctx, tool, family, a, path, effect, tag, names)


def _bare(cmd: Command, family: str, a: Args) -> Operation:
    """`vercel`, `vercel --prod`, `railway` with no subcommand."""
    if cmd.program == "vercel" and not a.has("--version", "-v"):
        return _mk(cmd, family, "deploy", W, _scope(cmd, _VERCEL, a), "", set(), "")
    return make_op(cmd, family, "help", R, summary=f"{cmd.program} help")


def _resolve(tool: Tool, pos: list[str]) -> tuple[list[str], Effect, str]:
    """The command path, its effect and a tag, from the special table or the verb lexicon."""
    words_ = pos[0].split(":") if tool.colon and ":" in pos[0] else pos
    for n in range(min(len(pos), 4), 0, -1):
        key = ":".join(words_) if tool.colon and ":" in pos[0] else " ".join(pos[:n])
        if key in tool.special:
            effect, tag = tool.special[key]
            if not tool.colon and n < len(pos) and effect is not D and pos[n] in DESTROY_VERBS:
                break  # `railway environment delete`: the longer command deletes
            if not tool.colon and n < len(pos) and effect is W and pos[n] in CRUD_READ:
                return pos[: n + 1], R, ""  # `scw config get`, `fly config show`
            return (pos[:1] if tool.colon else pos[:n]), effect, tag
    if tool.colon:
        return _colon_verb(pos, words_)
    for i, w in enumerate(pos[:5]):
        effect = verb_effect(w)
        if effect is None:
            continue
        nxt = pos[i + 1] if i + 1 < len(pos) and w not in CRUD else ""
        if nxt in CRUD:  # `vultr-cli snapshot list`: a noun the lexicon also reads as a verb
            return pos[: i + 2], verb_effect(nxt) or effect, ""
        return pos[: i + 1], effect, ""
    return pos[:1], _noun_effect(tool, pos), ""


def _colon_verb(pos: list[str], words_: list[str]) -> tuple[list[str], Effect, str]:
    verb = words_[-1]
    if len(words_) == 1 and verb not in COLON_VERBS:
        return pos[:1], R, ""  # a topic alone lists it: `heroku config`, `heroku apps`
    effect = verb_effect(verb)
    if effect is None and verb_effect(words_[0]) is R:  # `netlify logs:function hello`
        effect = R
    return pos[:1], effect or U, ""


def _noun_effect(tool: Tool, pos: list[str]) -> Effect:
    """A command path with no verb: a lone listing noun (`vultr-cli regions`, `fly releases`)
    reads; so does `ibmcloud is instances` / `ibmcloud is instance ID` (nouns list and show)."""
    if len(pos) <= 2 and pos[-1] in _NOUN_READS:  # `fly platform regions`
        return R
    nouns = tool.noun_reads and 1 < len(pos) <= 3 and pos[0] not in tool.verb_groups
    if nouns and ("-" not in pos[1] or pos[1].endswith("s")):
        return R
    return U


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
    if tag == "production":  # `vercel promote`, `vercel rollback` change the production alias
        scope["env"] = "production"
    tags = {tag} if tag and tag not in PSEUDO else set()
    effect, tags, local = _refine(cmd, tool, a, action, effect, tags, tag)
    name = names[0] if names else ""
    ops = [_mk(cmd, family, action, effect, scope, name, tags, "local" if local else "")]
    if tag == "inner" and ctx.depth < 4:
        rest = [w for w in cmd.args[cmd.args.index(path[-1]) + 1 :] if w != "--"]
        ops += ctx.shell(shlex.join(rest), cmd) if rest else []
    if tag == "remote-code" and ctx.depth < 4:
        ops += _remote_inner(cmd, ctx, tool, a, path, name)
    return ops


def _remote_inner(
    cmd: Command, ctx: Context, tool: Tool, a: Args, path: list[str], name: str
) -> list[Operation]:
    """The command `doctl compute ssh --ssh-command`, `fly ssh console -C`, `heroku run` or
    `hcloud server ssh NAME CMD` runs on the remote machine, analyzed with that host."""
    text = a.value(*tool.remote) if tool.remote else None
    if not text and cmd.program in _POSITIONAL_REMOTE:
        skip = len(path) + (0 if tool.names or cmd.program == "railway" else 1)
        rest = a.pos[skip:] + a.after_dashdash
        text = " ".join(rest) if rest else None  # ssh joins its arguments with spaces
    if not text:
        return []
    sub = replace(cmd, host=name or "?", via=(*cmd.via, f"{cmd.program} {' '.join(path)}"))
    return ctx.shell(text, sub)


def _refine(
    cmd: Command, tool: Tool, a: Args, action: str, effect: Effect, tags: set[str], tag: str
) -> tuple[Effect, set[str], bool]:
    args = a
    local = tag == LOCAL
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
    if tag == "scale" and _SCALE_ZERO.search(" ".join(cmd.args)):
        tags.add("scale-to-zero")
    if cmd.program == "railway" and action == "variables" and args.has("--set", "-s"):
        effect = W
    if action == "target" and not args.pos[1:] and not args.opts:  # `ibmcloud target` shows it
        effect = R
    if action.endswith("sync") and args.has("--delete", "--delete-removed"):
        effect = D  # `oci os object sync --delete` removes what the source lacks
    if effect is not R:
        tags |= _generic_tags(action, args)
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


def _generic_tags(action: str, a: Args) -> set[str]:
    """Recursive deletes, firewall rules and rules open to the whole internet, for any tool."""
    tags: set[str] = set()
    if a.has("-r", "-R", "--recursive", "--empty"):  # `oci os bucket delete --empty`
        tags.add("recursive")
    if any(w in action for w in ("firewall", "security", "security-group", "secgroup")):
        tags.add("security")
    if "iam" in action.replace(":", " ").split() or action.startswith("iam"):
        tags |= {"iam", "security"}  # `oci iam user create`, `ibmcloud iam api-key-create`
    opened = " ".join(v for vals in a.opts.values() for v in vals) + " " + " ".join(a.pos)
    if "0.0.0.0/0" in opened or "::/0" in opened:
        tags |= {"security", "public"}
    return tags


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
    if tier is Tier.LOCAL:  # this machine's config: a `--context prod` names what comes next
        scope = {"host": cmd.host}
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
