"""Shared pieces of the Kubernetes analyzers: resource kinds, references, manifests, operations.

Kinds are reported as the canonical singular lower-case kind (`ns`, `namespaces` and OpenShift's
`project` all become `namespace`) so rules can match one spelling.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from interlock.model import Command, Effect, Operation, Target, Tier

FAMILY = "kubernetes"

_ALIASES: dict[str, tuple[str, ...]] = {
    "namespace": ("ns", "namespaces", "project", "projects"),
    "pod": ("po", "pods"),
    "deployment": ("deploy", "deployments"),
    "service": ("svc", "services"),
    "statefulset": ("sts", "statefulsets"),
    "daemonset": ("ds", "daemonsets"),
    "replicaset": ("rs", "replicasets"),
    "replicationcontroller": ("rc", "replicationcontrollers"),
    "persistentvolume": ("pv", "persistentvolumes"),
    "persistentvolumeclaim": ("pvc", "persistentvolumeclaims"),
    "configmap": ("cm", "configmaps"),
    "secret": ("secrets",),
    "customresourcedefinition": ("crd", "crds", "customresourcedefinitions"),
    "node": ("no", "nodes"),
    "ingress": ("ing", "ingresses"),
    "job": ("jobs",),
    "cronjob": ("cj", "cronjobs"),
    "serviceaccount": ("sa", "serviceaccounts"),
    "role": ("roles",),
    "clusterrole": ("clusterroles",),
    "rolebinding": ("rolebindings",),
    "clusterrolebinding": ("clusterrolebindings",),
    "horizontalpodautoscaler": ("hpa", "horizontalpodautoscalers"),
    "poddisruptionbudget": ("pdb", "poddisruptionbudgets"),
    "networkpolicy": ("netpol", "networkpolicies"),
    "storageclass": ("sc", "storageclasses"),
    "endpoints": ("ep",),
    "event": ("ev", "events"),
    "limitrange": ("limits", "limitranges"),
    "resourcequota": ("quota", "resourcequotas"),
    "priorityclass": ("pc", "priorityclasses"),
    "certificatesigningrequest": ("csr", "certificatesigningrequests"),
    "volumesnapshot": ("vs", "volumesnapshots"),
    "volumesnapshotcontent": ("vsc", "volumesnapshotcontents"),
    "mutatingwebhookconfiguration": ("mutatingwebhookconfigurations",),
    "validatingwebhookconfiguration": ("validatingwebhookconfigurations",),
    "apiservice": ("apiservices",),
    "deploymentconfig": ("dc", "deploymentconfigs"),
    "buildconfig": ("bc", "buildconfigs"),
    "imagestream": ("is", "imagestreams"),
    "route": ("routes",),
}
KINDS: dict[str, str] = {a: k for k, aliases in _ALIASES.items() for a in (k, *aliases)}

CLUSTER_SCOPED = frozenset(
    {
        "namespace", "node", "persistentvolume", "customresourcedefinition", "clusterrole",
        "clusterrolebinding", "storageclass", "priorityclass", "certificatesigningrequest",
        "volumesnapshotcontent", "mutatingwebhookconfiguration",
        "validatingwebhookconfiguration", "apiservice",
    }
)  # fmt: skip
# Subcommand words that mean deletion in tools and plugins we do not model one by one.
DESTRUCTIVE_WORDS = frozenset(
    {"delete", "destroy", "remove", "rm", "purge", "drop", "uninstall", "wipe", "reset", "prune"}
)
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})


def wordset(text: str) -> frozenset[str]:
    """A set of the whitespace-separated words of `text` (for long flag and verb tables)."""
    return frozenset(text.split())


def canonical_kind(word: str) -> str:
    """`deployments.apps` → `deployment`; unknown kinds lose their API group and plural `s`."""
    w = word.lower()
    if any(c in w for c in "${`("):  # not known statically (`$KIND`, xargs input)
        return "resource"
    if w in KINDS:
        return KINDS[w]
    base = w.split(".", 1)[0]
    return KINDS.get(base) or _singular(base)


def _singular(word: str) -> str:
    """`certificates` → `certificate`, `policies` → `policy` (custom resources we do not list)."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def is_system_namespace(name: str | None) -> bool:
    return bool(name) and (name in SYSTEM_NAMESPACES or name.startswith("openshift-"))  # type: ignore[union-attr]


