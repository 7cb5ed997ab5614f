"""Simulate a proposal's operations on a snapshot: the blast radius, the impact policy sees, and
the tiers the inventory knows (pure).

    simulate(ops, snapshot) -> Simulation(ops, report, impact)

The inventory knows better than a command line which environment a resource lives in:
`terraform apply -replace=module.db.aws_db_instance.main` names an address, not a tier, but the
snapshot says that instance is `prod`. So each operation's targets are raised to the strictest
tier among the resources it changes directly (never lowered: a command that says `prod` stays
`prod` whatever the inventory says), and an operation without targets that changes inventory
resources gets one naming the strictest of them. Rules, defaults and invariants then see the
tier the simulation found, and `Impact` carries the torn-down roots and the lost data by name
and tier for the invariants' reasons.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from interlock.impact.blast import Change, ImpactReport, blast_radius, index_of
from interlock.impact.changes import changes_for
from interlock.impact.model import Resource, Snapshot
from interlock.model.action import TIER_RANK, Effect, Operation, Target, Tier
from interlock.model.policy import Affected, Impact

NAMED = 20  # resources named per list in an Impact (reasons show the first few)


@dataclass(frozen=True, slots=True)
class Simulation:
    ops: tuple[Operation, ...]
    report: ImpactReport
    impact: Impact


def simulate(ops: Sequence[Operation], snapshot: Snapshot) -> Simulation:
    res = index_of(snapshot).res
    raised: list[Operation] = []
    changes: list[Change] = []
    for op in ops:  # changes_for maps each operation on its own: one call per op is the same
        mine = changes_for((op,), snapshot)
        changes.extend(mine)
        raised.append(_raise_tier(op, [res[c.resource] for c in mine if c.resource in res]))
    report = blast_radius(snapshot, changes)
    return Simulation(tuple(raised), report, impact_of(report, snapshot))


def impact_of(report: ImpactReport, snapshot: Snapshot) -> Impact:
    """`report` as policy sees it, with the broken resources' tiers and names."""
    res = index_of(snapshot).res
    broken = [res[i] for i in (*report.deleted, *report.replaced) if i in res]
    touched = broken + [res[i] for i in report.changed if i in res]
    lost = [res[i] for i in report.data_loss if i in res]
    return Impact(
        deleted=len(report.deleted) + len(report.replaced),
        services_impaired=len(report.services_impaired),
        data_without_backup=len(report.data_loss),
        restore_minutes=report.restore_minutes,
        simulated=True,
        digest=report.digest,
        env_root_teardown=report.env_root_teardown,
        tiers=frozenset(r.tier for r in touched),
        lost=_named(lost),
        roots=_named([r for r in broken if r.env_root]),
    )


def _named(resources: list[Resource]) -> tuple[Affected, ...]:
    """Production first, then by id; at most NAMED."""
    ordered = sorted(resources, key=lambda r: (-_rank(r.tier), r.id))
    return tuple(Affected(r.kind, r.name, r.tier) for r in ordered[:NAMED])


def _rank(tier: str) -> int:
    try:
        return TIER_RANK[Tier(tier)]
    except ValueError:
        return TIER_RANK[Tier.UNKNOWN]


def _raise_tier(op: Operation, hit: list[Resource]) -> Operation:
    if op.effect is Effect.READ or not hit:
        return op
    top = max(hit, key=lambda r: (_rank(r.tier), r.id))
    if _rank(top.tier) <= TIER_RANK[Tier.UNKNOWN]:
        return op  # the inventory knows nothing stricter than "unknown"
    tier = Tier(top.tier)
    if not op.targets:
        return replace(op, targets=(Target(kind=top.kind, name=top.name, tier=tier),))
    targets = tuple(
        replace(t, tier=tier) if TIER_RANK[tier] > TIER_RANK[t.tier] else t for t in op.targets
    )
    return op if targets == op.targets else replace(op, targets=targets)
