"""OpenShift-only verbs (`oc project`, `oc adm …`, `oc idle`) and kubectl plugins."""

from __future__ import annotations

from collections.abc import Callable

from interlock.model import Effect, Operation
from interlock.parse.tools.k8s_common import DESTRUCTIVE_WORDS, describe, local_target, wordset
from interlock.parse.tools.k8s_kubectl import (
    HANDLERS,
    Kube,
    _certificate,
    _cp,
    _into,
    _nodes,
    _write,
    resource_targets,
)

_CONFIG_READ = frozenset({"view", "get-contexts", "get-clusters", "get-users", "current-context"})
_CONFIG_DELETE = frozenset({"delete-context", "delete-cluster", "delete-user"})


def _config(k: Kube) -> list[Operation]:
    sub = k.rest[0] if k.rest else "view"
    name = k.rest[1] if len(k.rest) > 1 else (k.a.value("--kubeconfig") or "kubeconfig")
    t = [local_target(k.cmd, "kubeconfig", name)]
    if sub in _CONFIG_READ:
        return [k.op(f"config-{sub}", Effect.READ, t, "reads the kubeconfig")]
    if sub in _CONFIG_DELETE:
        return [k.op(f"config-{sub}", Effect.DESTROY, t, f"removes `{name}` from the kubeconfig")]
    return [k.op(f"config-{sub}", Effect.WRITE, t, f"changes the kubeconfig ({sub} `{name}`)")]


def _switch(k: Kube) -> list[Operation]:
    """`oc project X`, `kubectl ctx X`, `kubectl ns X`: change the kubeconfig's current pointer."""
    if not k.rest or k.rest[0] in ("-c", "--current", "-"):
        return [k.op(k.verb, Effect.READ, [], "shows the current context or namespace")]
    t = [local_target(k.cmd, "kubeconfig", k.rest[0])]
    return [k.op(f"switch-{k.verb}", Effect.WRITE, t, f"switches to `{k.rest[0]}`")]


def _session(k: Kube) -> list[Operation]:
    name = k.rest[0] if k.rest else (k.sc.url or "kubeconfig")
    t = [local_target(k.cmd, "kubeconfig", name)]
    return [k.op(k.verb, Effect.WRITE, t, f"{k.verb}: updates the kubeconfig")]


def _new_project(k: Kube) -> list[Operation]:
    t = [k.sc.target("namespace", k.rest[0] if k.rest else "?")]
    return [k.op("create", Effect.WRITE, t, f"creates {describe(t)}")]


def _idle(k: Kube) -> list[Operation]:
    words = [w if "/" in w else f"service/{w}" for w in k.rest]
    targets = resource_targets(k, words) or [k.sc.target("service", k.selector() or "*")]
    return [
        k.op(
            "scale", Effect.DESTROY, targets, f"idles (scales to zero) {describe(targets)}", "zero"
        )
    ]


def _rsh(k: Kube) -> list[Operation]:
    return _into(k)


def _extract(k: Kube) -> list[Operation]:
    targets = resource_targets(k)
    return [k.op("extract", Effect.READ, targets, f"copies {describe(targets)} to local files")]


def _adm(k: Kube) -> list[Operation]:
    inner = k.sub()
    v = inner.verb
    if v in ("drain", "cordon", "uncordon", "taint"):
        return _nodes(inner)
    if v == "certificate":
        return _certificate(inner)
    if v in ("top", "node-logs", "inspect", "who-can") or (
        v == "release" and inner.rest[:1] == ["info"]
    ):
        return [k.op(f"adm-{v}", Effect.READ, [], f"reads ({v})")]
    if v == "prune":
        return _prune(inner)
    if v == "upgrade" and not (inner.rest or inner.a.has("--to", "--to-latest", "--to-image")):
        return [k.op("adm-upgrade", Effect.READ, [], "shows available cluster upgrades")]
    tags = ("privileged",) if "cluster-admin" in inner.rest else ()
    t = [k.sc.target("cluster", k.sc.context or "current")]
    return [k.op(f"adm-{v}", Effect.WRITE, t, f"changes the cluster (`oc adm {v}`)", *tags)]


def _prune(k: Kube) -> list[Operation]:
    what = k.rest[0] if k.rest else "objects"
    t = [k.sc.target(what, "*")]
    confirm = k.a.opts.get("--confirm")
    if not confirm or confirm[-1] == "false":
        return [k.op("prune", Effect.READ, t, f"lists {what} that would be pruned", "dry-run")]
    return [k.op("prune", Effect.DESTROY, t, f"prunes old {what}", "all")]


