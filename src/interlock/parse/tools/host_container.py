"""docker, podman and nerdctl: `tool [global flags] [object] verb [flags] [names]`.

Objects of a local engine are `local` targets. An engine reached through `-H/--host`,
`--context`, `--connection`/`--url` (podman), `DOCKER_HOST`/`DOCKER_CONTEXT`/`CONTAINER_HOST`,
or a command that itself runs on a remote host carries that scope and leaves the tier to the
resolver. Swarm objects (services, stacks, nodes, secrets) are never local.
`docker exec` reports only an `exec` op: the walker analyzes the inner command.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.host_common import (
    CONTAINER,
    dynamic_tags,
    first_positional,
    make_op,
    names,
    target,
    unknown_op,
    wants_help,
    words,
)
from interlock.parse.tools.host_container_remote import build_push, push_op, swarm_op
from interlock.parse.tools.host_container_run import RUN_TV, run_tags

_GLOBAL_TV = words(
    "-H --host --context -c --config -l --log-level --tlscacert --tlscert --tlskey --url "
    "--connection --identity --root --runroot --storage-driver --storage-opt --cgroup-manager "
    "--events-backend --tmpdir --volumepath --imagestore --namespace -n --address -a "
    "--snapshotter --cni-path --cni-netconfpath --data-root --runtime --conmon --hooks-dir "
    "--network-config-dir --registries-conf --module --out --db-backend --ssh"
)
_VERB_TV = words(
    "-t --time -s --signal --filter --format -n --last --tail --since --until -o --output "
    "--platform --timeout --depth --image --replicas --availability --role --label-add "
    "--label-rm --env-add --env-rm --constraint-add --constraint-rm --publish-add --publish-rm "
    "--mount-add --mount-rm --secret-add --secret-rm --config-add --config-rm --network-add "
    "--network-rm --update-parallelism --update-delay --update-order --update-failure-action "
    "--limit-cpu --limit-memory --reserve-cpu --reserve-memory -c --compose-file"
)
_EXEC_TV = words("-e --env -u --user -w --workdir --env-file --detach-keys --preserve-fds")
_LOCAL_CONTEXTS = frozenset(
    {"default", "desktop-linux", "docker-desktop", "colima", "rancher-desktop", "orbstack",
     "podman", "podman-machine-default", "minikube", "lima", "local"}
)  # fmt: skip

_TOP: dict[str, tuple[str, str]] = {
    "ps": ("container", "ls"), "run": ("container", "run"), "exec": ("container", "exec"),
    "create": ("container", "create"), "start": ("container", "start"),
    "stop": ("container", "stop"), "restart": ("container", "restart"),
    "kill": ("container", "kill"), "rm": ("container", "rm"), "pause": ("container", "pause"),
    "unpause": ("container", "unpause"), "logs": ("container", "logs"),
    "top": ("container", "top"), "stats": ("container", "stats"), "port": ("container", "port"),
    "diff": ("container", "diff"), "wait": ("container", "wait"), "attach": ("container", "attach"),
    "commit": ("container", "commit"), "cp": ("container", "cp"), "rename": ("container", "rename"),
    "update": ("container", "update"), "export": ("container", "export"),
    "inspect": ("container", "inspect"), "images": ("image", "ls"), "rmi": ("image", "rm"),
    "build": ("image", "build"), "pull": ("image", "pull"), "push": ("image", "push"),
    "tag": ("image", "tag"), "history": ("image", "history"), "save": ("image", "save"),
    "load": ("image", "load"), "import": ("image", "import"), "search": ("image", "search"),
    "mount": ("container", "mount"), "unmount": ("container", "unmount"),
    "umount": ("container", "unmount"), "events": ("system", "events"),
    "info": ("system", "info"), "version": ("system", "version"), "login": ("registry", "login"),
    "logout": ("registry", "logout"), "init": ("project", "init"), "debug": ("container", "exec"),
    "healthcheck": ("container", "inspect"), "generate": ("container", "inspect"),
    "help": ("system", "version"), "scout": ("image", "inspect"), "sbom": ("image", "inspect"),
    "auto-update": ("container", "auto-update"),
}  # fmt: skip
_OBJECTS = words(
    "container image volume network system builder buildx context plugin secret service stack "
    "swarm node config trust manifest pod machine kube checkpoint artifact farm namespace"
)
_READ_VERBS = words(
    "ls list ps inspect logs top stats port diff wait exists history search df info events "
    "version show du tree help services"
)
_WRITE_VERBS = words(
    "run create start restart pause unpause rename update attach commit cp export checkpoint "
    "restore init mount unmount clone build pull tag untag load import save sign scp convert "
    "connect disconnect reload use bake stop kill enable disable install upgrade set promote "
    "demote join join-token unlock unlock-key ca scale rollback deploy up play annotate "
    "renumber migrate service login logout key signer leave auto-update imagetools"
)
_DESTROY_VERBS = frozenset({"rm", "remove", "delete", "prune", "reset", "down", "revoke"})
_SWARM = frozenset({"service", "stack", "node", "secret", "config", "swarm"})
_NOT_LOCAL = _SWARM | {"machine"}
_KINDS = {"builder": "build-cache", "buildx": "build-cache", "trust": "image", "kube": "pod"}
_NESTED = {("system", "connection"): "connection", ("buildx", "history"): "build-record"}


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    g = parse_args(cmd.args, _GLOBAL_TV, stop_at_first_positional=True)
    if not g.pos:
        if wants_help(cmd.args) or not cmd.args or g.has("-v", "--version", "-h"):
            return [make_op(cmd, CONTAINER, "read", Effect.READ, summary="shows engine help")]
        return [unknown_op(cmd, CONTAINER)]
    scope = engine_scope(cmd, g.value("-H", "--host", "--url"), _context(cmd, g))
    if cmd.program == "podman" and g.has("--remote", "-r") and not scope:
        scope["context"] = "podman-remote"
    sub, rest = g.pos[0], g.pos[1:]
    if sub == "compose":
        from interlock.parse.tools.host_compose import compose

        return compose(cmd, ctx, rest, scope)
    if sub in _OBJECTS:
        verb, vargs = first_positional(rest)
        obj = sub
        if (obj, verb) in _NESTED:  # `podman system connection ls`, `docker buildx history ls`
            obj = _NESTED[(obj, verb)]
            verb, vargs = first_positional(vargs)
    elif sub in _TOP:
        (obj, verb), vargs = _TOP[sub], rest
    else:
        return [unknown_op(cmd, CONTAINER, sub)]
    if verb is None or wants_help(vargs):
        return [make_op(cmd, CONTAINER, "read", Effect.READ, summary=f"shows {obj} help")]
    op = _object_op(cmd, obj, verb, vargs, scope)
    if obj == "container" and verb == "run" and ctx.depth < 8:
        return [op, *_inner(cmd, ctx, vargs)]
    return [op]


def _inner(cmd: Command, ctx: Context, vargs: list[str]) -> list[Operation]:
    """The command a new container runs, analyzed as running on that container."""
    a = parse_args(vargs, RUN_TV, bundle=True, stop_at_first_positional=True)
    if len(a.pos) < 2:
        return []
    host = cmd.host or f"container:{a.pos[0]}"
    return ctx.shell(shlex.join(a.pos[1:]), replace(cmd, host=host))


def _context(cmd: Command, g: Args) -> str | None:
    ctx_flag = "--connection" if cmd.program == "podman" else "--context"
    value = g.value("-c", ctx_flag)
    if cmd.program == "podman":
        value = value or cmd.getenv("CONTAINER_CONNECTION")
    return value or cmd.getenv("DOCKER_CONTEXT")


def engine_scope(cmd: Command, host: str | None, context: str | None) -> dict[str, str]:
    """Scope keys for a remote engine; empty when the engine is the local one."""
    host = host or cmd.getenv("DOCKER_HOST") or cmd.getenv("CONTAINER_HOST")
    scope: dict[str, str] = {}
    if host and not host.startswith(("unix://", "npipe://", "/")):
        scope["host"] = _host_of(host)
    if context and context not in _LOCAL_CONTEXTS:
        scope["context"] = context
    return scope


def _host_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    rest = rest.split("@", 1)[-1]
    return rest.split("/", 1)[0].split(":", 1)[0] or url


_SHELLS = frozenset("sh bash zsh ash dash ksh fish".split())


def _object_op(
    cmd: Command, obj: str, verb: str, vargs: list[str], scope: dict[str, str]
) -> Operation:
    runs = verb in ("run", "create")
    tv = RUN_TV if runs else _EXEC_TV if verb == "exec" else _VERB_TV
    a = parse_args(vargs, tv, bundle=True, stop_at_first_positional=runs or verb == "exec")
    kind = _KINDS.get(obj, obj)
    tier = Tier.UNKNOWN if (scope or obj in _NOT_LOCAL) else Tier.LOCAL
    where = f" on `{scope.get('host') or scope.get('context')}`" if scope else ""
    objs = a.pos[:1] if runs else a.pos
    tgts = [target(cmd, kind, n, tier, **scope) for n in objs[:20]]
    tgts = tgts or [target(cmd, kind, f"{kind}s", tier, **scope)]
    tags = set(dynamic_tags(cmd))
    if a.has("-f", "--force"):
        tags.add("force")
    if verb in _READ_VERBS or _prints_only(obj, verb, vargs):
        return make_op(cmd, CONTAINER, verb, Effect.READ, tgts, tags, f"reads {kind}s")
    if runs:
        tags |= run_tags(a)
        what = "runs a container from" if verb == "run" else "creates a container from"
        return make_op(
            cmd, CONTAINER, verb, Effect.WRITE, tgts, tags, f"{what} {names(objs)}{where}"
        )
    if verb == "exec":
        t = [target(cmd, "container", (a.pos or ["?"])[0], tier, **scope)]
        summary = f"runs a command in container {names(a.pos[:1])}{where}"
        # the walker judges the inner command itself; entering the container changes nothing
        inner = a.pos[1:]
        shell_only = len(inner) == 1 and inner[0].rsplit("/", 1)[-1] in _SHELLS
        effect = Effect.READ if inner and not shell_only else Effect.WRITE
        return make_op(cmd, CONTAINER, "exec", effect, t, tags, summary)
    if verb == "push":
        return push_op(cmd, a.pos[1:2] if cmd.program == "podman" and len(a.pos) > 1 else a.pos,
                       scope, tags)  # fmt: skip
    if verb in ("build", "bake") or (verb == "imagetools" and vargs[:1] == ["create"]):
        pushed = build_push(cmd, verb, vargs, scope)
        if pushed is not None:
            return pushed
    swarm = swarm_op(cmd, obj, verb, a, tgts, where)
    if swarm is not None:
        return swarm
    if verb in _DESTROY_VERBS:
        return _destroy(cmd, _Verb(obj, verb, kind, tier, where), a, tgts, tags, scope)
    if obj == "swarm" and verb == "leave" and "force" in tags:
        summary = f"forces this node out of the swarm{where}"
        return make_op(cmd, CONTAINER, "leave", Effect.DESTROY, tgts, tags, summary)
    if verb in _WRITE_VERBS:
        summary = f"{verb} {kind} {names(objs)}{where}".replace("  ", " ")
        return make_op(cmd, CONTAINER, verb, Effect.WRITE, tgts, tags, summary)
    return unknown_op(cmd, CONTAINER, f"{obj} {verb}")


def _prints_only(obj: str, verb: str, vargs: list[str]) -> bool:
    """`swarm ca`/`join-token`/`unlock-key` without `--rotate` print; `imagetools inspect`."""
    if obj == "swarm" and verb in ("ca", "join-token", "unlock-key"):
        return not any(a.startswith(("--rotate", "--ca-cert", "--external-ca")) for a in vargs)
    if verb in ("imagetools", "auto-update"):
        return "inspect" in vargs[:1] or "--dry-run" in vargs
    return False


@dataclass(frozen=True, slots=True)
class _Verb:
    obj: str
    verb: str
    kind: str
    tier: Tier
    where: str


def _destroy(
    cmd: Command, v: _Verb, a: Args, tgts: list[Target], tags: set[str], scope: dict[str, str]
) -> Operation:
    if a.has("-a", "--all"):
        tags.add("all")
    if v.obj == "system":
        return _system_destroy(cmd, v, a, tags, scope)
    if v.obj in ("container", "compose") and a.has("-v", "--volumes"):
        tags.add("volumes")
        tgts = [*tgts, target(cmd, "volume", "anonymous volumes", v.tier, **scope)]
    if v.verb == "prune":
        summary = f"prunes all unused {v.kind}s{v.where}"
        return make_op(cmd, CONTAINER, "prune", Effect.DESTROY, tgts, tags, summary)
    shown = names([t.name for t in tgts if t.kind == v.kind])
    summary = f"deletes {v.kind} {shown}{v.where}"
    return make_op(cmd, CONTAINER, "delete", Effect.DESTROY, tgts, tags, summary)


def _system_destroy(
    cmd: Command, v: _Verb, a: Args, tags: set[str], scope: dict[str, str]
) -> Operation:
    t = [target(cmd, "system", "engine", v.tier, **scope)]
    if v.verb == "reset" or a.has("--volumes"):
        tags.add("volumes")
        t.append(target(cmd, "volume", "all volumes", v.tier, **scope))
    if v.verb == "reset":
        what = "wipes every container, image, volume and network"
    else:
        what = "prunes stopped containers, unused networks, images and build cache"
        what += " and volumes" if "volumes" in tags else ""
    return make_op(cmd, CONTAINER, v.verb, Effect.DESTROY, t, tags, what + v.where)
