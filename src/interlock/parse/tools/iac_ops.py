"""Configuration and orchestration tools: Ansible, Packer, Nomad, Consul, Terramate, linters.

Ansible runs code we cannot see (a playbook) unless it only checks (`--check`, `--list-*`);
an ad-hoc `ansible web -m shell -a 'rm -rf /data'` is analyzed as shell on host `web`.
Nomad and Consul are read by verb: `delete`/`purge`/`restore` destroy, `put`/`run` write.
"""

from __future__ import annotations

import shlex
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target, Tier
from interlock.parse.args import Args, parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.iac_common import (
    env_hint,
    flag_on,
    go_flags,
    join_dir,
    op,
    read,
    target,
    unknown,
)

_ANSIBLE_VALUE = frozenset({
    "-i", "--inventory", "--inventory-file", "-l", "--limit", "-e", "--extra-vars", "-t",
    "--tags", "--skip-tags", "-u", "--user", "--become-user", "--become-method", "-f",
    "--forks", "-M", "--module-path", "--vault-password-file", "--vault-id", "--private-key",
    "--key-file", "-c", "--connection", "-T", "--timeout", "--start-at-task", "-m",
    "--module-name", "-a", "--args", "-B", "--background", "-P", "--poll", "-U", "--url",
    "-d", "--directory", "-C", "--checkout", "--ssh-common-args", "--ssh-extra-args",
    "--become-password-file", "--connection-password-file", "--playbook-dir", "-o"
})  # fmt: skip
_ANSIBLE_READ_FLAGS = ("--check", "--syntax-check", "--list-hosts", "--list-tasks", "--list-tags",
                       "--version", "--help", "-h")  # fmt: skip
_SHELL_MODULES = frozenset({"command", "shell", "raw", "win_shell", "win_command", "script"})
# Modules that power hosts off, judged as the shell command would be over ssh.
_POWER_MODULES = {"reboot": "reboot", "win_reboot": "reboot", "shutdown": "shutdown -h now",
                  "win_shutdown": "shutdown -h now"}  # fmt: skip
_READ_MODULES = frozenset({
    "ping", "setup", "debug", "gather_facts", "stat", "slurp", "fetch", "service_facts",
    "package_facts", "win_ping", "assert", "wait_for", "find", "getent", "ec2_metadata_facts",
})  # fmt: skip


def _is_env_key(assignment: str) -> bool:
    key = assignment.partition("=")[0].strip().lower()
    return key in ("env", "environment", "stage", "target_env", "deploy_env")


def analyze_ansible(cmd: Command, ctx: Context) -> list[Operation]:
    args = parse_args(cmd.args, _ANSIBLE_VALUE)
    check = args.has(*_ANSIBLE_READ_FLAGS) or (cmd.program != "ansible-pull" and args.has("-C"))
    inv = args.values("-i", "--inventory", "--inventory-file")
    extra = [v.partition("=")[2] for v in args.values("-e", "--extra-vars") if _is_env_key(v)]
    limit = args.value("-l", "--limit")
    tags = ["privileged"] if args.has("-b", "--become") else []
    if cmd.program == "ansible":
        return _adhoc(cmd, ctx, args, check, [*inv, *extra])
    name = limit or (inv[-1] if inv else "(inventory)")
    hint = env_hint([*extra, *inv, limit, *args.pos])
    t = target(cmd, "ansible-inventory", name, env=hint)
    if check:
        return [read(cmd, "playbook", [t], "dry-run")]
    if cmd.program == "ansible-pull":
        return [
            op(
                cmd,
                "pull",
                Effect.UNKNOWN,
                [t],
                [*tags, "remote-code"],
                "runs a playbook from a repository",
            )
        ]
    books = " ".join(args.pos) or "(playbook)"
    return [op(cmd, "playbook", Effect.UNKNOWN, [t], tags, f"runs playbook {books} on `{name}`")]


