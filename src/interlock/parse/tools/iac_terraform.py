"""Terraform and OpenTofu: what a `terraform` subcommand does to which workspace.

The same core serves Terragrunt and Atmos, which pass a Terraform subcommand through: they build
a `Root` (what the run points at) and call `tf_ops`. The workspace comes from `TF_WORKSPACE`;
the environment from `-var env=…`, `-var-file=prod.tfvars`, `TF_VAR_env` or a directory name
(`-chdir=envs/prod`, `cd live/production && …`). `TF_CLI_ARGS` and `TF_CLI_ARGS_<cmd>` add
arguments the command line does not show, so they are read as if written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args
from interlock.parse.tftypes import is_stateful, type_of
from interlock.parse.tools.iac_common import (
    cloud_scope,
    env_hint,
    fed_yes,
    flag_on,
    go_flags,
    is_dynamic_word,
    join_dir,
    op,
    read,
    split_words,
    target,
    unknown,
)

TF_VALUE_FLAGS = frozenset({
    "-var", "-var-file", "-target", "-replace", "-exclude", "-state", "-state-out", "-backup",
    "-lock-timeout", "-parallelism", "-out", "-backend-config", "-from-module", "-plugin-dir",
    "-lockfile", "-test-directory", "-filter", "-generate-config-out", "-provider", "-chdir",
    "-platform", "-type", "-plan", "-module-dir", "-net-mirror", "-fs-mirror",
})  # fmt: skip

_ENV_VARS = frozenset({
    "env", "environment", "stage", "env_name", "environment_name", "deploy_env",
    "deployment_environment", "workspace", "tier",
})  # fmt: skip

_READ_SUBS = frozenset({
    "validate", "fmt", "plan", "show", "output", "graph", "providers", "version", "console",
    "get", "metadata", "modules", "query", "help", "-help", "-version", "-v",
})  # fmt: skip


@dataclass(frozen=True, slots=True)
class Root:
    """What a Terraform run points at: a directory, a workspace, an Atmos component…"""

    kind: str
    name: str
    scope: tuple[tuple[str, str], ...] = ()
    hints: tuple[str, ...] = ()
    tags: frozenset[str] = field(default_factory=frozenset)

    def with_hints(self, *hints: str) -> Root:
        return Root(self.kind, self.name, self.scope, self.hints + hints, self.tags)

    def make(self, cmd: Command, kind: str | None = None, name: str | None = None) -> Target:
        scope = dict(self.scope)
        scope["env"] = env_hint((*self.hints, name))
        return target(cmd, kind or self.kind, name or self.name, **scope)

    def where(self) -> str:
        ws = dict(self.scope).get("workspace")
        return f"`{self.name}`" + (f" (workspace `{ws}`)" if ws and ws != self.name else "")


def analyze_terraform(cmd: Command) -> list[Operation]:
    words, chdir, i = list(cmd.args), None, 0
    while i < len(words) and words[i].startswith("-"):
        flag = words[i].lstrip("-")
        if flag.startswith("chdir="):
            chdir = flag[6:]
        elif flag == "chdir" and i + 1 < len(words):
            i += 1
            chdir = words[i]
        elif flag in ("help", "h", "version", "v"):
            return [read(cmd, flag)]
        i += 1
    if i >= len(words):
        return [read(cmd, "help")]
    sub = words[i]
    if cmd.is_dynamic(i + 1) or is_dynamic_word(sub):
        return [unknown(cmd, sub, "dynamic-target")]
    rest = words[i + 1 :] + split_words(cmd.getenv("TF_CLI_ARGS"))
    rest += split_words(cmd.getenv(f"TF_CLI_ARGS_{sub}"))
    return tf_ops(cmd, sub, rest, terraform_root(cmd, chdir))


def terraform_root(cmd: Command, chdir: str | None, kind: str = "terraform-workspace") -> Root:
    path = join_dir(cmd.cwd, chdir)
    ws = cmd.getenv("TF_WORKSPACE")
    hints = [ws, path] + [cmd.getenv(f"TF_VAR_{v}") for v in sorted(_ENV_VARS)]
    tags = frozenset({"dynamic-target"}) if chdir and is_dynamic_word(chdir) else frozenset()
    scope = [(k, v) for k, v in (("workspace", ws), *cloud_scope(cmd).items()) if v]
    return Root(
        kind=kind,
        name=ws or path or ".",
        scope=tuple(scope),
        hints=tuple(h for h in hints if h),
        tags=tags,
    )


def tf_ops(cmd: Command, sub: str, rest: list[str], root: Root) -> list[Operation]:
    """What Terraform subcommand `sub` with arguments `rest` does to `root`."""
    args = go_flags(rest, TF_VALUE_FLAGS)
    root = root.with_hints(*_var_hints(args))
    if args.has("-help", "-h"):
        return [read(cmd, sub)]
    handler = _HANDLERS.get(sub)
    if handler is not None:
        ops = handler(cmd, sub, args, root)
    elif sub in _READ_SUBS:
        ops = [read(cmd, sub, [root.make(cmd)], *_plan_tags(sub, args))]
    else:
        ops = [unknown(cmd, sub)]
    return [o.with_tags(*root.tags) for o in ops] if root.tags else ops


def _var_hints(args: Args) -> list[str]:
    hints = list(args.values("-var-file", "-state", "-state-out"))
    for v in args.values("-var"):
        key, _, val = v.partition("=")
        if key.strip().lower() in _ENV_VARS:
            hints.append(val)
    return hints


def _plan_tags(sub: str, args: Args) -> list[str]:
    if sub == "plan" and flag_on(args, "-destroy"):
        return ["destroy-plan"]
    return []


def _apply(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
    tags = _apply_tags(cmd, sub, args)
    addrs = args.values("-target", "-replace")
    targets = [root.make(cmd), *(root.make(cmd, "terraform-resource", a) for a in addrs)]
    if sub == "destroy" or flag_on(args, "-destroy") or _destroy_plan(args):
        if "targeted" not in tags:
            tags.add("teardown")
        what = "everything" if "teardown" in tags else ", ".join(args.values("-target"))
        return [
            op(cmd, "destroy", Effect.DESTROY, targets, tags, f"destroys {what} in {root.where()}")
        ]
    replaced = args.values("-replace")
    if replaced:
        tags.add("replace")
        if any(_stateful(a) for a in replaced):
            tags.add("stateful")
        summary = f"replaces (deletes and recreates) `{'`, `'.join(replaced)}` in {root.where()}"
        return [op(cmd, "replace", Effect.DESTROY, targets, tags, summary)]
    if "saved-plan" in tags:
        return [
            op(cmd, "apply", Effect.WRITE, targets, tags, f"applies saved plan `{args.pos[0]}`")
        ]
    return [op(cmd, "apply", Effect.WRITE, targets, tags, f"applies changes in {root.where()}")]


def _apply_tags(cmd: Command, sub: str, args: Args) -> set[str]:
    tags: set[str] = set()
    if flag_on(args, "-auto-approve") or fed_yes(cmd):
        tags.add("auto-approve")
    if sub == "apply" and args.pos:
        tags |= {"saved-plan", "auto-approve"}  # a saved plan applies without a prompt
    if args.has("-target", "-exclude"):
        tags.add("targeted")
    if flag_on(args, "-refresh-only"):
        tags.add("refresh-only")
    if args.has("-lock") and not flag_on(args, "-lock"):
        tags.add("no-lock")
    return tags


def _destroy_plan(args: Args) -> bool:
    """A saved plan named for destruction (`terraform apply destroy.tfplan`) most likely is one."""
    return bool(args.pos) and "destroy" in args.pos[0].lower()


def _stateful(address: str) -> bool:
    """Whether the resource at `address` holds data (the type table in `parse/tftypes.py`)."""
    return is_stateful(type_of(address))


def _init(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
    if flag_on(args, "-migrate-state", "-force-copy"):
        tags = ["state-migration"] + (["force"] if flag_on(args, "-force-copy") else [])
        return [op(cmd, "init", Effect.WRITE, [root.make(cmd)], tags, "migrates Terraform state")]
    return [read(cmd, "init", [root.make(cmd)])]


# state subcommand → (action, effect); `-dry-run` makes rm and mv reads.
_STATE: dict[str, tuple[str, Effect]] = {
    "rm": ("state-rm", Effect.DESTROY),
    "mv": ("state-mv", Effect.WRITE),
    "push": ("state-push", Effect.DESTROY),
    "replace-provider": ("state-replace-provider", Effect.WRITE),
}


def _state(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
    verb, names = (args.pos[0], args.pos[1:]) if args.pos else ("", [])
    if verb not in _STATE:
        return [read(cmd, f"state {verb}".strip(), [root.make(cmd)])]
    action, effect = _STATE[verb]
    targets = [root.make(cmd, "terraform-state", n) for n in names] or [root.make(cmd)]
    if flag_on(args, "-dry-run"):
        return [read(cmd, action, targets, "dry-run", "state-surgery")]
    tags = ["state-surgery"] + (["force"] if flag_on(args, "-force") else [])
    summary = f"{verb} in Terraform state of {root.where()}: {' '.join(names)}".rstrip(": ")
    return [op(cmd, action, effect, targets, tags, summary)]


def _workspace(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
    verb = args.pos[0] if args.pos else "show"
    name = args.pos[1] if len(args.pos) > 1 else root.name
    if verb == "delete":
        t = root.make(cmd, "terraform-workspace", name)
        t = Target.make(t.kind, t.name, **{**dict(t.scope), "workspace": name})
        tags = ["force", "teardown"] if flag_on(args, "-force") else []
        return [
            op(cmd, "workspace-delete", Effect.DESTROY, [t], tags, f"deletes workspace `{name}`")
        ]
    if verb in ("new", "select"):
        # Only a local pointer changes; naming the workspace in scope would make it look like prod.
        t = target(cmd, "terraform-workspace", name, Tier.LOCAL)
        return [op(cmd, f"workspace-{verb}", Effect.WRITE, [t], (), f"{verb}s workspace `{name}`")]
    return [read(cmd, f"workspace {verb}", [root.make(cmd)])]


def _addressed(action: str, effect: Effect, *tags: str) -> Handler:
    """A subcommand acting on the resource address given first (`taint ADDR`, `import ADDR ID`)."""

    def handle(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
        addr = args.pos[0] if args.pos else ""
        targets = [root.make(cmd, "terraform-resource", addr)] if addr else [root.make(cmd)]
        return [op(cmd, action, effect, targets, tags, f"{sub} `{addr}` in {root.where()}")]

    return handle


def _plain(action: str, effect: Effect, *tags: str) -> Handler:
    def handle(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
        if flag_on(args, "-dry-run"):
            return [read(cmd, action, [root.make(cmd)], "dry-run")]
        return [op(cmd, action, effect, [root.make(cmd)], tags, f"{sub} in {root.where()}")]

    return handle


def _credentials(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
    host = args.pos[0] if args.pos else "app.terraform.io"
    t = target(cmd, "terraform-credentials", host, Tier.LOCAL)
    return [op(cmd, sub, Effect.WRITE, [t], (), f"{sub} to `{host}` (local credentials)")]


def _test(cmd: Command, sub: str, args: Args, root: Root) -> list[Operation]:
    summary = "runs Terraform tests (creates and destroys real infrastructure)"
    return [op(cmd, "test", Effect.WRITE, [root.make(cmd)], (), summary)]


Handler = Callable[[Command, str, Args, Root], list[Operation]]

_HANDLERS: dict[str, Handler] = {
    "apply": _apply,
    "destroy": _apply,
    "init": _init,
    "state": _state,
    "workspace": _workspace,
    "env": _workspace,  # the pre-0.12 name of `workspace`
    "import": _addressed("import", Effect.WRITE),
    "taint": _addressed("taint", Effect.WRITE, "forces-replacement"),
    "untaint": _addressed("untaint", Effect.WRITE),
    "force-unlock": _plain("force-unlock", Effect.WRITE, "force"),
    "refresh": _plain("refresh", Effect.WRITE),
    "login": _credentials,
    "logout": _credentials,
    "test": _test,
}
