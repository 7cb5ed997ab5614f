"""One resource per real thing: a Terraform resource and the AWS resource it manages, linked.

    link(resources, edges) -> Linked(resources, edges, aliases)

A `tf:` resource (Terraform state or plan) and an `aws:` resource (the collector) are the same
thing when a strong key says so, and only then:

1. **equal ARN**: the state's `arn` equals the collector's `arn`; else
2. **equal provider id, same kind**: the state's `id` (a VPC or subnet id, a bucket, table or
   role name; for a stack or an ECS service, its ARN) equals the AWS resource's key (the last
   part of its id, without `@region`), its `arn` or its `physical_id` (a stack member, like a
   queue's URL), both have the same kind, and their regions agree where both are known.

A key that finds more than one resource, or an AWS resource that more than one Terraform
resource finds, links nothing: two nodes over-count, a wrong link could hide a dependency.
Names, tags and labels never link (`payments-prod` the VPC and `payments-prod` the database).

The pair becomes one resource with the **AWS id**: it is what exists, commands name it by its
AWS name, and the AWS twin seeds and reports `aws:` ids. The Terraform address stays in attr
`address` (`terraform_address` reads it, so `changes_for` finds the resource by address, and
`merge` lets catalogue patterns over either id claim it). Edges of both are re-pointed to it.
Facts combine so that nothing safe is assumed:

- kind, name: the AWS view's; the state's name, when it differs, in attr `tf_name`
- tier: a known one over `unknown`; two known, the stricter (prod > staging > dev > local)
- stateful, env_root: either; restore_minutes: the longer; criticality: the higher;
  service: the AWS view's, else the state's
- backup: a known one over `unknown`; two known, the weaker (none < snapshot < verified).
  Neither view is authoritative (the state can be stale; the collector does not see every
  backup); the catalogue is, and `merge` applies it after linking, so its `backup:` wins.
- attrs: the AWS view's, plus the state's; the state's `type` (`aws_db_instance`) becomes
  `tf_type`, and a state value that differs from the AWS view's for the same key `tf_<key>`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from interlock.impact.model import Edge, Resource, attrs_of

_TIERS = {"local": 1, "dev": 2, "staging": 3, "prod": 4}
_BACKUPS = {"none": 1, "snapshot": 2, "verified": 3}  # weakest first; "unknown" is not ranked
_CRITICALITIES = {"": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


@dataclass(frozen=True, slots=True)
class Linked:
    resources: list[Resource]
    edges: list[Edge]
    aliases: dict[str, str]  # kept (aws:) id → the linked tf: id


def terraform_address(r: Resource) -> str:
    """The Terraform address of a `tf:` resource or of an AWS resource linked to one, else ''."""
    if r.id.startswith("tf:"):
        return r.id[3:]
    return r.attr("address") if r.id.startswith("aws:") else ""


def link(resources: Iterable[Resource], edges: Iterable[Edge]) -> Linked:
    by_id = {r.id: r for r in resources}
    pairs = _pairs(by_id.values())
    aliases = {a: t for t, a in pairs.items()}
    for tf_id, aws_id in pairs.items():
        by_id[aws_id] = combined(by_id.pop(tf_id), by_id[aws_id])
    return Linked(list(by_id.values()), repoint(edges, pairs), aliases)


def repoint(edges: Iterable[Edge], to: dict[str, str]) -> list[Edge]:
    """The edges with each end that is a key of `to` replaced by its value."""
    return [Edge(to.get(e.source, e.source), to.get(e.target, e.target), e.kind) for e in edges]


def _pairs(resources: Iterable[Resource]) -> dict[str, str]:
    """tf id → aws id, for the pairs a strong key links one to one."""
    tf: list[Resource] = []
    arns: dict[str, list[Resource]] = {}
    keys: dict[tuple[str, str], list[Resource]] = {}
    for r in resources:
        if r.id.startswith("tf:"):
            tf.append(r)
        elif r.id.startswith("aws:"):
            _index(r, arns, keys)
    found = {t.id: _candidates(t, arns, keys) for t in tf}
    claims: dict[str, int] = {}
    for ids in found.values():
        for i in ids:
            claims[i] = claims.get(i, 0) + 1
    return {t: ids[0] for t, ids in found.items() if len(ids) == 1 and claims[ids[0]] == 1}


def _index(
    r: Resource, arns: dict[str, list[Resource]], keys: dict[tuple[str, str], list[Resource]]
) -> None:
    if r.attr("arn"):
        arns.setdefault(r.attr("arn"), []).append(r)
    key = r.id.rsplit(":", 1)[-1].partition("@")[0]
    for handle in {key, r.attr("arn"), r.attr("physical_id")} - {""}:
        keys.setdefault((r.kind, handle), []).append(r)


def _candidates(
    t: Resource, arns: dict[str, list[Resource]], keys: dict[tuple[str, str], list[Resource]]
) -> list[str]:
    by_arn = arns.get(t.attr("arn"), []) if t.attr("arn") else []
    if by_arn:
        return [r.id for r in by_arn]
    pool = keys.get((t.kind, t.attr("id")), []) if t.attr("id") else []
    return [r.id for r in pool if _same_region(t.attr("region"), r.attr("region"))]


def _same_region(a: str, b: str) -> bool:
    return not a or not b or b == "global" or a == b


# ---- combining the facts of two views of one resource ------------------------------------


def combined(tf: Resource, aws: Resource) -> Resource:
    """The AWS resource with the facts of its Terraform resource (module docstring)."""
    extra: dict[str, str] = {"tf_name": tf.name} if tf.name != aws.name else {}
    theirs = dict(aws.attrs)
    for key, value in tf.attrs:
        name = "tf_type" if key == "type" else key
        if name in theirs and theirs[name] != value:
            name = f"tf_{key}"
        extra[name] = value
    return replace(
        aws,
        tier=tier(aws.tier, tf.tier),
        service=aws.service or tf.service,
        stateful=aws.stateful or tf.stateful,
        backup=backup(aws.backup, tf.backup),
        criticality=criticality(aws.criticality, tf.criticality),
        restore_minutes=max(aws.restore_minutes, tf.restore_minutes),
        env_root=aws.env_root or tf.env_root,
        attrs=attrs_of({**extra, **theirs}),
    )


def tier(a: str, b: str) -> str:
    known = [t for t in (a, b) if t in _TIERS]
    return max(known, key=_TIERS.__getitem__) if known else a


def backup(a: str, b: str) -> str:
    known = [x for x in (a, b) if x in _BACKUPS]
    return min(known, key=_BACKUPS.__getitem__) if known else a


def criticality(a: str, b: str) -> str:
    return max((a, b), key=lambda c: _CRITICALITIES.get(c, 0))


def _first(a: Any, b: Any) -> Any:
    return a or b


def _either(a: bool, b: bool) -> bool:
    return a or b


# field → how two claims on it combine (`claimed_by_both`)
_CLAIMS: dict[str, Callable[[Any, Any], Any]] = {
    "service": _first,
    "criticality": criticality,
    "tier": tier,
    "backup": backup,
    "restore_minutes": max,
    "stateful": _either,
}


def claimed_by_both(before: Resource, by_kept: Resource, by_alias: Resource) -> Resource:
    """`by_kept` with what a claim on the alias id changed from `before`; a field both claims
    changed, differently, combines as when linking (the weaker backup, the longer restore…)."""
    changes = {}
    for field, combine in _CLAIMS.items():
        old, a, b = (getattr(r, field) for r in (before, by_kept, by_alias))
        if b != old:
            changes[field] = b if a == old else combine(a, b)
    return replace(by_kept, **changes)