@dataclass(frozen=True, slots=True)
class Scope:
    """Where a Kubernetes command points: context, cluster, namespace, API server, host."""

    context: str | None = None
    cluster: str | None = None
    namespace: str | None = None
    url: str | None = None
    host: str | None = None

    def target(self, kind: str, name: str, namespace: str | None = None) -> Target:
        ns = None if kind in CLUSTER_SCOPED else (namespace or self.namespace)
        return Target.make(
            kind, name, context=self.context, cluster=self.cluster, namespace=ns,
            url=self.url, host=self.host,
        )  # fmt: skip


def raw_target(sc: Scope, path: str) -> Target:
    """`/api/v1/namespaces/x` → namespace x; `/apis/g/v/namespaces/ns/kind/name` → kind name."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if "namespaces" in parts:
        tail = parts[parts.index("namespaces") + 1 :]
        if len(tail) >= 3:
            return sc.target(canonical_kind(tail[1]), tail[2], tail[0])
        if tail:
            return sc.target("namespace", tail[0])
    if len(parts) >= 2:
        return sc.target(canonical_kind(parts[-2]), parts[-1])
    return sc.target("resource", path)


_ZERO_REPLICAS = re.compile(r'"?\breplicas"?:"?0"?(?:[,}]|$)')
_ZERO_VALUE = re.compile(r'"value":"?0"?[,}]')
_FINALIZERS = re.compile(r'"finalizers":(?:null|\[\])')


def patch_kind(body: str) -> str | None:
    """`zero` for a patch setting replicas to 0, `finalizers` for one clearing finalizers."""
    body = body.replace(" ", "")
    if _ZERO_REPLICAS.search(body) or ("/spec/replicas" in body and _ZERO_VALUE.search(body)):
        return "zero"
    if _FINALIZERS.search(body) or "/metadata/finalizers" in body:
        return "finalizers"
    return None


# Programs that only read, run through `kubectl exec POD -- PROG …` to look inside a container.
EXEC_READ = wordset(
    """cat ls env printenv ps df du head tail grep egrep wc whoami id hostname uname pwd date
    stat nslookup dig getent uptime free ss netstat which echo true"""
)


_SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh"})
_SHELL_META = re.compile(r"[<>`]|\$\(")
_SEGMENTS = re.compile(r"\|\|?|&&|;")


def exec_reads(inner: list[str]) -> bool:
    """`cat x`, `sh -c 'ps aux | grep app'`: a command run in a container that only reads."""
    prog = inner[0].rsplit("/", 1)[-1] if inner else ""
    if prog in _SHELLS and len(inner) == 3 and inner[1] == "-c":
        if _SHELL_META.search(inner[2]):
            return False
        segments = [seg.split() for seg in _SEGMENTS.split(inner[2])]
        return all(seg and seg[0].rsplit("/", 1)[-1] in EXEC_READ for seg in segments)
    return prog in EXEC_READ


def merge_dry_run(args: Iterable[str]) -> list[str]:
    """`--dry-run client` means `--dry-run=client` to a human; keep `client` out of positionals."""
    out: list[str] = []
    for word in args:
        if out and out[-1] == "--dry-run" and word in ("client", "server"):
            out[-1] = f"--dry-run={word}"
        else:
            out.append(word)
    return out


def is_dry_run(opts: dict[str, list[str]]) -> bool:
    vals = opts.get("--dry-run")
    return bool(vals) and vals[-1] not in ("none", "false")  # type: ignore[index]


def as_dry_run(op: Operation) -> Operation:
    """A state change turned into a read by a dry-run flag."""
    if op.effect in (Effect.READ, Effect.UNKNOWN):
        return op
    return replace(
        op, effect=Effect.READ, tags=op.tags | {"dry-run"}, summary=f"{op.summary} (dry run)"
    )


def local_target(cmd: Command, kind: str, name: str) -> Target:
    """A target on this machine (kubeconfig, a local cluster, a chart dir) unless run remotely."""
    if cmd.host:
        return Target.make(kind, name, host=cmd.host)
    return Target.make(kind, name, tier=Tier.LOCAL)


def refs(words: Iterable[str]) -> list[tuple[str, str]]:
    """Resource references as `(kind, name)`; name is "" when only a type was given.

    Handles `TYPE NAME…`, `TYPE1,TYPE2 NAME…` and `TYPE/NAME…`.
    """
    words = list(words)
    if not words:
        return []
    if any("/" in w for w in words):
        out = []
        for w in words:
            kind, _, name = w.partition("/")
            out.append((canonical_kind(kind), name))
        return out
    kinds = [canonical_kind(k) for k in words[0].split(",") if k]
    names = words[1:] or [""]
    return [(k, n) for k in kinds for n in names]


def manifest_refs(text: str) -> list[tuple[str, str, str | None]]:
    """`(kind, name, namespace)` of each object in YAML or JSON manifest text (a cheap scan)."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return _json_refs(stripped)
    out: list[tuple[str, str, str | None]] = []
    for doc in _documents(text):
        out.extend(_yaml_doc_refs(doc))
    return out