def _policy(k: Kube) -> list[Operation]:
    if k.rest[:1] in (["who-can"], ["scc-review"], ["scc-subject-review"]):
        return [k.op("policy", Effect.READ, [], "checks authorization")]
    tags = ("privileged",) if "cluster-admin" in k.rest else ()
    t = [k.sc.target("rolebinding", k.rest[1] if len(k.rest) > 1 else "?")]
    return [k.op("policy", Effect.WRITE, t, f"changes RBAC (`{' '.join(k.rest[:3])}`)", *tags)]


def _oc_write(k: Kube) -> list[Operation]:
    return _write(k, None, k.verb)


OC_HANDLERS: dict[str, Callable[[Kube], list[Operation]]] = {
    "config": _config,
    "project": _switch,
    "login": _session,
    "logout": _session,
    "new-project": _new_project,
    "new-app": _oc_write,
    "new-build": _oc_write,
    "start-build": _oc_write,
    "cancel-build": _oc_write,
    "import-image": _oc_write,
    "tag": _oc_write,
    "rollback": _oc_write,
    "secrets": _oc_write,
    "image": _oc_write,
    "idle": _idle,
    "rsh": _rsh,
    "rsync": _cp,
    "extract": _extract,
    "adm": _adm,
    "policy": _policy,
}

ALL_HANDLERS = {**HANDLERS, **OC_HANDLERS}

READ_PLUGINS = wordset(
    """neat tree whoami view-secret view-allocations resource-capacity df-pv get-all ktop images
    who-can access-matrix lineage graph stern tail view-utilization outdated popeye deprecations
    rbac-lookup np-viewer explore sick-pods kubesec-scan score view-cert view-quotas
    count"""
)
_ROLLOUT_READ = frozenset({"get", "list", "status", "version", "lint", "dashboard"})


def plugin(k: Kube) -> list[Operation]:
    """A verb kubectl does not know: a plugin from PATH (`kubectl-<verb>`)."""
    name = k.verb
    if name in READ_PLUGINS:
        return [k.op(name, Effect.READ, [], f"runs read-only plugin `{name}`")]
    if name in ("ctx", "ns"):
        return _switch(k)
    if name == "krew":
        sub = k.rest[0] if k.rest else "help"
        effect = (
            Effect.READ if sub in ("list", "search", "info", "version", "help") else Effect.WRITE
        )
        return [
            k.op(
                f"krew-{sub}",
                effect,
                [local_target(k.cmd, "kubectl-plugin", "krew")],
                f"krew {sub}",
            )
        ]
    if name == "argo" and k.rest[:1] == ["rollouts"]:
        return _argo_rollouts(k.sub())
    if name == "node-shell":
        t = [k.sc.target("node", k.rest[0] if k.rest else "?")]
        return [k.op("node-shell", Effect.WRITE, t, "opens a root shell on a node", "privileged")]
    if DESTRUCTIVE_WORDS.intersection(k.rest):
        t = [k.sc.target("resource", k.rest[-1] if k.rest else "?")]
        return [k.op(name, Effect.DESTROY, t, f"runs a deleting kubectl plugin (`{name}`)")]
    sub = k.rest[0] if k.rest else ""
    if sub in PLUGIN_READ_SUBS:
        return [k.op(f"{name}-{sub}", Effect.READ, [], f"runs `kubectl {name} {sub}` (reads)")]
    if sub in PLUGIN_WRITE_SUBS:
        t = [k.sc.target("resource", k.rest[1] if len(k.rest) > 1 else "?")]
        return [k.op(f"{name}-{sub}", Effect.WRITE, t, f"runs `kubectl {name} {sub}`")]
    return [k.op(name, Effect.UNKNOWN, [], f"runs kubectl plugin `{name}`")]


# Subcommands of plugins we do not model one by one (`kubectl cnpg status`, `kubectl virt stop`).
PLUGIN_READ_SUBS = wordset(
    """status get list ls describe check tree report version logs show info inspect explain
    view diff lint validate top fio"""
)
PLUGIN_WRITE_SUBS = wordset(
    """promote stop start restart pause unpause resume suspend renew reload hibernate
    backup fencing maintenance migrate install upgrade"""
)


def _argo_rollouts(k: Kube) -> list[Operation]:
    sub = k.rest[0] if k.rest else ""
    words = k.rest[1:2]
    targets = [k.sc.target("rollout", words[0])] if words else []
    if sub in _ROLLOUT_READ:
        return [k.op(f"rollouts-{sub}", Effect.READ, targets, "reads rollouts")]
    if sub == "delete":
        return [k.op("delete", Effect.DESTROY, targets, f"deletes {describe(targets)}")]
    return [k.op(f"rollouts-{sub}", Effect.WRITE, targets, f"{sub}: changes {describe(targets)}")]
