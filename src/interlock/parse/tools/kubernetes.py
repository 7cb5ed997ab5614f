"""Kubernetes family: kubectl/oc, helm, kustomize, local clusters, eksctl, kubeadm, GitOps and
mesh tools.

The work is split by tool into `k8s_*.py`; this module only dispatches on the program name and
imports a tool's module the first time that tool is seen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from interlock.model import Command, Operation, Target
from interlock.parse.tools import Context
from interlock.parse.tools.k8s_common import unknown_op

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
}
_loaded: dict[str, Callable[[Command], list[Operation]]] = {}


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


def _handler(program: str) -> Callable[[Command], list[Operation]] | None:
    fn = _loaded.get(program)
    if fn is None and program in _BY_PROGRAM:
        mod, name = _BY_PROGRAM[program]
        fn = getattr(importlib.import_module(f"interlock.parse.tools.{mod}"), name)
        _loaded[program] = fn
    return fn


def analyze(cmd: Command, ctx: Context) -> list[Operation]:
    # An exception here is a bug: let it reach the walker, which fails closed (internal-error).
    fn = _handler(cmd.program)
    ops = fn(cmd) if fn else []
    if not ops:
        t = Target.make("cluster", "current", host=cmd.host)
        ops = [unknown_op(cmd, f"runs `{cmd.program}` in a way we could not read", [t])]
    return ops
