"""Pulumi: `up`, `destroy`, `refresh`, stack and state surgery on the stack `-s org/proj/prod`.

Without `-s` the selected stack is not known from the command line; the project directory
(`-C infra/prod`, `cd live/prod && …`) may still name the environment.
`PULUMI_SKIP_CONFIRMATIONS=true` answers prompts the way `--yes` does.
"""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.iac_common import (
    cloud_scope,
    env_hint,
    env_true,
    is_dynamic_word,
    join_dir,
    op,
    read,
    target,
    unknown,
)

_VALUE = frozenset({
    "-C", "--cwd", "-s", "--stack", "--color", "-v", "--verbose", "--tracing", "--profiling",
    "-t", "--target", "--replace", "--target-replace", "--exclude", "-m", "--message",
    "--config-file", "-c", "--config", "-p", "--parallel", "--policy-pack",
    "--policy-pack-config", "--secrets-provider", "--exec-kind", "--exec-agent", "--plan",
    "--save-plan", "--import-file", "--from", "--file", "--out", "-o", "--org", "--stack-name",
    "--suppress-progress-interval", "--attach-debugger", "--memprofilerate", "--env",
    "--run-program", "--copy-config-from", "--teams", "--new-name",
})  # fmt: skip

_ALIASES = {"update": "up", "down": "down", "pre": "preview"}
_READ = frozenset({
    "preview", "whoami", "version", "about", "logs", "console", "gen-completion", "completion",
    "help", "query", "convert", "schema", "view-trace", "search", "ai", "org", "project",
    "package", "template", "gen-markdown",
})  # fmt: skip
_LOCAL = frozenset({"new", "install", "login", "logout", "plugin"})
_STACK_READ = frozenset({"", "ls", "output", "export", "history", "graph", "tag"})
_STACK_WRITE = frozenset({"init", "rename", "change-secrets-provider", "unselect", "select"})


def analyze_pulumi(cmd: Command) -> list[Operation]:
    args = parse_args(cmd.args, _VALUE)
    if args.has("--help", "-h", "--version"):
        return [read(cmd, "help")]
    if not args.pos:
        return [read(cmd, "help")]
    verb = _ALIASES.get(args.pos[0], args.pos[0])
    if is_dynamic_word(verb):
        return [unknown(cmd, verb, "dynamic-target")]
    stack = _stack_target(cmd, args)
    handler = _HANDLERS.get(verb)
    if handler is not None:
        return handler(cmd, args, stack)
    if verb in _READ:
        return [read(cmd, verb, [stack])]
    if verb in _LOCAL:
        return [op(cmd, verb, Effect.WRITE, [_local(cmd, verb)], (), f"pulumi {verb} (local)")]
    return [unknown(cmd, verb)]


def _stack_target(cmd: Command, args: Args, name: str | None = None) -> Target:
    stack = name or args.value("-s", "--stack")
    path = join_dir(cmd.cwd, args.value("-C", "--cwd"))
    last = stack.rsplit("/", 1)[-1] if stack else None
    env = env_hint([last]) or env_hint([path])
    name = stack or path or "(selected stack)"
    return target(cmd, "pulumi-stack", name, stack=stack, env=env, **cloud_scope(cmd))


def _local(cmd: Command, what: str) -> Target:
    return target(cmd, "pulumi-project", what, Tier.LOCAL)


def _confirm_tags(cmd: Command, args: Args) -> list[str]:
    tags = []
    if args.has("--yes", "-y", "--skip-preview", "-f") or env_true(
        cmd, "PULUMI_SKIP_CONFIRMATIONS"
    ):
        tags.append("auto-approve")
    if args.has("--target", "-t", "--exclude"):
        tags.append("targeted")
    return tags


