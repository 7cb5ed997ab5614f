"""Kubernetes objects (`kubectl get … -o json`, a `List` or one object) → `Snapshot`.

Each object is a resource `k8s:<context>:<namespace>:<kind>:<name>` (kind lower case; a
Service is `k8s-service`). Edges, each `source` depending on `target`:

| edge                                 | kind       |
|--------------------------------------|------------|
| object → its namespace               | contains   |
| object → each `ownerReferences` owner | owns       |
| Service → Pod its selector matches   | selects    |
| Ingress → Service of each backend    | routes-to  |
| PVC → the PV it is bound to          | binds      |
| PV (reclaim `Delete`) → its PVC      | owns (deleting the claim deletes the volume) |
| Pod → PVC, ConfigMap, Secret it mounts | depends-on |

A namespace that objects name but the list does not hold is added, so deleting it still
deletes them. Namespaces are environment roots; PVCs and PVs are stateful.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from interlock.impact.loaders_common import (
    RESTORE_MINUTES,
    as_dict,
    as_list,
    bad,
    text,
    tier_of,
)
from interlock.impact.model import Edge, Resource, Snapshot, attrs_of, build_snapshot

_KINDS = {"service": "k8s-service"}
_CLUSTER_SCOPED = frozenset(
    {"namespace", "persistentvolume", "node", "clusterrole", "clusterrolebinding",
     "storageclass", "customresourcedefinition"}
)  # fmt: skip
_STATEFUL = frozenset({"persistentvolumeclaim", "persistentvolume"})
_HELM = ("meta.helm.sh/release-name", "app.kubernetes.io/instance")


def kind_of(kind: str) -> str:
    low = kind.lower()
    return _KINDS.get(low, low)


def k8s_id(context: str, namespace: str, kind: str, name: str) -> str:
    return f"k8s:{context}:{namespace}:{kind}:{name}"


def from_kubernetes(doc: Any, context: str = "", tier: str = "", fetched_at: str = "") -> Snapshot:
    """Objects from `kubectl get … -o json`, as text or parsed JSON."""
    items = _items(doc)
    objects = [(obj, _resource(obj, context, tier)) for obj in items]
    resources = [r for _, r in objects]
    known = {r.id for r in resources}
    for ns in sorted({r.attr("namespace") for r in resources if r.attr("namespace")}):
        rid = k8s_id(context, "", "namespace", ns)
        if rid not in known:
            resources.append(_namespace(ns, context, tier))
    edges = _edges(objects, context)
    return build_snapshot(resources, edges, "kubernetes", fetched_at)


def _items(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, (str, bytes, bytearray)):
        try:
            doc = json.loads(doc)
        except (ValueError, RecursionError):
            raise bad("the kubernetes objects are not JSON; use `kubectl get … -o json`") from None
    if not isinstance(doc, dict) or not text(doc.get("kind")):
        raise bad("not a kubernetes object or list; use `kubectl get … -o json`")
    raw = doc["items"] if isinstance(doc.get("items"), list) else [doc]
    items = [as_dict(i) for i in raw]
    for i, item in enumerate(items):
        meta = as_dict(item.get("metadata"))
        if not text(item.get("kind")) or not text(meta.get("name")):
            raise bad(f"item {i} has no `kind` or `metadata.name`")
    return items


def _resource(obj: dict[str, Any], context: str, tier: str) -> Resource:
    meta = obj["metadata"]
    kind = kind_of(obj["kind"])
    ns = "" if kind in _CLUSTER_SCOPED else text(meta.get("namespace")) or "default"
    name = meta["name"]
    labels = {k: v for k, v in as_dict(meta.get("labels")).items() if text(v)}
    notes = as_dict(meta.get("annotations"))
    helm = next(
        (
            text(notes.get(k)) or text(labels.get(k))
            for k in _HELM
            if text(notes.get(k)) or text(labels.get(k))
        ),
        "",
    )
    return Resource(
        id=k8s_id(context, ns, kind, name),
        kind=kind,
        name=name,
        tier=tier_of(tier, ns if kind != "namespace" else name, context),
        stateful=kind in _STATEFUL,
        restore_minutes=RESTORE_MINUTES.get(kind, 5),
        env_root=kind == "namespace",
        attrs=attrs_of(
            {
                "namespace": ns,
                "context": context,
                "uid": text(meta.get("uid")),
                "helm-release": helm,
                **{f"label:{k}": v for k, v in labels.items()},
            }
        ),
    )


def _namespace(name: str, context: str, tier: str) -> Resource:
    return Resource(
        id=k8s_id(context, "", "namespace", name),
        kind="namespace",
        name=name,
        tier=tier_of(tier, name, context),
        restore_minutes=RESTORE_MINUTES["namespace"],
        env_root=True,
        attrs=attrs_of({"context": context}),
    )


def _edges(objects: list[tuple[dict[str, Any], Resource]], context: str) -> list[Edge]:
    by_uid = {r.attr("uid"): r.id for _, r in objects if r.attr("uid")}
    pods = _pod_index([r for _, r in objects if r.kind == "pod"])
    edges: list[Edge] = []
    for obj, r in objects:
        ns = r.attr("namespace")
        if ns:
            edges.append(Edge(r.id, k8s_id(context, "", "namespace", ns), "contains"))
        for ref in as_list(as_dict(obj.get("metadata")).get("ownerReferences")):
            owner = by_uid.get(text(as_dict(ref).get("uid")))
            owner = owner or _owner_by_name(as_dict(ref), context, ns)
            if owner:
                edges.append(Edge(r.id, owner, "owns"))
        spec = as_dict(obj.get("spec"))
        edges.extend(_spec_edges(r, spec, context, ns, pods))
    return edges


def _owner_by_name(ref: dict[str, Any], context: str, ns: str) -> str:
    kind, name = text(ref.get("kind")), text(ref.get("name"))
    return k8s_id(context, ns, kind_of(kind), name) if kind and name else ""


def _spec_edges(
    r: Resource, spec: dict[str, Any], context: str, ns: str, pods: _PodIndex
) -> list[Edge]:
    def ref(kind: str, name: str) -> str:
        return k8s_id(context, ns if kind != "persistentvolume" else "", kind, name)

    match r.kind:
        case "k8s-service":
            selector = {k: v for k, v in as_dict(spec.get("selector")).items() if text(v)}
            return [Edge(r.id, p, "selects") for p in pods.matching(ns, selector)]
        case "ingress":
            return [Edge(r.id, ref("k8s-service", s), "routes-to") for s in _backends(spec)]
        case "persistentvolumeclaim":
            volume = text(spec.get("volumeName"))
            return [Edge(r.id, ref("persistentvolume", volume), "binds")] if volume else []
        case "persistentvolume":
            claim = as_dict(spec.get("claimRef"))
            if spec.get("persistentVolumeReclaimPolicy") != "Delete" or not text(claim.get("name")):
                return []
            pvc = k8s_id(
                context,
                text(claim.get("namespace")) or "default",
                "persistentvolumeclaim",
                claim["name"],
            )
            return [Edge(r.id, pvc, "owns")]
        case "pod":
            return [Edge(r.id, ref(k, n), "depends-on") for k, n in _mounts(spec)]
        case _:
            return []


def _backends(spec: dict[str, Any]) -> set[str]:
    found = set()
    backends = [as_dict(spec.get("defaultBackend")), as_dict(spec.get("backend"))]
    for rule in as_list(spec.get("rules")):
        for path in as_list(as_dict(as_dict(rule).get("http")).get("paths")):
            backends.append(as_dict(as_dict(path).get("backend")))
    for b in backends:
        name = text(as_dict(b.get("service")).get("name")) or text(b.get("serviceName"))
        if name:
            found.add(name)
    return found


def _mounts(spec: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for vol in as_list(spec.get("volumes")):
        vol = as_dict(vol)
        for key, kind, field in (
            ("persistentVolumeClaim", "persistentvolumeclaim", "claimName"),
            ("configMap", "configmap", "name"),
            ("secret", "secret", "secretName"),
        ):
            name = text(as_dict(vol.get(key)).get(field))
            if name:
                out.append((kind, name))
    return out


class _PodIndex:
    """Pods by (namespace, label, value), so a selector is an intersection, not a scan."""

    def __init__(self) -> None:
        self.by_label: dict[tuple[str, str, str], set[str]] = defaultdict(set)

    def matching(self, ns: str, selector: dict[str, str]) -> list[str]:
        if not selector:
            return []  # a Service without a selector selects nothing (its endpoints are manual)
        sets = [self.by_label.get((ns, k, v), set()) for k, v in selector.items()]
        return sorted(set.intersection(*sets))


def _pod_index(pods: list[Resource]) -> _PodIndex:
    index = _PodIndex()
    for pod in pods:
        for key, value in pod.attrs:
            if key.startswith("label:"):
                index.by_label[(pod.attr("namespace"), key[6:], value)].add(pod.id)
    return index
