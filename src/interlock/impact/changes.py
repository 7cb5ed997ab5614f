"""Analyzed operations → the changes they make to resources of a snapshot.

`changes_for(ops, snapshot)` reads each operation's family, action, effect and targets:

- `iac` (Terraform): a plan's `plan-delete|replace|update|create` and `-replace=ADDR` name a
  Terraform-managed resource by address (`aws_subnet.a` covers `aws_subnet.a[0]`, `module.db`
  covers the module): a `tf:` resource, or the `aws:` resource one was linked to
  (`interlock.impact.link.terraform_address`). `terraform destroy -target=ADDR` deletes the
  target and every Terraform-managed resource that depends on it, as Terraform does (what it
  contains, like a stack's members, goes with it in the blast radius); without `-target` it
  deletes every Terraform-managed resource of the workspace (all of them when the snapshot or
  the command names none). Other Terraform
  commands (`apply` without a plan, `state rm`, `import`) change nothing we can name.
- `kubernetes`: targets by kind and name within their namespace and context (a target without
  a namespace matches every namespace: the safe over-estimate); `*`/`--all`, label selectors
  (`app=api`), `all` (kubectl's category), Helm releases (by their release label). Deleting a
  namespace deletes every resource in it. `scale --replicas=0` updates the workload and
  deletes the pods it owns.
- an operation tagged `no-backup` (`--skip-final-snapshot`) marks its changes `backup="none"`:
  the resource's own backups do not outlive it.
- everything else (`aws`, databases…): a target matches a resource of a compatible kind
  (`bucket` ~ `s3-bucket`, `cluster` ~ `eks-cluster`) whose name, `id` or `arn` is the
  target's name (or, for a linked resource, the state's name for it). Catalogue services and Kubernetes objects are never matched this way.

Effects: `destroy` → delete (replace when the operation replaces), `write`/`unknown` →
update, `read` → nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from interlock.impact.blast import Change, index_of, reach
from interlock.impact.link import terraform_address
from interlock.impact.loaders_k8s import kind_of
from interlock.impact.loaders_tf import _strip_index
from interlock.impact.model import Resource, Snapshot
from interlock.model.action import Effect, Operation, Target

_PLAN = {"plan-delete": "delete", "plan-replace": "replace", "plan-update": "update",
         "plan-create": "create"}  # fmt: skip
_K8S_ALL = frozenset(
    {"pod", "k8s-service", "deployment", "replicaset", "statefulset", "daemonset", "job",
     "cronjob", "horizontalpodautoscaler", "replicationcontroller"}
)  # fmt: skip
_K8S_ALIASES = {"service": "k8s-service", "svc": "k8s-service", "deploy": "deployment",
                "po": "pod", "pvc": "persistentvolumeclaim", "pv": "persistentvolume",
                "rs": "replicaset", "sts": "statefulset", "ds": "daemonset", "ing": "ingress",
                "cm": "configmap", "ns": "namespace", "cj": "cronjob",
                "hpa": "horizontalpodautoscaler"}  # fmt: skip
_AWS_KINDS = {"bucket": {"s3-bucket", "bucket"}, "table": {"dynamodb-table", "table"},
              "cluster": {"eks-cluster", "ecs-cluster", "db-cluster", "cluster"},
              "service": {"ecs-service"}, "load-balancer": {"load-balancer", "lb", "alb", "elb"},
              "instance": {"instance", "ec2-instance"}, "stack": {"stack", "cloudformation-stack"},
              "function": {"lambda-function", "function"}, "role": {"iam-role", "role"}}  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Names:
    """Lookups of one snapshot: by name/id/arn, by namespace, by Terraform address prefix;
    and the resources Terraform manages."""

    named: dict[str, list[Resource]]
    in_namespace: dict[str, list[Resource]]
    tf: dict[str, list[str]]
    managed: frozenset[str]


_NAMES: dict[str, _Names] = {}


def changes_for(ops: Sequence[Operation], snapshot: Snapshot) -> list[Change]:
    names = _names(snapshot)
    out: list[Change] = []
    for op in ops:
        if op.effect is Effect.READ:
            continue
        match op.family:
            case "iac":
                out.extend(_terraform(op, snapshot, names))
            case "kubernetes":
                out.extend(_kubernetes(op, snapshot, names))
            case _:
                out.extend(_generic(op, names))
    return out


def _effect(op: Operation) -> str:
    if op.action in _PLAN:
        return _PLAN[op.action]
    if op.effect is Effect.DESTROY:
        return "replace" if op.action == "replace" or "replace" in op.tags else "delete"
    return "update"


def _names(snapshot: Snapshot) -> _Names:
    found = _NAMES.get(snapshot.digest)
    if found is not None:
        return found
    named: dict[str, list[Resource]] = {}
    in_ns: dict[str, list[Resource]] = {}
    tf: dict[str, list[str]] = {}
    managed: set[str] = set()
    for r in snapshot.resources:
        for key in {r.name, r.attr("id"), r.attr("arn"), r.attr("tf_name")} - {""}:
            named.setdefault(key, []).append(r)
        if r.attr("namespace"):
            in_ns.setdefault(r.attr("namespace"), []).append(r)
        if address := terraform_address(r):
            managed.add(r.id)
            for prefix in _tf_prefixes(address):
                tf.setdefault(prefix, []).append(r.id)
    found = _Names(named, in_ns, tf, frozenset(managed))
    if len(_NAMES) >= 2:
        _NAMES.pop(next(iter(_NAMES)))
    _NAMES[snapshot.digest] = found
    return found


def _tf_prefixes(address: str) -> list[str]:
    """`module.a.module.b.aws_x.y[0]` → itself, `module.a.module.b.aws_x.y`, `module.a.module.b`,
    `module.a`."""
    base = _strip_index(address)
    parts = base.split(".")
    out = [address, base] if base != address else [address]
    out += [".".join(parts[:i]) for i in range(2, len(parts) - 1, 2) if parts[i - 2] == "module"]
    return out


# ---- terraform ---------------------------------------------------------------------------


def _terraform(op: Operation, snapshot: Snapshot, names: _Names) -> list[Change]:
    addresses = [t.name for t in op.targets if t.kind == "terraform-resource"]
    effect = _effect(op)
    if op.action in _PLAN or op.action == "replace":
        return [c for a in addresses for c in _tf_changes(a, effect, names)]
    if op.action != "destroy":
        return []
    if addresses:
        ids = {c.resource for a in addresses for c in _tf_changes(a, "delete", names)}
        dependents = reach(ids, index_of(snapshot).rev)
        kept = (i for i in sorted(dependents) if i in names.managed or i.startswith("tf:"))
        return [Change(i, "delete") for i in kept]  # a `tf:` id the snapshot lacks stays
    workspaces = {t.get("workspace") or "" for t in op.targets} - {""}
    return [
        Change(r.id, "delete")
        for r in snapshot.resources
        if r.id in names.managed and (not workspaces or r.attr("workspace") in workspaces | {""})
    ]


def _tf_changes(address: str, effect: str, names: _Names) -> list[Change]:
    ids = names.tf.get(address) or [f"tf:{address}"]
    return [Change(i, effect) for i in ids]


# ---- kubernetes --------------------------------------------------------------------------


def _kubernetes(op: Operation, snapshot: Snapshot, names: _Names) -> list[Change]:
    effect = _effect(op)
    out: list[Change] = []
    for t in op.targets:
        for r in _k8s_matches(t, op, snapshot, names):
            if op.action == "scale" and "zero" in op.tags:
                owned = reach([r.id], index_of(snapshot).cascade) - {r.id}
                out.append(Change(r.id, "update"))
                pods = sorted(i for i in owned if i.split(":")[3:4] == ["pod"])
                out.extend(Change(i, "delete") for i in pods)
            else:
                out.append(Change(r.id, effect))
            if r.kind == "namespace" and effect == "delete":
                out.extend(Change(x.id, "delete") for x in names.in_namespace.get(r.name, ()))
    return out


def _k8s_matches(t: Target, op: Operation, snapshot: Snapshot, names: _Names) -> list[Resource]:
    kind = _K8S_ALIASES.get(t.kind.lower(), kind_of(t.kind))
    ns, ctx = t.get("namespace"), t.get("context")
    every = t.name in ("*", "") or ("all" in op.tags and "selector" not in op.tags)
    selector = _selector(t.name) if "selector" in op.tags else None
    pool = (
        snapshot.resources
        if every or selector or kind == "helm-release"
        else names.named.get(t.name, ())
    )
    out = []
    for r in pool:
        if not r.id.startswith("k8s:") or (ctx and r.attr("context") not in ("", ctx)):
            continue
        if kind != "namespace" and ns and r.attr("namespace") != ns:
            continue
        if kind == "helm-release":
            if r.attr("helm-release") == t.name:
                out.append(r)
            continue
        if r.kind != kind and not (kind == "all" and r.kind in _K8S_ALL):
            continue
        if selector is not None and any(r.attr(f"label:{k}") != v for k, v in selector):
            continue
        if every or selector is not None or r.name == t.name:
            out.append(r)
    return out


def _selector(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split(","):
        key, eq, value = part.partition("=")
        if eq:
            pairs.append((key.strip().rstrip("="), value.lstrip("=").strip()))
    return pairs


# ---- aws and the rest ------------------------------------------------------------------


def _generic(op: Operation, names: _Names) -> list[Change]:
    effect = _effect(op)
    out = []
    for t in op.targets:
        for r in names.named.get(t.name, ()):
            if r.kind != "service" and not r.id.startswith("k8s:") and _kind_ok(t.kind, r.kind):
                out.append(Change(r.id, effect, "none" if "no-backup" in op.tags else ""))
    return out


def _kind_ok(target: str, kind: str) -> bool:
    if target == kind or kind in _AWS_KINDS.get(target, ()):
        return True
    return kind.endswith(f"-{target}") or target.endswith(f"-{kind}")