def _up(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    tags = _confirm_tags(cmd, args)
    urns = args.values("--replace", "--target-replace")
    if urns:
        tags.append("replace")
        targets = [stack, *(target(cmd, "pulumi-resource", u, **dict(stack.scope)) for u in urns)]
        return [op(cmd, "replace", Effect.DESTROY, targets, tags, f"replaces {', '.join(urns)}")]
    return [op(cmd, "up", Effect.WRITE, [stack], tags, f"updates Pulumi stack `{stack.name}`")]


def _destroy(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    if args.has("--preview-only"):
        return [read(cmd, "destroy", [stack], "dry-run", "destroy-plan")]
    tags = _confirm_tags(cmd, args)
    if "targeted" not in tags:
        tags.append("teardown")
    if args.has("--remove"):
        tags.append("remove-stack")
    return [
        op(cmd, "destroy", Effect.DESTROY, [stack], tags, f"destroys Pulumi stack `{stack.name}`")
    ]


def _refresh(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    if args.has("--preview-only"):
        return [read(cmd, "refresh", [stack], "dry-run")]
    tags = _confirm_tags(cmd, args)
    return [
        op(cmd, "refresh", Effect.WRITE, [stack], tags, f"refreshes stack `{stack.name}` state")
    ]


def _stack(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    verb = args.pos[1] if len(args.pos) > 1 else ""
    named = args.pos[2] if len(args.pos) > 2 else None
    if verb == "tag" and named in ("set", "rm"):
        return [op(cmd, "stack-tag", Effect.WRITE, [stack], (), "changes stack tags")]
    if verb in _STACK_READ:
        return [read(cmd, f"stack {verb}".strip(), [stack])]
    if named:
        stack = _stack_target(cmd, args, named)
    if verb == "rm":
        force = args.has("--force", "-f")
        tags = ["force", "teardown"] if force else []
        if args.has("--yes", "-y"):
            tags.append("auto-approve")
        return [op(cmd, "stack-rm", Effect.DESTROY, [stack], tags, f"removes stack `{stack.name}`")]
    if verb == "import":
        tags = ["state-surgery"] + (["force"] if args.has("--force") else [])
        return [
            op(cmd, "stack-import", Effect.WRITE, [stack], tags, "overwrites the stack's state")
        ]
    if verb in ("select", "unselect"):
        t = target(cmd, "pulumi-stack", stack.name, Tier.LOCAL)
        return [op(cmd, f"stack-{verb}", Effect.WRITE, [t], (), f"selects stack `{stack.name}`")]
    if verb in _STACK_WRITE:
        return [op(cmd, f"stack-{verb}", Effect.WRITE, [stack], (), f"stack {verb} `{stack.name}`")]
    return [unknown(cmd, f"stack {verb}")]


def _state(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    verb = args.pos[1] if len(args.pos) > 1 else ""
    urns = args.pos[2:]
    targets = [stack, *(target(cmd, "pulumi-resource", u, **dict(stack.scope)) for u in urns)]
    if verb == "delete":
        tags = ["state-surgery"] + (["all"] if args.has("--all") else [])
        tags += ["force"] if args.has("--force", "-f") else []
        return [
            op(cmd, "state-delete", Effect.DESTROY, targets, tags, "deletes resources from state")
        ]
    if verb in ("unprotect", "protect", "rename", "move", "edit", "upgrade", "repair"):
        return [op(cmd, f"state-{verb}", Effect.WRITE, targets, ["state-surgery"], f"state {verb}")]
    return [read(cmd, f"state {verb}".strip(), [stack])]


def _config(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    verb = args.pos[1] if len(args.pos) > 1 else ""
    if verb in ("", "get", "env"):
        return [read(cmd, f"config {verb}".strip(), [stack])]
    t = _local(cmd, "config")
    return [op(cmd, f"config-{verb}", Effect.WRITE, [t], (), f"changes stack config ({verb})")]


def _env(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    """Pulumi ESC environments: `pulumi env rm org/env` deletes one."""
    verb = args.pos[1] if len(args.pos) > 1 else "ls"
    name = args.pos[2] if len(args.pos) > 2 else "(environment)"
    t = target(cmd, "pulumi-environment", name, env=env_hint([name.rsplit("/", 1)[-1]]))
    if verb == "rm" and len(args.pos) <= 3:
        return [
            op(cmd, "env-rm", Effect.DESTROY, [t], ["teardown"], f"deletes environment `{name}`")
        ]
    if verb in ("ls", "get", "open", "diff", "version", "versions", "run"):
        return [read(cmd, f"env {verb}", [t])] if verb != "run" else [unknown(cmd, "env run")]
    return [op(cmd, f"env-{verb}", Effect.WRITE, [t], (), f"changes environment `{name}`")]


def _deployment(cmd: Command, args: Args, stack: Target) -> list[Operation]:
    verb = args.pos[1] if len(args.pos) > 1 else ""
    if verb != "run":
        effect = Effect.READ if verb in ("", "settings") and len(args.pos) < 3 else Effect.WRITE
        return [op(cmd, f"deployment-{verb}", effect, [stack], (), f"pulumi deployment {verb}")]
    kind = args.pos[2] if len(args.pos) > 2 else ""
    handler = _HANDLERS.get(_ALIASES.get(kind, kind))
    if kind == "preview":
        return [read(cmd, "deployment run preview", [stack])]
    if handler is None:
        return [unknown(cmd, f"deployment run {kind}")]
    return [o.with_tags("remote-deployment", "auto-approve") for o in handler(cmd, args, stack)]


def _plain(action: str, effect: Effect) -> Handler:
    def handle(cmd: Command, args: Args, stack: Target) -> list[Operation]:
        tags = _confirm_tags(cmd, args)
        return [op(cmd, action, effect, [stack], tags, f"pulumi {action} on `{stack.name}`")]

    return handle


Handler = Callable[[Command, Args, Target], list[Operation]]

_HANDLERS: dict[str, Handler] = {
    "up": _up,
    "destroy": _destroy,
    "down": _destroy,
    "refresh": _refresh,
    "stack": _stack,
    "state": _state,
    "config": _config,
    "env": _env,
    "deployment": _deployment,
    "cancel": _plain("cancel", Effect.WRITE),
    "import": _plain("import", Effect.WRITE),
    "watch": lambda c, a, s: [o.with_tags("auto-approve") for o in _up(c, a, s)],
    "policy": lambda c, a, s: (
        [read(c, "policy", [s])]
        if a.pos[1:2] in (["ls"], ["validate-config"], ["new"], [])
        else _plain("policy", Effect.WRITE)(c, a, s)
    ),
}
