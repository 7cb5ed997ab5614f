"""Tools that run on top of a cluster: argocd, flux, velero, istioctl, linkerd, skaffold, tilt.

Each is a small table: the subcommands that only read, those that delete, and a write default.
"""

from __future__ import annotations

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.k8s_common import (
    Scope,
    describe,
    local_target,
    make_op,
    patch_kind,
    read_op,
    wordset,
)

_TV = wordset(
    """--context --kube-context --kubecontext -n --namespace --kubeconfig --server --auth-token
    --argocd-context --config --header -H --port-forward-namespace --loglevel --logformat -o
    --output -l --selector --project --revision --dest-server --dest-namespace --dest-name --repo
    --path --sync-policy --propagation-policy --resource --timeout --kind --group -N
    --app-namespace --name --source --interval --branch --url --owner --repository --components
    --from-backup --include-namespaces --exclude-namespaces --schedule --ttl --storage-location
    -i --istioNamespace -c -f --filename -r --revision --set -p --profile -d --default-repo -m
    --module -t --tag --port --host --file --existing-resource-policy --level --patch
    --resource-name --patch-type"""
)


def _parse(cmd: Command) -> tuple[Args, Scope]:
    a = parse_args(cmd.args, _TV, bundle=True)
    sc = Scope(
        context=a.value("--context", "--kube-context", "--kubecontext", "--argocd-context"),
        cluster=a.value("--kubeconfig") or cmd.getenv("KUBECONFIG"),
        namespace=a.value("-n", "--namespace", "-N", "--app-namespace"),
        url=a.value("--server"),
        host=cmd.host,
    )
    return a, sc


def _op(cmd: Command, a: Args, action: str, effect: Effect, targets: list[Target], summary: str,
        *tags: str) -> Operation:  # fmt: skip
    if a.has("--dry-run") and effect in (Effect.WRITE, Effect.DESTROY):
        effect, tags, summary = Effect.READ, (*tags, "dry-run"), f"{summary} (dry run)"
    if a.has("--all"):
        tags = (*tags, "all")
    return make_op(cmd, action, effect, targets, tags, summary)


_ARGO_READ = wordset(
    """get list diff history manifests logs resources wait version completion can-i
    get-user-info"""
)
_ARGO_LOCAL = frozenset({"login", "logout", "relogin", "context"})


def analyze_argocd(cmd: Command) -> list[Operation]:
    a, sc = _parse(cmd)
    pos = a.pos
    if a.has("-h", "--help") or not pos or pos[0] in ("version", "completion"):
        return [read_op(cmd, "help", what="reads argocd information")]
    if pos[0] in _ARGO_LOCAL:
        t = [local_target(cmd, "argocd-config", pos[1] if len(pos) > 1 else "argocd")]
        return [make_op(cmd, pos[0], Effect.WRITE, t, summary=f"argocd {pos[0]}")]
    noun, verb, names = pos[0], (pos[1] if len(pos) > 1 else "list"), pos[2:]
    kind = {"app": "application", "appset": "applicationset", "proj": "project"}.get(noun, noun)
    targets = [
        sc.target(f"argocd-{kind}", n) for n in names or [a.value("-l", "--selector") or "?"]
    ]
    if verb in _ARGO_READ or verb.startswith(("list", "get")):
        return [
            make_op(cmd, f"{noun}-{verb}", Effect.READ, targets, summary=f"reads argocd {noun}")
        ]
    if verb in ("delete", "rm", "remove", "delete-resource", "delete-token"):
        tags = ("auto-approve",) if a.has("-y", "--yes") else ()
        return [
            _op(cmd, a, "delete", Effect.DESTROY, targets, f"deletes {describe(targets)}", *tags)
        ]
    if verb == "patch-resource" and patch_kind(a.value("--patch") or "") == "zero":
        s = f"patches a resource of {describe(targets)} to zero replicas"
        return [_op(cmd, a, "scale", Effect.DESTROY, targets, s, "zero")]
    if verb == "sync" and a.has("--prune"):
        s = f"syncs {describe(targets)} and deletes live objects no longer in Git"
        return [_op(cmd, a, "sync", Effect.WRITE, targets, s, "prune", *_force(a))]
    return [_op(cmd, a, verb, Effect.WRITE, targets, f"argocd {noun} {verb} {describe(targets)}",
                *_force(a))]  # fmt: skip


def _force(a: Args) -> tuple[str, ...]:
    return ("force",) if a.has("--force") else ()


_FLUX_READ = wordset(
    """get check version logs tree stats diff export events trace completion build help
    debug"""
)


def analyze_flux(cmd: Command) -> list[Operation]:
    a, sc = _parse(cmd)
    pos = a.pos
    sc = Scope(sc.context, sc.cluster, sc.namespace or "flux-system", sc.url, sc.host)
    if a.has("-h", "--help") or not pos or pos[0] in _FLUX_READ or a.has("--export"):
        return [read_op(cmd, pos[0] if pos else "help", what="reads flux state")]
    verb, rest = pos[0], pos[1:]
    if verb == "uninstall":
        t = [sc.target("flux-installation", sc.context or "current")]
        return [_op(cmd, a, "uninstall", Effect.DESTROY, t, "uninstalls Flux and its CRDs")]
    if rest[:1] == ["source"] or rest[:1] == ["image"]:
        rest = [f"{rest[0]}-{rest[1]}" if len(rest) > 1 else rest[0], *rest[2:]]
    kind = {"ks": "kustomization", "hr": "helmrelease"}.get(rest[0], rest[0]) if rest else "object"
    targets = [sc.target(f"flux-{kind}", n) for n in rest[1:] or ["*"]]
    if verb == "delete":
        return [_op(cmd, a, "delete", Effect.DESTROY, targets, f"deletes {describe(targets)}")]
    return [_op(cmd, a, verb, Effect.WRITE, targets, f"flux {verb} {describe(targets)}")]


