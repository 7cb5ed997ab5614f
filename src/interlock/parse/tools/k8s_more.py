"""Cluster lifecycle and companion CLIs: kops, kubie, crossplane and read-only checkers.

kops previews unless told `--yes`: `kops update cluster`, `rolling-update`, `upgrade` and
`delete` only print what they would do without it. kubie switches context in a sub-shell and
`kubie exec CTX NS CMD…` runs a command there. The checkers (kubeconform, kube-score, popeye,
kubent …) only read manifests or the cluster.
"""

from __future__ import annotations

from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import parse_args
from interlock.parse.tools import Context
from interlock.parse.tools.k8s_common import local_target, make_op, read_op, unknown_op, wordset

_KOPS_TV = wordset(
    """--name --state -v --config -o --output --zones --master-zones --node-count --node-size
    --master-size --control-plane-size --control-plane-zones --networking --topology --image
    --kubernetes-version -f --filename --instance-group --target --out --dns-zone
    --cloud --ssh-public-key --admin --user --validation-timeout --interval"""
)
_KOPS_READ = frozenset({"get", "validate", "version", "completion", "help", "toolbox"})
_KOPS_PREVIEW = frozenset({"update", "rolling-update", "upgrade", "delete"})
_KOPS_NOUNS = {"ig": "instancegroup", "instancegroups": "instancegroup", "clusters": "cluster"}


def analyze_kops(cmd: Command) -> list[Operation]:
    a = parse_args(cmd.args, _KOPS_TV, bundle=True)
    if a.has("-h", "--help") or not a.pos or a.pos[0] in _KOPS_READ:
        return [read_op(cmd, a.pos[0] if a.pos else "help", what="reads kops clusters")]
    verb, rest = a.pos[0], a.pos[1:]
    noun = _KOPS_NOUNS.get(rest[0], rest[0]) if rest else "cluster"
    cluster = a.value("--name") or cmd.getenv("KOPS_CLUSTER_NAME")
    name = (rest[1] if len(rest) > 1 else None) or cluster or a.value("-f", "--filename") or "?"
    state = a.value("--state") or cmd.getenv("KOPS_STATE_STORE")
    t = [Target.make(noun, name, cluster=cluster or name, url=state, host=cmd.host)]
    if verb == "export":
        return [make_op(cmd, "export", Effect.WRITE, [local_target(cmd, "kubeconfig", name)],
                        summary=f"writes the kubeconfig of `{name}`")]  # fmt: skip
    if verb in _KOPS_PREVIEW and not a.has("--yes", "-y"):
        return [make_op(cmd, verb, Effect.READ, t, ("dry-run",), f"previews `kops {verb}`")]
    if verb == "delete":
        return [make_op(cmd, "delete", Effect.DESTROY, t, summary=f"deletes {noun} `{name}`")]
    tags = ("force",) if a.has("--force", "--cloudonly") else ()
    summary = {"rolling-update": f"replaces every node of `{name}` one by one"}.get(verb, "")
    return [make_op(cmd, verb, Effect.WRITE, t, tags, summary or f"kops {verb} {noun} `{name}`")]


def analyze_kubie(cmd: Command, ctx: Context) -> list[Operation]:
    """`kubie ctx X` / `kubie ns X` open a shell there; `kubie exec CTX NS CMD…` runs CMD."""
    args = list(cmd.args)
    verb = args[0] if args else "help"
    if verb == "exec" and len(args) > 3:
        env = (*cmd.env, ("KUBECONFIG", args[1]))
        inner = [w for w in args[3:] if w not in ("-e", "--exit-early")]
        ops = ctx.shell(" ".join(inner), replace(cmd, env=env)) if inner else []
        return ops or [unknown_op(cmd, "runs a command through `kubie exec`")]
    if verb in ("ctx", "ns") and len(args) > 1 and not args[1].startswith("-"):
        t = [local_target(cmd, "kubeconfig", args[-1])]
        return [
            make_op(cmd, f"switch-{verb}", Effect.WRITE, t, summary=f"switches to `{args[-1]}`")
        ]
    if verb == "edit" or verb == "delete":
        t = [local_target(cmd, "kubeconfig", args[1] if len(args) > 1 else "kubeconfig")]
        effect = Effect.DESTROY if verb == "delete" else Effect.WRITE
        return [make_op(cmd, f"config-{verb}", effect, t, summary=f"kubie {verb}")]
    return [read_op(cmd, verb, what="lists or checks kubeconfig contexts")]


_XP_READ = wordset("trace top validate render convert version help completion build extract init")
_XP_LOCAL = wordset("login logout build init extract")


def analyze_crossplane(cmd: Command) -> list[Operation]:
    """`crossplane beta trace|top|render|validate` read; `xpkg push|install|update` write."""
    a = parse_args(cmd.args, {"-n", "--namespace", "-o", "--output", "-f", "--package-root",
                              "--context", "--kubeconfig", "--domain"})  # fmt: skip
    words = [w for w in a.pos if w not in ("beta", "alpha")]
    xpkg = words[:1] == ["xpkg"]
    verb = words[1] if xpkg and len(words) > 1 else (words[0] if words else "help")
    if a.has("-h", "--help") or (verb in _XP_READ and not (xpkg and verb in _XP_LOCAL - {"build"})):
        return [read_op(cmd, verb, what=f"crossplane {verb} (reads)")]
    pkg = next(iter(words[2:]), "?") if xpkg else "?"
    if xpkg and verb in _XP_LOCAL:
        t = [local_target(cmd, "crossplane-package", pkg)]
        return [make_op(cmd, f"xpkg-{verb}", Effect.WRITE, t, summary=f"xpkg {verb} (local)")]
    kind = "package-registry" if verb == "push" else "crossplane-package"
    t = [Target.make(kind, pkg, context=a.value("--context"), host=cmd.host)]
    return [make_op(cmd, f"xpkg-{verb}", Effect.WRITE, t, summary=f"crossplane xpkg {verb}")]


def analyze_checker(cmd: Command) -> list[Operation]:
    """Linters and read-only explorers of manifests and clusters."""
    return [read_op(cmd, "check", what=f"`{cmd.program}` checks manifests or the cluster")]
