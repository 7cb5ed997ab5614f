"""The blast radius of a set of changes on a snapshot: pure, and linear in the graph.

`blast_radius(snapshot, changes)`:

1. **Deleted** — each `delete`d resource and, transitively, everything it `contains` or
   `owns` (a namespace's objects, a stack's resources, a ReplicaSet's pods). A resource both
   deleted and replaced/updated counts as deleted.
2. **Replaced**, **changed**, **created** — the other changes, each resource in one list only.
3. **Impaired** — every resource that transitively depends, by any edge kind, on a deleted
   or replaced one (reverse reachability), the broken ones themselves excepted.
4. **Services impaired** — the names of the catalogue `service` resources among the broken
   and impaired, plus the owning `service` of each broken or impaired resource.
5. **Data loss** — stateful resources deleted *or replaced* (a replacement starts empty)
   whose backup is neither `verified` nor `snapshot`, or whose change says `backup="none"`
   (`--skip-final-snapshot`: RDS deletes the automated backups with the instance).
6. **Restore minutes** — the critical path: a resource is restored after what it depends on,
   so the estimate is the longest chain of `restore_minutes` through the broken resources
   (independent restores run in parallel; an edge closing a cycle is ignored). Deleting a VPC
   (30) with an RDS instance in it (90) and an ECS service using that (10) is 130 minutes.
7. **Environment-root teardown** — any deleted or replaced resource is an environment root.

Changes naming a resource the snapshot lacks are reported as they are (a plan's creations).
The report's digest `imp1:sha256:<hex>` is over canonical JSON of
`{"v": 1, "snapshot", "deleted", "replaced", "changed", "created", "impaired",
"services_impaired", "data_loss", "restore_minutes", "env_root_teardown"}` (lists sorted).
"""

from __future__ import annotations

import gc
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from interlock.impact.model import Resource, Snapshot
from interlock.model.digest import canonical_json
from interlock.model.policy import Impact

VERSION = "imp1"
EFFECTS = ("delete", "replace", "update", "create")  # strongest first
CASCADE = frozenset({"contains", "owns"})
SAFE_BACKUPS = frozenset({"verified", "snapshot"})


@dataclass(frozen=True, slots=True)
class Change:
    resource: str
    effect: str  # "delete" | "replace" | "update" | "create"
    backup: str = ""  # overrides the resource's backup for this change ("none": no final snapshot)


@dataclass(frozen=True, slots=True)
class ImpactReport:
    deleted: tuple[str, ...]
    replaced: tuple[str, ...]
    changed: tuple[str, ...]
    created: tuple[str, ...]
    impaired: tuple[str, ...]
    services_impaired: tuple[str, ...]
    data_loss: tuple[str, ...]
    restore_minutes: int
    env_root_teardown: bool
    snapshot_digest: str
    digest: str

    def as_impact(self) -> Impact:
        return Impact(
            deleted=len(self.deleted) + len(self.replaced),
            services_impaired=len(self.services_impaired),
            data_without_backup=len(self.data_loss),
            restore_minutes=self.restore_minutes,
            simulated=True,
            digest=self.digest,
        )


@dataclass(frozen=True, slots=True)
class Index:
    """Adjacency of one snapshot: `rev` target → sources (everything that depends on it),
    `cascade` container/owner → contained/owned."""

    res: dict[str, Resource]
    rev: dict[str, list[str]]
    cascade: dict[str, list[str]]


_INDEXES: dict[str, Index] = {}  # by snapshot digest: a digest names one content


def index_of(snapshot: Snapshot) -> Index:
    """The snapshot's adjacency, built once per digest (the last two are kept). A caller that
    loads a snapshot ahead of time (the gateway) calls this then, so a check pays only for
    its own walk."""
    found = _INDEXES.get(snapshot.digest)
    if found is not None:
        return found
    enabled = gc.isenabled()
    gc.disable()  # hundreds of thousands of small lists: collections would only rescan them
    try:
        rev: defaultdict[str, list[str]] = defaultdict(list)
        cascade: defaultdict[str, list[str]] = defaultdict(list)
        for e in snapshot.edges:
            rev[e.target].append(e.source)
            if e.kind in CASCADE:
                cascade[e.target].append(e.source)
        index = Index({r.id: r for r in snapshot.resources}, rev, cascade)
    finally:
        if enabled:
            gc.enable()
    if len(_INDEXES) >= 2:
        _INDEXES.pop(next(iter(_INDEXES)))
    _INDEXES[snapshot.digest] = index
    return index


