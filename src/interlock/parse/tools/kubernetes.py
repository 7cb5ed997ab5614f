"""Kubernetes family: kubectl/oc, helm, kustomize, local clusters, eksctl, kubeadm, GitOps and
mesh tools.

The work is split by tool into `k8s_*.py`; this module only dispatches on the program name and
imports a tool's module the first time that tool is seen.
"""

from __future__ import annotations

import importlib
import shlex
from collections.abc import Callable
from dataclasses import replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools.k8s_common import unknown_op

# Read-only linters and explorers of manifests and clusters.
CHECKERS = ("kubeconform", "kubeval", "kube-score", "kube-linter", "popeye", "kubent",
            "kubectl-neat", "kubectl-who-can", "kor", "ytt")  # fmt: skip
_BY_PROGRAM: dict[str, tuple[str, str]] = {
    "kubectl": ("kubernetes", "_kubectl"),
    "oc": ("kubernetes", "_kubectl"),
    "k": ("kubernetes", "_kubectl"),
    "minikube": ("kubernetes", "_minikube"),
    "helm": ("k8s_helm", "analyze"),
    "kustomize": ("k8s_clusters", "analyze_kustomize"),
    "kind": ("k8s_clusters", "analyze_local"),
    "k3d": ("k8s_clusters", "analyze_local"),
    "eksctl": ("k8s_clusters", "analyze_eksctl"),
    "kubeadm": ("k8s_clusters", "analyze_kubeadm"),
    "kubectx": ("k8s_clusters", "analyze_switcher"),
    "kubens": ("k8s_clusters", "analyze_switcher"),
    "k9s": ("k8s_clusters", "analyze_k9s"),
    "argocd": ("k8s_addons", "analyze_argocd"),
    "flux": ("k8s_addons", "analyze_flux"),
    "velero": ("k8s_addons", "analyze_velero"),
    "istioctl": ("k8s_addons", "analyze_istioctl"),
    "linkerd": ("k8s_addons", "analyze_linkerd"),
    "skaffold": ("k8s_addons", "analyze_devloop"),
    "tilt": ("k8s_addons", "analyze_devloop"),
    "helmfile": ("k8s_tools", "analyze_helmfile"),
    "kapp": ("k8s_tools", "analyze_kapp"),
    "kubecfg": ("k8s_tools", "analyze_kubecfg"),
    "kubeseal": ("k8s_tools", "analyze_kubeseal"),
    "stern": ("k8s_tools", "analyze_stern"),
    "kops": ("k8s_more", "analyze_kops"),
    "crossplane": ("k8s_more", "analyze_crossplane"),
    **{p: ("k8s_more", "analyze_checker") for p in CHECKERS},
}
_loaded: dict[str, Callable[[Command], list[Operation]]] = {}
# Inner programs not analyzed again here: nested execs and shells (`sh -c` is read statically).
_NOT_REREAD = frozenset({"kubectl", "oc", "k", "sh", "bash"})


def _kubectl(cmd: Command) -> list[Operation]:
    from interlock.parse.tools import k8s_kubectl, k8s_oc

    return k8s_kubectl.analyze(cmd, k8s_oc.ALL_HANDLERS, k8s_oc.plugin)


def _minikube(cmd: Command) -> list[Operation]:
    """`minikube kubectl -- ARGS` is kubectl against the minikube context."""
    args = cmd.args
    if args[:1] == ("kubectl",):
        rest = args[2:] if args[1:2] == ("--",) else args[1:]
        inner = Command(argv=("kubectl", *rest, "--context", "minikube"), env=cmd.env,
                        stdin=cmd.stdin, host=cmd.host, via=cmd.via, text=cmd.text)  # fmt: skip
        return _kubectl(inner)
    from interlock.parse.tools.k8s_clusters import analyze_local

    return analyze_local(cmd)


def _exec_read(cmd: Command, ctx: Context, op: Operation) -> Operation:
    """`kubectl exec POD -- psql -c 'select …'` only reads when the command it runs only reads.

    The walker reports the inner command as well; this decides only what the exec itself is."""
    inner = cmd.args[cmd.args.index("--") + 1 :]
    # Only at the top level and not for a nested `kubectl exec`: each level would analyze again.
    if not inner or ctx.depth >= 1 or op.effect is not Effect.WRITE or inner[0] in _NOT_REREAD:
        return op
    where = op.targets[0].name if op.targets else "?"
    found = ctx.shell(shlex.join(inner), replace(cmd, host=f"pod:{where}"))
    if not found or any(o.effect is not Effect.READ for o in found):
        return op
    return replace(op, effect=Effect.READ, summary=f"reads in {where} (`{inner[0]}`)")


def _handler(program: str) -> Callable[[Command], list[Operation]] | None:
    fn = _loaded.get(program)
    if fn is None and program in _BY_PROGRAM:
        mod, name = _BY_PROGRAM[program]
        fn = getattr(importlib.import_module(f"interlock.parse.tools.{mod}"), name)
        _loaded[program] = fn
    return fn


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    # An exception here is a bug: let it reach the walker, which fails closed (internal-error).
    if cmd.program == "kubie":  # runs commands of its own: it needs the walker
        from interlock.parse.tools.k8s_more import analyze_kubie

        return analyze_kubie(cmd, ctx)
    fn = _handler(cmd.program)
    ops = fn(cmd) if fn else []
    if "--" in cmd.args and any(o.action == "exec" and o.effect is Effect.WRITE for o in ops):
        ops = [_exec_read(cmd, ctx, o) if o.action == "exec" else o for o in ops]
    if not ops:
        t = Target.make("cluster", "current", host=cmd.host)
        ops = [unknown_op(cmd, f"runs `{cmd.program}` in a way we could not read", [t])]
    return ops
