"""kubectl and oc: global flags anywhere, resource aliases, and what each verb does.

Verbs are table-driven: `HANDLERS` maps a verb to a function of `Kube` (the parsed call). A
verb not in the table is a plugin (`kubectl neat`, `kubectl cnpg …`), handled in `k8s_oc.py`
with the OpenShift-only verbs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from interlock.model import Command, Effect, Operation, Target
from interlock.parse.args import Args, parse_args
from interlock.parse.tools.k8s_common import (
    Scope,
    as_dry_run,
    canonical_kind,
    describe,
    dynamic_words,
    exec_reads,
    is_dry_run,
    is_system_namespace,
    make_op,
    manifest_refs,
    merge_dry_run,
    patch_kind,
    raw_target,
    read_op,
    refs,
    wordset,
)

TAKES_VALUE = wordset(
    """--context --cluster -n --namespace --kubeconfig --config -s --server --as --as-group
    --as-uid --user --token --certificate-authority --client-certificate --client-key
    --tls-server-name --request-timeout --cache-dir --log-file --log-dir --vmodule -v --v
    --password --username --profile-output --kuberc --loglevel -l --selector --field-selector
    -o --output -f --filename -k --kustomize --grace-period --timeout -c --container --replicas
    --current-replicas --resource-version --template --sort-by -L --label-columns --chunk-size
    --since --since-time --tail --limit-bytes --max-log-requests --field-manager
    --prune-allowlist --prune-whitelist --applyset --image --port --address --type
    --from-literal --from-file --from-env-file --clusterrole --role --serviceaccount --group
    --verb --resource --resource-name -p --patch --patch-file --to-revision --pod-selector
    --min --max --cpu-percent --name --target-port --protocol --external-ip --overrides
    --env -e --labels --restart --image-pull-policy --limits --requests --target --profile
    --copy-to --set-image --for --subresource --raw --schedule --from --docker-server
    --docker-username --docker-password --docker-email --cert --key --duration --output-version
    --pod-running-timeout --skip-wait-for-delete-timeout --session-affinity --load-balancer-ip
    --cluster-ip --generator --selector-template -u --param --to --strategy
    --ignore-errors-timeout --keep-tag-revisions --keep-younger-than --dest-dir --confirm-timeout
    """
)

# Verbs that change nothing anywhere.
READ_VERBS = wordset(
    """get describe logs log top explain api-resources api-versions version cluster-info diff
    wait events kustomize completion options help status whoami projects process plugin"""
)
_READ_NAMED = frozenset({"get", "describe", "top", "wait", "events"})
NO_DRY_RUN = frozenset({"exec", "cp", "port-forward", "attach", "proxy", "debug", "edit", "rsh"})


@dataclass(frozen=True, slots=True)
class Kube:
    cmd: Command
    a: Args
    sc: Scope
    verb: str
    rest: list[str]

    def sub(self, n: int = 1) -> Kube:
        """The same call with the first `n` positionals of `rest` dropped (`rollout restart X`)."""
        verb = self.rest[n - 1] if len(self.rest) >= n else ""
        return replace(self, verb=verb, rest=self.rest[n:])

    def op(
        self, action: str, effect: Effect, targets: list[Target], summary: str, *tags: str
    ) -> Operation:
        return make_op(self.cmd, action, effect, targets, (*self.tags(targets), *tags), summary)

    def tags(self, targets: list[Target]) -> set[str]:
        a, out = self.a, set()
        if a.has("-A", "--all-namespaces"):
            out |= {"all", "all-namespaces"}
        if a.has("--all"):
            out.add("all")
        if a.has("-R", "--recursive"):
            out.add("recursive")
        if a.has("--force") or a.value("--grace-period") == "0":
            out.add("force")
        dyn = dynamic_words(self.cmd)
        scoped = (self.sc.namespace, self.sc.context)
        if dyn and any(w in dyn for w in (*self.rest, *scoped, *(t.name for t in targets))):
            out.add("dynamic-target")
        if any(_system(t) for t in targets):
            out.add("system-namespace")
        return out

    def selector(self) -> str | None:
        return self.a.value("-l", "--selector") or self.a.value("--field-selector")


def _system(t: Target) -> bool:
    return is_system_namespace(t.get("namespace")) or (
        t.kind == "namespace" and is_system_namespace(t.name)
    )


def parse(cmd: Command) -> tuple[Args, Scope]:
    args = merge_dry_run(cmd.args)
    a = parse_args(args, TAKES_VALUE, bundle=True)
    if a.pos[:1] in (["logs"], ["log"]):  # there `-f` is --follow and `-p` is --previous
        a = parse_args(args, TAKES_VALUE - {"-f", "-p"}, bundle=True)
    kubeconfig = a.value("--kubeconfig", "--config") or cmd.getenv("KUBECONFIG")
    sc = Scope(
        context=a.value("--context"),
        cluster=a.value("--cluster") or kubeconfig,
        namespace=a.value("-n", "--namespace"),
        url=a.value("-s", "--server"),
        host=cmd.host,
    )
    return a, sc


Handler = Callable[[Kube], list[Operation]]


def analyze(cmd: Command, handlers: dict[str, Handler], plugin: Handler) -> list[Operation]:
    """`handlers` maps verbs to handlers; a call whose verb none knows goes to `plugin`."""
    a, sc = parse(cmd)
    if a.has("-h", "--help") or not a.pos:
        return [read_op(cmd, "help", what="shows kubectl help")]
    # A value-taking flag we do not know can hide the verb behind its value: look further.
    idx = next((i for i, w in enumerate(a.pos) if w in handlers), None)
    if idx is None:
        return plugin(Kube(cmd, a, sc, a.pos[0], a.pos[1:]))
    k = Kube(cmd, a, sc, a.pos[idx], a.pos[idx + 1 :])
    ops = handlers[k.verb](k)
    if k.verb not in NO_DRY_RUN and (is_dry_run(a.opts) or a.has("--local", "--server-dry-run")):
        ops = [as_dry_run(op) for op in ops]
    return ops


def resource_targets(k: Kube, words: list[str] | None = None) -> list[Target]:
    """Targets named by positionals (`pod a b`, `deploy/x`, `po,svc`) and by `-f`/`-k`."""
    words = k.rest if words is None else words
    default = k.selector() or "*"
    out = [k.sc.target(kind, name or default) for kind, name in refs(words)]
    return out + file_targets(k)


def file_targets(k: Kube) -> list[Target]:
    out: list[Target] = []
    files = k.a.values("-f", "--filename")
    if not files and k.a.has("-f", "--filename"):  # `-f -` before a heredoc can reach us as `-f`
        files = ["-"]
    for f in files:
        if f == "-" and k.cmd.stdin:
            found = manifest_refs(k.cmd.stdin)
            out += [k.sc.target(kind, name or "-", ns) for kind, name, ns in found]
            out += [] if found else [k.sc.target("manifest", "-")]
        else:
            out.append(k.sc.target("manifest", f))
    out += [k.sc.target("kustomization", d) for d in k.a.values("-k", "--kustomize")]
    return out


def _plain(words: list[str]) -> list[str]:
    """Drop `key=value`, `key:Effect` and `key-` words (label/annotate/taint/set arguments)."""
    return [w for w in words if "=" not in w and ":" not in w and not w.endswith("-")]


def _read(k: Kube) -> list[Operation]:
    words = k.rest if k.verb in _READ_NAMED else []
    if k.verb in ("logs", "log"):
        words = [w if "/" in w else f"pod/{w}" for w in k.rest[:1]]
    targets = resource_targets(k, words)
    return [k.op(k.verb, Effect.READ, targets, f"reads {describe(targets) or k.verb}")]


def _delete(k: Kube) -> list[Operation]:
    raw = k.a.value("--raw")
    targets = [raw_target(k.sc, raw)] if raw else resource_targets(k)
    targets = targets or [k.sc.target("resource", "*")]
    tags = set()
    if k.selector() and not any(t.name not in ("*", k.selector()) for t in targets):
        tags |= {"all", "selector"}
    if k.a.has("--all") and any(t.kind == "namespace" for t in targets):
        tags.add("all-namespaces")  # `delete ns --all` deletes every namespace
    if (k.a.value("--cascade") or "") == "orphan":
        tags.add("orphan")
    where = " in every namespace" if "all-namespaces" in k.tags(targets) else ""
    return [k.op("delete", Effect.DESTROY, targets, f"deletes {describe(targets)}{where}", *tags)]


def _apply(k: Kube) -> list[Operation]:
    if k.rest[:1] == ["view-last-applied"]:
        return [k.op("view-last-applied", Effect.READ, resource_targets(k, k.rest[1:]), "reads")]
    if k.rest[:1] in (["set-last-applied"], ["edit-last-applied"]):
        targets = resource_targets(k, k.rest[1:])
        return [k.op(k.rest[0], Effect.WRITE, targets, f"edits {describe(targets)}")]
    targets = file_targets(k) or [k.sc.target("manifest", "?")]
    if k.a.has("--prune"):
        s = f"applies {describe(targets)} and deletes matching objects not in it"
        return [k.op("apply", Effect.DESTROY, targets, s, "prune")]
    if k.a.has("--force"):
        s = f"applies {describe(targets)}, deleting and re-creating on conflict"
        return [k.op("apply", Effect.DESTROY, targets, s)]
    return [k.op("apply", Effect.WRITE, targets, f"applies {describe(targets)}")]


def _create(k: Kube) -> list[Operation]:
    targets = file_targets(k)
    sub = k.rest[0] if k.rest else ""
    if not targets and sub:
        targets = [_created(k, sub)]
    targets = targets or [k.sc.target("resource", "?")]
    binding = k.a.value("--clusterrole") == "cluster-admin"
    tags = ("privileged",) if binding else ()
    return [k.op("create", Effect.WRITE, targets, f"creates {describe(targets)}", *tags)]


def _created(k: Kube, sub: str) -> Target:
    words = k.rest[1:]
    if sub in ("secret", "service", "svc") and len(words) > 1:
        words = words[1:]  # skip the secret/service type
    if sub == "token":
        return k.sc.target("serviceaccount", words[0] if words else "?")
    return k.sc.target(canonical_kind(sub), words[0] if words else "?")


def _replace(k: Kube) -> list[Operation]:
    raw = k.a.value("--raw")
    targets = ([raw_target(k.sc, raw)] if raw else file_targets(k)) or [
        k.sc.target("manifest", "?")
    ]
    if k.a.has("--force"):
        s = f"deletes and re-creates {describe(targets)}"
        return [k.op("replace", Effect.DESTROY, targets, s)]
    if raw and raw.split("?", 1)[0].rstrip("/").endswith("/finalize"):
        s = f"rewrites the finalizers of {describe(targets)} (skips their cleanup)"
        return [k.op("replace", Effect.WRITE, targets, s, "finalizers")]
    return [k.op("replace", Effect.WRITE, targets, f"replaces {describe(targets)}")]


def _write(k: Kube, words: list[str] | None = None, action: str | None = None) -> list[Operation]:
    targets = resource_targets(k, _plain(k.rest) if words is None else words)
    targets = targets or [k.sc.target("resource", k.selector() or "?")]
    act = action or k.verb
    return [k.op(act, Effect.WRITE, targets, f"{act}: changes {describe(targets)}")]


def _patch(k: Kube) -> list[Operation]:
    """A patch is a write, except one that scales to zero or strips finalizers."""
    targets = resource_targets(k, _plain(k.rest)) or [k.sc.target("resource", "?")]
    what = patch_kind("".join(k.a.values("-p", "--patch")))
    if what == "zero":
        s = f"patches {describe(targets)} to zero replicas"
        return [k.op("scale", Effect.DESTROY, targets, s, "zero")]
    if what == "finalizers":
        s = f"strips the finalizers of {describe(targets)} (skips their cleanup)"
        return [k.op("patch", Effect.WRITE, targets, s, "finalizers")]
    return [k.op("patch", Effect.WRITE, targets, f"patch: changes {describe(targets)}")]


def _set(k: Kube) -> list[Operation]:
    return _write(k, _plain(k.rest[1:]), f"set-{k.rest[0]}" if k.rest else "set")


def _rollout(k: Kube) -> list[Operation]:
    sub = k.rest[0] if k.rest else "rollout"
    if sub in ("status", "history"):
        return [k.op(f"rollout-{sub}", Effect.READ, resource_targets(k, k.rest[1:]), "reads")]
    return _write(k, k.rest[1:], sub)


def _scale(k: Kube) -> list[Operation]:
    targets = resource_targets(k) or [k.sc.target("resource", k.selector() or "?")]
    replicas = k.a.value("--replicas")
    if replicas == "0":
        return [
            k.op("scale", Effect.DESTROY, targets, f"scales {describe(targets)} to zero", "zero")
        ]
    return [k.op("scale", Effect.WRITE, targets, f"scales {describe(targets)} to {replicas}")]


def _nodes(k: Kube) -> list[Operation]:
    """drain, cordon, uncordon, taint: `kubectl drain NODE…` or `taint nodes NODE… key=v:E`."""
    words = _plain(k.rest)
    typed = k.verb == "taint" and bool(words) and canonical_kind(words[0]) == "node"
    if words and "/" not in words[0] and not typed:
        words = ["node", *words]
    targets = resource_targets(k, words) or [k.sc.target("node", k.selector() or "*")]
    tags = (
        {"delete-local-data"} if k.a.has("--delete-emptydir-data", "--delete-local-data") else set()
    )
    if k.verb == "taint" and any(w.endswith(":NoExecute") for w in k.rest):
        tags.add("evict")  # pods that do not tolerate the taint are evicted at once
    what = {"drain": "evicts every pod from", "cordon": "stops scheduling on"}.get(k.verb, k.verb)
    return [k.op(k.verb, Effect.WRITE, targets, f"{what} {describe(targets)}", *tags)]


def _into(k: Kube) -> list[Operation]:
    """exec, attach, port-forward, debug: act inside or against one object."""
    words = k.rest[:1]
    if words and "/" not in words[0]:
        words = ["pod", words[0]]
    targets = resource_targets(k, words) or [k.sc.target("pod", "?")]
    tags = set()
    if k.verb == "debug" and (targets[0].kind == "node" or k.a.value("--profile") == "sysadmin"):
        tags.add("privileged")
    inner = k.a.after_dashdash
    if k.verb == "exec" and exec_reads(inner):
        # The walker analyzes the inner command too; a read-only one makes the whole call a read.
        return [k.op("exec", Effect.READ, targets, f"reads in {describe(targets)} ({inner[0]})")]
    return [k.op(k.verb, Effect.WRITE, targets, f"{k.verb} into {describe(targets)}", *tags)]


def _run(k: Kube) -> list[Operation]:
    name = k.rest[0] if k.rest else "?"
    over = k.a.value("--overrides") or ""
    priv = k.a.has("--privileged") or any(
        s in over for s in ("privileged", "hostPID", "hostNetwork")
    )
    targets = [k.sc.target("pod", name)]
    tags = ("privileged",) if priv else ()
    return [k.op("run", Effect.WRITE, targets, f"starts pod `{name}`", *tags)]


def _cp(k: Kube) -> list[Operation]:
    remote = next((w for w in k.rest if ":" in w), "?:")
    pod = remote.split(":", 1)[0]
    ns, _, pod = pod.rpartition("/")
    targets = [k.sc.target("pod", pod or "?", ns or None)]
    into = bool(k.rest) and k.rest[-1] == remote
    if not into:  # copying out reads the pod; the local file is written under the user's hand
        return [k.op("cp", Effect.READ, targets, f"copies files out of {describe(targets)}")]
    return [k.op("cp", Effect.WRITE, targets, f"copies files into {describe(targets)}")]


def _proxy(k: Kube) -> list[Operation]:
    t = [k.sc.target("cluster", k.sc.context or "current")]
    return [k.op("proxy", Effect.WRITE, t, "opens a local proxy to the Kubernetes API")]


def _auth(k: Kube) -> list[Operation]:
    sub = k.rest[0] if k.rest else ""
    if sub == "reconcile":
        targets = file_targets(k) or [k.sc.target("manifest", "?")]
        return [k.op("reconcile", Effect.WRITE, targets, f"reconciles RBAC in {describe(targets)}")]
    return [k.op(f"auth-{sub}", Effect.READ, [], "checks authorization")]


def _certificate(k: Kube) -> list[Operation]:
    sub = k.rest[0] if k.rest else "certificate"
    targets = resource_targets(k, ["csr", *k.rest[1:]])
    return [k.op(sub, Effect.WRITE, targets, f"{sub}s {describe(targets)}")]


def _alpha(k: Kube) -> list[Operation]:
    inner = k.sub()
    handler = HANDLERS.get(inner.verb)
    if handler is None or inner.verb == "alpha":
        return [k.op("alpha", Effect.UNKNOWN, [], f"runs `kubectl alpha {inner.verb}`")]
    return handler(inner)


HANDLERS: dict[str, Callable[[Kube], list[Operation]]] = {
    **{v: _read for v in READ_VERBS},
    "delete": _delete,
    "apply": _apply,
    "create": _create,
    "replace": _replace,
    "patch": _patch,
    "edit": _write,
    "label": _write,
    "annotate": _write,
    "autoscale": _write,
    "expose": _write,
    "set": _set,
    "rollout": _rollout,
    "scale": _scale,
    "drain": _nodes,
    "cordon": _nodes,
    "uncordon": _nodes,
    "taint": _nodes,
    "exec": _into,
    "attach": _into,
    "port-forward": _into,
    "debug": _into,
    "run": _run,
    "cp": _cp,
    "proxy": _proxy,
    "auth": _auth,
    "certificate": _certificate,
    "alpha": _alpha,
}