def reach(starts: Iterable[str], adjacency: dict[str, list[str]]) -> set[str]:
    """Every id reachable from `starts` (included) along `adjacency`."""
    seen = set(starts)
    stack = list(seen)
    while stack:
        for nxt in adjacency.get(stack.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return seen


def blast_radius(snapshot: Snapshot, changes: Iterable[Change]) -> ImpactReport:
    idx = index_of(snapshot)
    changes = list(changes)
    no_backup = {c.resource for c in changes if c.backup and c.backup not in SAFE_BACKUPS}
    by_effect = _strongest(changes)
    deleted = reach(by_effect["delete"], idx.cascade)
    replaced = by_effect["replace"] - deleted
    broken = deleted | replaced
    changed = by_effect["update"] - broken
    created = by_effect["create"] - broken - changed
    impaired = reach(broken, idx.rev) - broken
    hit = [idx.res[i] for i in broken if i in idx.res]
    services = {r.name for r in hit if r.kind == "service"} | {r.service for r in hit}
    for i in impaired:
        r = idx.res.get(i)
        if r is not None:
            services.add(r.name if r.kind == "service" else r.service)
    services.discard("")
    lost = (r.id for r in hit if r.stateful and (r.backup not in SAFE_BACKUPS or r.id in no_backup))
    report = ImpactReport(
        deleted=tuple(sorted(deleted)),
        replaced=tuple(sorted(replaced)),
        changed=tuple(sorted(changed)),
        created=tuple(sorted(created)),
        impaired=tuple(sorted(impaired)),
        services_impaired=tuple(sorted(services)),
        data_loss=tuple(sorted(lost)),
        restore_minutes=critical_path(broken, idx),
        env_root_teardown=any(r.env_root for r in hit),
        snapshot_digest=snapshot.digest,
        digest="",
    )
    return replace(report, digest=report_digest(report))


def report_digest(r: ImpactReport) -> str:
    body = {
        "v": 1,
        "snapshot": r.snapshot_digest,
        "deleted": list(r.deleted),
        "replaced": list(r.replaced),
        "changed": list(r.changed),
        "created": list(r.created),
        "impaired": list(r.impaired),
        "services_impaired": list(r.services_impaired),
        "data_loss": list(r.data_loss),
        "restore_minutes": r.restore_minutes,
        "env_root_teardown": r.env_root_teardown,
    }
    return f"{VERSION}:sha256:{hashlib.sha256(canonical_json(body)).hexdigest()}"


def _strongest(changes: Iterable[Change]) -> dict[str, set[str]]:
    """Each resource under its strongest effect; an unknown effect counts as an update."""
    best: dict[str, int] = {}
    for c in changes:
        rank = EFFECTS.index(c.effect) if c.effect in EFFECTS else 2
        if rank < best.get(c.resource, len(EFFECTS)):
            best[c.resource] = rank
    out: dict[str, set[str]] = {e: set() for e in EFFECTS}
    for rid, rank in best.items():
        out[EFFECTS[rank]].add(rid)
    return out


def critical_path(broken: set[str], idx: Index) -> int:
    """The longest chain of restore minutes through `broken`, dependencies first."""
    deps: dict[str, list[str]] = {}
    for target in broken:
        for source in idx.rev.get(target, ()):
            if source in broken:
                deps.setdefault(source, []).append(target)
    total: dict[str, int] = {}
    on_path: set[str] = set()
    for start in sorted(broken):
        if start in total:
            continue
        stack = [(start, False)]
        while stack:
            node, done = stack.pop()
            if done:
                on_path.discard(node)
                below = [total.get(d, 0) for d in deps.get(node, ())]
                total[node] = _minutes(idx, node) + max(below, default=0)
                continue
            if node in total or node in on_path:
                continue  # finished, or a back edge closing a cycle
            on_path.add(node)
            stack.append((node, True))
            stack.extend((d, False) for d in deps.get(node, ()) if d not in total)
    return max(total.values(), default=0)


def _minutes(idx: Index, rid: str) -> int:
    r = idx.res.get(rid)
    return r.restore_minutes if r is not None else 0