def _adhoc(
    cmd: Command, ctx: Context, args: Args, check: bool, hints: list[str]
) -> list[Operation]:
    pattern = args.pos[0] if args.pos else "all"
    module = (args.value("-m", "--module-name") or "command").rsplit(".", 1)[-1]
    margs = args.value("-a", "--args") or ""
    hint = env_hint([*hints, pattern])
    t = target(cmd, "ansible-hosts", pattern, host=pattern, env=hint)
    tags = ["all"] if pattern in ("all", "*") else []
    if check or module in _READ_MODULES:
        return [read(cmd, f"module {module}", [t], *(["dry-run"] if check else []))]
    if (module in _SHELL_MODULES and margs) or module in _POWER_MODULES:
        # The inventory names the environment; the host label carries it to the inner command.
        host = f"{pattern} ({hint})" if hint and hint not in pattern else pattern
        inner = ctx.shell(_POWER_MODULES.get(module) or margs, replace(cmd, host=host))
        if inner:
            return [o.with_tags(*tags) for o in inner]
    effect = Effect.DESTROY if "state=absent" in margs.replace(" ", "") else Effect.WRITE
    if module in _SHELL_MODULES:
        effect = Effect.UNKNOWN
    return [op(cmd, f"module-{module}", effect, [t], tags, f"runs module {module} on `{pattern}`")]


# ---- Packer ---------------------------------------------------------------------------------

_PACKER_VALUE = frozenset({"-var", "-var-file", "-only", "-except", "-parallel-builds",
                           "-on-error", "-machine-readable"})  # fmt: skip


def analyze_packer(cmd: Command) -> list[Operation]:
    args = go_flags(cmd.args, _PACKER_VALUE)
    verb = args.pos[0] if args.pos else "help"
    if verb != "build" or args.has("-help", "-h"):
        return [read(cmd, verb)]
    vars_ = [
        v.partition("=")[2]
        for v in args.values("-var")
        if v.partition("=")[0] in ("env", "environment")
    ]
    tmpl = args.pos[1] if len(args.pos) > 1 else "."
    t = target(cmd, "packer-template", tmpl, env=env_hint([*vars_, *args.values("-var-file")]))
    tags = ["force"] if flag_on(args, "-force") else []
    return [op(cmd, "build", Effect.WRITE, [t], tags, f"builds machine images from `{tmpl}`")]


# ---- Nomad and Consul -----------------------------------------------------------------------

_HASHI_VALUE = frozenset({
    "-address", "-http-addr", "-region", "-namespace", "-token", "-ca-cert", "-client-cert",
    "-client-key", "-tls-server-name", "-var", "-var-file", "-deadline", "-meta", "-group",
    "-task", "-job", "-type", "-filter", "-t", "-datacenter", "-partition", "-name", "-policy",
    "-description", "-rules", "-cas", "-modify-index", "-separator", "-node", "-service",
    "-id", "-accessor-id", "-peer", "-prefix", "-format", "-output", "-per-page", "-page-token",
})  # fmt: skip
_DESTROY_VERBS = frozenset({"delete", "purge", "deregister", "remove-peer", "destroy", "restore"})
_WRITE_VERBS = frozenset({
    "run", "stop", "put", "import", "apply", "create", "update", "register", "revert", "dispatch",
    "scale", "restart", "promote", "fail", "pause", "resume", "unblock", "drain", "eligibility",
    "signal", "gc", "reconcile", "force-leave", "join", "leave", "reload", "maint", "event",
    "bootstrap", "set-config", "rotate", "install", "use", "detach", "upsert", "write", "lock",
    "agent", "force", "init-ca", "set", "edit", "establish", "generate",
})  # fmt: skip


def analyze_hashi(cmd: Command, ctx: Context) -> list[Operation]:
    """`nomad` and `consul`: classify by the first verb among the leading words."""
    args = go_flags(cmd.args, _HASHI_VALUE)
    if args.has("-help", "-h") or not args.pos:
        return [read(cmd, "help")]
    words = args.pos[:3]
    if "exec" in words or (cmd.program == "consul" and words[0] == "lock"):
        return _hashi_exec(cmd, ctx)
    verb = next((w for w in words if w in _DESTROY_VERBS or w in _WRITE_VERBS), None)
    verb = verb or ("keyring" if "keyring" in words and args.has("-remove") else None)
    action = " ".join(words[: words.index(verb) + 1]) if verb in words else " ".join(words[:2])
    t = _hashi_target(cmd, args, args.pos[len(action.split()) :])
    if verb is None:
        return [read(cmd, action, [t])]
    effect = Effect.DESTROY if verb in _DESTROY_VERBS or verb == "keyring" else Effect.WRITE
    tags = _hashi_tags(cmd, args, verb, effect)
    if "purge" in tags or "zero" in tags:
        effect = Effect.DESTROY
    if verb == "agent":
        t = target(
            cmd,
            f"{cmd.program}-agent",
            "agent",
            Tier.LOCAL if flag_on(args, "-dev") else Tier.UNKNOWN,
        )
    return [
        op(
            cmd,
            action.replace(" ", "-"),
            effect,
            [t],
            tags,
            f"{cmd.program} {action} {t.name}".strip(),
        )
    ]