def _json_refs(text: str) -> list[tuple[str, str, str | None]]:
    try:
        data = json.loads(text)
    except ValueError:
        return []
    items = data if isinstance(data, list) else [data]
    out: list[tuple[str, str, str | None]] = []
    for obj in items:
        if not isinstance(obj, dict):
            continue
        if isinstance(obj.get("items"), list):
            out.extend(_json_refs(json.dumps(obj["items"])))
            continue
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        kind = str(obj.get("kind", "")) or "manifest"
        out.append((canonical_kind(kind), str(meta.get("name", "")), meta.get("namespace")))
    return out


def _documents(text: str) -> list[list[str]]:
    docs: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("---"):
            docs.append([])
        else:
            docs[-1].append(line)
    return [d for d in docs if d]


def _yaml_doc_refs(lines: list[str]) -> list[tuple[str, str, str | None]]:
    kind = name = ""
    ns: str | None = None
    in_meta = False
    meta_indent = -1
    items: list[tuple[int, str]] = []
    for line in lines:
        body = line.strip()
        if not body or body.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        key, _, val = body.removeprefix("- ").partition(":")
        val = val.strip().strip("'\"")
        if indent == 0:
            in_meta = key == "metadata"
            kind = val if key == "kind" else kind
            continue
        if key == "kind":
            items.append((indent, val))
        if in_meta and meta_indent in (-1, indent):
            meta_indent = indent
            name = val if key == "name" else name
            ns = val if key == "namespace" else ns
    if kind == "List" and items:
        top = min(i for i, _ in items)
        return [(canonical_kind(k), "", ns) for i, k in items if i == top]
    return [(canonical_kind(kind), name, ns or None)] if kind else []


def make_op(
    cmd: Command,
    action: str,
    effect: Effect,
    targets: Iterable[Target],
    tags: Iterable[str] = (),
    summary: str = "",
) -> Operation:
    return Operation.of(cmd, FAMILY, action, effect, targets, tags, summary)


def describe(targets: Iterable[Target], limit: int = 3) -> str:
    """ "namespace `payments`, pod `web-1`" for a summary."""
    ts = list(targets)
    parts = [f"{t.kind} `{t.name}`" if t.name else t.kind for t in ts[:limit]]
    more = f" and {len(ts) - limit} more" if len(ts) > limit else ""
    return ", ".join(parts) + more


def dynamic_words(cmd: Command) -> frozenset[str]:
    return frozenset(cmd.argv[i] for i in cmd.dynamic if i < len(cmd.argv))


def unknown_op(cmd: Command, reason: str, targets: Iterable[Target] = ()) -> Operation:
    return make_op(cmd, "run", Effect.UNKNOWN, targets, summary=reason)


def read_op(cmd: Command, action: str, targets: Iterable[Target] = (), what: str = "") -> Operation:
    return make_op(cmd, action, Effect.READ, targets, summary=what or f"reads ({action})")