_VELERO_NOUNS = frozenset({"backup", "restore", "schedule", "backup-location",
                           "snapshot-location", "plugin", "repo"})  # fmt: skip
_VELERO_READ = frozenset({"get", "describe", "logs", "download", "version", "completion", "bug",
                          "debug", "help"})  # fmt: skip


def analyze_velero(cmd: Command) -> list[Operation]:
    a, sc = _parse(cmd)
    pos = a.pos
    if a.has("-h", "--help") or not pos or pos[0] in _VELERO_READ - {"get", "describe", "logs"}:
        return [read_op(cmd, "help", what="reads velero information")]
    if pos[0] == "uninstall":
        t = [sc.target("velero-installation", sc.context or "current")]
        return [_op(cmd, a, "uninstall", Effect.DESTROY, t, "uninstalls Velero")]
    if pos[0] in _VELERO_NOUNS:
        noun, verb_s = pos[0], (pos[1] if len(pos) > 1 else "get")
    else:  # `velero delete backup x`, `velero create restore …`
        verb_s, noun = pos[0], (pos[1] if len(pos) > 1 else "backup")
    names = pos[2:]
    targets = [sc.target(noun, n) for n in names or [a.value("-l", "--selector") or "*"]]
    if verb_s in _VELERO_READ:
        return [make_op(cmd, verb_s, Effect.READ, targets, summary=f"reads velero {noun}")]
    if verb_s == "delete":
        return [_op(cmd, a, "delete", Effect.DESTROY, targets, f"deletes {describe(targets)}")]
    if noun == "restore" and verb_s == "create":
        over = a.value("--existing-resource-policy") == "update"
        s = "restores a backup into the cluster" + (", updating existing objects" if over else "")
        return [_op(cmd, a, "restore", Effect.WRITE, targets, s, *(("overwrite",) if over else ()))]
    return [_op(cmd, a, verb_s, Effect.WRITE, targets, f"velero {noun} {verb_s}")]


_ISTIO_READ = wordset(
    """analyze proxy-status ps proxy-config pc version verify-install bug-report kube-inject
    validate precheck describe authz check manifest list generate status help completion
    internal-debug profile"""
)


def analyze_istioctl(cmd: Command) -> list[Operation]:
    a, sc = _parse(cmd)
    pos = [w for w in a.pos if w not in ("x", "experimental")]
    if a.has("-h", "--help") or not pos or pos[0] in _ISTIO_READ:
        return [read_op(cmd, pos[0] if pos else "help", what="reads the mesh")]
    verb = pos[1] if pos[0] in ("tag", "waypoint", "admin") and len(pos) > 1 else pos[0]
    if verb in _ISTIO_READ:
        return [read_op(cmd, verb, what="reads the mesh")]
    t = [sc.target("istio-installation", a.value("-r", "--revision") or "default")]
    if verb in ("uninstall", "remove", "delete"):
        tags = ("all",) if a.has("--purge") else ()
        what = f"removes Istio ({' '.join(pos[:2])})"
        return [_op(cmd, a, "uninstall", Effect.DESTROY, t, what, *tags)]
    return [_op(cmd, a, verb, Effect.WRITE, t, f"istioctl {' '.join(pos[:2])}")]


def analyze_linkerd(cmd: Command) -> list[Operation]:
    """linkerd prints manifests for `kubectl apply`; only the dashboard opens a port-forward."""
    a, sc = _parse(cmd)
    if "dashboard" in a.pos:
        t = [sc.target("cluster", sc.context or "current")]
        return [make_op(cmd, "dashboard", Effect.WRITE, t, summary="port-forwards the dashboard")]
    return [read_op(cmd, a.pos[0] if a.pos else "help", what="linkerd prints or checks")]


_SKAFFOLD_READ = frozenset({"render", "diagnose", "version", "schema", "inspect", "help",
                            "completion", "survey", "lint", "config", "fix"})  # fmt: skip
_TILT_READ = frozenset({"get", "describe", "logs", "version", "doctor", "dump", "explain",
                        "wait", "help", "completion"})  # fmt: skip


def analyze_devloop(cmd: Command) -> list[Operation]:
    """skaffold and tilt: build-and-deploy loops; `skaffold delete` / `tilt down` tear down."""
    a, sc = _parse(cmd)
    verb = a.pos[0] if a.pos else "help"
    reads = _SKAFFOLD_READ if cmd.program == "skaffold" else _TILT_READ
    if a.has("-h", "--help") or (verb in reads and not a.has("--overwrite")):
        return [read_op(cmd, verb, what=f"{cmd.program} {verb}")]
    name = a.value("-f", "--filename", "--file") or (
        "skaffold.yaml" if cmd.program == "skaffold" else "Tiltfile"
    )
    t = [Target.make("deploy-config", name, context=sc.context, namespace=sc.namespace,
                     env=a.value("-p", "--profile"), host=cmd.host)]  # fmt: skip
    if verb in ("delete", "down"):
        return [_op(cmd, a, verb, Effect.DESTROY, t, f"tears down what `{name}` deployed")]
    return [_op(cmd, a, verb, Effect.WRITE, t, f"{cmd.program} {verb} `{name}`")]