def _hashi_tags(cmd: Command, args: Args, verb: str, effect: Effect) -> list[str]:
    tags = []
    if flag_on(args, "-purge"):
        tags.append("purge")
    if flag_on(args, "-recurse"):
        tags.append("recursive")
        key = next((p for p in args.pos[2:]), "")
        if key in ("", "/"):
            tags.append("all")
    if flag_on(args, "-force", "-f"):
        tags.append("force")
    if effect is Effect.DESTROY and verb == "restore":
        tags.append("overwrite")
    if verb == "scale" and args.pos[-1:] == ["0"]:
        tags.append("zero")  # `nomad job scale web 0` stops every allocation
    if verb == "drain" and flag_on(args, "-enable"):
        tags.append("evict")
    return tags


def _hashi_target(cmd: Command, args: Args, names: list[str]) -> Target:
    prog = cmd.program
    upper = prog.upper()
    url = (
        args.value("-address", "-http-addr")
        or cmd.getenv(f"{upper}_ADDR")
        or cmd.getenv(f"{upper}_HTTP_ADDR")
    )
    ns = args.value("-namespace") or cmd.getenv(f"{upper}_NAMESPACE")
    region = args.value("-region") or cmd.getenv(f"{upper}_REGION")
    dc = args.value("-datacenter")
    name = names[0] if names else "(cluster)"
    env = env_hint([url, ns, region, dc, name])
    return target(
        cmd, f"{prog}-object", name, url=url, namespace=ns, region=region, cluster=dc, env=env
    )


def _hashi_exec(cmd: Command, ctx: Context) -> list[Operation]:
    """`nomad alloc exec [flags] ALLOC CMD…`, `consul exec [flags] CMD…`, `consul lock P CMD…`."""
    words = list(cmd.args)
    verb = "exec" if "exec" in words else "lock"
    rest = go_flags(words[words.index(verb) + 1 :], _HASHI_VALUE | {"-task", "-job"}, stop=True).pos
    named = cmd.program == "nomad" or verb == "lock"
    host = rest[0] if cmd.program == "nomad" and rest else f"{cmd.program}-nodes"
    inner = rest[1:] if named else rest
    text = inner[0] if len(inner) == 1 else shlex.join(inner)
    ops = ctx.shell(text, replace(cmd, host=host)) if inner else []
    return ops or [unknown(cmd, verb)]


# ---- Terramate and linters ------------------------------------------------------------------

_TM_VALUE = frozenset({"-C", "--chdir", "--tags", "--parallel", "-j", "--git-change-base", "-B",
                       "--target", "--from-target", "--terraform-plan-file", "--tofu-plan-file",
                       "--disable-safeguards", "--eval", "--status", "--no-tags"})  # fmt: skip


def analyze_terramate(cmd: Command, ctx: Context) -> list[Operation]:
    head = parse_args(cmd.args, _TM_VALUE, stop_at_first_positional=True)
    verb = head.pos[0] if head.pos else "help"
    if verb == "script" and head.pos[1:2] == ["run"]:
        return [
            op(
                cmd,
                "script-run",
                Effect.UNKNOWN,
                (),
                ["bulk"],
                "runs a Terramate script in every stack",
            )
        ]
    if verb != "run":
        return [read(cmd, verb)]
    args = parse_args(
        cmd.args[cmd.args.index("run") + 1 :], _TM_VALUE, stop_at_first_positional=True
    )
    args.opts.update(head.opts)
    if args.has("--dry-run"):
        return [read(cmd, "run", (), "dry-run")]
    words = args.after_dashdash or args.pos
    cwd = join_dir(cmd.cwd, args.value("-C", "--chdir"))
    inner = ctx.shell(shlex.join(words), replace(cmd, cwd=cwd)) if words else []
    return [o.with_tags("bulk") for o in inner] or [unknown(cmd, "run", "bulk")]


def analyze_linter(cmd: Command) -> list[Operation]:
    """`tflint`, `terraform-docs`: read configuration, at most rewrite local files."""
    return [read(cmd, cmd.args[0] if cmd.args else "lint")]
